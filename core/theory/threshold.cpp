// The large-rank separation threshold (see threshold.h).
#include "core/theory/threshold.h"

namespace ws::core {

std::optional<double> largeRankThreshold(const std::vector<Atom>& bulk, double bulkFraction,
                                         double sigma, int sign)
{
    if (bulk.empty() || !(bulkFraction > 0.0))
        return std::nullopt;
    const double edge = sign > 0 ? bulk.back().value : bulk.front().value;
    auto f = [&](double theta) {
        double sum = 0.0;
        for (const auto& a : bulk) {
            const double d = theta - a.value;
            sum += a.weight / (d * d);
        }
        return sigma * sigma * bulkFraction * sum;
    };
    double near = 0.0, far = sigma; // distances from the edge
    for (int i = 0; i < 80; ++i) {
        const double mid = 0.5 * (near + far);
        if (f(edge + sign * mid) > 1.0)
            near = mid;
        else
            far = mid;
    }
    return edge + sign * far;
}

} // namespace ws::core
