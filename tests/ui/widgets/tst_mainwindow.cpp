// The window: controls drive runs; the plots and the table show the core's numbers; bursts end
// on the last parameters; sessions round-trip; exports are valid; presets load and compute.
#include "support/gui_fixture.h"
#include "support/thread_cpu.h"
#include "ui/jobs/animationrunner.h"
#include "ui/jobs/controller.h"
#include "ui/views/animationview.h"
#include "ui/views/viewtabs.h"
#include "ui/widgets/animationplayer.h"
#include "ui/widgets/controlspanel.h"
#include "ui/widgets/dialogs.h"
#include "ui/plots/mainplot.h"
#include "ui/widgets/mainwindow.h"
#include "ui/widgets/intervaltable.h"
#include "ui/widgets/outliertable.h"
#include "ui/widgets/paramslider.h"
#include "ui/widgets/presets.h"
#include "ui/jobs/samplerplan.h"
#include "ui/plots/spectrumplot.h"
#include "ui/widgets/statuspanel.h"

#include "core/model/families.h"
#include "core/util/histogram.h"
#include "core/sampling/runner.h"
#include "core/theory/theory.h"
#include "core/util/version.h"
#include "support/run_waits.h"

#include <QAction>
#include <QJsonDocument>
#include <QJsonObject>
#include <QComboBox>
#include <QStatusBar>
#include <QElapsedTimer>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QProgressBar>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>

using namespace ws;

