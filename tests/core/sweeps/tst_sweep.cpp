// Parameter sweeps: grids, the model at each point, every point equal (bit for bit)
// to the core's single run of that model with the same seed, progress and cancellation, and the
// physics the views show (BBP transition, outlier counts, finite-rank error growing with rank).
#include "support/core_checks.h"
#include "support/core_models.h"
#include "core/sampling/banded/banded.h"
#include "core/model/families.h"
#include "core/model/model.h"
#include "core/outliers/outliers.h"
#include "core/sampling/runner.h"
#include "core/sweeps/sweep.h"
#include "core/theory/theory.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace ws::core;

using testsupport::compareObserved;
using testsupport::Grid;
using testsupport::sweepSpec;

namespace {

// A sweep's base model: sigma 1, gaussian noise and a zero bulk unless named.
Model baseModel(int n, const std::string& spikes, const std::string& bulk = "zero",
                const std::string& noise = "gaussian")
{
    return testsupport::squareModel(n, noise, spikes, bulk);
}

// The grid or one of the models along it is refused with a message starting with `start`.
void expectInputError(const SweepSpec& spec, const char* start)
{
    testsupport::expectInputError(
        [&] {
            for (double v : sweepGrid(spec))
                (void)sweepModel(spec, v);
        },
        start);
}

} // namespace

class TestSweep : public QObject
{
    Q_OBJECT
private slots:
    void grids();
    void badGrids();
    void modelsAlongTheGrid();
    void pointEqualsSingleRunDense();
    void pointEqualsSingleRunBanded();
    void pointEqualsSingleRunFastPath();
    void pointFromSplitSamples();
    void overlapsEqualSingleOverlapRun();
    void progressAndCancel();
    void memoryRefusedUpFront();
    void bbpTransition();
    void outlierCountsAlongAlpha();
    void finiteRankErrorStallsWithGrowingRank();
    void slopes();
    void csv();
};

void TestSweep::grids()
{
    SweepSpec s;
    s.param = SweepParam::Theta;
    s.from = 0.5;
    s.to = 2.5;
    s.steps = 5;
    QCOMPARE(sweepGrid(s), (std::vector<double>{0.5, 1.0, 1.5, 2.0, 2.5}));
    s.steps = 1;
    QCOMPARE(sweepGrid(s), std::vector<double>{0.5});
    s.from = 3.0; // descending grids run as given
    s.to = 1.0;
    s.steps = 3;
    QCOMPARE(sweepGrid(s), (std::vector<double>{3.0, 2.0, 1.0}));

    s.param = SweepParam::N;
    s.from = 100;
    s.to = 10000;
    s.steps = 3;
    s.log = true;
    QCOMPARE(sweepGrid(s), (std::vector<double>{100, 1000, 10000}));
    s.from = 2;
    s.to = 4;
    s.steps = 6; // 2, 2.3, 2.6, 3.0, 3.5, 4 -> rounded 2, 2, 3, 3, 3, 4: repeats dropped
    QCOMPARE(sweepGrid(s), (std::vector<double>{2, 3, 4}));

    s.param = SweepParam::Alpha;
    s.log = false;
    s.from = 0.0;
    s.to = 1.0;
    s.steps = 3;
    QCOMPARE(sweepGrid(s), (std::vector<double>{0.0, 0.5, 1.0}));
    QVERIFY(parseSweepParam("n") == SweepParam::N);
    QCOMPARE(toString(parseSweepParam("alpha")), std::string("alpha"));
}

