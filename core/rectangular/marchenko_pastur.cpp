// Marchenko-Pastur law of the squared singular values (formulas in marchenko_pastur.h).

#include "core/rectangular/marchenko_pastur.h"

#include "core/model/families.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>

namespace ws::core {
namespace {

// The law in the y <= 1 form of the header: lambda = v x, x ~ MP(ratio y, variance 1).
struct Unit
{
    double y, v, sy; // ratio, scale, sqrt(y)
};

Unit unitOf(const MarchenkoPastur& mp)
{
    mp.validate();
    const double y = mp.c <= 1.0 ? mp.c : 1.0 / mp.c;
    return {y, mp.sigma * mp.sigma * std::max(1.0, mp.c), std::sqrt(y)};
}

// lambda / v at angle phi: 1 + y - 2 sqrt(y) cos phi, written without cancellation at phi ~ 0.
double xOfPhi(const Unit& u, double phi)
{
    const double d = 1.0 - u.sy;
    const double h = std::sin(0.5 * phi);
    return d * d + 4.0 * u.sy * h * h;
}

// (2/pi) int_0^phi sin^2 t / (1 + y -+ 2 sqrt(y) cos t) dt in closed form (header), for the sign
// `minus` = true (F itself) or false (the upper tail 1 - F(pi - phi), substituting t -> pi - t).
double closedForm(const Unit& u, double phi, bool minus)
{
    const double sb = minus ? u.sy : -u.sy;
    const double t = std::atan2(std::abs(1.0 + sb) * std::sin(0.5 * phi),
                                std::abs(1.0 - sb) * std::cos(0.5 * phi));
    return ((1.0 + u.y) * phi + 2.0 * sb * std::sin(phi) - 2.0 * std::abs(1.0 - u.y) * t) /
           (2.0 * std::numbers::pi * u.y);
}

// F as a function of phi in [0, pi], clamped to [0, 1]. Above pi/2 it is 1 minus the upper tail:
// near the upper edge the tail is small and computed with small absolute error, so F does not
// jitter by ulps of 1 there (it would with the lower-edge form).
double cdfOfPhi(const Unit& u, double phi)
{
    const double f = phi <= 0.5 * std::numbers::pi
                         ? closedForm(u, phi, true)
                         : 1.0 - closedForm(u, std::numbers::pi - phi, false);
    return std::clamp(f, 0.0, 1.0);
}

} // namespace

void MarchenkoPastur::validate() const
{
    if (!std::isfinite(sigma) || sigma <= 0.0)
        throw InputError("Marchenko-Pastur: sigma must be a finite number > 0 (got " +
                         formatDouble(sigma) + ")");
    if (!std::isfinite(c) || c <= 0.0)
        throw InputError("Marchenko-Pastur: c = M/N must be a finite number > 0 (got " +
                         formatDouble(c) + ")");
}

double MarchenkoPastur::lowerEdge() const
{
    validate();
    const double d = 1.0 - std::sqrt(c);
    return sigma * sigma * d * d;
}

double MarchenkoPastur::upperEdge() const
{
    validate();
    const double d = 1.0 + std::sqrt(c);
    return sigma * sigma * d * d;
}

double MarchenkoPastur::density(double lambda) const
{
    const double a = lowerEdge(), b = upperEdge();
    if (std::isnan(lambda) || lambda <= a || lambda >= b) {
        if (lambda == 0.0 && a == 0.0)
            return std::numeric_limits<double>::infinity(); // c = 1: lambda^(-1/2) at 0
        return 0.0;
    }
    return std::sqrt((b - lambda) * (lambda - a)) /
           (2.0 * std::numbers::pi * sigma * sigma * std::min(1.0, c) * lambda);
}

double MarchenkoPastur::cdf(double lambda) const
{
    const Unit u = unitOf(*this);
    if (std::isnan(lambda))
        throw InputError("Marchenko-Pastur cdf: lambda is NaN");
    const double x = lambda / u.v;
    const double a = (1.0 - u.sy) * (1.0 - u.sy), b = (1.0 + u.sy) * (1.0 + u.sy);
    if (x <= a)
        return 0.0;
    if (x >= b)
        return 1.0;
    const double phi = 2.0 * std::atan2(std::sqrt(x - a), std::sqrt(b - x));
    return cdfOfPhi(u, phi);
}

double MarchenkoPastur::quantile(double p) const
{
    const Unit u = unitOf(*this);
    if (!(p >= 0.0 && p <= 1.0))
        throw InputError("Marchenko-Pastur quantile: p must be in [0, 1] (got " + formatDouble(p) +
                         ")");
    if (p == 0.0)
        return lowerEdge();
    if (p == 1.0)
        return upperEdge();
    // F is increasing in phi; bisect until the bracket stops shrinking (full precision).
    double lo = 0.0, hi = std::numbers::pi;
    for (int it = 0; it < 200; ++it) {
        const double mid = 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi)
            break;
        (cdfOfPhi(u, mid) < p ? lo : hi) = mid;
    }
    return u.v * xOfPhi(u, 0.5 * (lo + hi));
}

double MarchenkoPastur::singularDensity(double s) const
{
    validate();
    if (std::isnan(s) || s <= 0.0)
        return s == 0.0 && c == 1.0 ? 2.0 / (std::numbers::pi * sigma) : 0.0; // quarter circle
    return 2.0 * s * density(s * s);
}

double MarchenkoPastur::singularQuantile(double p) const
{
    return std::sqrt(quantile(p));
}

} // namespace ws::core
