#include "ui/plots/mainplot.h"

#include "ui/plots/densitylayers.h"
#include "ui/plots/modelwords.h"
#include "ui/plots/plotparts.h"

#include "core/model/families.h"

#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace ws::ui {

namespace {

QString num(double v)
{
    return QString::number(v, 'g', 5);
}

// "spike θ₃ = 2" or "spikes θ₃..θ₇ = 2 (5 equal)".
QString spikeText(const SpikeGroup& g, double theta)
{
    if (g.size == 1)
        return QObject::tr("spike θ%1 = %2").arg(g.first + 1).arg(num(theta));
    return QObject::tr("spikes θ%1…θ%2 = %3 (%4 equal)")
        .arg(g.first + 1)
        .arg(g.first + g.size)
        .arg(num(theta))
        .arg(g.size);
}

} // namespace

MainPlot::MainPlot(QWidget* parent) : QCustomPlot(parent)
{
    m_title = plotparts::setUpSpectrumPlot(this);

    xAxis->setLabel(tr("eigenvalue x"));
    yAxis->setLabel(tr("density"));

    m_shades = std::make_unique<IntervalShades>(this);

    // The large-rank row's predicted-sd strip is drawn under the observed row.
    m_layers = plotparts::addDensityLayers(
        this,
        {tr("eigenvalue histogram"), tr("bulk intervals, count pred. / obs."),
         tr("outlier-cluster intervals"), tr("semicircle (r/N → 0)"),
         tr("finite-rank (BBP): θ + σ²/θ"), tr("large-rank: θ + σ²G(θ) ± 1 pred. sd")},
        [this](QCPGraph* large) { m_largeSd = plotparts::addKeyErrorBars(this, large); });

    m_note = plotparts::addCornerNote(this);
    m_rug = new OutlierRug(this);

    plotparts::placeLegendBelow(this, 4);

    connect(this, &QCustomPlot::mouseDoubleClick, this, [this] { resetView(); });
    // A range change the plot did not make is the user's zoom or pan.
    for (QCPAxis* axis : {xAxis, yAxis})
        connect(axis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] {
            if (!m_settingView)
                m_userView = true;
        });
    setMouseTracking(true); // the tool tips of the rug need moves without a button
    connect(this, &QCustomPlot::mouseMove, this, &MainPlot::showToolTip);
    // The marker rows' spacing depends on the plot's pixel height: redo it when that changes.
    connect(this, &QCustomPlot::afterLayout, this, [this] {
        // The interval labels follow pans, zooms and resizes; the corner note stays free.
        m_shades->layoutLabels(plotparts::shownRect(m_note));
        const double band = labelBandOverMarkers();
        if (axisRect()->height() != m_rowsForHeight || band != m_labelBand) {
            m_labelBand = band;
            updateMarkerRows();
            // The automatic view makes room for the rows under the labels.
            if (!m_hold && !m_userView && m_theory && yAxis->range().upper != shownTop()) {
                m_settingView = true;
                yAxis->setRange(0.0, shownTop());
                m_settingView = false;
            }
            replot(QCustomPlot::rpQueuedReplot);
        }
    });
    setPlotStyle(m_style);
}

void MainPlot::setPlotStyle(const Style& s)
{
    m_style = s;
    s.applyTo(this);
    // Fewer legend columns when the fonts are big or the plot narrow, so nothing is cut off.
    plotparts::fitLegendColumns(this, 4);
    plotparts::styleDensityLayers(s, m_layers);
    m_shades->setStyle(s);
    plotparts::styleSupport(s, m_layers.supportSwatch, m_layers.clusterSwatch);
    // The predicted sd as a translucent strip through the diamond, apart from the observed bars.
    m_largeSd->setPen(QPen(plotparts::faded(s.largeRank, 120), s.markerSize() * 0.45, Qt::SolidLine,
                           Qt::FlatCap));
    m_largeSd->setWhiskerWidth(0);
    if (m_warning)
        styleWarning();
    m_rug->setStyle(s);
    QFont f = font();
    f.setPointSize(s.plotFontSize());
    m_note->setFont(f);
    m_note->setColor(s.finiteRank);
    updateTitle();
    replot(QCustomPlot::rpQueuedReplot);
}

void MainPlot::resizeEvent(QResizeEvent* event)
{
    QCustomPlot::resizeEvent(event);
    plotparts::fitLegendColumns(this, 4);
    updateTitle();
    fitWarning();
}

