// Theory: semicircle, the deterministic equivalent (Biane), outlier predictions.
// Checks use facts independent of the implementation: the semicircle for S = 0, the exact
// two-atom split criterion, the edge equation, Pastur's equation, Biane's masses, and sums
// over the spectrum computed here by brute force.
// TBB before any Qt header (Qt's emit macro clashes with oneTBB).
#include <tbb/task_arena.h>

#include "support/trapezoid.h"
#include "core/model/families.h"
#include "core/theory/theory.h"

#include <QElapsedTimer>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <vector>

using namespace ws::core;

using testsupport::Integral;
using testsupport::trapezoid;

namespace {

std::vector<double> evenly(int n, double a, double b)
{
    std::vector<double> v;
    for (int i = 0; i < n; ++i)
        v.push_back(a + (b - a) * (i + 0.5) / n);
    return v;
}

std::vector<double> concat(std::vector<double> a, const std::vector<double>& b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// Index range of the curve points of support component k (its edges included).
std::pair<std::size_t, std::size_t> componentPoints(const DeterministicEquivalent& de,
                                                    std::size_t k)
{
    const auto& x = de.density.x;
    const double a = de.support[k].a, b = de.support[k].b;
    const auto first =
        static_cast<std::size_t>(std::lower_bound(x.begin(), x.end(), a) - x.begin());
    const auto last =
        static_cast<std::size_t>(std::upper_bound(x.begin(), x.end(), b) - x.begin()) - 1;
    return {first, last};
}

double F0(const std::vector<Atom>& atoms, double u) // sum w/(u-s)^2
{
    double f = 0.0;
    for (const Atom& a : atoms)
        f += a.weight / ((u - a.value) * (u - a.value));
    return f;
}

Model model(int n, double sigma, const char* spikes, const char* bulk, double alpha = 0.0)
{
    Model m;
    m.n = n;
    m.sigma = sigma;
    m.spikes = parseSpikes(spikes);
    m.bulk = parseBulk(bulk);
    m.rank.alpha = alpha;
    return m;
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
Moments componentMoments(const std::vector<Atom>& atoms, double sigma, double a, double b, int n)
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

bool finiteCurve(const Curve& c)
{
    for (std::size_t i = 0; i < c.x.size(); ++i)
        if (!std::isfinite(c.x[i]) || !std::isfinite(c.y[i]) || c.y[i] < 0.0)
            return false;
    return std::is_sorted(c.x.begin(), c.x.end());
}

// Every number of a Theory is finite, the support is ordered and each prediction is finite.
void checkFinite(const Theory& th)
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

} // namespace

class TestTheory : public QObject
{
    Q_OBJECT
private slots:
    void groupAtomsGroupsEqualValues();
    void semicircle();
    void zeroMatrixGivesTheSemicircle();
    void twoAtomSplitCriterion();
    void twoFarAtomsSplitInHalves();
    void densityIntegratesToOne_data();
    void densityIntegratesToOne();
    void edgesSolveTheEdgeEquation();
    void pasturEquationHolds();
    void spikeComponentsHoldTheirAtoms();
    void curvePointCount();
    void pointDensityAgreesWithCurve();
    void badArguments();
    void sameResultForAnyThreadCount();
    void knownOutlierValues();
    void largeRankSumsMatchBruteForce();
    void separationFlipsAtSigma_data();
    void separationFlipsAtSigma();
    void spikeInsideTheBulkDoesNotSeparate();
    void equalSpikesExcludeTheirOwnAtom();
    void computeTheoryCoversEverything();
    void computeTheoryUsesTheWholeSpectrum_data();
    void computeTheoryUsesTheWholeSpectrum();
    void hugeConstantBulk();
    void groupPredictionIsTheComponentMean_data();
    void groupPredictionIsTheComponentMean();
    void spikesInABulkIntervalHaveNoOutlier_data();
    void spikesInABulkIntervalHaveNoOutlier();
    void absorptionMatchesAScanOfF();
    void labelsAndCounts_data();
    void labelsAndCounts();
    void intervalMomentsMatchQuadrature_data();
    void intervalMomentsMatchQuadrature();
    void edgeScaleIsTheDensitysSquareRoot();
    void classicalLocationsAreQuantiles();
    void predictedSd();
    void extremeScales_data();
    void extremeScales();
    void scaleInvariance();
    void beyondDoubleRangeIsRefused();
    void extremelyNarrowComponents();
};

void TestTheory::groupAtomsGroupsEqualValues()
{
    const auto atoms = groupAtoms({1.0, 0.0, 1.0, 2.0, 1.0, -0.0});
    QCOMPARE(atoms.size(), std::size_t(3));
    QCOMPARE(atoms[0].value, 0.0);
    QCOMPARE(atoms[0].weight, 2.0 / 6.0); // 0.0 == -0.0
    QCOMPARE(atoms[1].value, 1.0);
    QCOMPARE(atoms[1].weight, 3.0 / 6.0);
    QCOMPARE(atoms[2].value, 2.0);
    QCOMPARE(atoms[2].weight, 1.0 / 6.0);
    QVERIFY(groupAtoms({}).empty());
}

void TestTheory::semicircle()
{
    const double sigma = 1.5;
    QCOMPARE(semicircleDensity(sigma, 0.0), 1.0 / (std::numbers::pi * sigma));
    QCOMPARE(semicircleDensity(sigma, 3.0), 0.0);
    QCOMPARE(semicircleDensity(sigma, -3.5), 0.0);
    const Curve c = semicircleCurve(sigma, 2001, -4.0, 4.0);
    QCOMPARE(c.x.size(), std::size_t(2001));
    QCOMPARE(c.x.front(), -4.0);
    QCOMPARE(c.x.back(), 4.0);
    const Integral in = trapezoid(c, 0, c.x.size() - 1);
    QVERIFY2(std::abs(in.value - 1.0) <= in.bound, qPrintable(QString::number(in.value)));
}

void TestTheory::zeroMatrixGivesTheSemicircle()
{
    const double sigma = 0.7;
    const auto de = deterministicEquivalent({{0.0, 1.0}}, sigma, 801);
    QCOMPARE(de.support.size(), std::size_t(1));
    QVERIFY(std::abs(de.support[0].a + 2 * sigma) < 1e-12);
    QVERIFY(std::abs(de.support[0].b - 2 * sigma) < 1e-12);
    QCOMPARE(de.support[0].mass, 1.0);
    QCOMPARE(de.density.x.size(), std::size_t(801));
    const double peak = semicircleDensity(sigma, 0.0);
    for (std::size_t i = 0; i < de.density.x.size(); ++i)
        QVERIFY2(std::abs(de.density.y[i] - semicircleDensity(sigma, de.density.x[i])) <
                     1e-12 * peak,
                 qPrintable(QString("x = %1").arg(de.density.x[i])));
}

void TestTheory::twoAtomSplitCriterion()
{
    // Atoms +-a with weight 1/2: sum w/(u-s)^2 is smallest at u = 0, where it is 1/a^2, so the
    // support splits iff a > sigma.
    const double sigma = 1.3;
    for (double ratio : {0.5, 0.99, 1.01, 2.0}) {
        const double a = ratio * sigma;
        const auto de = deterministicEquivalent({{-a, 0.5}, {a, 0.5}}, sigma, 400);
        QCOMPARE(de.support.size(), std::size_t(ratio > 1.0 ? 2 : 1));
    }
}

void TestTheory::twoFarAtomsSplitInHalves()
{
    const double sigma = 1.0;
    const auto de = deterministicEquivalent({{-5.0, 0.5}, {5.0, 0.5}}, sigma, 4000);
    QCOMPARE(de.support.size(), std::size_t(2));
    QCOMPARE(de.support[0].mass, 0.5);
    QCOMPARE(de.support[1].mass, 0.5);
    QVERIFY(std::abs(de.support[0].a + de.support[1].b) < 1e-9); // symmetric
    QVERIFY(std::abs(de.support[0].b + de.support[1].a) < 1e-9);
    QVERIFY(de.support[0].b < 0.0 && de.support[1].a > 0.0);
    for (std::size_t k = 0; k < 2; ++k) {
        const auto [from, to] = componentPoints(de, k);
        const Integral in = trapezoid(de.density, from, to);
        QVERIFY2(std::abs(in.value - 0.5) <= in.bound,
                 qPrintable(QString("%1 +- %2").arg(in.value).arg(in.bound)));
    }
}

void TestTheory::densityIntegratesToOne_data()
{
    QTest::addColumn<std::vector<double>>("values");
    QTest::addColumn<double>("sigma");
    QTest::newRow("uniform bulk") << evenly(1000, -1.0, 1.0) << 1.0;
    QTest::newRow("uniform bulk, small sigma") << evenly(1000, -1.0, 1.0) << 0.05;
    QTest::newRow("bulk + spikes")
        << concat(evenly(995, -1.0, 1.0), {3.0, 4.5, 4.5, 6.0, -4.0}) << 1.0;
    QTest::newRow("two point") << concat(std::vector<double>(300, -1.0),
                                         std::vector<double>(700, 2.0))
                               << 0.5;
    QTest::newRow("zero bulk, rank 20")
        << concat(std::vector<double>(980, 0.0), evenly(20, 2.0, 6.0)) << 1.0;
    QTest::newRow("spread atoms, many components") << evenly(200, 0.0, 40.0) << 0.1;
}

void TestTheory::densityIntegratesToOne()
{
    QFETCH(std::vector<double>, values);
    QFETCH(double, sigma);
    const auto atoms = groupAtoms(values);
    const auto de = deterministicEquivalent(atoms, sigma, 20000);
    double massSum = 0.0, largest = 0.0;
    for (const auto& iv : de.support) {
        massSum += iv.mass;
        largest = std::max(largest, iv.mass);
        QVERIFY(iv.a < iv.b);
    }
    QVERIFY(std::abs(massSum - 1.0) < 1e-12);
    QVERIFY(largest > 0.0);
    for (std::size_t k = 1; k < de.support.size(); ++k)
        QVERIFY(de.support[k - 1].b < de.support[k].a);
    QVERIFY(std::is_sorted(de.density.x.begin(), de.density.x.end()));

    const Integral all = trapezoid(de.density, 0, de.density.x.size() - 1);
    QVERIFY2(std::abs(all.value - 1.0) <= all.bound,
             qPrintable(QString("%1 +- %2").arg(all.value).arg(all.bound)));
    // Biane: each component's mass is the weight of the atoms in its u-interval.
    for (std::size_t k = 0; k < de.support.size(); ++k) {
        const auto [from, to] = componentPoints(de, k);
        QCOMPARE(de.density.y[from], 0.0);
        QCOMPARE(de.density.y[to], 0.0);
        const Integral in = trapezoid(de.density, from, to);
        QVERIFY2(std::abs(in.value - de.support[k].mass) <= in.bound,
                 qPrintable(QString("component %1: %2 vs mass %3 (+- %4)")
                                .arg(k)
                                .arg(in.value)
                                .arg(de.support[k].mass)
                                .arg(in.bound)));
    }
}

void TestTheory::edgesSolveTheEdgeEquation()
{
    const double sigma = 0.8;
    const auto atoms = groupAtoms(concat(evenly(500, -1.0, 1.0), {2.5, 2.5, 4.0, -3.0}));
    const auto uSup = biane::uSupport(atoms, sigma);
    QVERIFY(uSup.size() >= 2);
    std::size_t atomIndex = 0;
    for (const auto& iv : uSup) {
        QVERIFY(std::abs(F0(atoms, iv.lo) * sigma * sigma - 1.0) < 1e-10);
        QVERIFY(std::abs(F0(atoms, iv.hi) * sigma * sigma - 1.0) < 1e-10);
        QVERIFY(biane::vOf(atoms, sigma, iv.lo) < 1e-6);
        QVERIFY(biane::vOf(atoms, sigma, 0.5 * (iv.lo + iv.hi)) > 0.0);
        // The u-intervals partition the atoms in order.
        QCOMPARE(iv.firstAtom, atomIndex);
        QVERIFY(atoms[iv.firstAtom].value > iv.lo && atoms[iv.lastAtom].value < iv.hi);
        atomIndex = iv.lastAtom + 1;
    }
    QCOMPARE(atomIndex, atoms.size());
    // Between components v = 0 and sum w/(u-s)^2 < 1/sigma^2.
    for (std::size_t k = 1; k < uSup.size(); ++k) {
        const double u = 0.5 * (uSup[k - 1].hi + uSup[k].lo);
        QCOMPARE(biane::vOf(atoms, sigma, u), 0.0);
        QVERIFY(F0(atoms, u) * sigma * sigma < 1.0);
    }
}

void TestTheory::pasturEquationHolds()
{
    // omega = u + i v(u) is the subordination function: z = omega + sigma^2 sum w/(omega - s)
    // must be real (= psi(u)), and m = sum w/(s - omega) solves Pastur's equation
    // m = sum w/(s - z - sigma^2 m) with density Im m / pi = v / (pi sigma^2).
    const double sigma = 1.1;
    const auto atoms = groupAtoms(concat(evenly(300, -2.0, 0.5), {3.0, 3.0, 3.0, 5.0}));
    for (double u = -2.5; u <= 5.5; u += 0.173) {
        const double v = biane::vOf(atoms, sigma, u);
        if (v == 0.0)
            continue;
        const std::complex<double> omega(u, v);
        std::complex<double> g = 0.0, m = 0.0;
        for (const Atom& a : atoms) {
            g += a.weight / (omega - a.value);
            m += a.weight / (a.value - omega);
        }
        const std::complex<double> z = omega + sigma * sigma * g;
        QVERIFY2(std::abs(z.imag()) < 1e-9 * (1.0 + v), qPrintable(QString::number(z.imag())));
        QVERIFY(std::abs(z.real() - biane::psiOf(atoms, sigma, u)) < 1e-9);
        std::complex<double> rhs = 0.0;
        for (const Atom& a : atoms)
            rhs += a.weight / (a.value - z.real() - sigma * sigma * m);
        QVERIFY(std::abs(rhs - m) < 1e-9 * std::abs(m));
        QVERIFY(std::abs(m.imag() - v / (sigma * sigma)) < 1e-9 * std::abs(m));
    }
}

void TestTheory::spikeComponentsHoldTheirAtoms()
{
    // Zero bulk, a triple spike at 5 and a single one at 8, N = 1000: three components of
    // masses 996, 3 and 1 eigenvalues; each spike's large-rank outlier lies inside its own.
    const Model m = model(1000, 1.0, "list:5,5,5,8", "zero");
    const auto de = deterministicEquivalent(groupAtoms(signalSpectrum(m)), m.sigma, 800);
    QCOMPARE(de.support.size(), std::size_t(3));
    QVERIFY(std::abs(de.support[0].mass * 1000 - 996) < 1e-9);
    QVERIFY(std::abs(de.support[1].mass * 1000 - 3) < 1e-9);
    QVERIFY(std::abs(de.support[2].mass * 1000 - 1) < 1e-9);
    const auto pred = predictOutliers(m);
    QCOMPARE(pred.size(), std::size_t(4));
    for (std::size_t j = 0; j < pred.size(); ++j) {
        QVERIFY(pred[j].largeRank.has_value());
        const auto& iv = de.support[pred[j].theta == 8.0 ? 2 : 1];
        QVERIFY2(
            *pred[j].largeRank > iv.a && *pred[j].largeRank < iv.b,
            qPrintable(QString("%1 not in [%2, %3]").arg(*pred[j].largeRank).arg(iv.a).arg(iv.b)));
    }
}

void TestTheory::curvePointCount()
{
    const auto atoms = groupAtoms(concat(evenly(900, -1.0, 1.0), evenly(100, 5.0, 60.0)));
    for (int points : {2, 50, 300, 800, 1500}) {
        const auto de = deterministicEquivalent(atoms, 1.0, points);
        const std::size_t nc = de.support.size();
        QVERIFY(nc > 50); // every far spike is its own component
        QCOMPARE(de.density.x.size(), std::max<std::size_t>(std::size_t(points), 3 * nc));
        QCOMPARE(de.density.y.size(), de.density.x.size());
        for (std::size_t k = 0; k < nc; ++k) {
            const auto [from, to] = componentPoints(de, k);
            QVERIFY(to >= from + 2); // every component gets points, however small
            QCOMPARE(de.density.x[from], de.support[k].a);
            QCOMPARE(de.density.x[to], de.support[k].b);
        }
    }
}

void TestTheory::pointDensityAgreesWithCurve()
{
    const double sigma = 0.9;
    const auto atoms = groupAtoms(concat(evenly(400, -1.5, 1.0), {3.0, 3.0, -4.0}));
    const auto de = deterministicEquivalent(atoms, sigma, 300);
    double peak = 0.0;
    for (double y : de.density.y)
        peak = std::max(peak, y);
    for (std::size_t i = 0; i < de.density.x.size(); i += 7) {
        const double d = deterministicEquivalentDensity(atoms, sigma, de.density.x[i]);
        QVERIFY2(std::abs(d - de.density.y[i]) < 1e-6 * peak,
                 qPrintable(
                     QString("x = %1: %2 vs %3").arg(de.density.x[i]).arg(d).arg(de.density.y[i])));
    }
    // Outside the support: 0.
    QCOMPARE(deterministicEquivalentDensity(atoms, sigma, de.support.back().b + 0.1), 0.0);
    QCOMPARE(deterministicEquivalentDensity(atoms, sigma, de.support.front().a - 10.0), 0.0);
    QCOMPARE(deterministicEquivalentDensity(atoms, sigma, 1e6), 0.0);
}

void TestTheory::badArguments()
{
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, deterministicEquivalent({}, 1.0, 100));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             deterministicEquivalent({{0.0, 1.0}}, 0.0, 100));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             deterministicEquivalent({{1.0, 0.5}, {0.0, 0.5}}, 1.0, 100));
    QVERIFY_THROWS_EXCEPTION(InputError, predictOutliers(model(1, 1.0, "equal:3", "zero")));
}

