// The banded inertia path's request and located eigenvalues (see located.h).
#include "core/sweeps/located.h"

#include "core/outliers/outliers.h"

#include <algorithm>
#include <optional>
#include <utility>

namespace ws::core {

BandedSpectrumRequest outlierSpectrumRequest(const Theory& theory, std::vector<double> edges,
                                             int top, int bottom)
{
    BandedSpectrumRequest req;
    req.edges = std::move(edges);
    req.topCount = top;
    req.bottomCount = bottom;
    if (const std::optional<OutlierThresholds> t = outlierThresholds(theory)) {
        req.above = t->above;
        req.below = t->below;
        req.maxOutliers = t->maxOutliers;
    }
    return req;
}

BulkClaim bulkClaim(const Theory& theory)
{
    BulkClaim b;
    b.hull = bulkHull(theory);
    b.claim = b.hull;
    for (const SupportInterval& iv : theory.equivalent.support)
        if (iv.kind == IntervalKind::Bulk) {
            b.claim.lo = std::min(b.claim.lo, iv.claimLo);
            b.claim.hi = std::max(b.claim.hi, iv.claimHi);
        }
    return b;
}

std::vector<double> locatedEigenvalues(const BandedSpectrum& s)
{
    std::vector<double> ev = s.bottom;
    ev.insert(ev.end(), s.top.rbegin(), s.top.rend());
    std::sort(ev.begin(), ev.end());
    ev.erase(std::unique(ev.begin(), ev.end()), ev.end());
    return ev;
}

} // namespace ws::core
