#pragma once
// The layers the two histogram-over-density plots share -- MainPlot (eigenvalues over the
// semicircle) and RectPlot (singular values over Marchenko-Pastur): the histogram of the samples
// as a density, the legend swatches of the support shading, a dashed reference density (the
// noise alone), the deterministic equivalent (solid), and the three outlier marker rows --
// finite-rank, large-rank and observed (mean with a +-sd bar) -- stacked just above the density
// outside the main bulk. One place for how they are built, styled and laid out, so that the two
// plots read alike.

#include "ui/widgets/theme.h"

#include "core/util/histogram.h"

#include <QString>
#include <QVector>
#include <qcustomplot.h>

#include <cstddef>
#include <functional>

namespace ws::ui::plotparts {

struct DensityLayers
{
    QCPBars* bars = nullptr;
    QCPGraph* supportSwatch = nullptr; // legend entry of the shaded bulk
    QCPGraph* clusterSwatch = nullptr; // legend entry of the outlier clusters (null: none)
    QCPGraph* reference = nullptr;     // dashed
    QCPGraph* equivalent = nullptr;
    QCPGraph* finite = nullptr;
    QCPGraph* large = nullptr;
    QCPGraph* observed = nullptr;
    QCPErrorBars* errors = nullptr; // +-sd of the observed means
};

// The legend names (an empty `bars` or `cluster`: the bars unnamed, no cluster swatch).
struct DensityNames
{
    QString bars, support, cluster, reference, finite, large;
};

// Adds the layers in their drawing and legend order: bars, swatches, reference, equivalent,
// finite, large, observed with its error bars (`beforeObserved`, if any, is called with the
// large-rank row before the observed row is added, for plottables drawn between them).
DensityLayers addDensityLayers(QCustomPlot* plot, const DensityNames& names,
                               const std::function<void(QCPGraph* large)>& beforeObserved = {});
// Theme colours of the bars, the two densities and the marker rows (the swatches and shades are
// the plot's: their shapes differ).
void styleDensityLayers(const Style& s, const DensityLayers& l);
// The legend in construction order, the cluster swatch only when `clusters` (the legend names
// what is drawn); refilled only when that changes. At most `maxColumns` columns.
void showClusterSwatch(QCustomPlot* plot, const DensityLayers& l, bool clusters, int maxColumns);

// The histogram's density as bars one bin wide; returns the largest density (0 if empty).
double setDensityBars(QCPBars* bars, const core::Histogram& h);

// Heights of the marker rows in plot coordinates, for a y range [0, yTop] drawn `axisHeight`
// pixels high: just above `outsideMax` (the density outside the main bulk), in the order
// observed, large-rank, finite-rank upwards (distinct heights, so that the three never hide each
// other when they agree), at least 1.6 marker heights apart on screen (a short plot would
// otherwise stack them), all below the top.
struct MarkerRows
{
    double observed, large, finite;
};
MarkerRows markerRows(double yTop, double outsideMax, double markerSize, int axisHeight);
// The y range's top at which markerRows stay `reservedPx` pixels clear of the axis rect's top
// (the interval labels over the markers): yTop, or more where the outlier density reaches close
// to it (S = 3 I: one cluster is the whole spectrum), at most 2.5 yTop.
double topClearOf(double yTop, double outsideMax, double markerSize, int axisHeight,
                  double reservedPx);

// Smaller prediction markers when there are many (more than 40 in a row), so the rows stay
// readable.
void fitPredictionMarkers(const Style& s, QCPGraph* finite, QCPGraph* large, std::size_t most);

// The observed means with their sd bars, at height y, sorted by x (QCPGraph sorts its data, and
// the error bars follow the data index).
void setObservedRow(QCPGraph* observed, QCPErrorBars* errors, const QVector<double>& x,
                    const QVector<double>& sd, double y);

} // namespace ws::ui::plotparts
