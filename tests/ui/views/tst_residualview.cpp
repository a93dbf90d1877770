// The "Errors" tab (ui/views/residualview.h): at a rank that grows with N (N = 1000,
// alpha = 0.75: r = 178 spikes from 1.5 to 4, seeded) the large-rank errors lie within the band
// of the sampling noise and the finite-rank errors follow a trend in theta far outside it
// (falling from +0.38 to -0.25; in magnitude growing with theta above theta ~ 3.2); at rank one
// both theories sit in the band. The view follows the main run's frames: the test drives the
// real controller and waits on its signals and the view's.
#include "support/gui_fixture.h"
#include "ui/jobs/controller.h"
#include "ui/views/residualview.h"
#include "ui/views/viewtabs.h"
#include "ui/widgets/mainwindow.h"

#include "core/model/families.h"
#include "support/plot_texts.h"

#include <QSignalSpy>
#include <QtTest>

#include <cmath>

using namespace ws;

namespace {

core::Session growingRank(int samples)
{
    core::Session s;
    s.model.n = 1000;
    s.model.sigma = 1.0;
    s.model.rank = {false, 0.75, 1};
    s.model.spikes = core::parseSpikes("linear:1.5,4");
    s.samples = samples;
    s.seed = 1;
    return s;
}

// Runs `s` on a controller feeding `view`; true once the view has the run's last frame.
bool runInto(ui::ResidualView& view, const core::Session& s)
{
    ui::Controller c;
    QObject::connect(&c, &ui::Controller::theoryReady, &view,
                     [&](quint64) { view.setTheory(c.theory()); });
    QObject::connect(&c, &ui::Controller::samplesUpdated, &view,
                     [&](quint64) { view.setSamples(c.samples()); });
    QSignalSpy updated(&view, &ui::ResidualView::updated);
    c.restart(s);
    // The view's frames, until the one with every sample (the controller's last frame comes
    // before its finished signal).
    while (updated.isEmpty() || updated.last().at(0).toInt() < s.samples)
        if (!updated.wait(300000))
            return false;
    return true;
}

} // namespace

class TestResidualView : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void largeRankWithinBandFiniteRankTrends();
    void rankOneBothWithinBand();
    void rowsNeedTheirOwnRun();
    void tabAndHelp();
};

void TestResidualView::largeRankWithinBandFiniteRankTrends()
{
    ui::ResidualView view;
    view.resize(1000, 600);
    QVERIFY(runInto(view, growingRank(10)));
    const auto& rows = view.rows();
    QCOMPARE(static_cast<int>(rows.size()), 178); // distinct spikes: one row each
    // Large rank: the errors are sampling noise, >= 90% within 3 sd of the observed mean.
    const ui::BandCount large = ui::countWithinBand(rows, true);
    QVERIFY2(large.total >= 170, qPrintable(QString::number(large.total)));
    QVERIFY2(large.within >= 0.9 * large.total,
             qPrintable(QString("%1 of %2").arg(large.within).arg(large.total)));
    // Finite rank: the errors are the theory's, almost all outside the band ...
    const ui::BandCount finite = ui::countWithinBand(rows, false);
    QVERIFY2(finite.within <= 0.1 * finite.total,
             qPrintable(QString("%1 of %2").arg(finite.within).arg(finite.total)));
    // ... and they follow theta, not the noise: theta + sigma^2/theta squeezes the cluster of
    // outliers (it maps [1.5, 4] onto [2.17, 4.25]; the observed cluster spans [1.78, 4.5]), so
    // the error falls steadily with theta, from about +0.38 at the bottom spike through 0 near
    // theta = 3.2 to about -0.25 at the top one. The means over thirds of the spikes fall by
    // far more than the band.
    const std::size_t third = rows.size() / 3;
    double mean[3] = {0.0, 0.0, 0.0}, band = 0.0;
    for (std::size_t i = 0; i < 3 * third; ++i) {
        mean[i / third] += rows[i].finiteError / static_cast<double>(third);
        band = std::max(band, rows[i].band);
    }
    QVERIFY2(
        mean[0] - mean[1] > 3.0 * band && mean[1] - mean[2] > 3.0 * band,
        qPrintable(QString("%1 %2 %3, band %4").arg(mean[0]).arg(mean[1]).arg(mean[2]).arg(band)));
    QVERIFY(rows.front().finiteError > 0.3);
    QVERIFY(rows.back().finiteError < -0.2);
    // Above the crossing the finite-rank error's magnitude grows with theta.
    std::vector<double> upper;
    for (const auto& r : rows)
        if (r.theta > 3.4)
            upper.push_back(std::abs(r.finiteError));
    QVERIFY(upper.size() > 20);
    const std::size_t h = upper.size() / 2;
    double lowerHalf = 0.0, upperHalf = 0.0;
    for (std::size_t i = 0; i < h; ++i) {
        lowerHalf += upper[i];
        upperHalf += upper[upper.size() - 1 - i];
    }
    QVERIFY2(upperHalf > 1.5 * lowerHalf,
             qPrintable(QString("%1 %2").arg(upperHalf).arg(lowerHalf)));
    // Where theory gives no per-spike sd (spikes sharing a cluster) the band is the observed sd.
    for (const auto& r : rows)
        QVERIFY(std::isfinite(r.band) && r.band > 0.0);
    // Both theories are drawn, one marker per row.
    QCOMPARE(view.largeGraph()->dataCount(), large.total);
    QCOMPARE(view.finiteGraph()->dataCount(), finite.total);
    QVERIFY(view.summaryText().contains(
        QString("large-rank %1 of %2").arg(large.within).arg(large.total)));
}

