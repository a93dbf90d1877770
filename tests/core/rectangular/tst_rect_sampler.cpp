// Rectangular model by simulation: Marchenko-Pastur and the deterministic equivalent against
// histograms of sampled singular values, the outlier singular values (finite-rank BBP vs large
// rank), the threshold, and the runner (determinism for any thread count, cancel, memory guard).
// Statistical checks use fixed seeds and tolerances from the standard errors of the samples
// (several SE) plus a stated finite-N allowance, and each also checks that a wrong formula would
// be rejected by the same tolerance.
// TBB before any Qt header (Qt's emit macro clashes with oneTBB).
#include <tbb/task_arena.h>

#include "support/histogram_fit.h"
#include "support/core_models.h"
#include "core/model/families.h"
#include "core/util/histogram.h"
#include "core/rectangular/rectangular.h"
#include "core/sampling/rng.h"

#include <Eigen/Core>

#include <QtTest>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <initializer_list>
#include <utility>
#include <vector>

using namespace ws::core;

namespace {

// Samples, fitHistogram, HistogramFit, l1, mean, standardError (support/histogram_fit.h);
// families, runOptions (support/core_models.h).
using namespace testsupport;

RectModel model(int n, int m, const char* noise, const char* spikes, const char* bulk,
                double alpha = 0.0, double sigma = 1.0)
{
    return RectModel{families(sigma, noise, spikes, bulk, alpha), n, m};
}

// The columns n and m of a data-driven test, one row "c=<m/n>" per shape.
void shapeRows(std::initializer_list<std::pair<int, int>> shapes)
{
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("m");
    for (const auto& [n, m] : shapes)
        QTest::addRow("c=%g", static_cast<double>(m) / n) << n << m;
}

Samples sample(const RectModel& m, int k, std::uint64_t seed, int threads = 0)
{
    return runRectSamples(m, runOptions(k, seed, threads)).singularValues;
}

// Bin probabilities of singular values from the squared-value MP CDF.
std::vector<double> mpBins(const Histogram& h, double sigma, double c)
{
    std::vector<double> p;
    for (std::size_t b = 0; b + 1 < h.edges.size(); ++b)
        p.push_back(mpCdfSquared(sigma, c, h.edges[b + 1] * h.edges[b + 1]) -
                    mpCdfSquared(sigma, c, h.edges[b] * h.edges[b]));
    return p;
}

// Bin probabilities from a density curve (x ascending, piecewise linear): the cumulative
// trapezoid interpolated at the bin edges.
std::vector<double> curveBins(const Histogram& h, const Curve& c)
{
    std::vector<double> cum(c.x.size(), 0.0);
    for (std::size_t i = 1; i < c.x.size(); ++i)
        cum[i] = cum[i - 1] + 0.5 * (c.y[i] + c.y[i - 1]) * (c.x[i] - c.x[i - 1]);
    auto cdf = [&](double x) {
        if (x <= c.x.front())
            return 0.0;
        if (x >= c.x.back())
            return cum.back();
        const auto i =
            static_cast<std::size_t>(std::upper_bound(c.x.begin(), c.x.end(), x) - c.x.begin());
        const double x0 = c.x[i - 1], x1 = c.x[i];
        if (!(x1 > x0))
            return cum[i];
        const double t = (x - x0) / (x1 - x0);
        const double y = c.y[i - 1] + t * (c.y[i] - c.y[i - 1]);
        return cum[i - 1] + 0.5 * (c.y[i - 1] + y) * (x - x0);
    };
    std::vector<double> p;
    for (std::size_t b = 0; b + 1 < h.edges.size(); ++b)
        p.push_back(cdf(h.edges[b + 1]) - cdf(h.edges[b]));
    return p;
}

std::vector<double> ranked(const Samples& s, std::size_t rank) // rank 0 = largest
{
    std::vector<double> t;
    for (const auto& v : s)
        t.push_back(v[rank]);
    return t;
}

// Tracy-Widom scale of the largest singular value (Johnstone), as edgeMargin / 3.
double twScale(const RectModel& m)
{
    return 0.5 * m.sigma * std::cbrt(1.0 + 1.0 / std::sqrt(m.ratio())) *
           std::pow(static_cast<double>(m.n), -2.0 / 3.0);
}

} // namespace

