#include "ui/views/weightsplot.h"

#include "ui/plots/plotparts.h"
#include "ui/jobs/weightsjob.h"

#include "core/model/families.h"
#include "core/rectangular/marchenko_pastur.h"

#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace ws::ui {

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

QString num(double v)
{
    return QString::number(v, 'g', 4);
}

QColor withAlpha(QColor c, int alpha)
{
    c.setAlpha(alpha);
    return c;
}

// 12 -> "₁₂"
QString subscript(int n)
{
    QString digits = QString::number(n);
    for (QChar& ch : digits)
        ch = QChar(0x2080 + (ch.unicode() - '0'));
    return digits;
}

// A right-pointing triangle: "more values this way".
QPainterPath rightArrow()
{
    QPainterPath path;
    // QCPScatterStyle draws a custom path scaled by size/6: +-3 spans the marker size.
    path.moveTo(-3.0, -3.0);
    path.lineTo(3.0, 0.0);
    path.lineTo(-3.0, 3.0);
    path.closeSubpath();
    return path;
}

// Ticks at 1, 2, 5 x 10^e for a log10 axis drawn as a linear axis of u = log10(x).
QSharedPointer<QCPAxisTickerText> logTicks(double uLo, double uHi)
{
    QSharedPointer<QCPAxisTickerText> t(new QCPAxisTickerText);
    const int e0 = static_cast<int>(std::floor(uLo)) - 1, e1 = static_cast<int>(std::ceil(uHi));
    const bool dense = uHi - uLo < 2.5;
    for (int e = e0; e <= e1; ++e)
        for (double m : {1.0, 2.0, 5.0}) {
            if (!dense && m != 1.0)
                continue;
            const double u = e + std::log10(m);
            if (u >= uLo && u <= uHi)
                t->addTick(u, QString::number(m * std::pow(10.0, e), 'g', 3));
        }
    return t;
}

} // namespace

WeightsPlot::WeightsPlot(QWidget* parent) : QCustomPlot(parent)
{
    m_title = plotparts::setUpSpectrumPlot(this);
    yAxis->setLabel(tr("singular values per bin"));

    m_keptShade = plotparts::addHeightBand(this);

    m_bars = new QCPBars(xAxis, yAxis);
    m_bars->setWidthType(QCPBars::wtPlotCoords);
    m_mp = addGraph();
    m_edgeLegend = addGraph();
    m_thrLegend = addGraph();
    m_outliers = addGraph();
    m_outliers->setLineStyle(QCPGraph::lsNone);
    m_beyond = addGraph();
    m_beyond->setLineStyle(QCPGraph::lsNone);
    m_beyond->removeFromLegend();
    m_keptLegend = addGraph();
    m_keptLegend->setName(tr("kept (shaded)"));

    auto line = [this] {
        auto* l = new QCPItemStraightLine(this);
        l->point1->setCoords(0.0, 0.0);
        l->point2->setCoords(0.0, 1.0);
        return l;
    };
    m_edgeLine = line();
    m_thrLine = line();
    m_cutLine = line();
    auto text = [this](Qt::Alignment align) {
        auto* t = new QCPItemText(this);
        t->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        t->setPositionAlignment(align);
        t->setPadding(QMargins(4, 2, 4, 2));
        return t;
    };
    m_edgeLabel = text(Qt::AlignRight | Qt::AlignTop);
    m_thrLabel = text(Qt::AlignLeft | Qt::AlignTop);
    m_cutLabel = text(Qt::AlignLeft | Qt::AlignBottom);
    m_beyondLabel = text(Qt::AlignRight | Qt::AlignTop);
    m_beyondLabel->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
    m_beyondLabel->setTextAlignment(Qt::AlignRight);
    m_note = text(Qt::AlignLeft | Qt::AlignTop);
    m_note->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
    m_note->position->setCoords(0.01, 0.10);

    plotparts::placeLegendBelow(this, 3);

    connect(this, &QCustomPlot::mouseDoubleClick, this, [this] { resetView(); });
    setPlotStyle(m_style);
}

