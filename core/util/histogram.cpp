// Eigenvalue histogram (see histogram.h).
#include "core/util/histogram.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace ws::core {

Histogram makeHistogram(double lo, double hi, int bins)
{
    if (bins < 1 || !std::isfinite(lo) || !std::isfinite(hi) || !(lo < hi))
        throw std::invalid_argument("histogram: needs bins >= 1 and finite lo < hi");
    Histogram h;
    const auto nb = static_cast<std::size_t>(bins);
    h.edges.resize(nb + 1);
    const double span = hi - lo;
    // (hi - lo) i / nb as it always was, unless (hi - lo) i overflows (a range reaching
    // 1e308): then the fraction first, and for a span beyond the double range, the lerp.
    const bool plain = std::isfinite(span * static_cast<double>(nb));
    for (std::size_t i = 0; i <= nb; ++i) {
        const double t = static_cast<double>(i) / static_cast<double>(nb);
        if (plain)
            h.edges[i] = lo + span * static_cast<double>(i) / static_cast<double>(nb);
        else if (std::isfinite(span))
            h.edges[i] = lo + span * t;
        else
            h.edges[i] = lo * (1.0 - t) + hi * t; // lo < 0 < hi here: no overflow
    }
    h.edges.back() = hi; // exact, whatever the rounding above
    h.counts.assign(nb, 0);
    return h;
}

void Histogram::add(const std::vector<double>& values)
{
    const std::size_t nb = counts.size();
    if (nb == 0 || edges.size() != nb + 1)
        throw std::logic_error("histogram: use makeHistogram() to build one");
    const double lo = edges.front(), hi = edges.back();
    // In halves when hi - lo overflows, so that the first guess of the bin stays close (the
    // loops below make it exact either way).
    const double half = std::isfinite(hi - lo) ? 1.0 : 0.5;
    const double scale = static_cast<double>(nb) / (half * hi - half * lo);
    for (double x : values) {
        ++total; // NaN and values out of range count in the total only
        if (!(x >= lo && x <= hi))
            continue;
        auto i = static_cast<std::size_t>(
            std::min((half * x - half * lo) * scale, static_cast<double>(nb - 1)));
        // Agree exactly with the stored edges: bin i is [edges[i], edges[i+1]), the last closed.
        while (i > 0 && x < edges[i])
            --i;
        while (i + 1 < nb && x >= edges[i + 1])
            ++i;
        ++counts[i];
    }
}

std::vector<double> Histogram::density() const
{
    std::vector<double> d(counts.size(), 0.0);
    if (total == 0)
        return d;
    for (std::size_t i = 0; i < counts.size(); ++i)
        d[i] = static_cast<double>(counts[i]) /
               (static_cast<double>(total) * (edges[i + 1] - edges[i])); // 0 for an infinite width
    return d;
}

} // namespace ws::core
