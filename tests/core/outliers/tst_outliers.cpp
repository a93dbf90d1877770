// Observed outliers (core/outliers/outliers.h): assignment of eigenvalues to support intervals
// by their claims, matching inside clusters, the statistics, on synthetic theories and
// eigenvalue lists with hand-computed answers; then real theories.
#include "support/core_models.h"
#include "core/model/families.h"
#include "core/outliers/matching.h"
#include "core/outliers/outliers.h"
#include "core/outliers/window.h"
#include "core/sampling/runner.h"

#include <QtTest>

#include <cmath>
#include <limits>
#include <random>

using namespace ws::core;

namespace {

SupportInterval interval(IntervalKind kind, double a, double b, int count, double window,
                         std::vector<double> locations = {})
{
    SupportInterval iv;
    iv.kind = kind;
    iv.a = a;
    iv.b = b;
    iv.count = count;
    iv.lo.window = iv.hi.window = window;
    iv.centre = 0.5 * a + 0.5 * b;
    iv.locations = std::move(locations);
    return iv;
}

OutlierPrediction spike(double theta, std::size_t interval, int rank = 0, int multiplicity = 1,
                        bool absorbed = false)
{
    OutlierPrediction p;
    p.theta = theta;
    p.interval = interval;
    p.rank = rank;
    p.multiplicity = multiplicity;
    p.absorbed = absorbed;
    p.largeRank = theta;
    if (absorbed) {
        p.largeRank.reset();
        p.reason = NoOutlierReason::Absorbed;
    }
    return p;
}

Theory synthetic(std::vector<SupportInterval> support, std::vector<OutlierPrediction> spikes)
{
    Theory th;
    th.n = 1000;
    th.equivalent.support = std::move(support);
    setClaims(th.equivalent.support);
    th.outliers = std::move(spikes);
    return th;
}

// Five intervals: a cluster near -5, a bulk [-2, 2], a cluster of a pair of equal spikes at 3
// (one atom), a second bulk [5, 6] and a cluster of two atoms whose classical locations are
// 7.2 and 7.8. Windows 0.1 for clusters, 0.05 for bulks.
Theory fiveIntervals()
{
    using K = IntervalKind;
    return synthetic({interval(K::Cluster, -5.1, -4.9, 1, 0.1), interval(K::Bulk, -2, 2, 100, 0.05),
                      interval(K::Cluster, 2.9, 3.1, 2, 0.1), interval(K::Bulk, 5, 6, 50, 0.05),
                      interval(K::Cluster, 7, 8, 2, 0.1, {7.2, 7.8})},
                     {spike(7.5, 4, 1), spike(6.9, 4, 0), spike(3.0, 2, 0, 2), spike(3.0, 2, 0, 2),
                      spike(1.0, 1, 0, 1, true), spike(-4.5, 0)});
}

// Spike `o` was observed in `present` samples with mean `mean` (to 1e-12).
void expectObserved(const ObservedOutlier& o, int present, double mean)
{
    QCOMPARE(o.samplesPresent, present);
    QVERIFY(o.mean.has_value());
    QVERIFY2(std::abs(*o.mean - mean) < 1e-12, qPrintable(QString("mean %1").arg(*o.mean)));
}

// Between `lo` and `hi` eigenvalues of a sample belonged to interval `iv`.
void expectCountRange(const ObservedInterval& iv, std::int64_t lo, std::int64_t hi)
{
    QCOMPARE(iv.minCount, lo);
    QCOMPARE(iv.maxCount, hi);
}

double sd(std::vector<double> v)
{
    double m = 0.0, s = 0.0;
    for (double x : v)
        m += x / static_cast<double>(v.size());
    for (double x : v)
        s += (x - m) * (x - m);
    return std::sqrt(s / static_cast<double>(v.size() - 1));
}

} // namespace

class TestOutliers : public QObject
{
    Q_OBJECT
private slots:
    void claimsSplitGapsInWindowUnits();
    void eigenvaluesBelongByPosition();
    void statisticsOfFiveIntervals();
    void noSamples();
    void unlistedEigenvaluesAreTheBulks();
    void thresholdsForTheFastPath();
    void monotoneMatchingIsOptimal();
    void touchingClustersAreMatchedAsAChain();
    void hugeValuesGiveFiniteStatistics();
    void againstTheory();
    void sampledGroupAverageIsTheClusterCentre();
};

