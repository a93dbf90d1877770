// The outlier table and its interval table in the running window: where each outlier lives
// (interval, above / below / gap), the predicted sd and z, the reason a spike has no outlier, the
// flags, and the predicted vs observed count of every support interval; the status panel's note
// for heavy tails (docs/model.md#observed-outliers, #fluctuations, #validity). Runs go through the
// real controller; the tests wait on its signals.
#include "support/gui_fixture.h"
#include "support/test_session.h"
#include "ui/jobs/controller.h"
#include "ui/plots/mainplot.h"
#include "ui/widgets/intervaltable.h"
#include "ui/widgets/mainwindow.h"
#include "ui/widgets/outliertable.h"
#include "ui/widgets/statuspanel.h"

#include "core/model/families.h"
#include "support/run_waits.h"

#include <QRegularExpression>
#include <QTableView>
#include <QtTest>

#include <cmath>
#include <memory>

using namespace ws;

using testsupport::makeSession;

class TestOutlierTable : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void gapOutlierAndIntervalCounts();
    void mixedSignsAndReasons();
    void sdAndZOfAnIsolatedSpike();
    void heavyTailsAreNoted();

private:
    bool apply(const core::Session& s)
    {
        m_w->applySession(s);
        return test::waitRunEnded(*m_w, 120000);
    }
    std::unique_ptr<ui::MainWindow> m_w;
};

void TestOutlierTable::init()
{
    m_w = test::shownWindow();
}

void TestOutlierTable::cleanup()
{
    m_w.reset();
}

// Two lumps (twopoint:-2,2,0.5, sigma 0.5, N 1000) and a spike 0.5 between them: its outlier is in
// the gap (0.4666), observed in every sample, in the middle one of three intervals.
void TestOutlierTable::gapOutlierAndIntervalCounts()
{
    QVERIFY(apply(makeSession(1000, 0.5, "gaussian", "twopoint:-2,2,0.5", "list:0.5", 4)));
    ui::OutlierModel* tm = m_w->outlierTable()->model();
    QCOMPARE(tm->rowCount(), 1);
    QCOMPARE(tm->text(0, ui::OutlierModel::Interval), QString("2 · gap"));
    QCOMPARE(tm->value(0, ui::OutlierModel::Interval), 2.0);
    const double large = tm->value(0, ui::OutlierModel::LargeRank);
    QVERIFY(std::abs(large - 0.4666) < 1e-3);
    const double sd = tm->value(0, ui::OutlierModel::PredictedSd);
    QVERIFY(std::isfinite(sd) && sd > 0.0);
    const double mean = tm->value(0, ui::OutlierModel::ObservedMean);
    QVERIFY2(std::abs(mean - large) < 4.0 * sd, qPrintable(QString::number(mean)));
    const double z = tm->value(0, ui::OutlierModel::Z);
    QCOMPARE(z, (mean - large) / (sd / 2.0)); // 4 samples
    QVERIFY(tm->text(0, ui::OutlierModel::Reason).isEmpty());
    QVERIFY(m_w->outlierTable()->summaryText().contains("observed: 1.00 per sample"));

    ui::IntervalModel* im = m_w->outlierTable()->intervalModel();
    QCOMPARE(im->rowCount(), 3);
    QCOMPARE(im->kindText(0), QString("bulk"));
    QCOMPARE(im->kindText(1), QString("cluster · gap"));
    QCOMPARE(im->kindText(2), QString("bulk"));
    QCOMPARE(im->value(1, ui::IntervalModel::Predicted), 1.0);
    QCOMPARE(im->value(1, ui::IntervalModel::Observed), 1.0);
    double predicted = 0.0, observed = 0.0;
    for (int r = 0; r < 3; ++r) {
        predicted += im->value(r, ui::IntervalModel::Predicted);
        observed += im->value(r, ui::IntervalModel::Observed);
        QVERIFY(std::abs(im->value(r, ui::IntervalModel::Observed) -
                         im->value(r, ui::IntervalModel::Predicted)) <= 3.0);
    }
    QCOMPARE(predicted, 1000.0);
    QCOMPARE(observed, 1000.0); // no eigenvalue unexplained here
    QCOMPARE(im->data(im->index(0, ui::IntervalModel::Predicted)).toString(),
             QString::number(im->value(0, ui::IntervalModel::Predicted)));
    // The copied text holds both tables.
    const QString tsv = m_w->outlierTable()->toTsv(false);
    QVERIFY(tsv.contains("\t2 · gap\t"));
    QVERIFY(tsv.contains("cluster · gap"));
    // The plot shades the three intervals and marks the gap outlier.
    QCOMPARE(m_w->mainPlot()->intervals().shades().size(), std::size_t(3));
    QCOMPARE(m_w->mainPlot()->observedMarkers()->dataCount(), 1);
    QVERIFY(m_w->statusPanel()->theoryNoteText().isEmpty());
}

