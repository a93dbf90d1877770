// Honest sweep tabs: a result from another model greys out under "model changed: rerun" and its
// title keeps naming the model that ran; before a run the tab estimates the run's time from a
// quick timing of one grid point (its scaling and cancel: tst_sweepestimate); the default theta
// grids put most points where the phenomenon is (the overlap grid above the separation threshold);
// a shown tab draws the grid's theory before any run (computed in the background, a superseded
// grid's theory dropped), and its plot says what a run will add; "Press" is on screen once.
//
// WS_SWEEP_SHOT_DIR=dir: also saves a picture of a greyed-out result.
#include "ui/jobs/sweepestimate.h"
#include "ui/jobs/sweeprunner.h"
#include "ui/jobs/sweeptheory.h"
#include "ui/views/bbpview.h"
#include "ui/views/overlapview.h"
#include "ui/views/rankview.h"
#include "ui/views/sweepgrid.h"
#include "ui/views/sweepstatus.h"
#include "ui/views/viewtabs.h"
#include "ui/widgets/controlspanel.h"
#include "ui/widgets/mainwindow.h"
#include "ui/widgets/paramslider.h"

#include "core/model/families.h"
#include "support/run_waits.h"

#include <QDoubleSpinBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

using namespace ws;

namespace {

core::Session session(int n, const std::string& spikes, const std::string& bulk, double sigma = 1.0)
{
    core::Session s;
    s.model.n = n;
    s.model.sigma = sigma;
    s.model.spikes = core::parseSpikes(spikes);
    s.model.bulk = core::parseBulk(bulk);
    if (s.model.spikes.kind != core::SpikeKind::List)
        s.model.rank = core::RankRule{true, 0.0, 1};
    s.seed = 3;
    core::validate(s.model);
    return s;
}

bool runAndWait(ui::SweepView& v)
{
    QSignalSpy spy(&v, &ui::SweepView::finished);
    return v.run() && spy.wait(60000) && !spy.takeFirst().at(0).toBool();
}

QString title(ui::SweepView& v)
{
    v.plot()->replot();
    auto* t = qobject_cast<QCPTextElement*>(v.plot()->plotLayout()->element(0, 0));
    return t ? t->text() : QString();
}

QCPItemText* namedText(ui::SweepView& v, const QString& name)
{
    for (int i = 0; i < v.plot()->itemCount(); ++i)
        if (auto* t = qobject_cast<QCPItemText*>(v.plot()->item(i)))
            if (t->objectName() == name)
                return t;
    return nullptr;
}

QCPItemText* staleNote(ui::SweepView& v)
{
    return namedText(v, "staleNote");
}

// How often the screen says "Press": the status line and the plot's note.
int pressCount(ui::SweepView& v)
{
    QCPItemText* note = namedText(v, "emptyNote");
    return static_cast<int>(v.statusText().count("Press")) +
           (note ? static_cast<int>(note->text().count("Press")) : 0);
}

// The finite data points of a graph, key -> value.
std::map<double, double> points(QCPGraph* g)
{
    std::map<double, double> m;
    for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it)
        if (std::isfinite(it->value))
            m[it->key] = it->value;
    return m;
}

// Shows the view and waits for the theory of its grid.
bool showAndWaitForTheory(ui::SweepView& v)
{
    QSignalSpy ready(v.theoryJob(), &ui::SweepTheory::ready);
    v.show();
    // The theory may arrive while the window is being exposed (a loaded machine): a spy's wait()
    // waits for the *next* emission, so count what came first (failed 1 of 20 stress runs).
    return QTest::qWaitForWindowExposed(&v) && (ready.count() > 0 || ready.wait(60000));
}

} // namespace

class TestHonestSweeps : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void staleResultGreysOut();
    void staleInTheWindow();
    void estimateBeforeRun();
    void emptyPlotSaysWhatItWillShow();
    void unrunnableSweepSaysWhyBeforeRun();
    void theoryBeforeRun();
    void rankTheoryBeforeRun();
    void supersededTheoryDropped();
    void durationsInMs();
    void overlapGridAboveThreshold();
};

