#include "ui/plots/densitylayers.h"

#include "ui/plots/plotparts.h"

#include <algorithm>
#include <numeric>
#include <vector>

namespace ws::ui::plotparts {

namespace {

QCPGraph* addSwatch(QCustomPlot* plot, const QString& name)
{
    QCPGraph* g = addNamedGraph(plot, name);
    g->setPen(Qt::NoPen);
    return g;
}

} // namespace

DensityLayers addDensityLayers(QCustomPlot* plot, const DensityNames& names,
                               const std::function<void(QCPGraph* large)>& beforeObserved)
{
    DensityLayers l;
    l.bars = new QCPBars(plot->xAxis, plot->yAxis);
    l.bars->setWidthType(QCPBars::wtPlotCoords);
    if (!names.bars.isEmpty())
        l.bars->setName(names.bars);
    l.supportSwatch = addSwatch(plot, names.support);
    if (!names.cluster.isEmpty())
        l.clusterSwatch = addSwatch(plot, names.cluster);
    l.reference = addNamedGraph(plot, names.reference);
    l.equivalent = addNamedGraph(plot, QObject::tr("deterministic equivalent"));
    l.finite = addNamedGraph(plot, names.finite, QCPGraph::lsNone);
    l.large = addNamedGraph(plot, names.large, QCPGraph::lsNone);
    if (beforeObserved)
        beforeObserved(l.large);
    l.observed = addNamedGraph(plot, QObject::tr("observed: mean ± sd"), QCPGraph::lsNone);
    l.errors = addKeyErrorBars(plot, l.observed);
    return l;
}

void showClusterSwatch(QCustomPlot* plot, const DensityLayers& l, bool clusters, int maxColumns)
{
    if (!l.clusterSwatch || clusters == plot->legend->hasItemWithPlottable(l.clusterSwatch))
        return;
    plot->legend->clearItems(); // refilled in the order of the construction
    for (QCPAbstractPlottable* p : std::initializer_list<QCPAbstractPlottable*>{
             l.bars, l.supportSwatch, l.clusterSwatch, l.reference, l.equivalent, l.finite, l.large,
             l.observed})
        if (p && (p != l.clusterSwatch || clusters))
            p->addToLegend();
    setLegendColumns(plot, plot->legend->wrap());
    fitLegendColumns(plot, maxColumns);
}

void styleDensityLayers(const Style& s, const DensityLayers& l)
{
    const double w = s.lineWidth();
    styleBars(s, l.bars);
    l.equivalent->setPen(QPen(s.equivalent, w));
    l.reference->setPen(QPen(s.semicircle, w * 0.75, Qt::DashLine));
    styleOutlierMarkers(s, l.finite, l.large, l.observed, l.errors);
}

double setDensityBars(QCPBars* bars, const core::Histogram& h)
{
    const auto density = h.density();
    QVector<double> keys(static_cast<int>(density.size())),
        values(static_cast<int>(density.size()));
    double hmax = 0.0;
    for (std::size_t i = 0; i < density.size(); ++i) {
        keys[static_cast<int>(i)] = 0.5 * (h.edges[i] + h.edges[i + 1]);
        values[static_cast<int>(i)] = density[i];
        hmax = std::max(hmax, density[i]);
    }
    bars->setData(keys, values, true);
    if (!h.edges.empty())
        bars->setWidth((h.edges.back() - h.edges.front()) / static_cast<double>(h.counts.size()));
    return hmax;
}

MarkerRows markerRows(double yTop, double outsideMax, double markerSize, int axisHeight)
{
    double gap = 0.07 * yTop;
    if (axisHeight > 40)
        gap = std::max(gap, 1.6 * markerSize * yTop / axisHeight);
    gap = std::min(gap, 0.2 * yTop);
    const double base =
        std::min(std::max(0.10 * yTop, outsideMax + 0.06 * yTop), 0.95 * yTop - 2.0 * gap);
    return {base, base + gap, base + 2.0 * gap};
}

double topClearOf(double yTop, double outsideMax, double markerSize, int axisHeight,
                  double reservedPx)
{
    if (axisHeight <= 40 || reservedPx <= 0.0 || !(outsideMax > 0.0))
        return yTop;
    const double h = axisHeight;
    // markerRows' numbers as fractions of the top: the gap, the base above outsideMax.
    const double gap = std::min(std::max(0.07, 1.6 * markerSize / h), 0.2);
    const double room = 1.0 - (reservedPx + 4.0 + 0.5 * markerSize) / h - 0.06 - 2.0 * gap;
    if (room < 0.2) // a plot too short for the rows: flattening it would not help
        return yTop;
    return std::clamp(outsideMax / room, yTop, 2.5 * yTop);
}

void fitPredictionMarkers(const Style& s, QCPGraph* finite, QCPGraph* large, std::size_t most)
{
    const double scale = most > 40 ? 0.6 : 1.0;
    for (QCPGraph* g : {finite, large}) {
        QCPScatterStyle st = g->scatterStyle();
        st.setSize(s.markerSize() * scale);
        g->setScatterStyle(st);
    }
}

void setObservedRow(QCPGraph* observed, QCPErrorBars* errors, const QVector<double>& x,
                    const QVector<double>& sd, double y)
{
    std::vector<int> order(static_cast<std::size_t>(x.size()));
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) { return x[a] < x[b]; });
    QVector<double> sx, ssd;
    for (int i : order) {
        sx.push_back(x[i]);
        ssd.push_back(sd[i]);
    }
    observed->setData(sx, QVector<double>(sx.size(), y), true);
    errors->setData(ssd);
}

} // namespace ws::ui::plotparts