namespace {

bool waitFinished(ui::MainWindow& w, int ms = 90000)
{
    return test::waitRunEnded(w, ms);
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void controlsDrivePlotsAndTable();
    void badListShownNextToControl();
    void burstShowsOnlyTheLastResult();
    void sessionRoundTrip();
    void exportsAreValid();
    void presetsLoadAndCompute();
    void presentationAndTheme();
    void spacePlaysTheAnimationTab();
    void lastSessionRestored();
    void helpPage();
    void nReachesMillionWithBanded();
    void nClampsWhenBandedStopsApplying();
    void controlsSessionIsAPlainGetter();
    void outlierTableGroupsEqualSpikes();
    void bandedEigenvalueExportHoldsExtremes();

private:
    // Small, fast parameters for the tests.
    void setSmall(int n = 200, int samples = 8);

    std::unique_ptr<ui::MainWindow> m_w;
    QTemporaryDir m_dir;
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void TestMainWindow::init()
{
    m_w = test::shownWindow();
    setSmall();
}

void TestMainWindow::cleanup()
{
    m_w.reset();
}

void TestMainWindow::setSmall(int n, int samples)
{
    core::Session s = test::spikedSession(n, "equal:2.5", samples, 3);
    m_w->applySession(s);
    QVERIFY(waitFinished(*m_w));
}

void TestMainWindow::controlsDrivePlotsAndTable()
{
    ui::ControlsPanel* ctl = m_w->controls();
    const quint64 before = m_w->controller()->generation();
    // Drive the controls as a user would.
    ctl->nControl()->spinBox()->setValue(300);
    QVERIFY(waitFinished(*m_w));
    ctl->spikeKindBox()->setCurrentIndex(1); // linear
    QVERIFY(waitFinished(*m_w));
    ctl->alphaControl()->slider()->setValue(400); // alpha = 0.4 -> r = ceil(300^0.4) = 10
    QVERIFY(waitFinished(*m_w));
    ctl->samplesBox()->setValue(5);
    QVERIFY(waitFinished(*m_w));
    QVERIFY(m_w->controller()->generation() > before);

    const auto t = m_w->controller()->theory();
    const core::Model& m = t->session.model;
    QCOMPARE(m.n, 300);
    QCOMPARE(m.spikes.kind, core::SpikeKind::Linear);
    QCOMPARE(m.rank.alpha, 0.4);
    QCOMPARE(core::rankOf(m), 10);
    QCOMPARE(t->session.samples, 5);

    // Bars: counts sum to N x samples; bar heights are the density.
    ui::MainPlot* plot = m_w->mainPlot();
    const auto f = plot->samples();
    QCOMPARE(f->done, 5);
    const std::uint64_t sum =
        std::accumulate(f->histogram.counts.begin(), f->histogram.counts.end(), std::uint64_t{0});
    QCOMPARE(sum, std::uint64_t{300 * 5});
    QCOMPARE(plot->histogramBars()->dataCount(), static_cast<int>(f->histogram.counts.size()));
    double mass = 0.0;
    for (auto it = plot->histogramBars()->data()->begin();
         it != plot->histogramBars()->data()->end(); ++it)
        mass += it->value * plot->histogramBars()->width();
    QVERIFY(std::abs(mass - 1.0) < 1e-9);
    // And they are exactly the core's.
    core::RunOptions opt;
    opt.samples = 5;
    opt.seed = t->session.seed;
    const auto res = core::runSamples(m, opt);
    auto h = core::makeHistogram(f->histogram.edges.front(), f->histogram.edges.back(),
                                 static_cast<int>(f->histogram.counts.size()));
    for (const auto& ev : res.eigenvalues)
        h.add(ev);
    QCOMPARE(f->histogram.counts, h.counts);

    // Curves present.
    QVERIFY(plot->equivalentGraph()->dataCount() >= 100);
    QVERIFY(plot->semicircleGraph()->dataCount() >= 100);
    QCOMPARE(plot->intervals().shades().size(), t->theory.equivalent.support.size());

    // Markers where the core predicts.
    // The predictions the app draws are computeTheory's (which also drops large-rank
    // predictions of spikes inside the main bulk component).
    const auto pred = core::computeTheory(m).outliers;
    std::vector<double> fr, lr;
    for (const auto& p : pred) {
        if (p.finiteRank)
            fr.push_back(*p.finiteRank);
        if (p.largeRank)
            lr.push_back(*p.largeRank);
    }
    std::sort(fr.begin(), fr.end());
    std::sort(lr.begin(), lr.end());
    QVERIFY(!fr.empty());
    QCOMPARE(plot->finiteRankMarkers()->dataCount(), static_cast<int>(fr.size()));
    QCOMPARE(plot->largeRankMarkers()->dataCount(), static_cast<int>(lr.size()));
    for (int i = 0; i < static_cast<int>(fr.size()); ++i)
        QCOMPARE(plot->finiteRankMarkers()->data()->at(i)->key, fr[static_cast<std::size_t>(i)]);
    for (int i = 0; i < static_cast<int>(lr.size()); ++i)
        QCOMPARE(plot->largeRankMarkers()->data()->at(i)->key, lr[static_cast<std::size_t>(i)]);
    QVERIFY(plot->observedMarkers()->dataCount() >= 1);
    // Every predicted outlier is inside the visible x range.
    for (double x : fr)
        QVERIFY(plot->xAxis->range().contains(x));

    // Spectrum plot: one stem per spike, thresholds at +-sigma.
    ui::SpectrumPlot* sp = m_w->spectrumPlot();
    QCOMPARE(sp->separatedStems()->dataCount() + sp->insideStems()->dataCount(), 10);
    QVERIFY(sp->thresholds().contains(1.0) && sp->thresholds().contains(-1.0));

    // Table: one row per spike, theta and predictions from the core.
    ui::OutlierModel* tm = m_w->outlierTable()->model();
    QCOMPARE(tm->rowCount(), 10);
    for (int r = 0; r < 10; ++r) {
        QCOMPARE(tm->value(r, ui::OutlierModel::Theta), pred[static_cast<std::size_t>(r)].theta);
        if (pred[static_cast<std::size_t>(r)].largeRank)
            QCOMPARE(tm->value(r, ui::OutlierModel::LargeRank),
                     *pred[static_cast<std::size_t>(r)].largeRank);
    }
    QVERIFY(m_w->outlierTable()->summaryText().contains("observed"));
    const QString tsv = m_w->outlierTable()->toTsv(false);
    // Header, 10 rows, blank, summary; blank, the interval table's header and rows.
    const int intervals = m_w->outlierTable()->intervalModel()->rowCount();
    QCOMPARE(intervals, static_cast<int>(t->theory.equivalent.support.size()));
    QCOMPARE(tsv.count('\n'), 1 + 10 + 2 + 2 + intervals);
    // Sorting by theta ascending puts the smallest spike first in the view.
    m_w->outlierTable()->view()->sortByColumn(ui::OutlierModel::Theta, Qt::AscendingOrder);
    QVERIFY(m_w->outlierTable()->toTsv(false).split('\n').at(1).startsWith("10\t"));
    // Status bar.
    QVERIFY(m_w->statusPanel()->progressText().startsWith("5 / 5"));
    QVERIFY(m_w->statusPanel()->samplerText().contains("banded") ||
            m_w->statusPanel()->samplerText().contains("dense"));
    // The status bar's run is the Eigenvalues tab's: shown there and on Errors, hidden on the
    // tabs with runs of their own (it read as theirs on Rectangular).
    auto* bar = m_w->statusPanel()->findChild<QProgressBar*>();
    QVERIFY(bar);
    ui::ViewTabs* tabs = m_w->viewTabs();
    for (int i = 0; i < tabs->count(); ++i) {
        tabs->setCurrentIndex(i);
        const bool mainRun = tabs->currentKey() == "main" || tabs->currentKey() == "residuals";
        QVERIFY2(bar->isVisibleTo(m_w->statusPanel()) == mainRun, qPrintable(tabs->currentKey()));
        QCOMPARE(m_w->statusPanel()->isRunShown(), mainRun);
    }
    tabs->setCurrentIndex(0);
    QVERIFY(bar->isVisibleTo(m_w->statusPanel()));
}

void TestMainWindow::badListShownNextToControl()
{
    ui::ControlsPanel* ctl = m_w->controls();
    const quint64 gen = m_w->controller()->generation();
    ctl->spikeKindBox()->setCurrentIndex(3); // list
    ctl->spikeListEdit()->setText("4, 3");
    QVERIFY(waitFinished(*m_w));
    const quint64 good = m_w->controller()->generation();
    QVERIFY(good > gen);
    ctl->spikeListEdit()->setText("4, abc");
    QVERIFY(test::waitRequestHandled(*m_w->controller(), 5000));
    QVERIFY(ctl->spikeErrorLabel()->isVisible());
    QVERIFY(ctl->spikeErrorLabel()->text().contains("spikes"));
    QCOMPARE(m_w->controller()->generation(), good); // the last good result stays
    QCOMPARE(m_w->mainPlot()->theoryGeneration(), good);
    ctl->spikeListEdit()->setText("4, 3.5");
    QVERIFY(waitFinished(*m_w));
    QVERIFY(!ctl->spikeErrorLabel()->isVisible());
    QCOMPARE(m_w->controller()->theory()->spikes, (std::vector<double>{4.0, 3.5}));
}

void TestMainWindow::burstShowsOnlyTheLastResult()
{
    std::vector<std::pair<quint64, int>> frames;
    connect(m_w.get(), &ui::MainWindow::frameDrawn, this,
            [&](quint64 g, int done) { frames.emplace_back(g, done); });
    ui::ParamSlider* theta = m_w->controls()->thetaControl();
    for (int i = 0; i < 20; ++i) {
        theta->slider()->setValue(500 + 20 * i); // a drag: theta from 0 upwards
        QTest::qWait(i % 4 == 0 ? 30 : 3);
    }
    QVERIFY(waitFinished(*m_w));
    const quint64 last = m_w->controller()->generation();
    QVERIFY(!frames.empty());
    QCOMPARE(frames.back().first, last);
    auto first =
        std::find_if(frames.begin(), frames.end(), [&](auto& f) { return f.first == last; });
    QCOMPARE(first->second, -1); // the theory frame comes first
    for (auto it = first; it != frames.end(); ++it)
        QCOMPARE(it->first, last);
    // The result is exactly the last parameters' (the slider's final theta).
    const auto t = m_w->controller()->theory();
    QCOMPARE(t->session.model.spikes.params.at(0), theta->value());
    QCOMPARE(m_w->mainPlot()->theoryGeneration(), last);
    QCOMPARE(m_w->mainPlot()->samplesGeneration(), last);
    core::RunOptions opt;
    opt.samples = t->session.samples;
    opt.seed = t->session.seed;
    const auto res = core::runSamples(t->session.model, opt);
    const auto& hist = m_w->mainPlot()->samples()->histogram;
    auto h = core::makeHistogram(hist.edges.front(), hist.edges.back(),
                                 static_cast<int>(hist.counts.size()));
    for (const auto& ev : res.eigenvalues)
        h.add(ev);
    QCOMPARE(hist.counts, h.counts);
}

void TestMainWindow::sessionRoundTrip()
{
    m_w->controls()->sigmaControl()->spinBox()->setValue(1.25);
    QVERIFY(waitFinished(*m_w));
    m_w->setDarkTheme(true);
    const core::Session saved = m_w->currentSession();
    const QString path = m_dir.filePath("s.json");
    QString error;
    QVERIFY2(m_w->saveSessionFile(path, &error), qPrintable(error));
    // The file is what the CLI reads.
    const core::Session onDisk = core::loadSession(path.toStdString());
    QCOMPARE(onDisk.model, saved.model);
    QCOMPARE(ui::viewOf(onDisk).value("theme").toString(), QString("dark"));

    setSmall(150, 3);
    m_w->setDarkTheme(false);
    QVERIFY2(m_w->openSessionFile(path, &error), qPrintable(error));
    QVERIFY(waitFinished(*m_w));
    const core::Session back = m_w->currentSession();
    QCOMPARE(back.model, saved.model);
    QCOMPARE(back.samples, saved.samples);
    QCOMPARE(back.seed, saved.seed);
    QVERIFY(m_w->darkTheme());
    QCOMPARE(m_w->controller()->theory()->session.model.sigma, 1.25);

    // A broken file is refused with a reason and changes nothing.
    QFile bad(m_dir.filePath("bad.json"));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("{\"format\": \"wignerscope-session\", \"version\": 1, \"model\": {\"n\": 1}}");
    bad.close();
    const quint64 gen = m_w->controller()->generation();
    QVERIFY(!m_w->openSessionFile(bad.fileName(), &error));
    QVERIFY(error.contains("n"));
    QCOMPARE(m_w->controller()->generation(), gen);
}

void TestMainWindow::exportsAreValid()
{
    QString error;
    const QString png = m_dir.filePath("p.png"), svg = m_dir.filePath("p.svg"),
                  pdf = m_dir.filePath("p.pdf"), spng = m_dir.filePath("s.png");
    QVERIFY2(m_w->exportPlot(png, false, &error), qPrintable(error));
    QVERIFY2(m_w->exportPlot(svg, false, &error), qPrintable(error));
    QVERIFY2(m_w->exportPlot(pdf, false, &error), qPrintable(error));
    QVERIFY2(m_w->exportPlot(spng, true, &error), qPrintable(error));
    QVERIFY(test::readAll(png).startsWith("\x89PNG\r\n\x1a\n"));
    QImage image(png);
    QVERIFY(!image.isNull() && image.width() >= 900);
    QVERIFY(test::readAll(spng).startsWith("\x89PNG"));
    const QByteArray svgText = test::readAll(svg);
    QVERIFY(svgText.contains("<svg") && svgText.contains("</svg>"));
    QVERIFY(svgText.size() > 2000);
    const QByteArray pdfBytes = test::readAll(pdf);
    QVERIFY(pdfBytes.startsWith("%PDF-") && pdfBytes.contains("%%EOF"));
    QVERIFY(!m_w->exportPlot(m_dir.filePath("p.bmpx"), false, &error));

    using K = ui::MainWindow::CsvKind;
    const auto f = m_w->controller()->samples();
    const int n = m_w->controller()->theory()->session.model.n;
    struct Case
    {
        K kind;
        const char* name;
        const char* header;
        int lines;
    } cases[] = {
        {K::Eigenvalues, "e.csv", "sample,index,value", 1 + n * f->done},
        {K::Histogram, "h.csv", "bin_lo,bin_hi,count,density",
         1 + static_cast<int>(f->histogram.counts.size())},
        {K::Theory, "t.csv", "curve,x,density", -1},
        {K::Outliers, "o.csv", "k,theta,finite_rank", 2},
    };
    for (const auto& c : cases) {
        const QString path = m_dir.filePath(c.name);
        QVERIFY2(m_w->exportCsv(path, c.kind, &error), qPrintable(error));
        QByteArray text = test::readAll(path);
        // The provenance comment lines first (core/io/provenance.h), then the table.
        QVERIFY(text.startsWith("# wignerscope "));
        QVERIFY(text.contains("\n# model: --n " + QByteArray::number(n) + " "));
        QVERIFY(text.contains("\n# seed: "));
        QVERIFY(text.contains("\n# date: "));
        while (text.startsWith('#'))
            text = text.mid(text.indexOf('\n') + 1);
        QVERIFY(text.startsWith(c.header));
        if (c.lines > 0)
            QCOMPARE(static_cast<int>(text.count('\n')), c.lines);
        else
            QVERIFY(text.count('\n') > 200);
    }
    // Atomic writes: a failing write leaves no file behind and reports why.
    QVERIFY(!m_w->exportCsv(m_dir.filePath("missing-dir/x.csv"), K::Theory, &error));
    QVERIFY(error.contains("missing-dir"));
    QVERIFY(!QFile::exists(m_dir.filePath("missing-dir/x.csv")));
}

void TestMainWindow::presetsLoadAndCompute()
{
    ui::Controller* c = m_w->controller();
    for (const auto& p : ui::presets()) {
        QSignalSpy theory(c, &ui::Controller::theoryReady);
        QSignalSpy updates(c, &ui::Controller::samplesUpdated);
        QVERIFY2(m_w->loadPreset(p.name), qPrintable(p.name));
        // The theory comes at once and the first samples follow.
        while (m_w->mainPlot()->theoryGeneration() != c->generation())
            QVERIFY(theory.wait(10000));
        // Said in the status panel (QStatusBar's own message line is covered by it), and not
        // cleared by the run that the preset started.
        QCOMPARE(m_w->statusPanel()->messageText(), "Preset: " + p.name);
        while (!(m_w->mainPlot()->samples() && m_w->mainPlot()->samples()->done >= 1 &&
                 m_w->mainPlot()->samplesGeneration() == c->generation()))
            QVERIFY(updates.wait(60000));
        const auto t = m_w->controller()->theory();
        QVERIFY(m_w->mainPlot()->equivalentGraph()->dataCount() > 100);
        QVERIFY(!t->theory.outliers.empty());
        // Each preset's lesson, in the theory's numbers.
        const QString file = QFileInfo(p.resource).completeBaseName();
        const auto& out = t->theory.outliers;
        if (file == "bbp-transition") {
            QCOMPARE(t->rank, 1);
            QVERIFY(out[0].finiteRank && *out[0].finiteRank > core::bulkHull(t->theory).hi + 0.3);
        } else if (file == "growing-rank") {
            double drift = 0;
            for (const auto& o : out)
                drift =
                    std::max(drift, std::abs(o.finiteRank.value_or(0) - o.largeRank.value_or(0)));
            QVERIFY2(drift > 0.2, qPrintable(QString::number(drift)));
        } else if (file == "full-rank") {
            QVERIFY(!core::bulkIsConstant(t->session.model));
            const auto spurious = std::count_if(
                out.begin(), out.end(), [](const auto& o) { return o.finiteRank && !o.largeRank; });
            QCOMPARE(spurious, 1);
        } else if (file == "heavy-tailed") {
            QCOMPARE(t->session.model.noise.kind, core::NoiseKind::StudentT);
            QVERIFY(t->session.model.noise.param <= 4.0);
        } else if (file == "decaying-spectrum") {
            const auto absorbed =
                std::count_if(out.begin(), out.end(), [](const auto& o) { return !o.largeRank; });
            QVERIFY(absorbed >= 5 && absorbed < static_cast<long>(out.size()));
        }
    }
}

void TestMainWindow::presentationAndTheme()
{
    const double thin = m_w->mainPlot()->equivalentGraph()->pen().widthF();
    const int ticks = m_w->mainPlot()->xAxis->tickLabelFont().pointSize();
    QVERIFY(QTest::qWaitForWindowExposed(m_w.get()));
    m_w->activateWindow();
    QTest::keyClick(m_w.get(), Qt::Key_F5);
    QVERIFY(m_w->presentationMode());
    QVERIFY(m_w->mainPlot()->equivalentGraph()->pen().widthF() > thin);
    // Presentation fonts follow the window's size (presentationlayout.h): larger than normal
    // ones in any window, 17 pt plot text at 1920 x 1080.
    QVERIFY(m_w->mainPlot()->xAxis->tickLabelFont().pointSize() > ticks);
    QCOMPARE(ui::Style::make(false, true, 1.0).plotFontSize(), 17);
    QTest::keyClick(m_w.get(), Qt::Key_P, Qt::ControlModifier);
    QVERIFY(!m_w->presentationMode());
    m_w->setDarkTheme(true);
    QVERIFY(m_w->mainPlot()->axisRect()->backgroundBrush().color().lightness() < 100);
    m_w->setDarkTheme(false);
    QVERIFY(m_w->mainPlot()->axisRect()->backgroundBrush().color().lightness() > 200);
}

void TestMainWindow::spacePlaysTheAnimationTab()
{
    // Space: the Animation tab, its frames computed on its runner (the main run is left alone),
    // then played.
    ui::AnimationView* v = m_w->viewTabs()->animationView();
    v->setParameter("theta");
    v->setRange(1.0, 3.0);
    v->setFrames(3);
    v->setSamples(1);
    QVERIFY(waitFinished(*m_w));
    const quint64 gen = m_w->controller()->generation();
    QSignalSpy done(v->runner(), &ui::AnimationRunner::finished);
    m_w->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_w.get()));
    QTest::keyClick(m_w.get(), Qt::Key_Space);
    QCOMPARE(m_w->viewTabs()->currentKey(), QString("animation"));
    QVERIFY(v->runner()->isRunning() || v->runner()->complete());
    QVERIFY(v->player()->isPlaying());
    QVERIFY(done.wait(60000));
    QCOMPARE(done.at(0).at(0).toBool(), false);
    QCOMPARE(m_w->controller()->generation(), gen);
    v->player()->pause();
    // Its settings are in the session.
    const core::Session s = m_w->currentSession();
    const QJsonObject view =
        QJsonDocument::fromJson(QByteArray::fromStdString(s.viewJson)).object();
    QCOMPARE(view.value("animate").toObject().value("frames").toInt(), 3);
    v->setFrames(40);
    m_w->applySession(s);
    QCOMPARE(v->spec().frames, 3);
    QCOMPARE(v->spec().from, 1.0);
}

