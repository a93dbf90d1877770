// The Rectangular tab, offscreen: parameter changes through the widgets restart the
// run (the final histogram holds samples x min(N, M) values), invalid parameters show the reason
// next to their control and keep the last result, the outlier markers and table follow the
// core's predictions and observations, cancel is final at once, and the settings live in the
// session.
//
// WS_RECT_SCREENSHOT_DIR=dir: also saves window screenshots of the view (light and dark).
#include "support/job_waits.h"
#include "support/gui_fixture.h"
#include "ui/widgets/mainwindow.h"
#include "ui/widgets/presets.h"
#include "ui/widgets/paramslider.h"
#include "ui/views/rectview.h"
#include "ui/views/viewtabs.h"

#include "core/model/families.h"
#include "core/rectangular/rectangular.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDeadlineTimer>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>

using namespace ws;

namespace {

// Waits until the view has finished a run started after `generation`: checked after each end
// of a run (the view's finished signal), since the run may start later (debounced edits).
bool waitForRun(ui::RectView& v, std::uint64_t generation, int ms = 20000)
{
    QSignalSpy finished(&v, &ui::RectView::finished);
    QDeadlineTimer deadline(ms);
    for (;;) {
        const ui::RectRunner* r = v.runner();
        if (r->generation() > generation && !v.isRunning() && r->snapshot() &&
            r->snapshot()->finished && r->frame()->generation == r->generation())
            return true;
        if (!finished.wait(static_cast<int>(std::max<qint64>(deadline.remainingTime(), 1))))
            return false;
    }
}

// Waits until the runner's workers have returned (a cancelled one finishes its sample).
bool waitIdle(const ui::RectView& v, int ms = 8000)
{
    return test::waitWorkersIdle(*v.runner()->jobs(), ms);
}

void setSmall(ui::RectView& v, int n, double c, int samples)
{
    v.nControl()->setValue(n);
    v.cControl()->setValue(c);
    v.samplesBox()->blockSignals(true);
    v.samplesBox()->setValue(samples);
    v.samplesBox()->blockSignals(false);
}

int dataCount(QCPGraph* g)
{
    return g->data()->size();
}

} // namespace

class TestRectView : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void parameterChangeRestarts();
    void invalidParameterKeepsLastResult();
    void outliersFollowTheCore();
    void everyLumpShaded();
    void cancelIsFinal();
    void sessionSettings();
    void seedField();
    void cliReadsTheSavedSession();
    void edgeSizes();
    void hostedAsTab();
    void screenshots();
};

void TestRectView::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestRectView::parameterChangeRestarts()
{
    ui::RectView v;
    setSmall(v, 120, 2.0, 6);
    v.resize(1200, 800);
    v.show(); // the first run starts when the tab is shown
    QVERIFY(waitForRun(v, 0));
    auto s = v.runner()->snapshot();
    QCOMPARE(v.runner()->frame()->model.n, 120);
    QCOMPARE(v.runner()->frame()->model.m, 240);
    QCOMPARE(s->done, 6);
    QCOMPARE(s->hist.total, std::uint64_t(6 * 120));
    QCOMPARE(s->histSq.total, std::uint64_t(6 * 120));

    // A change through the widgets (as a user types it) restarts with the new parameters.
    const std::uint64_t gen = v.runner()->generation();
    v.nControl()->spinBox()->setValue(90);
    v.cControl()->spinBox()->setValue(0.5); // M = 45 < N: p = min(N, M) = 45
    QVERIFY(waitForRun(v, gen));
    s = v.runner()->snapshot();
    const auto f = v.runner()->frame();
    QCOMPARE(f->model.n, 90);
    QCOMPARE(f->model.m, 45);
    QCOMPARE(f->theory.p, 45);
    QCOMPARE(s->hist.total, std::uint64_t(6 * 45));
    // The drawn histogram is that snapshot's (density integrates to the fraction inside).
    double mass = 0.0;
    for (auto it = v.plot()->histogramBars()->data()->constBegin();
         it != v.plot()->histogramBars()->data()->constEnd(); ++it)
        mass += it->value * v.plot()->histogramBars()->width();
    std::uint64_t inside = 0;
    for (auto c : s->hist.counts)
        inside += c;
    QVERIFY(std::abs(mass - static_cast<double>(inside) / static_cast<double>(s->hist.total)) <
            1e-9);

    // More samples: restart, and the total follows.
    const std::uint64_t gen2 = v.runner()->generation();
    v.samplesBox()->setValue(9);
    QVERIFY(waitForRun(v, gen2));
    QCOMPARE(v.runner()->snapshot()->hist.total, std::uint64_t(9 * 45));
    QVERIFY(v.statusText().contains("9 of 9 samples"));

    // Squared: the same run drawn as s^2 (no restart).
    const std::uint64_t gen3 = v.runner()->generation();
    v.squaredBox()->setChecked(true);
    QCOMPARE(v.runner()->generation(), gen3);
    QVERIFY(v.plot()->squared());
    const auto& mpSq = v.runner()->frame()->theory.mpSquared;
    QCOMPARE(v.plot()->mpCurve()->data()->size(), static_cast<int>(mpSq.x.size()));
    QVERIFY(v.plot()->xAxis->label().contains("s²"));
}

