#pragma once
// The prologue every run shares (runSamples, runBandedSpectra, runOverlaps, runSweep,
// runRectSamples): check the run options, resolve the thread count and the memory budget, and
// (runSetup for a square model) validate the model and the sampler choice. What each run then
// estimates against the budget is its own (its peak differs); the shape below is what it
// estimates with.

#include "core/model/model.h"
#include "core/sampling/runner.h"

#include <cstddef>

namespace ws::core {

// The cores oneTBB sees (its default concurrency).
int hardwareThreads();
// The threads a run uses for `requested` (RunOptions::threads): all cores for 0, else at most
// the cores -- a request beyond them is capped (front ends say so; results are the same).
int usedThreads(int requested);

struct RunShape
{
    int threads = 1;        // worker threads: usedThreads(opt.threads)
    int count = 1;          // samples this run draws: opt.samples, or opt.subset's size
    int inFlight = 1;       // samples at once: min(threads, count)
    std::size_t budget = 0; // bytes: opt.memoryBudget, or defaultMemoryBudget() for 0
};

// Checks opt.samples >= 1 (InputError "samples"), opt.threads >= 0 (InputError "threads") and
// that opt.subset is strictly ascending within [0, samples) (InputError "samples"), then
// resolves the shape. opt.sampler and opt.seed are not looked at. Cheap, thread-safe.
RunShape runShape(const RunOptions& opt);

// The sample index of the i-th sample a run draws: opt.subset[i], or i without a subset.
inline int sampleAt(const RunOptions& opt, int i)
{
    return opt.subset.empty() ? i : opt.subset[static_cast<std::size_t>(i)];
}

// validate(m) (InputError naming the parameter), runShape(opt), and for SamplerChoice::Banded
// that the band model applies (InputError "sampler: <bandedInapplicableReason>"), in that order.
RunShape runSetup(const Model& m, const RunOptions& opt);

} // namespace ws::core
