// Exploration views, driven offscreen on tiny grids: each draws the expected number of
// points and curves from its sweep (compared with the runner's result, which tst_sweep checks
// against the core), exports PNG/SVG/PDF/CSV, saves its settings in the session, runs in the
// background (the GUI thread stays free) and cancels. The window hosts them as tabs.
//
// WS_VIEWS_SCREENSHOT_DIR=dir: also saves a screenshot of the window with each view (for the
// README; run under xvfb-run with QT_QPA_PLATFORM=xcb for real fonts).
#include "support/gui_fixture.h"
#include "support/thread_cpu.h"
#include "ui/widgets/controlspanel.h"
#include "ui/widgets/mainwindow.h"
#include "ui/widgets/presets.h"
#include "ui/widgets/progressstrip.h"
#include "ui/plots/spectrumplot.h"
#include "ui/jobs/jobrunner.h"
#include "ui/jobs/sweeprunner.h"
#include "ui/views/bbpview.h"
#include "ui/views/convergenceview.h"
#include "ui/views/overlapview.h"
#include "ui/views/rankview.h"
#include "ui/views/sweepstatus.h"
#include "ui/views/viewtabs.h"
#include "ui/widgets/theme.h"

#include "core/model/families.h"
#include "core/theory/theory.h"

#include <QJsonDocument>
#include <QDoubleSpinBox>
#include <QLayout>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <qcustomplot.h>

#include <cmath>

using namespace ws;

namespace {

core::Session session(int n, const std::string& spikes, const std::string& bulk,
                      double alpha = -1.0)
{
    core::Session s;
    s.model.n = n;
    s.model.spikes = core::parseSpikes(spikes);
    s.model.bulk = core::parseBulk(bulk);
    if (alpha >= 0.0) {
        s.model.rank = core::RankRule{false, alpha, 1};
    } else if (s.model.spikes.kind != core::SpikeKind::List) {
        s.model.rank = core::RankRule{true, 0.0, 1};
    }
    s.seed = 3;
    core::validate(s.model);
    return s;
}

bool runAndWait(ui::SweepView& v, int ms = 60000)
{
    QSignalSpy spy(&v, &ui::SweepView::finished);
    if (!v.run())
        return false;
    if (!spy.wait(ms))
        return false;
    return !spy.takeFirst().at(0).toBool(); // not cancelled
}

// The grid and samples set, then the run as above.
bool runGrid(ui::SweepView& v, double from, double to, int steps, int samples, int ms = 60000)
{
    v.setGrid(from, to, steps);
    v.setSamples(samples);
    return runAndWait(v, ms);
}

int dataCount(QCPGraph* g)
{
    int count = 0;
    for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it)
        count += std::isfinite(it->value) ? 1 : 0;
    return count;
}

} // namespace

class TestViews : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void bbpDiagram();
    void bbpLegendCoversNoData();
    void convergence();
    void overlaps();
    void overlapCurveWithinUnitInterval();
    void rankSweep();
    void rankTicksReadable();
    void statusSentencesApart();
    void exportsAndSettings();
    void invalidSettingsAreReported();
    void backgroundAndCancel();
    void idleProgressBarHidden();
    void hostedAsTabs();
    void exportsStayRightWhenTheBarWraps();
    void screenshots();

private:
    QTemporaryDir m_dir;
};