void TestTheory::sameResultForAnyThreadCount()
{
    const auto atoms = groupAtoms(concat(evenly(3000, -1.0, 1.0), evenly(60, 3.0, 9.0)));
    const Model m = model(3000, 1.0, "linear:2,6", "semicircle:1");
    DeterministicEquivalent one;
    std::vector<OutlierPrediction> predOne;
    tbb::task_arena arena(1);
    arena.execute([&] {
        one = deterministicEquivalent(atoms, 0.8, 1000);
        predOne = predictOutliers(m);
    });
    const auto many = deterministicEquivalent(atoms, 0.8, 1000);
    const auto predMany = predictOutliers(m);
    QVERIFY(one.density.x == many.density.x); // bitwise
    QVERIFY(one.density.y == many.density.y);
    QCOMPARE(one.support.size(), many.support.size());
    for (std::size_t k = 0; k < one.support.size(); ++k) {
        QCOMPARE(one.support[k].a, many.support[k].a);
        QCOMPARE(one.support[k].b, many.support[k].b);
    }
    QCOMPARE(predOne.size(), predMany.size());
    for (std::size_t j = 0; j < predOne.size(); ++j) {
        QCOMPARE(predOne[j].largeRank, predMany[j].largeRank);
        QCOMPARE(predOne[j].separation, predMany[j].separation);
    }
    // The labelled intervals too: moments, regularity, classical locations, per-spike values.
    const Model close = model(800, 1.0, "linear:1.5,4", "uniform:-0.5,0.5", 0.667);
    Theory tOne;
    arena.execute([&] { tOne = computeTheory(close, 300); });
    const Theory tMany = computeTheory(close, 300);
    QCOMPARE(tOne.equivalent.support.size(), tMany.equivalent.support.size());
    for (std::size_t k = 0; k < tOne.equivalent.support.size(); ++k) {
        const auto &x = tOne.equivalent.support[k], &y = tMany.equivalent.support[k];
        QCOMPARE(x.centre, y.centre);
        QCOMPARE(x.spread, y.spread);
        QCOMPARE(x.sdMean, y.sdMean);
        QCOMPARE(x.overlapGroup, y.overlapGroup);
        QVERIFY(x.locations == y.locations);
        QCOMPARE(x.hi.regularity, y.hi.regularity);
        QCOMPARE(x.claimHi, y.claimHi);
    }
    for (std::size_t j = 0; j < tOne.outliers.size(); ++j) {
        QCOMPARE(tOne.outliers[j].largeRank, tMany.outliers[j].largeRank);
        QCOMPARE(tOne.outliers[j].overlapLargeRank, tMany.outliers[j].overlapLargeRank);
    }
}