// Spikes above, in the gap and below the two lumps, and one inside a lump: three outliers in
// their places, the fourth absorbed with its reason, no number out of range.
void TestOutlierTable::mixedSignsAndReasons()
{
    QVERIFY(apply(makeSession(1000, 0.5, "gaussian", "twopoint:-2,2,0.5", "list:3,1.9,0.5,-3", 2)));
    ui::OutlierModel* tm = m_w->outlierTable()->model();
    QCOMPARE(tm->rowCount(), 4);
    QVERIFY(tm->text(0, ui::OutlierModel::Interval).endsWith("above"));
    QVERIFY(tm->text(1, ui::OutlierModel::Interval).startsWith("in bulk"));
    QVERIFY(tm->absorbed(1));
    QVERIFY(tm->text(1, ui::OutlierModel::Reason).startsWith("absorbed by the bulk interval"));
    QCOMPARE(tm->data(tm->index(1, ui::OutlierModel::LargeRank)).toString(), QString("absorbed"));
    QCOMPARE(tm->data(tm->index(1, ui::OutlierModel::PredictedSd)).toString(), QString("—"));
    QVERIFY(tm->text(2, ui::OutlierModel::Interval).endsWith("gap"));
    QVERIFY(tm->text(3, ui::OutlierModel::Interval).endsWith("below"));
    for (int r : {0, 2, 3}) {
        const double sd = tm->value(r, ui::OutlierModel::PredictedSd);
        QVERIFY(std::isfinite(sd) && sd > 0.0 && sd < 0.1);
        QVERIFY(std::abs(tm->value(r, ui::OutlierModel::Z)) < 5.0);
    }
    QCOMPARE(m_w->outlierTable()->intervalModel()->rowCount(), 5);
}

// Rank one, GOE, theta = 2, N = 300, 300 samples: the predicted sd is the core's, the observed
// sd agrees with it, and z (the observed mean's standard score) is within a few units.
void TestOutlierTable::sdAndZOfAnIsolatedSpike()
{
    QVERIFY(apply(makeSession(300, 1.0, "gaussian", "zero", "equal:2", 300, 7)));
    ui::OutlierModel* tm = m_w->outlierTable()->model();
    QCOMPARE(tm->rowCount(), 1);
    const double sd = tm->value(0, ui::OutlierModel::PredictedSd);
    QVERIFY(std::abs(sd - std::sqrt(2.0 * 0.75 / 300)) < 0.01 * sd);
    const double observedSd = tm->value(0, ui::OutlierModel::ObservedSd);
    // 300 samples: the sd's standard error is about 4%; 15% allows the O(1/N) corrections.
    QVERIFY2(std::abs(observedSd / sd - 1.0) < 0.15, qPrintable(QString::number(observedSd)));
    // Both sd columns at three significant digits, trailing zeros kept (0.0400, not 0.04).
    for (int c : {ui::OutlierModel::PredictedSd, ui::OutlierModel::ObservedSd}) {
        const QString shown = tm->data(tm->index(0, c)).toString();
        QVERIFY2(QRegularExpression("^0\\.0[1-9][0-9]{2}$").match(shown).hasMatch(),
                 qPrintable(shown));
    }
    const double z = tm->value(0, ui::OutlierModel::Z);
    QVERIFY2(std::isfinite(z) && std::abs(z) < 4.0, qPrintable(QString::number(z)));
    QVERIFY(tm->text(0, ui::OutlierModel::Interval).endsWith("above"));
    QVERIFY(tm->text(0, ui::OutlierModel::Flags).isEmpty());
}

// Student-t noise with nu = 3: the status panel and the plot say so; the table gives no sd and
// no z, and names the flag.
void TestOutlierTable::heavyTailsAreNoted()
{
    QVERIFY(apply(makeSession(300, 1.0, "student-t:3", "zero", "equal:3", 2)));
    QVERIFY(m_w->statusPanel()->theoryNoteText().contains("heavy-tailed"));
    QVERIFY(!m_w->mainPlot()->theoryNote().isEmpty());
    ui::OutlierModel* tm = m_w->outlierTable()->model();
    QVERIFY(std::isnan(tm->value(0, ui::OutlierModel::PredictedSd)));
    QVERIFY(std::isnan(tm->value(0, ui::OutlierModel::Z)));
    QCOMPARE(tm->data(tm->index(0, ui::OutlierModel::Z)).toString(), QString("—"));
    QVERIFY(tm->text(0, ui::OutlierModel::Flags).contains("heavy-tails"));
    // Back to Gaussian noise: the note goes.
    QVERIFY(apply(makeSession(300, 1.0, "gaussian", "zero", "equal:3", 2)));
    QVERIFY(m_w->statusPanel()->theoryNoteText().isEmpty());
    QVERIFY(m_w->mainPlot()->theoryNote().isEmpty());
}

QTEST_MAIN(TestOutlierTable)
#include "tst_outliertable.moc"
