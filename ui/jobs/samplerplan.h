#pragma once
// Which sampler a GUI run uses, and how large N may go with it.
//
// The plan is core::planSampler's (core/sampling/sampler_plan.h), the rule of the CLI and the
// sweeps too, with the GUI's choice: always auto, and never all eigenvalues on the fast path
// (BandedCounts: the exact Gaussian tridiagonal model, histogram from Sturm counts, extremes by
// bisection; Banded: the same model with all eigenvalues; Dense: any other model).
//
// N limit: where the fast path applies, the largest N <= 10^6 whose sample takes at most
// kBandedSecondsPerSample of CPU (core::bandedFastPathSeconds) and fits the memory budget: 10^6
// up to alpha = 0.2, less when r = ceil(N^alpha) grows (alpha = 0.3: ~5.6e5, 0.4: ~1.8e5, 0.5:
// ~6.3e4). Otherwise (or if that is below the dense limit) kDenseMaxN, or what the memory guard
// allows; with the reason in words.

#include "core/model/model.h"
#include "core/sampling/sampler_plan.h"

#include <string>

namespace ws::ui {

inline constexpr int kBandedMaxN = 1'000'000;
inline constexpr int kDenseMaxN = 4000;
// Histogram bins of a fast-path run are capped: each bin edge costs one inertia count per sample.
inline constexpr int kBandedMaxBins = 300;

// CPU seconds per sample the N limit allows on the fast path (a first histogram within ~2 s).
inline constexpr double kBandedSecondsPerSample = 2.5;

using core::SamplerPlan;

// core::planSampler(m, auto, bins): the plan of a GUI run with `bins` histogram bins.
SamplerPlan planSampler(const core::Model& m, int bins);
// "banded (inertia counts)", "banded" or "dense" (core::toString): what the status bar shows.
std::string samplerLabel(SamplerPlan p);

struct NLimit
{
    int maxN = kBandedMaxN;
    std::string reason; // why maxN < kBandedMaxN (empty otherwise)
};

// The largest N the controls allow for the other parameters of `m` (its own n is ignored).
// `threads`: samples in flight (0 = the hardware concurrency). Cheap (no allocation of N-sized
// data): safe to call on the GUI thread on every edit.
NLimit nLimit(const core::Model& m, int samples = 1, int threads = 0);

} // namespace ws::ui