void TestTheory::knownOutlierValues()
{
    // N = 2000, sigma = 1, bulk uniform on [-1, 1] (1997 quantiles), spikes 4, 2.5, 1.6.
    // Large-rank: theta + G with G = (1/N) [sum over the bulk + the two other spikes]; the
    // bulk sum is (N - 3)/2 * log((theta + 1)/(theta - 1)) up to the midpoint rule's O(N^-2).
    // The N -> infinity values (r/N -> 0) are 4.2554, 2.9237, 2.3333: the finite-N terms move
    // them by at most 2.1e-3 (the O(r/N) drift the app is about).
    const int n = 2000;
    const Model m = model(n, 1.0, "list:4,2.5,1.6", "uniform:-1,1");
    const auto p = predictOutliers(m);
    QCOMPARE(p.size(), std::size_t(3));
    const double theta[] = {4.0, 2.5, 1.6};
    const double limit[] = {4.2554, 2.9237, 2.3333};
    for (std::size_t j = 0; j < 3; ++j) {
        const double t = theta[j];
        double g = (n - 3.0) / n * 0.5 * std::log((t + 1.0) / (t - 1.0));
        for (std::size_t k = 0; k < 3; ++k)
            if (k != j)
                g += 1.0 / (t - theta[k]) / n;
        QCOMPARE(p[j].theta, t);
        QVERIFY(p[j].largeRank.has_value());
        QVERIFY2(std::abs(*p[j].largeRank - (t + g)) < 1e-6,
                 qPrintable(QString::number(*p[j].largeRank, 'g', 10)));
        QVERIFY(std::abs(*p[j].largeRank - limit[j]) < 2.5e-3);
        QVERIFY(p[j].separation < 1.0);
        QVERIFY(p[j].finiteRank.has_value());
        QVERIFY(std::abs(*p[j].finiteRank - (t + 1.0 / t)) < 1e-12);
        QVERIFY(std::abs(*p[j].overlapFiniteRank - (1.0 - 1.0 / (t * t))) < 1e-12);
        QVERIFY(*p[j].overlapLargeRank > 0.0 && *p[j].overlapLargeRank < 1.0);
    }
    QVERIFY(std::abs(*p[0].largeRank - 4.2554) < 1e-3);
    QVERIFY(std::abs(*p[1].largeRank - 2.9237) < 1e-3);
    QVERIFY(std::abs(*p[2].finiteRank - 2.225) < 1e-12);
}

void TestTheory::largeRankSumsMatchBruteForce()
{
    // G_j and D_j summed here over k != j directly on signalSpectrum (no grouping).
    const Model m = model(500, 0.7, "linear:1,4", "semicircle:0.8");
    Model mm = m;
    mm.rank.isExplicit = true;
    mm.rank.rank = 12;
    const auto s = signalSpectrum(mm);
    const auto theta = spikeValues(mm);
    const auto p = predictOutliers(mm);
    const double sigma2 = mm.sigma * mm.sigma;
    for (std::size_t j = 0; j < theta.size(); ++j) {
        double g = 0.0, d = 0.0, sep = 0.0;
        for (std::size_t k = 0; k < s.size(); ++k) {
            if (k == j)
                continue;
            g += 1.0 / (theta[j] - s[k]) / mm.n;
            d += 1.0 / ((theta[j] - s[k]) * (theta[j] - s[k])) / mm.n;
            if (k >= theta.size())
                sep += sigma2 / ((theta[j] - s[k]) * (theta[j] - s[k])) / mm.n;
        }
        QVERIFY(std::abs(p[j].separation - sep) < 1e-12 * (1.0 + sep));
        QCOMPARE(p[j].largeRank.has_value(), sep < 1.0);
        if (p[j].largeRank) {
            QVERIFY(std::abs(*p[j].largeRank - (theta[j] + sigma2 * g)) < 1e-12);
            QVERIFY(std::abs(*p[j].overlapLargeRank - (1.0 - sigma2 * d)) < 1e-12);
        }
    }
}

void TestTheory::separationFlipsAtSigma_data()
{
    QTest::addColumn<double>("theta");
    QTest::addColumn<bool>("separates");
    QTest::newRow("2.01") << 2.01 << true;
    QTest::newRow("1.99") << 1.99 << false;
    QTest::newRow("-2.01") << -2.01 << true;
    QTest::newRow("-1.99") << -1.99 << false;
    QTest::newRow("0") << 0.0 << false;
}

void TestTheory::separationFlipsAtSigma()
{
    // Rank one, zero bulk: separation = sigma^2 (N-1)/N / theta^2, so for large N the
    // large-rank criterion is BBP's |theta| > sigma, and the outlier is nearly BBP's.
    QFETCH(double, theta);
    QFETCH(bool, separates);
    const double sigma = 2.0;
    const int n = 1'000'000;
    const auto p =
        predictOutliers(model(n, sigma, qPrintable("list:" + QString::number(theta)), "zero"));
    QCOMPARE(p.size(), std::size_t(1));
    QCOMPARE(p[0].largeRank.has_value(), separates);
    QCOMPARE(p[0].finiteRank.has_value(), separates);
    if (theta != 0.0)
        QVERIFY(std::abs(p[0].separation - sigma * sigma * (n - 1.0) / n / (theta * theta)) <
                1e-12);
    else
        QVERIFY(std::isinf(p[0].separation));
    if (separates)
        QVERIFY(std::abs(*p[0].largeRank - *p[0].finiteRank) < 1e-5);
}

