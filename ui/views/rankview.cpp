#include "ui/views/rankview.h"

#include "ui/plots/logticker.h"
#include "ui/plots/modelwords.h"
#include "ui/plots/plotparts.h"

#include "core/model/families.h"

#include <qcustomplot.h>

#include <algorithm>
#include <limits>

namespace ws::ui {

using namespace plotparts;

SweepView::Settings RankView::settings()
{
    Settings s;
    s.key = "rank";
    s.title = tr("Rank sweep");
    s.toolTip = tr("Number of outliers and prediction errors against the rank exponent α.");
    s.note = tr("Rank r = ⌈N^α⌉: number of outliers predicted by each theory and observed (top), "
                "and the mean error of each prediction (bottom).");
    s.param = core::SweepParam::Alpha;
    s.box = {.symbol = tr("α"), .lo = 0, .hi = 1, .step = 0.05};
    s.grid = {.from = 0.0, .to = 1.0, .steps = 6, .samples = 4};
    return s;
}

RankView::RankView(SessionProvider provider, QWidget* parent)
    : SweepView(settings(), std::move(provider), parent)
{
    QCustomPlot* p = setUpAxes(tr("rank exponent α  (r = ⌈N^α⌉)"), tr("outliers"));
    m_predictedFinite = addNamedGraph(p, tr("predicted, finite-rank"));
    m_predictedLarge = addNamedGraph(p, tr("predicted, large-rank"));
    m_observed = addNamedGraph(p, tr("observed (mean over samples)"), QCPGraph::lsNone);
    // The errors in a panel below, on the same alpha axis.
    m_lower = addLowerPanel(p);
    QCPAxis* lx = m_lower->axis(QCPAxis::atBottom);
    QCPAxis* ly = m_lower->axis(QCPAxis::atLeft);
    ly->setLabel(tr("mean error"));
    setLogAxis(ly);
    m_errorFinite = addNamedGraph(p, tr("finite-rank error"), QCPGraph::lsLine, lx, ly);
    m_errorLarge = addNamedGraph(p, tr("large-rank error"), QCPGraph::lsLine, lx, ly);
    m_floor = addNamedGraph(p, tr("noise floor"), QCPGraph::lsLine, lx, ly);
    // Below both panels: an inset would not fit the short upper panel.
    plotparts::placeLegendBelow(p, 3, 3);
    finishSetup();
}

void RankView::styleGraphs()
{
    const Style& st = style();
    const double lw = st.lineWidth();
    styleLine(m_predictedFinite, st.finiteRank, lw, Qt::DashLine);
    styleMarkers(m_predictedFinite, st.finiteRank, QCPScatterStyle::ssSquare, st.markerSize() - 3);
    m_predictedFinite->setLineStyle(QCPGraph::lsLine);
    styleLine(m_predictedLarge, st.largeRank, lw);
    styleMarkers(m_predictedLarge, st.largeRank, QCPScatterStyle::ssDiamond, st.markerSize() - 2);
    m_predictedLarge->setLineStyle(QCPGraph::lsLine);
    styleMarkers(m_observed, st.observed, QCPScatterStyle::ssCircle, st.markerSize());
    m_observed->setLineStyle(QCPGraph::lsNone);
    m_observed->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(st.observed, 2.0),
                                                QBrush(), st.markerSize() + 2));
    styleLine(m_errorFinite, st.finiteRank, lw);
    styleMarkers(m_errorFinite, st.finiteRank, QCPScatterStyle::ssSquare, st.markerSize() - 3);
    m_errorFinite->setLineStyle(QCPGraph::lsLine);
    styleLine(m_errorLarge, st.largeRank, lw);
    styleMarkers(m_errorLarge, st.largeRank, QCPScatterStyle::ssDiamond, st.markerSize() - 2);
    m_errorLarge->setLineStyle(QCPGraph::lsLine);
    styleLine(m_floor, st.semicircle, std::max(1.0, lw - 1.0), Qt::DotLine);
    m_floor->setScatterStyle(QCPScatterStyle::ssNone);
    // The lower panel's entries repeat the colours of the upper one: the legend lists only the
    // noise floor from it.
    m_errorFinite->removeFromLegend();
    m_errorLarge->removeFromLegend();
}