class TestRectSampler : public QObject
{
    Q_OBJECT
private slots:
    void marchenkoPastur_data();
    void marchenkoPastur();
    void topSingularValueAtTheEdge();
    void universality_data();
    void universality();
    void deterministicEquivalentFullRank();
    void growingRankComponentCounts();
    void rankOneOutlier_data();
    void rankOneOutlier();
    void largeRankGroup();
    void fullRankBulkOutliers();
    void subcriticalSpike();
    void innerOutlier();
    void finiteRankOverlaps_data();
    void finiteRankOverlaps();
    void sameResultForAnyThreadCount();
    void cancel();
    void memoryGuard();
    void badOptions();
};

void TestRectSampler::marchenkoPastur_data()
{
    shapeRows({{600, 300}, {400, 400}, {300, 600}});
}

void TestRectSampler::marchenkoPastur()
{
    // S = 0: the singular values follow MP(sigma, c). 10 samples; 30 bins over the support.
    QFETCH(int, n);
    QFETCH(int, m);
    const double sigma = 1.3;
    const RectModel mod = model(n, m, "gaussian", "equal:0", "zero", 0.0, sigma);
    const Samples s = sample(mod, 10, 11);
    QCOMPARE(s.front().size(), std::size_t(std::min(n, m)));
    QVERIFY(std::is_sorted(s.front().begin(), s.front().end(), std::greater<>()));
    const MpEdges e = mpEdgesSingular(sigma, mod.ratio());
    const Histogram h = makeHistogram(std::max(0.0, e.lo - 0.2), e.hi + 0.2, 30);
    const HistogramFit fit = fitHistogram(s, h, mpBins(h, sigma, mod.ratio()));
    // 3 sum SE_b (the L1 distance's mean is ~0.8 sum SE_b) + 5/p for the O(1/p) difference of
    // the finite-N mean density from the limit (edges).
    const double tol = 3.0 * fit.noise + 5.0 / mod.minDim();
    qInfo("MP c=%.1f: L1 = %.4f, tolerance %.4f", mod.ratio(), fit.l1, tol);
    QVERIFY2(fit.l1 < tol, qPrintable(QString("L1 %1 >= %2").arg(fit.l1).arg(tol)));
    for (double wrong : {0.93, 1.07}) // power: a 7% error in sigma is rejected
        QVERIFY2(l1(fit.fraction, mpBins(h, wrong * sigma, mod.ratio())) > tol,
                 qPrintable(QString("sigma x %1 not rejected").arg(wrong)));
    // A wrong aspect ratio (c swapped for 1/c with the same sigma) is rejected too.
    if (n != m)
        QVERIFY(l1(fit.fraction, mpBins(h, sigma, 1.0 / mod.ratio())) > tol);
}

void TestRectSampler::topSingularValueAtTheEdge()
{
    // The largest singular value: sigma (1 + sqrt c) + s TW1 with Johnstone's scale s (stated in
    // singular-value units), E TW1 = -1.2065, sd 1.2680. 5 SE from the TW sd + 0.5 s allowance.
    const RectModel mod = model(300, 600, "gaussian", "equal:0", "zero");
    const int k = 20;
    const auto top = ranked(sample(mod, k, 12), 0);
    const double s = twScale(mod);
    const double expected = 1.0 + std::sqrt(2.0) - 1.2065 * s;
    const double tol = 5.0 * 1.268 * s / std::sqrt(k) + 0.5 * s;
    qInfo("top singular value %.4f, expected %.4f (tol %.4f)", mean(top), expected, tol);
    QVERIFY2(std::abs(mean(top) - expected) < tol, qPrintable(QString::number(mean(top))));
    QVERIFY(std::abs(mean(top) - (1.0 + std::sqrt(2.0)) - 0.0) > 0.5 * s); // TW shift is seen
}

