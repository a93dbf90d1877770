// Observed outliers of the rectangular model with a bulk of S in several lumps: the square
// model's rule (core/outliers) must see every lump as bulk, match an outlier in a gap between
// lumps (or below the lowest) to its spike, and give a spike inside a lump no observed value.
// Before, every value beyond the largest lump was an "outlier" assigned in rank order: the gap
// spike 1.5 of the review's case got the top of the upper lump (3.32 against 1.55), and a spike
// inside the lower lump got a value of that lump. Fixed seeds; tolerances from the standard
// error of the samples (5 SE) plus 3/p for finite p, as in tst_rect_sampler.
// TBB before any Qt header (Qt's emit macro clashes with oneTBB).
#include <tbb/task_arena.h>

#include "support/core_models.h"
#include "support/histogram_fit.h"
#include "core/rectangular/rectangular.h"

#include <QtTest>

#include <cmath>
#include <vector>

using namespace ws::core;

namespace {

using namespace testsupport;

RectModel model(int n, int m, const char* spikes, const char* bulk, double sigma)
{
    return RectModel{families(sigma, "gaussian", spikes, bulk, 0.0), n, m};
}

Samples sample(const RectModel& m, int k, std::uint64_t seed)
{
    return runRectSamples(m, runOptions(k, seed, 0)).singularValues;
}

// The spike's observation within 5 SE (its own sd over the samples) + 3/p of its large-rank
// value; the SE needs at least two samples.
void checkObserved(const RectTheory& th, const std::vector<ObservedOutlier>& obs, std::size_t j,
                   int samples)
{
    const auto& pr = th.outliers[j];
    QVERIFY2(pr.largeRank, qPrintable(QString("theta %1: no large-rank value").arg(pr.theta)));
    QVERIFY2(obs[j].mean && obs[j].sd, qPrintable(QString("theta %1: not observed").arg(pr.theta)));
    QCOMPARE(obs[j].samplesPresent, samples);
    const double tol = 5.0 * *obs[j].sd / std::sqrt(static_cast<double>(samples)) + 3.0 / th.p;
    qInfo("theta %.3f: observed %.5f +- %.5f, large-rank %.5f, tolerance %.5f", pr.theta,
          *obs[j].mean, *obs[j].sd, *pr.largeRank, tol);
    QVERIFY2(std::abs(*obs[j].mean - *pr.largeRank) < tol,
             qPrintable(QString("theta %1: observed %2, predicted %3")
                            .arg(pr.theta)
                            .arg(*obs[j].mean)
                            .arg(*pr.largeRank)));
}

// Each bulk lump holds about p times its mass values in every sample (they never leak as
// outliers); the observed count per sample within 1 of the prediction on average.
void checkLumpCounts(const RectTheory& th, const OutlierObservation& o)
{
    const auto& sup = th.equivalent.support;
    QCOMPARE(o.intervals.size(), sup.size());
    for (std::size_t k = 0; k < sup.size(); ++k) {
        qInfo("interval [%.4f, %.4f] %s: predicted %d, observed %.3f (%lld..%lld)",
              std::sqrt(sup[k].a), std::sqrt(sup[k].b), toString(sup[k].kind).c_str(), sup[k].count,
              o.intervals[k].meanCount, static_cast<long long>(o.intervals[k].minCount),
              static_cast<long long>(o.intervals[k].maxCount));
        QVERIFY(std::abs(o.intervals[k].meanCount - sup[k].count) <= 1.0);
    }
}

} // namespace

class TestRectOutliers : public QObject
{
    Q_OBJECT
private slots:
    void labelsAndClaims();
    void gapSpikeReviewCase();
    void gapSpikeSquared();
    void gapSpikeBelowLowerLump();
    void spikeInsideLumpNotObserved();
    void oneLumpUnchanged();
    void clusterOfDistinctSpikes();
};

