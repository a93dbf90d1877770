// The main plot draws every support interval of mu_N (bulk and outlier clusters apart, with their
// predicted and observed counts, labels never on top of each other), the predicted sd of each
// outlier as a band where the core vouches for a Gaussian one, and a note where the theory does not
// hold (docs/model.md#support-intervals, #fluctuations, #validity). Frames are built from the core
// directly (makeTheoryFrame, observeOutliers), so no job runs here.
#include "support/test_session.h"
#include "ui/jobs/frames.h"
#include "ui/plots/mainplot.h"
#include "ui/widgets/theme.h"

#include "core/io/session.h"
#include "core/model/families.h"
#include "core/outliers/outliers.h"
#include "core/sampling/runner.h"

#include <QtTest>

#include <cmath>
#include <memory>

using namespace ws;

namespace {

core::Session session(int n, double sigma, const char* noise, const char* bulk, const char* spikes,
                      int samples)
{
    core::Session s = testsupport::makeSession(n, sigma, noise, bulk, spikes, samples);
    core::validate(s.model);
    return s;
}

// The sample frame the sampling job would post at the end of a run of `t`.
std::shared_ptr<const ui::SampleFrame> sampleFrame(const ui::TheoryFrame& t, int samples = 0)
{
    core::RunOptions opt;
    opt.samples = samples > 0 ? samples : t.session.samples;
    opt.seed = t.session.seed;
    const auto run = core::runSamples(t.session.model, opt);
    const auto obs = core::observeOutliers(t.theory, run.eigenvalues);
    auto f = std::make_shared<ui::SampleFrame>();
    f->generation = t.generation;
    f->histogram = core::makeHistogram(t.histLo, t.histHi, t.bins);
    for (const auto& e : run.eigenvalues)
        f->histogram.add(e);
    f->done = f->total = opt.samples;
    f->observed = obs.spikes;
    f->observedIntervals = obs.intervals;
    f->meanOutlierCount = obs.meanOutliers;
    f->meanUnexplained = obs.meanUnexplained;
    f->unexplained = obs.unexplained;
    f->finished = true;
    return f;
}

// The pixel rectangles of the visible interval labels.
std::vector<QRectF> labelRects(const ui::MainPlot& plot)
{
    std::vector<QRectF> rects;
    for (const auto& s : plot.intervals().shades())
        if (s.label && s.label->visible())
            rects.emplace_back(s.label->topLeft->pixelPosition(),
                               s.label->bottomRight->pixelPosition());
    return rects;
}

bool anyOverlap(const std::vector<QRectF>& r)
{
    for (std::size_t i = 0; i < r.size(); ++i)
        for (std::size_t j = i + 1; j < r.size(); ++j)
            if (r[i].intersects(r[j]))
                return true;
    return false;
}

QStringList legendNames(const QCustomPlot& p)
{
    QStringList names;
    for (int i = 0; i < p.legend->itemCount(); ++i)
        if (auto* item = qobject_cast<QCPPlottableLegendItem*>(p.legend->item(i)))
            names << item->plottable()->name();
    return names;
}

} // namespace

class TestMainPlot : public QObject
{
    Q_OBJECT
private slots:
    void gapSpikeShadesThreeIntervals();
    void labelsDoNotOverlap();
    void sdBandOfAnIsolatedSpike();
    void noBandWhereTheTheoryDoesNotHold();
    void markersClearOfTheCountLabels();
    void yRangeFitsWhatIsDrawn();
    void legendTakesFewestRowsThatFit();
};