void TestViews::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void TestViews::bbpDiagram()
{
    const core::Session s = session(200, "equal:3", "zero");
    ui::BbpView v([s] { return s; });
    v.resize(900, 600);
    QVERIFY(runGrid(v, 0.25, 3.0, 6, 3));
    QCustomPlot* p = v.plot();
    QCOMPARE(p->graphCount(), 11);
    QCOMPARE(dataCount(p->graph(3)), 6);     // mean of the top eigenvalue per point
    QCOMPARE(dataCount(p->graph(0)), 6);     // band: mean + sd
    QCOMPARE(dataCount(p->graph(1)), 6);     // band: mean - sd
    QCOMPARE(dataCount(p->graph(2)), 6 * 3); // rank one: one faint point per sample
    QCOMPARE(dataCount(p->graph(6)), 6);     // bulk edge
    // Prediction curves on the fine grid: finite-rank only above theta = sigma = 1.
    QVERIFY(dataCount(p->graph(4)) > 100);
    QVERIFY(dataCount(p->graph(5)) > 100);
    for (auto it = p->graph(4)->data()->constBegin(); it != p->graph(4)->data()->constEnd(); ++it)
        if (std::isfinite(it->value)) {
            QVERIFY(it->key > 1.0);
            QVERIFY(std::abs(it->value - (it->key + 1.0 / it->key)) < 1e-12);
        }
    // The drawn mean is the runner's (the core's) number.
    const auto& r = v.runner()->result();
    QCOMPARE(r.points.size(), std::size_t(6));
    QCOMPARE(p->graph(3)->data()->at(5)->value, r.points[5].topMean[0]);
    // Threshold lines: theta = sigma and the large-rank one.
    int lines = 0;
    for (int i = 0; i < p->itemCount(); ++i)
        lines += qobject_cast<QCPItemStraightLine*>(p->item(i)) ? 1 : 0;
    QCOMPARE(lines, 2);
    QVERIFY(v.statusText().contains("6 of 6 grid points"));
    // Bands (docs/model.md#fluctuations): +-1 predicted sd around the large-rank curve where
    // the spike has an outlier, (2/beta) sigma^2 (1 - sigma^2/theta^2)/N for one spike; below the
    // threshold the Tracy-Widom band of the top eigenvalue at the edge, E + gamma N^(-2/3)
    // (mean -+ sd of TW1), gamma = sigma for the semicircle.
    const auto& c = v.runner()->curves();
    QCOMPARE(c.largeSd.size(), c.x.size());
    int sdPoints = 0, twPoints = 0;
    for (std::size_t i = 0; i < c.x.size(); ++i) {
        const double th = c.x[i];
        if (th > 1.5) {
            QVERIFY(std::isfinite(c.largeSd[i]));
            const double sd = std::sqrt(2.0 * (1.0 - 1.0 / (th * th)) / 200);
            QVERIFY(std::abs(c.largeSd[i] - sd) < 0.01 * sd);
            ++sdPoints;
        }
        if (th < 0.8) {
            QVERIFY(std::isnan(c.largeSd[i]));
            QVERIFY(std::isfinite(c.edgeBandLo[i]) && std::isfinite(c.edgeBandHi[i]));
            // The edge's own scale gamma (core), close to sigma = 1 while the spike is far
            // below the edge.
            const core::Theory th0 =
                core::computeTheory(core::sweepModel(v.runner()->spec(), th), 16);
            const double gamma = th0.equivalent.support.back().hi.gamma;
            const double width = 2.0 * 1.2680 * gamma * std::pow(200.0, -2.0 / 3.0);
            QVERIFY(std::abs(c.edgeBandHi[i] - c.edgeBandLo[i] - width) < 1e-9 * width);
            QCOMPARE(c.edge[i], th0.equivalent.support.back().b);
            if (th < 0.4)
                QVERIFY(std::abs(gamma - 1.0) < 0.05);
            QVERIFY(c.edgeBandLo[i] + c.edgeBandHi[i] < 2.0 * c.edge[i]); // TW1 mean < 0
            ++twPoints;
        }
    }
    QVERIFY(sdPoints > 50 && twPoints > 20);
    QVERIFY(dataCount(p->graph(7)) >= sdPoints && dataCount(p->graph(9)) >= twPoints);
    QStringList names;
    for (int i = 0; i < p->legend->itemCount(); ++i)
        if (auto* item = qobject_cast<QCPPlottableLegendItem*>(p->legend->item(i)))
            names << item->plottable()->name();
    QVERIFY(names.filter("main", Qt::CaseInsensitive).isEmpty());
    QVERIFY2(!names.filter("± 1 predicted sd").isEmpty() &&
                 !names.filter("Tracy–Widom mean ± sd").isEmpty(),
             qPrintable(names.join('|')));

    // With the current rank: spikes scaled, one faint point per sample and spike rank.
    const core::Session s3 = session(200, "list:3,2,1.5", "zero");
    ui::BbpView w([s3] { return s3; });
    w.setRankOne(false);
    QVERIFY(runGrid(w, 1.0, 3.0, 3, 2));
    QCOMPARE(dataCount(w.plot()->graph(2)), 3 * 2 * 3);
    QCOMPARE(w.runner()->result().points[2].model.spikes.params.front(), 3.0);
}

