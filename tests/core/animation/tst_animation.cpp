// Animation frames (core/animation): the grid and models (sigma and family values included),
// axes fixed before the first frame, every frame equal bit for bit to a single run of its model
// with the animation's seed, common random numbers across frames, frames computed on their own,
// cancellation and the memory check, and the words of titles and captions.
#include "support/core_checks.h"
#include "core/animation/animation.h"
#include "core/animation/describe.h"
#include "core/model/families.h"
#include "core/model/model.h"
#include "core/outliers/outliers.h"
#include "core/sampling/banded/banded.h"
#include "core/sampling/runner.h"
#include "core/sweeps/sweep.h"
#include "core/theory/theory.h"
#include "core/util/histogram.h"

#include <QtTest>

#include <atomic>
#include <cmath>
#include <numbers>
#include <vector>

using namespace ws::core;

using testsupport::compareObserved;
using testsupport::expectInputError;

namespace {

Model rankOne(int n, double theta = 3.0)
{
    Model m;
    m.n = n;
    m.spikes = SpikeFamily{SpikeKind::Equal, {theta}};
    m.rank = RankRule{true, 0.0, 1};
    return m;
}

AnimationSpec thetaSpec(int n, int frames, int samples, std::uint64_t seed = 7)
{
    AnimationSpec s;
    s.base = rankOne(n);
    s.param = SweepParam::Theta;
    s.from = 0.5;
    s.to = 3.0;
    s.frames = frames;
    s.run.samples = samples;
    s.run.seed = seed;
    s.points = 200;
    return s;
}

// Sum over bins of |a - b| / total: 0 for equal histograms, about 2 for disjoint ones.
double l1(const Histogram& a, const Histogram& b)
{
    double d = 0.0;
    for (std::size_t i = 0; i < a.counts.size(); ++i)
        d += std::abs(static_cast<double>(a.counts[i]) - static_cast<double>(b.counts[i]));
    return d / static_cast<double>(a.total);
}

} // namespace

class TestAnimation : public QObject
{
    Q_OBJECT
private slots:
    void targets();
    void sigmaAndFamilyValues();
    void badSpecs();
    void axesFixedFromTheory();
    void frameEqualsSingleRunDense();
    void frameEqualsSingleRunInertia();
    void commonRandomNumbers();
    void framesAreIndependent();
    void cancel();
    void memoryRefusedBeforeAnyFrame();
    void words();
};

void TestAnimation::targets()
{
    QVERIFY(parseSweepTarget("theta").param == SweepParam::Theta);
    QVERIFY(parseSweepTarget("n").param == SweepParam::N);
    QVERIFY(parseSweepTarget("alpha").param == SweepParam::Alpha);
    QVERIFY(parseSweepTarget("sigma").param == SweepParam::Sigma);
    const SweepTarget b = parseSweepTarget("spikes:2");
    QVERIFY(b.param == SweepParam::Spikes);
    QCOMPARE(b.familyIndex, 1);
    const SweepTarget p = parseSweepTarget("bulk:3");
    QVERIFY(p.param == SweepParam::Bulk);
    QCOMPARE(p.familyIndex, 2);
    for (const char* bad : {"", "spikes", "spikes:", "spikes:0", "spikes:-1", "spikes:1.5",
                            "bulk:x", "Sigma", "rank", "spikes:99999999999"})
        expectInputError([bad] { (void)parseSweepTarget(bad); }, "param: must be theta, n, alpha");
    // The sweep command's own parser is unchanged: theta, n and alpha only.
    expectInputError([] { (void)parseSweepParam("sigma"); }, "param: must be theta, n or alpha");
}

