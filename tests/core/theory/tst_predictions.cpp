// Theory: the outlier predictions (predictOutliers) and computeTheory as a whole, from sums over
// the spectrum computed here by brute force; extreme but valid scales and what is refused.
// TBB before any Qt header (Qt's emit macro clashes with oneTBB).
#include <tbb/task_arena.h>

#include "theory_fixtures.h"
#include "support/thread_cpu.h"

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

class TestPredictions : public QObject
{
    Q_OBJECT
private slots:
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
    void extremeScales_data();
    void extremeScales();
    void scaleInvariance();
    void beyondDoubleRangeIsRefused();
    void extremelyNarrowComponents();
};

void TestPredictions::knownOutlierValues()
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

void TestPredictions::largeRankSumsMatchBruteForce()
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

void TestPredictions::separationFlipsAtSigma_data()
{
    QTest::addColumn<double>("theta");
    QTest::addColumn<bool>("separates");
    QTest::newRow("2.01") << 2.01 << true;
    QTest::newRow("1.99") << 1.99 << false;
    QTest::newRow("-2.01") << -2.01 << true;
    QTest::newRow("-1.99") << -1.99 << false;
    QTest::newRow("0") << 0.0 << false;
}

void TestPredictions::separationFlipsAtSigma()
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

void TestPredictions::spikeInsideTheBulkDoesNotSeparate()
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

void TestPredictions::equalSpikesExcludeTheirOwnAtom()
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

void TestPredictions::computeTheoryCoversEverything()
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

void TestPredictions::computeTheoryUsesTheWholeSpectrum_data()
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

void TestPredictions::computeTheoryUsesTheWholeSpectrum()
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

void TestPredictions::hugeConstantBulk()
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

void TestPredictions::extremeScales_data()
{
    QTest::addColumn<Model>("m");
    QTest::newRow("sigma 1e300") << model(1000, 1e300, "list:3,-2", "zero");
    QTest::newRow("sigma 1e300, spikes at scale")
        << model(1000, 1e300, "list:3e300,-2.5e300", "uniform:-1e300,1e300");
    QTest::newRow("sigma 1e-150") << model(1000, 1e-150, "list:3,-2", "zero");
    QTest::newRow("sigma 1e-150, bulk") << model(1000, 1e-150, "list:3,3,-2", "uniform:-1,1");
    QTest::newRow("spikes +-1e300") << model(1000, 1.0, "list:1e300,-1e300", "zero");
    QTest::newRow("spikes +-1e308") << model(1000, 1.0, "list:1e308,-1e308", "zero");
    QTest::newRow("spikes +-1e300, sigma 1e-150")
        << model(1000, 1e-150, "list:1e300,-1e300", "uniform:-1,1");
    QTest::newRow("N = 2") << model(2, 1.0, "list:3", "zero");
    QTest::newRow("N = 2, r = N") << model(2, 1.0, "list:1e300,-1e300", "zero");
    QTest::newRow("N = 1e8, constant bulk")
        << model(100'000'000, 1.0, "list:4,3,3,-2", "uniform:0.5,0.5");
    QTest::newRow("N = 1e8, sigma 1e300") << model(100'000'000, 1e300, "list:3e300", "zero");
}

void TestPredictions::extremeScales()
{
    // Valid but extreme input: every number finite (nothing NaN or infinite reaches the JSON or
    // the GUI), masses right, each kept outlier in its own component.
    QFETCH(Model, m);
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
    const double sigma = m.sigma;
    QVERIFY(std::isfinite(semicircleDensity(sigma, 0.0)) && semicircleDensity(sigma, 0.0) > 0.0);
    QVERIFY(std::abs(semicircleDensity(sigma, sigma) * sigma -
                     std::sqrt(3.0) / (2.0 * std::numbers::pi)) < 1e-15);
}

void TestPredictions::scaleInvariance()
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

void TestPredictions::beyondDoubleRangeIsRefused()
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

void TestPredictions::extremelyNarrowComponents()
{
    // N = 10^8 (the largest valid N), constant bulk: single spikes are components of mass 1e-8
    // and width ~ 4 sigma sqrt(1e-8) = 4e-4. They must come out finite, of positive width, with
    // the right mass and mean (quadrature as in groupPredictionIsTheComponentMean), quickly.
    const double cpu0 = testsupport::processCpuMs();
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
    const double cpuMs = testsupport::processCpuMs() - cpu0; // not wall time: load adds none
    qInfo("N = 1e8 narrow components: %.0f ms of CPU", cpuMs);
    QVERIFY(cpuMs < 10000);
}

QTEST_APPLESS_MAIN(TestPredictions)
#include "tst_predictions.moc"
