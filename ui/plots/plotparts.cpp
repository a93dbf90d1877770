#include "ui/plots/plotparts.h"

#include "ui/plots/logticker.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace ws::ui::plotparts {

QCPTextElement* setUpSpectrumPlot(QCustomPlot* plot)
{
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot->setNoAntialiasingOnDrag(true);
    plot->addLayer("shade", plot->layer("main"), QCustomPlot::limBelow);
    adaptTickCounts(plot);
    return addTitleRow(plot);
}

QCPTextElement* addTitleRow(QCustomPlot* plot)
{
    plot->plotLayout()->insertRow(0);
    auto* title = new QCPTextElement(plot, QString(), QFont());
    plot->plotLayout()->addElement(0, 0, title);
    return title;
}

void fitTitle(QCPTextElement* title, const QStringList& parts, int width)
{
    const QFontMetrics fm(title->font());
    QStringList lines;
    for (const QString& part : parts) {
        if (part.isEmpty())
            continue;
        const QString joined = lines.isEmpty() ? QString() : lines.back() + " · " + part;
        if (!lines.isEmpty() && fm.horizontalAdvance(joined) <= width)
            lines.back() = joined;
        else
            lines << part;
    }
    title->setText(lines.join('\n'));
}

void placeLegendBelow(QCustomPlot* plot, int wrap, int row)
{
    auto* sub = new QCPLayoutGrid;
    plot->plotLayout()->addElement(row, 0, sub);
    sub->setMargins(QMargins(6, 0, 6, 6));
    sub->addElement(0, 0, plot->legend);
    setLegendColumns(plot, wrap);
    plot->legend->setVisible(true);
    // Title and legend rows take only the height they need.
    plot->plotLayout()->setRowStretchFactor(row, 0.001);
    plot->plotLayout()->setRowStretchFactor(0, 0.001);
}

void setLegendColumns(QCustomPlot* plot, int wrap)
{
    plot->legend->setWrap(wrap);
    plot->legend->setFillOrder(QCPLegend::foColumnsFirst, true);
}

void fitLegendColumns(QCustomPlot* plot, int maxColumns)
{
    QCPLegend* legend = plot->legend;
    std::vector<int> widths;
    for (int i = 0; i < legend->itemCount(); ++i)
        if (QCPAbstractLegendItem* item = legend->item(i))
            widths.push_back(item->minimumOuterSizeHint().width());
    if (widths.empty())
        return;
    const QMargins m = legend->margins();
    const int room = plot->width() - 24 - m.left() - m.right(); // the legend row's own margins
    const int spacing = legend->columnSpacing();
    // The legend is a grid filled row by row: with k columns, column j holds the items j, j + k,
    // ... and is as wide as its widest one. The most columns whose widths add up to the room.
    auto needed = [&](int k) {
        int total = spacing * (k - 1);
        for (int j = 0; j < k; ++j) {
            int widest = 0;
            for (std::size_t i = static_cast<std::size_t>(j); i < widths.size();
                 i += static_cast<std::size_t>(k))
                widest = std::max(widest, widths[i]);
            total += widest;
        }
        return total;
    };
    int columns = std::clamp(static_cast<int>(widths.size()), 1, maxColumns);
    while (columns > 1 && needed(columns) > room)
        --columns;
    if (columns != legend->wrap())
        setLegendColumns(plot, columns);
}

void adaptTickCounts(QCustomPlot* plot)
{
    QObject::connect(plot, &QCustomPlot::afterLayout, plot, [plot] {
        bool changed = false;
        for (QCPAxisRect* rect : plot->axisRects())
            for (QCPAxis* axis : {rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft)}) {
                if (!axis || !axis->ticker())
                    continue;
                const QFontMetrics fm(axis->tickLabelFont());
                // Labels at least a label's height apart vertically, two widths horizontally.
                const bool vertical = axis->axisType() == QCPAxis::atLeft;
                const double room = vertical ? 2.2 * fm.height()
                                             : 2.0 * fm.horizontalAdvance(QStringLiteral("−0.00"));
                const QRect r = axis->axisRect()->rect();
                const int length = vertical ? r.height() : r.width();
                int count = static_cast<int>(length / std::max(room, 1.0));
                // Evenly stepped ticks on a log axis crowd at its upper end.
                if (axis->scaleType() == QCPAxis::stLogarithmic)
                    count /= 2;
                count = std::clamp(count, 1, 8);
                if (axis->ticker()->tickCount() != count) {
                    axis->ticker()->setTickCount(count);
                    changed = true;
                }
                if (vertical && !axis->label().isEmpty()) {
                    // The full name is kept in a property; the label shows what fits.
                    QString full = axis->property("fullLabel").toString();
                    if (full.isEmpty() || !full.startsWith(axis->label().chopped(
                                              axis->label().endsWith(QChar(0x2026)) ? 1 : 0))) {
                        full = axis->label();
                        axis->setProperty("fullLabel", full);
                    }
                    const QString shown = QFontMetrics(axis->labelFont())
                                              .elidedText(full, Qt::ElideRight, r.height() - 4);
                    if (shown != axis->label()) {
                        axis->setLabel(shown);
                        changed = true;
                    }
                }
            }
        if (changed)
            plot->replot(QCustomPlot::rpQueuedReplot);
    });
}

