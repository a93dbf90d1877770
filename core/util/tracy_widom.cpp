// Tracy-Widom (beta = 1) distribution by Bornemann's Fredholm-determinant method
// (tracy_widom.h).
#include "core/util/tracy_widom.h"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <vector>

namespace ws::core {
namespace {

// Enough nodes for ~1e-15 where the kernel is smooth (s >= -4); more where Ai oscillates.
constexpr int kNodes = 64, kNodesFar = 128;
// The log-tail table: Chebyshev interpolation on [kTableLo, kTableHi].
constexpr double kTableLo = -6.0, kTableHi = 14.0;
constexpr int kTableNodes = 96;

// Ai(x): the Maclaurin series (Abramowitz & Stegun 10.4.2) up to x = 2, where it loses at most
// ~3 digits to cancellation; beyond, Ai(x) = sqrt(x/3) K_{1/3}(2/3 x^(3/2)) / pi (A&S 10.4.14).
double airyAi(double x)
{
    if (x > 2.0) {
        const double zeta = 2.0 / 3.0 * x * std::sqrt(x);
        if (zeta > 700.0)
            return 0.0;
        return std::sqrt(x / 3.0) * std::cyl_bessel_k(1.0 / 3.0, zeta) / std::numbers::pi;
    }
    constexpr double c1 = 0.355028053887817239260, c2 = 0.258819403792806798405;
    const double x3 = x * x * x;
    double f = 1.0, g = x, tf = 1.0, tg = x;
    for (int k = 0; k < 200; ++k) {
        tf *= x3 / ((3.0 * k + 2.0) * (3.0 * k + 3.0));
        tg *= x3 / ((3.0 * k + 3.0) * (3.0 * k + 4.0));
        f += tf;
        g += tg;
        if (std::abs(tf) + std::abs(tg) < 1e-18 * (std::abs(f) + std::abs(g)))
            break;
    }
    return c1 * f - c2 * g;
}

struct Quadrature
{
    std::vector<double> x, w; // Gauss-Legendre nodes and weights on [-1, 1]
};

// Nodes by Newton's method on the Legendre polynomial P_n (standard initial guesses).
Quadrature gaussLegendre(int n)
{
    Quadrature q;
    q.x.resize(static_cast<std::size_t>(n));
    q.w.resize(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        double z = std::cos(std::numbers::pi * (i + 0.75) / (n + 0.5));
        double dp = 1.0;
        for (int it = 0; it < 100; ++it) {
            double p0 = 1.0, p1 = z;
            for (int k = 2; k <= n; ++k) {
                const double p2 = ((2.0 * k - 1.0) * z * p1 - (k - 1.0) * p0) / k;
                p0 = p1;
                p1 = p2;
            }
            dp = n * (z * p1 - p0) / (z * z - 1.0);
            const double dz = p1 / dp;
            z -= dz;
            if (std::abs(dz) < 1e-16)
                break;
        }
        q.x[static_cast<std::size_t>(i)] = z;
        q.w[static_cast<std::size_t>(i)] = 2.0 / ((1.0 - z * z) * dp * dp);
    }
    return q;
}

const Quadrature& nodes(double s)
{
    static const Quadrature q = gaussLegendre(kNodes), far = gaussLegendre(kNodesFar);
    return s >= -4.0 ? q : far; // statics: thread-safe initialization
}

// log F1(s) = log det(I - K_s) = sum log1p(-lambda_i) over the eigenvalues of the symmetric
// discretized kernel: each small eigenvalue keeps its relative accuracy, so the tail
// 1 - F1 ~ lambda_1 does too, far below 1e-16.
double logCdf(double s)
{
    const Quadrature& q = nodes(s);
    const double length = 2.0 * std::max(12.0 - s, 12.0);
    const auto n = static_cast<Eigen::Index>(q.x.size());
    Eigen::VectorXd x(n), sw(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        x[i] = 0.5 * length * (q.x[static_cast<std::size_t>(i)] + 1.0);
        sw[i] = std::sqrt(0.5 * length * q.w[static_cast<std::size_t>(i)]);
    }
    Eigen::MatrixXd k(n, n);
    for (Eigen::Index j = 0; j < n; ++j)
        for (Eigen::Index i = j; i < n; ++i)
            k(i, j) = k(j, i) = sw[i] * 0.5 * airyAi(0.5 * (x[i] + x[j]) + s) * sw[j];
    const Eigen::VectorXd lambda =
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(k, Eigen::EigenvaluesOnly).eigenvalues();
    double sum = 0.0;
    for (Eigen::Index i = 0; i < n; ++i) {
        if (lambda[i] >= 1.0) // F1 below what the discretization resolves (far left)
            return -std::numeric_limits<double>::infinity();
        sum += std::log1p(-lambda[i]);
    }
    return sum;
}

double logTailDirect(double s)
{
    return std::log(-std::expm1(logCdf(s)));
}

// Chebyshev interpolant of log P(TW1 > s) on the table interval, built once (~0.1 s).
struct LogTailTable
{
    std::vector<double> coef;
    LogTailTable() : coef(static_cast<std::size_t>(kTableNodes))
    {
        const int n = kTableNodes;
        std::vector<double> v(static_cast<std::size_t>(n));
        for (int k = 0; k < n; ++k) {
            const double t = std::cos(std::numbers::pi * (k + 0.5) / n);
            v[static_cast<std::size_t>(k)] =
                logTailDirect(0.5 * (kTableLo + kTableHi) + 0.5 * (kTableHi - kTableLo) * t);
        }
        for (int j = 0; j < n; ++j) {
            double c = 0.0;
            for (int k = 0; k < n; ++k)
                c +=
                    v[static_cast<std::size_t>(k)] * std::cos(std::numbers::pi * j * (k + 0.5) / n);
            coef[static_cast<std::size_t>(j)] = (j == 0 ? 1.0 : 2.0) * c / n;
        }
    }
    double operator()(double s) const // Clenshaw
    {
        const double t = (2.0 * s - kTableLo - kTableHi) / (kTableHi - kTableLo);
        double b1 = 0.0, b2 = 0.0;
        for (std::size_t j = coef.size() - 1; j >= 1; --j) {
            const double b0 = 2.0 * t * b1 - b2 + coef[j];
            b2 = b1;
            b1 = b0;
        }
        return t * b1 - b2 + coef[0];
    }
};

const LogTailTable& table()
{
    static const LogTailTable t; // thread-safe initialization
    return t;
}

// log P(TW1 > s) from the table; beyond it the right-tail asymptotics
// 1 - F1(s) ~ C s^(-3/4) exp(-2/3 s^(3/2)) (Baik, Buckingham & DiFranco 2008) matched at its end.
double logTail(double s)
{
    if (s <= kTableLo)
        return 0.0; // log(1 - 2.7e-6) and less: 0 to the accuracy anything here needs
    if (s <= kTableHi)
        return std::min(table()(s), 0.0);
    return table()(kTableHi) - 2.0 / 3.0 * (s * std::sqrt(s) - kTableHi * std::sqrt(kTableHi)) -
           0.75 * std::log(s / kTableHi);
}

} // namespace

double tracyWidom1Cdf(double s)
{
    if (std::isnan(s))
        return s;
    if (s < -6.0)
        return 0.0;
    if (s > 16.0)
        return 1.0;
    return std::exp(logCdf(s));
}

double tracyWidom1Tail(double s)
{
    if (std::isnan(s))
        return s;
    if (s < -6.0)
        return 1.0;
    return -std::expm1(logCdf(s));
}

double tracyWidom1TailWithGaussian(double t, double mean, double sd)
{
    if (std::isnan(t) || !std::isfinite(mean) || !(sd >= 0.0) || !std::isfinite(sd))
        throw std::invalid_argument("Tracy-Widom tail: t must not be NaN, mean and sd finite, "
                                    "sd >= 0");
    if (sd == 0.0)
        return std::exp(logTail(t - mean));
    // E[tail(t - Z)], Z ~ N(mean, sd^2): the trapezoid rule on +-10 sd, spectrally accurate for
    // the Gaussian weight.
    constexpr int kSteps = 400;
    const double h = 20.0 / kSteps;
    double sum = 0.0, weights = 0.0;
    for (int i = 0; i <= kSteps; ++i) {
        const double z = -10.0 + i * h;
        const double w = std::exp(-0.5 * z * z);
        sum += w * std::exp(logTail(t - mean - sd * z));
        weights += w;
    }
    return std::min(1.0, sum / weights);
}

double tracyWidom1UpperQuantile(double rate, double mean, double sd)
{
    if (!(rate >= 1e-12 && rate <= 0.99))
        throw std::invalid_argument("Tracy-Widom quantile: the rate must be in [1e-12, 0.99]");
    if (!std::isfinite(mean) || !(sd >= 0.0) || !std::isfinite(sd) || sd > 100.0)
        throw std::invalid_argument("Tracy-Widom quantile: mean must be finite, sd in [0, 100]");
    // tail(lo) > rate > tail(hi); the log of the tail is monotone, so bisect on it.
    double lo = mean - 6.0 - 12.0 * sd, hi = mean + 16.0 + 12.0 * sd;
    const double target = std::log(rate);
    for (int it = 0; it < 200 && hi - lo > 1e-10; ++it) {
        const double mid = 0.5 * (lo + hi);
        (std::log(tracyWidom1TailWithGaussian(mid, mean, sd)) > target ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

} // namespace ws::core