void TestOutliers::claimsSplitGapsInWindowUnits()
{
    // [0, 1] with window 0.5 and [1.3, 2] with window 0.1: the windows overlap; the split is
    // where (x - 1)/0.5 = (1.3 - x)/0.1, x = 1.25.
    std::vector<SupportInterval> sup = {interval(IntervalKind::Bulk, 0, 1, 10, 0.5),
                                        interval(IntervalKind::Cluster, 1.3, 2, 1, 0.1)};
    setClaims(sup);
    QCOMPARE(sup[0].claimLo, -0.5);
    QVERIFY(std::abs(sup[0].claimHi - 1.25) < 1e-15);
    QVERIFY(sup[1].claimLo > sup[0].claimHi && sup[1].claimLo < 1.25 + 1e-15);
    QVERIFY(std::abs(sup[1].claimHi - 2.1) < 1e-15);
    // Far apart: each claims its full window.
    sup[1].a = 3.0;
    sup[1].b = 4.0;
    setClaims(sup);
    QCOMPARE(sup[0].claimHi, 1.5);
    QCOMPARE(sup[1].claimLo, 2.9);
    // Windows near the end of the double range are clamped, never infinite.
    sup[1].hi.window = std::numeric_limits<double>::max();
    setClaims(sup);
    QCOMPARE(sup[1].claimHi, std::numeric_limits<double>::max());
}

void TestOutliers::eigenvaluesBelongByPosition()
{
    const Theory th = fiveIntervals();
    QCOMPARE(intervalOf(th, -5.0), 0);
    QCOMPARE(intervalOf(th, -5.19), 0);  // below the lowest interval, within its window
    QCOMPARE(intervalOf(th, -5.21), -1); // beyond it
    QCOMPARE(intervalOf(th, -4.81), 0);
    QCOMPARE(intervalOf(th, -3.0), -1); // in the gap, beyond both windows
    QCOMPARE(intervalOf(th, -2.04), 1);
    QCOMPARE(intervalOf(th, 2.04), 1);
    QCOMPARE(intervalOf(th, 2.06), -1);
    QCOMPARE(intervalOf(th, 2.81), 2);
    QCOMPARE(intervalOf(th, 4.96), 3); // a gap below a bulk: the bulk's window
    QCOMPARE(intervalOf(th, 6.04), 3);
    QCOMPARE(intervalOf(th, 6.5), -1); // between a bulk and a cluster: unexplained
    QCOMPARE(intervalOf(th, 8.09), 4);
    QCOMPARE(intervalOf(th, 8.2), -1);
    QCOMPARE(intervalOf(th, std::nan("")), -1);
}

