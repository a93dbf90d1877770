#pragma once
// A rug of outliers along the x axis, readable from the back of a room: one short vertical tick
// per outlier in three lanes between the plot area and the x axis -- observed (nearest the data),
// large-rank prediction, finite-rank prediction -- in the colours of their markers. The plot's x
// axis is moved down by height() to make the room (QCPAxis::setOffset). Each tick carries a text
// (its value and spike) for a tool tip: tickAt() finds the tick under the mouse.

#include "ui/widgets/theme.h"

#include <qcustomplot.h>

#include <vector>

namespace ws::ui {

class OutlierRug : public QCPAbstractItem
{
    Q_OBJECT
public:
    enum Lane { Observed, LargeRank, FiniteRank, Lanes };
    struct Tick
    {
        double x;
        Lane lane;
        QString text; // tool tip
    };

    explicit OutlierRug(QCustomPlot* plot);

    void setTicks(std::vector<Tick> ticks);
    const std::vector<Tick>& ticks() const { return m_ticks; }
    // Lane heights and colours of the style; moves the x axis down by height().
    void setStyle(const Style& s);
    int height() const; // pixels between the plot area and the x axis
    // The tick within a few pixels of `pixel` (widget coordinates), or null.
    const Tick* tickAt(const QPointF& pixel) const;
    // The pixel x of a tick and the vertical middle of its lane (for tests and tool tips).
    QPointF tickPixel(const Tick& t) const;

    double selectTest(const QPointF& pos, bool onlySelectable,
                      QVariant* details = nullptr) const override;

protected:
    void draw(QCPPainter* painter) override;

private:
    double laneTop(Lane lane) const;

    std::vector<Tick> m_ticks;
    QColor m_colors[Lanes];
    int m_laneHeight = 7;
    double m_penWidth = 2.0;
};

} // namespace ws::ui
