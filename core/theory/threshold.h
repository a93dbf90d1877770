#pragma once
// The large-rank separation threshold (docs/model.md, outliers): where a spike theta starts to
// produce an outlier above (or below) the bulk of S, by the large-rank criterion
//
//   F(theta) = sigma^2 (N - r)/N sum_a w_a / (theta - s_a)^2 = 1,
//
// the sum over the distinct bulk values s_a with weights w_a relative to the bulk (summing to
// 1), i.e. sigma^2 (1/N) sum_{k in bulk} 1/(theta - s_k)^2 = 1. F decreases away from the bulk,
// so a spike separates exactly when it lies beyond the threshold: F < 1 there (theory.h's
// OutlierPrediction::separation is F at the spike). For r = 1 and a zero bulk the threshold is
// sigma sqrt((N - 1)/N), the BBP threshold sigma at finite N; a constant bulk c moves it to
// c +- sigma sqrt((N - r)/N).
//
// Units: those of the eigenvalues of S (and sigma). Pure function, no allocation, thread-safe.

#include "core/theory/theory.h"

#include <optional>
#include <vector>

namespace ws::core {

// The threshold above the bulk (sign > 0) or below it (sign < 0): the root of F = 1 beyond the
// largest (smallest) bulk value, found by bisection on [edge, edge + sigma] (F <= sigma^2 /
// (theta - edge)^2 there, so the root lies within sigma of the edge) to double precision.
// `bulk`: distinct values ascending with weights relative to the bulk (groupAtoms of the bulk
// values); `bulkFraction` = (N - r)/N in (0, 1]. None when the bulk is empty or bulkFraction <=
// 0. Precondition: sigma > 0 finite.
std::optional<double> largeRankThreshold(const std::vector<Atom>& bulk, double bulkFraction,
                                         double sigma, int sign);

} // namespace ws::core
