// Words, not syntax, and no overlapping labels at 1280 x 720: for every preset, in normal and
// presentation mode, the text of every plot of every tab (titles, legend items, axis and tick
// labels, notes, marker labels; tests/support/plot_texts.h) overlaps no other text and is not
// cut off, and the titles say the model in words, never in the command line's family syntax.
#include "ui/jobs/controller.h"
#include "ui/plots/mainplot.h"
#include "ui/plots/modelwords.h"
#include "ui/plots/spectrumplot.h"
#include "ui/views/rectplot.h"
#include "ui/views/rectview.h"
#include "ui/views/residualview.h"
#include "ui/views/sweepview.h"
#include "ui/views/viewtabs.h"
#include "ui/views/weightsplot.h"
#include "ui/views/weightsview.h"
#include "ui/widgets/controlspanel.h"
#include "ui/widgets/mainwindow.h"
#include "ui/widgets/presentationlayout.h"
#include "ui/widgets/presets.h"

#include "core/model/families.h"
#include "support/layout_checks.h"
#include "support/plot_texts.h"
#include "support/run_waits.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

using namespace ws;

namespace {

// Family syntax of the command line: "linear:1.5,4", "uniform:-1,1", "student-t:2.5".
const QRegularExpression kSyntax("[a-z-]+:[-0-9.]");

QString titleOf(QCustomPlot* plot)
{
    for (const test::PlotText& t : test::plotTexts(plot))
        if (t.what.startsWith("title"))
            return t.what;
    return {};
}

} // namespace

class TestLabels : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void titlesInWords();
    void noOverlapAt1280x720_data();
    void noOverlapAt1280x720();

private:
    // Collects the problems of one plot; the test fails at its end with all of them.
    void check(QCustomPlot* plot, const QString& where);

    QStringList m_problems;
};

void TestLabels::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestLabels::titlesInWords()
{
    core::Model m;
    m.n = 1000;
    m.spikes = core::parseSpikes("linear:1.5,4");
    m.rank = {false, 0.75, 1};
    QCOMPARE(ui::words::signal(m.spikes, m.rank, core::rankOf(m), m.bulk),
             QString("r = ⌈N^0.75⌉ = 178 evenly spaced spikes from 1.5 to 4"));
    // Over N (Convergence): the rule while r grows, else the fixed spikes.
    QCOMPARE(ui::words::spikesOverN(m.spikes, m.rank),
             QString("r = ⌈N^0.75⌉ evenly spaced spikes from 1.5 to 4"));
    QCOMPARE(ui::words::spikesOverN(core::parseSpikes("equal:2"), {false, 0.0, 1}),
             QString("one spike θ = 2"));
    QCOMPARE(ui::words::spikesOverN(core::parseSpikes("equal:2"), {true, 0.0, 4}),
             QString("r = 4 equal spikes θ = 2"));
    m.spikes = core::parseSpikes("list:4,3,2,1.5");
    m.bulk = core::parseBulk("uniform:-1,1");
    QCOMPARE(ui::words::signal(m.spikes, m.rank, core::rankOf(m), m.bulk),
             QString("4 spikes 4, 3, 2, 1.5 over a uniform bulk on [−1, 1]"));
    m.noise = core::parseNoise("student-t:2.5");
    QCOMPARE(ui::words::size(m), QString("N = 1\u202F000, σ = 1, Student-t noise, ν = 2.5"));
    m.spikes = core::parseSpikes("power:6,0.6");
    m.bulk = {};
    m.rank = {true, 0.0, 32};
    QCOMPARE(ui::words::signal(m.spikes, m.rank, core::rankOf(m), m.bulk),
             QString("r = 32 spikes θₖ = 6·k^−0.6"));
    m.spikes = core::parseSpikes("equal:2");
    m.rank = {false, 0.0, 1};
    QCOMPARE(ui::words::signal(m.spikes, m.rank, core::rankOf(m), m.bulk),
             QString("one spike θ = 2"));
    // S = 0 (pure noise, the first lesson step) in words, whichever family spells it.
    for (const char* spikes : {"equal:0", "list:0,0", "linear:3,0", "power:0,1"})
        for (const char* bulk : {"zero", "uniform:0,0", "list:0,0,0"}) {
            m.spikes = core::parseSpikes(spikes);
            m.bulk = core::parseBulk(bulk);
            const QString text = ui::words::signal(m.spikes, m.rank, core::rankOf(m), m.bulk);
            QVERIFY2(text == "no signal (S = 0)",
                     qPrintable(QString("%1 %2: %3").arg(spikes, bulk, text)));
        }
    // Not zero: a non-zero spike, linear:0,b at rank one (its spike is b), or a bulk.
    m.rank = {true, 0.0, 3};
    m.spikes = core::parseSpikes("linear:0,2");
    m.bulk = {};
    QCOMPARE(ui::words::signal(m.spikes, m.rank, core::rankOf(m), m.bulk),
             QString("r = 3 evenly spaced spikes from 0 to 2"));
    m.spikes = core::parseSpikes("equal:0");
    m.bulk = core::parseBulk("uniform:0,1");
    QCOMPARE(ui::words::signal(m.spikes, m.rank, core::rankOf(m), m.bulk),
             QString("r = 3 equal spikes θ = 0 over a uniform bulk on [0, 1]"));
}