void TestMainWindow::lastSessionRestored()
{
    QFile::remove(ui::MainWindow::lastSessionPath());
    {
        ui::MainWindow w(ui::MainWindow::Options{false, true});
        core::Session small;
        small.model.n = 150;
        small.samples = 2;
        w.applySession(small);
        QVERIFY(waitFinished(w));
        w.controls()->sigmaControl()->spinBox()->setValue(0.75);
        QVERIFY(waitFinished(w));
        w.close(); // saves the session
    }
    QVERIFY(QFile::exists(ui::MainWindow::lastSessionPath()));
    ui::MainWindow w(ui::MainWindow::Options{true, false});
    QVERIFY(waitFinished(w));
    QCOMPARE(w.controller()->theory()->session.model.sigma, 0.75);
    QCOMPARE(w.controls()->sigmaControl()->value(), 0.75);
    QFile::remove(ui::MainWindow::lastSessionPath());
}

void TestMainWindow::helpPage()
{
    ui::showHelp(m_w.get());
    QTextBrowser* browser = nullptr;
    QTRY_VERIFY((browser = m_w->findChild<QTextBrowser*>()) != nullptr);
    const QString text = browser->toPlainText();
    for (const char* needle : {"Deterministic equivalent", "Finite-rank (BBP)", "Large-rank",
                               "θ + σ²/θ", "Pastur", "Observed outliers"})
        QVERIFY2(text.contains(QString::fromUtf8(needle), Qt::CaseInsensitive), needle);
    if (!qEnvironmentVariableIsEmpty("WS_HELP_SHOT"))
        browser->window()->grab().save(qEnvironmentVariable("WS_HELP_SHOT"));

    // The About box names the library versions (from core/util/version.h: no TBB header in ui/).
    const QRegularExpression version("^\\d+\\.\\d+");
    for (const std::string& v :
         {core::eigenVersion(), core::tbbVersion(), core::openblasVersion()}) {
        QVERIFY2(QRegularExpression(version).match(QString::fromStdString(v)).hasMatch(),
                 v.c_str());
        QVERIFY(ui::aboutText().contains(QString::fromStdString(v).toHtmlEscaped()));
    }
    QVERIFY(ui::aboutText().contains("OpenBLAS"));
}