// The two-lump model with a spike in the gap: three shaded intervals (bulk, cluster, bulk), each
// labelled with its predicted count and, after the samples, the observed one; the gap outlier is
// marked like the others.
void TestMainPlot::gapSpikeShadesThreeIntervals()
{
    auto t = std::make_shared<ui::TheoryFrame>(
        ui::makeTheoryFrame(session(1000, 0.5, "gaussian", "twopoint:-2,2,0.5", "list:0.5", 4), 1));
    ui::MainPlot plot;
    plot.resize(1280, 600);
    plot.show();
    plot.setTheory(t);
    const auto& shades = plot.intervals().shades();
    QCOMPARE(shades.size(), std::size_t(3));
    QVERIFY(shades[0].kind == core::IntervalKind::Bulk);
    QVERIFY(shades[1].kind == core::IntervalKind::Cluster);
    QVERIFY(shades[2].kind == core::IntervalKind::Bulk);
    const auto& support = t->theory.equivalent.support;
    for (std::size_t k = 0; k < 3; ++k) {
        QCOMPARE(shades[k].rect->topLeft->coords().x(), support[k].a);
        QCOMPARE(shades[k].rect->bottomRight->coords().x(), support[k].b);
        QCOMPARE(shades[k].label->text(), QString::number(support[k].count));
    }
    QCOMPARE(support[1].count, 1);
    // Two styles: the cluster's brush differs from the bulks'.
    QVERIFY(shades[1].rect->brush() != shades[0].rect->brush());
    QCOMPARE(shades[0].rect->brush(), shades[2].rect->brush());
    // The legend names several intervals, both kinds, and no "main bulk".
    const QStringList names = legendNames(plot);
    QVERIFY2(names.filter("main", Qt::CaseInsensitive).isEmpty(), qPrintable(names.join('|')));
    QVERIFY(!names.filter("bulk intervals").isEmpty());
    QVERIFY(!names.filter("outlier-cluster intervals").isEmpty());

    const auto f = sampleFrame(*t);
    plot.setSamples(f);
    // Observed counts in the labels; exactly one outlier per sample in the gap.
    QCOMPARE(f->observedIntervals[1].meanCount, 1.0);
    QCOMPARE(shades[1].label->text(), QString("1 / 1"));
    for (std::size_t k : {std::size_t(0), std::size_t(2)}) {
        QVERIFY(shades[k].label->text().startsWith(QString::number(support[k].count) + " / "));
        QVERIFY(std::abs(f->observedIntervals[k].meanCount - support[k].count) <= 3.0);
    }
    // The gap outlier is marked: one observed marker, inside the cluster's claim.
    QCOMPARE(plot.observedMarkers()->dataCount(), 1);
    const double x = plot.observedMarkers()->data()->at(0)->key;
    QVERIFY(x >= support[1].claimLo && x <= support[1].claimHi);
    QVERIFY(std::abs(x - 0.4666) < 0.02);
}

// At any width, the visible labels never overlap one another; zoomed out so that the three
// intervals crowd, some labels hide rather than overlap.
void TestMainPlot::labelsDoNotOverlap()
{
    auto t = std::make_shared<ui::TheoryFrame>(ui::makeTheoryFrame(
        session(1000, 0.5, "gaussian", "twopoint:-2,2,0.5", "list:3,0.5,-3", 2), 1));
    ui::MainPlot plot;
    plot.show();
    plot.setTheory(t);
    plot.setSamples(sampleFrame(*t));
    QCOMPARE(plot.intervals().shades().size(), std::size_t(5));
    for (int w : {1920, 1280, 700, 420}) {
        plot.resize(w, 500);
        plot.replot(QCustomPlot::rpImmediateRefresh);
        const auto rects = labelRects(plot);
        QVERIFY2(!anyOverlap(rects), qPrintable(QString("width %1").arg(w)));
        QVERIFY(!rects.empty());
        for (const QRectF& r : rects)
            QVERIFY(plot.axisRect()->rect().adjusted(-1, -1, 1, 1).contains(r.toRect()));
    }
    plot.resize(1280, 500);
    plot.xAxis->setRange(-400, 400); // everything within a few pixels
    plot.replot(QCustomPlot::rpImmediateRefresh);
    const auto crowded = labelRects(plot);
    QVERIFY(!anyOverlap(crowded));
    QVERIFY(crowded.size() < 5);
}

