// The outlier window (see window.h).
#include "core/outliers/window.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace ws::core {

namespace {

double nonNegative(double v)
{
    return v > 0.0 ? v : 0.0; // NaN too
}

} // namespace

double tracyWidomQuantile(int beta)
{
    return beta == 2 ? kTracyWidomQuantile2 : kTracyWidomQuantile1;
}

double outlierWindow(double gamma, int n, int beta, double sdMean)
{
    if (n < 1)
        throw std::invalid_argument("outliers: n must be >= 1");
    const double tw = tracyWidomQuantile(beta) * nonNegative(gamma) *
                      std::pow(static_cast<double>(n), -2.0 / 3.0);
    return std::max(tw, kGaussianQuantile * nonNegative(sdMean));
}

void setClaims(std::vector<SupportInterval>& support)
{
    constexpr double kMax = std::numeric_limits<double>::max();
    if (support.empty())
        return;
    const double radius =
        std::min(kMax, std::max(std::fabs(support.front().a), std::fabs(support.back().b)));
    const double floor = kWindowAccuracy * (std::isfinite(radius) ? radius : 0.0);
    for (SupportInterval& iv : support)
        for (EdgeScale* e : {&iv.lo, &iv.hi})
            e->window = std::max(nonNegative(e->window), floor);
    // Window ends clamped to the finite doubles (a window beyond 1e308 claims everything).
    auto down = [kMax](double x, double w) { return std::max(-kMax, x - w); };
    auto up = [kMax](double x, double w) { return std::min(kMax, x + w); };
    support.front().claimLo = down(support.front().a, nonNegative(support.front().lo.window));
    support.back().claimHi = up(support.back().b, nonNegative(support.back().hi.window));
    for (std::size_t k = 0; k + 1 < support.size(); ++k) {
        SupportInterval& left = support[k];
        SupportInterval& right = support[k + 1];
        const double wl = nonNegative(left.hi.window), wr = nonNegative(right.lo.window);
        const double b = left.b, a = std::max(right.a, left.b); // touching after rounding
        // Equal distance in window units: b + (a - b) wl/(wl + wr), in [b, a]. Halved terms keep
        // a - b finite for intervals near -+1e308.
        double split = b;
        if (wl + wr > 0.0)
            split = std::clamp(b + (0.5 * a - 0.5 * b) * (2.0 * wl / (wl + wr)), b, a);
        else
            split = std::midpoint(b, a);
        left.claimHi = std::min(up(b, wl), split);
        right.claimLo = std::max(down(a, wr), split);
        if (!(right.claimLo > left.claimHi)) // the split itself belongs to the left side
            right.claimLo = std::nextafter(left.claimHi, kMax);
        right.claimLo = std::min(right.claimLo, right.a);
    }
}

double edgeWindow(double scale, int n, double shape)
{
    if (n < 1)
        throw std::invalid_argument("outliers: n must be >= 1");
    return kOutlierWindowWidths * scale * shape * std::pow(static_cast<double>(n), -2.0 / 3.0);
}

} // namespace ws::core