// Rank one Gaussian: the N slider reaches 10^6 and runs the banded fast path there; dragging it
// up never keeps the GUI thread busy for long (its CPU time between ticks of a 10 ms timer), and
void TestMainWindow::nReachesMillionWithBanded()
{
    core::Session s = test::spikedSession(1000, "equal:3", 1, 2);
    m_w->applySession(s);
    QVERIFY(waitFinished(*m_w));
    ui::ControlsPanel* ctl = m_w->controls();
    QCOMPARE(ctl->maxN(), ui::kBandedMaxN);
    QCOMPARE(ctl->nControl()->spinBox()->maximum(), double(ui::kBandedMaxN));
    QVERIFY(!ctl->nLimitLabel()->isVisible());

    // The GUI thread's own CPU time between two ticks of a 10 ms timer: what the GUI thread did
    // in one go. CPU time, not wall time, so that a loaded machine (preemption) cannot fail it.
    using testsupport::threadCpuMs;
    double last = threadCpuMs(), maxGap = 0.0;
    QTimer tick;
    tick.setInterval(10);
    connect(&tick, &QTimer::timeout, this, [&] {
        const double now = threadCpuMs();
        maxGap = std::max(maxGap, now - last);
        last = now;
    });
    tick.start();
    QSlider* slider = ctl->nControl()->slider();
    const int from = slider->value();
    for (int i = 1; i <= 25; ++i) { // a drag from N = 1000 to the top (10^6)
        slider->setValue(from + (slider->maximum() - from) * i / 25);
        QTest::qWait(20);
    }
    QVERIFY(waitFinished(*m_w, 120000));
    tick.stop();
    qDebug() << "largest GUI-thread CPU time between ticks during the drag and the N = 1e6 run:"
             << maxGap << "ms";
    QVERIFY2(maxGap < 250, qPrintable(QString("GUI thread busy for %1 ms").arg(maxGap)));

    const auto t = m_w->controller()->theory();
    const auto f = m_w->controller()->samples();
    QCOMPARE(t->session.model.n, ui::kBandedMaxN);
    QVERIFY(t->plan == ui::SamplerPlan::BandedCounts);
    QVERIFY(m_w->statusPanel()->samplerText().contains("banded (inertia counts)"));
    QCOMPARE(f->histogram.total, std::uint64_t(ui::kBandedMaxN));
    QVERIFY(m_w->mainPlot()->histogramBars()->dataCount() <= ui::kBandedMaxBins);
    QCOMPARE(m_w->spectrumPlot()->bulkBars()->dataCount(), 1); // the zero bulk: one bar
    QCOMPARE(t->bulkCount, std::size_t(ui::kBandedMaxN - 1));
    // The top eigenvalue sits at 3 + 1/3 (fluctuations ~ N^(-1/2) = 0.001).
    QVERIFY(f->observed.at(0).mean);
    QVERIFY(std::abs(*f->observed[0].mean - (3.0 + 1.0 / 3.0)) < 0.01);
    // The bulk histogram follows the semicircle: L1 distance of the densities over the bins.
    const auto density = f->histogram.density();
    double l1 = 0.0;
    for (std::size_t i = 0; i < density.size(); ++i) {
        const double a = f->histogram.edges[i], b = f->histogram.edges[i + 1];
        l1 += std::abs(density[i] - core::semicircleDensity(1.0, 0.5 * (a + b))) * (b - a);
    }
    QVERIFY2(l1 < 0.05, qPrintable(QString::number(l1)));
}

