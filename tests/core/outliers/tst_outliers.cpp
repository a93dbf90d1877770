// Observed outliers: matching of synthetic eigenvalue lists to the predictions.
#include "core/model/families.h"
#include "core/outliers/outliers.h"
#include "core/sampling/runner.h"

#include <QtTest>

#include <cmath>
#include <limits>

using namespace ws::core;

namespace {

OutlierPrediction spike(double theta, bool finite, bool large)
{
    OutlierPrediction p;
    p.theta = theta;
    if (finite)
        p.finiteRank = theta + 1.0 / theta;
    if (large)
        p.largeRank = theta + 1.1 / theta;
    return p;
}

// Main bulk [-2, 2]; with sigma = 1 and n = 1000 the widened bulk is [-2.03, 2.03].
Theory syntheticTheory()
{
    Theory th;
    th.mainBulkLo = -2.0;
    th.mainBulkHi = 2.0;
    th.outliers = {spike(4.0, true, false), spike(3.0, false, true), spike(1.5, false, false),
                   spike(-3.0, true, true), spike(-5.0, false, true)};
    return th;
}

} // namespace

class TestOutliers : public QObject
{
    Q_OBJECT
private slots:
    void matching();
    void meanCount();
    void noSamples();
    void equalSpikesAreAveragedAsAGroup();
    void groupsAndLoneSpikesShareTheRanks();
    void hugeValuesGiveFiniteStatistics();
    void widening();
    void againstTheory();
    void sampledGroupAverageIsTheLargeRankPrediction();
};

void TestOutliers::matching()
{
    const Theory th = syntheticTheory();
    // Unsorted samples. 2.02 and -2.01 are inside the widened bulk.
    const std::vector<std::vector<double>> samples = {
        {4.2, -2.01, 0.0, 3.1, -5.1, 2.02, -3.2},
        {2.5, -5.3, 0.0, 4.4, std::nan("")},
        {0.0, 4.0},
    };
    const auto obs = observeOutliers(th, 1.0, 1000, samples);
    QCOMPARE(obs.size(), std::size_t(5));
    // theta = 4 (largest positive): 4.2, 4.4, 4.0.
    QCOMPARE(obs[0].samplesPresent, 3);
    QVERIFY(std::abs(*obs[0].mean - 4.2) < 1e-12);
    QVERIFY(std::abs(*obs[0].sd - 0.2) < 1e-12);
    // theta = 3: second largest above the edge: 3.1, 2.5; absent in the third sample.
    QCOMPARE(obs[1].samplesPresent, 2);
    QVERIFY(std::abs(*obs[1].mean - 2.8) < 1e-12);
    QVERIFY(std::abs(*obs[1].sd - std::sqrt(0.18)) < 1e-12);
    // theta = 1.5: not predicted to separate, never matched.
    QCOMPARE(obs[2].samplesPresent, 0);
    QVERIFY(!obs[2].mean && !obs[2].sd);
    // theta = -5 (most negative) takes the smallest: -5.1, -5.3.
    QCOMPARE(obs[4].samplesPresent, 2);
    QVERIFY(std::abs(*obs[4].mean + 5.2) < 1e-12);
    QVERIFY(std::abs(*obs[4].sd - std::sqrt(0.02)) < 1e-12);
    // theta = -3: the second smallest, only in the first sample: a mean, no sd.
    QCOMPARE(obs[3].samplesPresent, 1);
    QVERIFY(std::abs(*obs[3].mean + 3.2) < 1e-12);
    QVERIFY(!obs[3].sd);
}

void TestOutliers::meanCount()
{
    const Theory th = syntheticTheory();
    const std::vector<std::vector<double>> samples = {
        {4.2, -2.01, 0.0, 3.1, -5.1, 2.02, -3.2}, // 4 outside [-2.03, 2.03]
        {2.5, -5.3, 0.0, 4.4, std::nan("")},      // 3 (NaN is no outlier)
        {0.0, 4.0},                               // 1
    };
    QVERIFY(std::abs(meanOutlierCount(th, 1.0, 1000, samples) - 8.0 / 3.0) < 1e-12);
}