void WeightsPlot::setPlotStyle(const Style& s)
{
    m_style = s;
    s.applyTo(this);
    plotparts::fitLegendColumns(this, 3);
    const double w = s.lineWidth();
    plotparts::styleBars(s, m_bars);
    m_mp->setPen(QPen(s.equivalent, w));
    const QPen edgePen(s.semicircle, std::max(1.0, w - 0.5), Qt::DashLine);
    const QPen thrPen(s.thresholdFinite, std::max(1.0, w - 0.5), Qt::DashDotLine);
    const QPen cutPen(s.largeRank, w, Qt::SolidLine);
    m_edgeLine->setPen(edgePen);
    m_edgeLegend->setPen(edgePen);
    m_thrLine->setPen(thrPen);
    m_thrLegend->setPen(thrPen);
    m_cutLine->setPen(cutPen);
    m_keptShade->setBrush(withAlpha(s.largeRank, s.dark ? 24 : 28));
    m_keptLegend->setPen(Qt::NoPen);
    m_keptLegend->setBrush(withAlpha(s.largeRank, 90));
    const double ms = s.markerSize();
    m_outliers->setScatterStyle(QCPScatterStyle(
        QCPScatterStyle::ssDiamond, QPen(s.spikeSeparated, w * 0.6), s.spikeSeparated, ms * 0.9));
    // Bigger than the diamonds: "more this way", not one more value.
    m_beyond->setScatterStyle(QCPScatterStyle(rightArrow(), QPen(s.spikeSeparated, 1.0),
                                              QBrush(s.spikeSeparated), ms * 1.4));
    QFont f = font();
    f.setPointSize(s.plotFontSize() - 1);
    for (QCPItemText* t : {m_edgeLabel, m_thrLabel, m_cutLabel, m_beyondLabel, m_note}) {
        t->setFont(f);
        t->setBrush(withAlpha(s.background, 200)); // readable over bars and lines
    }
    m_edgeLabel->setColor(s.foreground);
    m_thrLabel->setColor(s.thresholdFinite);
    m_cutLabel->setColor(s.largeRank);
    m_beyondLabel->setColor(s.foreground);
    m_beyondLabel->setPen(QPen(s.grid));
    m_note->setColor(s.finiteRank);
    redraw(false);
}

void WeightsPlot::resizeEvent(QResizeEvent* event)
{
    QCustomPlot::resizeEvent(event);
    plotparts::fitLegendColumns(this, 3);
}

void WeightsPlot::setData(std::shared_ptr<const WeightsData> weights)
{
    m_data = std::move(weights);
    redraw();
}

void WeightsPlot::setSquared(bool on)
{
    if (on == m_squared)
        return;
    m_squared = on;
    redraw();
}

void WeightsPlot::setRange(Range r)
{
    if (r == m_range)
        return;
    m_range = r;
    redraw();
}

void WeightsPlot::setKept(int k)
{
    if (k == m_kept)
        return;
    m_kept = k;
    redraw(false); // the user's zoom stays while k changes
}

void WeightsPlot::resetView()
{
    xAxis->setRange(m_viewLo, m_viewHi);
    yAxis->setRange(0.0, m_yTop);
    replot(QCustomPlot::rpQueuedReplot);
}

int WeightsPlot::histogramTotal() const
{
    double total = 0.0;
    for (auto it = m_bars->data()->constBegin(); it != m_bars->data()->constEnd(); ++it)
        total += it->value;
    return static_cast<int>(std::lround(total));
}

double WeightsPlot::tx(double s) const
{
    const double t = m_squared ? s * s : s;
    if (m_range != Range::Log)
        return t;
    return t > 0.0 ? std::log10(t) : kNaN;
}

void WeightsPlot::drawEmpty()
{
    m_bars->data()->clear();
    m_mp->data()->clear();
    m_outliers->data()->clear();
    m_beyond->data()->clear();
    for (QCPAbstractItem* i : std::initializer_list<QCPAbstractItem*>{
             m_edgeLine, m_thrLine, m_cutLine, m_keptShade, m_edgeLabel, m_thrLabel, m_cutLabel,
             m_beyondLabel, m_note})
        i->setVisible(false);
    for (QCPGraph* g : {m_edgeLegend, m_thrLegend, m_keptLegend, m_outliers})
        g->removeFromLegend();
    m_mp->removeFromLegend();
    // Hidden rather than emptied: an empty legend is drawn as a small box, and (QCustomPlot
    // 2.1) its maximum width, its margins, caps the layout's column -- the axes took half the
    // plot's width. A hidden legend with an item still counts as unbounded.
    m_bars->addToLegend();
    legend->setVisible(false);
    m_title->setText(tr("Open a weight matrix (.npy, .npz, .safetensors, CSV/TSV) or the example"));
    xAxis->setLabel(tr("singular value s"));
    xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    m_viewLo = 0.0;
    m_viewHi = 2.0;
    m_yTop = 10.0;
    m_edgeX = m_thrX = 0.0;
    m_cutX = kNaN;
    m_beyondCount = 0;
    resetView();
}