void TestOutliers::statisticsOfFiveIntervals()
{
    const Theory th = fiveIntervals();
    // Unsorted samples (computed by hand below).
    const std::vector<std::vector<double>> samples = {
        {9.0, -5.0, 7.7, 0.0, 0.5, 3.05, 2.95, 5.5, 7.3},
        // the pair at 3 is incomplete; 7.35 is nearer to 7.2 (rank 0, theta 6.9); 4.0 is in no
        // window; 2.02 is in the bulk's window
        {-4.95, 0.1, 2.02, 3.1, 5.2, 7.35, 4.0},
        // three eigenvalues for two ranks: the best monotone pairs are 7.0-7.2 and 7.95-7.8
        // (cost 0.0625, against 0.08 for 7.0, 7.6); 7.6 is extra. NaN is ignored.
        {-5.1, 0.2, 2.9, 3.0, 5.6, 7.0, 7.6, 7.95, std::nan("")},
    };
    const OutlierObservation obs = observeOutliers(th, samples);
    QCOMPARE(obs.samples, 3);
    QCOMPARE(obs.spikes.size(), std::size_t(6));
    QCOMPARE(obs.intervals.size(), std::size_t(5));

    // -4.5: -5.0, -4.95, -5.1.
    const ObservedOutlier& low = obs.spikes[5];
    expectObserved(low, 3, -15.05 / 3.0);
    QVERIFY(std::abs(*low.sd - sd({-5.0, -4.95, -5.1})) < 1e-12);
    QVERIFY(!low.spread);
    // The pair at 3: group means 3.0 and 2.95, own spreads 0.05 and 0.05; 5 of 6 eigenvalues.
    for (std::size_t j : {2u, 3u}) {
        const ObservedOutlier& o = obs.spikes[j];
        QCOMPARE(o.groupSize, 2);
        expectObserved(o, 2, 2.975);
        QVERIFY(std::abs(*o.sd - sd({3.0, 2.95})) < 1e-12);
        QVERIFY(std::abs(*o.spread - 0.05) < 1e-12);
        QVERIFY(std::abs(o.meanCount - 5.0 / 3.0) < 1e-12);
    }
    // 6.9 (rank 0 of the two-atom cluster): 7.3, 7.35, 7.0; 7.5 (rank 1): 7.7, 7.95.
    expectObserved(obs.spikes[1], 3, 21.65 / 3.0);
    expectObserved(obs.spikes[0], 2, 7.825);
    QVERIFY(std::abs(obs.spikes[0].meanCount - 2.0 / 3.0) < 1e-12);
    // Absorbed: never matched.
    QCOMPARE(obs.spikes[4].samplesPresent, 0);
    QVERIFY(!obs.spikes[4].mean);

    // Counts per interval.
    const double counts[] = {1.0, 5.0 / 3.0, 5.0 / 3.0, 1.0, 2.0};
    for (std::size_t k = 0; k < 5; ++k)
        QVERIFY2(std::abs(obs.intervals[k].meanCount - counts[k]) < 1e-12,
                 qPrintable(QString("%1: %2").arg(k).arg(obs.intervals[k].meanCount)));
    expectCountRange(obs.intervals[1], 1, 2);
    expectCountRange(obs.intervals[4], 1, 3);
    // Cluster means over complete samples.
    QCOMPARE(obs.intervals[2].samplesComplete, 2);
    QVERIFY(std::abs(*obs.intervals[2].mean - 2.975) < 1e-12);
    QCOMPARE(obs.intervals[4].samplesComplete, 1);
    QVERIFY(std::abs(*obs.intervals[4].mean - 7.5) < 1e-12);
    QVERIFY(std::abs(*obs.intervals[4].spread - 0.2) < 1e-12);
    QVERIFY(!obs.intervals[4].sd);
    QVERIFY(!obs.intervals[1].mean); // a bulk
    // Unexplained: 9.0 and 4.0.
    QVERIFY(std::abs(obs.meanUnexplained - 2.0 / 3.0) < 1e-12);
    QCOMPARE(obs.unexplained, (std::vector<double>{4.0, 9.0}));
    // Observed outliers: 14 cluster eigenvalues + 2 unexplained over 3 samples.
    QVERIFY(std::abs(obs.meanOutliers - 16.0 / 3.0) < 1e-12);
}

void TestOutliers::noSamples()
{
    const Theory th = fiveIntervals();
    for (const auto& samples :
         {std::vector<std::vector<double>>{}, std::vector<std::vector<double>>{{}}}) {
        const OutlierObservation obs = observeOutliers(th, samples);
        QCOMPARE(obs.spikes.size(), std::size_t(6));
        for (const auto& o : obs.spikes) {
            QCOMPARE(o.samplesPresent, 0);
            QVERIFY(!o.mean && !o.sd);
        }
        QCOMPARE(obs.meanOutliers, 0.0);
        QCOMPARE(obs.spikes[2].groupSize, 2);
    }
}

void TestOutliers::unlistedEigenvaluesAreTheBulks()
{
    // One bulk: the unlisted eigenvalues (the banded fast path's) are counted there.
    const Theory one = synthetic({interval(IntervalKind::Bulk, -2, 2, 999, 0.05),
                                  interval(IntervalKind::Cluster, 3, 3.2, 1, 0.1)},
                                 {spike(3.0, 1)});
    const SampleTally t = tallySample(one, {3.1, 1.99, -1.98}, 997);
    QCOMPARE(t.counts, (std::vector<std::int64_t>{999, 1}));
    QCOMPARE(t.clustered, (std::vector<double>{3.1}));
    QCOMPARE(clusterEigenvalues(one, t, 1), (std::vector<double>{3.1}));
    QVERIFY(clusterEigenvalues(one, t, 0).empty());
    // Two bulks: where the unlisted ones are is unknown.
    const Theory two = fiveIntervals();
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, tallySample(two, {0.0}, 5));
    QCOMPARE(tallySample(two, {0.0}, 0).counts[1], std::int64_t(1));
    // A tally of another theory is refused.
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, summarizeTallies(two, {t}));
}