void TestOutliers::noSamples()
{
    const Theory th = syntheticTheory();
    const auto obs = observeOutliers(th, 1.0, 1000, {});
    QCOMPARE(obs.size(), std::size_t(5));
    for (const auto& o : obs) {
        QCOMPARE(o.samplesPresent, 0);
        QVERIFY(!o.mean && !o.sd);
    }
    QCOMPARE(meanOutlierCount(th, 1.0, 1000, {}), 0.0);
    QCOMPARE(meanOutlierCount(th, 1.0, 1000, {{}}), 0.0);
}

void TestOutliers::equalSpikesAreAveragedAsAGroup()
{
    // A triple spike at 3: per sample the group's observation is the average of its three
    // eigenvalues (the centre of its component of mu_N), and all three report it.
    Theory th;
    th.mainBulkLo = -1.0;
    th.mainBulkHi = 1.0;
    th.outliers = {spike(3.0, true, true), spike(3.0, true, true), spike(3.0, true, true)};
    const auto obs = observeOutliers(
        th, 0.5, 100000, {{3.3, 3.1, 0.2, 3.2}, {3.25, 3.15}, {3.5, 3.0, 3.1}, {3.4, 3.6, 3.8}});
    // Averages 3.2, (incomplete: skipped), 3.2, 3.6.
    for (const auto& o : obs) {
        QCOMPARE(o.groupSize, 3);
        QCOMPARE(o.samplesPresent, 3);
        QVERIFY(std::abs(*o.mean - 10.0 / 3.0) < 1e-12);
        // sd of {3.2, 3.2, 3.6}: mean 10/3, deviations -2/15, -2/15, 4/15 -> var = 24/225 / 2.
        QVERIFY(std::abs(*o.sd - std::sqrt(12.0 / 225.0)) < 1e-12);
    }
}

void TestOutliers::groupsAndLoneSpikesShareTheRanks()
{
    // Spikes 5, 3, 3, 2, -4, -4 (unordered in the prediction list): 5 takes rank 0, the pair
    // at 3 ranks 1-2, 2 rank 3; the pair at -4 the two smallest.
    Theory th;
    th.mainBulkLo = -1.0;
    th.mainBulkHi = 1.0;
    th.outliers = {spike(3.0, true, true),  spike(-4.0, true, true), spike(5.0, true, true),
                   spike(2.0, true, true),  spike(3.0, true, true),  spike(-4.0, true, true),
                   spike(0.5, false, false)};
    const std::vector<std::vector<double>> samples = {
        {5.1, 3.4, 3.0, 2.2, -4.1, -3.7, 0.0},
        {5.3, 3.2, 2.8, 2.0, -4.5, -3.9, 0.3},
        {5.2, 3.3, 0.1, -4.3}, // the pair at 3 is incomplete: it and 2 are skipped; -4 too
    };
    const auto obs = observeOutliers(th, 1.0, 1000000, samples);
    QCOMPARE(obs.size(), std::size_t(7));
    // 5: 5.1, 5.3, 5.2.
    QCOMPARE(obs[2].groupSize, 1);
    QCOMPARE(obs[2].samplesPresent, 3);
    QVERIFY(std::abs(*obs[2].mean - 5.2) < 1e-12);
    QVERIFY(std::abs(*obs[2].sd - 0.1) < 1e-12);
    // The pair at 3: averages 3.2 and 3.0.
    for (std::size_t j : {0u, 4u}) {
        QCOMPARE(obs[j].groupSize, 2);
        QCOMPARE(obs[j].samplesPresent, 2);
        QVERIFY(std::abs(*obs[j].mean - 3.1) < 1e-12);
        QVERIFY(std::abs(*obs[j].sd - std::sqrt(0.02)) < 1e-12);
    }
    // 2 (rank 3, after the pair): 2.2, 2.0.
    QCOMPARE(obs[3].samplesPresent, 2);
    QVERIFY(std::abs(*obs[3].mean - 2.1) < 1e-12);
    // The pair at -4: averages -3.9 and -4.2.
    for (std::size_t j : {1u, 5u}) {
        QCOMPARE(obs[j].groupSize, 2);
        QCOMPARE(obs[j].samplesPresent, 2);
        QVERIFY(std::abs(*obs[j].mean + 4.05) < 1e-12);
    }
    QCOMPARE(obs[6].samplesPresent, 0);
    QCOMPARE(obs[6].groupSize, 1);
}

