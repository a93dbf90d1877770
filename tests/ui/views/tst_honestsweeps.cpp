// Honest sweep tabs: a result from another model greys out under "model changed: rerun" and its
// title keeps naming the model that ran; before a run the tab estimates the run's time from a
// quick timing of one grid point (its scaling and cancel: tst_sweepestimate); the default theta
// grids put most points where the phenomenon is (the overlap grid above the separation threshold);
// an empty plot says what a run will sample.
//
// WS_SWEEP_SHOT_DIR=dir: also saves a picture of a greyed-out result.
#include "ui/jobs/sweepestimate.h"
#include "ui/views/bbpview.h"
#include "ui/views/overlapview.h"
#include "ui/views/rankview.h"
#include "ui/views/sweepgrid.h"
#include "ui/views/viewtabs.h"
#include "ui/widgets/controlspanel.h"
#include "ui/widgets/mainwindow.h"
#include "ui/widgets/paramslider.h"

#include "core/model/families.h"
#include "support/run_waits.h"

#include <QDoubleSpinBox>
#include <QSignalSpy>
#include <QtTest>
#include <qcustomplot.h>

#include <cmath>
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
    QVERIFY(estimated.wait(30000));
    const double seconds = estimated.takeFirst().at(0).toDouble();
    QVERIFY(seconds > 0.0 && std::isfinite(seconds));
    QVERIFY2(v.statusText().contains("A run takes"), qPrintable(v.statusText()));
    QVERIFY(v.statusText().contains("one sample at θ = 3, N = 300"));
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
    QVERIFY2(note->text().contains("Press “Run sweep” to sample 3 grid points of α from 0 to 0.5"),
             qPrintable(note->text()));
    QVERIFY(note->text().contains("(2 samples each)"));
    QVERIFY(runAndWait(v));
    QVERIFY(!namedText(v, "emptyNote"));
    // A changed grid after a run keeps the result (greyed out or not): no note over it.
    v.setGrid(0.0, 0.8, 4);
    QVERIFY(!namedText(v, "emptyNote"));
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

QTEST_MAIN(TestHonestSweeps)
#include "tst_honestsweeps.moc"
