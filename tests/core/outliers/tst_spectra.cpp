// Right for every spectrum (docs/model.md: #support-intervals, #observed-outliers, #clusters,
// #fluctuations, #edges-and-windows, #eigenvector-overlaps): seeded simulations against the theory,
// with tolerances from the predicted standard errors, each showing the alternative it rejects where
// that is cheap. Costs are kept small: the exact banded sampler where it applies (zero bulk), the
// dense one at the smallest N that shows the effect.
#include "support/core_models.h"
#include "core/model/families.h"
#include "core/outliers/outliers.h"
#include "core/outliers/overlap.h"
#include "core/sampling/banded/banded.h"
#include "core/sampling/runner.h"
#include "core/sweeps/sweep.h"
#include "core/theory/theory.h"

#include <QtTest>

#include <cmath>

using namespace ws::core;
using testsupport::runOptions;

namespace {

// Tracy-Widom GOE / GUE mean and sd.
constexpr double kTw1Mean = -1.2065, kTw1Sd = 1.2680;
constexpr double kTw2Mean = -1.7711, kTw2Sd = 0.9018;

Model model(int n, double sigma, const char* noise, const char* spikes, const char* bulk,
            double alpha = 0.0)
{
    Model m{testsupport::families(sigma, noise, spikes, bulk, alpha), n};
    validate(m);
    return m;
}

struct Stats
{
    double mean = 0.0, sd = 0.0;
    int n = 0;
};
Stats stats(const std::vector<double>& v)
{
    Stats s;
    s.n = static_cast<int>(v.size());
    for (double x : v)
        s.mean += x / s.n;
    for (double x : v)
        s.sd += (x - s.mean) * (x - s.mean) / (s.n - 1);
    s.sd = std::sqrt(s.sd);
    return s;
}

// Population sd of one sample's cluster eigenvalues.
double ownSpread(const std::vector<double>& v)
{
    const Stats s = stats(v);
    return s.sd * std::sqrt((s.n - 1.0) / s.n);
}

std::vector<SampleTally> tallies(const Theory& th, const RunResult& run)
{
    std::vector<SampleTally> out;
    for (const auto& ev : run.eigenvalues)
        out.push_back(tallySample(th, ev));
    return out;
}

} // namespace

class TestSpectra : public QObject
{
    Q_OBJECT
private slots:
    void twoLumps_data();
    void twoLumps();
    void alphaSweepCountsEveryOutlier();
    void overlapsOfCloseSpikes();
    void equalSpikesFormACluster();
    void topOutlierSd_data();
    void topOutlierSd();
    void semicircleEdgeIsTracyWidom();
};

void TestSpectra::twoLumps_data()
{
    QTest::addColumn<QString>("spikes");
    QTest::addColumn<int>("outliers");
    QTest::newRow("a spike in the gap") << "list:0.5" << 1;
    QTest::newRow("above, in the gap and below") << "list:3,0.5,-3" << 3;
}

