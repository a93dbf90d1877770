#include "ui/views/residualview.h"

#include "ui/plots/modelwords.h"
#include "ui/plots/plotparts.h"

#include "core/model/families.h"

#include <QEvent>
#include <QLabel>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace ws::ui {

using namespace plotparts;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Below this many points the band is drawn as a bar at each point (a filled area needs a few).
constexpr int kFewPoints = 8;
} // namespace

std::vector<ResidualRow> residualRows(const TheoryFrame& theory, const SampleFrame& samples)
{
    std::vector<ResidualRow> rows;
    const auto& preds = theory.theory.outliers;
    if (samples.generation != theory.generation || samples.observed.size() != preds.size())
        return rows;
    for (const SpikeGroup& g : theory.groups) {
        const core::OutlierPrediction& p = preds[g.first];
        const core::ObservedOutlier& o = samples.observed[g.first];
        ResidualRow row;
        row.theta = p.theta;
        row.groupSize = static_cast<int>(g.size);
        const double mean = o.mean.value_or(kNaN);
        row.finiteError = p.finiteRank ? *p.finiteRank - mean : kNaN;
        row.largeError = p.largeRank && !p.absorbed ? *p.largeRank - mean : kNaN;
        // The sd of one sample's value (of the group's mean), predicted where theory gives one.
        double sd = kNaN;
        if (p.sd) {
            sd = *p.sd;
            row.predictedSd = true;
        } else if (o.sd) {
            sd = *o.sd;
        }
        row.band = o.samplesPresent > 0 ? kBandSds * sd / std::sqrt(o.samplesPresent) : kNaN;
        rows.push_back(row);
    }
    std::sort(rows.begin(), rows.end(),
              [](const ResidualRow& a, const ResidualRow& b) { return a.theta < b.theta; });
    return rows;
}

BandCount countWithinBand(const std::vector<ResidualRow>& rows, bool largeRank)
{
    BandCount c;
    for (const ResidualRow& r : rows) {
        const double e = largeRank ? r.largeError : r.finiteError;
        if (std::isnan(e) || std::isnan(r.band))
            continue;
        ++c.total;
        if (std::abs(e) <= r.band)
            ++c.within;
    }
    return c;
}

QString ResidualView::title()
{
    // Short: eight tabs share the bar of a 1280-pixel projector in presentation mode.
    return tr("Errors");
}

QString ResidualView::tabToolTip()
{
    return tr("Predicted minus observed position of each outlier, for the finite-rank and the "
              "large-rank theory, with the band of the fluctuations.");
}

ResidualView::ResidualView(QWidget* parent)
    : QWidget(parent), m_plot(new QCustomPlot), m_summary(new QLabel)
{
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(4, 4, 4, 4);
    column->addWidget(m_plot, 1);
    column->addWidget(m_summary);
    m_summary->setWordWrap(true);
    m_summary->setObjectName("residualSummary");
    m_plot->setMinimumSize(360, 220);
    m_title = setUpSpectrumPlot(m_plot);
    m_plot->xAxis->setLabel(tr("spike θ"));
    // Short, so that a projector's large font does not elide it; the title says what it is.
    m_plot->yAxis->setLabel(tr("error"));
    // The band: two graphs on the shade layer, the upper one filled down to the lower one.
    m_bandLo = m_plot->addGraph();
    m_bandHi = m_plot->addGraph();
    m_bandHi->setChannelFillGraph(m_bandLo);
    m_bandHi->setName(tr("±3 sd of the observed mean"));
    m_bandLo->removeFromLegend();
    for (QCPGraph* g : {m_bandLo, m_bandHi})
        g->setLayer("shade");
    m_finite = addNamedGraph(m_plot, tr("finite-rank θ + σ²/θ"), QCPGraph::lsNone);
    m_large = addNamedGraph(m_plot, tr("large-rank (subordination)"), QCPGraph::lsNone);
    // The zoom: the same theta axis (named under it), the large-rank errors and the band at the
    // band's scale.
    m_zoom = addLowerPanel(m_plot);
    // Its background under the band's "shade" layer, as the first panel's is.
    m_zoom->setLayer(m_plot->axisRect()->layer());
    QCPAxis* zx = m_zoom->axis(QCPAxis::atBottom);
    QCPAxis* zy = m_zoom->axis(QCPAxis::atLeft);
    zy->setLabel(tr("zoomed"));
    m_zoomBandLo = m_plot->addGraph(zx, zy);
    m_zoomBandHi = m_plot->addGraph(zx, zy);
    m_zoomBandHi->setChannelFillGraph(m_zoomBandLo);
    m_zoomLarge = m_plot->addGraph(zx, zy);
    for (QCPGraph* g : {m_zoomBandLo, m_zoomBandHi, m_zoomLarge})
        g->removeFromLegend();
    for (QCPGraph* g : {m_zoomBandLo, m_zoomBandHi})
        g->setLayer("shade");
    m_plot->plotLayout()->setRowStretchFactor(1, 1.4);
    m_plot->plotLayout()->setRowStretchFactor(2, 1.0);
    for (QCPAxisRect* rect : {m_plot->axisRect(), m_zoom}) {
        auto* zero = new QCPItemStraightLine(m_plot);
        zero->setClipAxisRect(rect);
        for (QCPItemPosition* pt : {zero->point1, zero->point2})
            pt->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        zero->point1->setCoords(0.0, 0.0);
        zero->point2->setCoords(1.0, 0.0);
        zero->setLayer("shade");
    }
    m_note = addCornerNote(m_plot);
    placeLegendBelow(m_plot, 3, 3);
    m_plot->installEventFilter(this);
    setPlotStyle(m_style);
}

