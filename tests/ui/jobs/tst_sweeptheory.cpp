// The sweep tabs' theory job (ui/jobs/sweeptheory.h) on its JobRunner: its grid points are
// core's theory at each grid value, a newer start drops the older result (only the last spec's
// theory is ever delivered), cancel delivers nothing, a bad grid is refused on the calling
// thread, and destroying it while it computes is clean (the tsan stage runs this test: the
// worker thread against the GUI thread).
#include "support/core_models.h"
#include "ui/jobs/sweeptheory.h"

#include "core/model/families.h"
#include "core/model/model.h"

#include <QSignalSpy>
#include <QtTest>

#include <cmath>

using namespace ws;
using testsupport::rankOneThetaSweep;

namespace {

// Every delivered generation is the runner's latest one (superseded results are dropped).
bool onlyLatest(const QSignalSpy& ready, quint64 latest)
{
    for (const auto& args : ready)
        if (args.at(0).toULongLong() != latest)
            return false;
    return true;
}

} // namespace

class TestSweepTheory : public QObject
{
    Q_OBJECT
private slots:
    void pointsAreCoresTheory();
    void newerStartDropsTheOlderResult();
    void cancelDeliversNothing();
    void badGridIsRefusedBeforeStarting();
    void destroyedWhileComputing();
};

void TestSweepTheory::pointsAreCoresTheory()
{
    ui::SweepTheory t;
    QSignalSpy ready(&t, &ui::SweepTheory::ready), failed(&t, &ui::SweepTheory::failed);
    const core::SweepSpec spec = rankOneThetaSweep(400, 0.5, 3.0, 6);
    t.start(spec, true);
    QVERIFY(ready.wait(60000));
    QCOMPARE(failed.count(), 0);
    QVERIFY(t.isReady());
    const ui::SweepTheoryResult& r = t.result();
    QVERIFY(ui::sameTheory(r.spec, spec));
    const std::vector<double> grid = core::sweepGrid(spec);
    QCOMPARE(r.points.size(), grid.size());
    for (std::size_t i = 0; i < grid.size(); ++i) {
        const ui::GridTheory direct = ui::gridTheory(spec, grid[i]);
        const ui::GridTheory& got = r.points[i];
        QCOMPARE(got.value, grid[i]);
        QCOMPARE(got.n, 400);
        QCOMPARE(got.bulkHi, direct.bulkHi);
        QCOMPARE(got.predictedFinite, direct.predictedFinite);
        QCOMPARE(got.predictedLarge, direct.predictedLarge);
        QCOMPARE(got.predictions.size(), direct.predictions.size());
        for (std::size_t k = 0; k < direct.predictions.size(); ++k)
            QCOMPARE(got.predictions[k].largeRank, direct.predictions[k].largeRank);
    }
    // One spike of strength theta, sigma = 1: theta + 1/theta above the threshold theta = 1.
    const ui::GridTheory& last = r.points.back();
    QVERIFY(!last.predictions.empty() && last.predictions.front().finiteRank);
    QVERIFY(std::abs(*last.predictions.front().finiteRank - (3.0 + 1.0 / 3.0)) < 1e-12);
    // The fine-grid curves, asked for, span the grid.
    QCOMPARE(r.curves.x.size(), std::size_t(240));
    QCOMPARE(r.curves.x.front(), 0.5);
    QVERIFY(std::abs(r.curves.x.back() - 3.0) < 1e-12);
}

void TestSweepTheory::newerStartDropsTheOlderResult()
{
    ui::SweepTheory t;
    QSignalSpy ready(&t, &ui::SweepTheory::ready);
    core::SweepSpec first = rankOneThetaSweep(600, 0.5, 3.0, 200);
    first.base.bulk = core::parseBulk("uniform:-1,1"); // slower theory: still running below
    t.start(first, true);
    const core::SweepSpec second = rankOneThetaSweep(300, 1.5, 2.5, 3);
    t.start(second, false);
    const quint64 latest = t.generation();
    QTRY_VERIFY_WITH_TIMEOUT(t.isReady(), 120000);
    QVERIFY(!ready.isEmpty());
    QVERIFY(onlyLatest(ready, latest));
    QVERIFY(ui::sameTheory(t.result().spec, second));
    QCOMPARE(t.result().points.size(), std::size_t(3));
    QVERIFY(t.result().curves.x.empty()); // not asked for
}

void TestSweepTheory::cancelDeliversNothing()
{
    ui::SweepTheory t;
    QSignalSpy ready(&t, &ui::SweepTheory::ready);
    core::SweepSpec slow = rankOneThetaSweep(600, 0.5, 3.0, 200);
    slow.base.bulk = core::parseBulk("uniform:-1,1");
    t.start(slow, true);
    const quint64 cancelled = t.generation();
    t.cancel();
    // What comes next is the next start's result only: wait on it, then look at what arrived.
    t.start(rankOneThetaSweep(300, 1.5, 2.5, 2), false);
    QVERIFY(t.generation() > cancelled);
    QTRY_VERIFY_WITH_TIMEOUT(t.isReady(), 120000);
    QVERIFY(onlyLatest(ready, t.generation()));
}

void TestSweepTheory::badGridIsRefusedBeforeStarting()
{
    ui::SweepTheory t;
    core::SweepSpec bad = rankOneThetaSweep(300, 0.5, 3.0, 0); // steps must be >= 1
    bool refused = false;
    try {
        t.start(bad, true);
    } catch (const core::InputError& e) {
        refused = QString::fromStdString(e.what()).contains("steps");
    }
    QVERIFY(refused);
    QVERIFY(!t.isRunning());
    QVERIFY(!t.hasResult());
}

void TestSweepTheory::destroyedWhileComputing()
{
    core::SweepSpec slow = rankOneThetaSweep(600, 0.5, 3.0, 200);
    slow.base.bulk = core::parseBulk("uniform:-1,1");
    {
        ui::SweepTheory t;
        t.start(slow, true);
    } // the destructor cancels and waits for the worker (still computing: 200 grid points)
    // A fresh one afterwards still works.
    ui::SweepTheory t;
    QSignalSpy ready(&t, &ui::SweepTheory::ready);
    t.start(rankOneThetaSweep(300, 1.5, 2.5, 2), false);
    QVERIFY(ready.wait(60000));
}

QTEST_MAIN(TestSweepTheory)
#include "tst_sweeptheory.moc"