void TestOutliers::thresholdsForTheFastPath()
{
    const Theory one = synthetic({interval(IntervalKind::Cluster, -3.2, -3, 1, 0.1),
                                  interval(IntervalKind::Bulk, -2, 2, 997, 0.05),
                                  interval(IntervalKind::Cluster, 3, 3.5, 2, 0.1)},
                                 {});
    const auto t = outlierThresholds(one);
    QVERIFY(t && t->bulk && *t->bulk == 1);
    QCOMPARE(t->below, -2.05);
    QCOMPARE(t->above, 2.05);
    QVERIFY(t->maxOutliers >= 3 + 64);
    // No bulk (r = N): everything is located.
    Theory none = one;
    for (auto& iv : none.equivalent.support)
        iv.kind = IntervalKind::Cluster;
    const auto all = outlierThresholds(none);
    QVERIFY(all && !all->bulk);
    QCOMPARE(all->above, -std::numeric_limits<double>::max());
    QCOMPARE(all->maxOutliers, 1000);
    // Two bulks: no single pair of thresholds.
    QVERIFY(!outlierThresholds(fiveIntervals()));
}

void TestOutliers::monotoneMatchingIsOptimal()
{
    // Equal counts: in order, whatever the positions.
    QCOMPARE(matchMonotone({1, 2, 3}, {3, 2.5, 9}), (std::vector<int>{0, 1, 2}));
    // One missing, one extra.
    QCOMPARE(matchMonotone({1.0, 2.1}, {1.0, 2.0, 3.0}), (std::vector<int>{0, 1, -1}));
    QCOMPARE(matchMonotone({1.0, 2.9}, {1.0, 2.0, 3.0}), (std::vector<int>{0, -1, 1}));
    QCOMPARE(matchMonotone({0.5, 1.0, 2.0}, {1.0, 2.0}), (std::vector<int>{1, 2}));
    QCOMPARE(matchMonotone({}, {1.0, 2.0}), (std::vector<int>{-1, -1}));
    QCOMPARE(matchMonotone({1.0}, {}), (std::vector<int>{}));
    // Against brute force over every choice of the min(m, k) pairs, random small cases.
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (int trial = 0; trial < 300; ++trial) {
        const int m = 1 + static_cast<int>(rng() % 6), k = 1 + static_cast<int>(rng() % 6);
        std::vector<double> lam(static_cast<std::size_t>(m)), x(static_cast<std::size_t>(k));
        for (auto& v : lam)
            v = u(rng);
        for (auto& v : x)
            v = u(rng);
        std::sort(lam.begin(), lam.end());
        std::sort(x.begin(), x.end());
        const std::vector<int> got = matchMonotone(lam, x);
        double cost = 0.0;
        int pairs = 0, last = -1;
        for (std::size_t j = 0; j < got.size(); ++j)
            if (got[j] >= 0) {
                QVERIFY(got[j] > last); // monotone
                last = got[j];
                const double d = lam[static_cast<std::size_t>(got[j])] - x[j];
                cost += d * d;
                ++pairs;
            }
        QCOMPARE(pairs, std::min(m, k));
        // Brute force: subsets of the longer side of size min(m, k), paired in order.
        const bool moreEigen = m > k;
        const int longer = std::max(m, k), n = std::min(m, k);
        double best = std::numeric_limits<double>::infinity();
        for (unsigned mask = 0; mask < (1u << longer); ++mask) {
            if (__builtin_popcount(mask) != n)
                continue;
            double c = 0.0;
            int p = 0;
            for (int i = 0; i < longer; ++i)
                if (mask & (1u << i)) {
                    const double d =
                        moreEigen
                            ? lam[static_cast<std::size_t>(i)] - x[static_cast<std::size_t>(p)]
                            : lam[static_cast<std::size_t>(p)] - x[static_cast<std::size_t>(i)];
                    c += d * d;
                    ++p;
                }
            best = std::min(best, c);
        }
        QVERIFY2(cost <= best + 1e-12,
                 qPrintable(QString("m %1 k %2: %3 vs %4").arg(m).arg(k).arg(cost).arg(best)));
    }
}

