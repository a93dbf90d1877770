#pragma once
// The Illinois variant of false position, shared by the density-at-a-point solvers of the
// square and rectangular theories (theory.cpp, rect_theory.cpp). Internal to ws_core.

namespace ws::core {

// A bracket [lo, hi] of a root of an increasing f, with f(lo) < 0 < f(hi). After f(mid) != 0,
// mid replaces the end of its sign; when the same end moves twice in a row, the other end's
// value is halved (Illinois), which keeps the convergence superlinear where plain false position
// would stall with one end fixed.
struct IllinoisBracket
{
    double lo = 0.0, hi = 0.0, flo = 0.0, fhi = 0.0;
    int side = 0; // -1: lo moved last, 1: hi moved last

    void update(double mid, double f)
    {
        if (f < 0.0) {
            lo = mid;
            flo = f;
            if (side == -1)
                fhi *= 0.5;
            side = -1;
        } else {
            hi = mid;
            fhi = f;
            if (side == 1)
                flo *= 0.5;
            side = 1;
        }
    }
};

} // namespace ws::core
