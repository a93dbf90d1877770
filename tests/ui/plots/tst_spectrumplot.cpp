// The labels of the spectrum-of-S strip (thresholds, multiplicities, the bulk) stay inside the
// plot area and never on top of one another, and a threshold's label crosses no other threshold
// line: near the right edge it flips to the left of its line (review M1.3, M2).
#include "support/test_session.h"
#include "ui/jobs/frames.h"
#include "ui/plots/spectrumplot.h"
#include "ui/widgets/theme.h"

#include "core/io/session.h"
#include "core/model/families.h"

#include <QtTest>

#include <memory>

using namespace ws;

namespace {

std::shared_ptr<const ui::TheoryFrame> frame(int n, const char* bulk, const char* spikes,
                                             double alpha = -1.0)
{
    core::Session s = testsupport::makeSession(n, 1.0, "gaussian", bulk, spikes, 1);
    if (alpha >= 0.0)
        s.model.rank = core::RankRule{false, alpha, 1};
    core::validate(s.model);
    return std::make_shared<ui::TheoryFrame>(ui::makeTheoryFrame(s, 1));
}

// The review's cases: the large-rank threshold near the right end (gap), just below sigma among
// 178 stems (growing rank), the thresholds on one line (rank one), a bulk between the sigma
// lines (complex), the full-rank preset and S = 3 I.
constexpr int kCases = 6;
const char* const kNames[kCases] = {"gap",     "growing rank", "rank one",
                                    "complex", "full rank",    "alpha 1"};

std::shared_ptr<const ui::TheoryFrame> theoryCase(int i)
{
    switch (i) {
    case 0:
        return frame(1000, "twopoint:-3,3,0.5", "list:0.3,3");
    case 1:
        return frame(1000, "zero", "linear:1.5,4", 0.75);
    case 2:
        return frame(1000, "zero", "equal:2");
    case 3:
        return frame(800, "uniform:-1,1", "linear:1.5,4", 0.5);
    case 4:
        return frame(1000, "uniform:-2,2", "list:5,3,1.8,-3.5");
    default:
        return frame(1000, "zero", "equal:3", 1.0);
    }
}

// The strip as the main window shows it: in this style and size (any height, also below its
// size hint), with this theory, over the main plot's x range.
void showTheory(ui::SpectrumPlot& plot, const std::shared_ptr<const ui::TheoryFrame>& theory,
                bool presentation, QSize size)
{
    plot.setPlotStyle(ui::Style::make(false, presentation));
    plot.setMinimumSize(0, 0);
    plot.resize(size);
    plot.show();
    plot.setTheory(theory);
    plot.xAxis->setRange(theory->viewLo, theory->viewHi); // as the main plot would
}

QRectF rectOf(QCPItemText* t)
{
    return QRectF(t->topLeft->pixelPosition(), t->bottomRight->pixelPosition());
}

} // namespace

class TestSpectrumPlot : public QObject
{
    Q_OBJECT
private slots:
    void labelsInsideAndApart_data();
    void labelsInsideAndApart();
    void discreteBulkOneBarPerValue();
    void bulkLabelDroppedRatherThanCovering_data();
    void bulkLabelDroppedRatherThanCovering();
};

void TestSpectrumPlot::labelsInsideAndApart_data()
{
    QTest::addColumn<int>("which");
    QTest::addColumn<bool>("presentation");
    for (int i = 0; i < kCases; ++i)
        for (bool presentation : {false, true})
            QTest::newRow(qPrintable(
                QString("%1, %2").arg(kNames[i], presentation ? "presentation" : "normal")))
                << i << presentation;
}

void TestSpectrumPlot::labelsInsideAndApart()
{
    QFETCH(int, which);
    QFETCH(bool, presentation);
    const auto theory = theoryCase(which);
    ui::SpectrumPlot plot;
    showTheory(plot, theory, presentation, QSize(950, presentation ? 150 : 130));
    for (int width : {950, 700}) {
        plot.resize(width, plot.height());
        plot.replot(QCustomPlot::rpImmediateRefresh);
        const QRectF area = plot.axisRect()->rect();
        QList<QRectF> shown;
        for (QCPItemText* t : plot.labels()) {
            const bool threshold = t->text().contains("σ") || t->text().contains("threshold");
            if (!t->visible()) {
                QVERIFY2(!threshold, qPrintable("hidden: " + t->text()));
                continue;
            }
            const QRectF r = rectOf(t);
            QVERIFY2(area.adjusted(-1, -1, 1, 1).contains(r),
                     qPrintable(
                         QString("%1 at width %2 leaves the plot area").arg(t->text()).arg(width)));
            for (const QRectF& o : shown)
                QVERIFY2(!o.intersects(r), qPrintable(t->text() + " overlaps another label"));
            shown << r;
            // At the width of the strip in a 1280 x 720 window, a threshold's label crosses no
            // line but the one it sits beside. (Narrower or with bigger fonts it may have to:
            // dense stems on one side, a line on the other; so may a bulk's label between the
            // sigma lines.)
            if (presentation || width < 950)
                continue;
            for (double x : plot.thresholds()) {
                const double px = plot.xAxis->coordToPixel(x);
                const bool beside = std::abs(r.left() - px) < 6 || std::abs(r.right() - px) < 6;
                QVERIFY2(!threshold || beside || px < r.left() || px > r.right(),
                         qPrintable(QString("%1 crosses the line at %2").arg(t->text()).arg(x)));
            }
        }
        QVERIFY(!shown.isEmpty());
    }
}