void TestRectSampler::universality_data()
{
    QTest::addColumn<QString>("noise");
    QTest::addColumn<QString>("eigvecs");
    QTest::addColumn<double>("kappa4");
    QTest::newRow("rademacher") << "rademacher"
                                << "basis" << -2.0;
    QTest::newRow("uniform") << "uniform"
                             << "basis" << -1.2;
    QTest::newRow("sparse:0.5") << "sparse:0.5"
                                << "basis" << 3.0;
    QTest::newRow("student-t:8") << "student-t:8"
                                 << "basis" << 1.5;
    QTest::newRow("complex, haar") << "complex"
                                   << "haar" << 0.0;
}

void TestRectSampler::universality()
{
    // Any unit-variance noise gives MP; N = 200, M = 500, 8 samples. The 1/p allowance grows with
    // the fourth cumulant of the entries, as in tst_statistics.
    QFETCH(QString, noise);
    QFETCH(QString, eigvecs);
    QFETCH(double, kappa4);
    RectModel mod = model(200, 500, noise.toUtf8().constData(), "equal:0", "zero");
    mod.eigvecs = parseEigvecs(eigvecs.toStdString());
    const Samples s = sample(mod, 8, 13);
    const MpEdges e = mpEdgesSingular(1.0, mod.ratio());
    const Histogram h = makeHistogram(e.lo - 0.2, e.hi + 0.2, 25);
    const HistogramFit fit = fitHistogram(s, h, mpBins(h, 1.0, mod.ratio()));
    const double tol = 3.0 * fit.noise + (5.0 + std::abs(kappa4)) / mod.minDim();
    qInfo("%s: L1 = %.4f, tolerance %.4f", qPrintable(noise), fit.l1, tol);
    QVERIFY2(fit.l1 < tol, qPrintable(QString("L1 %1 >= %2").arg(fit.l1).arg(tol)));
    QVERIFY(l1(fit.fraction, mpBins(h, 1.08, mod.ratio())) > tol);
}

void TestRectSampler::deterministicEquivalentFullRank()
{
    // Full-rank S (singular values uniform on [0.5, 1.5]), haar U, V: the histogram follows the
    // deterministic equivalent, not MP.
    RectModel mod = model(300, 600, "gaussian", "equal:1", "uniform:0.5,1.5");
    mod.eigvecs = Eigvecs::Haar;
    const Samples s = sample(mod, 10, 14);
    const RectTheory th = computeRectTheory(mod, 6000);
    const Histogram h = makeHistogram(0.0, th.mpSingularEdges.hi + 1.0, 40);
    const auto p = curveBins(h, th.equivalent.singular);
    double total = 0.0;
    for (double v : p)
        total += v;
    QVERIFY2(std::abs(total - 1.0) < 1e-3, qPrintable(QString::number(total)));
    const HistogramFit fit = fitHistogram(s, h, p);
    const double tol = 3.0 * fit.noise + 5.0 / mod.minDim() + 2e-3; // + curve quadrature
    qInfo("full-rank DE: L1 = %.4f, tolerance %.4f", fit.l1, tol);
    QVERIFY2(fit.l1 < tol, qPrintable(QString("L1 %1 >= %2").arg(fit.l1).arg(tol)));
    QVERIFY(l1(fit.fraction, mpBins(h, 1.0, mod.ratio())) > tol); // MP alone is rejected
}

