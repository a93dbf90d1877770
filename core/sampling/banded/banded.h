#pragma once
// Exact Gaussian banded sampler (docs/model.md#banded-sampler): for gaussian/complex noise with
// a zero or constant bulk c, the eigenvalues of H are drawn from a matrix with the same law that
// needs O(N r) random numbers instead of N^2. Two such matrices are provided:
//
// - The band model (drawBandMatrix), bandwidth r: block Householder tridiagonalization started
//   from the r spike coordinates, which fixes S = c I + diag(theta - c) on those coordinates.
//   Write the GOE/GUE noise as [[A11, B^*], [B, A22]] with A11 r x r, B (N - r) x r iid. The QR
//   factorization B = Q R is independent of A22, and Q^* A22 Q is again GOE/GUE, so recursing
//   gives a block tridiagonal matrix whose diagonal blocks are r x r GOE/GUE and whose
//   sub-diagonal blocks are R factors of fresh m x r Gaussian blocks, m = rows still below the
//   block. Householder QR of an m x r iid Gaussian block (E|b_ij|^2 = 1) has
//   R_ii = chi_{beta (m - i)} / sqrt(beta) (i = 0..), iid N(0,1) (real) or (a + ib)/sqrt(2)
//   (complex) above the diagonal, zeros below. The last diagonal block may be smaller than r.
//   For r = 1 this is Dumitriu-Edelman: diagonal N(0, 2/beta), off-diagonal
//   chi_{beta (N-1)}/sqrt(beta), chi_{beta (N-2)}/sqrt(beta)... all times sigma/sqrt(N), plus
//   theta_1 at (0,0) and the bulk constant c on the diagonal. Its spikes live on the first r
//   coordinates, which the eigenvector overlaps use (overlap.h).
//
// - The tridiagonal model (drawTridiagonal), what the sampler uses: the same reduction one row
//   at a time, started from one spike coordinate, carried out on the law rather than on a drawn
//   matrix, in O(N r^2) time and O(N + r^2) memory. Reducing the band model instead would cost
//   O(N^2 r) (LAPACK's dsbtrd chases every bulge to the end of the band).
#include "core/sampling/runner.h"
#include "core/sampling/sampler.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace ws::core {

struct Histogram;

// Precondition: bandedInapplicableReason(m).empty() (gaussian/complex noise, constant bulk).
// Throws InputError otherwise. The returned object is a BandedSampler.
std::unique_ptr<Sampler> makeBandedSampler(const Model& m, std::uint64_t seed);

// One drawn band matrix, Hermitian with bandwidth kd, in LAPACK's upper band layout
// (column-major, ldab = kd + 1): element H(i, j), max(0, j - kd) <= i <= j, is at
// j * (kd + 1) + kd + i - j. `im` is empty for a real symmetric matrix.
struct BandMatrix
{
    int n = 0;
    int kd = 0;
    std::vector<double> re;
    std::vector<double> im;
    bool isComplex() const { return !im.empty(); }
    std::size_t index(int i, int j) const
    {
        return static_cast<std::size_t>(j) * static_cast<std::size_t>(kd + 1) +
               static_cast<std::size_t>(kd + i - j);
    }
    std::size_t bytes() const { return (re.size() + im.size()) * sizeof(double); }
};

// The exact band model of sample k, drawn from Rng(seed, k). `dofOffset` is a test hook only
// (added to every chi degree of freedom, to prove the statistical tests have power); the real
// model is dofOffset = 0. A complex model with bandwidth 1 is returned real (|e_i| on the
// off-diagonal: a diagonal unitary similarity), since its spectrum is the same.
BandMatrix drawBandMatrix(const Model& m, std::uint64_t seed, std::uint64_t k, int dofOffset = 0);

// The bandwidth used for a model: min(r, N - 1).
int bandWidthOf(const Model& m);

// The value c of S on the non-spike coordinates (precondition: bulkIsConstant(m)).
double bulkConstantOf(const Model& m);

