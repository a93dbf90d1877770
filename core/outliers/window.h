#pragma once
// The outlier window (docs/model.md#edges-and-windows): how far beyond an edge of a support
// interval an eigenvalue may lie and still belong to that interval.
//
// Square model, per edge E of an interval:
//   window = max( q_beta gamma N^(-2/3) , 3.29 sdMean )
// - gamma N^(-2/3): the Tracy-Widom scale of the edge (theory.h, EdgeScale: gamma =
//   sigma^2 |T3(e)|^(1/3), sigma for the semicircle); q_beta is the quantile with
//   P(TW_beta > q_beta) = 1e-3: q_1 = 3.2722 (real noise), q_2 = 1.3144 (complex noise), so a
//   pure-noise edge lets about one extreme eigenvalue in a thousand samples out.
// - 3.29 sdMean (the same one-sided 5e-4 level of a Gaussian): the floor for intervals of at
//   most a few eigenvalues (an isolated outlier), whose extreme eigenvalue is Gaussian with the
//   interval's sdMean rather than TW; for count k, gamma N^(-2/3) ~ sigma k^(-1/6) N^(-1/2) and
//   the TW term takes over from k ~ 3.
// Units: those of the eigenvalues of H.
//
// Claims: an eigenvalue in a gap belongs to the neighbour to which it is nearer in window units
// ((a - x)/window or (x - b)/window), if that is at most 1; otherwise it is an unexplained
// outlier. So each interval claims [claimLo, claimHi] (setClaims), which contains [a, b].
//
// The rectangular model keeps a fixed window (edgeWindow below; rectangular.h).
//
// Pure functions, no allocation beyond setClaims' argument, thread-safe.

#include "core/theory/theory.h"

#include <vector>

namespace ws::core {

// P(TW_1 > q) = 1e-3 and P(TW_2 > q) = 1e-3 (Bornemann's Fredholm-determinant evaluation).
inline constexpr double kTracyWidomQuantile1 = 3.2722;
inline constexpr double kTracyWidomQuantile2 = 1.3144;
// P(N(0, 1) > z) = 5e-4.
inline constexpr double kGaussianQuantile = 3.29;

// q_beta: kTracyWidomQuantile2 for beta = 2, else kTracyWidomQuantile1.
double tracyWidomQuantile(int beta);

// max(q_beta gamma n^(-2/3), 3.29 sdMean). Precondition: n >= 1 (std::invalid_argument
// otherwise); gamma, sdMean >= 0 (a negative or NaN value counts as 0).
double outlierWindow(double gamma, int n, int beta, double sdMean = 0.0);

// Computed eigenvalues are accurate to about kWindowAccuracy times the spectrum's radius (dense
// LAPACK: a small multiple of N eps ||H||, N up to ~10^4; the banded bisection: 1e-13 of its
// scale), not better: a window narrower than that would let an eigenvalue fall out of its own
// interval (sigma = 1e-14 against spikes at +-1: every spike "unexplained"). setClaims raises
// every window to at least kWindowAccuracy * max(|a_first|, |b_last|).
inline constexpr double kWindowAccuracy = 1e-11;

// Sets claimLo/claimHi of every interval from a, b and the edge windows (lo.window, hi.window;
// first raised to the accuracy floor above), support ascending and disjoint: the outermost
// intervals claim a full window outwards; in a gap between b_k and a_{k+1} the split is where (x -
// b_k)/w_k = (a_{k+1} - x)/w_{k+1}, and each side claims up to the nearer of its window's end and
// the split (the split itself goes left).
void setClaims(std::vector<SupportInterval>& support);

// The rectangular model's window, fixed at three Tracy-Widom widths: 3 * scale * shape *
// n^(-2/3), evaluated in that order (rectangular.h: scale = sigma/2, shape =
// (1 + c^(-1/2))^(1/3), singular-value units). Precondition: n >= 1 (std::invalid_argument).
inline constexpr double kOutlierWindowWidths = 3.0;
double edgeWindow(double scale, int n, double shape = 1.0);

} // namespace ws::core