// The legend sits below the axis rect (no corner of it is free of data for every grid): no
// sample point, band or curve under it, in normal and presentation mode (review M1.1).
void TestViews::bbpLegendCoversNoData()
{
    const core::Session s = session(200, "equal:3", "zero");
    ui::BbpView v([s] { return s; });
    v.resize(950, 560);
    v.show();
    QVERIFY(runGrid(v, 0.2, 3.0, 8, 3));
    QCustomPlot* p = v.plot();
    for (bool presentation : {false, true}) {
        v.setPlotStyle(ui::Style::make(false, presentation));
        p->replot(QCustomPlot::rpImmediateRefresh);
        const QRect legend = p->legend->outerRect();
        QVERIFY(p->legend->visible() && !legend.isEmpty());
        QVERIFY2(!legend.intersects(p->axisRect()->rect()), presentation ? "presentation" : "");
        for (int g = 0; g < p->graphCount(); ++g)
            for (auto it = p->graph(g)->data()->constBegin(); it != p->graph(g)->data()->constEnd();
                 ++it)
                if (std::isfinite(it->value))
                    QVERIFY(!legend.contains(
                        QPointF(p->xAxis->coordToPixel(it->key), p->yAxis->coordToPixel(it->value))
                            .toPoint()));
    }
}

void TestViews::convergence()
{
    // Full-rank bulk: the finite-rank error stalls, the large-rank one falls.
    const core::Session s = session(300, "list:3", "uniform:-1,1");
    ui::ConvergenceView v([s] { return s; });
    QVERIFY(runGrid(v, 100, 400, 3, 4));
    QCustomPlot* p = v.plot();
    QCOMPARE(p->graphCount(), 3);
    QCOMPARE(dataCount(p->graph(0)), 3);
    QCOMPARE(dataCount(p->graph(1)), 3);
    QCOMPARE(dataCount(p->graph(2)), 3);
    QCOMPARE(p->xAxis->scaleType(), QCPAxis::stLogarithmic);
    QCOMPARE(p->yAxis->scaleType(), QCPAxis::stLogarithmic);
    // Fitted slopes printed in the legend.
    QVERIFY(p->graph(0)->name().contains("slope"));
    QVERIFY(p->graph(1)->name().contains("slope"));
    const auto& r = v.runner()->result();
    std::vector<double> n, e;
    for (const auto& pt : r.points) {
        n.push_back(pt.model.n);
        e.push_back(*pt.errorLarge);
    }
    QVERIFY(p->graph(1)->name().endsWith(QString::number(*core::logLogSlope(n, e), 'f', 2)));
    QCOMPARE(r.points[1].model.n, 200);
}

void TestViews::overlaps()
{
    const core::Session s = session(200, "list:3,2", "uniform:-1,1");
    ui::OverlapView v([s] { return s; });
    QVERIFY(runGrid(v, 2.5, 4.0, 3, 3));
    QCustomPlot* p = v.plot();
    QCOMPARE(p->graphCount(), 4);
    int observed = 0;
    for (const auto& pt : v.runner()->result().points)
        for (const auto& o : pt.overlaps)
            observed += o.mean ? 1 : 0;
    QVERIFY(observed >= 5);
    QCOMPARE(dataCount(p->graph(0)), observed);
    auto* bars = qobject_cast<QCPErrorBars*>(p->plottable(1));
    QVERIFY(bars);
    QCOMPARE(bars->dataCount(), observed);
    QVERIFY(dataCount(p->graph(1)) > 100); // 1 - sigma^2/theta^2
    QVERIFY(dataCount(p->graph(2)) > 100); // 1 - sigma^2 D, strongest spike
    QVERIFY(p->graph(3)->visible());       // two spikes: per-spike large-rank markers
    QCOMPARE(dataCount(p->graph(3)), 6);
    for (auto it = p->graph(0)->data()->constBegin(); it != p->graph(0)->data()->constEnd(); ++it)
        QVERIFY(it->value > 0.0 && it->value <= 1.0);
}