void TestAnimation::sigmaAndFamilyValues()
{
    SweepSpec s;
    s.base = rankOne(200);
    s.param = SweepParam::Sigma;
    s.from = 0.5;
    s.to = 1.5;
    s.steps = 3;
    QCOMPARE(sweepModel(s, 1.5).sigma, 1.5);
    QCOMPARE(sweepValueName(s.param, 0, s.base), std::string("sigma"));

    // spikes:2 of linear:a,b is b; the other value and everything else stay.
    s.base.spikes = parseSpikes("linear:1,2");
    s.base.rank = RankRule{true, 0.0, 4};
    s.param = SweepParam::Spikes;
    s.familyIndex = 1;
    const Model m = sweepModel(s, 3.5);
    QCOMPARE(toString(m.spikes), std::string("linear:1,3.5"));
    QVERIFY(m.rank == s.base.rank);
    QCOMPARE(sweepValueName(s.param, 1, s.base), std::string("b"));
    QCOMPARE(spikeValues(m).front(), 3.5);

    // bulk:3 of twopoint:a,b,p is p; validated like any model.
    s.base.bulk = parseBulk("twopoint:-1,1,0.5");
    s.param = SweepParam::Bulk;
    s.familyIndex = 2;
    QCOMPARE(toString(sweepModel(s, 0.25).bulk), std::string("twopoint:-1,1,0.25"));
    QCOMPARE(sweepValueName(s.param, 2, s.base), std::string("p"));
    expectInputError([&s] { (void)sweepModel(s, 1.5); }, "to: at p = 1.5: bulk:");
    // A value the family does not have.
    s.familyIndex = 3;
    expectInputError([&s] { (void)sweepModel(s, 0.5); }, "param: bulk:4 names value 4");
    s.base.bulk = BulkFamily{};
    s.familyIndex = 0;
    expectInputError([&s] { (void)sweepModel(s, 0.5); }, "param: bulk:1");
    // List values are named by position.
    s.base.spikes = parseSpikes("list:4,2.5,2");
    QCOMPARE(sweepValueName(SweepParam::Spikes, 2, s.base), std::string("v3"));
}

void TestAnimation::badSpecs()
{
    AnimationSpec s = thetaSpec(100, 3, 1);
    s.frames = 0;
    expectInputError([&s] { (void)planAnimation(s); }, "frames:");
    s.frames = 1001;
    expectInputError([&s] { (void)planAnimation(s); }, "frames:");
    s = thetaSpec(100, 3, 1);
    s.param = SweepParam::Sigma;
    s.from = 0.0;
    expectInputError([&s] { (void)planAnimation(s); }, "from: sigma must be > 0");
    s = thetaSpec(100, 3, 1);
    s.run.samples = 0;
    expectInputError([&s] { (void)planAnimation(s); }, "samples:");
    s = thetaSpec(100, 3, 1);
    s.bins = -1;
    expectInputError([&s] { (void)planAnimation(s); }, "bins:");
    // An explicit banded sampler must apply at every frame (here the bulk becomes non-constant).
    s = thetaSpec(100, 3, 1);
    s.base.bulk = parseBulk("uniform:0,0");
    s.param = SweepParam::Bulk;
    s.familyIndex = 1;
    s.from = 0.0;
    s.to = 1.0;
    s.run.sampler = SamplerChoice::Banded;
    expectInputError([&s] { (void)planAnimation(s); }, "sampler: banded does not apply at b = 0.5");
}