void TestTheory::spikeInsideTheBulkDoesNotSeparate()
{
    const auto p = predictOutliers(model(2000, 0.3, "list:0.5,3", "uniform:-1,1"));
    QCOMPARE(p.size(), std::size_t(2));
    QCOMPARE(p[1].theta, 0.5);
    QVERIFY(p[1].separation > 1.0 && !std::isnan(p[1].separation));
    QVERIFY(!p[1].largeRank.has_value());
    QVERIFY(p[1].finiteRank.has_value()); // BBP only looks at |theta| > sigma
    QVERIFY(p[0].largeRank.has_value());
    // A spike exactly on a bulk value: infinite separation, no prediction, no NaN.
    const auto q = predictOutliers(model(10, 1.0, "list:0.25", "list:0.25,3"));
    QVERIFY(std::isinf(q[0].separation));
    QVERIFY(!q[0].largeRank.has_value());
}

void TestTheory::equalSpikesExcludeTheirOwnAtom()
{
    Model m = model(100, 1.0, "equal:3", "zero");
    m.rank.isExplicit = true;
    m.rank.rank = 5;
    const auto p = predictOutliers(m);
    QCOMPARE(p.size(), std::size_t(5));
    for (const auto& q : p) {
        QVERIFY(std::abs(*q.largeRank - (3.0 + 0.95 / 3.0)) < 1e-12);
        QVERIFY(std::abs(*q.overlapLargeRank - (1.0 - 0.95 / 9.0)) < 1e-12);
    }
}

void TestTheory::computeTheoryCoversEverything()
{
    Model m = model(2000, 1.0, "list:4,2.5,1.6,-3", "uniform:-1,1");
    const Theory th = computeTheory(m, 600);
    QCOMPARE(th.semicircle.x.size(), std::size_t(600));
    // One bulk interval (1.6 is close to it but splits off at this N), four clusters.
    const auto& sup = th.equivalent.support;
    QCOMPARE(sup.size(), std::size_t(5));
    QVERIFY(sup[1].kind == IntervalKind::Bulk);
    QVERIFY(sup[1].mass > 0.99);
    QCOMPARE(sup[1].count, 1996);
    QCOMPARE(sup[1].spikes, 0);
    for (std::size_t k : {0, 2, 3, 4}) {
        QVERIFY(sup[k].kind == IntervalKind::Cluster);
        QCOMPARE(sup[k].count, 1);
        QCOMPARE(sup[k].spikes, 1);
    }
    QCOMPARE(th.outliers.size(), std::size_t(4));
    QVERIFY(th.semicircle.x.front() < -2.0 && th.semicircle.x.back() > 2.0);
    for (const auto& p : th.outliers)
        for (const auto& v : {p.finiteRank, p.largeRank})
            if (v)
                QVERIFY(*v > th.semicircle.x.front() && *v < th.semicircle.x.back());
    QVERIFY(th.semicircle.x.front() < th.equivalent.support.front().a);
    QVERIFY(th.semicircle.x.back() > th.equivalent.support.back().b);
    // The large-rank outliers lie in their clusters, outside the bulk interval.
    for (const auto& p : th.outliers) {
        QVERIFY(p.largeRank && !p.absorbed);
        QVERIFY(sup[p.interval].kind == IntervalKind::Cluster);
        QVERIFY(*p.largeRank >= sup[p.interval].a && *p.largeRank <= sup[p.interval].b);
        QVERIFY(*p.largeRank > sup[1].b || *p.largeRank < sup[1].a);
    }
    m.sigma = -1.0;
    QVERIFY_THROWS_EXCEPTION(InputError, computeTheory(m));
}

void TestTheory::computeTheoryUsesTheWholeSpectrum_data()
{
    QTest::addColumn<QString>("spikes");
    QTest::addColumn<QString>("bulk");
    QTest::newRow("zero bulk") << "linear:1,5"
                               << "zero";
    QTest::newRow("spike on the zero bulk") << "list:0,0,3"
                                            << "zero";
    QTest::newRow("constant uniform") << "equal:2"
                                      << "uniform:0.5,0.5";
    QTest::newRow("degenerate twopoint") << "power:4,1"
                                         << "twopoint:-1,1,1";
    QTest::newRow("constant list") << "list:-3,2,2"
                                   << "list:0.25,0.25";
    QTest::newRow("uniform bulk") << "linear:1,5"
                                  << "uniform:-1,1";
}

void TestTheory::computeTheoryUsesTheWholeSpectrum()
{
    // computeTheory counts a constant bulk without listing it: same result as the atoms of all
    // N eigenvalues of S.
    QFETCH(QString, spikes);
    QFETCH(QString, bulk);
    Model m = model(500, 0.9, qPrintable(spikes), qPrintable(bulk));
    m.rank.alpha = 0.5;
    const Theory th = computeTheory(m, 300);
    const auto de = deterministicEquivalent(groupAtoms(signalSpectrum(m)), m.sigma, 300);
    QVERIFY(th.equivalent.density.x == de.density.x);
    QVERIFY(th.equivalent.density.y == de.density.y);
    QCOMPARE(th.equivalent.support.size(), de.support.size());
    for (std::size_t k = 0; k < de.support.size(); ++k)
        QCOMPARE(th.equivalent.support[k].mass, de.support[k].mass);
}

void TestTheory::hugeConstantBulk()
{
    // N = 10^8 (the largest valid N), rank 3: no N-sized arrays, so this is instant.
    const Theory th = computeTheory(model(100'000'000, 1.0, "list:3,3,-2", "zero"), 400);
    QCOMPARE(th.equivalent.support.size(), std::size_t(3));
    const auto& bulk = th.equivalent.support[1];
    QVERIFY(bulk.kind == IntervalKind::Bulk);
    QCOMPARE(bulk.count, 100'000'000 - 3);
    QVERIFY(std::abs(bulk.mass - (1.0 - 3e-8)) < 1e-15);
    QVERIFY(std::abs(bulk.b - 2.0) < 1e-3);
    QVERIFY(std::abs(*th.outliers[0].largeRank - (3.0 + 1.0 / 3.0)) < 1e-6);
    QVERIFY(std::abs(*th.outliers[2].largeRank - (-2.0 - 0.5)) < 1e-6);
}

void TestTheory::groupPredictionIsTheComponentMean_data()
{
    QTest::addColumn<QString>("spikes");
    QTest::addColumn<QString>("bulk");
    QTest::addColumn<int>("n");
    QTest::addColumn<double>("alpha");
    QTest::addColumn<double>("theta"); // the group
    QTest::newRow("equal:3, r = 32, N = 1000") << "equal:3"
                                               << "zero" << 1000 << 0.5 << 3.0;
    QTest::newRow("triple 4 + others, uniform bulk") << "list:4,4,4,2.5,-3"
                                                     << "uniform:-1,1" << 2000 << 0.0 << 4.0;
    QTest::newRow("pair -3.5, twopoint bulk") << "list:5,-3.5,-3.5"
                                              << "twopoint:-1,1,0.3" << 500 << 0.0 << -3.5;
}

void TestTheory::groupPredictionIsTheComponentMean()
{
    // m equal spikes form one component C of mu_N of mass m/N (a band of width ~ 4 sigma
    // sqrt(m/N)), not m separate outliers. The large-rank value theta + sigma^2 G (G without the
    // group's own atom) is the mean of x over C: by subordination, G_mu(z) = g(omega) with
    // g(omega) = sum_a w_a/(omega - s_a), z = omega + sigma^2 g(omega), so
    //   int_C x dmu = (1/2 pi i) oint z G_mu(z) dz = (1/2 pi i) oint (omega + sigma^2 g) g (1 +
    //   sigma^2 g') d omega
    // around the atoms in C's u-interval; the residues give sum_{a in C} w_a s_a + sigma^2 sum_{a
    // in C} w_a sum_{b not in C} w_b/(s_a - s_b) (the g^2, omega g g' and g^2 g' terms give
    // 2x, -1x and 0x the cross sum). For C holding one atom theta of weight m/N, dividing by the
    // mass gives exactly theta + sigma^2 G. So the two agree up to the quadrature error only
    // (not just to O(m/N)); the tolerance is the quadrature's own error estimate, which is
    // far below the differences that matter here (finite-rank value, the band's edges).
    QFETCH(QString, spikes);
    QFETCH(QString, bulk);
    QFETCH(int, n);
    QFETCH(double, alpha);
    QFETCH(double, theta);
    const Model m = model(n, 1.0, qPrintable(spikes), qPrintable(bulk), alpha);
    const Theory th = computeTheory(m, 400);
    const auto atoms = groupAtoms(signalSpectrum(m));
    const auto j =
        static_cast<std::size_t>(std::find_if(th.outliers.begin(), th.outliers.end(),
                                              [&](const auto& p) { return p.theta == theta; }) -
                                 th.outliers.begin());
    QVERIFY(j < th.outliers.size());
    const int mult = static_cast<int>(std::count_if(
        th.outliers.begin(), th.outliers.end(), [&](const auto& p) { return p.theta == theta; }));
    QVERIFY(th.outliers[j].largeRank.has_value());
    const double want = *th.outliers[j].largeRank;
    // The group's component: the one holding its atom.
    const auto atom = static_cast<std::size_t>(
        std::find_if(atoms.begin(), atoms.end(), [&](const Atom& a) { return a.value == theta; }) -
        atoms.begin());
    const auto& sup = th.equivalent.support;
    const auto k = static_cast<std::size_t>(
        std::find_if(sup.begin(), sup.end(),
                     [&](const auto& iv) { return iv.firstAtom <= atom && atom <= iv.lastAtom; }) -
        sup.begin());
    QVERIFY(k < sup.size() && sup[k].kind == IntervalKind::Cluster);
    QCOMPARE(th.outliers[j].interval, k);
    QCOMPARE(sup[k].firstAtom, sup[k].lastAtom); // the group alone
    const double mass = static_cast<double>(mult) / n;
    QVERIFY(std::abs(sup[k].mass - mass) < 1e-15);

    const Moments mo = componentMoments(atoms, 1.0, sup[k].a, sup[k].b, 64);
    const double tolMass = 10.0 * mo.massErr + 1e-12 * mass;
    const double tol = 10.0 * mo.meanErr + 1e-12 * (std::abs(want) + sup[k].b - sup[k].a);
    qInfo("group %g x%d: component [%.5f, %.5f], mean %.12f, theta + sigma^2 G %.12f (tol %.1e)",
          theta, mult, sup[k].a, sup[k].b, mo.mean, want, tol);
    QVERIFY2(std::abs(mo.mass - mass) < tolMass,
             qPrintable(QString("mass %1 vs %2").arg(mo.mass).arg(mass)));
    QVERIFY2(std::abs(mo.mean - want) < tol,
             qPrintable(QString("mean %1 vs %2").arg(mo.mean, 0, 'g', 15).arg(want, 0, 'g', 15)));
    // The check has power: the finite-rank value and the band's edges are rejected.
    QVERIFY(tol < 1e-6);
    QVERIFY(std::abs(*th.outliers[j].finiteRank - want) > 1e-3);
    QVERIFY(std::min(std::abs(sup[k].a - want), std::abs(sup[k].b - want)) > 1e-2);
}

