#pragma once
// Which sampler a GUI run uses, and how large N may go with it.
//
// - BandedCounts: the exact Gaussian tridiagonal model (core/sampling/banded/banded.h),
//   histogram straight from Sturm counts and the extremes located by bisection
//   (core::runBandedSpectra), never all eigenvalues. Chosen with the CLI's rule (ui/cli/cli.cpp
//   useBandedFastPath): it applies (gaussian/complex noise, a constant bulk), N >= 1000 and
//   bins + 50 (r + 2) < 16 N, i.e. its ~ (bins + 50 (r + 2)) counts of ~0.75 N ns each beat
//   the ~12 N^2 ns of dsterf (the O(N r^2) draw is common to both).
// - Banded: the same model with all eigenvalues (core::runSamples picks it when it applies).
// - Dense: any other model, O(N^3) per sample.
//
// N limit: where the fast path applies, the largest N <= 10^6 whose sample takes at most
// kBandedSecondsPerSample of CPU (bandedFastPathSeconds) and fits the memory budget: 10^6 up to
// alpha = 0.2, less when r = ceil(N^alpha) grows (alpha = 0.3: ~5.6e5, 0.4: ~1.8e5, 0.5:
// ~6.3e4). Otherwise (or if that is below the dense limit) kDenseMaxN, or what the memory guard
// allows; with the reason in words.

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
// Estimated CPU seconds of one fast-path sample: the draw, N (100 + 15 r + 0.4 r^2) ns, and
// (bins + 50 (r + 2)) Sturm counts of 0.8 N ns each, fitted to measurements on the dev machine
// (draw: N = 10^5, r = 10, 100, 300: 0.03, 0.37, 2.7 s; one count 0.72-0.80 N ns; about 50
// counts per located eigenvalue).
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