// The panel reads its controls once per edit; session() only returns that result (const, no
// errors redrawn, no N clamped, nothing emitted), however often the window asks.
void TestMainWindow::controlsSessionIsAPlainGetter()
{
    ui::ControlsPanel panel;
    panel.show();
    core::Session s;
    s.model.n = 500;
    s.seed = 42;
    panel.setSession(s);
    const ui::ControlsPanel& view = panel;
    QVERIFY(view.session());
    QVERIFY(view.session()->model == s.model);
    QSignalSpy changed(&panel, &ui::ControlsPanel::changed);
    panel.sigmaControl()->spinBox()->setValue(1.5);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(view.session()->model.sigma, 1.5);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(view.session()->model.sigma, 1.5);
    QCOMPARE(changed.count(), 1);

    // An invalid list: no session, the reason under the spikes; asking again changes nothing.
    panel.spikeKindBox()->setCurrentIndex(3);
    panel.spikeListEdit()->setText("4, , 2");
    QVERIFY(!view.session());
    const QString reason = panel.spikeErrorLabel()->text();
    QVERIFY2(reason.startsWith("spikes: "), qPrintable(reason));
    panel.spikeErrorLabel()->setText("marker");
    QVERIFY(!view.session());
    QCOMPARE(panel.spikeErrorLabel()->text(), QString("marker"));
    const int before = changed.count();
    panel.spikeListEdit()->setText("4, 2");
    QCOMPARE(changed.count(), before + 1);
    QVERIFY(view.session());
    QCOMPARE(core::toString(view.session()->model.spikes), std::string("list:4,2"));
    QVERIFY(!panel.spikeErrorLabel()->isVisible());
}