void TestAnimation::axesFixedFromTheory()
{
    // A theta animation through the BBP threshold with a full-rank bulk: the x range holds
    // every frame's support, [-2 sigma, 2 sigma] and both predictions of every spike; the y
    // range every frame's theoretical density with room above; one set of edges throughout.
    AnimationSpec s = thetaSpec(300, 6, 1);
    s.base.spikes = parseSpikes("list:4,2.5");
    s.base.bulk = parseBulk("uniform:-1,1");
    s.from = 1.0;
    s.to = 5.0;
    const AnimationPlan plan = planAnimation(s);
    QCOMPARE(plan.values.size(), std::size_t(6));
    const AnimationAxes& a = plan.axes;
    QVERIFY(a.edges.size() >= 21 && a.edges.size() <= 401);
    QCOMPARE(a.edges.front(), a.xLo);
    QCOMPARE(a.edges.back(), a.xHi);
    double yPeak = 1.0 / std::numbers::pi; // the semicircle's, sigma = 1
    for (const Theory& t : plan.theories) {
        for (const auto& iv : t.equivalent.support)
            QVERIFY(a.xLo < iv.a && iv.b < a.xHi);
        for (const auto& p : t.outliers)
            for (const auto& v : {p.finiteRank, p.largeRank})
                if (v)
                    QVERIFY(a.xLo < *v && *v < a.xHi);
        for (double y : t.equivalent.density.y)
            yPeak = std::max(yPeak, y);
    }
    QVERIFY(a.xLo < -2.0 && a.xHi > 5.2); // theta = 5: finite-rank outlier at 5.2
    QCOMPARE(a.yMax, 1.3 * yPeak);
    const AnimationResult r = runAnimation(plan);
    QCOMPARE(r.frames.size(), std::size_t(6));
    for (const AnimationFrame& f : r.frames) {
        QCOMPARE(f.histogram.edges, a.edges);
        QCOMPARE(f.histogram.total, std::uint64_t(300));
        QCOMPARE(f.semicircle.x.front(), a.xLo);
        QCOMPARE(f.semicircle.x.back(), a.xHi);
    }
}

void TestAnimation::frameEqualsSingleRunDense()
{
    // N = 300 (below the inertia path): frame i is runSamples of sweepModel(value_i) with the
    // animation's options, binned on the fixed edges, and its observed outliers are
    // observeOutliers of that run. Exact comparison.
    AnimationSpec s = thetaSpec(300, 4, 3, 11);
    s.base.spikes = parseSpikes("list:3,-2.5");
    s.base.noise = parseNoise("rademacher");
    const AnimationPlan plan = planAnimation(s);
    for (int i = 0; i < 4; ++i) {
        QVERIFY(!frameUsesInertia(plan, i));
        const AnimationFrame f = computeFrame(plan, i);
        const Model m = sweepModel(sweepSpecOf(s), plan.values[static_cast<std::size_t>(i)]);
        QVERIFY(f.model == m);
        const RunResult single = runSamples(m, s.run);
        Histogram h = makeHistogram(plan.axes.xLo, plan.axes.xHi,
                                    static_cast<int>(plan.axes.edges.size()) - 1);
        for (const auto& ev : single.eigenvalues)
            h.add(ev);
        QCOMPARE(f.histogram.counts, h.counts);
        QCOMPARE(f.histogram.total, h.total);
        QCOMPARE(f.samples, 3);
        QVERIFY(f.source == SpectrumSource::Eigenvalues);
        const Theory t = computeTheory(m, s.points);
        const OutlierObservation obs = observeOutliers(t, single.eigenvalues);
        compareObserved(f.observed, obs.spikes);
        // The rug: every observed outlier of every sample (eigenvalues of the clusters and
        // unexplained ones).
        double outside = 0;
        for (std::size_t k = 0; k < t.equivalent.support.size(); ++k)
            if (t.equivalent.support[k].kind == IntervalKind::Cluster)
                outside += obs.intervals[k].meanCount * obs.samples;
        outside += obs.meanUnexplained * obs.samples;
        QCOMPARE(static_cast<double>(f.outside.size()), std::round(outside));
    }
}