// A bulk of a few distinct values is drawn as a bar at each value, tallest for the most frequent,
// not as bins over its range (list:-1,0,5 at N = 100 drew bands over [-1, 0.2] and [3.8, 5]).
// A bulk of many values keeps its bins.
void TestSpectrumPlot::discreteBulkOneBarPerValue()
{
    ui::SpectrumPlot plot;
    plot.setTheory(frame(100, "list:-1,0,0,5", "list:3"));
    QCPBars* bars = plot.bulkBars();
    QCOMPARE(bars->data()->size(), 3);
    const double keys[] = {-1.0, 0.0, 5.0};
    for (int i = 0; i < 3; ++i)
        QCOMPARE(bars->data()->at(i)->key, keys[i]);
    // 99 values from the quantiles of -1, 0, 0, 5: about 25, 50, 25.
    QCOMPARE(bars->data()->at(1)->value, 0.6);
    QVERIFY(bars->data()->at(0)->value < 0.4 && bars->data()->at(2)->value < 0.4);
    QVERIFY(bars->width() < 0.1);

    plot.setTheory(frame(1000, "twopoint:-3,3,0.25", "list:4"));
    QCOMPARE(bars->data()->size(), 2);
    QCOMPARE(bars->data()->at(0)->key, -3.0);
    QCOMPARE(bars->data()->at(1)->key, 3.0);
    QVERIFY(bars->data()->at(0)->value < bars->data()->at(1)->value);

    plot.setTheory(frame(1000, "uniform:-1,1", "list:4"));
    QVERIFY(static_cast<std::size_t>(bars->data()->size()) > ui::TheoryFrame::kMaxBulkAtoms);
}

// The bulk's label (the axis title names the bulk too) is hidden rather than drawn over the bulk's
// bars or over a threshold line and a stem's top together: in a strip one text line high (1280 x
// 720, presenting) the full-rank preset's "bulk of S" sat across the line at -2.2 and the spike at
// -3.5. In a strip of the usual height it is shown.
void TestSpectrumPlot::bulkLabelDroppedRatherThanCovering_data()
{
    QTest::addColumn<int>("which");
    QTest::addColumn<int>("height");
    for (int i = 0; i < kCases; ++i)
        for (int height : {60, 100, 115, 150}) // plot areas of none, 1, 1.5 and 3 text lines
            QTest::newRow(qPrintable(QString("%1, %2 px").arg(kNames[i]).arg(height)))
                << i << height;
}

void TestSpectrumPlot::bulkLabelDroppedRatherThanCovering()
{
    QFETCH(int, which);
    QFETCH(int, height);
    const auto theory = theoryCase(which);
    ui::SpectrumPlot plot;
    showTheory(plot, theory, true, QSize(1100, height));
    plot.replot(QCustomPlot::rpImmediateRefresh);
    QCPItemText* bulk = nullptr;
    for (QCPItemText* t : plot.labels())
        if (t->text().startsWith("bulk"))
            bulk = t;
    if (!bulk)
        QSKIP("no bulk in this case");
    if (height >= 150 && which == 4) // the full-rank preset at the usual height
        QVERIFY(bulk->visible());
    const QRectF area = plot.axisRect()->rect();
    if (area.height() <= 0) // no room at all: no label
        for (QCPItemText* t : plot.labels())
            QVERIFY2(!t->visible(), qPrintable(t->text()));
    if (!bulk->visible())
        return;
    const QRectF r = rectOf(bulk);
    QCPBars* bars = plot.bulkBars();
    const double half = 0.5 * bars->width();
    for (auto it = bars->data()->constBegin(); it != bars->data()->constEnd(); ++it) {
        const double a = plot.xAxis->coordToPixel(it->key - half);
        const double b = plot.xAxis->coordToPixel(it->key + half);
        const QRectF bar(QPointF(std::min(a, b), plot.yAxis->coordToPixel(it->value)),
                         QPointF(std::max(a, b), area.bottom()));
        QVERIFY2(it->value <= 0.0 || !bar.intersects(r),
                 qPrintable(QString("over the bar at %1").arg(it->key)));
    }
    bool line = false, stem = false;
    for (double x : plot.thresholds()) {
        const double px = plot.xAxis->coordToPixel(x);
        line = line || (px > r.left() && px < r.right());
    }
    const double stemTop = plot.yAxis->coordToPixel(1.0);
    for (double x : theory->spikes) {
        const double px = plot.xAxis->coordToPixel(x);
        stem = stem || (px > r.left() && px < r.right() && r.bottom() > stemTop);
    }
    QVERIFY2(!(line && stem), qPrintable(bulk->text() + " crosses a line and a stem"));
}

QTEST_MAIN(TestSpectrumPlot)
#include "tst_spectrumplot.moc"
