#pragma once
// Which sampler a run uses, and on which path (docs/model.md, sampling): the one rule that the
// CLI's sample command, the sweeps and the GUI all follow.
//
// - Dense: H built entry by entry, all eigenvalues by LAPACK, O(N^3) per sample; any model.
// - Banded: the exact Gaussian tridiagonal model (banded.h), drawn in O(N r^2), all eigenvalues
//   by dsterf, ~12 N^2 ns per sample; gaussian or complex noise with a zero or constant bulk only.
// - BandedCounts: the same model without all eigenvalues: the histogram from one Sturm count per
//   bin edge and the extreme eigenvalues by bisection (runBandedSpectra), about
//   (bins + 50 (r + 2)) counts of ~0.75 N ns each. It pays when that is below dsterf's cost (the
//   draw is common to both): N >= 1000 and bins + 50 (r + 2) < 16 N (r = rankOf(m)). It cannot
//   give all eigenvalues.
//
// Pure functions of their arguments: no allocation beyond the returned strings, thread-safe.

#include "core/model/model.h"
#include "core/sampling/sampler.h"

#include <string>
#include <string_view>

namespace ws::core {

enum class SamplerPlan { Dense, Banded, BandedCounts };

// "dense", "banded" or "banded (inertia counts)": the name shown to people (GUI status).
std::string toString(SamplerPlan p);

// Where a run's histogram comes from: all eigenvalues, or one inertia count per bin edge (the
// BandedCounts path, which locates only the extreme eigenvalues). Names: eigenvalues | inertia
// (CLI JSON and tables); parseSpectrumSource throws InputError "source".
enum class SpectrumSource { Eigenvalues, InertiaCounts };
SpectrumSource parseSpectrumSource(std::string_view text);
std::string toString(SpectrumSource s);

// The sampler and the histogram source of a plan.
SamplerKind samplerKindOf(SamplerPlan p);
SpectrumSource spectrumSourceOf(SamplerPlan p);

// Cost model of one sample on one core (TBB and BLAS on one thread: a run keeps every core busy
// with samples of its own, so the cost per core is what decides), in CPU seconds:
//   dense:  kDenseSquareNs N^2 (the noise, copies, the reduction's memory traffic) + c N^3,
//           c = kDenseCubeNs from N = kTwoStageMinN (the parallel two-stage solver), else
//           kDenseSmallCubeNs (dsyevd);
//   banded: the draw, N (kDrawNs + kDrawRankNs r) + kDrawStepNs (N - d) r d with d =
//           min(r + 1, N) (the reduction one row at a time, O(r d) per row, while more than d
//           rows are left), the dense finish on the last d rows (LAPACK dsytrd, kTailNs d^3:
//           at r = N the whole matrix, in a solver slower than the dense sampler's), then dsterf
//           on the tridiagonal matrix, kDsterfNs N^2.
// Complex noise: both times kComplexFactor (zheevd / the complex reflections do about 4x the real
// arithmetic; assumed, not measured: the bench times real noise), so complex follows the real
// choice. r = rankOf(m) (spikes equal to the bulk constant cost nothing in the draw: an upper
// bound there).
// Measured by bench/bench_autochoice --full (CPU time of one thread, median of 3, real gaussian
// noise, zero bulk) on the dev machine, 2 cores shared with other builds (load average 12-13):
//   dense  N = 1000, 2000: 0.090, 0.53 s (the fit a N^2 + b N^3 through the two: N^2.56 between
//          them, so a pure c N^3 through one would misjudge the other by 30%); dsyevd, N = 200,
//          400, 500, 700: 0.002, 0.009, 0.012, 0.028 s (the same a, b fitted through 200 and 700);
//   banded r = 1: 12-13 N^2 ns (dsterf); r = N = 200, 400, 700: 0.003, 0.016, 0.052 s; N = 1000, r
//   = 178, 355, 502, 708, 1000: 0.021, 0.038,
//          0.066, 0.095, 0.134 s; N = 2000, r = 300, 640, 936, 1368, 2000: 0.087, 0.22, 0.40,
//          0.93, 1.09 s (the step constant 0.17-0.29 ns, once 0.47; the tail 0.12-0.15 ns).
// The choice only needs the ratio of the two; the model is within ~30% of those times.
inline constexpr double kDenseSquareNs = 47.0;
inline constexpr double kDenseCubeNs = 0.0425;
inline constexpr double kDenseSmallCubeNs = 0.02;
inline constexpr double kDrawNs = 100.0;
inline constexpr double kDrawRankNs = 15.0;
inline constexpr double kDrawStepNs = 0.25;
inline constexpr double kTailNs = 0.125;
inline constexpr double kDsterfNs = 12.5;
inline constexpr double kComplexFactor = 4.0;
double denseSampleSeconds(const Model& m);
double bandedSampleSeconds(const Model& m);

// Whether a run with `choice` uses the banded sampler: Banded; Auto where the band model applies
// (bandedInapplicableReason(m) empty) and its sample costs less than a dense one
// (bandedSampleSeconds < denseSampleSeconds: e.g. N = 1000, r = 1000 (alpha = 1) is dense).
// Banded on a model it does not cover still says true: the runner then refuses it with the
// reason (InputError "sampler"). makeSampler's Auto follows this rule.
bool usesBandedSampler(const Model& m, SamplerChoice choice);

// Whether the inertia-count path beats the band solver for `bins` histogram bins (0 = no
// histogram, e.g. a sweep that only locates the extremes): the band model applies, N >= 1000 and
// bins + 50 (r + 2) < 16 N. bins < 0 counts as 0.
bool bandedFastPathPays(const Model& m, int bins);

// Estimated CPU seconds of one inertia-count sample: the draw, N (100 + 15 r + 0.4 r^2) ns, and
// (bins + 50 (r + 2)) Sturm counts of 0.8 N ns each (r >= 1, bins >= 1), fitted to measurements
// on the dev machine (draw: N = 10^5, r = 10, 100, 300: 0.03, 0.37, 2.7 s; one count 0.72-0.80
// N ns; about 50 counts per located eigenvalue). The GUI sizes its N limit with it.
double bandedFastPathSeconds(const Model& m, int bins);

// The plan of a run: Dense for choice Dense, or Auto where usesBandedSampler is false (the band
// model does not apply, or a dense sample is cheaper; the inertia-count path shares the banded
// draw, which dominates wherever the two samplers compete, so it does not change that choice);
// BandedCounts where the band model is used, the fast path pays for `bins` and the run does not
// need all eigenvalues; Banded otherwise. Banded on an inapplicable model gives Banded (the
// runner refuses it, saying why).
SamplerPlan planSampler(const Model& m, SamplerChoice choice, int bins,
                        bool needAllEigenvalues = false);

} // namespace ws::core