void TestSpectra::twoLumps()
{
    // N = 1000, sigma = 0.5, bulk twopoint:-2,2,0.5: two bulk intervals (the lumps), each spike
    // its own cluster: in the gap (0.5 -> 0.4666), above and below. Exactly that many observed
    // outliers in every sample (a pure-noise edge crosses its window once in ~1000 samples), each
    // mean within 4 predicted standard errors of its large-rank position, and every interval's
    // count within 3 eigenvalues of N x mass. The former rule (outliers = beyond the largest
    // interval, widened) counts the other lump as ~500 outliers.
    QFETCH(QString, spikes);
    QFETCH(int, outliers);
    const Model m = model(1000, 0.5, "gaussian", qPrintable(spikes), "twopoint:-2,2,0.5");
    const Theory th = computeTheory(m, 400);
    const auto& sup = th.equivalent.support;
    int bulks = 0, clusters = 0;
    for (const auto& iv : sup)
        (iv.kind == IntervalKind::Bulk ? bulks : clusters) += 1;
    QCOMPARE(bulks, 2);
    QCOMPARE(clusters, outliers);
    const auto gap = std::find_if(th.outliers.begin(), th.outliers.end(),
                                  [](const auto& p) { return p.theta == 0.5; });
    QVERIFY(gap->largeRank && std::abs(*gap->largeRank - 0.4666) < 1e-3 && !gap->finiteRank);

    RunOptions o = runOptions(12, 101);
    const RunResult run = runSamples(m, o);
    const std::vector<SampleTally> ts = tallies(th, run);
    for (const SampleTally& t : ts) {
        std::int64_t found = 0;
        for (std::size_t k = 0; k < sup.size(); ++k)
            found += sup[k].kind == IntervalKind::Cluster ? t.counts[k] : 0;
        QCOMPARE(found, std::int64_t(outliers));
        QVERIFY(t.unexplained.empty());
    }
    const OutlierObservation obs = summarizeTallies(th, ts);
    QCOMPARE(obs.meanOutliers, static_cast<double>(outliers));
    for (std::size_t j = 0; j < th.outliers.size(); ++j) {
        const auto& p = th.outliers[j];
        const ObservedOutlier& ob = obs.spikes[j];
        QCOMPARE(ob.samplesPresent, 12);
        const double se = *p.sd / std::sqrt(12.0);
        qInfo("theta %g: observed %.4f, predicted %.4f +- %.4f (SE)", p.theta, *ob.mean,
              *p.largeRank, se);
        QVERIFY(std::abs(*ob.mean - *p.largeRank) < 4.0 * se);
    }
    for (std::size_t k = 0; k < sup.size(); ++k)
        QVERIFY2(std::abs(obs.intervals[k].meanCount - sup[k].count) <= 3.0,
                 qPrintable(QString("interval %1: %2 vs %3")
                                .arg(k)
                                .arg(obs.intervals[k].meanCount)
                                .arg(sup[k].count)));
    // The former rule.
    const auto largest = std::max_element(
        sup.begin(), sup.end(), [](const auto& a, const auto& b) { return a.mass < b.mass; });
    const double w = 3.0 * m.sigma * std::pow(1000.0, -2.0 / 3.0);
    int former = 0;
    for (double x : run.eigenvalues[0])
        former += x < largest->a - w || x > largest->b + w ? 1 : 0;
    QVERIFY(former > 490);
}

void TestSpectra::alphaSweepCountsEveryOutlier()
{
    // N = 800, spikes linear:1.5,4, alpha from 0.2 to 0.9: at alpha = 0.9 (r = 410) the spikes'
    // cluster [1.15, 4.85] holds more eigenvalues than the noise's bulk [-1.55, 1.10] (390): all
    // 410 are outliers, predicted and observed in every sample; each spike's classical location
    // is within 0.01 of its eigenvalue on average, where the per-spike theta + sigma^2 G_j
    // (predictOutliers) is off 10 times more on average, and by over 0.5 at the cluster's ends.
    const SweepSpec s =
        testsupport::sweepSpec(model(800, 1.0, "gaussian", "linear:1.5,4", "zero", 0.2),
                               {SweepParam::Alpha, 0.2, 0.9, 4}, 3, 1);
    const SweepResult r = runSweep(s);
    QCOMPARE(r.points.size(), std::size_t(4));
    for (const SweepPoint& p : r.points) {
        qInfo("alpha %.3f: predicted %d, observed %.2f", p.value, p.predictedLarge,
              p.observedCount);
        QVERIFY(std::abs(p.observedCount - p.predictedLarge) <= 1.0);
    }
    const SweepPoint& last = r.points.back();
    QCOMPARE(last.rank, 410);
    QCOMPARE(last.predictedLarge, 410);
    QCOMPARE(last.observedCount, 410.0);
    QCOMPARE(last.intervals.size(), std::size_t(2));
    QVERIFY(last.intervals[0].kind == IntervalKind::Bulk && last.intervals[0].count == 390);
    QVERIFY(last.intervals[1].kind == IntervalKind::Cluster && last.intervals[1].count == 410);
    QCOMPARE(last.observedIntervals[1].minCount, std::int64_t(410));
    QCOMPARE(last.observedIntervals[1].maxCount, std::int64_t(410));
    QVERIFY2(last.errorLarge && *last.errorLarge < 0.01,
             qPrintable(QString::number(*last.errorLarge)));
    const auto design = predictOutliers(last.model);
    double designError = 0.0, designMax = 0.0;
    for (std::size_t j = 0; j < design.size(); ++j) {
        const double e = std::abs(*design[j].largeRank - *last.observed[j].mean);
        designError += e / static_cast<double>(design.size());
        designMax = std::max(designMax, e);
    }
    qInfo("mean |error|: classical locations %.4f, theta + sigma^2 G_j %.4f (max %.3f)",
          *last.errorLarge, designError, designMax);
    QVERIFY(designError > 10.0 * *last.errorLarge && designMax > 0.5);
}

