#pragma once
// Monte Carlo runner: K samples in parallel with oneTBB. Sample k uses stream (seed, k), so the
// eigenvalues are bit-identical for any thread count. BLAS is kept single-threaded while TBB
// runs samples in parallel (they would fight for the cores otherwise).

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
    std::string sampler;                          // "dense" / "banded"
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
RunResult runSamples(const Model& m, const RunOptions& opt, const std::atomic<bool>* cancel = nullptr,
                     const ProgressCallback& progress = {}, const SampleCallback& onSample = {});

} // namespace ws::core