void TestRectSampler::growingRankComponentCounts()
{
    // Growing rank: r = ceil(400^0.7) = 67 spikes equal to 3, c = 2. The deterministic
    // equivalent has two components with p * mass = 333 and 67 singular values; the sampled
    // counts (split at the middle of the gap) match, and so does the histogram.
    const RectModel mod = model(400, 800, "gaussian", "equal:3", "zero", 0.7);
    QCOMPARE(mod.effectiveRank(), 67);
    const RectTheory th = computeRectTheory(mod, 4000);
    QCOMPARE(th.equivalent.support.size(), std::size_t(2));
    const auto& sup = th.equivalent.support;
    QVERIFY(std::abs(sup[0].mass * 400 - 333) < 1e-9 && std::abs(sup[1].mass * 400 - 67) < 1e-9);
    const double cut = 0.5 * (std::sqrt(sup[0].b) + std::sqrt(sup[1].a));
    const Samples s = sample(mod, 8, 15);
    std::vector<double> upper;
    for (const auto& v : s)
        upper.push_back(static_cast<double>(
            std::count_if(v.begin(), v.end(), [&](double y) { return y > cut; })));
    qInfo("growing rank: gap %.3f..%.3f, mean count above %.3f (predicted 67)", std::sqrt(sup[0].b),
          std::sqrt(sup[1].a), mean(upper));
    QCOMPARE(mean(upper), 67.0); // a gap of width O(1) holds no singular value at this N
    const Histogram h = makeHistogram(0.0, std::sqrt(sup[1].b) + 0.3, 40);
    const HistogramFit fit = fitHistogram(s, h, curveBins(h, th.equivalent.singular));
    const double tol = 3.0 * fit.noise + 5.0 / mod.minDim() + 2e-3;
    qInfo("growing rank DE: L1 = %.4f, tolerance %.4f", fit.l1, tol);
    QVERIFY2(fit.l1 < tol, qPrintable(QString("L1 %1 >= %2").arg(fit.l1).arg(tol)));
}

void TestRectSampler::rankOneOutlier_data()
{
    shapeRows({{400, 800}, {800, 400}});
}

void TestRectSampler::rankOneOutlier()
{
    // Rank one, theta = 3: the top singular value -> sigma sqrt((1+t^2)(c+t^2))/t, with
    // O(p^-1/2) Gaussian fluctuations. Both predictions agree to O(1/p); 5 SE + 3/p.
    QFETCH(int, n);
    QFETCH(int, m);
    const RectModel mod = model(n, m, "gaussian", "equal:3", "zero");
    const RectTheory th = computeRectTheory(mod, 300);
    const auto& pr = th.outliers[0];
    QVERIFY(pr.finiteRank && pr.largeRank && !pr.inMainBulk);
    const Samples s = sample(mod, 20, 16);
    const auto top = ranked(s, 0);
    const double se = standardError(top), tol = 5.0 * se + 3.0 / mod.minDim();
    qInfo("rank one c=%.1f: observed %.4f (SE %.4f), BBP %.4f, large-rank %.4f", mod.ratio(),
          mean(top), se, *pr.finiteRank, *pr.largeRank);
    QVERIFY(std::abs(mean(top) - *pr.finiteRank) < tol);
    QVERIFY(std::abs(mean(top) - *pr.largeRank) < tol);
    QVERIFY(std::abs(mean(top) - 3.0) > tol); // the spike itself is rejected
    const auto obs = observeRectOutliers(th, s);
    QCOMPARE(obs[0].samplesPresent, 20);
    QVERIFY(std::abs(*obs[0].mean - mean(top)) < 1e-12);
}

void TestRectSampler::largeRankGroup()
{
    // 121 equal spikes theta = 3 (alpha = 0.8), c = 2: the group's root-mean-square singular
    // value matches the large-rank value; the finite-rank (BBP) value is off by O(r/p) and
    // rejected by the same tolerance.
    const RectModel mod = model(400, 800, "gaussian", "equal:3", "zero", 0.8);
    const RectTheory th = computeRectTheory(mod, 300);
    const auto& pr = th.outliers[0];
    QCOMPARE(pr.multiplicity, 121);
    QVERIFY(pr.largeRank && pr.finiteRank);
    const Samples s = sample(mod, 8, 17);
    const auto obs = observeRectOutliers(th, s);
    QCOMPARE(obs[0].groupSize, 121);
    QCOMPARE(obs[0].samplesPresent, 8);
    const double se = *obs[0].sd / std::sqrt(8.0);
    const double tol = 5.0 * se + 3.0 / mod.minDim();
    qInfo("group of 121: observed rms %.4f (SE %.5f), large-rank %.4f, BBP %.4f", *obs[0].mean, se,
          *pr.largeRank, *pr.finiteRank);
    QVERIFY2(std::abs(*obs[0].mean - *pr.largeRank) < tol, "large-rank value");
    QVERIFY2(std::abs(*pr.largeRank - *pr.finiteRank) > 2.0 * tol, "predictions too close");
    QVERIFY2(std::abs(*obs[0].mean - *pr.finiteRank) > tol, "BBP value not rejected");
    // The squared view: mean of squares against largeRankSquared.
    const auto obs2 = observeRectOutliers(th, s, true);
    QVERIFY(std::abs(*obs2[0].mean - *pr.largeRankSquared) < 2.0 * pr.largeRank.value() * tol);
}

