#pragma once
// The banded inertia path as its users take it (the sample command's fast path, sweep points,
// animation frames, the GUI's sampling job): histogram counts from inertia counts, and by
// bisection every eigenvalue beyond the bulk's claim (the outliers, outlierThresholds) plus the
// extremes asked for. One rule, so that a sweep point or a frame locates exactly what a single
// run of its model locates.

#include "core/sampling/banded/banded.h"
#include "core/theory/theory.h"

#include <vector>

namespace ws::core {

// Counts on `edges` (may be empty: none), the `top` largest and `bottom` smallest eigenvalues,
// and every eigenvalue beyond the bulk's claim -- when the theory gives the claim
// (outlierThresholds); without it (a bulk the band model cannot take) only the extremes.
BandedSpectrumRequest outlierSpectrumRequest(const Theory& theory, std::vector<double> edges,
                                             int top = 1, int bottom = 1);

// Where the outliers begin: beyond the claim of the lowest and of the highest bulk interval
// (window.h). The hull of the bulk intervals (bulkHull) and the claims' extent, which holds it.
// A sweep point and an animation frame report both.
struct BulkClaim
{
    Extent hull;  // bulkHull(theory)
    Extent claim; // [min claimLo, max claimHi] over the bulk intervals, and the hull
};
BulkClaim bulkClaim(const Theory& theory);

// bulkClaim(theory) into a sweep point's or a frame's bulkLo/bulkHi (the hull) and
// edgeLo/edgeHi (the claims).
template <class Report> void reportBulkClaim(Report& r, const Theory& theory)
{
    const BulkClaim b = bulkClaim(theory);
    r.bulkLo = b.hull.lo;
    r.bulkHi = b.hull.hi;
    r.edgeLo = b.claim.lo;
    r.edgeHi = b.claim.hi;
}

// The eigenvalues a sample's spectrum located (its bottom and its top ones), ascending, without
// the repeats where the two lists meet.
std::vector<double> locatedEigenvalues(const BandedSpectrum& s);

} // namespace ws::core
