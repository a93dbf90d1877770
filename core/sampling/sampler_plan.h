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

// Whether a run with `choice` uses the banded sampler: Banded, or Auto where the band model
// applies (bandedInapplicableReason(m) empty). Banded on a model it does not cover still says
// true: the runner then refuses it with the reason (InputError "sampler").
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

// The plan of a run: Dense for choice Dense or where the band model does not apply (Auto);
// BandedCounts where the band model is used, the fast path pays for `bins` and the run does not
// need all eigenvalues; Banded otherwise. Banded on an inapplicable model gives Banded (the
// runner refuses it, saying why).
SamplerPlan planSampler(const Model& m, SamplerChoice choice, int bins,
                        bool needAllEigenvalues = false);

} // namespace ws::core