// The tridiagonal model of sample k: a real symmetric tridiagonal T (a BandMatrix with kd = 1,
// kd = 0 for N = 1) whose eigenvalues have the law of H's, drawn from Rng(seed, k). The sampler
// uses it for every sample; the eigenvalues come from dsterf, the counts from Sturm sequences.
//
// Householder tridiagonalization of H - c I from the first spike coordinate, in law: before step
// k the part still to reduce is s X + Sigma (s = sigma/sqrt(N)), X a fresh GOE/GUE of size
// m = N - k independent of all entries drawn so far (Q^* X Q is again GOE/GUE for a Q that only
// depends on them), Sigma = F Theta F^* of rank <= r, Theta = diag(theta_j - c) over the spikes
// that differ from c. The rest of the reduction depends on Sigma only up to rotations that fix
// the pivot e_0, so Sigma is kept in d = r + 1 slots: slot 0 the pivot, slots 1..d-1 an
// orthonormal basis of the rest of span(e_0, range Sigma); the other m - d coordinates hold
// noise only. Step k draws
//   T(k, k)     = s X_00 + Sigma_00 + c                (X_00 ~ N(0, 2/beta)),
//   y           = s x + Sigma(1..d-1, 0)               (x: d - 1 standard normals, real/complex),
//   t           = s chi_{beta (m - d)} / sqrt(beta)    (the norm of the m - d noise-only entries),
//   T(k, k + 1) = sqrt(|y|^2 + t^2),
// and the next pivot is v = (t, y) / T(k, k + 1) in the slots (slot 0 now standing for the
// tail's direction): F <- V F', F' = F with row 0 zeroed (the old pivot leaves),
// V = I - 2 u u^*, u = (e_0 - v) / |e_0 - v| (V e_0 = v). O(d r) per step. The last d rows,
// where no noise-only coordinate is left, are drawn densely and reduced by LAPACK
// (dsytrd/zhetrd). With at most one spike that differs from c, F vanishes after step 0 and every
// step is Dumitriu-Edelman's: then the draws, and T, are exactly drawBandMatrix's for r = 1.
//
// `dofOffset` is a test hook (added to every chi degree of freedom); `portable` forces the
// SSE2 copy of the per-step kernel (a test hook: the AVX2 copy must give the same bits).
// Returns nullopt if `cancel` was set (checked every few ms). Throws InputError if the band
// form does not apply. Allocates 2 N + 2 d r doubles (+ 2 d^2 complex for the last block).
// Thread-safe (no shared state).
std::optional<BandMatrix> drawTridiagonal(const Model& m, std::uint64_t seed, std::uint64_t k,
                                          const std::atomic<bool>* cancel = nullptr,
                                          int dofOffset = 0, bool portable = false);

// All eigenvalues, ascending, by LAPACK (dsterf for kd = 1, dsbev / zhbev otherwise).
// Consumes the matrix (LAPACK works in place).
std::vector<double> bandEigenvalues(BandMatrix h);

// Inertia counts: out[i] = number of eigenvalues < x[i] (Sylvester's law on an LDL^T of
// H - x I without pivoting; Sturm sequence for kd = 1, backward stable). For kd > 1 a step
// whose update |l|^2/|d| exceeds 1e6 ||H|| (a small pivot that still feeds later pivots) means
// the factorization may have grown: the shift is then nudged by 4e-6 ||H|| (at most three
// times) and counted again. Exact for the matrix up to a backward error ~1e-10 ||H||, unless an
// eigenvalue lies within ~1e-5 ||H|| of a nudged shift.
void bandCountBelow(const BandMatrix& h, const double* x, std::size_t count, std::int64_t* out);
std::int64_t bandCountBelow(const BandMatrix& h, double x);

// Gershgorin interval [lo, hi] containing every eigenvalue.
struct Interval
{
    double lo = 0.0, hi = 0.0;
};
Interval gershgorinBounds(const BandMatrix& h);

// What bandedSpectrum should compute for one sample.
struct BandedSpectrumRequest
{
    std::vector<double> edges; // histogram bin edges, ascending (may be empty)
    int topCount = 0;          // locate the topCount largest eigenvalues
    int bottomCount = 0;       // and the bottomCount smallest
    // Also locate every eigenvalue > above / < below (e.g. the widened bulk edges), capped at
    // maxOutliers on each side.
    std::optional<double> above, below;
    int maxOutliers = 1000;
    // Absolute accuracy of located eigenvalues; 0 = 1e-13 * max|Gershgorin bound|.
    double tolerance = 0.0;
};