void TestTheory::spikesInABulkIntervalHaveNoOutlier_data()
{
    QTest::addColumn<QString>("spikes");
    QTest::addColumn<QString>("bulk");
    QTest::addColumn<int>("n");
    QTest::addColumn<double>("alpha");
    QTest::addColumn<int>("outliers"); // large-rank predictions computeTheory keeps
    // S = 3 I (r = N): one cluster of N outliers, the semicircle moved to 3. With r = N there is
    // no bulk of S; the bulk family (zero) marks where it would be, at 0, outside the cluster's
    // u-interval (docs/model.md#support-intervals). So the outlier count is continuous in
    // alpha: N - 1 outliers at r = N - 1 (the one zero left is its own tiny bulk), N at r = N.
    // (A rule "the largest interval is the bulk" would say 0 here and jump at the last step.)
    QTest::newRow("equal:3, alpha = 1") << "equal:3"
                                        << "zero" << 1000 << 1.0 << 1000;
    QTest::newRow("linear:1,5, alpha = 1") << "linear:1,5"
                                           << "zero" << 500 << 1.0 << 500;
    QTest::newRow("rank one theta = 3") << "equal:3"
                                        << "zero" << 1000 << 0.0 << 1;
    QTest::newRow("full rank, three spikes") << "list:4,2.5,1.6"
                                             << "uniform:-1,1" << 2000 << 0.0 << 3;
    QTest::newRow("equal:3, alpha = 0.5") << "equal:3"
                                          << "zero" << 1000 << 0.5 << 32;
    // The bulk family's support meets the interval: a bulk, the spikes absorbed.
    QTest::newRow("linear:-1,1 at r = N, uniform family") << "linear:-1,1"
                                                          << "uniform:-1,1" << 400 << 1.0 << 0;
}

void TestTheory::spikesInABulkIntervalHaveNoOutlier()
{
    QFETCH(QString, spikes);
    QFETCH(QString, bulk);
    QFETCH(int, n);
    QFETCH(double, alpha);
    QFETCH(int, outliers);
    const Model m = model(n, 1.0, qPrintable(spikes), qPrintable(bulk), alpha);
    const Theory th = computeTheory(m, 300);
    const auto design = predictOutliers(m); // the per-spike formula, unrefined
    const auto& sup = th.equivalent.support;
    QCOMPARE(th.outliers.size(), design.size());
    int kept = 0;
    for (std::size_t j = 0; j < design.size(); ++j) {
        const auto& p = th.outliers[j];
        QVERIFY(!design[j].absorbed);
        QCOMPARE(p.separation, design[j].separation);
        QCOMPARE(p.finiteRank, design[j].finiteRank);
        QCOMPARE(p.absorbed, sup[p.interval].kind == IntervalKind::Bulk);
        if (p.absorbed) {
            QVERIFY(!p.largeRank && !p.overlapLargeRank && !p.sd);
            QVERIFY(p.reason != NoOutlierReason::None);
        } else if (sup[p.interval].firstAtom == sup[p.interval].lastAtom) {
            // Alone in its cluster: the per-spike formulas, bit for bit.
            QCOMPARE(p.largeRank, design[j].largeRank);
            QCOMPARE(p.overlapLargeRank, design[j].overlapLargeRank);
            QVERIFY(p.reason == NoOutlierReason::None);
        }
        kept += p.largeRank ? 1 : 0;
        // What is kept lies in its cluster.
        if (p.largeRank)
            QVERIFY(*p.largeRank >= sup[p.interval].a && *p.largeRank <= sup[p.interval].b);
    }
    QCOMPARE(kept, outliers);
    int clustered = 0;
    for (const auto& iv : sup)
        clustered += iv.kind == IntervalKind::Cluster ? iv.count : 0;
    QCOMPARE(clustered, outliers);
    if (alpha == 1.0) // the separation criterion alone would predict an outlier for every spike
        QVERIFY(std::all_of(design.begin(), design.end(),
                            [](const auto& p) { return p.largeRank.has_value(); }));
}

void TestTheory::absorptionMatchesAScanOfF()
{
    // Independent check of `absorbed`: the spike's atom is in the bulk's u-interval iff
    // sum_a w_a/(u - s_a)^2 >= 1/sigma^2 all the way from the spike to the bulk's atom (a dense
    // scan here). Rank one at N = 10^6, sigma = 2: at theta = 2.01 the spike is inside the
    // critical window |theta| - sigma ~ sigma N^(-1/3) = 0.02 and has not split off yet
    // (although separation = (N-1)/N sigma^2/theta^2 < 1): absorbed, not below the threshold;
    // at 2.2 it has split off.
    for (double theta : {2.01, 2.05, 2.2, 3.0}) {
        const Model m = model(1'000'000, 2.0, qPrintable("list:" + QString::number(theta)), "zero");
        const Theory th = computeTheory(m, 200);
        const auto pred = predictOutliers(m);
        QVERIFY(pred[0].separation < 1.0 && pred[0].largeRank);
        const std::vector<Atom> atoms = {{0.0, 1.0 - 1e-6}, {theta, 1e-6}};
        bool splits = false;
        for (int i = 1; i < 100000 && !splits; ++i)
            splits = F0(atoms, theta * i / 100000.0) * 4.0 < 1.0;
        qInfo("theta %.2f: split %d, absorbed %d", theta, splits, th.outliers[0].absorbed);
        QCOMPARE(th.outliers[0].absorbed, !splits);
        QCOMPARE(th.outliers[0].largeRank.has_value(), splits);
        QVERIFY(th.outliers[0].reason ==
                (splits ? NoOutlierReason::None : NoOutlierReason::Absorbed));
        if (theta == 2.01)
            QVERIFY(!splits);
        if (theta >= 2.2)
            QVERIFY(splits);
    }
    // Below the threshold: theta = 1.5 < sigma = 2.
    const Theory below = computeTheory(model(1000, 2.0, "list:1.5", "zero"), 200);
    QVERIFY(below.outliers[0].absorbed);
    QVERIFY(below.outliers[0].reason == NoOutlierReason::BelowThreshold);
    QCOMPARE(toString(below.outliers[0].reason), std::string("below the BBP threshold"));
    // Inside the range of the bulk of S: absorbed, with the interval in the text.
    const Theory inside = computeTheory(model(1000, 1.0, "list:0.3", "uniform:-1,1"), 200);
    QVERIFY(inside.outliers[0].reason == NoOutlierReason::Absorbed);
    const std::string text = reasonText(inside.equivalent.support, inside.outliers[0]);
    QVERIFY2(text.rfind("absorbed by the bulk interval [-2.29", 0) == 0, text.c_str());
}

