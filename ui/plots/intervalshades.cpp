#include "ui/plots/intervalshades.h"

#include "ui/jobs/frames.h"
#include "ui/plots/plotparts.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace ws::ui {

namespace {

constexpr int kRows = 3; // label rows at the top of the plot

QString num(double v)
{
    return QString::number(v, 'g', 5);
}

} // namespace

IntervalShades::IntervalShades(QCustomPlot* plot) : m_plot(plot) {}

void IntervalShades::clear()
{
    for (Shade& s : m_shades) {
        m_plot->removeItem(s.rect);
        if (s.label)
            m_plot->removeItem(s.label);
    }
    m_shades.clear();
}

int IntervalShades::count(core::IntervalKind kind) const
{
    int n = 0;
    for (const auto& iv : m_support)
        n += iv.kind == kind ? 1 : 0;
    return n;
}

void IntervalShades::setTheory(const core::Theory& t)
{
    clear();
    m_support = t.equivalent.support;
    m_observed.clear();
    m_samples = 0;
    const bool merge = m_support.size() > kMaxShades;
    for (std::size_t k = 0; k < m_support.size(); ++k) {
        const auto kind = m_support[k].kind;
        // Many intervals: a run of clusters becomes one shade (their labels could not be read).
        if (merge && kind == core::IntervalKind::Cluster && !m_shades.empty() &&
            m_shades.back().kind == kind && m_shades.back().last + 1 == k) {
            Shade& s = m_shades.back();
            s.last = k;
            s.rect->bottomRight->setCoords(m_support[k].b, 1);
            if (s.label) {
                m_plot->removeItem(s.label);
                s.label = nullptr;
            }
            continue;
        }
        Shade s;
        s.kind = kind;
        s.first = s.last = k;
        s.rect = plotparts::addHeightBand(m_plot);
        s.rect->topLeft->setCoords(m_support[k].a, 0);
        s.rect->bottomRight->setCoords(m_support[k].b, 1);
        s.label = new QCPItemText(m_plot);
        s.label->setClipToAxisRect(true);
        s.label->position->setType(QCPItemPosition::ptAbsolute);
        s.label->setPositionAlignment(Qt::AlignHCenter | Qt::AlignTop);
        s.label->setPadding(QMargins(3, 1, 3, 1));
        s.label->setText(labelText(k));
        styleShade(s);
        m_shades.push_back(s);
    }
}

void IntervalShades::setObserved(const std::vector<core::ObservedInterval>& observed, int samples)
{
    m_observed = observed;
    m_samples = samples;
    for (Shade& s : m_shades)
        if (s.label)
            s.label->setText(labelText(s.first));
}

QString IntervalShades::labelText(std::size_t k) const
{
    QString text = QString::fromStdString(countText(m_support[k].count));
    if (m_samples > 0 && k < m_observed.size())
        text += " / " + QString::fromStdString(countText(m_observed[k].meanCount));
    return text;
}

QString IntervalShades::toolTip(std::size_t k) const
{
    const auto& iv = m_support[k];
    const bool bulk = iv.kind == core::IntervalKind::Bulk;
    QString text =
        (bulk ? QObject::tr("Bulk interval %1 of μ_N: [%2, %3]")
              : QObject::tr("Outlier-cluster interval %1 of μ_N: [%2, %3] (only spikes)"))
            .arg(k + 1)
            .arg(num(iv.a), num(iv.b));
    text += QObject::tr("\npredicted eigenvalues in it: N × mass = %1")
                .arg(QString::fromStdString(countText(iv.count)));
    if (iv.spikes > 0)
        text += QObject::tr(", of them %1 from spikes").arg(iv.spikes);
    if (m_samples > 0 && k < m_observed.size()) {
        const auto& o = m_observed[k];
        text += QObject::tr("\nobserved: %1 per sample (min %2, max %3, %4 samples)")
                    .arg(QString::fromStdString(countText(o.meanCount)))
                    .arg(o.minCount)
                    .arg(o.maxCount)
                    .arg(m_samples);
    }
    if (!bulk && iv.centre && iv.spread)
        text += QObject::tr("\ncentre %1, spread (sd within a sample) %2")
                    .arg(num(*iv.centre), num(*iv.spread));
    return text;
}

