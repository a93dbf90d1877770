// Drawing of animation frames (see framerenderer.h).
#include "ui/render/framerenderer.h"

#include "core/animation/describe.h"
#include "ui/render/framestyle.h"

#include <QFont>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <QPolygonF>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <utility>

namespace ws::render {
namespace {

QFont fontOf(double pixels, bool bold = false)
{
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setStyleHint(QFont::SansSerif);
    f.setPixelSize(std::max(1, static_cast<int>(std::lround(pixels))));
    f.setBold(bold);
    return f;
}

struct Ticks
{
    std::vector<double> values;
    int decimals = 0;
};

// Round-number ticks (1, 2, 2.5, 5 times a power of ten) in [lo, hi], the step nearest to
// (hi - lo) / target.
Ticks niceTicks(double lo, double hi, int target)
{
    Ticks t;
    const double raw = (hi - lo) / std::max(target, 1);
    if (!(raw > 0.0) || !std::isfinite(raw))
        return t;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    const double r = raw / mag;
    const double mult = r < 1.5 ? 1.0 : r < 2.25 ? 2.0 : r < 3.5 ? 2.5 : r < 7.5 ? 5.0 : 10.0;
    const double step = mult * mag;
    const int exponent = static_cast<int>(std::floor(std::log10(step) + 1e-9));
    t.decimals = std::max(0, -exponent) + (mult == 2.5 ? 1 : 0);
    const double first = std::ceil(lo / step - 1e-9);
    for (int i = 0; i < 1000; ++i) {
        const double v = (first + i) * step;
        if (v > hi + 1e-9 * step)
            break;
        t.values.push_back(std::abs(v) < 1e-12 * step ? 0.0 : v);
    }
    return t;
}

// A tick label with a typographic minus sign.
QString tickText(double v, int decimals)
{
    QString s = QString::number(v, 'f', decimals);
    s.replace(QLatin1Char('-'), QChar(0x2212));
    return s;
}

// Data -> pixels on the plot rectangle.
struct Mapping
{
    QRectF plot;
    double xLo, xHi, yMax;
    double x(double v) const { return plot.left() + (v - xLo) / (xHi - xLo) * plot.width(); }
    double y(double v) const { return plot.bottom() - v / yMax * plot.height(); }
};

// The curve as polylines, leaving out the runs along y = 0 (outside the support), which would
// draw over the axis.
std::vector<QPolygonF> curvePieces(const core::Curve& c, const Mapping& map)
{
    std::vector<QPolygonF> pieces;
    QPolygonF current;
    const std::size_t n = std::min(c.x.size(), c.y.size());
    for (std::size_t i = 0; i < n; ++i) {
        const bool zero = c.y[i] <= 0.0;
        const bool nextZero = i + 1 >= n || c.y[i + 1] <= 0.0;
        const bool prevZero = i == 0 || c.y[i - 1] <= 0.0;
        if (zero && nextZero && prevZero)
            continue; // inside a run of zeros
        current << QPointF(map.x(c.x[i]), map.y(std::min(c.y[i], 1.05 * map.yMax)));
        if (zero && nextZero) { // the run of zeros starts after this point
            if (current.size() >= 2)
                pieces.push_back(current);
            current.clear();
        }
    }
    if (current.size() >= 2)
        pieces.push_back(current);
    return pieces;
}

void drawTriangle(QPainter& p, QPointF at, double s)
{
    const QPolygonF tri{QPointF(at.x() - s / 2, at.y() - s / 2),
                        QPointF(at.x() + s / 2, at.y() - s / 2), QPointF(at.x(), at.y() + s / 2)};
    p.drawPolygon(tri);
}

void drawDiamond(QPainter& p, QPointF at, double s)
{
    const QPolygonF d{QPointF(at.x(), at.y() - s / 2), QPointF(at.x() + s / 2, at.y()),
                      QPointF(at.x(), at.y() + s / 2), QPointF(at.x() - s / 2, at.y())};
    p.drawPolygon(d);
}

// Observed mean with a +- sd whisker (caps at the ends).
void drawObserved(QPainter& p, const style::Palette& c, double x, double xLo, double xHi, double y,
                  double u)
{
    p.setPen(QPen(c.observed, 2.4 * u, Qt::SolidLine, Qt::FlatCap));
    if (xHi - xLo > 1.0) {
        p.drawLine(QPointF(xLo, y), QPointF(xHi, y));
        p.drawLine(QPointF(xLo, y - 6 * u), QPointF(xLo, y + 6 * u));
        p.drawLine(QPointF(xHi, y - 6 * u), QPointF(xHi, y + 6 * u));
    }
    p.setPen(Qt::NoPen);
    p.setBrush(c.observed);
    p.drawEllipse(QPointF(x, y), style::kDotRadius * u, style::kDotRadius * u);
}

enum class Swatch { Bars, Semicircle, Equivalent, FiniteRank, LargeRank, Observed, Rug };

struct LegendEntry
{
    Swatch swatch;
    QString text;
};

std::vector<LegendEntry> legendEntries(int samples)
{
    return {{Swatch::Bars, QStringLiteral("histogram (%1 sample%2)")
                               .arg(samples)
                               .arg(samples == 1 ? QString() : QStringLiteral("s"))},
            {Swatch::Semicircle, QStringLiteral("semicircle")},
            {Swatch::Equivalent, QStringLiteral("deterministic equivalent")},
            {Swatch::FiniteRank, QStringLiteral("finite-rank (BBP) prediction")},
            {Swatch::LargeRank, QStringLiteral("large-rank prediction")},
            {Swatch::Observed, QStringLiteral("observed outlier (mean %1 sd)").arg(QChar(0x00B1))},
            {Swatch::Rug, QStringLiteral("outliers of each sample")}};
}

constexpr double kSwatchWidth = 42.0, kSwatchGap = 9.0, kEntryGap = 30.0, kRowFactor = 1.35;

// Rows of legend entries (indices), each row fitting `width`.
std::vector<std::vector<std::size_t>> legendRows(const std::vector<LegendEntry>& entries,
                                                 const QFontMetricsF& fm, double u, double width)
{
    std::vector<std::vector<std::size_t>> rows(1);
    double used = 0.0;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const double w = (kSwatchWidth + kSwatchGap) * u + fm.horizontalAdvance(entries[i].text);
        const double need = rows.back().empty() ? w : used + kEntryGap * u + w;
        if (!rows.back().empty() && need > width) {
            rows.emplace_back();
            used = w;
        } else {
            used = need;
        }
        rows.back().push_back(i);
    }
    return rows;
}

void drawSwatch(QPainter& p, const style::Palette& c, Swatch s, const QRectF& r, double u)
{
    const double cy = r.center().y();
    p.setBrush(Qt::NoBrush);
    switch (s) {
    case Swatch::Bars:
        p.setPen(QPen(c.barContour, style::kContourWidth * u));
        p.setBrush(c.bars);
        p.drawRect(
            QRectF(r.left() + 4 * u, r.top() + 3 * u, r.width() - 8 * u, r.height() - 6 * u));
        break;
    case Swatch::Semicircle:
        p.setPen(QPen(c.semicircle, style::kSemicircleWidth * u, Qt::DashLine, Qt::FlatCap));
        p.drawLine(QPointF(r.left(), cy), QPointF(r.right(), cy));
        break;
    case Swatch::Equivalent:
        p.setPen(QPen(c.equivalent, style::kCurveWidth * u, Qt::SolidLine, Qt::FlatCap));
        p.drawLine(QPointF(r.left(), cy), QPointF(r.right(), cy));
        break;
    case Swatch::FiniteRank:
        p.setPen(QPen(c.finiteRank, style::kMarkerPen * u));
        drawTriangle(p, r.center(), style::kMarkerSize * u);
        break;
    case Swatch::LargeRank:
        p.setPen(QPen(c.largeRank, style::kMarkerPen * u));
        drawDiamond(p, r.center(), style::kMarkerSize * u);
        break;
    case Swatch::Observed:
        drawObserved(p, c, r.center().x(), r.left() + 4 * u, r.right() - 4 * u, cy, u);
        break;
    case Swatch::Rug:
        p.setPen(QPen(c.observed, 1.8 * u, Qt::SolidLine, Qt::FlatCap));
        for (double dx : {-10.0, -3.0, 9.0})
            p.drawLine(
                QPointF(r.center().x() + dx * u, r.bottom() - 2 * u),
                QPointF(r.center().x() + dx * u, r.bottom() - 2 * u - style::kRugHeight * u));
        break;
    }
}

} // namespace

