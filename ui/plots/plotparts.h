#pragma once
// Building blocks shared by the plots (MainPlot, RectPlot, WeightsPlot and the sweep views), so
// that they look and behave alike: a title row, a "shade" layer under the data, the legend below
// the plot in columns (it never covers data), a band spanning the plot's height, a corner note,
// horizontal error bars for observed means, labelled vertical marker lines, and line and marker
// styles.

#include "ui/widgets/theme.h"

#include <QVector>
#include <qcustomplot.h>

#include <utility>
#include <vector>

namespace ws::ui::plotparts {

// Drag/zoom interactions, a "shade" layer below "main", an empty title row on top, and tick
// counts that follow the axes' lengths (adaptTickCounts).
QCPTextElement* setUpSpectrumPlot(QCustomPlot* plot);
// An empty title row on top of the plot (row 0).
QCPTextElement* addTitleRow(QCustomPlot* plot);
// The title's parts joined by " · ", wrapped onto more lines (between parts) where one line
// would be wider than `width` pixels in the title's font.
void fitTitle(QCPTextElement* title, const QStringList& parts, int width);
// The legend in a row (`row` of the plot layout) below the axis rect, `wrap` entries per row,
// filled column-wise.
void placeLegendBelow(QCustomPlot* plot, int wrap, int row = 2);
// Tick counts that follow the axes' lengths in pixels, so that big fonts on a short axis do not
// make the tick labels run into each other, and the name of a vertical axis elided to the axis'
// height: re-derived after every layout (a change costs one more replot).
// `wrap` entries per legend row, filled column-wise (the fill order is re-applied: setWrap
// alone keeps the old layout).
void setLegendColumns(QCustomPlot* plot, int wrap);
// As many legend columns as fit the plot's width (at most `maxColumns`, at least one), so that a
// narrow plot stacks its legend rather than cutting it off; each column as wide as its own widest
// item, so short names share a row with long ones. Call after a resize or a font change.
void fitLegendColumns(QCustomPlot* plot, int maxColumns);
void adaptTickCounts(QCustomPlot* plot);
// A graph in the legend as `name` (empty: out of the legend), drawn as `style`, on the plot's
// axes or on (key, value), a second panel's.
QCPGraph* addNamedGraph(QCustomPlot* plot, const QString& name,
                        QCPGraph::LineStyle style = QCPGraph::lsLine, QCPAxis* key = nullptr,
                        QCPAxis* value = nullptr);
// A band such as mean +- sd: two graphs (upper, lower), the upper filled down to the lower (with
// its brush, the caller's style); in the legend as `name` once (empty: not at all).
std::pair<QCPGraph*, QCPGraph*> addBand(QCustomPlot* plot, const QString& name = {});
// A logarithmic axis: log ticks (1-2-5 steps on a short range, logticker.h), numbers as "1e3"
// beautified to 10^3.
void setLogAxis(QCPAxis* axis);
// A second panel under the plot's axis rect (layout row `row`) on the same x axis: the axis' name
// and tick labels move under it, its x range follows the upper one's, and both panels' left and
// right margins line up.
QCPAxisRect* addLowerPanel(QCustomPlot* plot, int row = 2);
// A rectangle on the shade layer spanning the plot's height (x set later by setCoords), no pen.
QCPItemRect* addHeightBand(QCustomPlot* plot);
// Hidden text in the plot's top-left corner (messages such as "no outliers predicted").
QCPItemText* addCornerNote(QCustomPlot* plot);
// The pixels a text item covers, or an empty rect while it is hidden (what labels keep free).
QRect shownRect(const QCPItemText* item);
// Horizontal (key) error bars on `graph`, kept out of the legend.
QCPErrorBars* addKeyErrorBars(QCustomPlot* plot, QCPGraph* graph);
// A dashed vertical line at x (plot coordinates) over the whole height, labelled at the height
// `labelY` (0 = top of the axis rect, 1 = bottom); removed by clearItems(). Returns the label.
QCPItemText* addMarkerLine(QCustomPlot* plot, double x, const QColor& c, const QString& label,
                           double width, double labelY);

// A translucent wash over every axis rect of the plot and `text` in the middle of the first, on
// an "overlay" layer above the legend: the data shown is out of date. Removed by clearItems().
void addStaleOverlay(QCustomPlot* plot, const QString& text, const Style& s);
// `text` (lines centred) in a box of the background colour in the middle of the plot's first
// axis rect, at height `y` (0 = top, 1 = bottom), `extraPoints` above the plot's font size, not
// clipped. Removed by clearItems().
QCPItemText* addCentredNote(QCustomPlot* plot, const QString& text, const Style& s, double y,
                            int extraPoints);

QVector<double> toQ(const std::vector<double>& v);
// `c` with alpha `alpha` (0..255).
QColor faded(QColor c, int alpha);
// [lo, hi] widened at both ends by `frac` of its width (by 10% of |lo|, at least 0.5, for a
// single point); [0, 1] if lo > hi or either is NaN.
QCPRange padded(double lo, double hi, double frac = 0.06);
// A line graph with pen `c`, `width`, `style`.
void styleLine(QCPGraph* g, const QColor& c, double width, Qt::PenStyle style = Qt::SolidLine);
// Scatter markers of `shape` and `size` in `c` (filled or hollow); the graph's pen takes `c` too.
void styleMarkers(QCPGraph* g, const QColor& c, QCPScatterStyle::ScatterShape shape, double size,
                  bool filled = true);

// Theme colours (setPlotStyle): histogram bars; the legend swatches of the bulk and the
// outlier-cluster intervals (more opaque than the shades, so the small swatch reads; the shades
// themselves: intervalshades.h); the outlier markers -- finite-rank (inverted triangle),
// large-rank (diamond), observed mean (circle) with its +- sd error bars.
void styleBars(const Style& s, QCPBars* bars);
void styleSupport(const Style& s, QCPGraph* bulkSwatch, QCPGraph* clusterSwatch);
void styleOutlierMarkers(const Style& s, QCPGraph* finite, QCPGraph* large, QCPGraph* observed,
                         QCPErrorBars* errors);

} // namespace ws::ui::plotparts