void MainPlot::setTheory(std::shared_ptr<const TheoryFrame> theory)
{
    m_theory = std::move(theory);
    m_samples.reset();
    const TheoryFrame& t = *m_theory;
    m_layers.equivalent->setData(plotparts::toQ(t.theory.equivalent.density.x),
                                 plotparts::toQ(t.theory.equivalent.density.y), true);
    m_layers.reference->setData(plotparts::toQ(t.theory.semicircle.x),
                                plotparts::toQ(t.theory.semicircle.y), true);
    m_layers.bars->data()->clear();
    const double binWidth = (t.histHi - t.histLo) / t.bins;
    m_layers.bars->setWidth(binWidth);
    m_shades->setTheory(t.theory);
    updateLegendEntries();
    m_theoryTop = m_yTop = 1.3 * t.densityMax;
    // The marker rows sit just above the outlier components (clusters) of the density.
    m_outsideMax = 0.0;
    const auto& dx = t.theory.equivalent.density.x;
    const auto& dy = t.theory.equivalent.density.y;
    for (const auto& iv : t.theory.equivalent.support) {
        if (iv.kind != core::IntervalKind::Cluster)
            continue;
        const auto from = std::lower_bound(dx.begin(), dx.end(), iv.a) - dx.begin();
        for (auto i = static_cast<std::size_t>(from);
             i < dx.size() && i < dy.size() && dx[i] <= iv.b; ++i)
            m_outsideMax = std::max(m_outsideMax, dy[i]);
    }
    m_viewLo = t.viewLo;
    m_viewHi = t.viewHi;

    QVector<double> fx;
    std::vector<std::pair<double, double>> large; // position, predicted sd (0: no band)
    m_predictedTicks.clear();
    // A Gaussian band only where the core vouches for one (docs/model.md#validity).
    const bool gaussian = !t.theory.heavyTails && !t.theory.nonGaussian;
    for (const auto& g : t.groups) { // equal spikes: one marker for the group
        const auto& p = t.theory.outliers[g.first];
        if (p.finiteRank) {
            fx.push_back(*p.finiteRank);
            m_predictedTicks.push_back({*p.finiteRank, OutlierRug::FiniteRank,
                                        tr("finite-rank (BBP) prediction θ + σ²/θ = %1\n%2")
                                            .arg(num(*p.finiteRank), spikeText(g, p.theta))});
        }
        if (p.largeRank) {
            const double sd = gaussian && p.sd ? *p.sd : 0.0;
            large.emplace_back(*p.largeRank, sd);
            QString text = tr("large-rank prediction θ + σ²G(θ) = %1").arg(num(*p.largeRank));
            if (sd > 0.0)
                text += tr(" ± %1 (predicted sd over samples)").arg(num(sd));
            else if (!gaussian)
                text += tr(" (no sd band: %1)")
                            .arg(t.theory.heavyTails ? tr("heavy-tailed noise")
                                                     : tr("fluctuations not Gaussian"));
            else if (hasFlag(p.flags, core::PredictionFlag::Cluster))
                text += tr(" (a classical location in its cluster: no per-spike sd)");
            m_predictedTicks.push_back(
                {*p.largeRank, OutlierRug::LargeRank, text + "\n" + spikeText(g, p.theta)});
        }
    }
    m_rug->setTicks(m_predictedTicks);
    std::sort(fx.begin(), fx.end());
    std::sort(large.begin(), large.end());
    QVector<double> lx, lsd;
    for (const auto& [x, sd] : large) {
        lx.push_back(x);
        lsd.push_back(sd);
    }
    plotparts::fitPredictionMarkers(m_style, m_layers.finite, m_layers.large,
                                    static_cast<std::size_t>(std::max(fx.size(), lx.size())));
    m_layers.finite->setData(fx, QVector<double>(fx.size(), 0.0), true);
    m_layers.large->setData(lx, QVector<double>(lx.size(), 0.0), true);
    m_largeSd->setData(lsd);
    // One short line (wrapped only on a narrow plot): the details are in the status bar's
    // tool tip and the table's; a long note would squeeze a short plot (presentation mode).
    if (t.theory.heavyTails)
        setWarning(
            {tr("⚠ Heavy-tailed noise: outlier and edge theory not valid,"), tr("no sd bands")});
    else if (t.theory.nonGaussian)
        setWarning({tr("⚠ Non-Gaussian noise, basis eigenvectors:"),
                    tr("outlier fluctuations not Gaussian, no sd bands")});
    else
        setWarning({});
    m_layers.observed->data()->clear();
    m_layers.errors->data()->clear();
    m_note->setVisible(false);
    updateMarkerRows();
    updateTitle();
    m_layers.bars->setName(tr("histogram (0 samples)"));
    autoView();
}