void TestSweep::badGrids()
{
    SweepSpec s;
    s.base = baseModel(100, "equal:3");
    s.steps = 0;
    expectInputError(s, "steps:");
    s.steps = 1001;
    expectInputError(s, "steps:");
    s.steps = 3;
    s.log = true;
    s.from = 0.0;
    expectInputError(s, "from: a log grid");
    s.from = 1.0;
    s.to = -1.0;
    expectInputError(s, "to: a log grid");
    s.log = false;
    s.from = std::nan("");
    expectInputError(s, "from:");
    s.param = SweepParam::Alpha;
    s.from = 0.0;
    s.to = 1.5;
    expectInputError(s, "to: alpha must be in [0, 1]");
    s.param = SweepParam::N;
    s.from = 1.0;
    s.to = 100;
    expectInputError(s, "from: N must be");
    // The range named is validate()'s (not int's): the end beyond it is refused by the grid.
    s.from = 2.0;
    s.to = kMaxN + 1.0;
    expectInputError(s, "to: N must be in [2, 100000000]");
    s.to = 100;
    // An explicit rank 5 does not fit N = 3: named by the grid end it is nearer to.
    s.base.rank.rank = 5;
    s.from = 3;
    s.to = 100;
    expectInputError(s, "from: at N = 3: ");
    // alpha sweeps need a rank that follows alpha.
    s.base = baseModel(100, "list:3,2");
    s.param = SweepParam::Alpha;
    s.from = 0.0;
    s.to = 0.5;
    expectInputError(s, "param: an alpha sweep");
    try {
        (void)parseSweepParam("sigma");
        QFAIL("accepted sigma");
    } catch (const InputError& e) {
        QVERIFY(std::string(e.what()).rfind("param: must be theta, n or alpha", 0) == 0);
    }
    // Theta scaling of all-zero spikes is refused.
    SweepSpec z;
    z.base = baseModel(100, "equal:0");
    expectInputError(z, "spikes: a theta sweep");
}

void TestSweep::modelsAlongTheGrid()
{
    SweepSpec s;
    s.base = baseModel(100, "list:2,-4,1", "uniform:-1,1");
    s.param = SweepParam::Theta;
    // The strongest spike is -4: the value 8 multiplies every spike by 8 / -4 = -2.
    Model m = sweepModel(s, 8.0);
    QCOMPARE(spikeValues(m), (std::vector<double>{8.0, -2.0, -4.0}));
    s.base = baseModel(100, "power:3,1");
    s.base.rank.rank = 3;
    m = sweepModel(s, 6.0);
    QCOMPARE(m.spikes.params, (std::vector<double>{6.0, 1.0}));
    s.base = baseModel(100, "equal:3");
    s.base.rank = RankRule{false, 0.5, 1};
    m = sweepModel(s, 1.7);
    QCOMPARE(spikeValues(m), std::vector<double>(10, 1.7));
    QVERIFY(m.bulk == s.base.bulk);
    s.rankOne = true;
    m = sweepModel(s, 1.7);
    QCOMPARE(rankOf(m), 1);
    QCOMPARE(spikeValues(m), std::vector<double>{1.7});

    s.rankOne = false;
    s.param = SweepParam::N;
    m = sweepModel(s, 400);
    QCOMPARE(m.n, 400);
    QCOMPARE(rankOf(m), 20); // ceil(400^0.5)
    s.param = SweepParam::Alpha;
    m = sweepModel(s, 0.0);
    QCOMPARE(rankOf(m), 1);
    m = sweepModel(s, 1.0);
    QCOMPARE(rankOf(m), 100);
}

