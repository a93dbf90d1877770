// The outlier window (core/outliers/window.h): its scaling in N and sigma, and that it separates
// the bulk's largest eigenvalue from an outlier in simulation.
#include "core/model/families.h"
#include "core/outliers/window.h"
#include "core/rectangular/rectangular.h"
#include "core/sampling/runner.h"
#include "core/theory/theory.h"

#include <QtTest>

#include <cmath>
#include <stdexcept>

using namespace ws::core;

class TestWindow : public QObject
{
    Q_OBJECT
private slots:
    void shrinksAsNToTheMinusTwoThirds();
    void scalesWithSigmaAndShape();
    void widenedMainBulkIsTheTheoryWidened();
    void rectangularEdgeMarginIsTheEdgeWindow();
    void badSizeIsRefused();
    void separatesTheBulkEdgeFromAnOutlier();
};

void TestWindow::shrinksAsNToTheMinusTwoThirds()
{
    // 8x the size: 8^(-2/3) = 1/4 of the window.
    for (int n : {10, 125, 1000, 64000}) {
        const double ratio = outlierWindow(1.0, 8 * n) / outlierWindow(1.0, n);
        QVERIFY2(std::abs(ratio - 0.25) < 1e-14, qPrintable(QString::number(ratio, 'g', 17)));
    }
    QCOMPARE(outlierWindow(1.0, 1), 3.0);
    QVERIFY(std::abs(outlierWindow(1.0, 1000) - 0.03) < 1e-16);
}

void TestWindow::scalesWithSigmaAndShape()
{
    QCOMPARE(outlierWindow(2.0, 500), 2.0 * outlierWindow(1.0, 500)); // exact: powers of 2
    QCOMPARE(outlierWindow(0.7, 500), edgeWindow(0.7, 500));
    QCOMPARE(edgeWindow(1.0, 500, 0.5), 0.5 * edgeWindow(1.0, 500));
    // The documented evaluation: 3 * scale * shape * N^(-2/3), exactly.
    const double scale = 0.35, shape = 1.17;
    QCOMPARE(edgeWindow(scale, 300, shape), 3.0 * scale * shape * std::pow(300.0, -2.0 / 3.0));
}

void TestWindow::widenedMainBulkIsTheTheoryWidened()
{
    Theory th;
    th.mainBulkLo = -1.5;
    th.mainBulkHi = 2.5;
    const WidenedBulk w = widenedMainBulk(th, 0.5, 1000);
    QCOMPARE(w.lo, -1.5 - 0.5 * 3.0 * std::pow(1000.0, -2.0 / 3.0));
    QCOMPARE(w.hi, 2.5 + 0.5 * 3.0 * std::pow(1000.0, -2.0 / 3.0));
    QVERIFY(w.lo < th.mainBulkLo && w.hi > th.mainBulkHi);
}

void TestWindow::rectangularEdgeMarginIsTheEdgeWindow()
{
    // Johnstone's scale (sigma/2) (1 + c^(-1/2))^(1/3) N^(-2/3), three widths of it.
    RectModel m;
    m.n = 300;
    m.m = 600;
    m.sigma = 1.3;
    m.spikes = parseSpikes("equal:3");
    const RectTheory th = computeRectTheory(m, 100);
    QCOMPARE(th.edgeMargin, edgeWindow(0.5 * m.sigma, m.n, std::cbrt(1.0 + 1.0 / std::sqrt(2.0))));
    QVERIFY(std::abs(th.edgeMargin - 3.0 * 0.65 * std::cbrt(1.0 + std::sqrt(0.5)) *
                                         std::pow(300.0, -2.0 / 3.0)) < 1e-15);
}

void TestWindow::badSizeIsRefused()
{
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, outlierWindow(1.0, 0));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, edgeWindow(1.0, -3));
}

// GOE with a subcritical spike (no outlier): the largest eigenvalue stays inside the window in
// nearly every sample (it exceeds the semicircle's edge by TW1 N^(-2/3), P(TW1 > 3) < 1%). With a
// spike theta = 3 the top eigenvalue (near 3 + 1/3) is outside it in every sample.
void TestWindow::separatesTheBulkEdgeFromAnOutlier()
{
    Model m;
    m.n = 400;
    m.spikes = parseSpikes("equal:0.5");
    RunOptions opt;
    opt.samples = 300;
    opt.seed = 11;
    const Theory quiet = computeTheory(m, 100);
    const WidenedBulk edge = widenedMainBulk(quiet, m.sigma, m.n);
    const RunResult pure = runSamples(m, opt);
    int outside = 0, aboveEdge = 0;
    for (const auto& ev : pure.eigenvalues) {
        outside += ev.back() > edge.hi || ev.front() < edge.lo ? 1 : 0;
        aboveEdge += ev.back() > quiet.mainBulkHi ? 1 : 0;
    }
    // Without the window a sizeable share of samples would show a spurious outlier (P(TW1 > 0)
    // is about 17%, both edges: about 30%).
    QVERIFY2(aboveEdge > 20, qPrintable(QString::number(aboveEdge)));
    QVERIFY2(outside <= 6, qPrintable(QString::number(outside)));

    m.spikes = parseSpikes("equal:3");
    const Theory spiked = computeTheory(m, 100);
    const WidenedBulk edge3 = widenedMainBulk(spiked, m.sigma, m.n);
    const RunResult withOutlier = runSamples(m, opt);
    for (const auto& ev : withOutlier.eigenvalues)
        QVERIFY(ev.back() > edge3.hi);
}

QTEST_APPLESS_MAIN(TestWindow)
#include "tst_window.moc"