QString displayText(const std::string& words)
{
    // The core's words are ASCII (terminals, CSV comments); a picture writes the symbols the
    // app's labels use.
    static const std::pair<QRegularExpression, QString> kSymbols[] = {
        {QRegularExpression(QStringLiteral("\\btheta\\b")), QStringLiteral("θ")},
        {QRegularExpression(QStringLiteral("\\balpha\\b")), QStringLiteral("α")},
        {QRegularExpression(QStringLiteral("\\bsigma\\b")), QStringLiteral("σ")},
        {QRegularExpression(QStringLiteral("\\brho\\b")), QStringLiteral("ρ")},
        {QRegularExpression(QStringLiteral("\\bnu\\b")), QStringLiteral("ν")},
        {QRegularExpression(QStringLiteral("\\bceil\\(([^()]*)\\)")), QStringLiteral("⌈\\1⌉")},
    };
    QString text = QString::fromStdString(words);
    for (const auto& [from, to] : kSymbols)
        text.replace(from, to);
    return text;
}

FrameRenderer::FrameRenderer(const core::AnimationPlan& plan, const style::Palette& palette)
    : m_plan(plan), m_palette(palette), m_title(displayText(core::describeAnimation(plan)))
{
    // Captions of every frame (a frame's caption needs only its value, N and rank), so the
    // caption box fits the widest and the layout does not move from frame to frame.
    for (std::size_t i = 0; i < plan.values.size(); ++i) {
        core::AnimationFrame f;
        f.index = static_cast<int>(i);
        f.value = plan.values[i];
        f.model = plan.models[i];
        f.rank = core::rankOf(plan.models[i]);
        m_captions.push_back(displayText(core::frameCaption(plan, f)));
    }
}