void TestSpectra::overlapsOfCloseSpikes()
{
    // N = 800, alpha = 0.667, linear:1.5,4: one cluster of 87 close spikes. The per-spike
    // 1 - sigma^2 D_j is between -4 and -1.5 here (flagged, not reported); the projection of
    // each spike onto the cluster's eigenvectors, 1 - sigma^2 Dx_C, is in (0, 1] and matches the
    // observed one over 16 samples: rms z < 1.5, max |z| < 5.5 over the 87 spikes (SE from
    // the observed sd), and the group average within 4 SE.
    const Model m = model(800, 1.0, "gaussian", "linear:1.5,4", "zero", 0.667);
    const Theory th = computeTheory(m, 400);
    const auto design = predictOutliers(m);
    QCOMPARE(th.outliers.size(), std::size_t(87));
    RunOptions o = runOptions(16, 5);
    const OverlapRun run = runOverlaps(m, th, o);
    QCOMPARE(run.completed, 16);
    double z2 = 0.0, zMax = 0.0;
    int compared = 0;
    for (std::size_t j = 0; j < th.outliers.size(); ++j) {
        const auto& p = th.outliers[j];
        QVERIFY(p.overlapLargeRank && *p.overlapLargeRank > 0.0 && *p.overlapLargeRank <= 1.0);
        QVERIFY(hasFlag(p.flags, PredictionFlag::PerSpikeOverlapOutOfRange));
        QVERIFY(*design[j].overlapLargeRank < -1.0);
        const ObservedOverlap& ob = run.observed[j];
        QVERIFY(ob.samplesPresent >= 14);
        const double se = *ob.sd / std::sqrt(ob.samplesPresent);
        const double z = (*ob.mean - *p.overlapLargeRank) / se;
        z2 += z * z;
        zMax = std::max(zMax, std::abs(z));
        ++compared;
        QVERIFY(std::abs(*ob.mean - *design[j].overlapLargeRank) > 100.0 * se);
    }
    const double rms = std::sqrt(z2 / compared);
    qInfo("87 spikes: rms z %.2f, max |z| %.2f", rms, zMax);
    QVERIFY(rms < 1.5 && zMax < 5.5);
    const std::size_t k = th.outliers[0].interval;
    const ObservedOverlap& group = run.intervals[k];
    const double se = *group.sd / std::sqrt(group.samplesPresent);
    qInfo("group: observed %.5f +- %.5f, predicted %.5f", *group.mean, se,
          *th.equivalent.support[k].overlapGroup);
    QVERIFY(std::abs(*group.mean - *th.equivalent.support[k].overlapGroup) < 4.0 * se);
}

