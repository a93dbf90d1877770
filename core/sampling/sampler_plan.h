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
// with samples of its own, so the cost per core is what decides), in seconds. Constants measured
// by bench/bench_autochoice on the dev machine (2 cores, shared: load average 6-11 while
// measuring, so the constants are medians of ratios to interleaved runs; N = 500..4000,
// alpha = 0..1, zero and constant bulk):
//   dense:  the noise N^2 kDenseFillNs + the solve kDenseSolveNs N^3 (the parallel two-stage
//           solver from N = kTwoStageMinN, dsyevd below it: kDenseSmallSolveNs N^3);
//           complex noise kComplexFactor times that.
//   banded: the draw, N (kDrawNs + kDrawRankNs r) + kDrawStepNs (N - d) r d, d = min(r + 1, N)
//           (the reduction one row at a time, O(r d) per row, while more than d rows are left),
//           the dense finish on the last d rows (LAPACK dsytrd, kTailNs d^3), then dsterf on the
//           tridiagonal matrix, kDsterfNs N^2; complex noise kComplexFactor times the draw.
// r = the spikes that differ from the bulk constant (all of them for this estimate: rankOf(m)).
// Only the ratio of the two matters for the choice; the absolute seconds hold within ~2x.
inline constexpr double kDenseFillNs = 6.0;
inline constexpr double kDenseSolveNs = 0.20;
inline constexpr double kDenseSmallSolveNs = 0.25;
inline constexpr double kDrawNs = 100.0;
inline constexpr double kDrawRankNs = 15.0;
inline constexpr double kDrawStepNs = 0.4;
inline constexpr double kTailNs = 1.0;
inline constexpr double kDsterfNs = 12.0;
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