void TestSweep::pointEqualsSingleRunDense()
{
    // A full-rank bulk runs the dense sampler; each point is runSamples at that model + seed.
    const SweepSpec s = sweepSpec(baseModel(150, "list:3,1.5,-2.5", "uniform:-0.5,0.5"),
                                  Grid{SweepParam::Theta, 1.5, 4.0, 3}, 4, 77);
    const SweepResult r = runSweep(s);
    QCOMPARE(r.points.size(), std::size_t(3));
    QVERIFY(!r.cancelled);
    for (const SweepPoint& p : r.points) {
        const Model m = sweepModel(s, p.value);
        QVERIFY(p.model == m);
        const RunResult single = runSamples(m, s.run);
        const Theory t = computeTheory(m, 800);
        QVERIFY(p.sampler == SamplerKind::Dense);
        QVERIFY(p.source == SpectrumSource::Eigenvalues);
        QCOMPARE(p.samples, single.completed);
        const OutlierObservation obs = observeOutliers(t, single.eigenvalues);
        compareObserved(p.observed, obs.spikes);
        QCOMPARE(p.observedCount, obs.meanOutliers);
        QCOMPARE(p.unexplained, obs.meanUnexplained);
        QCOMPARE(p.observedIntervals.size(), obs.intervals.size());
        for (std::size_t k = 0; k < obs.intervals.size(); ++k)
            QCOMPARE(p.observedIntervals[k].meanCount, obs.intervals[k].meanCount);
        QCOMPARE(p.bulkHi, bulkHull(t).hi);
        QCOMPARE(p.intervals.size(), t.equivalent.support.size());
        for (std::size_t k = 0; k < single.eigenvalues.size(); ++k) {
            const auto& ev = single.eigenvalues[k];
            QCOMPARE(p.top[k].size(), std::size_t(8));
            QCOMPARE(p.top[k][0], ev.back());
            QCOMPARE(p.top[k][7], ev[ev.size() - 8]);
            QCOMPARE(p.bottom[k].front(), ev.front()); // a negative spike: bottoms kept
        }
        QCOMPARE(p.predictions.size(), t.outliers.size());
        for (std::size_t j = 0; j < t.outliers.size(); ++j) {
            QCOMPARE(p.predictions[j].finiteRank, t.outliers[j].finiteRank);
            QCOMPARE(p.predictions[j].largeRank, t.outliers[j].largeRank);
        }
    }
    // Same seed, different thread count: the same numbers.
    SweepSpec one = s;
    one.run.threads = 1;
    const SweepResult r1 = runSweep(one);
    for (std::size_t i = 0; i < r.points.size(); ++i) {
        compareObserved(r1.points[i].observed, r.points[i].observed);
        QCOMPARE(r1.points[i].top, r.points[i].top);
    }
}

void TestSweep::pointEqualsSingleRunBanded()
{
    // Small N, zero bulk: the banded sampler through runSamples (no fast path below N = 1000).
    SweepSpec s =
        sweepSpec(baseModel(300, "equal:3"), Grid{SweepParam::N, 100, 400, 3, true}, 3, 5);
    s.base.rank = RankRule{false, 0.3, 1};
    const SweepResult r = runSweep(s);
    QCOMPARE(r.points.size(), std::size_t(3));
    for (const SweepPoint& p : r.points) {
        const Model m = sweepModel(s, p.value);
        QVERIFY(p.sampler == SamplerKind::Banded);
        QVERIFY(p.source == SpectrumSource::Eigenvalues);
        const RunResult single = runSamples(m, s.run);
        const Theory t = computeTheory(m, 800);
        compareObserved(p.observed, observeOutliers(t, single.eigenvalues).spikes);
        for (std::size_t k = 0; k < single.eigenvalues.size(); ++k)
            QCOMPARE(p.top[k][0], single.eigenvalues[k].back());
        QCOMPARE(p.rank, rankOf(m));
    }
}

