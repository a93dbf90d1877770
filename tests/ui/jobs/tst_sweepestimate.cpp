// The sweep estimator (ui/jobs/sweepestimate.h): the timing of one grid point scales to the
// whole grid as documented, an estimate arrives for a small sweep, and cancel is final at once
// with nothing delivered later.
#include "ui/jobs/jobrunner.h"
#include "ui/jobs/sweepestimate.h"

#include "core/model/families.h"

#include <QSignalSpy>
#include <QThread>
#include <QtTest>

#include <cmath>

using namespace ws;

namespace {

core::Model model(int n, const std::string& noise = "gaussian")
{
    core::Model m;
    m.n = n;
    m.noise = core::parseNoise(noise);
    m.spikes = core::parseSpikes("equal:3");
    m.rank = core::RankRule{true, 0.0, 1};
    return m;
}

// A theta sweep (the default parameter) over model(n, noise).
core::SweepSpec thetaSweep(int n, double from, double to, int steps,
                           const std::string& noise = "gaussian")
{
    core::SweepSpec spec;
    spec.base = model(n, noise);
    spec.from = from;
    spec.to = to;
    spec.steps = steps;
    return spec;
}

} // namespace

class TestSweepEstimate : public QObject
{
    Q_OBJECT
private slots:
    void estimateScalesTheTiming();
    void estimateArrives();
    void estimateCancels();
};

void TestSweepEstimate::estimateScalesTheTiming()
{
    core::SweepSpec spec = thetaSweep(400, 0.5, 3.0, 5);
    spec.run.samples = 4;
    ui::SweepTiming t;
    t.theorySeconds = 0.1;
    t.sampleSeconds = 1.0;
    t.n = 400;
    t.dense = true;
    // Theta: five points as costly as the timed one, 4 samples on 2 threads: 2 rounds each.
    QCOMPARE(ui::sweepSeconds(spec, t, 2), 5 * (0.1 + 2.0));
    QCOMPARE(ui::sweepSeconds(spec, t, 8), 5 * (0.1 + 1.0)); // fewer samples than threads
    // N: a dense point of half the size costs an eighth.
    spec.param = core::SweepParam::N;
    spec.from = 200;
    spec.to = 400;
    spec.steps = 2;
    QCOMPARE(ui::sweepSeconds(spec, t, 2), (0.1 / 8 + 2.0 / 8) + (0.1 + 2.0));
    t.dense = false; // banded: a quarter
    QCOMPARE(ui::sweepSeconds(spec, t, 2), (0.1 / 4 + 2.0 / 4) + (0.1 + 2.0));
}

void TestSweepEstimate::estimateCancels()
{
    // Heavy: one dense sample at N = 3000 takes seconds.
    const core::SweepSpec spec = thetaSweep(3000, 1.0, 2.0, 2, "student-t:5");
    ui::SweepEstimator e;
    QSignalSpy estimated(&e, &ui::SweepEstimator::estimated);
    QSignalSpy cancelled(&e, &ui::SweepEstimator::cancelled);
    QSignalSpy idle(e.jobs(), &ui::JobRunner::workersIdle);
    e.start(spec);
    QVERIFY(e.isRunning());
    e.cancel();
    QCOMPARE(cancelled.count(), 1); // at once
    QVERIFY(!e.isRunning());
    QVERIFY(e.jobs()->busyWorkers() == 0 || idle.wait(60000));
    QCOMPARE(estimated.count(), 0);
}

void TestSweepEstimate::estimateArrives()
{
    core::SweepSpec spec = thetaSweep(200, 0.5, 3.0, 4);
    spec.run.samples = 3;
    ui::SweepEstimator e;
    QSignalSpy estimated(&e, &ui::SweepEstimator::estimated);
    e.start(spec);
    QVERIFY(estimated.wait(30000));
    const double seconds = estimated.at(0).at(0).toDouble();
    const auto t = estimated.at(0).at(1).value<ui::SweepTiming>();
    QVERIFY(seconds > 0.0 && std::isfinite(seconds));
    QCOMPARE(t.value, 3.0); // the largest grid value
    QCOMPARE(t.n, 200);
    QCOMPARE(seconds, ui::sweepSeconds(spec, t, QThread::idealThreadCount()));
}

QTEST_GUILESS_MAIN(TestSweepEstimate)
#include "tst_sweepestimate.moc"