void TestHonestSweeps::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestHonestSweeps::staleResultGreysOut()
{
    auto controls = std::make_shared<core::Session>(session(200, "equal:3", "zero"));
    ui::BbpView v([controls] { return *controls; });
    v.resize(900, 600);
    v.setGrid(0.5, 3.0, 3);
    v.setSamples(1);
    QVERIFY(runAndWait(v));
    QVERIFY(!v.isStale());
    QVERIFY(!staleNote(v));
    QVERIFY(title(v).contains("σ = 1,"));
    // The controls move to sigma = 2: the result is from another model.
    controls->model.sigma = 2.0;
    v.controlsChanged();
    QVERIFY(v.isStale());
    QCPItemText* note = staleNote(v);
    QVERIFY(note && note->visible());
    QCOMPARE(note->text(), QString("model changed: rerun"));
    QVERIFY(title(v).contains("σ = 1,")); // the model it shows
    QVERIFY(v.statusText().contains("Model changed: the plot shows N = 200, σ = 1"));
    QCOMPARE(pressCount(v), 1); // the status line's rerun, no note
    // WS_SWEEP_SHOT_DIR=dir: a picture of the greyed-out result (run under xvfb-run).
    if (!qEnvironmentVariableIsEmpty("WS_SWEEP_SHOT_DIR")) {
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        v.plot()->replot();
        v.grab().save(qEnvironmentVariable("WS_SWEEP_SHOT_DIR") + "/sweep-stale.png");
    }
    // Back to the model that ran: the result is current again.
    controls->model.sigma = 1.0;
    v.controlsChanged();
    QVERIFY(!v.isStale());
    QVERIFY(!staleNote(v));
    // A rerun with the new model.
    controls->model.sigma = 2.0;
    v.controlsChanged();
    QVERIFY(v.isStale());
    QVERIFY(runAndWait(v));
    QVERIFY(!v.isStale());
    QVERIFY(title(v).contains("σ = 2,"));
}

void TestHonestSweeps::staleInTheWindow()
{
    ui::MainWindow w(ui::MainWindow::Options{false, false});
    w.show();
    w.applySession(session(200, "equal:3", "zero"));
    QVERIFY(test::waitRunEnded(w, 60000));
    ui::SweepView* v = w.viewTabs()->view("overlaps");
    w.viewTabs()->selectTab("overlaps");
    v->setGrid(1.5, 3.0, 2);
    v->setSamples(1);
    QVERIFY(runAndWait(*v));
    QVERIFY(!v->isStale());
    w.controls()->sigmaControl()->spinBox()->setValue(1.2); // as a user would
    QVERIFY(v->isStale());
    QVERIFY(staleNote(*v));
}

void TestHonestSweeps::estimateBeforeRun()
{
    const core::Session s = session(300, "equal:3", "zero");
    ui::BbpView v([s] { return s; });
    v.setGrid(0.5, 3.0, 4);
    v.setSamples(2);
    QSignalSpy estimated(v.estimator(), &ui::SweepEstimator::estimated);
    v.show(); // a shown tab times one grid point in the background
    QVERIFY(QTest::qWaitForWindowExposed(&v));
    QVERIFY(estimated.count() > 0 || estimated.wait(30000)); // may come while exposing
    const double seconds = estimated.first().at(0).toDouble();
    QVERIFY(seconds > 0.0 && std::isfinite(seconds));
    QVERIFY2(v.statusText().contains("A run takes"), qPrintable(v.statusText()));
    QVERIFY(v.statusText().contains("one sample at θ = 3, N = 300"));
    const auto timing = qvariant_cast<ui::SweepTiming>(estimated.takeFirst().at(1));
    // The one sample's time as the status line says it: ms below a second.
    QVERIFY2(v.statusText().contains("took " + ui::durationText(timing.sampleSeconds) + ")."),
             qPrintable(v.statusText()));
    QCOMPARE(v.statusText().contains(" ms)."), timing.sampleSeconds < 0.9995);
    // A change of the grid asks for a new estimate.
    v.setSamples(20);
    QVERIFY(v.statusText().contains("Estimating the time"));
    QVERIFY(estimated.wait(30000));
    QVERIFY(v.statusText().contains("A run takes"));
}

void TestHonestSweeps::emptyPlotSaysWhatItWillShow()
{
    // Before a run the plot is no blank frame: a note names the grid and the button.
    const core::Session s = session(200, "equal:3", "zero");
    ui::RankView v([s] { return s; });
    v.resize(900, 600);
    v.setGrid(0.0, 0.5, 3);
    v.setSamples(2);
    QCPItemText* note = namedText(v, "emptyNote");
    QVERIFY(note && note->visible());
    QVERIFY2(note->text().contains("Press “Run sweep” to add samples:\n3 grid points of α from 0 "
                                   "to 0.5, 2 each."),
             qPrintable(note->text()));
    // The status line does not repeat it.
    QCOMPARE(pressCount(v), 1);
    QVERIFY(runAndWait(v));
    QVERIFY(!namedText(v, "emptyNote"));
    // A changed grid after a run keeps the result (greyed out or not): no note over it.
    v.setGrid(0.0, 0.8, 4);
    QVERIFY(!namedText(v, "emptyNote"));
}