void TestSweep::pointEqualsSingleRunFastPath()
{
    // N = 1500, rank one: the banded fast path. The point equals runBandedSpectra with the
    // documented request (keepTop largest, every eigenvalue beyond the bulk's claim), and its
    // eigenvalues agree with runSamples' to the bisection tolerance.
    SweepSpec s =
        sweepSpec(baseModel(1500, "equal:3"), Grid{SweepParam::Theta, 0.5, 3.0, 2}, 3, 12);
    s.keepTop = 3;
    const SweepResult r = runSweep(s);
    QCOMPARE(r.points.size(), std::size_t(2));
    for (const SweepPoint& p : r.points) {
        const Model m = sweepModel(s, p.value);
        QVERIFY(sweepUsesFastPath(s, m));
        QVERIFY(p.source == SpectrumSource::InertiaCounts);
        const Theory t = computeTheory(m, 800);
        const std::optional<OutlierThresholds> th = outlierThresholds(t);
        QVERIFY(th && th->bulk);
        QCOMPARE(th->above, t.equivalent.support[*th->bulk].claimHi);
        BandedSpectrumRequest req;
        req.topCount = 3;
        req.above = th->above;
        req.below = th->below;
        req.maxOutliers = th->maxOutliers;
        const BandedRunResult single = runBandedSpectra(m, s.run, req);
        for (std::size_t k = 0; k < single.spectra.size(); ++k)
            QCOMPARE(p.top[k], single.spectra[k].top);
        RunOptions full = s.run;
        full.sampler = SamplerChoice::Banded;
        const RunResult all = runSamples(m, full);
        for (std::size_t k = 0; k < all.eigenvalues.size(); ++k)
            for (std::size_t i = 0; i < 3; ++i)
                QVERIFY(std::abs(p.top[k][i] - all.eigenvalues[k][1499 - i]) < 1e-10);
    }
    QVERIFY(!r.points[0].observed[0].mean); // theta = 0.5: no outlier
    QCOMPARE(r.points[1].observed[0].samplesPresent, 3);
}

void TestSweep::overlapsEqualSingleOverlapRun()
{
    SweepSpec s = sweepSpec(baseModel(200, "list:3,2", "uniform:-1,1"),
                            Grid{SweepParam::Theta, 2.5, 3.5, 2}, 3, 8);
    s.overlaps = true;
    const SweepResult r = runSweep(s);
    for (const SweepPoint& p : r.points) {
        const Model m = sweepModel(s, p.value);
        const OverlapRun single = runOverlaps(m, computeTheory(m, 800), s.run);
        QCOMPARE(p.overlaps.size(), single.observed.size());
        for (std::size_t j = 0; j < p.overlaps.size(); ++j) {
            QCOMPARE(p.overlaps[j].mean, single.observed[j].mean);
            QCOMPARE(p.overlaps[j].sd, single.observed[j].sd);
        }
        QVERIFY(p.overlaps[0].mean.has_value());
    }
}

void TestSweep::progressAndCancel()
{
    const SweepSpec s = sweepSpec(baseModel(120, "equal:3", "uniform:-1,1"),
                                  Grid{SweepParam::Theta, 1.0, 3.0, 4}, 3);
    std::vector<double> fractions;
    std::vector<int> pointsSeen;
    const SweepResult r = runSweep(
        s, nullptr, [&](const SweepProgress& p) { fractions.push_back(p.fraction); },
        [&](const SweepPoint& p) { pointsSeen.push_back(p.index); });
    QCOMPARE(pointsSeen, (std::vector<int>{0, 1, 2, 3}));
    QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
    QVERIFY(std::abs(fractions.back() - 1.0) < 1e-12);
    QCOMPARE(fractions.size(), std::size_t(12));

    // Cancelled after the second point: two complete points, flagged.
    std::atomic<bool> cancel{false};
    const SweepResult c = runSweep(s, &cancel, {}, [&](const SweepPoint& p) {
        if (p.index == 1)
            cancel = true;
    });
    QVERIFY(c.cancelled);
    QCOMPARE(c.points.size(), std::size_t(2));
    QCOMPARE(c.requested, 4);
}

void TestSweep::memoryRefusedUpFront()
{
    // Dense at N = 15050 (the middle point) already needs > 1.7 GiB.
    SweepSpec s =
        sweepSpec(baseModel(100, "equal:3", "uniform:-1,1"), Grid{SweepParam::N, 100, 30000, 3}, 1);
    s.run.memoryBudget = std::size_t(1) << 30;
    bool progressed = false;
    try {
        (void)runSweep(s, nullptr, [&](const SweepProgress&) { progressed = true; });
        QFAIL("not refused");
    } catch (const ResourceError& e) {
        QVERIFY2(std::string(e.what()).find("grid point N = 15050 needs about") !=
                     std::string::npos,
                 e.what());
    }
    QVERIFY(!progressed); // nothing ran
}