void MainPlot::setSamples(std::shared_ptr<const SampleFrame> samples)
{
    if (!m_theory || samples->generation != m_theory->generation)
        return;
    m_samples = std::move(samples);
    const SampleFrame& s = *m_samples;
    const double hmax = plotparts::setDensityBars(m_layers.bars, s.histogram);
    m_layers.bars->setName(tr("histogram (%1 sample%2)").arg(s.done).arg(s.done == 1 ? "" : "s"));

    // Observed outliers: the view widens (never shrinks) to keep them visible.
    bool widened = false;
    const double span = m_viewHi - m_viewLo;
    QVector<double> ox, osd;
    std::vector<OutlierRug::Tick> ticks = m_predictedTicks;
    for (const auto& g : m_theory->groups) { // a group of equal spikes is observed once
        if (g.first >= s.observed.size())
            continue;
        const auto& o = s.observed[g.first];
        if (!o.mean)
            continue;
        ox.push_back(*o.mean);
        osd.push_back(o.sd.value_or(0.0));
        ticks.push_back({*o.mean, OutlierRug::Observed,
                         tr("observed outlier: mean %1 ± %2 (sd, in %3 of %4 samples)\n%5")
                             .arg(num(*o.mean), num(osd.back()))
                             .arg(o.samplesPresent)
                             .arg(s.done)
                             .arg(spikeText(g, m_theory->theory.outliers[g.first].theta))});
        const double lo = *o.mean - osd.back() - 0.03 * span,
                     hi = *o.mean + osd.back() + 0.03 * span;
        if (lo < m_viewLo || hi > m_viewHi) {
            m_viewLo = std::min(m_viewLo, lo);
            m_viewHi = std::max(m_viewHi, hi);
            widened = true;
        }
    }
    // A histogram widened for heavy tails widens the view too (bars are never cut off).
    if (!s.histogram.edges.empty() &&
        (s.histogram.edges.front() < m_viewLo || s.histogram.edges.back() > m_viewHi)) {
        m_viewLo = std::min(m_viewLo, s.histogram.edges.front());
        m_viewHi = std::max(m_viewHi, s.histogram.edges.back());
        widened = true;
    }
    // The top follows the histogram down as well as up: the first samples' few values make
    // tall bars that later ones level (N = 2: one sample's two eigenvalues in bins of 0.14 make
    // a bar of 3.6 where the density stays under 0.3).
    const double top = std::max(m_theoryTop, 1.1 * hmax);
    if (std::abs(top - m_yTop) > 0.02 * m_yTop) {
        m_yTop = top;
        widened = true;
    }
    plotparts::setObservedRow(m_layers.observed, m_layers.errors, ox, osd, 0.0);
    updateMarkerRows();

    if (s.outsideHistogram > 0) {
        m_note->setText(tr("%1 eigenvalue%2 outside the histogram range")
                            .arg(s.outsideHistogram)
                            .arg(s.outsideHistogram == 1 ? "" : "s"));
        m_note->setVisible(true);
    } else {
        m_note->setVisible(false);
    }
    // Unexplained outliers (outside every interval's claim): in the observed lane, unmatched.
    for (double x : s.unexplained)
        ticks.push_back({x, OutlierRug::Observed,
                         tr("unexplained outlier at %1: outside every support interval's "
                            "window (%2 per sample)")
                             .arg(num(x))
                             .arg(s.meanUnexplained, 0, 'g', 3)});
    m_shades->setObserved(s.observedIntervals, s.done);
    m_rug->setTicks(std::move(ticks));
    if (widened)
        autoView();
    else
        replot(QCustomPlot::rpQueuedReplot);
}

void MainPlot::updateMarkerRows()
{
    // Rows just above the outlier bumps of the histogram (densitylayers.h).
    auto setRow = [](QCPGraph* g, double y) {
        for (auto it = g->data()->begin(); it != g->data()->end(); ++it)
            it->value = y;
    };
    const int h = axisRect()->height();
    const auto rows = plotparts::markerRows(shownTop(), m_outsideMax, m_style.markerSize(), h);
    setRow(m_layers.finite, rows.finite);
    setRow(m_layers.large, rows.large);
    setRow(m_layers.observed, rows.observed);
    m_rowsForHeight = h;
}