// At N = 10^6, a change that the banded sampler does not cover lowers N to the dense limit and
// says why next to the N control; a change back lifts the limit (N stays where it is).
void TestMainWindow::nClampsWhenBandedStopsApplying()
{
    ui::ControlsPanel panel;
    panel.show();
    core::Session s;
    s.model.n = ui::kBandedMaxN;
    s.model.spikes = core::parseSpikes("equal:3");
    panel.setSession(s);
    QCOMPARE(panel.nControl()->value(), double(ui::kBandedMaxN));
    QSignalSpy changed(&panel, &ui::ControlsPanel::changed);

    QComboBox* noise = panel.noiseKindBox();
    noise->setCurrentIndex(noise->findData("rademacher"));
    QCOMPARE(changed.count(), 1);
    auto after = panel.session();
    QVERIFY(after);
    QVERIFY(after->model.n <= ui::kDenseMaxN && after->model.n >= 1000);
    QCOMPARE(panel.nControl()->value(), double(after->model.n));
    QCOMPARE(panel.maxN(), after->model.n);
    QVERIFY(panel.nLimitLabel()->isVisible());
    QVERIFY(panel.nLimitLabel()->text().contains("1000000"));
    QVERIFY(panel.nLimitLabel()->text().contains("gaussian or complex"));
    // The slider cannot go beyond it either.
    panel.nControl()->spinBox()->setValue(50000);
    QCOMPARE(panel.session()->model.n, after->model.n);

    // Back to Gaussian: the limit is lifted, N stays, the note goes.
    noise->setCurrentIndex(noise->findData("gaussian"));
    QCOMPARE(panel.maxN(), ui::kBandedMaxN);
    QCOMPARE(panel.session()->model.n, after->model.n);
    QVERIFY(!panel.nLimitLabel()->isVisible());

    // A bulk with distinct values at N = 10^6 does the same, naming the bulk.
    panel.nControl()->spinBox()->setValue(ui::kBandedMaxN);
    QCOMPARE(panel.session()->model.n, ui::kBandedMaxN);
    panel.bulkKindBox()->setCurrentIndex(1); // uniform
    QVERIFY(panel.session()->model.n <= ui::kDenseMaxN);
    QVERIFY(panel.nLimitLabel()->isVisible());
    QVERIFY(panel.nLimitLabel()->text().contains("bulk"));
    // A fast-growing rank (alpha = 0.75 at N = 10^6) clamps N to where a fast-path sample takes
    // ~2.5 s (r ~ 830 at N ~ 7800), naming the rank.
    panel.bulkKindBox()->setCurrentIndex(0);
    panel.nControl()->spinBox()->setValue(ui::kBandedMaxN);
    QCOMPARE(panel.session()->model.n, ui::kBandedMaxN);
    panel.alphaControl()->spinBox()->setValue(0.75);
    QVERIFY(panel.session()->model.n > ui::kDenseMaxN && panel.session()->model.n < 10000);
    QVERIFY(panel.nLimitLabel()->text().contains("rank"));
    // r < N: the bulk setting matters, no note under it.
    auto* noBulk = panel.findChild<QLabel*>("noBulkNote");
    QVERIFY(noBulk);
    QVERIFY(noBulk->isHidden());
    // Full rank never takes the fast path: the dense limit, naming the rank.
    panel.alphaControl()->spinBox()->setValue(1.0);
    QVERIFY(panel.session()->model.n <= ui::kDenseMaxN);
    QVERIFY(panel.nLimitLabel()->text().contains("rank"));
    // r = N: S is all spikes, the bulk group says its setting has no effect.
    QCOMPARE(core::rankOf(panel.session()->model), panel.session()->model.n);
    QVERIFY(!noBulk->isHidden());
    QVERIFY(noBulk->text().contains("no bulk"));
    // A session file asking for N = 10^6 with rademacher noise is clamped on load.
    s.model.noise = core::parseNoise("rademacher");
    panel.setSession(s);
    QVERIFY(panel.session()->model.n <= ui::kDenseMaxN);
    QVERIFY(panel.nLimitLabel()->isVisible());
}