void TestOutliers::hugeValuesGiveFiniteStatistics()
{
    // Outliers near +-1e308 that differ by thousands of ulps (ulp = 2^971 ~ 2e292): squares of
    // the deviations overflow a plain accumulator; the sd must stay finite and right. Steps of
    // 2048 ulps keep every running mean exactly representable, so the expected sd is exact.
    Theory th;
    th.mainBulkLo = -2.0;
    th.mainBulkHi = 2.0;
    th.outliers = {spike(1e308, true, true), spike(-1e308, true, true)};
    const double step = 2048.0 * (std::nextafter(1e308, 2e307 * 9.0) - 1e308);
    std::vector<std::vector<double>> samples;
    for (int k = 0; k < 4; ++k)
        samples.push_back({1e308 + k * step, -1e308 - k * step, 0.0});
    const auto obs = observeOutliers(th, 1.0, 1000, samples);
    // Offsets {0, 1, 2, 3} steps: mean 1.5 steps, sd = step sqrt(5/3).
    const double sd = step * std::sqrt(5.0 / 3.0);
    for (std::size_t j = 0; j < 2; ++j) {
        QCOMPARE(obs[j].samplesPresent, 4);
        QVERIFY(std::isfinite(*obs[j].mean) && std::isfinite(*obs[j].sd));
        QVERIFY2(std::abs(*obs[j].sd - sd) < 1e-12 * sd,
                 qPrintable(QString::number(*obs[j].sd / sd)));
        QCOMPARE(std::abs(*obs[j].mean), 1e308 + 1.5 * step);
    }
    // A group mean of two values near the top of the range (their sum overflows).
    th.outliers = {spike(1.5e308, true, true), spike(1.5e308, true, true)};
    const auto pair = observeOutliers(th, 1.0, 1000, {{1.6e308, 1.4e308}, {1.7e308, 1.5e308}});
    QVERIFY(std::abs(*pair[0].mean - 1.55e308) < 1e-12 * 1.55e308);
    QVERIFY(std::abs(*pair[0].sd - std::sqrt(0.5) * 0.1e308) < 1e-12 * 1e307);
    // Values spanning the whole range: the sd saturates instead of becoming infinite.
    th.outliers = {spike(1.0, true, true)};
    const double big = std::numeric_limits<double>::max();
    const auto span = observeOutliers(th, 1.0, 1000, {{big}, {3.0}, {big}});
    QVERIFY(std::isfinite(*span[0].sd));
}

void TestOutliers::widening()
{
    // The widening is 3 sigma N^(-2/3): 0.3 for sigma = 0.4, N = 8.
    Theory th;
    th.mainBulkLo = -1.0;
    th.mainBulkHi = 1.0;
    th.outliers = {spike(2.0, true, true), spike(-2.0, true, true)};
    const auto in = observeOutliers(th, 0.4, 8, {{1.29, -1.29}});
    QCOMPARE(in[0].samplesPresent, 0);
    QCOMPARE(in[1].samplesPresent, 0);
    const auto out = observeOutliers(th, 0.4, 8, {{1.31, -1.31}});
    QCOMPARE(out[0].samplesPresent, 1);
    QCOMPARE(out[1].samplesPresent, 1);
    QCOMPARE(meanOutlierCount(th, 0.4, 8, {{1.29, -1.29, 1.31, -1.31, 0.0}}), 2.0);
}

