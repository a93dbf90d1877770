#include "ui/views/bbpview.h"

#include "ui/plots/modelwords.h"
#include "ui/plots/plotparts.h"
#include "ui/jobs/sweeprunner.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

namespace ws::ui {

using namespace plotparts;

SweepView::Settings BbpView::settings()
{
    Settings s = thetaSettings();
    s.key = "bbp";
    s.title = tr("BBP diagram");
    s.toolTip = tr("Top eigenvalue against the spike strength θ: the BBP transition.");
    s.note = tr("Top eigenvalue against the spike strength θ. Below the threshold it sticks to the "
                "bulk edge; above it an outlier separates and follows the predictions.");
    s.rankOne = true;
    // The transition in the middle: 0.2 to 3 thresholds (theta = sigma for one spike).
    s.grid = {.from = 0.2, .to = 3.0, .steps = 15, .samples = 8};
    return s;
}

BbpView::BbpView(SessionProvider provider, QWidget* parent)
    : SweepView(settings(), std::move(provider), parent)
{
    QCustomPlot* p = setUpAxes(tr("spike strength θ"), tr("top eigenvalue"));
    std::tie(m_hi, m_lo) = addBand(p, tr("observed: mean ± sd"));
    m_samples = addNamedGraph(p, tr("individual samples"), QCPGraph::lsNone);
    m_mean = addNamedGraph(p, {});
    m_finite = addNamedGraph(p, tr("finite-rank: θ + σ²/θ"));
    m_large = addNamedGraph(p, tr("large-rank: θ + σ²G(θ)"));
    m_edge = addNamedGraph(p, tr("top edge of the bulk intervals (theory)"));
    // The bands are named in the entries of their curves (a taller legend would take the
    // plot's height in presentation mode).
    std::tie(m_sdHi, m_sdLo) = addBand(p);
    std::tie(m_twHi, m_twLo) = addBand(p);
    // The Tracy-Widom band behind the curves and the points.
    p->addLayer("bands", p->layer("main"), QCustomPlot::limBelow);
    for (QCPGraph* g : {m_twHi, m_twLo})
        g->setLayer("bands");
    // The dashed finite-rank curve is drawn over the solid large-rank one: where they coincide
    // (rank one, zero bulk) both stay visible.
    p->addLayer("front", p->layer("main"), QCustomPlot::limAbove);
    m_finite->setLayer("front");
    // Below the plot: no corner of the axis rect is free of data for every grid (the samples'
    // spread and the Tracy-Widom band fill the bottom right; the threshold labels and the empty
    // note the top left).
    placeLegendBelow(p, 2);
    finishSetup();
}

void BbpView::drawBands(double lw)
{
    const auto& c = curves();
    const Style& st = style();
    QVector<double> sdHi, sdLo, twHi, twLo;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const bool have = c.largeSd.size() == c.x.size() && c.edgeBandLo.size() == c.x.size() &&
                      c.edgeBandHi.size() == c.x.size() && c.large.size() == c.x.size();
    for (std::size_t i = 0; have && i < c.x.size(); ++i) {
        const double m = c.large[i], sd = c.largeSd[i];
        const bool band = std::isfinite(m) && std::isfinite(sd);
        sdHi.push_back(band ? m + sd : nan);
        sdLo.push_back(band ? m - sd : nan);
        twHi.push_back(c.edgeBandHi[i]);
        twLo.push_back(c.edgeBandLo[i]);
    }
    const QVector<double> x = have ? toQ(c.x) : QVector<double>();
    m_sdHi->setData(x, sdHi, true);
    m_sdLo->setData(x, sdLo, true);
    m_twHi->setData(x, twHi, true);
    m_twLo->setData(x, twLo, true);
    // The predicted band as dashed edges, no fill: it lies on the observed (filled) band when
    // the theory is right, and both must stay visible.
    for (QCPGraph* g : {m_sdHi, m_sdLo})
        g->setPen(QPen(st.largeRank, std::max(1.0, lw * 0.6), Qt::DashLine));
    m_sdHi->setBrush(Qt::NoBrush);
    for (QCPGraph* g : {m_twHi, m_twLo})
        g->setPen(QPen(faded(st.semicircle, 120), std::max(1.0, lw * 0.5)));
    m_twHi->setBrush(QBrush(faded(st.semicircle, 50)));
    const auto drawn = [](const QVector<double>& v) {
        return std::any_of(v.begin(), v.end(), [](double y) { return std::isfinite(y); });
    };
    m_large->setName(drawn(sdHi) ? tr("large-rank: θ + σ²G(θ), dashed: ± 1 predicted sd")
                                 : tr("large-rank: θ + σ²G(θ)"));
    m_edge->setName(drawn(twHi) ? tr("top edge of the bulk intervals, band: Tracy–Widom mean ± sd")
                                : tr("top edge of the bulk intervals (theory)"));
}

// Why a band is missing rather than drawing one the theory cannot back (a title line).
QString BbpView::noBandReason() const
{
    const auto& c = curves();
    if (c.heavyTails)
        return tr("no bands: heavy-tailed noise, the outlier and edge theory does not hold");
    if (c.nonGaussian)
        return tr("no sd band: basis eigenvectors with non-Gaussian noise");
    return {};
}

void BbpView::draw()
{
    const auto& r = result();
    const auto& c = curves();
    const Style& st = style();
    const double lw = st.lineWidth();
    QVector<double> x, hi, lo, mean, sx, sy;
    double yLo = std::numeric_limits<double>::infinity(), yHi = -yLo;
    QVector<double> edgeX, edgeY;
    for (const auto& pt : r.points) {
        if (pt.topMean.empty())
            continue;
        x.push_back(pt.value);
        mean.push_back(pt.topMean[0]);
        hi.push_back(pt.topMean[0] + pt.topSd[0]);
        lo.push_back(pt.topMean[0] - pt.topSd[0]);
        yLo = std::min(yLo, lo.back());
        yHi = std::max(yHi, hi.back());
        // The faint points: every sample's eigenvalues at the top ranks the spikes can reach.
        const std::size_t ranks = std::min<std::size_t>(
            static_cast<std::size_t>(std::max(pt.rank, 1)), pt.top.empty() ? 0 : pt.top[0].size());
        for (const auto& t : pt.top)
            for (std::size_t i = 0; i < std::min(ranks, t.size()); ++i) {
                sx.push_back(pt.value);
                sy.push_back(t[i]);
                yLo = std::min(yLo, t[i]);
                yHi = std::max(yHi, t[i]);
            }
        edgeX.push_back(pt.value);
        edgeY.push_back(pt.bulkHi);
    }
    if (const auto* g = gridTheory())
        for (const GridTheory& pt : *g) { // before a run: the same edge from the grid's theory
            edgeX.push_back(pt.value);
            edgeY.push_back(pt.bulkHi);
            yLo = std::min(yLo, pt.bulkHi);
            yHi = std::max(yHi, pt.bulkHi);
        }
    m_hi->setData(x, hi, true);
    m_lo->setData(x, lo, true);
    m_mean->setData(x, mean, true);
    m_samples->setData(sx, sy);
    m_edge->setData(edgeX, edgeY, true);
    const QColor obs = st.observed;
    m_hi->setPen(QPen(faded(obs, 90), 1.0));
    m_lo->setPen(QPen(faded(obs, 90), 1.0));
    m_hi->setBrush(QBrush(faded(st.bars, 90)));
    styleLine(m_mean, obs, lw);
    m_mean->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(obs, 1.5), QBrush(obs), 5));
    m_samples->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, QPen(Qt::NoPen),
                                               QBrush(faded(obs, 60)), st.presentation ? 6 : 4));
    m_samples->setPen(QPen(faded(obs, 60)));

    m_finite->setData(toQ(c.x), toQ(c.finite), true);
    m_large->setData(toQ(c.x), toQ(c.large), true);
    styleLine(m_finite, st.finiteRank, lw, Qt::DashLine);
    styleLine(m_large, st.largeRank, lw);
    styleLine(m_edge, st.semicircle, std::max(1.0, lw - 1.0), Qt::DotLine);
    for (std::size_t i = 0; i < c.x.size(); ++i)
        for (double v : {c.finite[i], c.large[i]})
            if (std::isfinite(v)) {
                yLo = std::min(yLo, v);
                yHi = std::max(yHi, v);
            }
    drawBands(lw);

    QCustomPlot* p = plot();
    const auto& spec = shownSpec();
    const bool any = !r.points.empty() || !c.x.empty();
    // The grid frames the plot before a run too (the y range needs the data).
    const double xl = std::min(spec.from, spec.to), xh = std::max(spec.from, spec.to);
    p->xAxis->setRange(padded(xl, xh, 0.03));
    if (any) {
        p->yAxis->setRange(padded(yLo, yHi, 0.08));
        // Thresholds: |theta| = sigma (finite rank); the large-rank one where its prediction
        // first appears on the fine grid.
        // Their labels at the top (below the threshold the data sits at the bulk edge, at the
        // bottom), the second a line under the first.
        const double sigma = spec.base.sigma;
        QCPItemText* first = nullptr;
        if (sigma >= xl && sigma <= xh)
            first = addMarkerLine(p, sigma, st.thresholdFinite, tr("θ = σ (finite-rank threshold)"),
                                  std::max(1.0, lw - 0.5), 0.02);
        for (std::size_t i = 0; i < c.x.size(); ++i)
            if (std::isfinite(c.large[i]) && c.x[i] > 0.0) {
                if (i > 0 && std::abs(c.x[i] - sigma) > 1e-9 * (1.0 + sigma)) {
                    QCPItemText* second =
                        addMarkerLine(p, c.x[i], st.thresholdLarge, tr("large-rank threshold"),
                                      std::max(1.0, lw - 0.5), 0.02);
                    if (first) {
                        second->position->setTypeY(QCPItemPosition::ptAbsolute);
                        second->position->setParentAnchorY(first->bottom);
                        second->position->setCoords(c.x[i], 2.0);
                    }
                }
                break;
            }
    }
    setTitle({tr("BBP transition: the top eigenvalue against θ"), thetaSignal(spec, spec.base),
              words::size(spec.base), noBandReason()});
}

} // namespace ws::ui