void TestSpectra::equalSpikesFormACluster()
{
    // N = 3000, alpha = 0.6, equal:2.5 (r = 122): one cluster. Exact closed forms for one atom
    // (p = r/N): centre theta + sigma^2 (1 - p)/theta, spread^2 = sigma^2 p (1 - sigma^2 (1 -
    // p)/theta^2); its edges from Biane. Simulated with the exact banded sampler's fast path (48
    // samples): 122 eigenvalues in it in every sample; their mean within 4 SE (the predicted sd
    // of the mean) of the centre, rejecting the midpoint of [a, b] (the cluster is skewed) and
    // the finite-rank 2.9; the sd of that mean within 35% (3 SE) of sdMean; their own spread
    // within 4 SE plus the known O(1/k) excess (~0.55/k relative, GOE); each extreme eigenvalue
    // scaled by gamma N^(-2/3) of its edge (gamma from T3) is TW1 (mean within 4 SE, sd within
    // 25% pooling both edges, 3.5 SE), and gamma = sigma is rejected (sd 50% too large).
    const Model m = model(3000, 1.0, "gaussian", "equal:2.5", "zero", 0.6);
    const Theory th = computeTheory(m, 400);
    QCOMPARE(th.equivalent.support.size(), std::size_t(2));
    const SupportInterval& c = th.equivalent.support[1];
    const double p = 122.0 / 3000.0;
    QVERIFY(c.kind == IntervalKind::Cluster && c.count == 122);
    QVERIFY(std::abs(*c.centre - (2.5 + (1.0 - p) / 2.5)) < 1e-12);
    QVERIFY(std::abs(*c.spread - std::sqrt(p * (1.0 - (1.0 - p) / 6.25))) < 1e-12);
    QVERIFY(std::abs(c.a - 2.51595) < 1e-5 && std::abs(c.b - 3.25749) < 1e-5);
    QVERIFY(c.lo.tracyWidom && c.hi.tracyWidom);

    const auto thr = outlierThresholds(th);
    QVERIFY(thr && thr->bulk);
    RunOptions o = runOptions(48, 81);
    BandedSpectrumRequest req;
    req.above = thr->above;
    req.below = thr->below;
    req.maxOutliers = thr->maxOutliers;
    const BandedRunResult run = runBandedSpectra(m, o, req);
    QCOMPARE(static_cast<int>(run.spectra.size()), 48);
    std::vector<SampleTally> ts;
    std::vector<double> spreads, scaled, scaledSigma;
    const double n23 = std::pow(3000.0, -2.0 / 3.0);
    for (const auto& s : run.spectra) {
        std::vector<double> ev = s.bottom;
        ev.insert(ev.end(), s.top.begin(), s.top.end());
        ts.push_back(tallySample(th, ev, 3000 - static_cast<std::int64_t>(ev.size())));
        const std::vector<double> mine = clusterEigenvalues(th, ts.back(), 1);
        QCOMPARE(mine.size(), std::size_t(122));
        QVERIFY(ts.back().unexplained.empty());
        spreads.push_back(ownSpread(mine));
        scaled.push_back((mine.back() - c.b) / (c.hi.gamma * n23));
        scaled.push_back((c.a - mine.front()) / (c.lo.gamma * n23));
        scaledSigma.push_back((mine.back() - c.b) / n23);
        scaledSigma.push_back((c.a - mine.front()) / n23);
    }
    const OutlierObservation obs = summarizeTallies(th, ts);
    const ObservedInterval& oc = obs.intervals[1];
    QCOMPARE(oc.samplesComplete, 48);
    const double seMean = *c.sdMean / std::sqrt(48.0);
    qInfo("centre %.5f observed %.5f (SE %.5f); midpoint %.5f; sd of the mean %.5f vs %.5f",
          *c.centre, *oc.mean, seMean, 0.5 * (c.a + c.b), *oc.sd, *c.sdMean);
    QVERIFY(std::abs(*oc.mean - *c.centre) < 4.0 * seMean);
    QVERIFY(std::abs(*oc.mean - 0.5 * (c.a + c.b)) > 6.0 * seMean);
    QVERIFY(std::abs(*oc.mean - 2.9) > 20.0 * seMean);
    QVERIFY(std::abs(*oc.sd / *c.sdMean - 1.0) < 0.35);
    const Stats sp = stats(spreads);
    qInfo("own spread %.5f +- %.5f vs %.5f", sp.mean, sp.sd / std::sqrt(48.0), *c.spread);
    QVERIFY(std::abs(sp.mean - *c.spread) < 4.0 * sp.sd / std::sqrt(48.0) + 0.6 / 122 * *c.spread);
    QVERIFY(std::abs(*oc.spread - sp.mean) < 1e-12);
    const Stats tw = stats(scaled), twSigma = stats(scaledSigma);
    qInfo("edges scaled by gamma: mean %.3f sd %.3f (TW1 %.4f, %.4f); by sigma: sd %.3f", tw.mean,
          tw.sd, kTw1Mean, kTw1Sd, twSigma.sd / kTw1Sd);
    QVERIFY(std::abs(tw.mean - kTw1Mean) < 4.0 * tw.sd / std::sqrt(96.0));
    QVERIFY(std::abs(tw.sd / kTw1Sd - 1.0) < 0.25);
    QVERIFY(twSigma.sd / kTw1Sd > 1.25);
}