QCPGraph* addNamedGraph(QCustomPlot* plot, const QString& name, QCPGraph::LineStyle style,
                        QCPAxis* key, QCPAxis* value)
{
    QCPGraph* g = plot->addGraph(key, value);
    if (name.isEmpty())
        g->removeFromLegend();
    else
        g->setName(name);
    g->setLineStyle(style);
    return g;
}

std::pair<QCPGraph*, QCPGraph*> addBand(QCustomPlot* plot, const QString& name)
{
    QCPGraph* hi = addNamedGraph(plot, name);
    QCPGraph* lo = addNamedGraph(plot, {});
    hi->setChannelFillGraph(lo);
    return {hi, lo};
}

void setLogAxis(QCPAxis* axis)
{
    axis->setScaleType(QCPAxis::stLogarithmic);
    axis->setTicker(QSharedPointer<LogTicker>::create());
    axis->setNumberFormat("gb");
}

QCPAxisRect* addLowerPanel(QCustomPlot* plot, int row)
{
    auto* lower = new QCPAxisRect(plot);
    plot->plotLayout()->addElement(row, 0, lower);
    QCPAxis* x = lower->axis(QCPAxis::atBottom);
    x->setLabel(plot->xAxis->label());
    plot->xAxis->setTickLabels(false);
    plot->xAxis->setLabel({});
    QObject::connect(plot->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), x,
                     qOverload<const QCPRange&>(&QCPAxis::setRange));
    auto* group = new QCPMarginGroup(plot);
    plot->axisRect()->setMarginGroup(QCP::msLeft | QCP::msRight, group);
    lower->setMarginGroup(QCP::msLeft | QCP::msRight, group);
    return lower;
}

QCPItemRect* addHeightBand(QCustomPlot* plot)
{
    auto* band = new QCPItemRect(plot);
    band->setLayer("shade");
    band->topLeft->setTypeY(QCPItemPosition::ptAxisRectRatio);
    band->bottomRight->setTypeY(QCPItemPosition::ptAxisRectRatio);
    band->topLeft->setCoords(0, 0);
    band->bottomRight->setCoords(0, 1);
    band->setPen(Qt::NoPen);
    return band;
}

QRect shownRect(const QCPItemText* item)
{
    if (!item->visible())
        return {};
    return QRectF(item->topLeft->pixelPosition(), item->bottomRight->pixelPosition())
        .toAlignedRect();
}

QCPItemText* addCornerNote(QCustomPlot* plot)
{
    auto* note = new QCPItemText(plot);
    note->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
    note->position->setType(QCPItemPosition::ptAxisRectRatio);
    note->position->setCoords(0.01, 0.01);
    note->setVisible(false);
    return note;
}

QCPErrorBars* addKeyErrorBars(QCustomPlot* plot, QCPGraph* graph)
{
    auto* errors = new QCPErrorBars(plot->xAxis, plot->yAxis);
    errors->setDataPlottable(graph);
    errors->setErrorType(QCPErrorBars::etKeyError);
    errors->removeFromLegend();
    return errors;
}

QCPItemText* addMarkerLine(QCustomPlot* plot, double x, const QColor& c, const QString& label,
                           double width, double labelY)
{
    auto* line = new QCPItemStraightLine(plot);
    line->setPen(QPen(c, width, Qt::DashLine));
    line->point1->setCoords(x, 0.0);
    line->point2->setCoords(x, 1.0);
    auto* text = new QCPItemText(plot);
    text->position->setTypeX(QCPItemPosition::ptPlotCoords);
    text->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    text->position->setCoords(x, labelY);
    text->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
    text->setPadding(QMargins(4, 2, 4, 2));
    text->setColor(c);
    text->setText(label);
    return text;
}

