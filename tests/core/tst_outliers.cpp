// Observed outliers: matching of synthetic eigenvalue lists to the predictions.
#include "core/families.h"
#include "core/outliers.h"

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
    void equalSpikesTakeConsecutiveEigenvalues();
    void widening();
    void againstTheory();
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

void TestOutliers::equalSpikesTakeConsecutiveEigenvalues()
{
    Theory th;
    th.mainBulkLo = -1.0;
    th.mainBulkHi = 1.0;
    th.outliers = {spike(3.0, true, true), spike(3.0, true, true), spike(3.0, true, true)};
    const auto obs = observeOutliers(th, 0.5, 100000, {{3.3, 3.1, 0.2, 3.2}, {3.25, 3.15}});
    QVERIFY(std::abs(*obs[0].mean - 3.275) < 1e-12);
    QVERIFY(std::abs(*obs[1].mean - 3.175) < 1e-12);
    QCOMPARE(obs[2].samplesPresent, 1);
    QVERIFY(std::abs(*obs[2].mean - 3.1) < 1e-12);
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

QTEST_APPLESS_MAIN(TestOutliers)
#include "tst_outliers.moc"