void TestHonestSweeps::unrunnableSweepSaysWhyBeforeRun()
{
    // A list of spikes fixes the rank: an alpha sweep of it cannot run. The plot says why and Run
    // is disabled before anyone presses it; a family whose rank follows alpha makes it runnable.
    auto controls = std::make_shared<core::Session>(session(200, "list:5,3", "zero"));
    ui::RankView v([controls] { return *controls; });
    v.resize(900, 600);
    v.setGrid(0.0, 0.5, 3);
    QPushButton* run = nullptr;
    for (auto* b : v.findChildren<QPushButton*>())
        if (b->text() == "Run sweep")
            run = b;
    QVERIFY(run);
    QCPItemText* note = namedText(v, "emptyNote");
    QVERIFY(note);
    QVERIFY2(note->text().startsWith("Cannot run this sweep:") &&
                 note->text().simplified().contains("a list of spikes fixes the rank"),
             qPrintable(note->text()));
    QCOMPARE(pressCount(v), 0);
    QVERIFY(!run->isEnabled());
    QVERIFY(run->toolTip().contains("a list of spikes fixes the rank"));
    // In the CLI's words "param: ..." (its --param); the tab is the parameter here.
    QVERIFY(!note->text().contains("param") && !run->toolTip().contains("param"));
    // Pressed anyway (a session, a shortcut): refused with the same reason, nothing started.
    QVERIFY(!v.run());
    QVERIFY(v.statusText().contains("a list of spikes fixes the rank"));
    QVERIFY(!v.statusText().contains("param:"));
    *controls = session(200, "equal:3", "zero");
    v.controlsChanged();
    QVERIFY(run->isEnabled());
    QVERIFY(run->toolTip().isEmpty());
    note = namedText(v, "emptyNote");
    QVERIFY(note && note->text().contains("Press “Run sweep”"));
    QVERIFY(!v.statusText().contains("Cannot"));
}

void TestHonestSweeps::overlapGridAboveThreshold()
{
    auto controls = std::make_shared<core::Session>(session(500, "list:4,2.5,2", "uniform:-1,1"));
    ui::OverlapView v([controls] { return *controls; });
    auto aboveThreshold = [&] {
        const core::SweepSpec spec = v.spec();
        const double t = ui::separationThreshold(spec.base);
        const std::vector<double> grid = core::sweepGrid(spec);
        int above = 0;
        for (double g : grid)
            above += g > t ? 1 : 0;
        return std::pair{above, static_cast<int>(grid.size())};
    };
    // A full-rank bulk pushes the threshold above sigma; the grid follows it.
    QVERIFY(ui::separationThreshold(controls->model) > 1.05);
    auto [above, points] = aboveThreshold();
    QVERIFY2(above >= points - 1, qPrintable(QString("%1 of %2").arg(above).arg(points)));
    // One spike over no bulk at sigma = 2: the threshold is sigma, the grid from 1.8 to 8.
    *controls = session(500, "equal:3", "zero", 2.0);
    v.controlsChanged();
    QCOMPARE(v.spec().from, 1.8);
    QCOMPARE(v.spec().to, 8.0);
    std::tie(above, points) = aboveThreshold();
    QCOMPARE(above, points - 1);
    // A grid of the user's own stays.
    v.setGrid(0.5, 3.0, 6);
    *controls = session(500, "equal:3", "zero", 1.0);
    v.controlsChanged();
    QCOMPARE(v.spec().from, 0.5);
    QCOMPARE(v.spec().to, 3.0);
}

void TestHonestSweeps::theoryBeforeRun()
{
    // A shown BBP tab draws the predictions of its grid without sampling: the curves are core's
    // predictions at the grid's values, the bulk edge core's theory at every grid point.
    const core::Session s = session(200, "equal:3", "zero");
    ui::BbpView v([s] { return s; });
    v.resize(900, 600);
    v.setGrid(0.5, 3.0, 4);
    v.setSamples(2);
    QVERIFY(showAndWaitForTheory(v));
    QCustomPlot* p = v.plot();
    QVERIFY(v.runner()->result().points.empty());
    QCOMPARE(points(p->graph(3)).size(), std::size_t(0)); // no sampled mean
    const core::SweepSpec spec = v.spec();
    const std::vector<core::OutlierPrediction> at3 =
        core::predictOutliers(core::sweepModel(spec, 3.0));
    QCOMPARE(at3.size(), std::size_t(1));
    const auto finite = points(p->graph(4)), large = points(p->graph(5));
    QVERIFY(finite.size() > 100 && large.size() > 100);
    // The fine grid ends on the grid's last value, theta = 3.
    QVERIFY(finite.count(3.0) && large.count(3.0));
    QCOMPARE(finite.at(3.0), *at3[0].finiteRank);
    QCOMPARE(large.at(3.0), *at3[0].largeRank);
    QVERIFY(std::abs(finite.at(3.0) - (3.0 + 1.0 / 3.0)) < 1e-12); // theta + sigma^2/theta
    // Below theta = sigma = 1 no outlier is predicted.
    QVERIFY(finite.begin()->first > 1.0);
    const auto edge = points(p->graph(6));
    const std::vector<double> grid = core::sweepGrid(spec);
    QCOMPARE(edge.size(), grid.size());
    for (double g : grid)
        QCOMPARE(edge.at(g),
                 core::bulkHull(core::computeTheory(core::sweepModel(spec, g), 800)).hi);
    // The note says what a run adds, once; the status line does not repeat it.
    QCPItemText* note = namedText(v, "emptyNote");
    QVERIFY(note && note->text().contains("add samples"));
    QCOMPARE(pressCount(v), 1);
    QVERIFY(!v.statusText().contains("Computing the theory"));
    // After a run the plot shows the run: the same curves, and the sampled points.
    QVERIFY(runAndWait(v));
    QVERIFY(!namedText(v, "emptyNote"));
    QCOMPARE(points(p->graph(5)).at(3.0), *at3[0].largeRank);
    QCOMPARE(points(p->graph(3)).size(), grid.size());
}

