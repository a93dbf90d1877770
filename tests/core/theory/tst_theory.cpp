// Theory: semicircle and the deterministic equivalent (Biane). Checks use facts independent of
// the implementation: the semicircle for S = 0, the exact two-atom split criterion, the edge
// equation, Pastur's equation, Biane's masses. Predictions: tst_predictions; the labelled
// intervals: tst_components; the far field of the sums: tst_far_field.
// TBB before any Qt header (Qt's emit macro clashes with oneTBB).
#include <tbb/task_arena.h>

#include "theory_fixtures.h"

#include <QElapsedTimer>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <vector>

using namespace ws::core;
using namespace theorytest;

using testsupport::Integral;
using testsupport::trapezoid;

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

    // sigma small against the range (a spike at 1, sigma = 1e-3): half the points on
    // [-2 sigma, 2 sigma], x ascending, the mass still 1 (an even grid put 3 of 800 inside and
    // integrated to 1.037).
    const Curve narrow = semicircleCurve(1e-3, 800, -0.1, 1.1);
    QCOMPARE(narrow.x.size(), std::size_t(800));
    QVERIFY(std::is_sorted(narrow.x.begin(), narrow.x.end()));
    QCOMPARE(narrow.x.front(), -0.1);
    QCOMPARE(narrow.x.back(), 1.1);
    const auto inside = std::count_if(narrow.x.begin(), narrow.x.end(),
                                      [](double x) { return std::abs(x) <= 2e-3; });
    QVERIFY2(inside >= 400, qPrintable(QString::number(inside)));
    const Integral mass = trapezoid(narrow, 0, narrow.x.size() - 1);
    QVERIFY2(std::abs(mass.value - 1.0) < 1e-3, qPrintable(QString::number(mass.value)));
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
    // A bulk with 60 spikes (exact sums), and 6,000 atoms in 6,000 components with 122 spikes
    // (the far field's cells, the atoms' tree: docs/model.md#numerics-of-the-theory).
    struct Case
    {
        std::vector<Atom> atoms;
        double sigma;
        Model m;
    };
    const Case cases[] = {{groupAtoms(concat(evenly(3000, -1.0, 1.0), evenly(60, 3.0, 9.0))), 0.8,
                           model(3000, 1.0, "linear:2,6", "semicircle:1")},
                          {groupAtoms(evenly(6000, 0.0, 60.0)), 0.05,
                           model(3000, 1.0, "linear:2,6", "semicircle:1", 0.6)}};
    for (const Case& c : cases) {
        DeterministicEquivalent one;
        std::vector<OutlierPrediction> predOne;
        tbb::task_arena arena(1);
        arena.execute([&] {
            one = deterministicEquivalent(c.atoms, c.sigma, 1000);
            predOne = predictOutliers(c.m);
        });
        const auto many = deterministicEquivalent(c.atoms, c.sigma, 1000);
        const auto predMany = predictOutliers(c.m);
        QVERIFY(one.density.x == many.density.x); // bitwise
        QVERIFY(one.density.y == many.density.y);
        QCOMPARE(one.support.size(), many.support.size());
        for (std::size_t k = 0; k < one.support.size(); ++k) {
            QCOMPARE(one.support[k].a, many.support[k].a);
            QCOMPARE(one.support[k].b, many.support[k].b);
            QCOMPARE(one.support[k].hi.gamma, many.support[k].hi.gamma);
        }
        QCOMPARE(predOne.size(), predMany.size());
        for (std::size_t j = 0; j < predOne.size(); ++j) {
            QCOMPARE(predOne[j].largeRank, predMany[j].largeRank);
            QCOMPARE(predOne[j].separation, predMany[j].separation);
        }
    }
    // The labelled intervals too: moments, regularity, classical locations, per-spike values.
    const Model close = model(800, 1.0, "linear:1.5,4", "uniform:-0.5,0.5", 0.667);
    Theory tOne;
    tbb::task_arena(1).execute([&] { tOne = computeTheory(close, 300); });
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

QTEST_APPLESS_MAIN(TestTheory)
#include "tst_theory.moc"