// 29 close spikes from 1.5 to 4 over a uniform bulk (the review's complex.json, smaller): below
// theta ~ 2.3 the per-spike 1 - sigma^2 D(theta) of the strongest spike is negative (its
// neighbours pull it into a cluster). A squared overlap lies in [0, 1]: the curve has a gap
// there, as the finite-rank one below theta = sigma (review M6).
void TestViews::overlapCurveWithinUnitInterval()
{
    const core::Session s = session(800, "linear:1.5,4", "uniform:-1,1", 0.5);
    ui::OverlapView v([s] { return s; });
    QVERIFY(runGrid(v, 1.5, 4.0, 3, 1));
    // The formula leaves [0, 1] on this grid (the case is the one meant).
    bool negative = false;
    for (double t : {1.6, 2.0}) {
        const auto p = core::predictOutliers(core::sweepModel(v.runner()->spec(), t));
        for (const auto& q : p)
            negative = negative || (q.overlapLargeRank && *q.overlapLargeRank < 0.0);
    }
    QVERIFY(negative);
    QCustomPlot* p = v.plot();
    int drawn = 0, gaps = 0;
    for (int g = 0; g < p->graphCount(); ++g)
        for (auto it = p->graph(g)->data()->constBegin(); it != p->graph(g)->data()->constEnd();
             ++it) {
            if (!std::isfinite(it->value)) {
                gaps += g == 2 ? 1 : 0;
                continue;
            }
            QVERIFY2(it->value >= 0.0 && it->value <= 1.0,
                     qPrintable(QString("%1 at %2").arg(p->graph(g)->name()).arg(it->key)));
            drawn += g == 2 ? 1 : 0;
        }
    QVERIFY(drawn > 20 && gaps > 20); // the large-rank curve: drawn where it exists, gaps else
    for (const auto& pt : v.runner()->result().points)
        for (const auto& pr : pt.predictions)
            if (pr.overlapLargeRank)
                QVERIFY(*pr.overlapLargeRank >= 0.0 && *pr.overlapLargeRank <= 1.0);
}

void TestViews::rankSweep()
{
    const core::Session s = session(200, "equal:4", "zero", 0.0);
    ui::RankView v([s] { return s; });
    QVERIFY(runGrid(v, 0.0, 0.6, 4, 2));
    QCustomPlot* p = v.plot();
    QCOMPARE(p->graphCount(), 6);
    QCOMPARE(p->axisRectCount(), 2);
    for (int g = 0; g < 3; ++g)
        QCOMPARE(dataCount(p->graph(g)), 4);
    // Far spikes: every predicted outlier is observed.
    const auto& r = v.runner()->result();
    for (const auto& pt : r.points)
        QCOMPARE(pt.observedCount, static_cast<double>(pt.predictedLarge));
    QCOMPARE(p->graph(2)->data()->at(3)->value, static_cast<double>(r.points[3].rank));
    QVERIFY(dataCount(p->graph(3)) >= 3); // errors (lower panel)
    QVERIFY(dataCount(p->graph(4)) >= 3);
}

// Counts from 1 to N on a log axis, errors over less than two decades: each panel labels at
// least three ticks; no unexplained "none" (review L5).
void TestViews::rankTicksReadable()
{
    const core::Session s = session(200, "equal:4", "zero", 0.0);
    ui::RankView v([s] { return s; });
    v.resize(950, 560);
    v.show();
    QVERIFY(runGrid(v, 0.0, 1.0, 4, 2));
    QCustomPlot* p = v.plot();
    p->replot(QCustomPlot::rpImmediateRefresh);
    p->replot(QCustomPlot::rpImmediateRefresh); // the tick counts the first layout set
    QCOMPARE(p->yAxis->scaleType(), QCPAxis::stLogarithmic);
    for (QCPAxisRect* r : p->axisRects()) {
        QCPAxis* y = r->axis(QCPAxis::atLeft);
        int inside = 0;
        for (double t : y->tickVector())
            inside += y->range().contains(t) ? 1 : 0;
        QVERIFY2(inside >= 3, qPrintable(QString("%1 ticks on %2..%3")
                                             .arg(inside)
                                             .arg(y->range().lower)
                                             .arg(y->range().upper)));
    }
    for (int i = 0; i < p->itemCount(); ++i)
        if (auto* t = qobject_cast<QCPItemText*>(p->item(i)))
            QVERIFY2(t->text() != "none", "an unexplained 'none'");
}

