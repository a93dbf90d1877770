#pragma once
// Monte Carlo runner: K samples in parallel with oneTBB. Sample k uses stream (seed, k), so the
// eigenvalues are bit-identical for any thread count.
//
// Threading policy: a task_arena of `threads` threads runs one TBB task per sample (grain 1).
// Within a sample, the noise is generated in parallel column blocks and (real N >= kTwoStageMinN)
// the dense -> band reduction of the eigenvalue solver runs as TBB tasks over fixed blocks; both
// are isolated, so a thread waiting there never starts a second sample. With many samples in
// flight these inner loops simply run on their own thread; a lone sample gets all the arena's
// threads this way.
// OpenBLAS is pinned to ONE thread, always (pinBlasToOneThread): OpenBLAS splits its reductions
// by thread count, so threaded BLAS would make the eigenvalues depend on `threads` (measured:
// 1921 of 2000 eigenvalues of one N = 2000 matrix differ in the last bits between dsyevd on 1 and
// on 2 OpenBLAS threads), and with several samples in flight BLAS threads would fight TBB for the
// cores. The TBB blocks are fixed in size, each a single-threaded BLAS call, so their rounding
// does not depend on the thread count.
//
// Memory: before anything large is allocated the run's peak (H + LAPACK workspace per sample in
// flight, the shared S, the eigenvalues of all samples) is checked against the budget.

#include "core/model/model.h"
#include "core/sampling/sampler.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ws::core {

struct RunOptions
{
    int samples = 1;
    std::uint64_t seed = 1;
    int threads = 0; // 0 = all cores
    SamplerChoice sampler = SamplerChoice::Auto;
    std::size_t memoryBudget = 0; // bytes; 0 = default (half of physical RAM)
    // Only these samples of the `samples` (strictly ascending, each in [0, samples)); empty =
    // all. Sample k is the same matrix in any subset (its stream is (seed, k)), so a cluster run
    // (docs/cluster.md) gives each process a share and puts the results back in sample order.
    // The memory check and the samples in flight count only the subset.
    std::vector<int> subset;
};

// Called (from worker threads, serialized by the runner) when sample k has finished.
using SampleCallback = std::function<void(int k, const std::vector<double>& eigenvalues)>;
// Called after every finished sample with (done, total); serialized.
using ProgressCallback = std::function<void(int done, int total)>;

struct RunResult
{
    SamplerKind sampler = SamplerKind::Dense;     // the sampler that ran
    int requested = 0;                            // samples asked for (the subset's size if any)
    int completed = 0;                            // samples present in `eigenvalues`
    bool cancelled = false;                       // true if the run stopped early
    std::vector<std::vector<double>> eigenvalues; // [k] ascending; only finished samples when
                                                  // cancelled (in increasing k order)
    std::vector<int> sampleIndex;                 // k of each entry of `eigenvalues`
    double totalSeconds = 0.0;
};

std::size_t physicalMemoryBytes();
std::size_t defaultMemoryBudget(); // half of physical RAM

// Throws InputError (invalid model/options) or ResourceError (memory budget exceeded; the
// message states the budget, the estimate and the largest N that would fit).
RunResult runSamples(const Model& m, const RunOptions& opt,
                     const std::atomic<bool>* cancel = nullptr,
                     const ProgressCallback& progress = {}, const SampleCallback& onSample = {});

} // namespace ws::core