void WeightsPlot::redraw(bool resetRange)
{
    if (!m_data || m_data->singular.empty()) {
        drawEmpty();
        return;
    }
    const WeightsData& d = *m_data;
    const core::NoiseFit& f = d.fit;
    const bool log = m_range == Range::Log;
    const int p = d.p();

    // Plotted values, descending (log: the zeros cannot be drawn and are only counted).
    std::vector<double> x;
    x.reserve(d.singular.size());
    int skipped = 0;
    for (double s : d.singular) {
        const double v = tx(s);
        if (std::isfinite(v))
            x.push_back(v);
        else
            ++skipped;
    }
    const double thrS = f.upperEdge + f.margin;
    m_edgeX = tx(f.upperEdge);
    m_thrX = tx(thrS);
    const double lowerX = f.lowerEdge > 0.0 ? tx(f.lowerEdge) : kNaN;
    const double xMax = x.empty() ? 1.0 : x.front(), xMin = x.empty() ? 0.0 : x.back();
    const bool fitted = f.sigma > 0.0 && std::isfinite(m_thrX) && m_thrX > xMin;
    // The bulk: from the smallest value (or the lower MP edge) to edge + margin.
    const double bulkLo = std::isfinite(lowerX) ? std::min(xMin, lowerX) : xMin;
    const double bulkHi = fitted ? std::max(m_thrX, bulkLo + 1e-12) : xMax;
    const double bulkSpan = std::max(bulkHi - bulkLo, 1e-300);
    double lo = bulkLo - 0.03 * bulkSpan;
    if (!log && (lo < 0.0 || bulkLo < 0.15 * bulkSpan))
        lo = 0.0; // singular values are >= 0: a clean axis from 0 when the bulk starts near it
    double hi;
    const int above = std::min(f.above, static_cast<int>(x.size()));
    if (m_range == Range::Bulk && fitted) {
        hi = bulkHi + 0.12 * bulkSpan;
        // Outliers near the bulk stay in the picture; far ones are listed at the right edge.
        for (int i = 0; i < above; ++i)
            if (x[static_cast<std::size_t>(i)] <= bulkHi + 1.5 * bulkSpan)
                hi = std::max(hi, x[static_cast<std::size_t>(i)] + 0.05 * bulkSpan);
    } else {
        const double span = std::max(xMax - lo, 1e-12);
        hi = xMax + 0.04 * span;
        if (log && xMax - xMin < 0.2) { // all values within a factor 1.6: widen a little
            lo = xMin - 0.1;
            hi = xMax + 0.1;
        }
    }
    if (!(hi > lo))
        hi = lo + 1.0;

    // Bins sized for the bulk (about 1.5 sqrt(values) across it), the same width beyond it; at
    // most 2000 bins in all (the All range with outliers far out).
    const int bulkValues = std::max(1, std::min(f.bulkCount, static_cast<int>(x.size())));
    const int nb = std::clamp(static_cast<int>(std::lround(1.5 * std::sqrt(bulkValues))), 8, 120);
    double binW = std::max((bulkHi - lo) / nb, (hi - lo) / 2000.0);
    if (!(binW > 0.0))
        binW = (hi - lo) / nb;
    const int bins = std::max(1, static_cast<int>(std::ceil((hi - lo) / binW - 1e-9)));
    std::vector<double> counts(static_cast<std::size_t>(bins), 0.0);
    std::vector<double> beyond;
    for (double v : x) {
        if (v > lo + bins * binW) {
            beyond.push_back(v);
            continue;
        }
        if (v < lo)
            continue;
        const int b = std::clamp(static_cast<int>((v - lo) / binW), 0, bins - 1);
        counts[static_cast<std::size_t>(b)] += 1.0;
    }
    QVector<double> keys(bins), values(bins);
    double maxBar = 0.0;
    for (int b = 0; b < bins; ++b) {
        keys[b] = lo + (b + 0.5) * binW;
        values[b] = counts[static_cast<std::size_t>(b)];
        maxBar = std::max(maxBar, values[b]);
    }
    m_bars->setData(keys, values, true);
    m_bars->setWidth(binW);
    m_bars->setName(m_squared ? tr("histogram of s² (%1)").arg(p)
                              : tr("histogram of s (%1)").arg(p));
    m_bars->addToLegend();
    legend->setVisible(true);

    // Fitted MP density as the expected count per bin of the bulk values:
    // bulkCount * density of the plotted variable * bin width.
    QVector<double> cx, cy;
    double maxCurve = 0.0;
    if (fitted) {
        const core::MarchenkoPastur mp{f.sigma, f.c};
        constexpr int kPoints = 400;
        const double a = f.lowerEdge, b = f.upperEdge;
        for (int i = 0; i <= kPoints; ++i) {
            // Denser near both edges (square-root behaviour there).
            const double s = a + (b - a) * 0.5 * (1.0 - std::cos(std::numbers::pi * i / kPoints));
            double density; // of the plotted variable
            double t = s;
            if (m_squared) {
                t = s * s;
                density = mp.density(t);
            } else {
                density = mp.singularDensity(s);
            }
            if (log) {
                if (!(t > 0.0))
                    continue;
                density *= t * std::log(10.0);
            }
            const double px = log ? std::log10(t) : t;
            const double y = f.bulkCount * density * binW;
            if (!std::isfinite(px) || std::isnan(y))
                continue;
            cx.push_back(px);
            cy.push_back(y);
        }
        for (double y : cy)
            if (std::isfinite(y))
                maxCurve = std::max(maxCurve, y);
    }
    // The curve may diverge at a hard edge (c = 1, squared): cap it above the bars.
    const double cap = std::max(2.0 * maxBar, 1.0);
    for (double& y : cy)
        y = std::min(y, cap);
    maxCurve = std::min(maxCurve, cap);
    m_mp->setData(cx, cy, true);
    m_mp->setName(fitted ? tr("fitted Marchenko–Pastur") : tr("Marchenko–Pastur (no fit: σ = 0)"));
    if (fitted)
        m_mp->addToLegend();
    else
        m_mp->removeFromLegend();
    m_yTop = std::max(1.18 * std::max(maxBar, maxCurve), 3.0);

    // Edge and edge + margin.
    const QString var = m_squared ? QStringLiteral("s²") : QStringLiteral("s");
    const double edgeV = m_squared ? f.upperEdge * f.upperEdge : f.upperEdge;
    const double thrV = m_squared ? thrS * thrS : thrS;
    for (QCPAbstractItem* i :
         std::initializer_list<QCPAbstractItem*>{m_edgeLine, m_thrLine, m_edgeLabel, m_thrLabel})
        i->setVisible(fitted);
    if (fitted) {
        m_edgeLine->point1->setCoords(m_edgeX, 0.0);
        m_edgeLine->point2->setCoords(m_edgeX, 1.0);
        m_thrLine->point1->setCoords(m_thrX, 0.0);
        m_thrLine->point2->setCoords(m_thrX, 1.0);
        // Labels on opposite sides of their lines, so two close lines never overlap them.
        m_edgeLabel->position->setCoords(m_edgeX, 0.01);
        m_edgeLabel->setText(tr("edge %1").arg(num(edgeV)));
        m_thrLabel->position->setCoords(m_thrX, 0.01);
        m_thrLabel->setText(tr("+ margin %1").arg(num(thrV)));
        m_edgeLegend->setName(m_squared ? tr("bulk edge σ²(1 + √c)²") : tr("bulk edge σ(1 + √c)"));
        m_thrLegend->setName(tr("edge + TW margin"));
        m_edgeLegend->addToLegend();
        m_thrLegend->addToLegend();
    } else {
        m_edgeLegend->removeFromLegend();
        m_thrLegend->removeFromLegend();
    }

    // Values above edge + margin: markers just above their bars; those beyond the range at its
    // right edge with their values listed.
    const double rowY = 1.0 + 0.08 * m_yTop;
    QVector<double> ox, oy, bx, by;
    for (int i = 0; i < above; ++i) {
        const double v = x[static_cast<std::size_t>(i)];
        if (v <= lo + bins * binW) {
            ox.push_back(v);
            oy.push_back(rowY);
        }
    }
    std::sort(ox.begin(), ox.end());
    m_outliers->setData(ox, oy, true);
    m_outliers->setName(tr("above edge + margin (%1)").arg(f.above));
    if (fitted)
        m_outliers->addToLegend();
    else
        m_outliers->removeFromLegend();
    const int keptCount = m_kept < 0 ? 0 : m_kept;
    if (!beyond.empty()) {
        bx.push_back(hi - 0.012 * (hi - lo));
        by.push_back(rowY);
        QStringList lines;
        lines << (beyond.size() == 1 ? tr("1 value beyond the axis:")
                                     : tr("%1 values beyond the axis:").arg(beyond.size()));
        constexpr int kShown = 7;
        for (std::size_t i = 0; i < beyond.size(); ++i) {
            if (static_cast<int>(i) == kShown && beyond.size() > kShown + 1) {
                lines << tr("… %1 more, down to %2")
                             .arg(beyond.size() - i)
                             .arg(num(log ? std::pow(10.0, beyond.back()) : beyond.back()));
                break;
            }
            const double v = log ? std::pow(10.0, beyond[i]) : beyond[i];
            const bool kept = static_cast<int>(i) < keptCount; // beyond = the largest values
            lines << QStringLiteral("%1%2 = %3%4")
                         .arg(var)
                         .arg(subscript(static_cast<int>(i) + 1))
                         .arg(num(v))
                         .arg(kept ? tr("  (kept)") : QString());
        }
        m_beyondLabel->setText(lines.join('\n'));
        m_beyondLabel->position->setCoords(0.985, 0.14);
    }
    m_beyond->setData(bx, by, true);
    m_beyondCount = static_cast<int>(beyond.size());
    m_beyondLabel->setVisible(!beyond.empty());

    // The pruning cut: between the k-th and (k+1)-th largest value; the kept side shaded.
    m_cutX = kNaN;
    if (m_kept > 0 && !x.empty()) {
        const int k = std::min(m_kept, p);
        if (k < static_cast<int>(x.size()))
            m_cutX = 0.5 * (x[static_cast<std::size_t>(k - 1)] + x[static_cast<std::size_t>(k)]);
        else
            m_cutX = std::min(lo, xMin) - binW; // everything kept
    }
    const bool cut = std::isfinite(m_cutX);
    m_cutLine->setVisible(cut);
    m_keptShade->setVisible(cut);
    m_cutLabel->setVisible(cut);
    if (cut) {
        m_cutLine->point1->setCoords(m_cutX, 0.0);
        m_cutLine->point2->setCoords(m_cutX, 1.0);
        m_keptShade->topLeft->setCoords(m_cutX, 0.0);
        m_keptShade->bottomRight->setCoords(std::max(hi, xMax) + 100.0 * (hi - lo), 1.0);
        m_cutLabel->position->setCoords(std::max(m_cutX, lo), 0.985);
        m_cutLabel->setText(tr("keep top %1").arg(m_kept));
        m_keptLegend->setName(tr("kept: top %1").arg(m_kept));
        m_keptLegend->addToLegend();
    } else {
        m_keptLegend->removeFromLegend();
    }

    if (skipped > 0) {
        m_note->setText(
            (skipped == 1
                 ? tr("1 zero singular value is not shown on the log axis")
                 : tr("%1 zero singular values are not shown on the log axis").arg(skipped)));
        m_note->setVisible(true);
    } else {
        m_note->setVisible(false);
    }

    // Axes and title.
    if (log) {
        xAxis->setLabel(m_squared ? tr("squared singular value s² (log scale)")
                                  : tr("singular value s (log scale)"));
        xAxis->setTicker(logTicks(lo, hi));
    } else {
        xAxis->setLabel(m_squared ? tr("squared singular value s²") : tr("singular value s"));
        xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    }
    QString name = QFileInfo(d.source.path).fileName();
    if (!d.source.tensor.isEmpty())
        name += QStringLiteral(" · ") + d.source.tensor;
    // Two lines with the presentation fonts: the title's width is a minimum width of the plot.
    m_title->setText(tr("%1%6%2 × %3 %4 · %5 singular values")
                         .arg(name, QString::number(d.rows), QString::number(d.cols),
                              QString::fromStdString(d.dtype), QString::number(p),
                              m_style.presentation ? QStringLiteral("\n") : QStringLiteral(" · ")));
    m_viewLo = lo;
    m_viewHi = hi;
    plotparts::fitLegendColumns(this, 3); // the entries' names changed
    if (resetRange)
        resetView();
    else
        replot(QCustomPlot::rpQueuedReplot);
}

} // namespace ws::ui
