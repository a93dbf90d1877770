#include "ui/widgets/thetascale.h"

#include "ui/widgets/paramslider.h"

#include <QColor>
#include <QList>
#include <QPointF>

#include <algorithm>

namespace ws::ui {

void applyThetaScale(ParamSlider* slider, double sigma, double reach, const QColor& mark)
{
    // Slider positions per sigma: 100 below 0.5 sigma and beyond 1.5 sigma, 200 in between.
    reach = std::max(reach, 2.0);
    const double end = 250.0 + (reach - 1.5) * 100.0;
    const QList<QPointF> half = {{50.0, 0.5 * sigma}, {250.0, 1.5 * sigma}, {end, reach * sigma}};
    QList<QPointF> knots;
    for (auto it = half.rbegin(); it != half.rend(); ++it)
        knots.append({-it->x(), -it->y()});
    knots.append({0.0, 0.0});
    knots.append(half);
    slider->setKnots(knots, 10, 50);
    slider->setMarks({{-sigma, mark}, {sigma, mark}});
}

} // namespace ws::ui