// Rank one, Gaussian noise: the large-rank marker carries a bar of +-1 predicted sd, the core's
// (2/beta) sigma^2 (1 - sigma^2/theta^2)/N up to O(1/N).
void TestMainPlot::sdBandOfAnIsolatedSpike()
{
    auto t = std::make_shared<ui::TheoryFrame>(
        ui::makeTheoryFrame(session(500, 1.0, "gaussian", "zero", "equal:2", 2), 1));
    ui::MainPlot plot;
    plot.resize(1000, 600);
    plot.setTheory(t);
    QVERIFY(plot.theoryNote().isEmpty());
    QCPErrorBars* bands = plot.largeRankBands();
    QCOMPARE(bands->dataCount(), 1);
    const double sd = bands->data()->at(0).errorMinus;
    QCOMPARE(sd, bands->data()->at(0).errorPlus);
    QVERIFY(t->theory.outliers[0].sd);
    QCOMPARE(sd, *t->theory.outliers[0].sd);
    QVERIFY(std::abs(sd - std::sqrt(2.0 * (1.0 - 0.25) / 500)) < 0.01 * sd);
    QVERIFY(plot.largeRankMarkers()->name().contains("± 1 pred. sd"));
}

// Heavy tails (student-t, nu = 3) and basis eigenvectors with non-Gaussian noise: no band, and a
// note under the title says why.
void TestMainPlot::noBandWhereTheTheoryDoesNotHold()
{
    for (const char* noise : {"student-t:3", "rademacher"}) {
        auto t = std::make_shared<ui::TheoryFrame>(
            ui::makeTheoryFrame(session(400, 1.0, noise, "zero", "equal:3", 2), 1));
        ui::MainPlot plot;
        plot.resize(1000, 600);
        plot.setTheory(t);
        QVERIFY2(!plot.theoryNote().isEmpty(), noise);
        const bool heavy = QByteArray(noise).startsWith("student");
        QCOMPARE(t->theory.heavyTails, heavy);
        QVERIFY(heavy || t->theory.nonGaussian); // rademacher noise, basis eigenvectors
        QVERIFY(plot.theoryNote().contains(heavy ? "Heavy-tailed" : "Non-Gaussian"));
        QCOMPARE(plot.largeRankMarkers()->dataCount(), 1);
        for (int i = 0; i < plot.largeRankBands()->dataCount(); ++i)
            QCOMPARE(plot.largeRankBands()->data()->at(i).errorPlus, 0.0);
        // The note is a row of the layout, under the title: it never covers data.
        auto* note = qobject_cast<QCPTextElement*>(plot.plotLayout()->element(1, 0));
        QVERIFY(note);
        QCOMPARE(note->text().replace('\n', ' '), plot.theoryNote());
        // A model where the theory holds removes it again.
        plot.setTheory(std::make_shared<ui::TheoryFrame>(
            ui::makeTheoryFrame(session(400, 1.0, "gaussian", "zero", "equal:3", 2), 2)));
        QVERIFY(plot.theoryNote().isEmpty());
        QVERIFY(!qobject_cast<QCPTextElement*>(plot.plotLayout()->element(1, 0)));
    }
}

// S = 3 I (alpha = 1): the cluster is the whole spectrum, its density reaches the top of the
// theory's range, and its count label sits over the markers. The view makes room: every marker
// stays below the label, at any height (review M1.2).
void TestMainPlot::markersClearOfTheCountLabels()
{
    core::Session s = session(300, 1.0, "gaussian", "zero", "equal:3", 2);
    s.model.rank = core::RankRule{false, 1.0, 1};
    auto t = std::make_shared<ui::TheoryFrame>(ui::makeTheoryFrame(s, 1));
    ui::MainPlot plot;
    plot.show();
    plot.setTheory(t);
    plot.setSamples(sampleFrame(*t));
    for (int h : {700, 450, 330}) {
        plot.resize(1000, h);
        plot.replot(QCustomPlot::rpImmediateRefresh);
        plot.replot(QCustomPlot::rpImmediateRefresh); // the view the first layout asked for
        const auto labels = labelRects(plot);
        QCOMPARE(labels.size(), std::size_t(1));
        const double half = 0.5 * plot.finiteRankMarkers()->scatterStyle().size();
        for (QCPGraph* g :
             {plot.finiteRankMarkers(), plot.largeRankMarkers(), plot.observedMarkers()}) {
            QCOMPARE(g->dataCount(), 1);
            const auto d = g->data()->at(0);
            const QRectF marker(plot.xAxis->coordToPixel(d->key) - half,
                                plot.yAxis->coordToPixel(d->value) - half, 2 * half, 2 * half);
            QVERIFY2(!marker.intersects(labels.front()),
                     qPrintable(QString("%1 at height %2").arg(g->name()).arg(h)));
            QVERIFY(plot.axisRect()->rect().contains(marker.center().toPoint()));
        }
    }
}