QString IntervalShades::toolTipAt(const QPointF& pixel) const
{
    for (const Shade& s : m_shades)
        if (s.label && s.label->visible() && s.label->realVisibility()) {
            const QRectF r(s.label->topLeft->pixelPosition(),
                           s.label->bottomRight->pixelPosition());
            if (r.adjusted(-2, -2, 2, 2).contains(pixel))
                return toolTip(s.first);
        }
    return {};
}

void IntervalShades::setStyle(const Style& s)
{
    m_style = s;
    for (Shade& sh : m_shades)
        styleShade(sh);
}

void IntervalShades::styleShade(Shade& s) const
{
    const Style& st = m_style;
    if (s.kind == core::IntervalKind::Bulk) {
        s.rect->setBrush(st.support);
        s.rect->setPen(Qt::NoPen);
    } else {
        // Clusters: the colour of separated spikes, edged so that a narrow one still shows.
        s.rect->setBrush(plotparts::faded(st.spikeSeparated, st.dark ? 60 : 45));
        s.rect->setPen(QPen(plotparts::faded(st.spikeSeparated, 150), 1.0));
    }
    if (!s.label)
        return;
    QFont f = m_plot->font();
    f.setPointSize(std::max(7, st.plotFontSize() - 1));
    s.label->setFont(f);
    const QColor c = s.kind == core::IntervalKind::Bulk ? st.foreground : st.spikeSeparated;
    s.label->setColor(c);
    s.label->setBrush(plotparts::faded(st.background, 210));
    s.label->setPen(QPen(plotparts::faded(c, 90), 1.0));
}

void IntervalShades::layoutLabels(const QRect& avoid)
{
    QCPAxisRect* ar = m_plot->axisRect();
    const QRect area = ar->rect();
    QCPAxis* x = m_plot->xAxis;
    const QCPRange range = x->range();
    std::array<std::vector<QRect>, kRows> taken;
    for (Shade& s : m_shades) {
        if (!s.label)
            continue;
        const auto& iv = m_support[s.first];
        // The centre of the visible part of the interval.
        const double lo = std::max(iv.a, range.lower), hi = std::min(iv.b, range.upper);
        if (lo > hi) {
            s.label->setVisible(false);
            continue;
        }
        // In halves: lo + hi may overflow near the end of the doubles. Clamped before
        // rounding (a coordinate far outside the view maps to a huge pixel).
        const double cx =
            std::clamp(x->coordToPixel(0.5 * lo + 0.5 * hi), area.left() - 1e4, area.right() + 1e4);
        if (!std::isfinite(cx)) {
            s.label->setVisible(false);
            continue;
        }
        const QFontMetrics fm(s.label->font());
        const QMargins pad = s.label->padding();
        const int w = fm.horizontalAdvance(s.label->text()) + pad.left() + pad.right() + 2;
        const int h = fm.height() + pad.top() + pad.bottom() + 2;
        QRect r(static_cast<int>(std::lround(cx - 0.5 * w)), 0, w, h);
        // Keep it inside the plot area.
        r.moveLeft(
            std::clamp(r.left(), area.left() + 2, std::max(area.left() + 2, area.right() - w - 2)));
        bool placed = false;
        for (int row = 0; row < kRows && !placed; ++row) {
            r.moveTop(area.top() + 3 + row * (h + 1));
            if (r.bottom() > area.bottom())
                break;
            if (!avoid.isEmpty() && r.intersects(avoid))
                continue;
            const bool clash = std::any_of(taken[static_cast<std::size_t>(row)].begin(),
                                           taken[static_cast<std::size_t>(row)].end(),
                                           [&r](const QRect& o) { return o.intersects(r); });
            if (clash)
                continue;
            taken[static_cast<std::size_t>(row)].push_back(r.adjusted(-3, 0, 3, 0));
            s.label->position->setCoords(r.center().x() + 0.5, r.top());
            placed = true;
        }
        s.label->setVisible(placed);
    }
}

} // namespace ws::ui