void TestTheory::labelsAndCounts_data()
{
    // The cases of the research note (docs/model.md#support-intervals): kind and count of
    // each interval, ascending ("B" bulk, "C" cluster), and the edges of one interval.
    QTest::addColumn<int>("n");
    QTest::addColumn<double>("sigma");
    QTest::addColumn<QString>("spikes");
    QTest::addColumn<QString>("bulk");
    QTest::addColumn<double>("alpha");
    QTest::addColumn<int>("rank"); // explicit rank, 0: by alpha
    QTest::addColumn<QString>("labels");
    QTest::addColumn<int>("which");
    QTest::addColumn<double>("a");
    QTest::addColumn<double>("b");
    QTest::newRow("twopoint, spike in the gap")
        << 1000 << 0.5 << "list:0.5"
        << "twopoint:-2,2,0.5" << 0.0 << 0 << "B499 C1 B500" << 1 << 0.4362 << 0.4970;
    QTest::newRow("twopoint, above, gap, below")
        << 1000 << 0.5 << "list:3,0.5,-3"
        << "twopoint:-2,2,0.5" << 0.0 << 0 << "C1 B498 C1 B499 C1" << 0 << -3.1791 << -3.1201;
    QTest::newRow("twopoint, a spike inside a lump")
        << 1000 << 0.5 << "list:2.3,1.0"
        << "twopoint:-2,2,0.5" << 0.0 << 0 << "B499 C1 B500" << 1 << 0.8873 << 0.9460;
    QTest::newRow("linear, alpha = 0.9")
        << 800 << 1.0 << "linear:1.5,4"
        << "zero" << 0.9 << 0 << "B390 C410" << 0 << -1.5517 << 1.0975;
    QTest::newRow("linear, alpha = 0.95")
        << 800 << 1.0 << "linear:1.5,4"
        << "zero" << 0.95 << 0 << "B227 C573" << 1 << 0.7959 << 5.0048;
    QTest::newRow("linear, r = N") << 800 << 1.0 << "linear:1.5,4"
                                   << "zero" << 1.0 << 0 << "C800" << 0 << 0.3102 << 5.1898;
    QTest::newRow("linear, r = N - 1")
        << 800 << 1.0 << "linear:1.5,4"
        << "zero" << 0.0 << 799 << "B1 C799" << 0 << -0.4566 << -0.3275;
    QTest::newRow("equal:3, r = N") << 800 << 1.0 << "equal:3"
                                    << "zero" << 1.0 << 0 << "C800" << 0 << 1.0 << 5.0;
    QTest::newRow("power:3,1, r = N") << 800 << 1.0 << "power:3,1"
                                      << "zero" << 1.0 << 0 << "B798 C1 C1" << 0 << -1.979 << 2.036;
    QTest::newRow("uniform bulk, four spikes")
        << 1000 << 1.0 << "list:4,2.5,0.3,-3"
        << "uniform:-1,1" << 0.0 << 0 << "C1 B997 C1 C1" << 1 << -2.2925 << 2.2919;
    QTest::newRow("equal:2.5, N = 3000")
        << 3000 << 1.0 << "equal:2.5"
        << "zero" << 0.6 << 0 << "B2878 C122" << 1 << 2.5160 << 3.2575;
}

void TestTheory::labelsAndCounts()
{
    QFETCH(int, n);
    QFETCH(double, sigma);
    QFETCH(QString, spikes);
    QFETCH(QString, bulk);
    QFETCH(double, alpha);
    QFETCH(int, rank);
    QFETCH(QString, labels);
    QFETCH(int, which);
    QFETCH(double, a);
    QFETCH(double, b);
    Model m = model(n, sigma, qPrintable(spikes), qPrintable(bulk), alpha);
    if (rank > 0)
        m.rank = RankRule{true, 0.0, rank};
    const Theory th = computeTheory(m, 300);
    checkFinite(th);
    QStringList got;
    int total = 0;
    for (const auto& iv : th.equivalent.support) {
        got << QString("%1%2").arg(iv.kind == IntervalKind::Bulk ? "B" : "C").arg(iv.count);
        total += iv.count;
        QVERIFY(std::abs(iv.mass * n - iv.count) < 1e-6);
        if (iv.kind == IntervalKind::Cluster)
            QCOMPARE(iv.spikes, iv.count);
    }
    QCOMPARE(got.join(' '), labels);
    QCOMPARE(total, n);
    const auto& iv = th.equivalent.support[static_cast<std::size_t>(which)];
    const double tol = std::abs(a) < 2.5 && std::abs(b) < 2.5 && (b - a) > 3 ? 1e-3 : 1e-4;
    QVERIFY2(std::abs(iv.a - a) < tol && std::abs(iv.b - b) < tol,
             qPrintable(QString("[%1, %2]").arg(iv.a, 0, 'f', 5).arg(iv.b, 0, 'f', 5)));
    // Every spike in a cluster has a prediction inside it, every absorbed one a reason.
    for (const auto& p : th.outliers) {
        const auto& own = th.equivalent.support[p.interval];
        QCOMPARE(p.absorbed, own.kind == IntervalKind::Bulk);
        if (!p.absorbed)
            QVERIFY(p.largeRank && *p.largeRank >= own.a && *p.largeRank <= own.b);
        else
            QVERIFY(p.reason != NoOutlierReason::None && !p.largeRank);
    }
}

void TestTheory::intervalMomentsMatchQuadrature_data()
{
    QTest::addColumn<int>("n");
    QTest::addColumn<double>("sigma");
    QTest::addColumn<QString>("spikes");
    QTest::addColumn<QString>("bulk");
    QTest::addColumn<double>("alpha");
    QTest::addColumn<int>("which");
    // A cluster of 87 distinct spikes (centre 3.100351, spread 0.701950 in the note), one of
    // 122 equal spikes, a single spike in a gap, a tiny bulk interval (one zero left at r = N -
    // 1, count 1 <= 16).
    QTest::newRow("87 close spikes") << 800 << 1.0 << "linear:1.5,4"
                                     << "zero" << 0.667 << 1;
    QTest::newRow("122 equal spikes") << 3000 << 1.0 << "equal:2.5"
                                      << "zero" << 0.6 << 1;
    QTest::newRow("spike in a gap") << 1000 << 0.5 << "list:0.5"
                                    << "twopoint:-2,2,0.5" << 0.0 << 1;
    QTest::newRow("one bulk value left") << 300 << 1.0 << "list:"
                                         << "zero" << 0.0 << 0;
}

void TestTheory::intervalMomentsMatchQuadrature()
{
    // centre and spread from the residues at the interval's atoms (theory.h) against Gauss-
    // Chebyshev quadrature of the density over [a, b]: agreement to the quadrature's own error.
    // The spread is the sd of x over the interval; the equal-spike special case is exact:
    // spread^2 = sigma^2 p (1 - sigma^2 (1 - p)/theta^2).
    QFETCH(int, n);
    QFETCH(double, sigma);
    QFETCH(QString, spikes);
    QFETCH(QString, bulk);
    QFETCH(double, alpha);
    QFETCH(int, which);
    Model m;
    if (spikes == "list:") { // r = N - 1 spikes linear:1.5,4 and one zero
        m = model(n, sigma, "linear:1.5,4", "zero");
        m.rank = RankRule{true, 0.0, n - 1};
    } else {
        m = model(n, sigma, qPrintable(spikes), qPrintable(bulk), alpha);
    }
    const Theory th = computeTheory(m, 300);
    const auto& iv = th.equivalent.support[static_cast<std::size_t>(which)];
    QVERIFY(iv.centre && iv.spread && iv.sdMean);
    const auto atoms = groupAtoms(signalSpectrum(m));
    const Moments mo = componentMoments(atoms, sigma, iv.a, iv.b, 256);
    const double sd = std::sqrt(mo.var);
    qInfo("[%.5f, %.5f]: centre %.8f vs %.8f, spread %.8f vs %.8f", iv.a, iv.b, *iv.centre, mo.mean,
          *iv.spread, sd);
    QVERIFY(std::abs(mo.mass - iv.mass) < 10.0 * mo.massErr + 1e-9 * iv.mass);
    QVERIFY(std::abs(*iv.centre - mo.mean) < 10.0 * mo.meanErr + 1e-8 * (iv.b - iv.a));
    QVERIFY(std::abs(*iv.spread - sd) < 10.0 * mo.varErr / (2 * sd) + 1e-7 * (iv.b - iv.a));
    // Power: for the 87 distinct spikes the equal-spike formula at their mean 2.75 would give
    // a spread of 0.310, not 0.702.
    if (iv.firstAtom != iv.lastAtom)
        QVERIFY(*iv.spread > 2.0 * 0.310);
}