// The result and the estimate after it are two sentences ("... 73 ms. A run takes ...").
void TestViews::statusSentencesApart()
{
    core::SweepResult r;
    r.requested = 2;
    r.points.resize(2);
    r.totalSeconds = 0.073;
    core::SweepSpec spec;
    QVERIFY(ui::resultText(r, spec).endsWith("73 ms."));
    r.cancelled = true;
    QVERIFY(ui::resultText(r, spec).endsWith("cancelled."));
    const QString both =
        ui::resultText(r, spec) + ui::estimateText(2.0, ui::SweepTiming{}, "θ", true);
    QVERIFY2(both.contains(QRegularExpression("\\. A run takes")), qPrintable(both));
}

void TestViews::exportsAndSettings()
{
    const core::Session s = session(120, "equal:3", "zero");
    ui::BbpView v([s] { return s; });
    v.resize(900, 600);
    QString error;
    QVERIFY(!v.exportCsv(m_dir.filePath("empty.csv"), &error)); // nothing computed yet
    QVERIFY(error.contains("no grid point"));
    QVERIFY(runGrid(v, 0.5, 2.5, 3, 2));
    for (const char* ext : {"png", "svg", "pdf"}) {
        const QString path = m_dir.filePath(QString("bbp.%1").arg(ext));
        QVERIFY2(v.exportPlot(path, &error), qPrintable(error));
        QVERIFY(test::readAll(path).size() > 1000);
    }
    QVERIFY(test::readAll(m_dir.filePath("bbp.png")).startsWith("\x89PNG"));
    QVERIFY(test::readAll(m_dir.filePath("bbp.pdf")).startsWith("%PDF"));
    QVERIFY(!v.exportPlot(m_dir.filePath("bbp.bmp"), &error));
    QVERIFY(v.exportCsv(m_dir.filePath("bbp.csv"), &error));
    QList<QByteArray> lines = test::readAll(m_dir.filePath("bbp.csv")).trimmed().split('\n');
    QVERIFY(lines.front().startsWith("# wignerscope "));
    while (lines.front().startsWith('#')) // provenance: version, model, seed, samples, date, sweep
        lines.removeFirst();
    QCOMPARE(lines.size(), 4);
    QVERIFY(lines[0].startsWith("param,value"));
    QVERIFY(!v.exportCsv(m_dir.filePath("missing/dir.csv"), &error));

    // Settings round-trip through JSON.
    v.setN(500);
    v.setRankOne(false);
    const QJsonObject o = v.toJson();
    ui::BbpView w([s] { return s; });
    w.fromJson(o);
    QCOMPARE(w.toJson(), o);
    QCOMPARE(w.spec().base.n, 500);
    QVERIFY(!w.spec().rankOne);
    QCOMPARE(w.spec().steps, 3);
}

void TestViews::invalidSettingsAreReported()
{
    // An alpha sweep of a list of spikes: refused with the core's message, nothing runs.
    const core::Session s = session(100, "list:3,2", "zero");
    ui::RankView v([s] { return s; });
    QVERIFY(!v.run());
    QVERIFY(!v.isRunning());
    QVERIFY2(v.statusText().contains("alpha sweep"), qPrintable(v.statusText()));
    // No valid parameters in the controls.
    ui::BbpView none([] { return std::optional<core::Session>(); });
    QVERIFY(!none.run());
    QVERIFY(none.statusText().contains("not valid"));
}