void TestRectSampler::fullRankBulkOutliers()
{
    // Full-rank S: bulk singular values uniform on [0.5, 1.5] plus spikes 2.4, 2.0, 1.8; c = 2,
    // sigma = 0.5 (large-rank 2.5830, 2.2412, 2.0935; BBP 2.5557, 2.1866, 2.0071). Every spike's
    // singular value matches the large-rank prediction; where the BBP value differs by more than
    // twice the tolerance it must be rejected, and it is for at least one spike.
    const RectModel mod =
        model(400, 800, "gaussian", "list:2.4,2.0,1.8", "uniform:0.5,1.5", 0.0, 0.5);
    const RectTheory th = computeRectTheory(mod, 400);
    const int k = 16;
    const Samples s = sample(mod, k, 18);
    int rejected = 0;
    for (std::size_t j = 0; j < 3; ++j) {
        const auto& pr = th.outliers[j];
        QVERIFY(pr.largeRank && pr.finiteRank);
        const auto xs = ranked(s, j);
        const double se = standardError(xs), tol = 5.0 * se + 3.0 / mod.minDim();
        qInfo("spike %.2f: observed %.4f (SE %.4f), large-rank %.4f, BBP %.4f", pr.theta, mean(xs),
              se, *pr.largeRank, *pr.finiteRank);
        QVERIFY2(std::abs(mean(xs) - *pr.largeRank) < tol,
                 qPrintable(
                     QString("spike %1: %2 vs %3").arg(pr.theta).arg(mean(xs)).arg(*pr.largeRank)));
        if (std::abs(*pr.largeRank - *pr.finiteRank) > 2.0 * tol) {
            QVERIFY(std::abs(mean(xs) - *pr.finiteRank) > tol);
            ++rejected;
        }
    }
    QVERIFY(rejected >= 1);
    const auto obs = observeRectOutliers(th, s);
    for (std::size_t j = 0; j < 3; ++j)
        QCOMPARE(obs[j].samplesPresent, k);
}

void TestRectSampler::subcriticalSpike()
{
    // theta = 0.6 sigma c^(1/4) < threshold: no outlier; the top singular value stays at the
    // edge (Tracy-Widom), far from the BBP formula applied below threshold (2.73 here).
    const RectModel mod = model(300, 600, "gaussian", "equal:0.7135", "zero");
    const RectTheory th = computeRectTheory(mod, 300);
    QVERIFY(!th.outliers[0].finiteRank && !th.outliers[0].largeRank);
    const int k = 20;
    const auto top = ranked(sample(mod, k, 19), 0);
    const double s = twScale(mod);
    const double expected = 1.0 + std::sqrt(2.0) - 1.2065 * s;
    const double tol = 5.0 * 1.268 * s / std::sqrt(k) + 0.5 * s;
    const double t = 0.7135;
    const double wrong = std::sqrt((1 + t * t) * (2 + t * t)) / t;
    qInfo("subcritical: top %.4f, edge %.4f, BBP formula %.4f", mean(top), expected, wrong);
    QVERIFY(std::abs(mean(top) - expected) < tol);
    QVERIFY(std::abs(mean(top) - wrong) > tol);
    QCOMPARE(observeRectOutliers(th, {top}).size(), std::size_t(1));
}