void TestAnimation::frameEqualsSingleRunInertia()
{
    // N = 1200, rank one, Gaussian: the banded inertia path. The frame's counts are those of
    // runBandedSpectra with the fixed edges, and they agree with the eigenvalues of the banded
    // sampler (the same matrices) binned on those edges.
    const AnimationSpec s = thetaSpec(1200, 3, 2, 5);
    const AnimationPlan plan = planAnimation(s);
    const AnimationFrame f = computeFrame(plan, 2); // theta = 3: one outlier
    QVERIFY(frameUsesInertia(plan, 2));
    QVERIFY(f.source == SpectrumSource::InertiaCounts);
    const Model& m = plan.models[2];
    BandedSpectrumRequest req;
    req.edges = plan.axes.edges;
    req.topCount = 1;
    req.bottomCount = 1;
    req.above = f.edgeHi;
    req.below = f.edgeLo;
    const BandedRunResult single = runBandedSpectra(m, s.run, req);
    QCOMPARE(f.histogram.counts, single.counts);
    QCOMPARE(f.histogram.total, single.total);
    RunOptions all = s.run;
    all.sampler = SamplerChoice::Banded;
    const RunResult eig = runSamples(m, all);
    Histogram h =
        makeHistogram(plan.axes.xLo, plan.axes.xHi, static_cast<int>(plan.axes.edges.size()) - 1);
    for (const auto& ev : eig.eigenvalues)
        h.add(ev);
    QCOMPARE(f.histogram.counts, h.counts);
    QCOMPARE(f.observed.size(), std::size_t(1));
    QCOMPARE(f.observed[0].samplesPresent, 2);
    // The observed outlier is the top eigenvalue, to the bisection's accuracy.
    const double top = 0.5 * (eig.eigenvalues[0].back() + eig.eigenvalues[1].back());
    QVERIFY(std::abs(*f.observed[0].mean - top) < 1e-10);
}

void TestAnimation::commonRandomNumbers()
{
    // Two neighbouring frames of a theta animation below the threshold (0.5 -> 0.6): with the
    // same noise at every frame the bulk moves by a rank-one perturbation (eigenvalues
    // interlace), so at most a few eigenvalues change bins; with independent noise many do
    // (fewer than Poisson counts would suggest: eigenvalues are rigid). Measured: 0.0017
    // against 0.043; a seed that changed from frame to frame fails both checks.
    AnimationSpec s = thetaSpec(600, 2, 2, 3);
    s.to = 0.6;
    s.bins = 40;
    const AnimationPlan plan = planAnimation(s);
    const AnimationResult r = runAnimation(plan);
    QCOMPARE(r.frames.size(), std::size_t(2));
    const double common = l1(r.frames[0].histogram, r.frames[1].histogram);
    AnimationSpec other = s;
    other.run.seed = 4;
    const AnimationPlan otherPlan = planAnimation(other);
    const AnimationFrame independent = computeFrame(otherPlan, 1);
    QCOMPARE(independent.histogram.edges, r.frames[1].histogram.edges);
    const double fresh = l1(r.frames[0].histogram, independent.histogram);
    QVERIFY2(common < 0.25 * fresh,
             qPrintable(QString("common %1, independent %2").arg(common).arg(fresh)));
    QVERIFY2(common < 0.01, qPrintable(QString::number(common)));
}

void TestAnimation::framesAreIndependent()
{
    // Frame 2 computed on its own, before any other, equals frame 2 of the whole run.
    const AnimationSpec s = thetaSpec(200, 4, 2, 9);
    const AnimationPlan plan = planAnimation(s);
    const AnimationFrame alone = computeFrame(plan, 2);
    int seen = 0;
    std::vector<double> fractions;
    const AnimationResult r = runAnimation(
        plan, nullptr, [&](const AnimationProgress& p) { fractions.push_back(p.fraction); },
        [&seen](const AnimationFrame& f) { QCOMPARE(f.index, seen++); });
    QCOMPARE(seen, 4);
    QCOMPARE(r.frames[2].histogram.counts, alone.histogram.counts);
    compareObserved(r.frames[2].observed, alone.observed);
    QVERIFY(!fractions.empty());
    QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
    QCOMPARE(fractions.back(), 1.0);
}

