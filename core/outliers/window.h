#pragma once
// The outlier window (docs/model.md, observed outliers): how far beyond a bulk edge an eigenvalue
// must lie to count as an outlier. At an edge with square-root behaviour the largest bulk
// eigenvalue fluctuates on the Tracy-Widom scale gamma N^(-2/3) (TW1: mean -1.21, sd 1.27 in
// those units), so three widths keep it inside the window with high probability, while an
// outlier, which sits O(1) away, is outside it.
//
//   window = 3 * scale * shape * N^(-2/3)
//
// Square model (the semicircle's edge): scale = sigma, shape = 1, so window = 3 sigma N^(-2/3),
// in the units of the eigenvalues of H. The rectangular model uses its own edge scale
// (rectangular.h: scale = sigma/2, shape = (1 + c^(-1/2))^(1/3), singular-value units).
// Every front end (observed outliers, overlaps, sweeps, the CLI's banded fast path, the GUI's
// table) uses these functions, so they cannot disagree about what is an outlier.
//
// Precondition: n >= 1 (std::invalid_argument otherwise); scale, shape finite. Pure functions,
// no allocation, thread-safe.

#include "core/theory/theory.h"

namespace ws::core {

// Tracy-Widom widths in the window.
inline constexpr double kOutlierWindowWidths = 3.0;

// 3 * scale * shape * n^(-2/3), evaluated in that order (left to right).
double edgeWindow(double scale, int n, double shape = 1.0);

// The square model's window, 3 sigma N^(-2/3): edgeWindow(sigma, n).
double outlierWindow(double sigma, int n);

// The main bulk of mu_N widened by the window on both sides:
// [theory.mainBulkLo - w, theory.mainBulkHi + w], w = outlierWindow(sigma, n). An eigenvalue
// strictly outside it is an observed outlier.
struct WidenedBulk
{
    double lo = 0.0, hi = 0.0;
};
WidenedBulk widenedMainBulk(const Theory& theory, double sigma, int n);

} // namespace ws::core