void TestRectSampler::innerOutlier()
{
    // A small singular value under a full-rank bulk (0.2 below uniform:2,3; sigma = 0.3, c = 2)
    // separates downwards: the smallest singular value matches the large-rank value (there is
    // no finite-rank formula for it) and is matched from the bottom.
    const RectModel mod = model(200, 400, "gaussian", "list:0.2", "uniform:2,3", 0.0, 0.3);
    const RectTheory th = computeRectTheory(mod, 300);
    const auto& pr = th.outliers[0];
    QCOMPARE(pr.side, -1);
    QVERIFY(pr.largeRank && !pr.finiteRank && !pr.inMainBulk);
    const int k = 10;
    const Samples s = sample(mod, k, 22);
    const auto low = ranked(s, std::size_t(mod.minDim() - 1));
    const double se = standardError(low), tol = 5.0 * se + 3.0 / mod.minDim();
    qInfo("inner outlier: observed %.4f (SE %.4f), large-rank %.4f, spike %.2f", mean(low), se,
          *pr.largeRank, pr.theta);
    QVERIFY(std::abs(mean(low) - *pr.largeRank) < tol);
    QVERIFY(std::abs(mean(low) - pr.theta) > tol);
    const auto obs = observeRectOutliers(th, s);
    QCOMPARE(obs[0].samplesPresent, k);
    QVERIFY(std::abs(*obs[0].mean - mean(low)) < 1e-12);
}

void TestRectSampler::finiteRankOverlaps_data()
{
    shapeRows({{300, 600}, {600, 300}});
}

void TestRectSampler::finiteRankOverlaps()
{
    // BGN's squared overlaps in this convention, by simulation: W = X/sqrt(N) + theta e_1 e_1^T
    // (basis), top singular vectors by power iteration on W W^T (the outlier is separated by a
    // factor ~2 in x from the edge, so 80 steps reach double precision). Per-sample overlaps
    // fluctuate by O(N^-1/2); 5 SE + 3/p.
    QFETCH(int, n);
    QFETCH(int, m);
    const double theta = 2.5;
    const RectModel mod = model(n, m, "gaussian", "equal:2.5", "zero");
    const auto pr = predictRectOutliers(mod);
    QVERIFY(pr[0].overlapLeft && pr[0].overlapRight);
    const int k = 10;
    std::vector<double> left, right;
    for (int s = 0; s < k; ++s) {
        Rng rng(23, static_cast<std::uint64_t>(s));
        Eigen::MatrixXd w(n, m);
        for (Eigen::Index j = 0; j < m; ++j)
            for (Eigen::Index i = 0; i < n; ++i)
                w(i, j) = rng.normal() / std::sqrt(static_cast<double>(n));
        w(0, 0) += theta;
        Eigen::VectorXd u = Eigen::VectorXd::Ones(n).normalized();
        for (int it = 0; it < 80; ++it)
            u = (w * (w.transpose() * u)).normalized();
        const Eigen::VectorXd v = (w.transpose() * u).normalized();
        left.push_back(u(0) * u(0));
        right.push_back(v(0) * v(0));
    }
    const double tl = 5.0 * standardError(left) + 3.0 / mod.minDim();
    const double tr = 5.0 * standardError(right) + 3.0 / mod.minDim();
    qInfo("overlaps c=%.1f: left %.4f (formula %.4f, tol %.4f), right %.4f (formula %.4f)",
          mod.ratio(), mean(left), *pr[0].overlapLeft, tl, mean(right), *pr[0].overlapRight);
    QVERIFY(std::abs(mean(left) - *pr[0].overlapLeft) < tl);
    QVERIFY(std::abs(mean(right) - *pr[0].overlapRight) < tr);
    // Power: left and right differ (c != 1), and the formulas are not interchangeable.
    QVERIFY(std::abs(mean(left) - *pr[0].overlapRight) > tl);
}

