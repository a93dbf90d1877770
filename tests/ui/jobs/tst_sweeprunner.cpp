// The sweep runner (ui/jobs/sweeprunner.h) on its JobRunner: the points it delivers are the
// core's runSweep points, a restart drops the old sweep, cancel is final at once with the points
// done so far, a bad grid is refused before anything starts, a failure names its cause.
#include "support/job_waits.h"
#include "support/core_models.h"
#include "ui/jobs/sweeprunner.h"

#include "core/model/families.h"

#include <QSignalSpy>
#include <QtTest>

using namespace ws;
using testsupport::rankOneThetaSweep;

namespace {

// A sweep of many seconds: dense samples over a full-rank bulk.
core::SweepSpec longSweep()
{
    core::SweepSpec spec = rankOneThetaSweep(600, 0.5, 3.0, 40, 4);
    spec.base.bulk = core::parseBulk("uniform:-1,1");
    return spec;
}

struct Spies : test::RunnerSpies<ui::SweepRunner>
{
    using RunnerSpies::RunnerSpies;
    QSignalSpy curves{&runner, &ui::SweepRunner::curvesReady},
        points{&runner, &ui::SweepRunner::pointReady};
};

} // namespace

class TestSweepRunner : public QObject
{
    Q_OBJECT
private slots:
    void pointsAreTheCoresPoints();
    void restartDropsTheOldSweep();
    void cancelIsFinalAtOnce();
    void badGridIsRefusedBeforeStarting();
    void failureNamesTheCause();
};

void TestSweepRunner::pointsAreTheCoresPoints()
{
    ui::SweepRunner r;
    Spies s(r);
    const core::SweepSpec spec = rankOneThetaSweep(150, 0.5, 3.0, 4, 3);
    r.start(spec, true);
    QCOMPARE(s.started.count(), 1);
    QVERIFY(r.isRunning());
    QVERIFY(s.finished.wait(60000));
    QCOMPARE(s.finished.count(), 1);
    QCOMPARE(s.finished.at(0).at(0).toBool(), false);
    QCOMPARE(s.failed.count(), 0);
    QVERIFY(!r.isRunning());
    QCOMPARE(s.curves.count(), 1);
    QCOMPARE(r.curves().x.size(), std::size_t(240));
    QCOMPARE(s.points.count(), 4);
    QVERIFY(s.progress.count() >= 1);
    for (const auto& args : std::as_const(s.progress)) {
        QVERIFY(args.at(0).toDouble() >= 0.0 && args.at(0).toDouble() <= 1.0);
        QCOMPARE(args.at(2).toInt(), 4);
    }
    QCOMPARE(r.fraction(), 1.0);
    // Bit for bit the core's sweep (same seed at every point).
    const core::SweepResult expected = core::runSweep(spec);
    const core::SweepResult& got = r.result();
    QCOMPARE(got.requested, 4);
    QVERIFY(!got.cancelled);
    QCOMPARE(got.points.size(), expected.points.size());
    for (std::size_t i = 0; i < got.points.size(); ++i) {
        QCOMPARE(got.points[i].index, expected.points[i].index);
        QCOMPARE(got.points[i].topMean, expected.points[i].topMean);
        QCOMPARE(got.points[i].top, expected.points[i].top);
    }
    QVERIFY(got.totalSeconds > 0.0);
}

void TestSweepRunner::restartDropsTheOldSweep()
{
    ui::SweepRunner r;
    Spies s(r);
    r.start(longSweep(), true);
    const core::SweepSpec small = rankOneThetaSweep(120, 1.0, 2.0, 2, 1);
    r.start(small, false);
    QCOMPARE(s.started.count(), 2);
    QVERIFY(s.finished.wait(60000));
    QVERIFY(s.waitIdle());
    QCOMPARE(s.finished.count(), 1);
    QCOMPARE(s.finished.at(0).at(0).toBool(), false);
    QCOMPARE(s.curves.count(), 0); // the old sweep's curves never arrived
    QCOMPARE(s.points.count(), 2);
    QCOMPARE(r.result().points.size(), std::size_t(2));
    QCOMPARE(r.result().requested, 2);
    QCOMPARE(r.spec().base.n, 120);
    for (const auto& p : r.result().points)
        QCOMPARE(p.model.n, 120);
}

void TestSweepRunner::cancelIsFinalAtOnce()
{
    ui::SweepRunner r;
    Spies s(r);
    r.start(longSweep(), false);
    QVERIFY(s.points.wait(60000)); // the first grid point is in
    QVERIFY(r.isRunning());
    r.cancel();
    QCOMPARE(s.finished.count(), 1); // before cancel() returned
    QCOMPARE(s.finished.at(0).at(0).toBool(), true);
    QCOMPARE(s.failed.count(), 0);
    QVERIFY(!r.isRunning());
    QVERIFY(r.result().cancelled);
    const std::size_t kept = r.result().points.size();
    QVERIFY(kept >= 1 && kept < 40);
    QCOMPARE(static_cast<qsizetype>(kept), s.points.count());
    // The worker stops after its current sample; nothing of it arrives.
    QVERIFY(s.waitIdle());
    QCOMPARE(r.result().points.size(), kept);
    QCOMPARE(s.finished.count(), 1);
    QCOMPARE(s.failed.count(), 0);
}

void TestSweepRunner::badGridIsRefusedBeforeStarting()
{
    ui::SweepRunner r;
    Spies s(r);
    r.start(rankOneThetaSweep(120, 1.0, 2.0, 2, 1), false);
    QVERIFY(s.finished.wait(60000));
    core::SweepSpec bad = rankOneThetaSweep(120, 1.0, 2.0, 0, 1); // steps = 0
    QVERIFY_THROWS_EXCEPTION(core::InputError, r.start(bad, false));
    bad = rankOneThetaSweep(120, 1.0, 2.0, 3, 1);
    bad.param = core::SweepParam::Alpha;
    bad.base.spikes = core::parseSpikes("list:3,2"); // an alpha sweep of a list
    QVERIFY_THROWS_EXCEPTION(core::InputError, r.start(bad, false));
    QCOMPARE(s.started.count(), 1);
    QVERIFY(!r.isRunning());
    QCOMPARE(r.result().points.size(), std::size_t(2)); // the last sweep stays
}

void TestSweepRunner::failureNamesTheCause()
{
    ui::SweepRunner r;
    Spies s(r);
    core::SweepSpec spec = rankOneThetaSweep(300, 1.0, 2.0, 2, 2);
    spec.run.memoryBudget = 1024; // 1 KiB: refused on the worker, before sampling
    r.start(spec, false);
    QVERIFY(s.failed.wait(60000));
    QCOMPARE(s.finished.count(), 0);
    QVERIFY2(s.failed.at(0).at(0).toString().contains("memory"),
             qPrintable(s.failed.at(0).at(0).toString()));
    QVERIFY(!r.isRunning());
}

QTEST_GUILESS_MAIN(TestSweepRunner)
#include "tst_sweeprunner.moc"
