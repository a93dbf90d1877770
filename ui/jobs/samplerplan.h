#pragma once
// Which sampler a GUI run uses, and how large N may go with it (issue 4).
//
// - BandedCounts: the exact Gaussian band model, histogram straight from inertia counts and the
//   extremes located by bisection (core::runBandedSpectra), never all eigenvalues. Chosen with
//   the CLI's rule (ui/cli/cli.cpp useBandedFastPath): it applies (gaussian/complex noise, a
//   constant bulk), N >= 1000 and (bins + 50 (r + 2)) r < 6 N, i.e. its ~ (bins + 50 (r + 2))
//   inertia counts of O(N r^2) each beat the O(N^2 r) band eigensolver.
// - Banded: the band model with all eigenvalues (core::runSamples picks it when it applies).
// - Dense: any other model, O(N^3) per sample.
//
// N limit: where the fast path applies, the largest N <= 10^6 whose sample takes at most
// kBandedSecondsPerSample of CPU (bandedFastPathSeconds) and fits the memory budget: 10^6 for a
// small rank (r <= 5), less when r = ceil(N^alpha) grows (alpha = 0.3: ~3.5e4). Otherwise (or if
// that is below the dense limit) kDenseMaxN, or what the memory guard allows; with the reason in
// words.

#include "core/model/model.h"

#include <string>

namespace ws::ui {

inline constexpr int kBandedMaxN = 1'000'000;
inline constexpr int kDenseMaxN = 4000;
// Histogram bins of a fast-path run are capped: each bin edge costs one inertia count per sample.
inline constexpr int kBandedMaxBins = 300;

// CPU seconds per sample the N limit allows on the fast path (a first histogram within ~2 s).
inline constexpr double kBandedSecondsPerSample = 2.5;

enum class SamplerPlan { BandedCounts, Banded, Dense };

bool bandedFastPathPays(const core::Model& m, int bins);
// Estimated CPU seconds of one fast-path sample: (bins + 50 (r + 2)) inertia counts of
// N (1 + 0.3 r + 0.05 r^2) ns each, fitted to measurements on the dev machine (N = 10^6, r = 1:
// 0.49 s; N = 10^5, r = 4: 0.17 s; N = 2e4 and 10^5, r = 20: 0.63 s and 3.2 s; 300 bins).
double bandedFastPathSeconds(const core::Model& m, int bins);
SamplerPlan planSampler(const core::Model& m, int bins);
// "banded (inertia counts)", "banded" or "dense": what the status bar shows.
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
