#include "ui/views/rectplot.h"

#include "ui/plots/densitylayers.h"
#include "ui/plots/modelwords.h"
#include "ui/plots/plotparts.h"

#include "core/model/families.h"
#include "core/rectangular/rectangular.h"

#include <algorithm>
#include <cmath>

namespace ws::ui {

namespace {

// Max of y over the curve, ignoring the first and last 3% of its x range (a hard edge at 0
// diverges there: c = 1, squared).
double curveMax(const core::Curve& c)
{
    if (c.x.empty())
        return 0.0;
    const double lo = c.x.front(), hi = c.x.back(), cut = 0.03 * (hi - lo);
    double m = 0.0;
    for (std::size_t i = 0; i < c.x.size() && i < c.y.size(); ++i)
        if (c.x[i] > lo + cut && c.x[i] < hi - cut && std::isfinite(c.y[i]))
            m = std::max(m, c.y[i]);
    return m;
}

QString fmt(double v)
{
    return QString::fromStdString(core::formatDouble(v));
}

} // namespace

RectPlot::RectPlot(QWidget* parent) : QCustomPlot(parent)
{
    m_title = plotparts::setUpSpectrumPlot(this);
    yAxis->setLabel(tr("density"));

    m_shades = std::make_unique<IntervalShades>(this);

    m_layers = plotparts::addDensityLayers(this, {{},
                                                  tr("bulk intervals, count pred. / obs."),
                                                  tr("outlier-cluster intervals"),
                                                  tr("Marchenko–Pastur (S = 0)"),
                                                  tr("finite-rank (BBP)"),
                                                  tr("large-rank")});

    m_note = plotparts::addCornerNote(this);

    plotparts::placeLegendBelow(this, 4);
    // The interval labels follow pans, zooms and resizes; the corner note stays free.
    connect(this, &QCustomPlot::afterLayout, this,
            [this] { m_shades->layoutLabels(plotparts::shownRect(m_note)); });

    connect(this, &QCustomPlot::mouseDoubleClick, this, [this] { resetView(); });
    setPlotStyle(m_style);
}

void RectPlot::resizeEvent(QResizeEvent* event)
{
    QCustomPlot::resizeEvent(event);
    plotparts::fitLegendColumns(this, 4);
    if (!m_titleParts.isEmpty())
        plotparts::fitTitle(m_title, m_titleParts, width() - 24);
}

void RectPlot::setPlotStyle(const Style& s)
{
    m_style = s;
    s.applyTo(this);
    plotparts::fitLegendColumns(this, 4);
    plotparts::styleDensityLayers(s, m_layers);
    m_shades->setStyle(s);
    plotparts::styleSupport(s, m_layers.supportSwatch, m_layers.clusterSwatch);
    QFont f = font();
    f.setPointSize(s.plotFontSize() - 1);
    m_note->setFont(f);
    m_note->setColor(s.finiteRank);
    redraw(false);
}

void RectPlot::setFrame(std::shared_ptr<const RectFrame> frame)
{
    m_frame = std::move(frame);
    m_snapshot.reset();
    setShadesTheory();
    redraw(true);
}

void RectPlot::setShadesTheory()
{
    if (!m_frame)
        return;
    m_shades->setTheory(core::rectOutlierView(m_frame->theory, m_squared));
    plotparts::showClusterSwatch(this, m_layers, m_shades->count(core::IntervalKind::Cluster) > 0,
                                 3);
    if (m_snapshot)
        m_shades->setObserved(m_snapshot->observedIntervals, m_snapshot->done);
}

void RectPlot::setSnapshot(std::shared_ptr<const RectSnapshot> snapshot)
{
    if (!m_frame || snapshot->generation != m_frame->generation)
        return;
    m_snapshot = std::move(snapshot);
    m_shades->setObserved(m_snapshot->observedIntervals, m_snapshot->done);
    redraw(false);
}

void RectPlot::setSquared(bool on)
{
    if (on == m_squared)
        return;
    m_squared = on;
    setShadesTheory();
    redraw(true);
}

void RectPlot::resetView()
{
    xAxis->setRange(m_viewLo, m_viewHi);
    yAxis->setRange(0.0, m_yTop);
    replot(QCustomPlot::rpQueuedReplot);
}

void RectPlot::redraw(bool resetRange)
{
    xAxis->setLabel(m_squared ? tr("squared singular value s² (eigenvalue of WᵀW)")
                              : tr("singular value s"));
    if (!m_frame) {
        m_title->setText(tr("Rectangular model W = (σ/√N) X + S: set the parameters on the left"));
        replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    const RectFrame& f = *m_frame;
    const core::RectTheory& t = f.theory;
    const bool sq = m_squared;
    const core::Curve& eq = sq ? t.equivalent.squared : t.equivalent.singular;
    const core::Curve& mp = sq ? t.mpSquared : t.mpSingular;
    m_layers.equivalent->setData(plotparts::toQ(eq.x), plotparts::toQ(eq.y), true);
    m_layers.reference->setData(plotparts::toQ(mp.x), plotparts::toQ(mp.y), true);
    const double bulkLo = sq ? t.mainBulkLo * t.mainBulkLo : t.mainBulkLo;
    const double bulkHi = sq ? t.mainBulkHi * t.mainBulkHi : t.mainBulkHi;

    // Histogram.
    double hmax = 0.0;
    if (m_snapshot) {
        const core::Histogram& h = sq ? m_snapshot->histSq : m_snapshot->hist;
        hmax = plotparts::setDensityBars(m_layers.bars, h);
        m_layers.bars->setName(
            tr("histogram (%1/%2 samples)").arg(m_snapshot->done).arg(m_snapshot->total));
        std::uint64_t inside = 0;
        for (auto c : h.counts)
            inside += c;
        const std::uint64_t outside = h.total - inside;
        m_note->setText(
            tr("%1 value%2 outside the histogram range").arg(outside).arg(outside == 1 ? "" : "s"));
        m_note->setVisible(outside > 0);
    } else {
        m_layers.bars->data()->clear();
        m_layers.bars->setName(tr("histogram (0 samples)"));
        m_note->setVisible(false);
    }

    // Outlier rows: one marker per group of equal spikes.
    QVector<double> fx, lx, ox, osd;
    double outsideMax = 0.0;
    for (std::size_t i = 0; i < eq.x.size() && i < eq.y.size(); ++i)
        if ((eq.x[i] < bulkLo || eq.x[i] > bulkHi) && std::isfinite(eq.y[i]))
            outsideMax = std::max(outsideMax, eq.y[i]);
    double xLo = sq ? f.loSq : f.lo, xHi = sq ? f.hiSq : f.hi;
    for (std::size_t j = 0; j < t.outliers.size(); ++j) {
        const auto& p = t.outliers[j];
        if (j > 0 && t.outliers[j - 1].theta == p.theta)
            continue;
        if (p.finiteRank)
            fx.push_back(sq ? *p.finiteRank * *p.finiteRank : *p.finiteRank);
        if (sq ? p.largeRankSquared.has_value() : p.largeRank.has_value())
            lx.push_back(sq ? *p.largeRankSquared : *p.largeRank);
        if (m_snapshot) {
            const auto& obs = sq ? m_snapshot->observedSq : m_snapshot->observed;
            if (j < obs.size() && obs[j].mean) {
                ox.push_back(*obs[j].mean);
                osd.push_back(obs[j].sd.value_or(0.0));
                xLo = std::min(xLo, ox.back() - osd.back());
                xHi = std::max(xHi, ox.back() + osd.back());
            }
        }
    }
    std::sort(fx.begin(), fx.end());
    std::sort(lx.begin(), lx.end());

    const double densityMax = std::max(curveMax(eq), curveMax(mp));
    m_yTop = std::max({1.3 * densityMax, 1.1 * hmax, 1e-12});
    const auto rows =
        plotparts::markerRows(m_yTop, outsideMax, m_style.markerSize(), axisRect()->height());
    plotparts::fitPredictionMarkers(m_style, m_layers.finite, m_layers.large,
                                    static_cast<std::size_t>(std::max(fx.size(), lx.size())));
    m_layers.finite->setData(fx, QVector<double>(fx.size(), rows.finite), true);
    m_layers.large->setData(lx, QVector<double>(lx.size(), rows.large), true);
    plotparts::setObservedRow(m_layers.observed, m_layers.errors, ox, osd, rows.observed);

    // In words, wrapped between parts to fit the plot: "N × M = 400 × 800 (c = 2), σ = 1,
    // Gaussian noise · 4 spikes 4, 3, 2, 1.5 over a uniform bulk on [0, 1.5]".
    const auto& m = f.model;
    m_titleParts = {
        tr("N × M = %1 × %2 (c = %3), σ = %4, %5")
            .arg(QString::number(m.n), QString::number(m.m), fmt(m.ratio()), words::number(m.sigma),
                 words::noise(m.noise, false)),
        words::signal(m.spikes, m.rank, f.rank, m.bulk) +
            (m.eigvecs == core::Eigvecs::Haar ? tr(", Haar singular vectors") : QString())};
    plotparts::fitTitle(m_title, m_titleParts, width() - 24);
    if (resetRange || xLo < m_viewLo || xHi > m_viewHi) {
        m_viewLo = std::min(xLo, resetRange ? xLo : m_viewLo);
        m_viewHi = std::max(xHi, resetRange ? xHi : m_viewHi);
        resetView();
    } else {
        yAxis->setRange(0.0, std::max(yAxis->range().upper, m_yTop));
        replot(QCustomPlot::rpQueuedReplot);
    }
}

} // namespace ws::ui