void TestRectOutliers::labelsAndClaims()
{
    // The review's model: lumps at 0.2 and 3 (199 values each), spikes 5 and 1.5. Four
    // intervals: lump, cluster of 1.5 (in the gap), lump, cluster of 5; the claims ascend,
    // disjoint, each containing its interval.
    const RectModel m = model(400, 800, "list:5,1.5", "twopoint:0.2,3,0.5", 0.3);
    const RectTheory th = computeRectTheory(m, 400);
    const auto& sup = th.equivalent.support;
    QCOMPARE(sup.size(), std::size_t(4));
    const IntervalKind want[] = {IntervalKind::Bulk, IntervalKind::Cluster, IntervalKind::Bulk,
                                 IntervalKind::Cluster};
    const int counts[] = {199, 1, 199, 1};
    for (std::size_t k = 0; k < 4; ++k) {
        QVERIFY(sup[k].kind == want[k]);
        QCOMPARE(sup[k].count, counts[k]);
        QVERIFY(sup[k].claimLo <= std::sqrt(sup[k].a) && std::sqrt(sup[k].b) <= sup[k].claimHi);
        if (k > 0)
            QVERIFY(sup[k - 1].claimHi < sup[k].claimLo);
    }
    QCOMPARE(th.outliers[0].interval, std::size_t(3));
    QCOMPARE(th.outliers[1].interval, std::size_t(1));
    QVERIFY(!th.outliers[0].absorbed && !th.outliers[1].absorbed);
    // The square model's view keeps the labels and maps the claims to squared units in order.
    const Theory sq = rectOutlierView(th, true);
    for (std::size_t k = 0; k < 4; ++k) {
        QVERIFY(sq.equivalent.support[k].kind == want[k]);
        QVERIFY(sq.equivalent.support[k].claimLo <= sup[k].a);
        QVERIFY(sup[k].b <= sq.equivalent.support[k].claimHi);
    }
}

void TestRectOutliers::gapSpikeReviewCase()
{
    // rect sample --n 400 --c 2 --bulk twopoint:0.2,3,0.5 --sigma 0.3 --spikes list:5,1.5
    // --samples 10 (seed 1): spike 1.5's outlier sits in the gap at ~1.550 (an independent
    // numpy simulation: 1.537-1.560); it was reported as 3.3246, the top of the upper lump.
    const RectModel m = model(400, 800, "list:5,1.5", "twopoint:0.2,3,0.5", 0.3);
    const RectTheory th = computeRectTheory(m);
    const int k = 10;
    const Samples s = sample(m, k, 1);
    const OutlierObservation o = observeRectSpectrum(th, s);
    checkObserved(th, o.spikes, 0, k);
    checkObserved(th, o.spikes, 1, k);
    QVERIFY(std::abs(*o.spikes[1].mean - 1.55) < 0.02);
    checkLumpCounts(th, o);
    QVERIFY(std::abs(o.meanOutliers - 2.0) < 1e-12);
    QCOMPARE(o.meanUnexplained, 0.0);
    // observeRectOutliers is the same observation.
    const auto spikes = observeRectOutliers(th, s);
    QCOMPARE(spikes.size(), o.spikes.size());
    for (std::size_t j = 0; j < spikes.size(); ++j)
        QCOMPARE(spikes[j].mean, o.spikes[j].mean);
}

void TestRectOutliers::gapSpikeSquared()
{
    // The same in squared units: the mean of the squares against largeRankSquared.
    const RectModel m = model(400, 800, "list:5,1.5", "twopoint:0.2,3,0.5", 0.3);
    const RectTheory th = computeRectTheory(m);
    const int k = 10;
    const OutlierObservation o = observeRectSpectrum(th, sample(m, k, 3), true);
    const auto& pr = th.outliers[1];
    QVERIFY(o.spikes[1].mean && o.spikes[1].sd);
    QCOMPARE(o.spikes[1].samplesPresent, k);
    const double tol = 5.0 * *o.spikes[1].sd / std::sqrt(double(k)) + 3.0 * 2.0 * 1.5 / th.p;
    QVERIFY(std::abs(*o.spikes[1].mean - *pr.largeRankSquared) < tol);
    checkLumpCounts(th, o);
}

void TestRectOutliers::gapSpikeBelowLowerLump()
{
    // c = 0.5, lumps at 1 and 3: spike 2 in the gap (large-rank ~2.017; it was reported as
    // 0.821, the bottom of the lower lump), spike 4 above, spike 0.1 below the lower lump.
    const RectModel m = model(400, 200, "list:0.1,2,4", "twopoint:1,3,0.5", 0.3);
    const RectTheory th = computeRectTheory(m);
    const int k = 10;
    const Samples s = sample(m, k, 4);
    const OutlierObservation o = observeRectSpectrum(th, s);
    checkLumpCounts(th, o);
    for (std::size_t j = 0; j < 3; ++j) {
        const auto& pr = th.outliers[j];
        if (pr.absorbed) {
            QVERIFY(!o.spikes[j].mean);
            continue;
        }
        checkObserved(th, o.spikes, j, k);
    }
    QVERIFY(!th.outliers[1].absorbed); // spike 2, the one the review found
    QVERIFY(std::abs(*o.spikes[1].mean - 2.017) < 0.02);
}