void TestRectView::invalidParameterKeepsLastResult()
{
    ui::RectView v;
    setSmall(v, 100, 1.5, 4);
    v.show();
    QVERIFY(waitForRun(v, 0));
    // Restores a valid control and waits for its run.
    auto settle = [&v] {
        const std::uint64_t g = v.runner()->generation();
        QVERIFY(v.apply());
        QVERIFY(waitForRun(v, g));
    };

    struct Case
    {
        QComboBox* box;
        QString text, control, reason;
    };
    const Case cases[] = {
        {v.spikesBox(), "equal:-3", "spikes", "singular values must be >= 0"},
        {v.spikesBox(), "power:3", "spikes", "power"},
        {v.noiseBox(), "student-t:1.5", "noise", "nu"},
        {v.noiseBox(), "cauchy", "noise", "cauchy"},
        {v.bulkBox(), "uniform:-1,1", "bulk", "singular values must be >= 0"},
        {v.bulkBox(), "uniform:2,1", "bulk", "a <= b"},
    };
    for (const Case& c : cases) {
        const auto frame = v.runner()->frame();
        const auto snap = v.runner()->snapshot();
        const std::uint64_t gen = v.runner()->generation();
        const int bars = v.plot()->histogramBars()->data()->size();
        const QString good = c.box->currentText();
        c.box->setCurrentText(c.text);
        QTRY_VERIFY2_WITH_TIMEOUT(!v.errorText(c.control).isEmpty(), qPrintable(c.text), 3000);
        QVERIFY2(v.errorText(c.control).contains(c.reason), qPrintable(v.errorText(c.control)));
        QVERIFY(v.errorText(c.control).contains("last valid result stays"));
        QCOMPARE(v.runner()->generation(), gen); // nothing restarted
        QCOMPARE(v.runner()->frame(), frame);
        QCOMPARE(v.runner()->snapshot(), snap);
        QCOMPARE(v.plot()->histogramBars()->data()->size(), bars);
        c.box->setCurrentText(good);
        settle();
        QVERIFY(v.errorText(c.control).isEmpty());
    }

    // Explicit rank beyond min(N, M) (a list sets the rank itself: equal spikes here).
    v.spikesBox()->setCurrentText("equal:3");
    settle();
    QVERIFY(v.rankBox()->isEnabled());
    const std::uint64_t g1 = v.runner()->generation();
    v.rankBox()->setValue(500);
    QTRY_VERIFY_WITH_TIMEOUT(v.errorText("rank").contains("min(N, M) = 100"), 3000);
    QCOMPARE(v.runner()->generation(), g1);
    v.rankBox()->setValue(0);
    settle();
    QVERIFY(v.errorText("rank").isEmpty());

    // A size beyond the view's limit, next to N / c.
    const std::uint64_t g2 = v.runner()->generation();
    v.nControl()->spinBox()->setValue(5000);
    QTRY_VERIFY_WITH_TIMEOUT(v.errorText("size").contains("beyond this view's limit"), 3000);
    QCOMPARE(v.runner()->generation(), g2);
    QCOMPARE(v.runner()->frame()->model.n, 100);
    v.nControl()->spinBox()->setValue(100);
    settle();
    QVERIFY(v.errorText("size").isEmpty());
}