void TestTheory::edgeScaleIsTheDensitysSquareRoot()
{
    // gamma = sigma^2 |T3(e)|^(1/3) and density ~ (c/pi) sqrt|E - x|, c = gamma^(-3/2): checked
    // against the density itself close to the edge. The semicircle: gamma = sigma exactly.
    for (double sigma : {0.5, 1.0, 2.0}) {
        const auto de = deterministicEquivalent({{0.0, 1.0}}, sigma, 101);
        QVERIFY(std::abs(de.support[0].lo.gamma - sigma) < 1e-12 * sigma);
        QVERIFY(std::abs(de.support[0].hi.gamma - sigma) < 1e-12 * sigma);
    }
    const Model m = model(1000, 0.5, "list:4", "uniform:-1,1");
    const Theory th = computeTheory(m, 200);
    const auto atoms = groupAtoms(signalSpectrum(m));
    const auto& bulk = th.equivalent.support[0];
    for (const bool upper : {false, true}) {
        const double gamma = upper ? bulk.hi.gamma : bulk.lo.gamma;
        const double c = std::pow(gamma, -1.5);
        const double d = 1e-7 * (bulk.b - bulk.a);
        const double x = upper ? bulk.b - d : bulk.a + d;
        const double ratio =
            std::numbers::pi * deterministicEquivalentDensity(atoms, m.sigma, x) / std::sqrt(d) / c;
        qInfo("edge %s: gamma %.6f, density / ((c/pi) sqrt(d)) = %.6f", upper ? "hi" : "lo", gamma,
              ratio);
        QVERIFY(std::abs(ratio - 1.0) < 1e-3);
        // Not the semicircle's gamma = sigma (0.5): 0.654 here.
        QVERIFY(std::abs(gamma - 0.654) < 2e-3);
        // Regular over the window: Tracy-Widom applies.
        const EdgeScale& e = upper ? bulk.hi : bulk.lo;
        QVERIFY(e.regularity > 0.98 && e.regularity < 1.02 && e.tracyWidom);
    }
    // 87 distinct close spikes: the cluster's edges are shaped by the discrete atoms at this N,
    // not a square root over the window (note: 0.85 and 0.89): flagged, not Tracy-Widom.
    const Theory close = computeTheory(model(800, 1.0, "linear:1.5,4", "zero", 0.667), 200);
    const auto& cl = close.equivalent.support[1];
    qInfo("87-spike cluster: regularity %.3f, %.3f", cl.lo.regularity, cl.hi.regularity);
    QVERIFY(cl.lo.regularity < 0.9 && cl.hi.regularity < 0.9);
    QVERIFY(!cl.lo.tracyWidom && !cl.hi.tracyWidom);
    // Heavy tails: no edge is Tracy-Widom.
    Model heavy = model(300, 1.0, "equal:3", "zero", 0.5);
    heavy.noise = parseNoise("student-t:3");
    for (const auto& iv : computeTheory(heavy, 100).equivalent.support)
        QVERIFY(!iv.lo.tracyWidom && !iv.hi.tracyWidom);
}

void TestTheory::classicalLocationsAreQuantiles()
{
    // x_i, the predicted i-th eigenvalue of a cluster, is the (i - 1/2)/N quantile of mu_N in
    // it: the density integrated from a to x_i (Simpson in t = sqrt(x - a), which removes the
    // edge's square root) is (i - 1/2)/N to 1% of one eigenvalue's share.
    const Model m = model(800, 1.0, "linear:1.5,4", "zero", 0.667);
    const Theory th = computeTheory(m, 200);
    const auto& cl = th.equivalent.support[1];
    QCOMPARE(cl.locations.size(), std::size_t(87));
    QVERIFY(std::is_sorted(cl.locations.begin(), cl.locations.end()));
    QVERIFY(cl.locations.front() > cl.a && cl.locations.back() < cl.b);
    const auto atoms = groupAtoms(signalSpectrum(m));
    for (std::size_t i : {std::size_t(0), std::size_t(20), std::size_t(43), std::size_t(86)}) {
        const double top = std::sqrt(cl.locations[i] - cl.a);
        const int steps = 400;
        const double h = top / steps;
        double integral = 0.0;
        for (int k = 0; k <= steps; ++k) {
            const double t = k * h;
            const double f = 2.0 * t * deterministicEquivalentDensity(atoms, m.sigma, cl.a + t * t);
            integral += f * (k == 0 || k == steps ? 1.0 : (k % 2 ? 4.0 : 2.0)) * h / 3.0;
        }
        const double want = (static_cast<double>(i) + 0.5) / m.n;
        qInfo("x_%zu = %.6f: CDF %.8f vs %.8f", i + 1, cl.locations[i], integral, want);
        QVERIFY(std::abs(integral - want) < 0.01 / m.n);
    }
    // The spikes' positions are the locations of their ranks (87 distinct spikes: one each),
    // ascending with theta, and average to the cluster's centre up to the quadrature of the
    // quantile rule.
    double sum = 0.0;
    for (const auto& p : th.outliers) {
        QVERIFY(hasFlag(p.flags, PredictionFlag::Cluster));
        QCOMPARE(*p.largeRank, cl.locations[static_cast<std::size_t>(p.rank)]);
        sum += *p.largeRank / 87.0;
    }
    QVERIFY(std::abs(sum - *cl.centre) < 2e-3);
}

void TestTheory::predictedSd()
{
    // Isolated outlier: Var = (sigma^2/N) [(2/beta) H' + kappa4 sigma^2 D H'^2]; rank one N = 500,
    // theta = 2 (the note's numbers): GOE 0.05479, GUE 0.03874; rademacher with basis vectors
    // 0.04940 (kappa4 = -2, non-Gaussian), with Haar vectors the universal 0.05479; no sd with
    // heavy tails. A group of equal spikes: the sd of its mean, sdMean.
    struct Row
    {
        const char* noise;
        const char* eigvecs;
        double sd; // 0: none
        unsigned flags;
    };
    const Row rows[] = {
        {"gaussian", "basis", 0.05479, 0},
        {"complex", "basis", 0.03874, 0},
        {"rademacher", "basis", 0.04940, unsigned(PredictionFlag::NonGaussian)},
        {"rademacher", "haar", 0.05479, 0},
        {"student-t:3", "basis", 0.0,
         unsigned(PredictionFlag::HeavyTails) | unsigned(PredictionFlag::NonGaussian)},
        {"student-t:3", "haar", 0.0, unsigned(PredictionFlag::HeavyTails)},
    };
    for (const Row& r : rows) {
        Model m = model(500, 1.0, "list:2", "zero");
        m.noise = parseNoise(r.noise);
        m.eigvecs = parseEigvecs(r.eigvecs);
        const Theory th = computeTheory(m, 100);
        const auto& p = th.outliers[0];
        QCOMPARE(p.flags, r.flags);
        QCOMPARE(th.heavyTails, r.sd == 0.0);
        if (r.sd == 0.0) {
            QVERIFY(!p.sd && !th.kappa4);
            continue;
        }
        QVERIFY2(std::abs(*p.sd - r.sd) < 1e-5,
                 qPrintable(QString("%1 %2: %3").arg(r.noise, r.eigvecs).arg(*p.sd, 0, 'f', 6)));
    }
    QCOMPARE(*fourthCumulant(parseNoise("uniform")), -1.2);
    QCOMPARE(*fourthCumulant(parseNoise("sparse:0.5")), 3.0);
    QCOMPARE(*fourthCumulant(parseNoise("student-t:6")), 3.0);
    QVERIFY(!fourthCumulant(parseNoise("student-t:4")) && heavyTailed(parseNoise("student-t:4")));
    // Equal spikes: the group's sd is its interval's sdMean = sqrt((2/beta) sigma^2 (1 - sigma^2
    // (1-p)/theta^2) / (N k)) (one atom, no other spike).
    const Theory group = computeTheory(model(3000, 1.0, "equal:2.5", "zero", 0.6), 100);
    const double p = 122.0 / 3000.0;
    const double want = std::sqrt(2.0 * (1.0 - (1.0 - p) / 6.25) / (3000.0 * 122.0));
    QVERIFY(std::abs(*group.outliers[0].sd - want) < 1e-12);
    QCOMPARE(*group.outliers[0].sd, *group.equivalent.support[1].sdMean);
    // Several atoms in one cluster: no per-spike sd (the cluster's sdMean and spread describe
    // it), flagged.
    const Theory close = computeTheory(model(800, 1.0, "linear:1.5,4", "zero", 0.667), 100);
    QVERIFY(!close.outliers[0].sd && hasFlag(close.outliers[0].flags, PredictionFlag::Cluster));
}