void TestSweep::bbpTransition()
{
    // Rank one, zero bulk, N = 2000 (banded fast path): below theta = 1 the top eigenvalue sits at
    // the edge 2 (within a few Tracy-Widom scales N^-2/3), above it follows theta + 1/theta.
    SweepSpec s =
        sweepSpec(baseModel(2000, "equal:1"), Grid{SweepParam::Theta, 0.25, 3.0, 12}, 8, 2);
    s.rankOne = true;
    const SweepResult r = runSweep(s);
    QCOMPARE(r.points.size(), std::size_t(12));
    const double tw = std::pow(2000.0, -2.0 / 3.0);
    for (const SweepPoint& p : r.points) {
        const double theta = p.value;
        const double mean = p.topMean[0];
        const double se = std::max(p.topSd[0], 1e-12) / std::sqrt(8.0);
        if (theta < 0.8) {
            QVERIFY2(std::abs(mean - 2.0) < 6.0 * tw,
                     qPrintable(QString("theta %1: top %2").arg(theta).arg(mean)));
            QCOMPARE(p.predictedLarge, 0);
            QCOMPARE(p.predictedFinite, 0);
        } else if (theta > 1.5) {
            QCOMPARE(p.predictedLarge, 1);
            QVERIFY2(std::abs(mean - (theta + 1.0 / theta)) < 5.0 * se + 2.0 / 2000.0,
                     qPrintable(QString("theta %1: top %2 +- %3").arg(theta).arg(mean).arg(se)));
            QCOMPARE(p.observed[0].samplesPresent, 8);
        }
    }
}

void TestSweep::outlierCountsAlongAlpha()
{
    // Equal spikes at 5 (far from the bulk): r = ceil(N^alpha) outliers predicted and observed.
    SweepSpec s = sweepSpec(baseModel(400, "equal:5"), Grid{SweepParam::Alpha, 0.0, 0.5, 3}, 2);
    s.base.rank = RankRule{false, 0.0, 1};
    const SweepResult r = runSweep(s);
    const std::vector<int> ranks{1, 5, 20}; // ceil(400^0, 400^0.25, 400^0.5)
    for (std::size_t i = 0; i < 3; ++i) {
        const SweepPoint& p = r.points[i];
        QCOMPARE(p.rank, ranks[i]);
        QCOMPARE(p.predictedLarge, ranks[i]);
        QCOMPARE(p.predictedFinite, ranks[i]);
        QCOMPARE(p.observedCount, static_cast<double>(ranks[i]));
    }
}

void TestSweep::finiteRankErrorStallsWithGrowingRank()
{
    // alpha = 0.6, spikes equal:2: the group's centre is theta + sigma^2 G with G = (N - r)/(N
    // theta), which moves away from theta + 1/theta by r/(N theta) = N^-0.4 / 2 -- far beyond the
    // noise floor at N = 1000 -- while the large-rank error stays at the floor.
    // 16 samples: the floor (sd / sqrt(samples)) is then small enough that F / floor >= 9 for
    // every seed tried (1..64), not just for a lucky one.
    SweepSpec s =
        sweepSpec(baseModel(1000, "equal:2"), Grid{SweepParam::N, 250, 1000, 3, true}, 16);
    s.base.rank = RankRule{false, 0.6, 1};
    const SweepResult r = runSweep(s);
    QCOMPARE(r.points.size(), std::size_t(3));
    for (const SweepPoint& p : r.points) {
        QVERIFY(p.errorFinite && p.errorLarge && p.errorFloor);
        QVERIFY2(*p.errorLarge < 5.0 * *p.errorFloor + 2.0 / p.model.n,
                 qPrintable(QString("N %1: large-rank error %2, floor %3")
                                .arg(p.model.n)
                                .arg(*p.errorLarge)
                                .arg(*p.errorFloor)));
        QVERIFY2(*p.errorFinite > 8.0 * *p.errorFloor,
                 qPrintable(QString("N %1: finite-rank error %2, floor %3")
                                .arg(p.model.n)
                                .arg(*p.errorFinite)
                                .arg(*p.errorFloor)));
    }
}