void ResidualView::setPlotStyle(const Style& s)
{
    m_style = s;
    m_style.applyTo(m_plot);
    // Presenting, the plot gets the room; the summary's numbers stay in the normal view.
    m_summary->setVisible(!s.presentation);
    styleGraphs();
    redraw();
}

void ResidualView::styleGraphs()
{
    const Style& st = m_style;
    const QPen edge(faded(st.foreground, 110), 1.0);
    for (QCPGraph* g : {m_bandLo, m_bandHi, m_zoomBandLo, m_zoomBandHi})
        g->setPen(edge);
    for (QCPGraph* g : {m_bandHi, m_zoomBandHi})
        g->setBrush(QBrush(faded(st.foreground, st.dark ? 60 : 40)));
    const bool few = static_cast<int>(m_rows.size()) < kFewPoints;
    // Few points: a bar at each (scatter "line" markers); many: a filled band.
    for (QCPGraph* g : {m_bandLo, m_bandHi, m_zoomBandLo, m_zoomBandHi}) {
        g->setLineStyle(few ? QCPGraph::lsNone : QCPGraph::lsLine);
        g->setScatterStyle(few ? QCPScatterStyle(QCPScatterStyle::ssCrossSquare,
                                                 QPen(faded(st.observed, 160), 1.5), QBrush(),
                                                 st.markerSize() * 0.6)
                               : QCPScatterStyle(QCPScatterStyle::ssNone));
    }
    styleMarkers(m_finite, st.finiteRank, QCPScatterStyle::ssTriangleInverted, st.markerSize() - 2);
    styleMarkers(m_large, st.largeRank, QCPScatterStyle::ssDiamond, st.markerSize() - 2);
    styleMarkers(m_zoomLarge, st.largeRank, QCPScatterStyle::ssDiamond, st.markerSize() - 2);
    for (QCPGraph* g : {m_finite, m_large, m_zoomLarge})
        g->setLineStyle(QCPGraph::lsNone);
    for (int i = 0; i < m_plot->itemCount(); ++i)
        if (auto* line = qobject_cast<QCPItemStraightLine*>(m_plot->item(i)))
            line->setPen(QPen(st.foreground, 1.0, Qt::DashLine));
}

void ResidualView::setTheory(std::shared_ptr<const TheoryFrame> theory)
{
    m_theory = std::move(theory);
    m_samples.reset();
    m_rows.clear();
    redraw();
}

void ResidualView::setSamples(std::shared_ptr<const SampleFrame> samples)
{
    if (!m_theory || !samples || samples->generation != m_theory->generation)
        return;
    m_samples = std::move(samples);
    m_rows = residualRows(*m_theory, *m_samples);
    redraw();
    emit updated(m_samples->done);
}

