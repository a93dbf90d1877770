#pragma once
// The text on a plot, as rectangles in widget pixels, for the label tests: titles (text elements
// of the layout), legend items, axis labels and tick labels (placed as QCustomPlot's axis
// painter places them), and item texts (corner notes, marker-line labels). textProblems() lists
// the pairs that overlap and the texts the plot cuts off; a text on the "overlay" layer covers
// the others on purpose and is only checked for being cut off. Header-only (QCustomPlot).

#include <QFontMetrics>
#include <QList>
#include <QRectF>
#include <QStringList>
#include <qcustomplot.h>

#include <algorithm>

namespace ws::test {

struct PlotText
{
    QRectF rect;
    QString what;
    const void* group = nullptr; // texts of one legend are laid out by it: never compared
    QRectF clip;                 // where the plot clips it (empty: the widget)
    bool overlay = false;        // drawn over everything on purpose (a "stale" note)
};

inline void addAxisTexts(QCPAxis* axis, QList<PlotText>& out)
{
    if (!axis->visible())
        return;
    const QCPAxis::AxisType type = axis->axisType();
    if (type != QCPAxis::atBottom && type != QCPAxis::atLeft)
        return; // the plots use only these
    const QRect r = axis->axisRect()->rect();
    const int out_ = std::max(0, std::max(axis->tickLengthOut(), axis->subTickLengthOut()));
    const QFontMetrics tfm(axis->tickLabelFont());
    double extent = 0; // height (bottom) or width (left) of the tick labels
    if (axis->tickLabels()) {
        const QVector<double> ticks = axis->tickVector();
        const QVector<QString> labels = axis->tickVectorLabels();
        for (int i = 0; i < ticks.size() && i < labels.size(); ++i) {
            if (!axis->range().contains(ticks[i]) || labels[i].isEmpty())
                continue;
            // Rich number formats ("10^3" drawn as a power) are measured as plain text.
            const QString text = QString(labels[i]).remove('^');
            const double w = tfm.horizontalAdvance(text), h = tfm.height();
            const double p = axis->coordToPixel(ticks[i]);
            QRectF box;
            if (type == QCPAxis::atBottom) {
                const double top = r.bottom() + axis->offset() + out_ + axis->tickLabelPadding();
                box = QRectF(p - w / 2, top, w, h);
                extent = std::max(extent, h);
            } else {
                const double right = r.left() - axis->offset() - out_ - axis->tickLabelPadding();
                box = QRectF(right - w, p - h / 2, w, h);
                extent = std::max(extent, w);
            }
            out << PlotText{
                box,
                QString("%1 tick label '%2'").arg(type == QCPAxis::atBottom ? "x" : "y", labels[i]),
                axis,
                {}};
        }
    }
    if (axis->label().isEmpty())
        return;
    const QFontMetrics lfm(axis->labelFont());
    const double w = lfm.horizontalAdvance(axis->label()), h = lfm.height();
    const double gap = out_ + axis->tickLabelPadding() + extent + axis->labelPadding();
    QRectF box;
    if (type == QCPAxis::atBottom)
        box = QRectF(r.center().x() - w / 2, r.bottom() + axis->offset() + gap, w, h);
    else // drawn rotated by -90 degrees
        box = QRectF(r.left() - axis->offset() - gap - h, r.center().y() - w / 2, h, w);
    out << PlotText{box, QString("axis label '%1'").arg(axis->label()), nullptr, {}};
}

inline QList<PlotText> plotTexts(QCustomPlot* plot)
{
    QList<PlotText> out;
    QList<QCPLayoutElement*> stack = {plot->plotLayout()};
    while (!stack.isEmpty()) {
        QCPLayoutElement* e = stack.takeLast();
        if (!e || !e->visible())
            continue;
        if (auto* t = qobject_cast<QCPTextElement*>(e)) {
            if (!t->text().isEmpty())
                out << PlotText{
                    QFontMetrics(t->font()).boundingRect(t->rect(), Qt::AlignCenter, t->text()),
                    QString("title '%1'").arg(t->text().left(60)),
                    nullptr,
                    {}};
            continue;
        }
        if (auto* legend = qobject_cast<QCPLegend*>(e)) {
            for (int i = 0; i < legend->itemCount(); ++i)
                if (QCPAbstractLegendItem* item = legend->item(i); item && item->visible())
                    out << PlotText{item->rect(), "legend item", legend, {}};
            continue;
        }
        if (auto* rect = qobject_cast<QCPAxisRect*>(e)) {
            for (QCPAxis* axis : rect->axes())
                addAxisTexts(axis, out);
            stack << rect->insetLayout();
        }
        for (QCPLayoutElement* child : e->elements(false))
            stack << child;
    }
    for (int i = 0; i < plot->itemCount(); ++i) {
        auto* t = qobject_cast<QCPItemText*>(plot->item(i));
        if (!t || !t->visible() || t->text().isEmpty())
            continue;
        const QRectF box =
            QRectF(t->topLeft->pixelPosition(), t->bottomRight->pixelPosition()).normalized();
        const QRectF clip =
            t->clipToAxisRect() && t->clipAxisRect() ? QRectF(t->clipAxisRect()->rect()) : QRectF();
        out << PlotText{box, QString("text '%1'").arg(t->text().left(40)), nullptr, clip,
                        t->layer() && t->layer()->name() == "overlay"};
    }
    return out;
}

// Texts overlapping one another (by more than a pixel each way), and texts that leave the plot
// widget or the area they are clipped to; empty if none.
inline QStringList textProblems(QCustomPlot* plot)
{
    const QList<PlotText> texts = plotTexts(plot);
    QStringList problems;
    const QRectF widget(plot->rect());
    for (const PlotText& t : texts) {
        const QRectF area = t.clip.isEmpty() ? widget : t.clip;
        if (!area.adjusted(-1, -1, 1, 1).contains(t.rect))
            problems << QString("%1 is cut off").arg(t.what);
    }
    for (qsizetype i = 0; i < texts.size(); ++i)
        for (qsizetype j = i + 1; j < texts.size(); ++j) {
            const PlotText &a = texts[i], &b = texts[j];
            if ((a.group && a.group == b.group && a.what == "legend item") || a.overlay ||
                b.overlay)
                continue;
            const QRectF x = a.rect.intersected(b.rect);
            if (x.width() > 1 && x.height() > 1)
                problems << QString("%1 overlaps %2").arg(a.what, b.what);
        }
    return problems;
}

} // namespace ws::test
