#pragma once
// The support intervals of mu_N, the outlier predictions and their validity, with what was
// observed, as JSON and as text: one vocabulary for `sample`, `theory` and `sweep`
// (docs/model.md#support-intervals, #observed-outliers).

#include "ui/cli/format.h"

#include "core/model/model.h"
#include "core/outliers/outliers.h"
#include "core/theory/theory.h"

#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

namespace ws::cli {

// One interval: a, b, mass, label ("bulk" | "cluster"), predicted_count, spikes, claim [lo, hi],
// edges {lo, hi: gamma, window, regularity, tracy_widom}, centre, spread, sd_mean,
// overlap_group, locations (those present); with `observed`: observed_count (mean per sample),
// observed_count_min/max and, for clusters, observed_complete_samples, observed_mean,
// observed_sd, observed_spread.
ojson intervalJson(const core::SupportInterval& iv, const core::ObservedInterval* observed,
                   bool withLocations);
ojson intervalsJson(const std::vector<core::SupportInterval>& support,
                    const std::vector<core::ObservedInterval>* observed, bool withLocations);

// One spike: theta, the finite-rank and large-rank positions and overlaps, separation,
// interval, absorbed, reason (null if it has an outlier), predicted_sd, flags.
ojson predictionJson(const std::vector<core::SupportInterval>& support,
                     const core::OutlierPrediction& p);
// observed_mean, observed_sd, observed_in_samples, observed_count, observed_spread.
void putObserved(ojson& j, const core::ObservedOutlier& o);

// The validity of a theory: heavy_tails, non_gaussian, kappa4 (null if infinite), warnings.
ojson validityJson(const core::Model& m, bool heavyTails, bool nonGaussian);
// What the CLI says on stderr ("warning: ..."): heavy tails (no finite fourth moment).
std::vector<std::string> theoryWarnings(const core::Model& m, bool heavyTails);
void printWarnings(std::ostream& err, const std::vector<std::string>& warnings);

// Rows of the intervals for the summaries: "[a, b]  label  count ... (observed ...)", at most
// maxRows, then "... n more".
std::string intervalsText(const std::vector<core::SupportInterval>& support,
                          const std::vector<core::ObservedInterval>* observed, std::size_t maxRows);
// Rows of the spike tables: runs of equal theta (first index, size), in the given order (square
// or rectangular predictions), and the theta cell "t" or "t x m".
template <class Prediction>
std::vector<std::pair<std::size_t, std::size_t>>
spikeRows(const std::vector<Prediction>& predictions)
{
    std::vector<std::pair<std::size_t, std::size_t>> rows;
    for (std::size_t j = 0; j < predictions.size(); ++j) {
        if (!rows.empty() && predictions[rows.back().first].theta == predictions[j].theta)
            ++rows.back().second;
        else
            rows.emplace_back(j, 1);
    }
    return rows;
}
std::string thetaText(double theta, std::size_t multiplicity);

// The note of a spike's row: its reason, or its flags ("" if none).
std::string predictionNote(const std::vector<core::SupportInterval>& support,
                           const core::OutlierPrediction& p);

// `text` with the spaces at the end of each line removed (padded table columns left empty).
std::string trimLines(const std::string& text);

} // namespace ws::cli
