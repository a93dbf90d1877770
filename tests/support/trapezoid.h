#pragma once
// Trapezoid integral of a theory curve's points with indices [from, to], and a bound on its error
// derived from the grid: on an interval where y is monotone the trapezoid is off by at most
// |dy| dx / 2; we allow |dy| dx per interval (some intervals contain a maximum).
#include "core/theory/theory.h"

#include <cmath>
#include <cstddef>

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

} // namespace testsupport