// Histogram counts and extreme eigenvalues of one sample without computing all eigenvalues:
// one inertia count per edge (O(N kd^2) each, O(N) on the tridiagonal model) and bisection on
// inertia counts for the extremes (about 45 counts per located eigenvalue). The counts of one
// call run in parallel (oneTBB) when N times the batches of 16 (8) shifts is large; counts are
// integers, so the result does not depend on the thread count. The cancel flag is read between
// batches, and every 2^18 rows within a tridiagonal count.
struct BandedSpectrum
{
    int n = 0;
    std::vector<double> edges;
    std::vector<std::uint64_t> counts; // per bin [e_i, e_{i+1}) (the last one closed)
    std::uint64_t below = 0;           // eigenvalues < edges.front()
    std::uint64_t above = 0;           // eigenvalues > edges.back()
    std::vector<double> top;           // largest, descending
    std::vector<double> bottom;        // smallest, ascending
    bool cancelled = false;            // the rest is incomplete and must be discarded
};

BandedSpectrum bandedSpectrum(const BandMatrix& h, const BandedSpectrumRequest& req,
                              const std::atomic<bool>* cancel = nullptr);

// Adds the counts of `s` to `hist` (same edges), exactly as Histogram::add would have done
// with all N eigenvalues.
void accumulate(const BandedSpectrum& s, Histogram& hist);

// Peak bytes of BandedSampler::spectrum for this model (drawing the tridiagonal model, then its
// counts), per sample in flight.
std::size_t bandedSpectrumBytes(const Model& m, std::size_t edgeCount);

// Test hook: the same counts through the portable (SSE2) kernels, not the AVX2 ones picked at
// run time, so that both code paths are checked on an AVX2 machine.
void bandCountBelowPortable(const BandMatrix& h, const double* x, std::size_t count,
                            std::int64_t* out);

// The fast path of a whole run: K samples' histograms and extremes in parallel
// (oneTBB, like runSamples), never all eigenvalues. Sample k is the matrix of
// BandedSampler::sample(k) for the same seed, so the summed counts equal what runSamples'
// eigenvalues would give (up to eigenvalues within rounding of an edge).
struct BandedRunResult
{
    std::vector<double> edges;
    std::vector<std::uint64_t> counts;   // summed over completed samples, as Histogram::counts
    std::uint64_t total = 0;             // completed * N, as Histogram::total
    std::vector<BandedSpectrum> spectra; // per completed sample, increasing k (counts included)
    std::vector<int> sampleIndex;        // k of each entry of `spectra`
    int requested = 0;
    int completed = 0;
    bool cancelled = false;
    double totalSeconds = 0.0;
};

// Called (serialized) when sample k is done; progress as in runner.h.
using BandedSpectrumCallback = std::function<void(int k, const BandedSpectrum& spectrum)>;

// Uses opt.samples, opt.seed, opt.threads, opt.memoryBudget (opt.sampler is ignored: this is
// the banded sampler). Throws InputError (invalid or inapplicable model, bad options) or
// ResourceError (memory budget: about threads x bandedSpectrumBytes is needed).
BandedRunResult runBandedSpectra(const Model& m, const RunOptions& opt,
                                 const BandedSpectrumRequest& req,
                                 const std::atomic<bool>* cancel = nullptr,
                                 const ProgressCallback& progress = {},
                                 const BandedSpectrumCallback& onSample = {});

class BandedSampler final : public Sampler
{
public:
    BandedSampler(const Model& m, std::uint64_t seed); // throws InputError if inapplicable
    SamplerKind kind() const override { return SamplerKind::Banded; }
    std::vector<double> sample(std::uint64_t k, const std::atomic<bool>* cancel) const override;
    std::size_t peakBytes(int concurrency) const override;

    // The tridiagonal model of sample k (drawTridiagonal; the matrix of sample(k)); nullopt if
    // cancelled.
    std::optional<BandMatrix> draw(std::uint64_t k, const std::atomic<bool>* cancel = nullptr) const
    {
        return drawTridiagonal(m_model, m_seed, k, cancel);
    }
    // The histogram fast path for sample k: the counts equal those of sample(k)'s eigenvalues
    // (up to eigenvalues within rounding of an edge).
    BandedSpectrum spectrum(std::uint64_t k, const BandedSpectrumRequest& req,
                            const std::atomic<bool>* cancel) const;
    // Peak bytes of the fast path with `concurrency` samples in flight.
    std::size_t spectrumPeakBytes(int concurrency, std::size_t edgeCount) const;

private:
    Model m_model;
    std::uint64_t m_seed;
};

} // namespace ws::core