void TestLabels::check(QCustomPlot* plot, const QString& where)
{
    // Lays the plot out at its current size; the second pass draws what the first re-derived
    // (tick counts, label rows), as the queued replot that follows it does.
    plot->replot();
    plot->replot();
    for (const QString& p : test::textProblems(plot))
        m_problems << where + ": " + p;
    const QString title = titleOf(plot);
    if (title.contains(kSyntax) || title.count("r = ") > 1)
        m_problems << where + ": not in words: " + title;
}

void TestLabels::noOverlapAt1280x720_data()
{
    QTest::addColumn<bool>("presentation");
    QTest::newRow("normal") << false;
    QTest::newRow("presentation") << true;
}

void TestLabels::noOverlapAt1280x720()
{
    QFETCH(bool, presentation);
    m_problems.clear();
    ui::MainWindow w(ui::MainWindow::Options{false, false});
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.setPresentationMode(presentation);
    w.resize(1280, 720 - 64); // a 1280 x 720 projector less a title bar and a panel
    w.presentationLayout()->applyWindowScale();
    ui::ViewTabs* tabs = w.viewTabs();
    for (const ui::Preset& p : ui::presets()) {
        QVERIFY(w.loadPreset(p.name));
        // Fewer samples: the labels do not depend on them, the test time does.
        tabs->selectTab("main");
        w.controls()->samplesBox()->setValue(2);
        QVERIFY(test::waitRunEnded(w, 120000));
        test::settleLayouts();
        check(w.mainPlot(), p.name + ", eigenvalues");
        check(w.spectrumPlot(), p.name + ", spectrum of S");
        // The prediction errors of the same run.
        tabs->selectTab("residuals");
        test::settleLayouts();
        check(tabs->residualView()->plot(), p.name + ", prediction errors");
        for (ui::SweepView* v : tabs->views()) {
            tabs->selectTab(v->key());
            test::settleLayouts();
            check(v->plot(), p.name + ", " + v->key() + " before a run");
            // A list of spikes fixes the rank: nothing to sweep over alpha.
            if (v->key() == "rank" &&
                w.controls()->session()->model.spikes.kind == core::SpikeKind::List)
                continue;
            // A tiny grid: the thresholds, slopes and counts a run adds.
            if (v->key() == "convergence")
                v->setGrid(40, 160, 3);
            else
                v->setN(120);
            v->setSamples(1);
            QSignalSpy done(v, &ui::SweepView::finished);
            QVERIFY2(v->run(), qPrintable(v->statusText()));
            QVERIFY(done.wait(120000));
            check(v->plot(), p.name + ", " + v->key());
        }
    }
    QSignalSpy loaded(tabs->weightsView(), &ui::WeightsView::loaded);
    tabs->weightsView()->openExample();
    QVERIFY(loaded.wait(60000));
    tabs->selectTab("weights");
    test::settleLayouts();
    check(tabs->weightsView()->plot(), "weights");
    QSignalSpy rect(tabs->rectView(), &ui::RectView::finished);
    tabs->selectTab("rectangular");
    QVERIFY(rect.wait(120000));
    test::settleLayouts();
    check(tabs->rectView()->plot(), "rectangular");
    for (const QString& p : m_problems)
        qWarning("%s", qPrintable(p));
    QVERIFY2(m_problems.isEmpty(), "texts overlap or are cut off (listed above)");
}

QTEST_MAIN(TestLabels)
#include "tst_labels.moc"