void TestRectView::outliersFollowTheCore()
{
    ui::RectView v;
    setSmall(v, 200, 2.0, 8);
    v.spikesBox()->setCurrentText("list:4,3,0.5"); // 0.5 < sigma c^(1/4): no outlier
    v.bulkBox()->setCurrentText("zero");
    QVERIFY(!v.rankBox()->isEnabled()); // the list sets the rank
    v.show();
    QVERIFY(waitForRun(v, 0));
    const auto f = v.runner()->frame();
    const auto s = v.runner()->snapshot();
    QCOMPARE(f->theory.outliers.size(), std::size_t(3));
    QCOMPARE(dataCount(v.plot()->finiteRankMarkers()), 2);
    QCOMPARE(dataCount(v.plot()->largeRankMarkers()), 2);
    QCOMPARE(dataCount(v.plot()->observedMarkers()), 2);
    // The drawn markers are the core's numbers.
    const double top = *f->theory.outliers[0].finiteRank;
    QCOMPARE(v.plot()->finiteRankMarkers()->data()->at(1)->key, top);
    const core::RectModel m = f->model;
    const double t = 4.0 / m.sigma, c = m.ratio();
    QVERIFY(std::abs(top - m.sigma * std::sqrt((1 + t * t) * (c + t * t)) / t) < 1e-12);
    // Observed near the prediction (8 samples of 200 x 400: sd ~ 0.05).
    QVERIFY(s->observed[0].mean);
    QVERIFY(std::abs(*s->observed[0].mean - *f->theory.outliers[0].largeRank) < 0.15);
    // One table row per spike, the weak one without predictions.
    QTableWidget* table = v.outlierTable();
    QCOMPARE(table->rowCount(), 3);
    QCOMPARE(table->item(0, 0)->text(), QString("4"));
    QCOMPARE(table->item(2, 1)->text(), QString("–"));
    QVERIFY(table->item(0, 3)->text().contains("±"));
    // The title names the noise without GOE (a symmetric ensemble; X here is 200 x 400 iid).
    QVERIFY2(v.plot()->titleText().contains("Gaussian noise ·"), qPrintable(v.plot()->titleText()));
    QVERIFY(!v.plot()->titleText().contains("GOE"));

    // Equal spikes are one group: one marker, one row "3 × 4".
    const std::uint64_t gen = v.runner()->generation();
    v.spikesBox()->setCurrentText("equal:3");
    v.rankBox()->setValue(4);
    QVERIFY(waitForRun(v, gen));
    QCOMPARE(dataCount(v.plot()->largeRankMarkers()), 1);
    QCOMPARE(table->rowCount(), 1);
    QCOMPARE(table->item(0, 0)->text(), QString("3 × 4"));
}