void TestOutliers::againstTheory()
{
    // Real predictions; synthetic samples: a bulk inside the main bulk plus eigenvalues at the
    // large-rank predictions shifted by known amounts.
    Model m;
    m.n = 2000;
    m.sigma = 1.0;
    m.spikes = parseSpikes("list:4,2.5,-3,0.5");
    m.bulk = parseBulk("uniform:-1,1");
    const Theory th = computeTheory(m, 400);
    QCOMPARE(th.outliers.size(), std::size_t(4));
    QVERIFY(!th.outliers[2].largeRank && !th.outliers[2].finiteRank); // 0.5: inside the bulk
    std::vector<std::vector<double>> samples;
    const double shifts[] = {-0.01, 0.02, 0.005};
    for (double sh : shifts) {
        std::vector<double> eig;
        for (int i = 0; i < 100; ++i)
            eig.push_back(th.mainBulkLo + (th.mainBulkHi - th.mainBulkLo) * (i + 0.5) / 100);
        for (std::size_t j : {0u, 1u, 3u})
            eig.push_back(*th.outliers[j].largeRank + sh);
        samples.push_back(eig);
    }
    const auto obs = observeOutliers(th, m.sigma, m.n, samples);
    for (std::size_t j : {0u, 1u, 3u}) {
        QCOMPARE(obs[j].samplesPresent, 3);
        QVERIFY(std::abs(*obs[j].mean - (*th.outliers[j].largeRank + 0.005)) < 1e-12);
        QVERIFY(std::abs(*obs[j].sd - 0.015) < 1e-12);
    }
    QCOMPARE(obs[2].samplesPresent, 0);
    QCOMPARE(meanOutlierCount(th, m.sigma, m.n, samples), 3.0);
}

void TestOutliers::sampledGroupAverageIsTheLargeRankPrediction()
{
    // equal:3, alpha = 0.5, N = 1000 (r = 32), GOE: one component of mu_N of mass 32/N on
    // about [2.99, 3.66] whose mean is theta + sigma^2 G = 3 + (N - 32)/(3N) = 3.32267. The
    // group's per-sample average must match it within 5 standard errors plus 3/N (the allowance
    // for finite-N corrections used in tst_statistics; for a statistic linear in x on the
    // component the O(1) GOE correction to the mean vanishes at leading order). Before grouping
    // the first spike reported the top eigenvalue (~3.65: the band's edge).
    Model m;
    m.n = 1000;
    m.sigma = 1.0;
    m.rank.alpha = 0.5;
    m.spikes = parseSpikes("equal:3");
    m.bulk = parseBulk("zero");
    const Theory th = computeTheory(m, 200);
    QCOMPARE(th.outliers.size(), std::size_t(32));
    const double want = 3.0 + (m.n - 32.0) / m.n / 3.0;
    QVERIFY(std::abs(*th.outliers[0].largeRank - want) < 1e-12);

    RunOptions o;
    o.samples = 30;
    o.seed = 20240611;
    const RunResult run = runSamples(m, o);
    QCOMPARE(run.completed, 30);
    const auto obs = observeOutliers(th, m.sigma, m.n, run.eigenvalues);
    // The same group average computed here from the 32 largest eigenvalues of each sample.
    std::vector<double> avg;
    double top = 0.0;
    for (const auto& ev : run.eigenvalues) {
        std::vector<double> v = ev;
        std::sort(v.begin(), v.end(), std::greater<>());
        double sum = 0.0;
        for (int i = 0; i < 32; ++i)
            sum += v[static_cast<std::size_t>(i)];
        avg.push_back(sum / 32.0);
        top += v[0] / 30.0;
    }
    double mean = 0.0, var = 0.0;
    for (double a : avg)
        mean += a / 30.0;
    for (double a : avg)
        var += (a - mean) * (a - mean) / 29.0;
    const double se = std::sqrt(var / 30.0);
    const double tol = 5.0 * se + 3.0 / m.n;
    qInfo("group average %.5f +- %.5f (SE), predicted %.5f, top eigenvalue %.4f", mean, se, want,
          top);
    for (const auto& x : obs) {
        QCOMPARE(x.groupSize, 32);
        QCOMPARE(x.samplesPresent, 30); // the whole band lies beyond the widened edge
        QVERIFY(std::abs(*x.mean - mean) < 1e-12);
        QVERIFY(std::abs(*x.sd - std::sqrt(var)) < 1e-9);
    }
    QVERIFY2(std::abs(mean - want) < tol,
             qPrintable(QString("%1 vs %2 (tol %3)").arg(mean).arg(want).arg(tol)));
    QVERIFY(se > 0.0 && tol < 0.02);
    QVERIFY(std::abs(top - want) > 10.0 * tol); // what per-rank matching used to report
}

QTEST_APPLESS_MAIN(TestOutliers)
#include "tst_outliers.moc"