void TestRectSampler::sameResultForAnyThreadCount()
{
    for (const char* noise : {"gaussian", "complex", "student-t:5"}) {
        RectModel mod = model(150, 260, noise, "list:3,2", "uniform:0,0.5");
        mod.eigvecs = Eigvecs::Haar;
        const Samples a = sample(mod, 5, 20, 1), b = sample(mod, 5, 20, 2);
        QVERIFY(a == b);
        QVERIFY(a[0] != a[1]);
        QVERIFY(rectSample(mod, 20, 3) == a[3]);
    }
    // A different seed gives different numbers; the same seed the same ones.
    const RectModel mod = model(100, 90, "gaussian", "equal:2", "zero");
    QVERIFY(sample(mod, 2, 1) == sample(mod, 2, 1));
    QVERIFY(sample(mod, 2, 1) != sample(mod, 2, 2));
}

void TestRectSampler::cancel()
{
    const RectModel mod = model(200, 300, "gaussian", "equal:2", "zero");
    RunOptions o = runOptions(40, 21, 2);
    std::atomic<bool> stop{false};
    int progressCalls = 0;
    const RectRunResult r = runRectSamples(
        mod, o, &stop,
        [&](int done, int total) {
            ++progressCalls;
            QVERIFY(done <= total);
        },
        [&](int, const std::vector<double>&) { stop = true; });
    QVERIFY(r.cancelled);
    QVERIFY(r.completed >= 1 && r.completed < 40);
    QCOMPARE(static_cast<int>(r.singularValues.size()), r.completed);
    QCOMPARE(progressCalls, r.completed);
    for (std::size_t i = 0; i < r.singularValues.size(); ++i) // finished samples are complete
        QVERIFY(r.singularValues[i] ==
                rectSample(mod, 21, static_cast<std::uint64_t>(r.sampleIndex[i])));
    // Cancelled before the start: nothing.
    std::atomic<bool> pre{true};
    const RectRunResult none = runRectSamples(mod, o, &pre);
    QCOMPARE(none.completed, 0);
    QVERIFY(none.cancelled);
}

void TestRectSampler::memoryGuard()
{
    RectModel mod = model(2000, 4000, "gaussian", "equal:2", "zero");
    RunOptions o;
    o.samples = 2;
    o.threads = 1;
    o.memoryBudget = 16u << 20; // 16 MiB
    try {
        runRectSamples(mod, o);
        QFAIL("no ResourceError");
    } catch (const ResourceError& e) {
        const QString msg = e.what();
        qInfo("%s", e.what());
        QVERIFY(msg.contains("largest N that fits"));
        // The reported N fits, N + 1 does not.
        const int fit = msg.section("is ", -1).section(' ', 0, 0).toInt();
        QVERIFY(fit > 100 && fit < 2000);
        mod.n = fit;
        mod.m = 2 * fit;
        QVERIFY(rectRunPeakBytes(mod, 1, 2) <= o.memoryBudget);
        mod.n = fit + 1;
        mod.m = 2 * (fit + 1);
        QVERIFY(rectRunPeakBytes(mod, 1, 2) > o.memoryBudget);
    }
}

void TestRectSampler::badOptions()
{
    const RectModel mod = model(20, 30, "gaussian", "equal:2", "zero");
    RunOptions o;
    o.samples = 0;
    QVERIFY_THROWS_EXCEPTION(InputError, runRectSamples(mod, o));
    o.samples = 1;
    o.threads = -1;
    QVERIFY_THROWS_EXCEPTION(InputError, runRectSamples(mod, o));
    o.threads = 1;
    QVERIFY_THROWS_EXCEPTION(InputError,
                             runRectSamples(model(20, 30, "gaussian", "equal:-2", "zero"), o));
    // Degenerate shapes work: a single row (p = 1), a single column.
    QCOMPARE(runRectSamples(model(1, 30, "gaussian", "equal:2", "zero"), o)
                 .singularValues.front()
                 .size(),
             std::size_t(1));
    QCOMPARE(
        runRectSamples(model(30, 1, "complex", "equal:2", "zero"), o).singularValues.front().size(),
        std::size_t(1));
}

QTEST_APPLESS_MAIN(TestRectSampler)
#include "tst_rect_sampler.moc"