void TestTheory::extremeScales_data()
{
    QTest::addColumn<int>("n");
    QTest::addColumn<double>("sigma");
    QTest::addColumn<QString>("spikes");
    QTest::addColumn<QString>("bulk");
    QTest::newRow("sigma 1e300") << 1000 << 1e300 << "list:3,-2"
                                 << "zero";
    QTest::newRow("sigma 1e300, spikes at scale") << 1000 << 1e300 << "list:3e300,-2.5e300"
                                                  << "uniform:-1e300,1e300";
    QTest::newRow("sigma 1e-150") << 1000 << 1e-150 << "list:3,-2"
                                  << "zero";
    QTest::newRow("sigma 1e-150, bulk") << 1000 << 1e-150 << "list:3,3,-2"
                                        << "uniform:-1,1";
    QTest::newRow("spikes +-1e300") << 1000 << 1.0 << "list:1e300,-1e300"
                                    << "zero";
    QTest::newRow("spikes +-1e308") << 1000 << 1.0 << "list:1e308,-1e308"
                                    << "zero";
    QTest::newRow("spikes +-1e300, sigma 1e-150") << 1000 << 1e-150 << "list:1e300,-1e300"
                                                  << "uniform:-1,1";
    QTest::newRow("N = 2") << 2 << 1.0 << "list:3"
                           << "zero";
    QTest::newRow("N = 2, r = N") << 2 << 1.0 << "list:1e300,-1e300"
                                  << "zero";
    QTest::newRow("N = 1e8, constant bulk") << 100'000'000 << 1.0 << "list:4,3,3,-2"
                                            << "uniform:0.5,0.5";
    QTest::newRow("N = 1e8, sigma 1e300") << 100'000'000 << 1e300 << "list:3e300"
                                          << "zero";
}

void TestTheory::extremeScales()
{
    // Valid but extreme input: every number finite (nothing NaN or infinite reaches the JSON or
    // the GUI), masses right, each kept outlier in its own component.
    QFETCH(int, n);
    QFETCH(double, sigma);
    QFETCH(QString, spikes);
    QFETCH(QString, bulk);
    const Model m = model(n, sigma, qPrintable(spikes), qPrintable(bulk));
    const Theory th = computeTheory(m, 400);
    checkFinite(th);
    for (const auto& p : th.outliers) {
        QVERIFY(std::isfinite(p.separation) || p.separation > 0.0); // +inf allowed, never NaN
        if (!p.largeRank)
            continue;
        const auto& sup = th.equivalent.support;
        const bool inside = std::any_of(sup.begin(), sup.end(), [&](const auto& iv) {
            return *p.largeRank >= iv.a && *p.largeRank <= iv.b;
        });
        QVERIFY2(inside, qPrintable(QString::number(*p.largeRank)));
    }
    // The semicircle's own density is finite and integrates to 1 (in units of sigma).
    QVERIFY(std::isfinite(semicircleDensity(sigma, 0.0)) && semicircleDensity(sigma, 0.0) > 0.0);
    QVERIFY(std::abs(semicircleDensity(sigma, sigma) * sigma -
                     std::sqrt(3.0) / (2.0 * std::numbers::pi)) < 1e-15);
}

void TestTheory::scaleInvariance()
{
    // mu_N is homogeneous: theory(sigma, S) = c * theory(sigma / c, S / c). With c = 1e300 and
    // c = 1e-150 the scaled problem must give the unit one times c.
    const Theory unit = computeTheory(model(500, 1.0, "list:3,3,-2.5", "uniform:-1,0.5"), 300);
    for (double c : {1e300, 1e-150}) {
        const QString spikes = QString("list:%1,%1,%2").arg(3.0 * c).arg(-2.5 * c);
        const QString bulk = QString("uniform:%1,%2").arg(-c).arg(0.5 * c);
        const Theory th = computeTheory(model(500, c, qPrintable(spikes), qPrintable(bulk)), 300);
        QCOMPARE(th.equivalent.support.size(), unit.equivalent.support.size());
        for (std::size_t k = 0; k < th.equivalent.support.size(); ++k) {
            QVERIFY(std::abs(th.equivalent.support[k].a / c - unit.equivalent.support[k].a) < 1e-9);
            QVERIFY(std::abs(th.equivalent.support[k].b / c - unit.equivalent.support[k].b) < 1e-9);
        }
        for (std::size_t j = 0; j < th.outliers.size(); ++j) {
            QVERIFY(th.outliers[j].largeRank && unit.outliers[j].largeRank);
            QVERIFY(std::abs(*th.outliers[j].largeRank / c - *unit.outliers[j].largeRank) < 1e-9);
            QVERIFY(std::abs(*th.outliers[j].finiteRank / c - *unit.outliers[j].finiteRank) < 1e-9);
        }
        for (double x : {-2.0, 0.0, 1.5, 3.3})
            QVERIFY(std::abs(deterministicEquivalentDensity(
                                 groupAtoms(signalSpectrum(
                                     model(500, c, qPrintable(spikes), qPrintable(bulk)))),
                                 c, x * c) *
                                 c -
                             deterministicEquivalentDensity(
                                 groupAtoms(signalSpectrum(
                                     model(500, 1.0, "list:3,3,-2.5", "uniform:-1,0.5"))),
                                 1.0, x)) < 1e-9);
    }
}

void TestTheory::beyondDoubleRangeIsRefused()
{
    // The support of mu_N for sigma = 1e308 reaches +-2e308: not representable, so an InputError
    // (shown next to the control) rather than infinities or NaN.
    QVERIFY_THROWS_EXCEPTION(InputError, computeTheory(model(100, 1e308, "equal:3", "zero")));
    QVERIFY_THROWS_EXCEPTION(InputError, computeTheory(model(100, 1e308, "list:1.7e308", "zero")));
    // Near the top of the range with sigma = 1 everything still fits.
    checkFinite(computeTheory(model(100, 1.0, "list:1.7e308,-1.7e308", "uniform:-1,1")));
    // A subnormal sigma: densities ~ 1/sigma overflow.
    QVERIFY_THROWS_EXCEPTION(InputError, computeTheory(model(100, 1e-310, "equal:3", "zero")));
}

void TestTheory::extremelyNarrowComponents()
{
    // N = 10^8 (the largest valid N), constant bulk: single spikes are components of mass 1e-8
    // and width ~ 4 sigma sqrt(1e-8) = 4e-4. They must come out finite, of positive width, with
    // the right mass and mean (quadrature as in groupPredictionIsTheComponentMean), quickly.
    QElapsedTimer timer;
    timer.start();
    const int n = 100'000'000;
    const Model m = model(n, 1.0, "list:1e6,3,-2", "zero");
    const Theory th = computeTheory(m, 400);
    checkFinite(th);
    const auto& sup = th.equivalent.support;
    QCOMPARE(sup.size(), std::size_t(4));
    for (std::size_t k = 0; k < 4; ++k)
        QVERIFY(sup[k].kind == (k == 1 ? IntervalKind::Bulk : IntervalKind::Cluster));
    const std::vector<Atom> atoms = {
        {-2.0, 1e-8}, {0.0, 1.0 - 3e-8}, {3.0, 1e-8}, {1e6, 1e-8}}; // N = 10^8 values, grouped
    for (std::size_t k : {0u, 2u, 3u}) {
        const auto& iv = sup[k];
        const double theta = atoms[k].value;
        QVERIFY(std::abs(iv.mass - 1e-8) < 1e-22);
        QVERIFY2(iv.b - iv.a > 2e-4 && iv.b - iv.a < 4.1e-4,
                 qPrintable(QString::number(iv.b - iv.a)));
        const auto& p = *std::find_if(th.outliers.begin(), th.outliers.end(),
                                      [&](const auto& q) { return q.theta == theta; });
        QVERIFY(p.largeRank && *p.largeRank > iv.a && *p.largeRank < iv.b);
        // Interior curve points of the component carry positive density.
        const auto [from, to] = componentPoints(th.equivalent, k);
        QVERIFY(to >= from + 2);
        for (std::size_t i = from + 1; i < to; ++i)
            QVERIFY(th.equivalent.density.y[i] > 0.0);
        const Moments mo = componentMoments(atoms, 1.0, iv.a, iv.b, 64);
        QVERIFY2(std::abs(mo.mass - 1e-8) < 10.0 * mo.massErr + 1e-12 * 1e-8,
                 qPrintable(QString::number(mo.mass)));
        QVERIFY2(std::abs(mo.mean - *p.largeRank) <
                     10.0 * mo.meanErr + 1e-12 * (std::abs(theta) + iv.b - iv.a),
                 qPrintable(QString::number(mo.mean - *p.largeRank)));
    }
    // Narrower than an ulp of x: at 1e15 the component (width 4e-4) rounds to the point 1e15.
    const Theory far = computeTheory(model(n, 1.0, "list:1e15", "zero"), 400);
    checkFinite(far);
    QCOMPARE(far.equivalent.support.back().a, 1e15);
    QCOMPARE(far.equivalent.support.back().b, 1e15);
    QCOMPARE(*far.outliers[0].largeRank, 1e15);
    qInfo("N = 1e8 narrow components: %lld ms", static_cast<long long>(timer.elapsed()));
    QVERIFY(timer.elapsed() < 10000);
}

QTEST_APPLESS_MAIN(TestTheory)
#include "tst_theory.moc"