FrameLayout FrameRenderer::layout(QSize size, double minUnit) const
{
    size = size.expandedTo(QSize(64, 48));
    const double byHeight = size.height() / 720.0;
    double u = std::max(byHeight, minUnit);
    FrameLayout l = layoutAt(size, u);
    while (u > byHeight && 3 * l.plot.height() < size.height()) {
        u = std::max(byHeight, 0.92 * u);
        l = layoutAt(size, u);
    }
    return l;
}

FrameLayout FrameRenderer::layoutAt(QSize size, double u) const
{
    const double w = size.width(), h = size.height();
    const double pad = style::kPad * u;
    FrameLayout l;
    l.unit = u;

    // Header: caption at the right, the title in the rest (shrunk, then wrapped if long).
    const QFontMetricsF capFm(fontOf(style::kCaptionFont * u, true));
    double capW = 0.0;
    for (const QString& c : m_captions)
        capW = std::max(capW, capFm.horizontalAdvance(c));
    const double capH = capFm.height();
    const double titleW = std::max(1.0, w - 2 * pad - capW - 28 * u);
    double titlePx = style::kTitleFont * u;
    while (titlePx > style::kTitleMinFont * u &&
           QFontMetricsF(fontOf(titlePx)).horizontalAdvance(m_title) > titleW)
        titlePx -= std::max(1.0, 0.5 * u);
    const QFontMetricsF titleFm(fontOf(titlePx));
    const double titleH =
        titleFm.boundingRect(QRectF(0, 0, titleW, 10 * h), Qt::TextWordWrap, m_title).height();
    const double headerH = std::max(capH, titleH);
    l.titlePixels = static_cast<int>(std::lround(titlePx));
    l.title = QRectF(pad, pad, titleW, headerH).toAlignedRect();
    l.caption = QRectF(w - pad - capW, pad + (headerH - capH) / 2, capW, capH).toAlignedRect();

    // Legend at the bottom.
    const QFontMetricsF legFm(fontOf(style::kLegendFont * u));
    const auto entries = legendEntries(m_plan.spec.run.samples);
    const auto rows = legendRows(entries, legFm, u, w - 2 * pad);
    const double legendH = static_cast<double>(rows.size()) * legFm.height() * kRowFactor;
    l.legend = QRectF(pad, h - pad - legendH, w - 2 * pad, legendH).toAlignedRect();

    // Plot: room for the tick labels and axis titles.
    const QFontMetricsF tickFm(fontOf(style::kTickFont * u));
    const QFontMetricsF labelFm(fontOf(style::kLabelFont * u));
    const Ticks yt = niceTicks(0.0, m_plan.axes.yMax, 5);
    double yLabelW = 0.0;
    for (double v : yt.values)
        yLabelW = std::max(yLabelW, tickFm.horizontalAdvance(tickText(v, yt.decimals)));
    const double left = pad + labelFm.height() + 10 * u + yLabelW + (style::kTickLength + 6) * u;
    const double right = w - pad - 12 * u;
    const double top = pad + headerH + 18 * u;
    const double bottom = l.legend.top() - 14 * u - labelFm.height() - 4 * u - tickFm.height() -
                          (style::kTickLength + 4) * u;
    l.plot =
        QRectF(QPointF(left, top), QPointF(std::max(left + 1, right), std::max(top + 1, bottom)))
            .toAlignedRect();
    return l;
}

