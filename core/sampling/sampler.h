#pragma once
// Samplers draw one H for sample index k and return its eigenvalues (ascending).
// docs/model.md#samplers. A Sampler is built once per (model, seed) -- e.g. the Haar eigenvectors
// of S are drawn then -- and sample() is const and thread-safe, so TBB can call it from many
// threads at once.

#include "core/model/model.h"
#include "core/sampling/rng.h"

#include <atomic>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ws::core {

// The sampler asked for (--sampler, RunOptions::sampler). Names: auto | dense | banded;
// parseSamplerChoice throws InputError "sampler: must be auto, dense or banded, got 'x'".
enum class SamplerChoice { Auto, Dense, Banded };
SamplerChoice parseSamplerChoice(std::string_view text);
std::string toString(SamplerChoice c);

// The sampler that runs (RunResult, sweep points, overlaps). Names: dense | banded, for the
// outputs (CLI JSON and tables, GUI labels); parseSamplerKind throws InputError "sampler".
enum class SamplerKind { Dense, Banded };
SamplerKind parseSamplerKind(std::string_view text);
std::string toString(SamplerKind k);

class Sampler
{
public:
    virtual ~Sampler() = default;
    // The sampler that actually runs (shown by the CLI JSON and the GUI).
    virtual SamplerKind kind() const = 0;
    // Eigenvalues of sample k, ascending. Checks `cancel` at safe points; if it is set the
    // result is empty and must be discarded.
    virtual std::vector<double> sample(std::uint64_t k, const std::atomic<bool>* cancel) const = 0;
    // Peak bytes of the whole run with `concurrency` samples in flight at once.
    virtual std::size_t peakBytes(int concurrency) const = 0;
};

// Why the banded sampler does not apply to this model (empty if it does).
std::string bandedInapplicableReason(const Model& m);

// Builds the sampler for `choice` (Auto: banded where it applies, else dense). Throws
// InputError for Banded on a model it does not cover, saying why. If `cancel` gets set while
// the dense sampler draws its Haar S, the sampler is returned unusable: check the flag.
std::unique_ptr<Sampler> makeSampler(const Model& m, SamplerChoice choice, std::uint64_t seed,
                                     const std::atomic<bool>* cancel = nullptr);

// Dense sampler (any noise, any eigenvectors): builds H and computes all eigenvalues.
std::unique_ptr<Sampler> makeDenseSampler(const Model& m, std::uint64_t seed,
                                          const std::atomic<bool>* cancel = nullptr);

// Fills the N x N noise X (without the sigma/sqrt(N) factor) -- exposed for tests of the noise
// families' moments. Column-major, lower triangle (i >= j) filled, upper mirrored.
// Off-diagonal entries have variance 1, diagonal ones variance 2 (every real family's diagonal
// is sqrt(2) times an off-diagonal draw). Columns are drawn in fixed blocks, each from its own
// stream derived from one draw of `rng`, so blocks can be filled in parallel and the result
// still depends only on `rng`. Throws InputError for complex noise (use fillNoiseComplex).
void fillNoiseReal(const NoiseFamily& f, int n, class Rng& rng, double* out);
// The same for complex (GUE) noise: off-diagonal (a + ib)/sqrt(2), diagonal N(0, 1) real; upper
// triangle is the conjugate of the lower one. Throws InputError for a real family.
void fillNoiseComplex(const NoiseFamily& f, int n, class Rng& rng, std::complex<double>* out);

// Haar-distributed orthogonal / unitary N x N matrix (column-major) drawn from the stream
// (seed, Rng::kHaarStream): QR of a Gaussian matrix, columns multiplied by the sign (phase) of
// R's diagonal so that the law is exactly Haar. This is the O of `eigvecs = haar`.
std::vector<double> haarOrthogonal(int n, std::uint64_t seed);
std::vector<std::complex<double>> haarUnitary(int n, std::uint64_t seed);
// The first r columns of the above (n x r, column-major; equal up to rounding, since column j
// of a Householder QR depends on the first j + 1 columns only), in O(n r^2). A constant bulk
// only needs the spikes' eigenvectors: S = c I + O_r diag(theta - c) O_r^T.
// Both run their O(n r^2) work in TBB tasks over fixed blocks (same numbers for any thread count)
// and return an empty vector if `cancel` gets set (checked every 32 columns). `stream` selects
// another independent draw (the rectangular model's V uses kHaarStream - 1).
std::vector<double> haarOrthogonalColumns(int n, int r, std::uint64_t seed,
                                          const std::atomic<bool>* cancel = nullptr,
                                          std::uint64_t stream = Rng::kHaarStream);
std::vector<std::complex<double>> haarUnitaryColumns(int n, int r, std::uint64_t seed,
                                                     const std::atomic<bool>* cancel = nullptr,
                                                     std::uint64_t stream = Rng::kHaarStream);

// Pins OpenBLAS to one thread, process-wide (idempotent; called by the dense sampler, the Haar
// draw and the runner). OpenBLAS splits reductions by its thread count, so threaded BLAS would
// make the eigenvalues depend on the thread count; parallelism comes from TBB instead (samples;
// within a sample, fixed blocks of the noise and of the dense -> band reduction).
void pinBlasToOneThread();

// glibc only, process-wide, idempotent (pinBlasToOneThread calls it): allocations of 1 MiB and
// more are mmap'ed and go back to the system when freed. glibc's default raises the mmap
// threshold after the first large free, so later N^2 buffers (up to 32 MiB) land in per-thread
// arenas and fragment them: a 2000-change GUI soak grew RSS by 131 MiB that way, 10 MiB with
// this fixed threshold. The extra page faults cost ~1 ms per 8 MiB against solves of 50+ ms.
void limitAllocatorRetention();

// Eigenvalue solver of the dense sampler (bench/bench_dense --all-solvers measures them all).
//   Lapack            dsyevd / zheevd (one-stage tridiagonal reduction)
//   LapackTwoStage    dsyevd_2stage / zheevd_2stage (dense -> band -> tridiagonal)
//   ParallelTwoStage  our dense -> band stage split into TBB tasks of fixed blocks (same
//                     rounding for any thread count; checks the cancel flag every panel), then
//                     the bulge chasing of dsytrd_sb2st / zhetrd_hb2st + dsterf. Complex N = 1000
//                     on one thread: 0.79 s vs zheevd_2stage 1.48 s vs zheevd 2.2 s (loaded
//                     machine)
//   Eigen             Eigen's own solver, 2-3x slower, kept for comparison only
// Auto: ParallelTwoStage from N >= kTwoStageMinN (real) and kTwoStageMinNComplex (complex),
// the one-stage one below (real N = 600: 0.017 s vs 0.022 s on
// one thread; N = 2000: two-stage 1.6x faster).
enum class DenseSolver { Auto, Lapack, LapackTwoStage, ParallelTwoStage, Eigen };
inline constexpr int kTwoStageMinN = 900;
inline constexpr int kTwoStageMinNComplex = 400;
DenseSolver autoDenseSolver(int n, bool complex);
std::unique_ptr<Sampler> makeDenseSampler(const Model& m, std::uint64_t seed, DenseSolver solver,
                                          const std::atomic<bool>* cancel = nullptr);
std::string toString(DenseSolver s);

// Peak bytes of a dense run with `concurrency` samples in flight (what the dense sampler's
// peakBytes returns), computable without building the sampler -- the runner checks it before the
// Haar eigenvectors are drawn, and searches the largest N that fits with it.
std::size_t denseSamplerPeakBytes(const Model& m, int concurrency);

} // namespace ws::core
