// Theory of the rectangular model: Marchenko-Pastur, the information-plus-noise deterministic
// equivalent (checked against an independent solver of its equation off the real axis), the
// masses of the support components, the finite-rank (BBP) and large-rank outlier formulas.
// TBB before any Qt header (Qt's emit macro clashes with oneTBB).
#include <tbb/task_arena.h>

#include "support/core_models.h"
#include "support/trapezoid.h"
#include "core/model/families.h"
#include "core/rectangular/rectangular.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <utility>
#include <vector>

using namespace ws::core;
using cplx = std::complex<double>;

using testsupport::Integral;
using testsupport::trapezoid;

namespace {

RectModel model(int n, int m, double sigma, const char* spikes, const char* bulk,
                double alpha = 0.0)
{
    return RectModel{testsupport::families(sigma, "gaussian", spikes, bulk, alpha), n, m};
}

// Independent solver of the deterministic equivalent at z = x + i eta (eta > 0): Newton on
// psi(w) = z in the complex plane, continued from eta = 4 (where w ~ z) down to the target, in
// the canonical form. Returns m(z) = G(w)/h(w), whose imaginary part / pi is the density
// smoothed at scale eta.
cplx stieltjes(const std::vector<Atom>& atoms, double sigmaE, double cE, double x, double eta)
{
    const double s2 = sigmaE * sigmaE, kappa = s2 * (cE - 1.0);
    cplx w(x, 4.0);
    auto newton = [&](cplx z) {
        for (int it = 0; it < 200; ++it) {
            cplx g = 0.0, f = 0.0;
            for (const Atom& a : atoms) {
                const cplx d = a.value - w;
                g += a.weight / d;
                f += a.weight / (d * d);
            }
            const cplx h = 1.0 - s2 * g;
            const cplx psi = w * h * h + kappa * h;
            const cplx dpsi = h * h - s2 * f * (2.0 * w * h + kappa);
            const cplx step = (psi - z) / dpsi;
            w -= step;
            if (w.imag() <= 0.0)
                w = cplx(w.real(), 1e-12);
            if (std::abs(step) < 1e-14 * (1.0 + std::abs(w)))
                break;
        }
    };
    for (double e = 4.0; e > eta; e *= 0.7)
        newton(cplx(x, e));
    newton(cplx(x, eta));
    cplx g = 0.0;
    for (const Atom& a : atoms)
        g += a.weight / (a.value - w);
    return g / (1.0 - s2 * g);
}

std::vector<Atom> squared(const std::vector<double>& s)
{
    std::vector<double> l;
    for (double v : s)
        l.push_back(v * v);
    return groupAtoms(l);
}

// The current row of componentMassesAndIntegrals_data: the atoms of the squared singular values,
// the parameters, the expected number of support components, and the deterministic equivalent
// computed on `points` grid points.
struct EquivalentCase
{
    std::vector<Atom> atoms;
    double sigmaE, cE;
    int components;
    RectEquivalent de;
};
EquivalentCase fetchEquivalentCase(int points)
{
    QFETCH(std::vector<double>, s);
    QFETCH(double, sigmaE);
    QFETCH(double, cE);
    QFETCH(int, components);
    auto atoms = squared(s);
    RectEquivalent de = rectDeterministicEquivalent(atoms, sigmaE, cE, points);
    return {std::move(atoms), sigmaE, cE, components, std::move(de)};
}

std::vector<double> concat(std::vector<double> a, const std::vector<double>& b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

std::vector<double> evenly(int n, double a, double b)
{
    std::vector<double> v;
    for (int i = 0; i < n; ++i)
        v.push_back(a + (b - a) * (i + 0.5) / n);
    return v;
}

// Gauss-Chebyshev (second kind) mass and mean of x over [a, b] from the point density, with
// the difference to the half-size rule as error estimate (as tst_theory).
struct Moments
{
    double mass = 0.0, mean = 0.0, massErr = 0.0, meanErr = 0.0;
};
Moments moments(const std::vector<Atom>& atoms, double sigmaE, double cE, double a, double b, int n)
{
    const double c = 0.5 * (a + b), h = 0.5 * (b - a);
    auto rule = [&](int nodes, double* mass, double* first) {
        *mass = *first = 0.0;
        for (int i = 1; i <= nodes; ++i) {
            const double th = std::numbers::pi * i / (nodes + 1);
            const double y = std::cos(th);
            const double wgt = std::numbers::pi / (nodes + 1) * std::sin(th) * h;
            const double rho = rectEquivalentDensitySquared(atoms, sigmaE, cE, c + h * y);
            *mass += wgt * rho;
            *first += wgt * rho * h * y;
        }
    };
    double m1 = 0, f1 = 0, m2 = 0, f2 = 0;
    rule(n, &m1, &f1);
    rule(n / 2, &m2, &f2);
    return {m1, c + f1 / m1, std::abs(m1 - m2), std::abs(f1 / m1 - f2 / m2)};
}

} // namespace

class TestRectTheory : public QObject
{
    Q_OBJECT
private slots:
    void mpEdgesAndMass_data();
    void mpEdgesAndMass();
    void zeroSignalGivesMarchenkoPastur_data();
    void zeroSignalGivesMarchenkoPastur();
    void componentMassesAndIntegrals_data();
    void componentMassesAndIntegrals();
    void densityMatchesIndependentSolver_data();
    void densityMatchesIndependentSolver();
    void bbpFormulas();
    void thresholdFlips_data();
    void thresholdFlips();
    void largeRankIsTheComponentMean();
    void spikeInsideTheBulkHasNoOutlier();
    void transposeSymmetry();
    void sameResultForAnyThreadCount();
    void invalidInput();
};

void TestRectTheory::mpEdgesAndMass_data()
{
    QTest::addColumn<double>("c");
    QTest::newRow("c=0.5") << 0.5;
    QTest::newRow("c=1") << 1.0;
    QTest::newRow("c=2") << 2.0;
    QTest::newRow("c=7") << 7.0;
}

void TestRectTheory::mpEdgesAndMass()
{
    QFETCH(double, c);
    const double sigma = 1.3;
    const MpEdges e = mpEdgesSquared(sigma, c);
    QVERIFY(std::abs(e.lo - sigma * sigma * std::pow(1 - std::sqrt(c), 2)) < 1e-12);
    QVERIFY(std::abs(e.hi - sigma * sigma * std::pow(1 + std::sqrt(c), 2)) < 1e-12);
    const MpEdges y = mpEdgesSingular(sigma, c);
    QVERIFY(std::abs(y.lo * y.lo - e.lo) < 1e-12 && std::abs(y.hi * y.hi - e.hi) < 1e-12);
    QCOMPARE(mpCdfSquared(sigma, c, e.lo), 0.0);
    QCOMPARE(mpCdfSquared(sigma, c, e.hi), 1.0);
    QVERIFY(std::abs(mpCdfSquared(sigma, c, e.hi * (1 - 1e-9)) - 1.0) < 1e-6);
    // The CDF is the integral of the density: Simpson on a fine grid inside the support.
    const double a = e.lo + 0.1 * (e.hi - e.lo), b = e.lo + 0.7 * (e.hi - e.lo);
    const int n = 2000;
    double acc = 0.0;
    for (int i = 0; i <= n; ++i) {
        const double w = (i == 0 || i == n) ? 1.0 : (i % 2 ? 4.0 : 2.0);
        acc += w * mpDensitySquared(sigma, c, a + (b - a) * i / n);
    }
    acc *= (b - a) / n / 3.0;
    QVERIFY2(std::abs(acc - (mpCdfSquared(sigma, c, b) - mpCdfSquared(sigma, c, a))) < 1e-8,
             qPrintable(QString::number(acc)));
    // Singular-value density: the same mass through y = sqrt(x).
    QVERIFY(std::abs(mpDensitySingular(sigma, c, 1.7) -
                     2 * 1.7 * mpDensitySquared(sigma, c, 2.89)) < 1e-14);
}

void TestRectTheory::zeroSignalGivesMarchenkoPastur_data()
{
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("m");
    QTest::newRow("c=0.5") << 800 << 400;
    QTest::newRow("c=1") << 500 << 500;
    QTest::newRow("c=2") << 400 << 800;
}

void TestRectTheory::zeroSignalGivesMarchenkoPastur()
{
    QFETCH(int, n);
    QFETCH(int, m);
    const RectModel mod = model(n, m, 0.8, "equal:0", "zero");
    const RectTheory th = computeRectTheory(mod, 801);
    QCOMPARE(th.equivalent.support.size(), std::size_t(1));
    const MpEdges e = mpEdgesSquared(0.8, mod.ratio());
    QVERIFY2(std::abs(th.equivalent.support[0].a - e.lo) < 1e-9,
             qPrintable(QString::number(th.equivalent.support[0].a)));
    QVERIFY(std::abs(th.equivalent.support[0].b - e.hi) < 1e-9);
    QCOMPARE(th.equivalent.support[0].mass, 1.0);
    const Curve& sq = th.equivalent.squared;
    double worst = 0.0;
    for (std::size_t i = 1; i + 1 < sq.x.size(); ++i)
        worst = std::max(worst, std::abs(sq.y[i] - mpDensitySquared(0.8, mod.ratio(), sq.x[i])) /
                                    (1.0 + sq.y[i]));
    QVERIFY2(worst < 1e-8, qPrintable(QString::number(worst)));
    const Curve& sv = th.equivalent.singular;
    for (std::size_t i = 1; i + 1 < sv.x.size(); ++i)
        QVERIFY(std::abs(sv.y[i] - mpDensitySingular(0.8, mod.ratio(), sv.x[i])) <
                1e-8 * (1.0 + sv.y[i]));
    if (n == m) // hard edge: the quarter circle is finite at 0, 2/(pi sigma)
        QVERIFY2(std::abs(sv.y[0] - 2.0 / (std::numbers::pi * 0.8)) < 0.01,
                 qPrintable(QString::number(sv.y[0])));
}

void TestRectTheory::componentMassesAndIntegrals_data()
{
    QTest::addColumn<std::vector<double>>("s");
    QTest::addColumn<double>("sigmaE");
    QTest::addColumn<double>("cE");
    QTest::addColumn<int>("components");
    QTest::newRow("spikes, c=2") << concat(std::vector<double>(97, 0.0), {2.0, 3.0, 5.0}) << 1.0
                                 << 2.0 << 4;
    QTest::newRow("two point, c=3")
        << concat(std::vector<double>(50, 0.7), std::vector<double>(50, 2.8)) << 0.7 << 3.0 << 2;
    QTest::newRow("two point near 0, c=1.2")
        << concat(std::vector<double>(30, 0.1), std::vector<double>(70, 2.0)) << 0.55 << 1.2 << 2;
    QTest::newRow("uniform, c=20") << evenly(300, 1.0, 2.0) << 0.55 << 20.0 << 1;
    QTest::newRow("uniform from 0, c=4") << evenly(300, 0.0, 2.0) << 0.45 << 4.0 << 1;
    QTest::newRow("c=1, half zero")
        << concat(std::vector<double>(50, 0.0), std::vector<double>(50, 3.0)) << 1.0 << 1.0 << 2;
    QTest::newRow("c=1, full rank")
        << concat(std::vector<double>(50, 2.0), std::vector<double>(50, 3.0)) << 0.75 << 1.0 << 1;
    // Just split: at c = 1 the symmetrized F_1 at u = 2.5 is 2.0206 vs 1/sigma^2 = 2.0408.
    QTest::newRow("c=1, just split")
        << concat(std::vector<double>(50, 2.0), std::vector<double>(50, 3.0)) << 0.7 << 1.0 << 2;
    QTest::newRow("many spike groups, c=1.5")
        << concat(std::vector<double>(900, 0.0),
                  concat(std::vector<double>(40, 4.0),
                         concat(std::vector<double>(30, 6.0), std::vector<double>(30, 9.0))))
        << 1.0 << 1.5 << 4;
}

void TestRectTheory::componentMassesAndIntegrals()
{
    const auto [atoms, sigmaE, cE, components, de] = fetchEquivalentCase(8000);
    QCOMPARE(de.support.size(), std::size_t(components));
    double total = 0.0;
    for (std::size_t k = 0; k < de.support.size(); ++k) {
        const auto& iv = de.support[k];
        total += iv.mass;
        QVERIFY(iv.a < iv.b);
        QVERIFY(k == 0 || de.support[k - 1].b < iv.a);
        // Biane-type count: the component holds exactly the atoms of its u-interval.
        double w = 0.0;
        for (std::size_t a = iv.firstAtom; a <= iv.lastAtom; ++a)
            w += atoms[a].weight;
        QVERIFY(std::abs(w - iv.mass) < 1e-12);
        const auto [from, to] = testsupport::pointsIn(de.squared, iv.a, iv.b);
        const Integral in = trapezoid(de.squared, from, to);
        // A hard edge at 0 (c = 1 with zero singular values) has f ~ x^(-1/2): the trapezoid
        // misses ~ 2 f(x_1) x_1 near it, allowed for by the grid bound on the first interval.
        const double extra = iv.a == 0.0 ? 2.0 * de.squared.y[from + 1] *
                                               (de.squared.x[from + 1] - de.squared.x[from])
                                         : 0.0;
        QVERIFY2(std::abs(in.value - iv.mass) <= in.bound + extra,
                 qPrintable(QString("component %1 [%2, %3]: integral %4 vs mass %5 (+- %6)")
                                .arg(k)
                                .arg(iv.a)
                                .arg(iv.b)
                                .arg(in.value)
                                .arg(iv.mass)
                                .arg(in.bound + extra)));
        // The singular-value curve carries the same mass.
        const auto [f2, t2] = testsupport::pointsIn(de.singular, std::sqrt(iv.a), std::sqrt(iv.b));
        const Integral in2 = trapezoid(de.singular, f2, t2);
        QVERIFY2(std::abs(in2.value - iv.mass) <= in2.bound,
                 qPrintable(QString("singular %1 vs %2").arg(in2.value).arg(iv.mass)));
    }
    QVERIFY(std::abs(total - 1.0) < 1e-12);
    for (double y : de.squared.y)
        QVERIFY(y >= 0.0 && std::isfinite(y));
    QVERIFY(std::is_sorted(de.squared.x.begin(), de.squared.x.end()));
}

void TestRectTheory::densityMatchesIndependentSolver_data()
{
    componentMassesAndIntegrals_data();
}

void TestRectTheory::densityMatchesIndependentSolver()
{
    // The curve points against Im m(x + i eta)/pi from complex Newton on psi(w) = z continued
    // down from eta = 4 (a different method): agreement up to the O(eta) smoothing.
    const auto [atoms, sigmaE, cE, components, de] = fetchEquivalentCase(300);
    QCOMPARE(de.support.size(), std::size_t(components));
    const double eta = 1e-9;
    int checked = 0;
    for (std::size_t i = 0; i < de.squared.x.size(); i += 7) {
        const double x = de.squared.x[i], y = de.squared.y[i];
        if (y == 0.0 || x <= 1e-6)
            continue;
        const double ref = stieltjes(atoms, sigmaE, cE, x, eta).imag() / std::numbers::pi;
        QVERIFY2(std::abs(ref - y) < 1e-6 * (1.0 + y),
                 qPrintable(QString("x = %1: curve %2, Newton %3").arg(x).arg(y).arg(ref)));
        // The point density (inversion along the curve) agrees too.
        const double pt = rectEquivalentDensitySquared(atoms, sigmaE, cE, x);
        QVERIFY2(std::abs(pt - y) < 1e-6 * (1.0 + y),
                 qPrintable(QString("x = %1: point %2, curve %3").arg(x).arg(pt).arg(y)));
        ++checked;
    }
    QVERIFY(checked > 10);
    // Between components (and beyond the edges) the density is 0 and so is Im m.
    for (std::size_t k = 0; k + 1 < de.support.size(); ++k) {
        const double x = 0.5 * (de.support[k].b + de.support[k + 1].a);
        QCOMPARE(rectEquivalentDensitySquared(atoms, sigmaE, cE, x), 0.0);
        QVERIFY(stieltjes(atoms, sigmaE, cE, x, eta).imag() < 1e-6);
    }
}

void TestRectTheory::bbpFormulas()
{
    // Rank one, zero bulk: finite-rank position sigma sqrt((1+t^2)(c+t^2))/t, and the large-rank
    // formula (other atoms: p - 1 zeros of weight 1/p) differs from it only by O(1/p).
    for (double c : {0.5, 1.0, 2.0}) {
        const int n = 600, m = static_cast<int>(600 * c);
        const RectModel mod = model(n, m, 1.5, "equal:4", "zero");
        const auto pr = predictRectOutliers(mod);
        QCOMPARE(pr.size(), std::size_t(1));
        const double t = 4.0 / 1.5;
        const double want = 1.5 * std::sqrt((1 + t * t) * (c + t * t)) / t;
        QVERIFY(pr[0].finiteRank && std::abs(*pr[0].finiteRank - want) < 1e-12);
        QVERIFY(pr[0].largeRank && std::abs(*pr[0].largeRank - want) < 5.0 / mod.minDim());
        QVERIFY(pr[0].overlapLeft &&
                std::abs(*pr[0].overlapLeft - (t * t * t * t - c) / (t * t * (t * t + 1))) < 1e-12);
        QVERIFY(pr[0].overlapRight &&
                std::abs(*pr[0].overlapRight - (t * t * t * t - c) / (t * t * (t * t + c))) <
                    1e-12);
        // Exactly: psi_-j(theta^2) with G = -(p-1)/(p theta^2) in the canonical form, +
        // sigma_e^2/p.
        const double ce = std::max(c, 1 / c), se2 = 2.25 * std::min(1.0, c);
        const double p = mod.minDim(), lam = 16.0 / se2;
        const double h = 1 + (p - 1) / (p * lam);
        const double x = se2 * (lam * h * h + (ce - 1) * h + 1 / p);
        QVERIFY(std::abs(*pr[0].largeRankSquared - x) < 1e-12 * x);
    }
    // At the threshold theta = sigma c^(1/4) the BBP position is the MP edge sigma (1 + sqrt c).
    const double c = 3.0, th = std::pow(c, 0.25);
    const double t2 = th * th;
    QVERIFY(std::abs(std::sqrt((1 + t2) * (c + t2)) / th - (1 + std::sqrt(c))) < 1e-12);
}

void TestRectTheory::thresholdFlips_data()
{
    QTest::addColumn<double>("c");
    QTest::newRow("c=0.5") << 0.5;
    QTest::newRow("c=2") << 2.0;
    QTest::newRow("c=6") << 6.0;
}

void TestRectTheory::thresholdFlips()
{
    // Zero bulk, rank one: separation < 1 iff theta^4 > sigma^4 c (p - r)/p-ish; at p = 2000
    // the O(1/p) shift is far inside +-2%.
    QFETCH(double, c);
    const double sigma = 0.9, thr = sigma * std::pow(c, 0.25);
    const int n = c >= 1 ? 2000 : static_cast<int>(2000 / c);
    const int m = static_cast<int>(std::lround(n * c));
    for (double f : {0.98, 1.02}) {
        const RectModel mod =
            model(n, m, sigma, qPrintable(QString("equal:%1").arg(f * thr, 0, 'g', 17)), "zero");
        const auto pr = predictRectOutliers(mod);
        QCOMPARE(pr[0].finiteRank.has_value(), f > 1.0);
        QCOMPARE(pr[0].separation<1.0, f> 1.0);
        QCOMPARE(pr[0].largeRank.has_value(), f > 1.0);
        const RectTheory th = computeRectTheory(mod, 200);
        if (f < 1.0)
            QVERIFY(th.outliers[0].inMainBulk);
    }
}

void TestRectTheory::largeRankIsTheComponentMean()
{
    // The large-rank value of a group is the mean of the squared singular values over its
    // component (quadrature of the point density), for groups of several sizes with a bulk.
    const RectModel mod = model(300, 750, 0.7, "list:3,3,3,3,3,3,4.5,4.5,6", "uniform:0.5,1.5");
    const RectTheory th = computeRectTheory(mod, 400);
    const auto atoms = squared(signalSingularValues(mod));
    const double sigmaE = 0.7, cE = 2.5;
    int checked = 0;
    for (const auto& pr : th.outliers) {
        QVERIFY(pr.largeRankSquared.has_value());
        // Its component: the one containing theta^2's atom.
        for (const auto& iv : th.equivalent.support) {
            if (!(atoms[iv.firstAtom].value == pr.theta * pr.theta))
                continue;
            const Moments mo = moments(atoms, sigmaE, cE, iv.a, iv.b, 120);
            QVERIFY2(std::abs(mo.mass - iv.mass) < 1e-6 + 10 * mo.massErr,
                     qPrintable(QString("mass %1 vs %2").arg(mo.mass).arg(iv.mass)));
            QVERIFY2(std::abs(mo.mean - *pr.largeRankSquared) < 1e-7 * mo.mean + 10 * mo.meanErr,
                     qPrintable(QString("theta %1: component mean %2, large-rank %3 (err %4)")
                                    .arg(pr.theta)
                                    .arg(mo.mean, 0, 'g', 12)
                                    .arg(*pr.largeRankSquared, 0, 'g', 12)
                                    .arg(mo.meanErr)));
            ++checked;
        }
    }
    QCOMPARE(checked, 9);
}

void TestRectTheory::spikeInsideTheBulkHasNoOutlier()
{
    // A spike inside the range of the bulk of S does not separate.
    const RectModel mod = model(400, 600, 0.3, "list:1.2", "uniform:1,2");
    const RectTheory th = computeRectTheory(mod, 200);
    QVERIFY(!th.outliers[0].largeRank);
    QVERIFY(th.outliers[0].separation > 1.0);
    QVERIFY(th.outliers[0].inMainBulk);
    // S = 3 on every coordinate (r = p): one shifted bulk, no outlier.
    RectModel full = model(200, 400, 1.0, "equal:3", "zero", 1.0);
    const RectTheory tf = computeRectTheory(full, 200);
    QCOMPARE(tf.equivalent.support.size(), std::size_t(1));
    for (const auto& pr : tf.outliers)
        QVERIFY(pr.inMainBulk && !pr.largeRank);
}

void TestRectTheory::transposeSymmetry()
{
    // W^T = (sigma sqrt(c)/sqrt(M)) X^T + S^T: the singular values of an N x M model with sigma
    // equal those of the M x N model with sigma sqrt(c).
    const RectModel a = model(300, 600, 1.1, "list:3,2.5,2", "uniform:0,0.5");
    RectModel b = a;
    b.n = 600;
    b.m = 300;
    b.sigma = 1.1 * std::sqrt(2.0);
    const RectTheory ta = computeRectTheory(a, 300), tb = computeRectTheory(b, 300);
    QCOMPARE(ta.equivalent.support.size(), tb.equivalent.support.size());
    for (std::size_t k = 0; k < ta.equivalent.support.size(); ++k) {
        QVERIFY(std::abs(ta.equivalent.support[k].a - tb.equivalent.support[k].a) < 1e-9);
        QVERIFY(std::abs(ta.equivalent.support[k].b - tb.equivalent.support[k].b) < 1e-9);
    }
    for (std::size_t j = 0; j < 3; ++j) {
        QVERIFY(std::abs(*ta.outliers[j].largeRank - *tb.outliers[j].largeRank) < 1e-9);
        QVERIFY(std::abs(*ta.outliers[j].finiteRank - *tb.outliers[j].finiteRank) < 1e-9);
        // Left/right overlaps swap.
        QVERIFY(std::abs(*ta.outliers[j].overlapLeft - *tb.outliers[j].overlapRight) < 1e-12);
    }
}

void TestRectTheory::sameResultForAnyThreadCount()
{
    const RectModel mod = model(500, 900, 1.0, "linear:2,6", "uniform:0,0.8", 0.5);
    RectTheory one, two;
    tbb::task_arena(1).execute([&] { one = computeRectTheory(mod, 700); });
    tbb::task_arena(2).execute([&] { two = computeRectTheory(mod, 700); });
    QVERIFY(one.equivalent.squared.x == two.equivalent.squared.x);
    QVERIFY(one.equivalent.squared.y == two.equivalent.squared.y);
    QCOMPARE(one.equivalent.support.size(), two.equivalent.support.size());
}

void TestRectTheory::invalidInput()
{
    auto throwsNaming = [](RectModel m, const char* param) {
        try {
            validate(m);
        } catch (const InputError& e) {
            return QString(e.what()).startsWith(QString(param) + ":");
        }
        return false;
    };
    QVERIFY(throwsNaming(model(0, 5, 1, "equal:1", "zero"), "n"));
    QVERIFY(throwsNaming(model(5, 0, 1, "equal:1", "zero"), "m"));
    QVERIFY(throwsNaming(model(5, 5, 0, "equal:1", "zero"), "sigma"));
    QVERIFY(throwsNaming(model(5, 5, NAN, "equal:1", "zero"), "sigma"));
    QVERIFY(throwsNaming(model(5, 8, 1, "equal:-1", "zero"), "spikes"));
    QVERIFY(throwsNaming(model(5, 8, 1, "list:1,2,3,4,5,6", "zero"), "spikes"));
    QVERIFY(throwsNaming(model(8, 5, 1, "equal:1", "uniform:-1,1"), "bulk"));
    QVERIFY(throwsNaming(model(8, 5, 1, "equal:1", "semicircle:1"), "bulk"));
    QVERIFY(throwsNaming(model(8, 5, 1, "equal:1", "zero", 1.5), "alpha"));
    RectModel r = model(8, 5, 1, "equal:1", "zero");
    r.rank.isExplicit = true;
    r.rank.rank = 6;
    QVERIFY(throwsNaming(r, "rank"));
    r.rank.rank = 5;
    validate(r); // r = p is fine
    QVERIFY_THROWS_EXCEPTION(InputError, computeRectTheory(model(5, 8, 1, "equal:-1", "zero")));
    // The rank rule: ceil(N^alpha) capped at p.
    QCOMPARE(model(100, 30, 1, "equal:1", "zero", 0.5).effectiveRank(), 10);
    QCOMPARE(model(100, 30, 1, "equal:1", "zero", 1.0).effectiveRank(), 30);
    QCOMPARE(signalSingularValues(model(10, 4, 1, "list:3,1", "uniform:0,1")).size(),
             std::size_t(4));
}

QTEST_APPLESS_MAIN(TestRectTheory)
#include "tst_rect_theory.moc"
