#pragma once
// Curve helpers of the theory tests: the indices of a curve's points in [a, b] (pointsIn), and
// the trapezoid integral of its points with indices [from, to], with a bound on its error
// derived from the grid: on an interval where y is monotone the trapezoid is off by at most
// |dy| dx / 2; we allow |dy| dx per interval (some intervals contain a maximum).
#include "core/theory/theory.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <utility>

namespace testsupport {

struct Integral
{
    double value = 0.0, bound = 0.0;
};

inline Integral trapezoid(const ws::core::Curve& c, std::size_t from, std::size_t to)
{
    Integral r;
    for (std::size_t i = from; i < to; ++i) {
        const double dx = c.x[i + 1] - c.x[i];
        r.value += 0.5 * (c.y[i] + c.y[i + 1]) * dx;
        r.bound += std::abs(c.y[i + 1] - c.y[i]) * dx;
    }
    r.bound += 1e-12; // rounding of the sum itself
    return r;
}

// Indices [first, last] of the curve's points with x in [a, b] (x non-decreasing).
inline std::pair<std::size_t, std::size_t> pointsIn(const ws::core::Curve& c, double a, double b)
{
    const auto first =
        static_cast<std::size_t>(std::lower_bound(c.x.begin(), c.x.end(), a) - c.x.begin());
    const auto last =
        static_cast<std::size_t>(std::upper_bound(c.x.begin(), c.x.end(), b) - c.x.begin()) - 1;
    return {first, last};
}

} // namespace testsupport