// Every support interval is shaded as in the Eigenvalues tab, not only the main bulk: a bulk of S
// in two lumps (1 and 3, c = 0.5) gives two bulk shades and the three spikes (0.1 below, 2 in the
// gap, 4 above) one cluster shade each, in both units; the labels carry predicted / observed
// counts, which the run fills in (each lump keeps its p x mass values).
void TestRectView::everyLumpShaded()
{
    ui::RectView v;
    setSmall(v, 400, 0.5, 6);
    v.sigmaControl()->setValue(0.3);
    v.spikesBox()->setCurrentText("list:0.1,2,4");
    v.bulkBox()->setCurrentText("twopoint:1,3,0.5");
    v.show();
    QVERIFY(waitForRun(v, 0));
    const auto f = v.runner()->frame();
    QCOMPARE(f->theory.equivalent.support.size(), std::size_t(5));
    for (bool squared : {false, true}) {
        v.plot()->setSquared(squared);
        const ui::IntervalShades& shades = v.plot()->shades();
        QCOMPARE(shades.count(core::IntervalKind::Bulk), 2);
        QCOMPARE(shades.count(core::IntervalKind::Cluster), 3);
        for (const auto& sh : shades.shades()) {
            const auto& iv = f->theory.equivalent.support[sh.first];
            const double a = squared ? iv.a : std::sqrt(iv.a);
            QCOMPARE(sh.rect->topLeft->coords().x(), a);
            QVERIFY(sh.label);
            const QStringList parts = sh.label->text().split(" / ");
            QCOMPARE(parts.size(), 2);
            QCOMPARE(parts[0].toInt(), iv.count);
            QVERIFY(std::abs(parts[1].toDouble() - iv.count) <= 1.0);
        }
    }
    // The cluster swatch is in the legend only while there are clusters.
    auto legendHas = [&v](const QString& name) {
        for (int i = 0; i < v.plot()->legend->itemCount(); ++i)
            if (auto* it = qobject_cast<QCPPlottableLegendItem*>(v.plot()->legend->item(i)))
                if (it->plottable()->name() == name)
                    return true;
        return false;
    };
    QVERIFY(legendHas("outlier-cluster intervals"));
    // One spike below the threshold sigma c^(1/4) = 0.25, zero bulk: the MP bulk alone.
    const std::uint64_t gen = v.runner()->generation();
    v.spikesBox()->setCurrentText("list:0.2");
    v.bulkBox()->setCurrentText("zero");
    QVERIFY(waitForRun(v, gen));
    QCOMPARE(v.plot()->shades().count(core::IntervalKind::Cluster), 0);
    QCOMPARE(v.plot()->shades().count(core::IntervalKind::Bulk), 1);
    QVERIFY(!legendHas("outlier-cluster intervals"));
    QVERIFY(legendHas("bulk intervals, count pred. / obs."));
}

void TestRectView::cancelIsFinal()
{
    ui::RectView v;
    setSmall(v, 100, 1.0, 3);
    v.show();
    QVERIFY(waitForRun(v, 0));
    // A long run: 1500 x 1500, 40 samples (several seconds).
    v.samplesBox()->blockSignals(true);
    v.samplesBox()->setValue(40);
    v.samplesBox()->blockSignals(false);
    v.nControl()->setValue(1500);
    QSignalSpy finished(&v, &ui::RectView::finished);
    QSignalSpy theory(v.runner(), &ui::RectRunner::theoryReady);
    QVERIFY(v.apply());
    QVERIFY(theory.wait(10000));
    QCOMPARE(v.runner()->frame()->generation, v.runner()->generation());
    QVERIFY(v.isRunning());
    v.cancel();
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QVERIFY(!v.isRunning());
    QVERIFY(v.statusText().contains("cancelled"));
    // The worker stops after its current sample (each ~0.1-1 s here); nothing of it arrives.
    const auto snap = v.runner()->snapshot();
    QVERIFY(waitIdle(v));
    QCOMPARE(finished.count(), 1);
    QCOMPARE(v.runner()->snapshot(), snap);
}

void TestRectView::sessionSettings()
{
    ui::RectView v;
    v.nControl()->setValue(300);
    v.cControl()->setValue(0.25);
    v.spikesBox()->setCurrentText("list:5,2");
    v.bulkBox()->setCurrentText("uniform:0,0.5");
    v.eigvecsBox()->setCurrentIndex(1);
    v.rankBox()->setValue(0);
    v.samplesBox()->setValue(7);
    v.seedEdit()->setText("99");
    v.squaredBox()->setChecked(true);
    const core::RectSession s = v.session();
    QVERIFY(s.model == v.model());
    QCOMPARE(s.samples, 7);
    QCOMPARE(s.seed, std::uint64_t(99));
    QCOMPARE(s.model.m, 75);
    QVERIFY(s.model.eigvecs == core::Eigvecs::Haar);
    ui::RectView w;
    w.setSession(s);
    w.fromJson(v.toJson());
    QVERIFY(w.session() == s);
    QVERIFY(w.squaredBox()->isChecked());

    // Any 64-bit seed and an M that c with three decimals would not give back.
    core::RectSession big = s;
    big.seed = 18446744073709551615ULL;
    big.model.n = 3001;
    big.model.m = 3002;
    big.model.rank = {true, 0.0, 4};
    big.model.spikes = core::parseSpikes("equal:3");
    w.setSession(big);
    QCOMPARE(w.seed(), std::optional<std::uint64_t>(big.seed));
    QCOMPARE(w.model().m, 3002);
    QVERIFY(w.session() == big);

    // Invalid controls: the session stays the last valid one (what a save writes).
    w.spikesBox()->setCurrentText("list:1,nan");
    QVERIFY(!w.apply());
    QVERIFY(!w.errorText("spikes").isEmpty());
    QVERIFY(w.session() == big);
    w.seedEdit()->setText("");
    QVERIFY(w.session() == big);

    // The view object keeps only the display setting; old keys there are ignored.
    ui::RectView x;
    const core::RectSession before = x.session();
    x.fromJson(QJsonObject{{"n", 77.0}, {"spikes", "equal:9"}, {"squared", true}});
    QVERIFY(x.session() == before);
    QVERIFY(x.squaredBox()->isChecked());
    QCOMPARE(x.toJson(), (QJsonObject{{"squared", true}}));
}