void TestAnimation::cancel()
{
    // Cancelled during frame 1: only frame 0 is kept, and the run says it was cancelled.
    const AnimationSpec s = thetaSpec(200, 5, 4, 2);
    const AnimationPlan plan = planAnimation(s);
    std::atomic<bool> stop{false};
    const AnimationResult r = runAnimation(plan, &stop, [&stop](const AnimationProgress& p) {
        if (p.frame == 1 && p.samplesDone >= 1)
            stop.store(true);
    });
    QVERIFY(r.cancelled);
    QCOMPARE(r.frames.size(), std::size_t(1));
    QCOMPARE(r.frames[0].samples, 4);
    // A frame computed with the flag set comes back incomplete.
    const AnimationFrame f = computeFrame(plan, 3, &stop);
    QVERIFY(f.samples < 4);
    // Planning with the flag set gives an empty plan.
    QVERIFY(planAnimation(s, &stop).values.empty());
}

void TestAnimation::memoryRefusedBeforeAnyFrame()
{
    // A dense N = 3000 frame needs ~150 MB per sample in flight: refused with a 20 MiB budget,
    // naming the frame, before anything runs (it would take seconds).
    AnimationSpec s = thetaSpec(300, 2, 2);
    s.param = SweepParam::N;
    s.from = 300;
    s.to = 3000;
    s.run.sampler = SamplerChoice::Dense;
    s.run.memoryBudget = 20u << 20;
    try {
        (void)planAnimation(s);
        QFAIL("not refused");
    } catch (const ResourceError& e) {
        const std::string what = e.what();
        QVERIFY2(what.rfind("memory: the frame N = 3000 needs about", 0) == 0, e.what());
        QVERIFY2(what.find("budget is 20.0 MiB") != std::string::npos, e.what());
    }
    // The caller's own memory counts as well.
    AnimationSpec small = thetaSpec(100, 2, 1);
    small.run.memoryBudget = 50u << 20;
    QVERIFY(planAnimation(small).peakBytes < small.run.memoryBudget);
    small.extraBytes = 60u << 20;
    QVERIFY_THROWS_EXCEPTION(ResourceError, (void)planAnimation(small));
}

void TestAnimation::words()
{
    AnimationSpec s = thetaSpec(1000, 60, 8);
    AnimationPlan plan = planAnimation(s);
    QCOMPARE(describeAnimation(plan), std::string("N = 1000, rank-one spike, Gaussian noise"));
    AnimationFrame f;
    f.index = 43;
    f.value = plan.values[43];
    f.model = plan.models[43];
    f.rank = 1;
    // step 2.5/59 = 0.042: two decimals
    QCOMPARE(frameCaption(plan, f), std::string("theta = 2.32"));

    s = thetaSpec(2000, 5, 1);
    s.base.spikes = parseSpikes("list:4,2.5,1.6");
    s.base.bulk = parseBulk("uniform:-1,1");
    s.base.sigma = 0.8;
    s.param = SweepParam::Spikes;
    s.familyIndex = 2;
    s.from = 1.0;
    s.to = 2.0;
    plan = planAnimation(s);
    QCOMPARE(describeAnimation(plan),
             std::string("N = 2000, sigma = 0.8, 3 spikes 4, 2.5, v3, uniform bulk on [-1, 1], "
                         "Gaussian noise"));
    f.index = 1;
    f.value = plan.values[1];
    f.model = plan.models[1];
    QCOMPARE(frameCaption(plan, f), std::string("v3 = 1.25"));

    s = thetaSpec(500, 11, 1);
    s.base.spikes = parseSpikes("equal:3");
    s.base.rank = RankRule{};
    s.base.noise = parseNoise("student-t:3");
    s.param = SweepParam::Alpha;
    s.from = 0.0;
    s.to = 1.0;
    plan = planAnimation(s);
    QCOMPARE(
        describeAnimation(plan),
        std::string("N = 500, r = ceil(N^alpha) equal spikes theta = 3, Student-t noise (nu = 3)"));
    f.index = 5;
    f.value = plan.values[5];
    f.model = plan.models[5];
    f.rank = rankOf(f.model);
    QCOMPARE(frameCaption(plan, f), std::string("alpha = 0.5 (r = 23)"));
}

QTEST_APPLESS_MAIN(TestAnimation)
#include "tst_animation.moc"