void TestOutliers::touchingClustersAreMatchedAsAChain()
{
    // Two single-spike clusters whose windows overlap: the split is at 1.225. In this sample
    // A's outlier strayed to 1.27, into B's claim: counts by position say 0 and 2, but the
    // matching over the chain still pairs 1.27 with A and 1.44 with B.
    const Theory th = synthetic({interval(IntervalKind::Bulk, -2, 0, 998, 0.05),
                                 interval(IntervalKind::Cluster, 1.0, 1.2, 1, 0.2),
                                 interval(IntervalKind::Cluster, 1.25, 1.45, 1, 0.2)},
                                {spike(1.35, 2), spike(1.1, 1)});
    QVERIFY(th.equivalent.support[1].claimHi < 1.27);
    const OutlierObservation obs = observeOutliers(th, {{-1.0, 1.27, 1.44}, {-1.0, 1.1, 1.36}});
    QCOMPARE(obs.intervals[1].minCount, std::int64_t(0));
    QCOMPARE(obs.intervals[2].maxCount, std::int64_t(2));
    expectObserved(obs.spikes[1], 2, 1.185);
    expectObserved(obs.spikes[0], 2, 1.4);
    // Matched per interval instead, spike A would have no value in the first sample.
}

void TestOutliers::hugeValuesGiveFiniteStatistics()
{
    // Outliers near +-1e308 that differ by thousands of ulps (ulp = 2^971 ~ 2e292): squares of
    // the deviations overflow a plain accumulator; the sd must stay finite and right. Steps of
    // 2048 ulps keep every running mean exactly representable, so the expected sd is exact.
    using K = IntervalKind;
    const Theory th = synthetic({interval(K::Cluster, -1.1e308, -0.9e308, 1, 1e300),
                                 interval(K::Bulk, -2, 2, 998, 0.1),
                                 interval(K::Cluster, 0.9e308, 1.1e308, 1, 1e300)},
                                {spike(1e308, 2), spike(-1e308, 0)});
    const double step = 2048.0 * (std::nextafter(1e308, 2e307 * 9.0) - 1e308);
    std::vector<std::vector<double>> samples;
    for (int k = 0; k < 4; ++k)
        samples.push_back({1e308 + k * step, -1e308 - k * step, 0.0});
    const auto obs = observeOutliers(th, samples).spikes;
    // Offsets {0, 1, 2, 3} steps: mean 1.5 steps, sd = step sqrt(5/3).
    const double want = step * std::sqrt(5.0 / 3.0);
    for (std::size_t j = 0; j < 2; ++j) {
        QCOMPARE(obs[j].samplesPresent, 4);
        QVERIFY(std::isfinite(*obs[j].mean) && std::isfinite(*obs[j].sd));
        QVERIFY2(std::abs(*obs[j].sd - want) < 1e-12 * want,
                 qPrintable(QString::number(*obs[j].sd / want)));
        QCOMPARE(std::abs(*obs[j].mean), 1e308 + 1.5 * step);
    }
    // A group mean of two values near the top of the range (their sum overflows).
    const Theory pair = synthetic(
        {interval(K::Bulk, -2, 2, 998, 0.1), interval(K::Cluster, 1.3e308, 1.75e308, 2, 1e300)},
        {spike(1.5e308, 1, 0, 2), spike(1.5e308, 1, 0, 2)});
    const auto g = observeOutliers(pair, {{1.6e308, 1.4e308}, {1.7e308, 1.5e308}}).spikes;
    QVERIFY(std::abs(*g[0].mean - 1.55e308) < 1e-12 * 1.55e308);
    QVERIFY(std::abs(*g[0].sd - std::sqrt(0.5) * 0.1e308) < 1e-12 * 1e307);
    QVERIFY(std::isfinite(*g[0].spread));
    // Values spanning the whole range: the sd saturates instead of becoming infinite.
    const double big = std::numeric_limits<double>::max();
    const Theory span =
        synthetic({interval(K::Bulk, -2, 0, 999, 0.1), interval(K::Cluster, 1.0, big, 1, 0.1)},
                  {spike(1.0, 1)});
    const auto s = observeOutliers(span, {{big}, {3.0}, {big}}).spikes;
    QVERIFY(std::isfinite(*s[0].sd));
}