void TestSweep::slopes()
{
    const std::vector<double> x{10, 100, 1000};
    QCOMPARE(*logLogSlope(x, {1.0, 0.1, 0.01}), -1.0);
    QVERIFY(std::abs(*logLogSlope(x, {2.0, 2.0 / std::sqrt(10.0), 0.2}) + 0.5) < 1e-12);
    QVERIFY(!logLogSlope({10}, {1}).has_value());
    QVERIFY(!logLogSlope(x, {0.0, -1.0, 1.0}).has_value()); // one usable pair
}

void TestSweep::csv()
{
    const SweepSpec s =
        sweepSpec(baseModel(100, "equal:3"), Grid{SweepParam::Theta, 0.5, 3.0, 2}, 2);
    const SweepResult r = runSweep(s);
    const std::string csv = sweepCsv(r);
    const auto lines = QString::fromStdString(csv).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    const int columns = static_cast<int>(lines[0].split(',').size());
    QVERIFY(lines[0].startsWith("param,value,n,rank,samples"));
    for (const auto& l : lines)
        QCOMPARE(static_cast<int>(l.split(',').size()), columns);
    QVERIFY(lines[2].startsWith("theta,3,100,1,2,banded,eigenvalues,"));
}

void TestSweep::pointFromSplitSamples()
{
    // A cluster run's pieces: the samples of a point drawn in two subsets (two processes), put
    // back in sample order and summed up, give the point runSweepPoint gives, bit for bit (dense
    // eigenvalues and the banded fast path).
    for (int n : {120, 1500}) {
        const SweepSpec s =
            sweepSpec(baseModel(n, "list:3,-2.5"), Grid{SweepParam::Theta, 1.0, 3.0, 2}, 5, 4);
        const double value = 3.0;
        const SweepPoint whole = runSweepPoint(s, 1, value);
        const Model m = sweepModel(s, value);
        const Theory t = computeTheory(m, 800);
        SweepSpec a = s, b = s;
        a.run.subset = {1, 3};
        b.run.subset = {0, 2, 4};
        SweepSamples pa = runSweepPointSamples(a, m, t);
        SweepSamples pb = runSweepPointSamples(b, m, t);
        QCOMPARE(pb.sampleIndex, b.run.subset);
        SweepSamples joined;
        joined.sampler = pa.sampler;
        joined.source = pa.source;
        for (int k = 0; k < 5; ++k) {
            SweepSamples& from = k % 2 ? pa : pb;
            joined.samples.push_back(from.samples[static_cast<std::size_t>(k / 2)]);
            joined.sampleIndex.push_back(k);
        }
        const SweepPoint split = sweepPointFromSamples(s, 1, value, t, std::move(joined));
        QVERIFY(split.source == whole.source);
        QCOMPARE(split.samples, 5);
        QVERIFY(split.top == whole.top && split.bottom == whole.bottom);
        QVERIFY(split.topMean == whole.topMean && split.topSd == whole.topSd);
        compareObserved(split.observed, whole.observed);
        QCOMPARE(split.observedCount, whole.observedCount);
        QCOMPARE(split.errorLarge, whole.errorLarge);
        QVERIFY(!whole.bottom.front().empty()); // a negative spike: the bottom is kept too
    }
}

QTEST_APPLESS_MAIN(TestSweep)
#include "tst_sweep.moc"
