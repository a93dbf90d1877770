#pragma once
// Which sampler a run uses, and on which path (docs/model.md, sampling): the one rule that the
// CLI's sample command, the sweeps and the GUI all follow.
//
// - Dense: H built entry by entry, all eigenvalues by LAPACK, O(N^3) per sample; any model.
// - Banded: the exact Gaussian band model (banded.h), all eigenvalues by the band solver,
//   ~ 6 N^2 r flops per sample; gaussian or complex noise with a zero or constant bulk only.
// - BandedCounts: the same band model without all eigenvalues: the histogram from one inertia
//   count per bin edge and the extreme eigenvalues by bisection (runBandedSpectra), about
//   (bins + 50 (r + 2)) inertia counts of O(N r^2) each. It pays when that is below the band
//   solver's cost: N >= 1000 and (bins + 50 (r + 2)) r < 6 N (r = rankOf(m)). It cannot give all
//   eigenvalues.
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
// (bins + 50 (r + 2)) r < 6 N. bins < 0 counts as 0.
bool bandedFastPathPays(const Model& m, int bins);

// Estimated CPU seconds of one inertia-count sample: (bins + 50 (r + 2)) counts of
// N (1 + 0.3 r + 0.05 r^2) ns each (r >= 1, bins >= 1), fitted to measurements on the dev machine
// (N = 10^6, r = 1: 0.49 s; N = 10^5, r = 4: 0.17 s; N = 2e4 and 10^5, r = 20: 0.63 s and 3.2 s;
// 300 bins). The GUI sizes its N limit with it.
double bandedFastPathSeconds(const Model& m, int bins);

// The plan of a run: Dense for choice Dense or where the band model does not apply (Auto);
// BandedCounts where the band model is used, the fast path pays for `bins` and the run does not
// need all eigenvalues; Banded otherwise. Banded on an inapplicable model gives Banded (the
// runner refuses it, saying why).
SamplerPlan planSampler(const Model& m, SamplerChoice choice, int bins,
                        bool needAllEigenvalues = false);

} // namespace ws::core