void TestSpectra::topOutlierSd_data()
{
    QTest::addColumn<Model>("m");
    QTest::addColumn<int>("samples");
    QTest::newRow("rank one GOE") << model(500, 1.0, "gaussian", "list:2", "zero") << 300;
    QTest::newRow("rank one GUE") << model(500, 1.0, "complex", "list:2", "zero") << 300;
    QTest::newRow("full-rank uniform bulk")
        << model(400, 1.0, "gaussian", "list:4", "uniform:-1,1") << 200;
}

void TestSpectra::topOutlierSd()
{
    // The top outlier's sd over the samples against the predicted (sigma^2/N) (2/beta) H'
    // (rank one: H' = 1 - sigma^2/theta^2; full rank: H' = 1 - sigma^2 D_j): within 15% (the SE
    // of an sd from 200-300 Gaussian samples is 4-5%). The other beta's value, off by sqrt(2),
    // is rejected by the same bound.
    QFETCH(Model, m);
    QFETCH(int, samples);
    const Theory th = computeTheory(m, 200);
    const auto& p = th.outliers[0];
    QVERIFY(p.sd && p.flags == 0);
    RunOptions o = runOptions(samples, 17);
    const RunResult run = runSamples(m, o);
    const ObservedOutlier ob = observeOutliers(th, run.eigenvalues).spikes[0];
    QCOMPARE(ob.samplesPresent, samples);
    const double ratio = *ob.sd / *p.sd;
    const double other = m.noise.isComplex() ? ratio / std::sqrt(2.0) : ratio * std::sqrt(2.0);
    qInfo("observed sd %.5f, predicted %.5f (ratio %.3f; with the other beta %.3f)", *ob.sd, *p.sd,
          ratio, other);
    QVERIFY(std::abs(ratio - 1.0) < 0.15);
    QVERIFY(std::abs(other - 1.0) > 0.15);
}

void TestSpectra::semicircleEdgeIsTracyWidom()
{
    // No spike (S = 0), GOE, N = 2000, 400 samples of the exact tridiagonal model: the top
    // eigenvalue scaled by the edge's gamma N^(-2/3) (gamma = sigma^2 |T3|^(1/3) = sigma here)
    // has TW1's mean (within 4 SE plus 0.15, the finite-N offset of the GOE edge, measured
    // -0.15 at N = 1000) and sd (within 4 SE of an sd); TW2's sd is rejected.
    const Model m = model(2000, 1.0, "gaussian", "equal:0", "zero");
    const Theory th = computeTheory(m, 200);
    QCOMPARE(th.equivalent.support.size(), std::size_t(1));
    const SupportInterval& bulk = th.equivalent.support[0];
    QVERIFY(std::abs(bulk.hi.gamma - 1.0) < 1e-12 && std::abs(bulk.b - 2.0) < 1e-12);
    RunOptions o = runOptions(400, 23);
    BandedSpectrumRequest req;
    req.topCount = 1;
    const BandedRunResult run = runBandedSpectra(m, o, req);
    std::vector<double> x;
    const double scale = bulk.hi.gamma * std::pow(2000.0, -2.0 / 3.0);
    for (const auto& s : run.spectra)
        x.push_back((s.top.front() - bulk.b) / scale);
    const Stats st = stats(x);
    const double seMean = st.sd / std::sqrt(400.0), seSd = st.sd / std::sqrt(2.0 * 399.0);
    qInfo("scaled top eigenvalue: mean %.3f +- %.3f, sd %.3f +- %.3f (TW1 %.4f, %.4f)", st.mean,
          seMean, st.sd, seSd, kTw1Mean, kTw1Sd);
    QVERIFY(std::abs(st.mean - kTw1Mean) < 4.0 * seMean + 0.15);
    QVERIFY(std::abs(st.sd - kTw1Sd) < 4.0 * seSd);
    QVERIFY(std::abs(st.sd - kTw2Sd) > 4.0 * seSd);
    QVERIFY(std::abs(st.mean - kTw2Mean) > 4.0 * seMean + 0.15);
}

QTEST_APPLESS_MAIN(TestSpectra)
#include "tst_spectra.moc"