void addStaleOverlay(QCustomPlot* plot, const QString& text, const Style& s)
{
    if (!plot->layer("overlay"))
        plot->addLayer("overlay", plot->layer("legend"), QCustomPlot::limAbove);
    QColor wash = s.background;
    wash.setAlpha(170);
    for (QCPAxisRect* rect : plot->axisRects()) {
        auto* r = new QCPItemRect(plot);
        r->setLayer("overlay");
        r->setClipToAxisRect(false);
        for (QCPItemPosition* p : {r->topLeft, r->bottomRight}) {
            p->setType(QCPItemPosition::ptAxisRectRatio);
            p->setAxisRect(rect);
        }
        r->topLeft->setCoords(0, 0);
        r->bottomRight->setCoords(1, 1);
        r->setPen(Qt::NoPen);
        r->setBrush(wash);
    }
    QCPItemText* note = addCentredNote(plot, text, s, 0.5, 3);
    note->setObjectName("staleNote");
    note->setLayer("overlay");
    QFont f = note->font();
    f.setBold(true);
    note->setFont(f);
    note->setPen(QPen(s.foreground, 1.5));
}

QCPItemText* addCentredNote(QCustomPlot* plot, const QString& text, const Style& s, double y,
                            int extraPoints)
{
    auto* note = new QCPItemText(plot);
    note->setClipToAxisRect(false);
    note->position->setType(QCPItemPosition::ptAxisRectRatio);
    note->position->setAxisRect(plot->axisRect());
    note->position->setCoords(0.5, y);
    note->setPositionAlignment(Qt::AlignCenter);
    note->setTextAlignment(Qt::AlignCenter);
    QFont f = plot->font();
    f.setPointSize(s.plotFontSize() + extraPoints);
    note->setFont(f);
    note->setColor(s.foreground);
    note->setBrush(s.background);
    note->setPadding(QMargins(12, 6, 12, 6));
    note->setText(text);
    return note;
}

QVector<double> toQ(const std::vector<double>& v)
{
    return QVector<double>(v.begin(), v.end());
}

QColor faded(QColor c, int alpha)
{
    c.setAlpha(alpha);
    return c;
}

QCPRange padded(double lo, double hi, double frac)
{
    if (!(lo <= hi))
        return {0.0, 1.0};
    const double w = hi > lo ? (hi - lo) * frac : std::max(std::abs(lo) * 0.1, 0.5);
    return {lo - w, hi + w};
}

void styleLine(QCPGraph* g, const QColor& c, double width, Qt::PenStyle style)
{
    g->setPen(QPen(c, width, style));
    g->setLineStyle(QCPGraph::lsLine);
}

void styleMarkers(QCPGraph* g, const QColor& c, QCPScatterStyle::ScatterShape shape, double size,
                  bool filled)
{
    g->setPen(QPen(c, 1.5));
    g->setScatterStyle(QCPScatterStyle(shape, QPen(c, 1.5), filled ? QBrush(c) : QBrush(), size));
}

void styleBars(const Style& s, QCPBars* bars)
{
    bars->setPen(QPen(s.barsBorder, s.presentation ? 1.0 : 0.6));
    bars->setBrush(s.bars);
}

void styleSupport(const Style& s, QCPGraph* bulkSwatch, QCPGraph* clusterSwatch)
{
    QColor shade = s.support;
    shade.setAlpha(std::min(255, shade.alpha() * 4));
    bulkSwatch->setBrush(shade);
    if (clusterSwatch)
        clusterSwatch->setBrush(faded(s.spikeSeparated, 140));
}

void styleOutlierMarkers(const Style& s, QCPGraph* finite, QCPGraph* large, QCPGraph* observed,
                         QCPErrorBars* errors)
{
    const double w = s.lineWidth(), ms = s.markerSize();
    finite->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssTriangleInverted,
                                            QPen(s.finiteRank, w * 0.75), s.finiteRank, ms));
    large->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(s.largeRank, w * 0.75), s.largeRank, ms));
    observed->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(s.observed, w * 0.75),
                                              s.background, ms * 0.8));
    observed->setPen(QPen(s.observed, w * 0.75));
    errors->setPen(QPen(s.observed, w * 0.75));
    errors->setWhiskerWidth(ms * 0.8);
}

} // namespace ws::ui::plotparts