void TestOutliers::againstTheory()
{
    // Real predictions; synthetic samples: a bulk inside the bulk interval plus eigenvalues at
    // the large-rank predictions shifted by known amounts.
    Model m;
    m.n = 2000;
    m.sigma = 1.0;
    m.spikes = parseSpikes("list:4,2.5,-3,0.5");
    m.bulk = parseBulk("uniform:-1,1");
    const Theory th = computeTheory(m, 400);
    QCOMPARE(th.outliers.size(), std::size_t(4));
    QVERIFY(th.outliers[2].absorbed && !th.outliers[2].largeRank); // 0.5: inside the bulk
    const SupportInterval& bulk = th.equivalent.support[th.outliers[2].interval];
    std::vector<std::vector<double>> samples;
    const double shifts[] = {-0.01, 0.02, 0.005};
    for (double sh : shifts) {
        std::vector<double> eig;
        for (int i = 0; i < 1997; ++i)
            eig.push_back(bulk.a + (bulk.b - bulk.a) * (i + 0.5) / 1997);
        for (std::size_t j : {0u, 1u, 3u})
            eig.push_back(*th.outliers[j].largeRank + sh);
        samples.push_back(eig);
    }
    const OutlierObservation obs = observeOutliers(th, samples);
    for (std::size_t j : {0u, 1u, 3u}) {
        expectObserved(obs.spikes[j], 3, *th.outliers[j].largeRank + 0.005);
        QVERIFY(std::abs(*obs.spikes[j].sd - 0.015) < 1e-12);
    }
    QCOMPARE(obs.spikes[2].samplesPresent, 0);
    QCOMPARE(obs.meanOutliers, 3.0);
    for (std::size_t k = 0; k < th.equivalent.support.size(); ++k)
        QCOMPARE(obs.intervals[k].meanCount, static_cast<double>(th.equivalent.support[k].count));
}

void TestOutliers::sampledGroupAverageIsTheClusterCentre()
{
    // equal:3, alpha = 0.5, N = 1000 (r = 32), GOE: one cluster interval of mu_N of mass 32/N
    // on about [2.99, 3.66] whose mean is theta + sigma^2 G = 3 + (N - 32)/(3N) = 3.32267. The
    // group's per-sample average must match it within 5 standard errors plus 3/N (the allowance
    // for finite-N corrections used in tst_statistics; for a statistic linear in x on the
    // interval the O(1) GOE correction to the mean vanishes at leading order). Per-rank matching
    // from the top would report the top eigenvalue (~3.65: the band's edge) instead.
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

    RunOptions o = testsupport::runOptions(30, 20240611);
    const RunResult run = runSamples(m, o);
    QCOMPARE(run.completed, 30);
    const OutlierObservation all = observeOutliers(th, run.eigenvalues);
    const auto& obs = all.spikes;
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
        QCOMPARE(x.samplesPresent, 30); // the whole cluster is its interval's in every sample
        QVERIFY(std::abs(*x.mean - mean) < 1e-12);
        QVERIFY(std::abs(*x.sd - std::sqrt(var)) < 1e-9);
    }
    const ObservedInterval& cluster = all.intervals[th.outliers[0].interval];
    QCOMPARE(cluster.samplesComplete, 30);
    QVERIFY(std::abs(*cluster.mean - mean) < 1e-12);
    QVERIFY2(std::abs(mean - want) < tol,
             qPrintable(QString("%1 vs %2 (tol %3)").arg(mean).arg(want).arg(tol)));
    QVERIFY(se > 0.0 && tol < 0.02);
    QVERIFY(std::abs(top - want) > 10.0 * tol); // what per-rank matching from the top reports
}

QTEST_APPLESS_MAIN(TestOutliers)
#include "tst_outliers.moc"
