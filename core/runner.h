#pragma once
// Monte Carlo runner: K samples in parallel with oneTBB. Sample k uses stream (seed, k), so the
// eigenvalues are bit-identical for any thread count.
//
// Threading policy: a task_arena of `threads` threads runs one TBB task per sample (grain 1);
// within a sample the noise is generated in parallel column blocks (isolated, so a waiting
// thread never starts a second sample). OpenBLAS is pinned to ONE thread, always, including
// for a lone sample: OpenBLAS splits its reductions by thread count, so threaded BLAS would make
// the eigenvalues depend on `threads` (measured: 1921 of 2000 eigenvalues of one N = 2000 matrix
// differ in the last bits between dsyevd on 1 and on 2 OpenBLAS threads), and with several samples
// in flight BLAS threads would fight TBB for the cores. Measured on the 2-core dev machine
// (bench/run_benchmarks.sh), the one-thread two-stage LAPACK solver is as fast at N = 2000 as the
// 2-thread one-stage one.
//
// Memory: before anything large is allocated the run's peak (H + LAPACK workspace per sample in
// flight, the shared S, the eigenvalues of all samples) is checked against the budget.

#include "model.h"
#include "sampler.h"

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
};

// Called (from worker threads, serialized by the runner) when sample k has finished.
using SampleCallback = std::function<void(int k, const std::vector<double>& eigenvalues)>;
// Called after every finished sample with (done, total); serialized.
using ProgressCallback = std::function<void(int done, int total)>;

struct RunResult
{
    std::string sampler; // "dense" / "banded"
    int requested = 0;
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