// Equal spikes are one row "theta x m" with the group's prediction and observation; spikes in the
// main bulk read "absorbed"; the summary counts eigenvalues (a group counts m).
void TestMainWindow::outlierTableGroupsEqualSpikes()
{
    core::Session s = test::spikedSession(300, "list:4,4,4,2,-3", 6, 4);
    m_w->applySession(s);
    QVERIFY(waitFinished(*m_w));
    ui::OutlierModel* tm = m_w->outlierTable()->model();
    QCOMPARE(tm->rowCount(), 3);
    QCOMPARE(tm->groupSize(0), 3);
    QCOMPARE(tm->groupSize(1), 1);
    QCOMPARE(tm->value(0, ui::OutlierModel::Theta), 4.0);
    QCOMPARE(tm->data(tm->index(0, ui::OutlierModel::Theta)).toString(), QString("4.0000 × 3"));
    QCOMPARE(tm->data(tm->index(0, ui::OutlierModel::Index)).toString(), QString("1–3"));
    QCOMPARE(tm->value(1, ui::OutlierModel::Index), 4.0);
    QCOMPARE(tm->value(2, ui::OutlierModel::Theta), -3.0);
    // The group's numbers are the core's for its members.
    const auto t = m_w->controller()->theory();
    core::RunOptions opt;
    opt.samples = s.samples;
    opt.seed = s.seed;
    const auto res = core::runSamples(t->session.model, opt);
    const auto obs = core::observeOutliers(t->theory, res.eigenvalues).spikes;
    QCOMPARE(obs[0].groupSize, 3);
    QVERIFY(obs[0].mean && obs[4].mean);
    QVERIFY(std::abs(tm->value(0, ui::OutlierModel::ObservedMean) - *obs[0].mean) < 1e-12);
    QVERIFY(std::abs(tm->value(2, ui::OutlierModel::ObservedMean) - *obs[4].mean) < 1e-12);
    QCOMPARE(tm->value(0, ui::OutlierModel::LargeRank), *t->theory.outliers[2].largeRank);
    // Every spike separates here: 5 predicted outlier eigenvalues by both formulas.
    QVERIFY2(m_w->outlierTable()->summaryText().contains("finite-rank 5, large-rank 5"),
             qPrintable(m_w->outlierTable()->summaryText()));
    // One observed marker per group.
    QCOMPARE(m_w->mainPlot()->observedMarkers()->dataCount(), 3);
    // The copied table has 3 rows and m in its last column.
    const QStringList tsv = m_w->outlierTable()->toTsv(false).split('\n');
    QVERIFY(tsv.at(0).endsWith("\tm"));
    QVERIFY(tsv.at(1).endsWith("\t3"));
    QVERIFY(tsv.at(3).endsWith("\t1"));
    QCOMPARE(tsv.count(), 1 + 3 + 3 + 2 + m_w->outlierTable()->intervalModel()->rowCount());

    // S = 3 I (alpha = 1): one shifted semicircle, which with r = N is one cluster of N outliers
    // (there is no bulk of S; the zero family would put it at 0, outside: docs/model.md), so
    // both formulas predict 200 outlier eigenvalues and none is absorbed.
    s.model.n = 200;
    s.model.spikes = core::parseSpikes("equal:3");
    s.model.rank = {false, 1.0, 1};
    m_w->applySession(s);
    QVERIFY(waitFinished(*m_w));
    QCOMPARE(tm->rowCount(), 1);
    QCOMPARE(tm->groupSize(0), 200);
    QVERIFY(!tm->absorbed(0));
    QCOMPARE(tm->value(0, ui::OutlierModel::LargeRank), 3.0);
    QString summary = m_w->outlierTable()->summaryText();
    QVERIFY2(summary.contains("finite-rank 200, large-rank 200") && !summary.contains("absorbed"),
             qPrintable(summary));

    // Rank one below the BBP threshold (theta = 0.5 < sigma): absorbed, no outlier predicted.
    s.model.spikes = core::parseSpikes("equal:0.5");
    s.model.rank = {false, 0.0, 1};
    m_w->applySession(s);
    QVERIFY(waitFinished(*m_w));
    QCOMPARE(tm->rowCount(), 1);
    QVERIFY(tm->absorbed(0));
    QCOMPARE(tm->data(tm->index(0, ui::OutlierModel::LargeRank)).toString(), QString("absorbed"));
    QVERIFY(std::isnan(tm->value(0, ui::OutlierModel::LargeRank)));
    summary = m_w->outlierTable()->summaryText();
    QVERIFY2(summary.contains("finite-rank 0, large-rank 0") &&
                 summary.contains("1 spike absorbed"),
             qPrintable(summary));
}