void TestViews::backgroundAndCancel()
{
    // A sweep of many seconds: run() returns at once, the event loop keeps turning, and Cancel
    // ends it at once with the points done so far.
    const core::Session s = session(700, "list:3", "uniform:-1,1");
    ui::BbpView v([s] { return s; });
    v.setGrid(0.5, 3.0, 40);
    v.setSamples(30);
    QSignalSpy done(&v, &ui::SweepView::finished);
    QSignalSpy idle(v.runner()->jobs(), &ui::JobRunner::workersIdle);
    const double cpu0 = testsupport::threadCpuMs();
    QVERIFY(v.run());
    QVERIFY(testsupport::threadCpuMs() - cpu0 < 500); // no sweep work on the GUI thread
    QVERIFY(v.isRunning());
    QTimer timer;
    QSignalSpy ticks(&timer, &QTimer::timeout);
    timer.start(20);
    QTRY_VERIFY_WITH_TIMEOUT(ticks.count() >= 10, 5000); // the GUI thread is free
    QVERIFY(v.isRunning());
    v.cancel();
    QCOMPARE(done.count(), 1);                // final before cancel() returned
    QVERIFY(done.takeFirst().at(0).toBool()); // cancelled
    QVERIFY(!v.isRunning());
    QVERIFY(v.runner()->result().points.size() < 40);
    QVERIFY(v.statusText().contains("cancelled"));
    // A new run replaces an old one that is still going; only the new one reports.
    v.setGrid(0.5, 3.0, 2);
    v.setSamples(1);
    QVERIFY(v.run());
    QVERIFY(v.run());
    QVERIFY(done.wait(30000));
    QVERIFY(v.runner()->jobs()->busyWorkers() == 0 || idle.wait(30000));
    QCOMPARE(done.count(), 1);
    QCOMPARE(v.runner()->result().points.size(), std::size_t(2));
}

void TestViews::idleProgressBarHidden()
{
    // Before any run an empty bar reads as an empty text field: hidden, its room kept (Cancel
    // does not move when a run starts), shown while running and afterwards with its value.
    const core::Session s = session(200, "list:3", "uniform:-1,1");
    ui::BbpView v([s] { return s; });
    v.setGrid(0.5, 3.0, 2);
    v.setSamples(1);
    v.resize(1200, 700);
    v.show();
    QVERIFY(QTest::qWaitForWindowExposed(&v));
    auto* strip = v.findChild<ui::ProgressStrip*>();
    QVERIFY(strip);
    QProgressBar* bar = strip->bar();
    auto* cancel = strip->findChild<QPushButton*>();
    QVERIFY(cancel);
    QVERIFY(strip->isVisible());
    QVERIFY(!bar->isVisible());
    QVERIFY(!cancel->isEnabled());
    const QPoint cancelAt = cancel->mapTo(&v, QPoint());
    QSignalSpy done(&v, &ui::SweepView::finished);
    QVERIFY(v.run());
    QVERIFY(bar->isVisible());
    QVERIFY(cancel->isEnabled());
    QVERIFY(done.wait(30000));
    QVERIFY(!done.takeFirst().at(0).toBool()); // completed, not cancelled
    QVERIFY(bar->isVisible());
    QCOMPARE(bar->value(), bar->maximum());
    QVERIFY(!cancel->isEnabled());
    QCOMPARE(cancel->mapTo(&v, QPoint()), cancelAt);
}

void TestViews::hostedAsTabs()
{
    ui::MainWindow w(ui::MainWindow::Options{false, false});
    w.resize(1400, 900);
    w.show();
    ui::ViewTabs* tabs = w.viewTabs();
    QVERIFY(tabs);
    QCOMPARE(tabs->count(), 9); // main, errors, four sweeps, animation, real weights, rectangular
    QCOMPARE(tabs->currentIndex(), 0);
    QVERIFY(tabs->selectTab("weights"));
    QCOMPARE(tabs->currentKey(), QString("weights"));
    QVERIFY(tabs->selectTab("rectangular"));
    QCOMPARE(tabs->currentKey(), QString("rectangular"));
    QVERIFY(!tabs->selectTab("no-such-tab"));
    QVERIFY(tabs->selectTab("overlaps"));
    QCOMPARE(tabs->currentIndex(), 4);
    QVERIFY(!w.spectrumPlot()->isVisible()); // belongs to the eigenvalue tab
    tabs->view("rank")->setGrid(0.1, 0.9, 5);
    // Saved in the session's view object, restored from it.
    const core::Session s = w.currentSession();
    const QJsonObject view = ui::viewOf(s);
    QVERIFY(view.contains("sweeps"));
    QCOMPARE(view.value("sweeps").toObject().value("tab").toString(), QString("overlaps"));
    QCOMPARE(view.value("sweeps").toObject().value("rank").toObject().value("steps").toInt(), 5);
    ui::MainWindow w2(ui::MainWindow::Options{false, false});
    w2.applySession(s);
    QCOMPARE(w2.viewTabs()->currentKey(), QString("overlaps"));
    QCOMPARE(w2.viewTabs()->view("rank")->spec().steps, 5);
    QVERIFY(tabs->selectTab("main"));
    QVERIFY(w.spectrumPlot()->isVisible());
    // The views sweep around the model of the controls.
    QVERIFY(tabs->view("bbp")->spec().base == w.controls()->session()->model);
}

