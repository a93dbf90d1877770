// The rectangular runner (ui/jobs/rectrunner.h) on its JobRunner: theory first, then snapshots
// whose histograms are exactly the core's samples, a restart drops the old run, cancel is final
// at once, invalid input is refused before anything is replaced.
#include "support/job_waits.h"
#include "ui/jobs/rectrunner.h"

#include "core/model/families.h"

#include <QSignalSpy>
#include <QtTest>

#include <algorithm>

using namespace ws;

namespace {

core::RectModel rectModel(int n, int m)
{
    core::RectModel r;
    r.n = n;
    r.m = m;
    r.spikes = core::parseSpikes("list:4,3");
    return r;
}

struct Spies : test::RunnerSpies<ui::RectRunner>
{
    using RunnerSpies::RunnerSpies;
    QSignalSpy theory{&runner, &ui::RectRunner::theoryReady},
        snapshots{&runner, &ui::RectRunner::snapshotReady};
};

} // namespace

class TestRectRunner : public QObject
{
    Q_OBJECT
private slots:
    void theoryThenSnapshotsMatchCore();
    void restartDropsTheOldRun();
    void cancelIsFinalAtOnce();
    void invalidInputIsRefused();
};

void TestRectRunner::theoryThenSnapshotsMatchCore()
{
    ui::RectRunner r;
    Spies s(r);
    const core::RectModel m = rectModel(120, 240);
    r.start(m, 6, 5);
    QCOMPARE(s.started.count(), 1);
    QVERIFY(s.finished.wait(60000));
    QCOMPARE(s.finished.at(0).at(0).toBool(), false);
    QCOMPARE(s.failed.count(), 0);
    QCOMPARE(s.theory.count(), 1);
    QVERIFY(s.snapshots.count() >= 1);
    QVERIFY(s.progress.count() >= 1);
    QCOMPARE(s.progress.back().at(0).toDouble(), 1.0);
    const auto f = r.frame();
    const auto snap = r.snapshot();
    QCOMPARE(f->generation, r.generation());
    QCOMPARE(snap->generation, r.generation());
    QVERIFY(snap->finished && !snap->cancelled);
    QCOMPARE(snap->done, 6);
    QCOMPARE(f->theory.p, 120);
    QCOMPARE(snap->hist.total, std::uint64_t(6 * 120));
    // The core's singular values of the same samples, binned alike.
    core::RectRunOptions opt;
    opt.samples = 6;
    opt.seed = 5;
    const core::RectRunResult res = core::runRectSamples(m, opt);
    auto h = core::makeHistogram(f->lo, f->hi, f->bins);
    for (const auto& sv : res.singularValues)
        h.add(sv);
    QCOMPARE(snap->hist.counts, h.counts);
    const auto obs = core::observeRectOutliers(f->theory, res.singularValues);
    QCOMPARE(snap->observed.size(), obs.size());
    for (std::size_t j = 0; j < obs.size(); ++j) {
        QCOMPARE(snap->observed[j].mean.has_value(), obs[j].mean.has_value());
        if (obs[j].mean)
            QVERIFY(std::abs(*snap->observed[j].mean - *obs[j].mean) < 1e-12);
    }
    QVERIFY(s.waitIdle());
    QCOMPARE(r.snapshot(), snap);
}

void TestRectRunner::restartDropsTheOldRun()
{
    ui::RectRunner r;
    Spies s(r);
    r.start(rectModel(700, 700), 40, 1);
    const core::RectModel small = rectModel(60, 90);
    r.start(small, 3, 2);
    QCOMPARE(r.generation(), std::uint64_t(2));
    QVERIFY(s.finished.wait(60000));
    QVERIFY(s.waitIdle());
    QCOMPARE(s.finished.count(), 1);
    QCOMPARE(s.theory.count(), 1);
    QVERIFY(r.frame()->model == small);
    QCOMPARE(r.frame()->generation, std::uint64_t(2));
    QCOMPARE(r.snapshot()->hist.total, std::uint64_t(3 * 60));
}

void TestRectRunner::cancelIsFinalAtOnce()
{
    ui::RectRunner r;
    Spies s(r);
    r.start(rectModel(700, 700), 40, 1); // a few seconds of SVDs
    QVERIFY(s.theory.wait(60000));
    QVERIFY(r.isRunning());
    r.cancel();
    QCOMPARE(s.finished.count(), 1); // before cancel() returned
    QCOMPARE(s.finished.at(0).at(0).toBool(), true);
    QVERIFY(!r.isRunning());
    const qsizetype snapshots = s.snapshots.count();
    const auto snap = r.snapshot();
    // The worker stops after its current sample; nothing of it arrives.
    QVERIFY(s.waitIdle());
    QCOMPARE(s.snapshots.count(), snapshots);
    QCOMPARE(r.snapshot(), snap);
    QCOMPARE(s.finished.count(), 1);
    QCOMPARE(s.failed.count(), 0);
}

void TestRectRunner::invalidInputIsRefused()
{
    ui::RectRunner r;
    Spies s(r);
    r.start(rectModel(50, 60), 2, 1);
    QVERIFY(s.finished.wait(60000));
    const auto frame = r.frame();
    core::RectModel bad = rectModel(50, 60);
    bad.spikes = core::parseSpikes("equal:-3");
    QVERIFY_THROWS_EXCEPTION(core::InputError, r.start(bad, 2, 1));
    QVERIFY_THROWS_EXCEPTION(core::InputError, r.start(rectModel(50, 60), 0, 1));
    QCOMPARE(s.started.count(), 1);
    QCOMPARE(r.generation(), std::uint64_t(1));
    QCOMPARE(r.frame(), frame);
    QVERIFY(!r.isRunning());
}

QTEST_GUILESS_MAIN(TestRectRunner)
#include "tst_rectrunner.moc"