// On the banded fast path the eigenvalue export holds the located extremes with their ranks, and
// the menu entry and the status bar say so.
void TestMainWindow::bandedEigenvalueExportHoldsExtremes()
{
    core::Session s = test::spikedSession(2000, "equal:3", 3, 5);
    m_w->applySession(s);
    QVERIFY(waitFinished(*m_w));
    QVERIFY(m_w->controller()->samples()->extremesOnly);
    QAction* action = nullptr;
    for (QAction* a : m_w->findChildren<QAction*>())
        if (a->text().startsWith("Eigenvalues"))
            action = a;
    QVERIFY(action);
    QVERIFY(action->text().contains("located extremes only"));
    QVERIFY(action->toolTip().contains("inertia counts"));

    const QString path = m_dir.filePath("extremes.csv");
    QString error;
    QVERIFY2(m_w->exportCsv(path, ui::MainWindow::CsvKind::Eigenvalues, &error), qPrintable(error));
    QVERIFY(m_w->statusPanel()->messageText().contains("only the located extreme"));
    QList<QByteArray> lines = test::readAll(path).trimmed().split('\n');
    while (lines.front().startsWith('#')) // provenance
        lines.removeFirst();
    QCOMPARE(lines.front(), QByteArray("sample,index,value"));
    // Per sample: the smallest (index 0), the top outlier near 3 + 1/3 (index N - 1); nothing
    // else lies beyond the widened bulk edges.
    QCOMPARE(lines.size(), 1 + 3 * 2);
    for (int k = 0; k < 3; ++k) {
        const QList<QByteArray> lo = lines[1 + 2 * k].split(','), hi = lines[2 + 2 * k].split(',');
        QCOMPARE(lo[0].toInt(), k);
        QCOMPARE(lo[1], QByteArray("0"));
        QVERIFY(std::abs(lo[2].toDouble() + 2.0) < 0.1);
        QCOMPARE(hi[1], QByteArray("1999"));
        QVERIFY(std::abs(hi[2].toDouble() - (3.0 + 1.0 / 3.0)) < 0.15);
    }

    // A dense run exports every eigenvalue again.
    s.model.noise = core::parseNoise("rademacher");
    s.model.n = 150;
    m_w->applySession(s);
    QVERIFY(waitFinished(*m_w));
    QVERIFY(!m_w->controller()->samples()->extremesOnly);
    QCOMPARE(action->text(), QString("Eigenvalues…"));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