void TestResidualView::rankOneBothWithinBand()
{
    // One spike theta = 3 alone: both predictions are within the band of the mean, whose sd is
    // theory's (an isolated outlier).
    core::Session s = test::spikedSession(500, "equal:3", 40, 3);
    ui::ResidualView view;
    QVERIFY(runInto(view, s));
    QCOMPARE(view.rows().size(), std::size_t{1});
    const ui::ResidualRow& r = view.rows().front();
    QVERIFY(r.predictedSd);
    QVERIFY2(std::abs(r.largeError) <= r.band, qPrintable(QString::number(r.largeError)));
    QVERIFY2(std::abs(r.finiteError) <= r.band, qPrintable(QString::number(r.finiteError)));
}

void TestResidualView::rowsNeedTheirOwnRun()
{
    // A frame of another run (generation) is ignored; a new theory clears the rows.
    ui::ResidualView view;
    QVERIFY(runInto(view, growingRank(2)));
    QVERIFY(!view.rows().empty());
    auto theory = std::make_shared<ui::TheoryFrame>(ui::makeTheoryFrame(growingRank(2), 999));
    view.setTheory(theory);
    QVERIFY(view.rows().empty());
    auto other = std::make_shared<ui::SampleFrame>();
    other->generation = 998;
    QSignalSpy updated(&view, &ui::ResidualView::updated);
    view.setSamples(other);
    QVERIFY(updated.isEmpty() && view.rows().empty());
    QVERIFY(ui::residualRows(*theory, *other).empty());
}

void TestResidualView::tabAndHelp()
{
    // A tab of the main window that follows the main run; its page of help exists.
    ui::MainWindow w(ui::MainWindow::Options{false, false});
    w.resize(1280, 656);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.viewTabs()->selectTab("residuals"));
    QCOMPARE(w.viewTabs()->currentKey(), QString("residuals"));
    QSignalSpy updated(w.viewTabs()->residualView(), &ui::ResidualView::updated);
    w.applySession(growingRank(2));
    QTRY_VERIFY_WITH_TIMEOUT(!updated.isEmpty() && updated.last().at(0).toInt() == 2, 300000);
    QVERIFY(!w.viewTabs()->residualView()->rows().empty());
    // Nothing overlaps or is cut off at 1280 x 720.
    ui::ResidualView* v = w.viewTabs()->residualView();
    v->plot()->replot();
    v->plot()->replot();
    const QStringList problems = test::textProblems(v->plot());
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
    QVERIFY(QFile::exists(":/help/residuals.html"));
}

QTEST_MAIN(TestResidualView)
#include "tst_residualview.moc"
