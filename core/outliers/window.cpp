// The outlier window (see window.h).
#include "core/outliers/window.h"

#include <cmath>
#include <stdexcept>

namespace ws::core {

double edgeWindow(double scale, int n, double shape)
{
    if (n < 1)
        throw std::invalid_argument("outliers: n must be >= 1");
    return kOutlierWindowWidths * scale * shape * std::pow(static_cast<double>(n), -2.0 / 3.0);
}

double outlierWindow(double sigma, int n)
{
    return edgeWindow(sigma, n);
}

WidenedBulk widenedMainBulk(const Theory& theory, double sigma, int n)
{
    const double w = outlierWindow(sigma, n);
    return {theory.mainBulkLo - w, theory.mainBulkHi + w};
}

} // namespace ws::core
