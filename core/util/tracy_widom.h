#pragma once
// The Tracy-Widom distribution of the largest eigenvalue of real (beta = 1) Gaussian matrices:
// its distribution function, upper tail and quantiles, for thresholds stated as a false-detection
// rate (core/weights/weights_analysis.h, docs/pruning.md).
//
// F1(s) = det(I - K_s) on L^2(0, inf), K_s(x, y) = Ai((x + y)/2 + s) / 2 (Ferrari-Spohn;
// evaluated as in Bornemann, "On the numerical evaluation of distributions in random matrix
// theory", Markov Processes Relat. Fields 16 (2010)): a Nystrom discretization of the operator by
// Gauss-Legendre quadrature on [0, L], L = 2 max(12 - s, 12) (beyond it the kernel is below 1e-13),
// with 64 nodes (128 below s = -4, where Ai oscillates); the determinant by LU. Agrees with 96
// and 128 nodes to 1e-15 in F1 on [-6, 16]; reproduces the published quantiles F1(-3.8954) =
// 0.01, F1(0.9793) = 0.95, F1(2.0234) = 0.99, the mean -1.2065 and sd 1.2680.
//
// Pure functions, thread-safe; the direct evaluations allocate a 64 x 64 (128 x 128) matrix, the
// table is a function-local static.

namespace ws::core {

// Mean and standard deviation of TW1 (real noise) and TW2 (complex noise), for the fluctuation
// bands of a bulk edge (docs/model.md#edges-and-windows: E + gamma N^(-2/3) TW_beta).
inline constexpr double kTracyWidomMean1 = -1.2065, kTracyWidomSd1 = 1.2680;
inline constexpr double kTracyWidomMean2 = -1.7711, kTracyWidomSd2 = 0.9018;

// F1(s) = P(TW1 <= s). 0 below s = -6 (F1(-6) = 2.7e-6; the discretized determinant loses its
// relative accuracy further left), 1 beyond 16 (1 - F1 < 1e-25 there). NaN gives NaN. ~2 ms.
double tracyWidom1Cdf(double s);

// P(TW1 > s) = 1 - F1(s), computed without the cancellation of 1 - F1 for large s
// (log det(I - K) = sum log1p(-lambda_i) over the discretized kernel's eigenvalues, then -expm1):
// relative accuracy ~1e-9 down to tails of 1e-30. ~1 ms.
double tracyWidom1Tail(double s);

// P(TW1 + Z > t) with Z ~ N(mean, sd^2) independent of TW1: the tail of a Tracy-Widom statistic
// whose centring is itself uncertain (an estimated noise level, weights_analysis.h). From a
// Chebyshev table of log P(TW1 > s) on [-6, 14] (96 nodes, built once on first use, ~0.1 s;
// agrees with tracyWidom1Tail to ~1e-9 relative), the right-tail asymptotics
// log(1 - F1) = -2/3 s^(3/2) - 3/4 log s + const beyond, and the trapezoid rule over Z.
// std::invalid_argument for NaN t, non-finite mean, or sd not finite and >= 0. sd = 0 gives
// P(TW1 > t - mean).
double tracyWidom1TailWithGaussian(double t, double mean, double sd);

// The t with P(TW1 + Z > t) = rate, Z ~ N(mean, sd^2) (tracyWidom1TailWithGaussian), for rate
// in [1e-12, 0.99], mean finite, sd in [0, 100] (std::invalid_argument otherwise, and for NaN):
// the upper quantile used as a threshold with a stated false-detection rate. By bisection on the
// log tail to 1e-10 in t (~1 ms after the table is built). Examples (mean = sd = 0): rate 0.05 ->
// 0.9793, 0.01 -> 2.0234, 0.001 -> 3.2722, 1e-6 -> 6.2564.
double tracyWidom1UpperQuantile(double rate, double mean = 0.0, double sd = 0.0);

} // namespace ws::core
