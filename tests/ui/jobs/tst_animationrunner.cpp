// The animation runner (ui/jobs/animationrunner.h) on its JobRunner: the frames it precomputes
// are core::runAnimation's for the same spec, bit for bit, in order; cancel stops the
// precomputation at once (no frame after it); a restart drops the old animation; an invalid spec
// fails with its reason.
#include "ui/jobs/animationrunner.h"

#include "core/model/families.h"

#include <QSignalSpy>
#include <QtTest>

#include <cstring>

using namespace ws;

namespace {

core::AnimationSpec thetaSpec(int n, int frames, int samples)
{
    core::AnimationSpec s;
    s.base.n = n;
    s.base.spikes = core::parseSpikes("equal:3");
    s.base.rank = core::RankRule{true, 0.0, 1};
    s.param = core::SweepParam::Theta;
    s.from = 0.5;
    s.to = 3.0;
    s.frames = frames;
    s.run.samples = samples;
    s.run.seed = 11;
    s.points = 200;
    return s;
}

// Many seconds: dense samples over a full-rank bulk.
core::AnimationSpec longSpec()
{
    core::AnimationSpec s = thetaSpec(500, 60, 4);
    s.base.bulk = core::parseBulk("uniform:-1,1");
    return s;
}

bool sameBits(double a, double b)
{
    return std::memcmp(&a, &b, sizeof a) == 0;
}

bool sameBits(const std::optional<double>& a, const std::optional<double>& b)
{
    return a.has_value() == b.has_value() && (!a || sameBits(*a, *b));
}

bool sameBits(const std::vector<double>& a, const std::vector<double>& b)
{
    return a.size() == b.size() &&
           (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

struct Spies
{
    explicit Spies(ui::AnimationRunner& r)
        : started(&r, &ui::AnimationRunner::started), planned(&r, &ui::AnimationRunner::planned),
          frames(&r, &ui::AnimationRunner::frameReady),
          finished(&r, &ui::AnimationRunner::finished), failed(&r, &ui::AnimationRunner::failed)
    {
    }
    QSignalSpy started, planned, frames, finished, failed;
};

} // namespace

class TestAnimationRunner : public QObject
{
    Q_OBJECT
private slots:
    void framesAreTheCoresFrames();
    void cancelStopsThePrecomputation();
    void restartDropsTheOldAnimation();
    void invalidSpecFails();
};

void TestAnimationRunner::framesAreTheCoresFrames()
{
    ui::AnimationRunner r;
    Spies s(r);
    const core::AnimationSpec spec = thetaSpec(160, 6, 3);
    r.start(spec);
    QVERIFY(s.finished.wait(120000));
    QCOMPARE(s.finished.count(), 1);
    QCOMPARE(s.finished.at(0).at(0).toBool(), false);
    QCOMPARE(s.failed.count(), 0);
    QCOMPARE(s.planned.count(), 1);
    // Every frame announced once, in order, after the plan.
    QCOMPARE(s.frames.count(), 6);
    for (int i = 0; i < 6; ++i)
        QCOMPARE(s.frames.at(i).at(0).toInt(), i);
    QVERIFY(r.complete());

    // The same spec through the core directly, on this thread.
    const core::AnimationPlan plan = core::planAnimation(spec);
    const core::AnimationResult direct = core::runAnimation(plan);
    QVERIFY(!direct.cancelled);
    QVERIFY(sameBits(r.plan()->axes.edges, plan.axes.edges));
    QCOMPARE(r.frames().size(), direct.frames.size());
    for (std::size_t i = 0; i < direct.frames.size(); ++i) {
        const core::AnimationFrame& a = r.frames()[i];
        const core::AnimationFrame& b = direct.frames[i];
        QCOMPARE(a.index, b.index);
        QVERIFY(sameBits(a.value, b.value));
        QCOMPARE(a.samples, spec.run.samples);
        QCOMPARE(a.samples, b.samples);
        QVERIFY(a.histogram.counts == b.histogram.counts);
        QCOMPARE(a.histogram.total, b.histogram.total);
        QVERIFY(sameBits(a.outside, b.outside));
        QCOMPARE(a.observed.size(), b.observed.size());
        for (std::size_t k = 0; k < a.observed.size(); ++k) {
            QVERIFY(sameBits(a.observed[k].mean, b.observed[k].mean));
            QVERIFY(sameBits(a.observed[k].sd, b.observed[k].sd));
        }
        QVERIFY(sameBits(a.equivalent.y, b.equivalent.y));
    }
    // Frames differ from one another (the parameter moves): theta 0.5 and 3 are not one picture.
    QVERIFY(r.frames().front().histogram.counts != r.frames().back().histogram.counts);
}

void TestAnimationRunner::cancelStopsThePrecomputation()
{
    ui::AnimationRunner r;
    Spies s(r);
    r.start(longSpec());
    QVERIFY(s.frames.wait(120000)); // the first frame is complete
    r.cancel();
    // Final at once: the outcome is reported before cancel() returns.
    QCOMPARE(s.finished.count(), 1);
    QCOMPARE(s.finished.at(0).at(0).toBool(), true);
    QVERIFY(!r.isRunning());
    const int ready = r.readyCount();
    QVERIFY(ready >= 1);
    QVERIFY(ready < r.frameCount());
    // Nothing of the cancelled job arrives later: wait until its worker has returned.
    QSignalSpy idle(r.jobs(), &ui::JobRunner::workersIdle);
    QVERIFY(r.jobs()->busyWorkers() == 0 || idle.wait(120000));
    QCOMPARE(r.readyCount(), ready);
    QCOMPARE(s.frames.count(), ready);
    QCOMPARE(s.failed.count(), 0);
    QCOMPARE(s.finished.count(), 1);
    // Every kept frame is complete.
    for (const core::AnimationFrame& f : r.frames())
        QCOMPARE(f.samples, 4);
}

void TestAnimationRunner::restartDropsTheOldAnimation()
{
    ui::AnimationRunner r;
    Spies s(r);
    r.start(longSpec());
    const core::AnimationSpec b = thetaSpec(120, 3, 2);
    r.start(b);
    QVERIFY(s.finished.wait(120000));
    QCOMPARE(s.finished.count(), 1); // the superseded one reports nothing
    QCOMPARE(s.finished.at(0).at(0).toBool(), false);
    QCOMPARE(s.planned.count(), 1);
    QCOMPARE(r.frameCount(), 3);
    QCOMPARE(s.frames.count(), 3);
    QCOMPARE(r.plan()->models.front().n, 120);
}

void TestAnimationRunner::invalidSpecFails()
{
    ui::AnimationRunner r;
    Spies s(r);
    core::AnimationSpec spec = thetaSpec(100, 0, 1);
    r.start(spec);
    QVERIFY(s.failed.wait(30000));
    QCOMPARE(s.failed.count(), 1);
    QCOMPARE(s.finished.count(), 0);
    QVERIFY(s.failed.at(0).at(0).toString().contains("frames"));
    QCOMPARE(s.failed.at(0).at(1).toString(), QString("frames"));
    QCOMPARE(s.frames.count(), 0);
}

QTEST_GUILESS_MAIN(TestAnimationRunner)
#include "tst_animationrunner.moc"
