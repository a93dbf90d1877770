#pragma once
// Building blocks shared by the spectrum plots (MainPlot, RectPlot, WeightsPlot), so that they
// look and behave alike: a title row, a "shade" layer under the data, the legend below the plot
// in columns (it never covers data), a band spanning the plot's height, a corner note and
// horizontal error bars for observed means.

#include "ui/widgets/theme.h"

class QCPBars;
class QCPErrorBars;
class QCPGraph;
class QCPItemRect;
class QCPItemText;
class QCPTextElement;
class QCustomPlot;

namespace ws::ui::plotparts {

// Drag/zoom interactions, a "shade" layer below "main", and an empty title row on top.
QCPTextElement* setUpSpectrumPlot(QCustomPlot* plot);
// The legend in a row below the axis rect, `wrap` entries per row, filled column-wise.
void placeLegendBelow(QCustomPlot* plot, int wrap);
// `wrap` entries per legend row, filled column-wise (the fill order is re-applied: setWrap
// alone keeps the old layout).
void setLegendColumns(QCustomPlot* plot, int wrap);
// A rectangle on the shade layer spanning the plot's height (x set later by setCoords), no pen.
QCPItemRect* addHeightBand(QCustomPlot* plot);
// Hidden text in the plot's top-left corner (messages such as "no outliers predicted").
QCPItemText* addCornerNote(QCustomPlot* plot);
// Horizontal (key) error bars on `graph`, kept out of the legend.
QCPErrorBars* addKeyErrorBars(QCustomPlot* plot, QCPGraph* graph);

// Theme colours (setPlotStyle): histogram bars; the support band and its legend swatch (more
// opaque, so the small swatch reads); the outlier markers -- finite-rank (inverted triangle),
// large-rank (diamond), observed mean (circle) with its +- sd error bars.
void styleBars(const Style& s, QCPBars* bars);
void styleSupport(const Style& s, QCPItemRect* band, QCPGraph* legendSwatch);
void styleOutlierMarkers(const Style& s, QCPGraph* finite, QCPGraph* large, QCPGraph* observed,
                         QCPErrorBars* errors);

} // namespace ws::ui::plotparts