QString ResidualView::summaryText() const
{
    const BandCount large = countWithinBand(m_rows, true);
    const BandCount finite = countWithinBand(m_rows, false);
    if (large.total + finite.total == 0)
        return tr("No outlier observed yet: the errors appear as samples arrive.");
    auto meanAbs = [this](bool largeRank) {
        double s = 0.0;
        int k = 0;
        for (const ResidualRow& r : m_rows) {
            const double e = largeRank ? r.largeError : r.finiteError;
            if (!std::isnan(e)) {
                s += std::abs(e);
                ++k;
            }
        }
        return k ? QString::number(s / k, 'g', 2) : QStringLiteral("–");
    };
    return tr("Within the band: large-rank %1 of %2 outliers, finite-rank %3 of %4. Mean |error|: "
              "large-rank %5, finite-rank %6 (samples: %7).")
        .arg(large.within)
        .arg(large.total)
        .arg(finite.within)
        .arg(finite.total)
        .arg(meanAbs(true), meanAbs(false))
        .arg(m_samples ? m_samples->done : 0);
}

void ResidualView::redraw()
{
    QVector<double> bx, bhi, blo, fx, fy, lx, ly;
    double lo = 0.0, hi = 0.0, xlo = kNaN, xhi = kNaN;
    auto extend = [&](double x, double y) {
        lo = std::min(lo, y);
        hi = std::max(hi, y);
        xlo = std::isnan(xlo) ? x : std::min(xlo, x);
        xhi = std::isnan(xhi) ? x : std::max(xhi, x);
    };
    for (const ResidualRow& r : m_rows) {
        if (!std::isnan(r.band) && (!std::isnan(r.finiteError) || !std::isnan(r.largeError))) {
            bx.push_back(r.theta);
            bhi.push_back(r.band);
            blo.push_back(-r.band);
            extend(r.theta, r.band);
            extend(r.theta, -r.band);
        }
        if (!std::isnan(r.finiteError)) {
            fx.push_back(r.theta);
            fy.push_back(r.finiteError);
            extend(r.theta, r.finiteError);
        }
        if (!std::isnan(r.largeError)) {
            lx.push_back(r.theta);
            ly.push_back(r.largeError);
            extend(r.theta, r.largeError);
        }
    }
    m_bandHi->setData(bx, bhi, true);
    m_bandLo->setData(bx, blo, true);
    m_finite->setData(fx, fy, true);
    m_large->setData(lx, ly, true);
    m_zoomBandHi->setData(bx, bhi, true);
    m_zoomBandLo->setData(bx, blo, true);
    m_zoomLarge->setData(lx, ly, true);
    // The zoom spans the widest band (and the large-rank errors, up to 3 bands): a point outside
    // the band stays visible.
    double zoom = 0.0, bandMax = 0.0;
    for (double b : bhi)
        bandMax = std::max(bandMax, b);
    for (double y : ly)
        zoom = std::max(zoom, std::min(std::abs(y), 3.0 * bandMax));
    zoom = std::max(zoom, bandMax);
    m_zoom->axis(QCPAxis::atLeft)
        ->setRange(zoom > 0 ? QCPRange(-1.15 * zoom, 1.15 * zoom) : QCPRange(-1.0, 1.0));
    styleGraphs();
    if (std::isnan(xlo)) {
        m_plot->xAxis->setRange(0.0, 1.0);
        m_plot->yAxis->setRange(-1.0, 1.0);
    } else {
        m_plot->xAxis->setRange(padded(xlo, xhi, 0.05));
        const double span = std::max(hi - lo, 1e-12);
        m_plot->yAxis->setRange(lo - 0.08 * span, hi + 0.08 * span);
    }
    m_note->setVisible(m_rows.empty() || (fx.isEmpty() && lx.isEmpty()));
    m_note->setText(!m_theory ? tr("Waiting for the model.")
                    : m_theory->theory.outliers.empty() || m_rows.empty()
                        ? tr("No outliers observed yet.")
                        : tr("No outlier predicted and observed."));
    if (m_theory) {
        const core::Model& m = m_theory->session.model;
        m_titleParts = {tr("Predicted minus observed outlier positions"),
                        words::signal(m.spikes, m.rank, m_theory->rank, m.bulk), words::size(m)};
    } else {
        m_titleParts = {tr("Predicted minus observed outlier positions")};
    }
    fitTitle(m_title, m_titleParts, m_plot->width() - 24);
    m_summary->setText(summaryText());
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

bool ResidualView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_plot && event->type() == QEvent::Resize) {
        fitTitle(m_title, m_titleParts, m_plot->width() - 24);
        fitLegendColumns(m_plot, 3);
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace ws::ui
