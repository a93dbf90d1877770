// Soak: many random parameter changes, presets, cancels and N changes across the whole
// range, applied through the real widgets at human-to-machine speed. At the end the app must be
// responsive, show exactly the last parameters' result, and its resident memory must not have
// grown beyond a bound. WS_SOAK_CHANGES sets the count (CI: 300; the long run: 2000 or more,
// WS_SOAK_SECONDS bounds it by time instead; runs past 5 minutes also need QtTest's watchdog
// raised, e.g. QTEST_FUNCTION_TIMEOUT=2000000 for 30 minutes).
#include "core/sampling/runner.h"
#include "ui/jobs/controller.h"
#include "ui/widgets/controlspanel.h"
#include "ui/plots/mainplot.h"
#include "ui/widgets/mainwindow.h"
#include "ui/widgets/paramslider.h"
#include "ui/widgets/presets.h"
#include "support/gui_fixture.h"
#include "support/run_waits.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QSlider>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <memory>

#include <time.h>

using namespace ws;

namespace {

double residentMiB()
{
    QFile f("/proc/self/status");
    if (!f.open(QIODevice::ReadOnly))
        return 0.0;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    return 0.0;
}

double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) * 1e-6;
}

QString loadAverage()
{
    QFile f("/proc/loadavg");
    if (!f.open(QIODevice::ReadOnly))
        return "?";
    return QString::fromLatin1(f.readAll().split(' ').mid(0, 3).join(' '));
}

} // namespace

class TestSoak : public QObject
{
    Q_OBJECT
private slots:
    void randomChanges();
};

void TestSoak::randomChanges()
{
    QTemporaryDir dir;
    qputenv("WIGNERSCOPE_DATA_DIR", dir.path().toUtf8());
    const int changes = qEnvironmentVariableIsSet("WS_SOAK_CHANGES")
                            ? qEnvironmentVariableIntValue("WS_SOAK_CHANGES")
                            : 300;
    const qint64 maxSeconds = qEnvironmentVariableIsSet("WS_SOAK_SECONDS")
                                  ? qEnvironmentVariableIntValue("WS_SOAK_SECONDS")
                                  : 0;

    auto w = test::shownWindow();
    ui::ControlsPanel* c = w->controls();
    const auto presets = ui::presets();
    QRandomGenerator rng(20261128); // fixed: a failure reproduces

    // The GUI thread's longest gap between 10 ms timer ticks: a blocked event loop shows here.
    // With it, the CPU time the GUI thread used in that gap: on an overloaded machine a long
    // gap with little CPU is the scheduler's doing (or a wait), a long one with CPU is our work.
    QElapsedTimer tick;
    tick.start();
    qint64 worstGap = 0;
    double worstGapCpuMs = 0.0, lastCpuMs = threadCpuMs();
    QTimer ticker;
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        const qint64 gap = tick.restart();
        const double cpu = threadCpuMs();
        if (gap > worstGap) {
            worstGap = gap;
            worstGapCpuMs = cpu - lastCpuMs;
        }
        lastCpuMs = cpu;
    });
    ticker.start(10);

    double baseline = 0.0;
    QElapsedTimer clock;
    clock.start();
    int applied = 0;
    for (int i = 0; i < changes || (maxSeconds > 0 && clock.elapsed() < maxSeconds * 1000); ++i) {
        if (maxSeconds > 0 && clock.elapsed() >= maxSeconds * 1000)
            break;
        const int what = rng.bounded(100);
        if (what < 25) { // N anywhere in its current range, log-uniform
            QDoubleSpinBox* n = c->nControl()->spinBox();
            const double lo = std::log(std::max(2.0, n->minimum()));
            const double hi = std::log(n->maximum()); // up to 10^6 where banded applies
            n->setValue(std::round(std::exp(lo + (hi - lo) * rng.generateDouble())));
        } else if (what < 40) {
            QSlider* s = c->thetaControl()->slider();
            s->setValue(s->minimum() + rng.bounded(s->maximum() - s->minimum() + 1));
        } else if (what < 50) {
            QSlider* s = c->sigmaControl()->slider();
            s->setValue(s->minimum() + rng.bounded(s->maximum() - s->minimum() + 1));
        } else if (what < 60) {
            QSlider* s = c->alphaControl()->slider();
            s->setValue(s->minimum() + rng.bounded(s->maximum() - s->minimum() + 1));
        } else if (what < 68) {
            c->noiseKindBox()->setCurrentIndex(rng.bounded(c->noiseKindBox()->count()));
        } else if (what < 76) {
            c->spikeKindBox()->setCurrentIndex(rng.bounded(c->spikeKindBox()->count()));
        } else if (what < 84) {
            c->bulkKindBox()->setCurrentIndex(rng.bounded(c->bulkKindBox()->count()));
        } else if (what < 92) {
            QVERIFY(w->loadPreset(presets[rng.bounded(static_cast<int>(presets.size()))].name));
        } else {
            w->controller()->cancel();
        }
        ++applied;
        // Mostly drag speed, sometimes a pause long enough for samples to arrive.
        QTest::qWait(rng.bounded(10) == 0 ? 150 : 2 + rng.bounded(15));
        if (applied == std::max(20, changes / 10))
            baseline = residentMiB(); // after warm-up: fonts, plots, thread pools exist
    }
    if (baseline == 0.0)
        baseline = residentMiB();

    // Responsive, and the final frame is exactly the last parameters' result. A cancel as the
    // last step leaves a partial result: start the last parameters again to finish them.
    c->nControl()->spinBox()->setValue(std::min(c->nControl()->spinBox()->maximum(), 300.0));
    ui::Controller* ctl = w->controller();
    QVERIFY(test::waitRunEnded(*w, 120000));
    const auto t = ctl->theory();
    QVERIFY(t);
    QVERIFY(t->session.model == w->currentSession().model);
    const auto& hist = w->mainPlot()->samples()->histogram;
    std::uint64_t counted = 0;
    for (auto k : hist.counts)
        counted += k;
    QCOMPARE(hist.total, static_cast<std::uint64_t>(t->session.model.n) *
                             static_cast<std::uint64_t>(t->session.samples));
    QVERIFY(counted <= hist.total);

    const double grown = residentMiB() - baseline;
    qInfo("soak: %d changes in %.1f s, worst GUI-thread gap %lld ms (GUI-thread CPU in it %.0f "
          "ms), RSS %.1f MiB -> %.1f MiB (%+.1f MiB), load average %s",
          applied, clock.elapsed() / 1000.0, static_cast<long long>(worstGap), worstGapCpuMs,
          baseline, baseline + grown, grown, qPrintable(loadAverage()));
    // Bound: the app keeps at most a few N = 4000 dense jobs' buffers (4000^2 doubles = 122 MiB
    // each, freed after a job) plus plot data; growth beyond 300 MiB after warm-up is a leak.
#if defined(__SANITIZE_ADDRESS__)
    // Under ASan freed memory stays resident in its quarantine (256 MiB by default), so RSS says
    // nothing about leaks there; LeakSanitizer checks them at exit instead.
    Q_UNUSED(grown)
#else
    QVERIFY2(grown < 300.0, qPrintable(QString("RSS grew by %1 MiB").arg(grown)));
#endif
    // No single event-loop stall longer than 2 s (offscreen, ASan builds are slower).
    QVERIFY2(worstGap < 2000, qPrintable(QString("GUI thread blocked %1 ms").arg(worstGap)));
}

QTEST_MAIN(TestSoak)
#include "tst_soak.moc"