double MainPlot::shownTop() const
{
    return plotparts::topClearOf(m_yTop, m_outsideMax, m_style.markerSize(), axisRect()->height(),
                                 m_labelBand);
}

double MainPlot::labelBandOverMarkers() const
{
    const double top = axisRect()->rect().top(), half = 0.5 * m_style.markerSize();
    double band = 0.0;
    for (const auto& s : m_shades->shades()) {
        if (!s.label || !s.label->visible())
            continue;
        const QRectF r(s.label->topLeft->pixelPosition(), s.label->bottomRight->pixelPosition());
        const double a = xAxis->pixelToCoord(r.left() - half);
        const double b = xAxis->pixelToCoord(r.right() + half);
        for (QCPGraph* g : {m_layers.finite, m_layers.large, m_layers.observed}) {
            const auto it = g->data()->findBegin(std::min(a, b), false);
            if (it != g->data()->constEnd() && it->key <= std::max(a, b)) {
                band = std::max(band, r.bottom() - top);
                break;
            }
        }
    }
    return band;
}

void MainPlot::updateTitle()
{
    if (!m_theory)
        return;
    // In words: "N = 1 000, σ = 1, Gaussian noise (GOE) · r = ⌈N^0.75⌉ = 178 evenly spaced
    // spikes from 1.5 to 4"; two lines if one does not fit the plot's width.
    const auto& m = m_theory->session.model;
    plotparts::fitTitle(m_title,
                        {words::size(m), words::signal(m.spikes, m.rank, m_theory->rank, m.bulk)},
                        width() - 24);
}

void MainPlot::setWarning(const QStringList& parts)
{
    const QString text = parts.join(' ');
    if (text == m_warningText)
        return;
    m_warningText = text;
    m_warningParts = parts;
    if (text.isEmpty()) {
        // Remove the row so that the plot gets its height back.
        plotLayout()->remove(m_warning);
        plotLayout()->simplify();
        m_warning = nullptr;
    } else {
        if (!m_warning) {
            plotLayout()->insertRow(1);
            m_warning = new QCPTextElement(this, QString(), QFont());
            plotLayout()->addElement(1, 0, m_warning);
            plotLayout()->setRowStretchFactor(1, 0.001);
        }
        styleWarning();
    }
    replot(QCustomPlot::rpQueuedReplot);
}

void MainPlot::styleWarning()
{
    QFont f = font();
    f.setPointSize(m_style.plotFontSize());
    f.setBold(true);
    m_warning->setFont(f);
    m_warning->setTextColor(m_style.thresholdFinite);
    fitWarning();
}

void MainPlot::fitWarning()
{
    if (!m_warning)
        return;
    // Wrapped between its parts to the plot's width, like the title (never cut off).
    plotparts::fitTitle(m_warning, m_warningParts, width() - 24);
    m_warning->setText(m_warning->text().replace(" · ", " "));
}

void MainPlot::updateLegendEntries()
{
    plotparts::showClusterSwatch(this, m_layers, m_shades->count(core::IntervalKind::Cluster) > 0,
                                 4);
}

void MainPlot::resetView()
{
    m_userView = false;
    applyView({m_viewLo, m_viewHi}, {0.0, shownTop()});
}

void MainPlot::autoView()
{
    if (m_hold || m_userView)
        replot(QCustomPlot::rpQueuedReplot);
    else
        applyView({m_viewLo, m_viewHi}, {0.0, shownTop()});
}

void MainPlot::applyView(const QCPRange& x, const QCPRange& y)
{
    m_settingView = true;
    xAxis->setRange(x);
    yAxis->setRange(y);
    m_settingView = false;
    replot(QCustomPlot::rpQueuedReplot);
}

void MainPlot::setHoldAxes(bool on)
{
    m_hold = on;
    if (!on && !m_userView)
        autoView(); // back to following the parameters
}

QString MainPlot::toolTipAt(const QPoint& pos) const
{
    if (const OutlierRug::Tick* t = m_rug->tickAt(pos))
        return t->text;
    return m_shades->toolTipAt(pos);
}

void MainPlot::showToolTip(QMouseEvent* event)
{
    const QString text = toolTipAt(event->pos());
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), text, this);
}

} // namespace ws::ui
