#pragma once
// Helpers shared by the theory tests (tst_theory, tst_predictions, tst_components): value lists,
// models, a component's points, quadrature moments of mu_N, finiteness checks.
// TBB before any Qt header (Qt's emit macro clashes with oneTBB).
#include <tbb/task_arena.h>

#include "support/core_models.h"
#include "support/trapezoid.h"
#include "core/model/families.h"
#include "core/theory/theory.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <utility>
#include <vector>

namespace theorytest {

using namespace ws::core;

inline std::vector<double> evenly(int n, double a, double b)
{
    std::vector<double> v;
    for (int i = 0; i < n; ++i)
        v.push_back(a + (b - a) * (i + 0.5) / n);
    return v;
}

inline std::vector<double> concat(std::vector<double> a, const std::vector<double>& b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// Index range of the curve points of support component k (its edges included).
inline std::pair<std::size_t, std::size_t> componentPoints(const DeterministicEquivalent& de,
                                                           std::size_t k)
{
    return testsupport::pointsIn(de.density, de.support[k].a, de.support[k].b);
}

inline double F0(const std::vector<Atom>& atoms, double u) // sum w/(u-s)^2
{
    double f = 0.0;
    for (const Atom& a : atoms)
        f += a.weight / ((u - a.value) * (u - a.value));
    return f;
}

inline Model model(int n, double sigma, const char* spikes, const char* bulk, double alpha = 0.0)
{
    return Model{testsupport::families(sigma, "gaussian", spikes, bulk, alpha), n};
}

// Mass and mean of mu_N over one support component [a, b], by Gauss-Chebyshev quadrature of
// the second kind on n nodes (x = c + h cos(theta_i)): int_a^b f dx = h int f(c + h y) dy with
// f = sqrt(1 - y^2) * (smooth) at the square-root edges, so the rule converges geometrically;
// the error of the n-node rule is then far below its difference from the n/2-node rule, which
// is returned as the error estimate. Density values from deterministicEquivalentDensity.
struct Moments
{
    double mass = 0.0, mean = 0.0, var = 0.0;
    double massErr = 0.0, meanErr = 0.0, varErr = 0.0; // |Q_n - Q_{n/2}|
};
inline Moments componentMoments(const std::vector<Atom>& atoms, double sigma, double a, double b,
                                int n)
{
    const double c = 0.5 * (a + b), h = 0.5 * (b - a);
    auto rule = [&](int nodes, double* mass, double* first, double* second) {
        *mass = *first = *second = 0.0;
        for (int i = 1; i <= nodes; ++i) {
            const double th = std::numbers::pi * i / (nodes + 1);
            const double y = std::cos(th);
            const double wgt = std::numbers::pi / (nodes + 1) * std::sin(th) * h;
            const double rho = deterministicEquivalentDensity(atoms, sigma, c + h * y);
            *mass += wgt * rho;
            *first += wgt * rho * h * y; // moments about the centre c: no cancellation
            *second += wgt * rho * h * y * h * y;
        }
    };
    double m1 = 0.0, f1 = 0.0, s1 = 0.0, m2 = 0.0, f2 = 0.0, s2 = 0.0;
    rule(n, &m1, &f1, &s1);
    rule(n / 2, &m2, &f2, &s2);
    Moments r;
    r.mass = m1;
    r.mean = c + f1 / m1;
    r.var = s1 / m1 - (f1 / m1) * (f1 / m1);
    r.massErr = std::abs(m1 - m2);
    r.meanErr = std::abs(f1 / m1 - f2 / m2);
    r.varErr = std::abs(r.var - (s2 / m2 - (f2 / m2) * (f2 / m2)));
    return r;
}

inline bool finiteCurve(const Curve& c)
{
    for (std::size_t i = 0; i < c.x.size(); ++i)
        if (!std::isfinite(c.x[i]) || !std::isfinite(c.y[i]) || c.y[i] < 0.0)
            return false;
    return std::is_sorted(c.x.begin(), c.x.end());
}

// Every number of a Theory is finite, the support is ordered and each prediction is finite.
inline void checkFinite(const Theory& th)
{
    QVERIFY(finiteCurve(th.semicircle));
    QVERIFY(finiteCurve(th.equivalent.density));
    double mass = 0.0;
    for (std::size_t k = 0; k < th.equivalent.support.size(); ++k) {
        const auto& iv = th.equivalent.support[k];
        QVERIFY(std::isfinite(iv.a) && std::isfinite(iv.b) && iv.a <= iv.b);
        QVERIFY(k == 0 || th.equivalent.support[k - 1].b <= iv.a);
        QVERIFY(std::isfinite(iv.claimLo) && std::isfinite(iv.claimHi));
        QVERIFY(iv.claimLo <= iv.a && iv.b <= iv.claimHi);
        QVERIFY(iv.lo.gamma > 0.0 && std::isfinite(iv.lo.gamma) && iv.hi.gamma > 0.0 &&
                std::isfinite(iv.hi.gamma));
        QVERIFY(std::isfinite(iv.lo.window) && std::isfinite(iv.hi.window));
        for (const auto& v : {iv.centre, iv.spread, iv.sdMean, iv.overlapGroup})
            QVERIFY(!v || std::isfinite(*v));
        mass += iv.mass;
    }
    QVERIFY(std::abs(mass - 1.0) < 1e-12);
    for (const auto& p : th.outliers)
        for (const auto& v :
             {p.finiteRank, p.largeRank, p.overlapFiniteRank, p.overlapLargeRank, p.sd})
            QVERIFY(!v || std::isfinite(*v));
}

} // namespace theorytest