// An empty seed says why under the sampling controls and starts nothing; the full 64-bit range
// runs.
void TestRectView::seedField()
{
    ui::RectView v;
    setSmall(v, 60, 1.5, 2);
    v.seedEdit()->setText("");
    QVERIFY(!v.apply());
    QVERIFY(v.errorText("samples").startsWith("seed"));
    v.seedEdit()->setText("18446744073709551615");
    QVERIFY(!v.seedEdit()->hasAcceptableInput()); // 20 digits are not typed, only loaded
    v.seedEdit()->setText("9999999999999999999");
    QSignalSpy finished(&v, &ui::RectView::finished);
    QVERIFY(v.apply());
    QVERIFY(finished.wait(20000));
    QVERIFY(v.runner()->frame());
    QCOMPARE(v.runner()->frame()->seed, std::uint64_t(9999999999999999999ULL));
}

// Degenerate shapes (p = 1, very flat or very tall) either run or say why; never a crash.
void TestRectView::edgeSizes()
{
    ui::RectView v;
    v.samplesBox()->setValue(3);
    v.spikesBox()->setCurrentText("equal:3");
    v.bulkBox()->setCurrentText("zero");
    v.show();
    const std::pair<int, double> shapes[] = {{1, 2.0}, {2, 0.5},  {10, 0.001},  {3, 1000.0},
                                             {2, 1.0}, {50, 1.0}, {4000, 0.001}};
    for (const auto& [n, c] : shapes) {
        v.nControl()->setValue(n);
        v.cControl()->setValue(c);
        const std::uint64_t g = v.runner()->generation();
        if (!v.apply()) {
            QVERIFY2(!v.errorText("size").isEmpty() || !v.errorText("rank").isEmpty(),
                     qPrintable(QString("%1 x %2").arg(n).arg(c)));
            continue;
        }
        QSignalSpy finished(&v, &ui::RectView::finished);
        if (v.isRunning())
            QVERIFY(finished.wait(20000));
        QVERIFY(!v.isRunning());
        const bool ran = v.runner()->generation() > g && v.runner()->snapshot() &&
                         v.runner()->snapshot()->finished;
        QVERIFY2(ran || !v.errorText("run").isEmpty(),
                 qPrintable(QString("%1 x %2").arg(n).arg(c)));
        if (ran) {
            const auto f = v.runner()->frame();
            QCOMPARE(v.runner()->snapshot()->hist.total,
                     std::uint64_t(3) * static_cast<std::uint64_t>(f->theory.p));
            const QCPRange x = v.plot()->xAxis->range();
            QVERIFY(std::isfinite(x.lower) && std::isfinite(x.upper) && x.upper > x.lower);
        }
        qInfo("%d x %d: %s", n, std::max(1, static_cast<int>(std::lround(c * n))),
              ran ? "ran" : qPrintable(v.errorText("run")));
    }
}

