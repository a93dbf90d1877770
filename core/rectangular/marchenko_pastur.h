#pragma once
// Marchenko-Pastur law of the rectangular noise, in the project's rectangular
// convention:
//
//   W is N x M (N = rows, M = cols), W = (sigma/sqrt(N)) X + S, X iid mean 0, variance 1,
//   c = M/N.
//
// For S = 0, W^T W = (sigma^2/N) X^T X is an M x M Wishart matrix with N degrees of freedom scaled
// by 1/N. Its eigenvalues lambda = s^2 (the squared singular values s of W) follow, as N -> inf
// with c fixed, the Marchenko-Pastur law with ratio c and variance sigma^2, on
//
//   lambda in sigma^2 [(1 - sqrt c)^2, (1 + sqrt c)^2],   s in sigma [|1 - sqrt c|, 1 + sqrt c].
//
// For c > 1, M - N of the eigenvalues of W^T W are exactly zero; the N nonzero ones are those of
// W W^T = c sigma^2 (X X^T / M), i.e. Marchenko-Pastur with ratio 1/c and variance c sigma^2 --
// the same support. This struct describes the law of the min(N, M) NONZERO lambda (no atom at
// 0): with y = min(c, 1/c) <= 1 and scale v = sigma^2 max(1, c) (so that y v = sigma^2 min(1, c)),
//
//   density(lambda) = sqrt((b - lambda)(lambda - a)) / (2 pi sigma^2 min(1, c) lambda), a<lambda<b
//   a = v (1 - sqrt y)^2 = sigma^2 (1 - sqrt c)^2,  b = v (1 + sqrt y)^2 = sigma^2 (1 + sqrt c)^2.
//
// CDF, closed form (derived with lambda = v (1 + y - 2 sqrt(y) cos phi), phi in [0, pi]):
//
//   F = [ (1 + y) phi + 2 sqrt(y) sin phi - 2 |1 - y| atan2((1 + sqrt y) sin(phi/2),
//                                                          |1 - sqrt y| cos(phi/2)) ] / (2 pi y)
//
// with phi = 2 atan2(sqrt(lambda/v - a/v), sqrt(b/v - lambda/v)) (accurate at both edges).
// Absolute error of F: a few ulps times 1/y (the three terms cancel to O(phi^3) near the lower
// edge and for y -> 0); relative accuracy of tail probabilities below ~1e-12 is not claimed.
// The quantile inverts F by bisection in phi to full double precision, so it is monotone.
//
// Units: s is a singular value of W (same unit as W's entries), lambda = s^2 its square.
// Preconditions (checked by every member, InputError naming the field otherwise): sigma > 0 and
// c > 0, both finite.

namespace ws::core {

struct MarchenkoPastur
{
    double sigma = 1.0; // noise level: entries of W have standard deviation sigma / sqrt(N)
    double c = 1.0;     // aspect ratio M / N (cols / rows)

    // Edges of the squared singular values lambda: sigma^2 (1 -+ sqrt c)^2.
    double lowerEdge() const;
    double upperEdge() const;
    // Density of the nonzero lambda (integrates to 1 over [lowerEdge, upperEdge]); 0 outside.
    // For c = 1 it diverges like lambda^(-1/2) at 0 (integrable); density(0) returns +inf then.
    double density(double lambda) const;
    // P(lambda' <= lambda) for the nonzero lambda', in [0, 1], non-decreasing.
    double cdf(double lambda) const;
    // Inverse of cdf: the lambda with cdf(lambda) = p, p in [0, 1] (InputError otherwise);
    // quantile(0) = lowerEdge(), quantile(1) = upperEdge(); non-decreasing in p.
    double quantile(double p) const;
    // Density of the nonzero singular values s = sqrt(lambda): 2 s density(s^2).
    double singularDensity(double s) const;
    // Quantile of s: sqrt(quantile(p)).
    double singularQuantile(double p) const;

    // Throws InputError unless sigma > 0 and c > 0 are finite.
    void validate() const;
};

} // namespace ws::core