QImage FrameRenderer::render(const core::AnimationFrame& frame, QSize size) const
{
    size = size.expandedTo(QSize(64, 48));
    QImage img(size, QImage::Format_RGB32);
    img.fill(m_palette.background);
    QPainter p(&img);
    paint(p, size, frame);
    return img;
}

void FrameRenderer::paint(QPainter& p, QSize size, const core::AnimationFrame& frame,
                          double minUnit) const
{
    const FrameLayout l = layout(size, minUnit);
    const double u = l.unit;
    const core::AnimationAxes& axes = m_plan.axes;
    const Mapping map{QRectF(l.plot), axes.xLo, axes.xHi, axes.yMax};
    const style::Palette& c = m_palette;
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.fillRect(QRect(QPoint(0, 0), size), c.background);

    // Grid and ticks.
    const QFont tickFont = fontOf(style::kTickFont * u);
    const QFontMetricsF tickFm(tickFont);
    p.setFont(tickFont);
    const Ticks yt = niceTicks(0.0, axes.yMax, 5);
    for (double v : yt.values) {
        const double y = map.y(v);
        if (v > 0.0) {
            p.setPen(QPen(c.grid, 1.2 * u));
            p.drawLine(QPointF(map.plot.left(), y), QPointF(map.plot.right(), y));
        }
        p.setPen(QPen(c.axis, style::kAxisWidth * u));
        p.drawLine(QPointF(map.plot.left() - style::kTickLength * u, y),
                   QPointF(map.plot.left(), y));
        p.setPen(c.text);
        const QRectF box(0, y - tickFm.height(), map.plot.left() - (style::kTickLength + 6) * u,
                         2 * tickFm.height());
        p.drawText(box, Qt::AlignRight | Qt::AlignVCenter, tickText(v, yt.decimals));
    }
    const int xTarget = std::max(4, static_cast<int>(map.plot.width() / (150 * u)));
    const Ticks xt = niceTicks(axes.xLo, axes.xHi, xTarget);
    for (double v : xt.values) {
        const double x = map.x(v);
        p.setPen(QPen(c.axis, style::kAxisWidth * u));
        p.drawLine(QPointF(x, map.plot.bottom()),
                   QPointF(x, map.plot.bottom() + style::kTickLength * u));
        p.setPen(c.text);
        const QRectF box(x - 100 * u, map.plot.bottom() + (style::kTickLength + 4) * u, 200 * u,
                         tickFm.height());
        p.drawText(box, Qt::AlignHCenter | Qt::AlignTop, tickText(v, xt.decimals));
    }

    // Data, clipped to the plot.
    p.save();
    p.setClipRect(map.plot.adjusted(0, -2 * u, 0, 0));
    const core::Histogram& hist = frame.histogram;
    const std::vector<double> density = hist.density();
    const double top = 1.02 * axes.yMax; // bars above the range are cut at the frame
    // One outline for all bars, filled as one shape: no seams between neighbouring bars.
    QPainterPath contour;
    contour.moveTo(map.x(hist.edges.front()), map.plot.bottom());
    for (std::size_t i = 0; i < density.size(); ++i) {
        const double d = std::min(density[i], top);
        const double y = d > 0.0 ? map.y(d) : map.plot.bottom();
        contour.lineTo(map.x(hist.edges[i]), y);
        contour.lineTo(map.x(hist.edges[i + 1]), y);
    }
    contour.lineTo(map.x(hist.edges.back()), map.plot.bottom());
    contour.closeSubpath();
    p.fillPath(contour, c.bars);
    p.setBrush(Qt::NoBrush);
    p.setPen(
        QPen(c.barContour, style::kContourWidth * u, Qt::SolidLine, Qt::FlatCap, Qt::MiterJoin));
    p.drawPath(contour);

    p.setPen(
        QPen(c.semicircle, style::kSemicircleWidth * u, Qt::DashLine, Qt::FlatCap, Qt::RoundJoin));
    for (const QPolygonF& piece : curvePieces(frame.semicircle, map))
        p.drawPolyline(piece);
    p.setPen(
        QPen(c.equivalent, style::kCurveWidth * u, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    for (const QPolygonF& piece : curvePieces(frame.equivalent, map))
        p.drawPolyline(piece);

    // Outliers: ticks of every sample on the axis, then three rows of markers above them.
    p.setPen(QPen(c.observed, 1.8 * u, Qt::SolidLine, Qt::FlatCap));
    const double axisY = map.plot.bottom();
    for (double x : frame.outside)
        p.drawLine(QPointF(map.x(x), axisY), QPointF(map.x(x), axisY - style::kRugHeight * u));
    const double observedY = axisY - (style::kRugHeight + 6.0 + 0.5 * style::kMarkerRow) * u;
    const double largeY = observedY - style::kMarkerRow * u;
    const double finiteY = largeY - style::kMarkerRow * u;
    p.setBrush(Qt::NoBrush);
    for (const auto& pr : frame.predictions) {
        if (pr.finiteRank) {
            p.setPen(QPen(c.finiteRank, style::kMarkerPen * u));
            drawTriangle(p, QPointF(map.x(*pr.finiteRank), finiteY), style::kMarkerSize * u);
        }
        if (pr.largeRank) {
            p.setPen(QPen(c.largeRank, style::kMarkerPen * u));
            drawDiamond(p, QPointF(map.x(*pr.largeRank), largeY), style::kMarkerSize * u);
        }
    }
    for (const auto& o : frame.observed) {
        if (!o.mean)
            continue;
        const double sd = o.sd.value_or(0.0);
        drawObserved(p, c, map.x(*o.mean), map.x(*o.mean - sd), map.x(*o.mean + sd), observedY, u);
    }
    p.restore();

    // Axes and their titles.
    p.setPen(QPen(c.axis, style::kAxisWidth * u, Qt::SolidLine, Qt::SquareCap));
    p.drawLine(map.plot.bottomLeft(), map.plot.topLeft());
    p.drawLine(map.plot.bottomLeft(), map.plot.bottomRight());
    const QFont labelFont = fontOf(style::kLabelFont * u);
    const QFontMetricsF labelFm(labelFont);
    p.setFont(labelFont);
    p.setPen(c.text);
    const double xTitleTop =
        map.plot.bottom() + (style::kTickLength + 4) * u + tickFm.height() + 4 * u;
    p.drawText(QRectF(map.plot.left(), xTitleTop, map.plot.width(), labelFm.height()),
               Qt::AlignHCenter | Qt::AlignTop, QStringLiteral("eigenvalue"));
    p.save();
    p.translate(style::kPad * u, map.plot.center().y());
    p.rotate(-90);
    p.drawText(QRectF(-map.plot.height() / 2, 0, map.plot.height(), labelFm.height()),
               Qt::AlignHCenter | Qt::AlignTop, QStringLiteral("density"));
    p.restore();

    // Title and caption.
    p.setFont(fontOf(l.titlePixels));
    p.drawText(QRectF(l.title), Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap, m_title);
    p.setFont(fontOf(style::kCaptionFont * u, true));
    const std::size_t fi = static_cast<std::size_t>(frame.index);
    const QString caption =
        fi < m_captions.size() ? m_captions[fi] : displayText(core::frameCaption(m_plan, frame));
    p.drawText(QRectF(l.caption), Qt::AlignRight | Qt::AlignVCenter, caption);

    // Legend, each row centred.
    const QFont legendFont = fontOf(style::kLegendFont * u);
    const QFontMetricsF legFm(legendFont);
    p.setFont(legendFont);
    const auto entries = legendEntries(m_plan.spec.run.samples);
    const auto rows = legendRows(entries, legFm, u, l.legend.width());
    const double rowH = legFm.height() * kRowFactor;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        double rowW = 0.0;
        for (std::size_t k = 0; k < rows[r].size(); ++k)
            rowW += (k ? kEntryGap * u : 0.0) + (kSwatchWidth + kSwatchGap) * u +
                    legFm.horizontalAdvance(entries[rows[r][k]].text);
        double x = l.legend.left() + (l.legend.width() - rowW) / 2;
        const double y = l.legend.top() + static_cast<double>(r) * rowH;
        for (std::size_t k = 0; k < rows[r].size(); ++k) {
            const LegendEntry& e = entries[rows[r][k]];
            drawSwatch(p, c, e.swatch, QRectF(x, y, kSwatchWidth * u, rowH), u);
            x += (kSwatchWidth + kSwatchGap) * u;
            p.setPen(c.text);
            const double tw = legFm.horizontalAdvance(e.text);
            p.drawText(QRectF(x, y, tw + 2, rowH), Qt::AlignLeft | Qt::AlignVCenter, e.text);
            x += tw + kEntryGap * u;
        }
    }
    p.restore();
}

} // namespace ws::render