void RankView::draw()
{
    const auto& r = result();
    QVector<double> a, pf, pl, ob, efx, efy, elx, ely, zx, zy;
    double cMax = 1.0;
    for (const auto& pt : r.points) {
        a.push_back(pt.value);
        pf.push_back(pt.predictedFinite);
        pl.push_back(pt.predictedLarge);
        ob.push_back(pt.observedCount);
        cMax = std::max({cMax, static_cast<double>(pt.predictedFinite),
                         static_cast<double>(pt.predictedLarge), pt.observedCount});
        if (pt.errorFinite && *pt.errorFinite > 0) {
            efx.push_back(pt.value);
            efy.push_back(*pt.errorFinite);
        }
        if (pt.errorLarge && *pt.errorLarge > 0) {
            elx.push_back(pt.value);
            ely.push_back(*pt.errorLarge);
        }
        if (pt.errorFloor && *pt.errorFloor > 0) {
            zx.push_back(pt.value);
            zy.push_back(*pt.errorFloor);
        }
    }
    // Before a run: the predicted counts of the grid's theory.
    if (const auto* g = gridTheory())
        for (const GridTheory& pt : *g) {
            a.push_back(pt.value);
            pf.push_back(pt.predictedFinite);
            pl.push_back(pt.predictedLarge);
            ob.push_back(std::numeric_limits<double>::quiet_NaN());
            cMax = std::max({cMax, static_cast<double>(pt.predictedFinite),
                             static_cast<double>(pt.predictedLarge)});
        }
    // Counts span 1 .. N: a log axis once they spread over more than a decade; a count of 0 is
    // then drawn at kNone below 1, where the axis has a tick "0".
    const bool logCounts = cMax > 20.0;
    constexpr double kNone = 0.3;
    bool zeros = false;
    if (logCounts)
        for (auto* v : {&pf, &pl, &ob})
            for (double& y : *v)
                if (y < 0.5) {
                    y = kNone;
                    zeros = true;
                }
    m_predictedFinite->setData(a, pf, true);
    m_predictedLarge->setData(a, pl, true);
    m_observed->setData(a, ob, true);
    m_errorFinite->setData(efx, efy, true);
    m_errorLarge->setData(elx, ely, true);
    m_floor->setData(zx, zy, true);
    styleGraphs();

    QCustomPlot* p = plot();
    const auto& spec = shownSpec();
    p->xAxis->setRange(padded(std::min(spec.from, spec.to), std::max(spec.from, spec.to), 0.04));
    p->yAxis->setScaleType(logCounts ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (logCounts) {
        // Counts are whole numbers: no ticks between 0 and 1 (the grid line of "0" is the
        // zero-count line).
        auto ticker = QSharedPointer<LogTicker>::create();
        ticker->setZeroTick(zeros ? kNone : std::numeric_limits<double>::quiet_NaN(), 1.0);
        p->yAxis->setTicker(ticker);
        p->yAxis->setRange(zeros ? kNone / 1.5 : 0.6, cMax * 2.0);
    } else {
        p->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
        p->yAxis->setRange(-0.5, cMax + 1.0);
    }
    double lo = std::numeric_limits<double>::infinity(), hi = 0.0;
    for (const auto* v : {&efy, &ely, &zy})
        for (double y : *v) {
            lo = std::min(lo, y);
            hi = std::max(hi, y);
        }
    if (hi > 0)
        m_lower->axis(QCPAxis::atLeft)->setRange(lo / 2.0, hi * 2.0);
    m_lower->axis(QCPAxis::atBottom)->setRange(p->xAxis->range());
    const core::Model& base = spec.base;
    const QString sp = words::spikesWith(base.spikes, tr("r = ⌈N^α⌉"));
    const QString over = words::bulk(base.bulk);
    setTitle({tr("Number of outliers as the rank grows"),
              over.isEmpty() ? sp : tr("%1 over %2").arg(sp, over), words::size(base)});
}

} // namespace ws::ui