void TestRectView::hostedAsTab()
{
    ui::MainWindow w(ui::MainWindow::Options{false, false});
    w.resize(1400, 900);
    w.show();
    ui::ViewTabs* tabs = w.viewTabs();
    ui::RectView* v = tabs->rectView();
    QVERIFY(v);
    QCOMPARE(v->runner()->generation(), std::uint64_t(0)); // hidden: nothing runs
    setSmall(*v, 100, 2.0, 3);
    QVERIFY(tabs->selectTab("rectangular"));
    QCOMPARE(tabs->currentKey(), QString("rectangular"));
    QVERIFY(waitForRun(*v, 0));
    v->seedEdit()->setText("5");
    QVERIFY(v->apply());
    const core::Session s = w.currentSession();
    const QJsonObject view = ui::viewOf(s).value("sweeps").toObject();
    QCOMPARE(view.value("tab").toString(), QString("rectangular"));
    QVERIFY(s.rect);
    QCOMPARE(s.rect->seed, std::uint64_t(5));
    QVERIFY(s.rect->model == v->model());
    ui::MainWindow w2(ui::MainWindow::Options{false, false});
    w2.applySession(core::sessionFromJson(core::sessionToJson(s)));
    QCOMPARE(w2.viewTabs()->currentKey(), QString("rectangular"));
    QCOMPARE(w2.viewTabs()->rectView()->seed(), std::optional<std::uint64_t>(5));
    QVERIFY(w2.viewTabs()->rectView()->model() == v->model());
}

// A session saved from the window is what `wignerscope-cli rect ... --session` runs: the same
// model, samples and seed, with and without options overriding it.
void TestRectView::cliReadsTheSavedSession()
{
    ui::MainWindow w(ui::MainWindow::Options{false, false});
    ui::RectView* v = w.viewTabs()->rectView();
    core::RectSession want;
    want.model.n = 150;
    want.model.m = 61;
    want.model.sigma = 0.75;
    want.model.noise = core::parseNoise("rademacher");
    want.model.rank = {true, 0.0, 3};
    want.model.spikes = core::parseSpikes("linear:2,4");
    want.model.bulk = core::parseBulk("uniform:0,0.5");
    want.model.eigvecs = core::Eigvecs::Haar;
    want.samples = 3;
    want.seed = 12345678901234567890ULL;
    v->setSession(want);
    QTemporaryDir dir;
    const QString path = dir.filePath("s.json");
    QString error;
    QVERIFY2(w.saveSessionFile(path, &error), qPrintable(error));

    auto run = [&](const QStringList& extra) {
        QProcess p;
        p.start(WS_CLI_PATH,
                QStringList{"rect", "sample", "--session", path, "--json", "-"} + extra);
        if (!p.waitForFinished(60000) || p.exitCode() != 0)
            qWarning("%s", p.readAllStandardError().constData());
        return nlohmann::json::parse(p.readAllStandardOutput().toStdString());
    };
    const nlohmann::json j = run({});
    const nlohmann::json& m = j.at("model");
    QCOMPARE(m.at("n").get<int>(), 150);
    QCOMPARE(m.at("m").get<int>(), 61);
    QCOMPARE(m.at("sigma").get<double>(), 0.75);
    QCOMPARE(m.at("noise").get<std::string>(), std::string("rademacher"));
    QCOMPARE(m.at("rank").get<int>(), 3);
    QCOMPARE(m.at("spikes").get<std::string>(), core::toString(want.model.spikes));
    QCOMPARE(m.at("bulk").get<std::string>(), std::string("uniform:0,0.5"));
    QCOMPARE(m.at("eigvecs").get<std::string>(), std::string("haar"));
    QCOMPARE(j.at("samples").get<int>(), 3);
    QCOMPARE(j.at("seed").get<std::uint64_t>(), want.seed);
    // Options override the session.
    const nlohmann::json o = run({"--n", "80", "--samples", "2"});
    QCOMPARE(o.at("model").at("n").get<int>(), 80);
    QCOMPARE(o.at("model").at("m").get<int>(), 61);
    QCOMPARE(o.at("samples").get<int>(), 2);
}

void TestRectView::screenshots()
{
    const auto [dir, w] = test::screenshotWindow("WS_RECT_SCREENSHOT_DIR");
    if (!w)
        QSKIP("set WS_RECT_SCREENSHOT_DIR to save screenshots of the view");
    ui::RectView* v = w->viewTabs()->rectView();
    v->samplesBox()->setValue(40);
    w->viewTabs()->selectTab("rectangular");
    QVERIFY(waitForRun(*v, 0, 120000));
    QVERIFY(test::saveLightAndDark(*w, dir, "rectangular"));
}

QTEST_MAIN(TestRectView)
#include "tst_rectview.moc"