void TestHonestSweeps::rankTheoryBeforeRun()
{
    // The rank tab draws the predicted outlier counts of its grid before a run.
    const core::Session s = session(200, "equal:3", "zero");
    ui::RankView v([s] { return s; });
    v.resize(900, 600);
    v.setGrid(0.0, 0.5, 3);
    QVERIFY(showAndWaitForTheory(v));
    const core::SweepSpec spec = v.spec();
    const auto finite = points(v.plot()->graph(0)), large = points(v.plot()->graph(1));
    QCOMPARE(large.size(), std::size_t(3));
    for (double a : core::sweepGrid(spec)) {
        const core::Theory t = core::computeTheory(core::sweepModel(spec, a), 800);
        const auto count = [&t](auto member) {
            return static_cast<double>(
                std::count_if(t.outliers.begin(), t.outliers.end(),
                              [member](const auto& o) { return bool(o.*member); }));
        };
        QCOMPARE(finite.at(a), count(&core::OutlierPrediction::finiteRank));
        QCOMPARE(large.at(a), count(&core::OutlierPrediction::largeRank));
    }
    QVERIFY(large.at(0.5) >= 1.0); // r = 15 spikes of 3: outliers predicted
    QCOMPARE(points(v.plot()->graph(2)).size(), std::size_t(0)); // nothing observed yet
}

void TestHonestSweeps::supersededTheoryDropped()
{
    // A grid changed while its theory is computed: the old grid's theory never arrives, the
    // plot draws the new grid's.
    const core::Session s = session(200, "equal:3", "zero");
    ui::BbpView v([s] { return s; });
    v.resize(900, 600);
    v.setGrid(0.5, 3.0, 4);
    QVERIFY(showAndWaitForTheory(v));
    ui::SweepTheory* theory = v.theoryJob();
    const quint64 before = theory->generation();
    QSignalSpy ready(theory, &ui::SweepTheory::ready);
    v.setGrid(0.5, 2.0, 4); // a job for theta up to 2 ...
    QVERIFY(theory->isRunning());
    const quint64 superseded = theory->generation();
    v.setGrid(0.5, 2.5, 4); // ... superseded at once by one up to 2.5
    QVERIFY(theory->generation() > superseded && superseded > before);
    QVERIFY(ready.wait(60000));
    // The superseded worker has returned before the new one ran (Serial): anything it posted
    // was dropped on arrival, before the new result.
    QTRY_COMPARE_WITH_TIMEOUT(theory->jobs()->busyWorkers(), 0, 30000);
    QCOMPARE(ready.count(), 1);
    QCOMPARE(ready.first().at(0).toULongLong(), theory->generation());
    QCOMPARE(theory->result().spec.to, 2.5);
    const auto large = points(v.plot()->graph(5));
    QCOMPARE(large.rbegin()->first, 2.5);
    QCOMPARE(large.rbegin()->second,
             *core::predictOutliers(core::sweepModel(v.spec(), 2.5))[0].largeRank);
}

void TestHonestSweeps::durationsInMs()
{
    QCOMPARE(ui::durationText(0.00018), QString("0.18 ms"));
    QCOMPARE(ui::durationText(0.0042), QString("4.2 ms"));
    QCOMPARE(ui::durationText(0.0123), QString("12 ms"));
    QCOMPARE(ui::durationText(0.5), QString("500 ms"));
    QCOMPARE(ui::durationText(0.9996), QString("1.0 s")); // not "1000 ms"
    QCOMPARE(ui::durationText(2.36), QString("2.4 s"));
    QCOMPARE(ui::durationText(42.25), QString("42.3 s"));
}

QTEST_MAIN(TestHonestSweeps)
#include "tst_honestsweeps.moc"