// N = 2: the y range fits the histogram and the densities drawn at the end of a run (review L7:
// it ran to 4 while both stayed under 0.3, kept from the run's first frame, one sample's two
// eigenvalues).
void TestMainPlot::yRangeFitsWhatIsDrawn()
{
    auto t = std::make_shared<ui::TheoryFrame>(
        ui::makeTheoryFrame(session(2, 1.0, "gaussian", "zero", "equal:3", 200), 1));
    ui::MainPlot plot;
    plot.resize(1000, 600);
    plot.show();
    plot.setTheory(t);
    plot.setSamples(sampleFrame(*t, 1));
    plot.replot(QCustomPlot::rpImmediateRefresh);
    QVERIFY(plot.yAxis->range().upper > 1.0); // the first frame's tall bars are shown
    plot.setSamples(sampleFrame(*t));
    plot.replot(QCustomPlot::rpImmediateRefresh);
    double drawn = t->densityMax;
    for (auto it = plot.histogramBars()->data()->constBegin();
         it != plot.histogramBars()->data()->constEnd(); ++it)
        if (plot.xAxis->range().contains(it->key))
            drawn = std::max(drawn, it->value);
    const double top = plot.yAxis->range().upper;
    QVERIFY2(top >= drawn && top <= 1.6 * drawn,
             qPrintable(QString("y to %1 for a maximum of %2").arg(top).arg(drawn)));
}

// The legend under the plot takes as few rows as fit the plot's width: at every width it fits
// (its own minimum width, as QCustomPlot lays it out, within the plot), and one more column would
// not. Its columns are as wide as their own items: with the full set of entries a 1280 px plot at
// the presentation font gets 4 columns (2 rows), where columns as wide as the widest entry
// gave 3 (3 rows: the third took a fifth of the plot's height on a 1280 x 720 projector).
void TestMainPlot::legendTakesFewestRowsThatFit()
{
    auto t = std::make_shared<ui::TheoryFrame>(ui::makeTheoryFrame(
        session(1000, 1.0, "gaussian", "uniform:-2,2", "list:5,3,1.8,-3.5", 4), 1));
    ui::MainPlot plot;
    plot.setPlotStyle(ui::Style::make(false, true, 0.75)); // presenting at 1280 x 720
    plot.resize(1280, 600);
    plot.show();
    plot.setTheory(t);
    plot.setSamples(sampleFrame(*t));
    QCOMPARE(plot.legend->itemCount(), 8);
    auto room = [&] { return plot.width() - 24; }; // the legend row's margins, as plotparts
    auto width = [&](int columns) {
        const int kept = plot.legend->wrap();
        plot.legend->setWrap(columns);
        plot.legend->setFillOrder(QCPLegend::foColumnsFirst, true);
        const int w = plot.legend->minimumOuterSizeHint().width();
        plot.legend->setWrap(kept);
        plot.legend->setFillOrder(QCPLegend::foColumnsFirst, true);
        return w;
    };
    QCOMPARE(plot.legend->wrap(), 4);
    for (int w = 500; w <= 1700; w += 60) {
        plot.resize(w, 600);
        plot.replot(QCustomPlot::rpImmediateRefresh);
        const int columns = plot.legend->wrap();
        QVERIFY2(columns == 1 || width(columns) <= room(),
                 qPrintable(QString("%1 columns need %2 of %3 px")
                                .arg(columns)
                                .arg(width(columns))
                                .arg(room())));
        QVERIFY2(
            columns == 4 || width(columns + 1) > room(),
            qPrintable(
                QString("%1 columns at %2 px: %3 would fit").arg(columns).arg(w).arg(columns + 1)));
    }
}

QTEST_MAIN(TestMainPlot)
#include "tst_mainplot.moc"