void TestViews::exportsStayRightWhenTheBarWraps()
{
    // Wide, the controls take one row; narrow (a 1280-pixel screen beside the parameters), the
    // export buttons wrap onto a second row, still at its right end, not under the grid boxes.
    const core::Session s = session(200, "equal:4", "zero", 0.0);
    ui::RankView v([s] { return s; });
    v.show();
    QVERIFY(QTest::qWaitForWindowExposed(&v));
    QPushButton* csv = nullptr;
    for (QPushButton* b : v.findChildren<QPushButton*>())
        if (b->text() == "Export CSV…")
            csv = b;
    const auto boxes = v.findChildren<QDoubleSpinBox*>(); // "α from", first in the bar
    QVERIFY(csv && !boxes.isEmpty());
    for (const int width : {1800, 700}) {
        v.resize(width, 600);
        QTRY_COMPARE_WITH_TIMEOUT(v.width(), width, 5000);
        v.layout()->activate();
        const QRect r = QRect(csv->mapTo(&v, QPoint(0, 0)), csv->size());
        QVERIFY2(std::abs(r.right() - (width - 1 - 4)) <= 1,
                 qPrintable(QString("width %1: Export CSV ends at %2").arg(width).arg(r.right())));
        const bool firstRow = std::abs(r.center().y() - boxes.front()->mapTo(&v, QPoint(0, 0)).y() -
                                       boxes.front()->height() / 2) < 8;
        QCOMPARE(firstRow, width == 1800);
    }
}

void TestViews::screenshots()
{
    const auto [dir, w] = test::screenshotWindow("WS_VIEWS_SCREENSHOT_DIR");
    if (!w)
        QSKIP("set WS_VIEWS_SCREENSHOT_DIR to save screenshots of the views");
    // The full-rank lesson: spikes 4, 2.5, 2 over a uniform bulk (where the predictions differ).
    w->applySession(session(1000, "list:4,2.5,2", "uniform:-1,1"));
    ui::ViewTabs* tabs = w->viewTabs();
    struct Shot
    {
        const char* key;
        const char* file;
        core::Session model;
        double from, to;
        int steps, samples;
    };
    const Shot shots[] = {
        {"bbp", "view-bbp.png", session(1000, "equal:3", "zero"), 0.2, 3.0, 21, 12},
        {"convergence", "view-convergence.png", session(1000, "list:3,2", "uniform:-1,1"), 100,
         3200, 6, 12},
        {"overlaps", "view-overlaps.png", session(1000, "list:4,2.5,2", "uniform:-1,1"), 1.6, 4.0,
         7, 10},
        {"rank", "view-rank.png", session(1000, "linear:2,4", "zero", 0.0), 0.0, 1.0, 9, 4},
    };
    for (const Shot& s : shots) {
        w->applySession(s.model);
        ui::SweepView* v = tabs->view(s.key);
        QVERIFY(v);
        tabs->selectTab(s.key);
        v->setGrid(s.from, s.to, s.steps);
        v->setSamples(s.samples);
        v->setRankOne(QString(s.key) == "bbp");
        QVERIFY(runAndWait(*v, 300000));
        QTest::qWait(500);
        QVERIFY(w->grab().save(dir + "/" + s.file, "PNG"));
        QVERIFY(v->exportPlot(dir + "/" + QString(s.file).replace(".png", "-plot.png")));
        qInfo("%s: %s", s.file, qPrintable(v->statusText()));
    }
}

QTEST_MAIN(TestViews)
#include "tst_views.moc"