void TestRectOutliers::spikeInsideLumpNotObserved()
{
    // c = 0.5, lumps at 1 (30%) and 3 (70%), spike 1.02 inside the lower lump: absorbed, no
    // large-rank value and no observed one (it was "observed" at 0.865, the lower lump's
    // bottom); spike 5 is observed; the lumps keep their counts, one outlier per sample.
    const RectModel m = model(400, 200, "list:1.02,5", "twopoint:1,3,0.3", 0.3);
    const RectTheory th = computeRectTheory(m);
    const auto& in = th.outliers[1];
    QCOMPARE(in.theta, 1.02);
    QVERIFY(in.absorbed && !in.inMainBulk && !in.largeRank);
    QVERIFY(th.equivalent.support[in.interval].kind == IntervalKind::Bulk);
    const int k = 10;
    const OutlierObservation o = observeRectSpectrum(th, sample(m, k, 5));
    QVERIFY(!o.spikes[1].mean);
    QCOMPARE(o.spikes[1].samplesPresent, 0);
    checkObserved(th, o.spikes, 0, k);
    checkLumpCounts(th, o);
    QVERIFY(o.meanOutliers - o.meanUnexplained == 1.0);
    QVERIFY(o.meanUnexplained <= 0.2);
}

void TestRectOutliers::oneLumpUnchanged()
{
    // A one-lump bulk (zero; spikes 4, 3, 2 at c = 0.5; the golden rect_sample model): each
    // spike's observation is the value of its rank, as the old rule gave, in every sample.
    const RectModel m = model(200, 100, "list:4,3,2", "zero", 1.0);
    const RectTheory th = computeRectTheory(m);
    const int k = 6;
    const Samples s = sample(m, k, 2);
    const OutlierObservation o = observeRectSpectrum(th, s);
    for (std::size_t j = 0; j < 3; ++j) {
        std::vector<double> v;
        for (const auto& sv : s)
            v.push_back(sv[j]);
        QCOMPARE(o.spikes[j].samplesPresent, k);
        QVERIFY(std::abs(*o.spikes[j].mean - mean(v)) < 1e-12);
    }
    QCOMPARE(o.meanUnexplained, 0.0);
}

// 37 distinct spikes from 1.01 down to 0.33 (power law: the lowest ~0.003 apart) below a bulk
// of S on [1.92, 3.87]: the two strongest separate, the other 35 form one cluster. The residue x_j
// is the mean over a spike's own component only; inside a shared cluster it put the lowest spikes
// at 0.08-0.22, outside the cluster [0.36, 0.87], against 0.38-0.39 observed. As in the square
// model, a spike sharing its cluster is predicted at the mean of its ranks' classical locations:
// inside the cluster, in the order of the spikes, and where the samples put it.
void TestRectOutliers::clusterOfDistinctSpikes()
{
    RectModel m{families(0.5, "gaussian", "power:1.01,0.31", "uniform:1.92,3.87", 0.6), 400, 200};
    m.eigvecs = Eigvecs::Haar;
    const RectTheory th = computeRectTheory(m);
    QCOMPARE(th.outliers.size(), std::size_t(37));
    // The two strongest separate (a cluster each, the residue there is exact); 35 share one.
    const std::size_t shared = th.outliers.back().interval;
    const auto& cluster = th.equivalent.support[shared];
    QVERIFY(cluster.kind == IntervalKind::Cluster);
    QCOMPARE(cluster.count, 35);
    QCOMPARE(cluster.spikes, 35);
    for (std::size_t j = 0; j < th.outliers.size(); ++j) {
        const auto& pr = th.outliers[j];
        QVERIFY(!pr.absorbed && pr.largeRank && pr.largeRankSquared);
        QVERIFY(*pr.largeRankSquared >= *pr.largeRank * *pr.largeRank * (1.0 - 1e-12));
        if (j > 0)
            QVERIFY(*pr.largeRank < *th.outliers[j - 1].largeRank);
        if (pr.interval != shared)
            continue;
        QVERIFY2(*pr.largeRank >= std::sqrt(cluster.a) && *pr.largeRank <= std::sqrt(cluster.b),
                 qPrintable(QString("theta %1 at %2").arg(pr.theta).arg(*pr.largeRank)));
    }
    const int k = 8;
    const OutlierObservation o = observeRectSpectrum(th, sample(m, k, 40));
    for (std::size_t j = 0; j < th.outliers.size(); ++j)
        checkObserved(th, o.spikes, j, k);
}

QTEST_GUILESS_MAIN(TestRectOutliers)
#include "tst_rect_outliers.moc"
