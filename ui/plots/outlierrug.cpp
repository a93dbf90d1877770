#include "ui/plots/outlierrug.h"

#include <algorithm>
#include <cmath>

namespace ws::ui {

namespace {
constexpr int kGap = 2; // pixels between lanes, and above the first
}

OutlierRug::OutlierRug(QCustomPlot* plot) : QCPAbstractItem(plot)
{
    setClipToAxisRect(false); // drawn below the plot area
    setSelectable(false);
}

void OutlierRug::setTicks(std::vector<Tick> ticks)
{
    m_ticks = std::move(ticks);
}

void OutlierRug::setStyle(const Style& s)
{
    m_colors[Observed] = s.observed;
    m_colors[LargeRank] = s.largeRank;
    m_colors[FiniteRank] = s.finiteRank;
    m_laneHeight = static_cast<int>(std::lround(s.markerSize() * 0.7));
    m_penWidth = s.presentation ? 3.0 : 2.0;
    parentPlot()->xAxis->setOffset(height());
}

int OutlierRug::height() const
{
    return Lanes * (m_laneHeight + kGap) + kGap;
}

double OutlierRug::laneTop(Lane lane) const
{
    return parentPlot()->axisRect()->bottom() + kGap + lane * (m_laneHeight + kGap);
}

QPointF OutlierRug::tickPixel(const Tick& t) const
{
    return {parentPlot()->xAxis->coordToPixel(t.x), laneTop(t.lane) + m_laneHeight / 2.0};
}

const OutlierRug::Tick* OutlierRug::tickAt(const QPointF& pixel) const
{
    const QRect rect = parentPlot()->axisRect()->rect();
    const Tick* best = nullptr;
    double bestDx = 5.0; // pixels
    for (const Tick& t : m_ticks) {
        const double top = laneTop(t.lane);
        if (pixel.y() < top - kGap / 2.0 || pixel.y() > top + m_laneHeight + kGap / 2.0)
            continue;
        const double x = parentPlot()->xAxis->coordToPixel(t.x);
        if (x < rect.left() || x > rect.right())
            continue;
        if (std::abs(x - pixel.x()) <= bestDx) {
            bestDx = std::abs(x - pixel.x());
            best = &t;
        }
    }
    return best;
}

double OutlierRug::selectTest(const QPointF&, bool, QVariant*) const
{
    return -1.0; // not selectable
}

void OutlierRug::draw(QCPPainter* painter)
{
    const QRect rect = parentPlot()->axisRect()->rect();
    painter->setClipRect(QRect(rect.left(), rect.bottom(), rect.width(), height()));
    for (const Tick& t : m_ticks) {
        const double x = parentPlot()->xAxis->coordToPixel(t.x);
        if (x < rect.left() || x > rect.right())
            continue;
        const double top = laneTop(t.lane);
        painter->setPen(QPen(m_colors[t.lane], m_penWidth, Qt::SolidLine, Qt::FlatCap));
        painter->drawLine(QLineF(x, top, x, top + m_laneHeight));
    }
}

} // namespace ws::ui
