#include "ui/views/overlapview.h"

#include "ui/plots/modelwords.h"
#include "ui/plots/plotparts.h"
#include "ui/jobs/sweeprunner.h"

#include <qcustomplot.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>

namespace ws::ui {

using namespace plotparts;

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

void appendNum(QByteArray& s, double v)
{
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    s.append(buf, static_cast<int>(r.ptr - buf));
}

void appendOpt(QByteArray& s, const std::optional<double>& v)
{
    if (v)
        appendNum(s, *v);
}

} // namespace

SweepView::Settings OverlapView::settings()
{
    Settings s = thetaSettings();
    s.key = "overlaps";
    s.title = tr("Overlaps");
    s.toolTip = tr("Squared overlaps of outlier eigenvectors with their spikes.");
    s.note = tr("Squared overlap |⟨u, v⟩|² of each outlier's eigenvector u with its spike's "
                "eigenvector v (top eigenvectors only), against 1 − σ²/θ² and 1 − σ²D(θ).");
    s.overlaps = true;
    // Overlaps exist only for outliers: the grid lies above the separation threshold but for
    // its first point (0.9 to 4 thresholds: theta = sigma for one spike over no bulk).
    s.grid = {.from = 0.9, .to = 4.0, .steps = 9, .samples = 8};
    return s;
}

OverlapView::OverlapView(SessionProvider provider, QWidget* parent)
    : SweepView(settings(), std::move(provider), parent)
{
    QCustomPlot* p = setUpAxes(tr("spike θ_j"), tr("squared overlap |⟨u_j, v_j⟩|²"));
    m_observed = addNamedGraph(p, tr("observed: mean ± sd"), QCPGraph::lsNone);
    m_errors = new QCPErrorBars(p->xAxis, p->yAxis);
    m_errors->setDataPlottable(m_observed);
    m_errors->removeFromLegend();
    m_finite = addNamedGraph(p, tr("finite-rank: 1 − σ²/θ²"));
    m_large = addNamedGraph(p, tr("large-rank: 1 − σ²D(θ)"));
    m_perSpike = addNamedGraph(p, tr("large-rank, per spike"), QCPGraph::lsNone);
    finishSetup(Qt::AlignBottom | Qt::AlignRight);
}

void OverlapView::draw()
{
    const auto& r = result();
    const auto& c = curves();
    const Style& st = style();
    const double lw = st.lineWidth();
    // Every (grid point, spike) with an observed overlap, sorted by theta_j.
    struct Row
    {
        double theta, mean, sd;
        std::optional<double> large;
    };
    std::vector<Row> rows;
    std::vector<std::pair<double, double>> each;
    // A squared overlap outside [0, 1] is no outlier's: not drawn (sweeptheory.h).
    const auto inRange = [](const std::optional<double>& v) { return v && *v >= 0.0 && *v <= 1.0; };
    for (const auto& pt : r.points)
        for (std::size_t j = 0; j < pt.overlaps.size() && j < pt.predictions.size(); ++j) {
            const auto& pr = pt.predictions[j];
            if (inRange(pr.overlapLargeRank))
                each.emplace_back(pr.theta, *pr.overlapLargeRank);
            const auto& o = pt.overlaps[j];
            if (o.mean)
                rows.push_back({pr.theta, *o.mean, o.sd.value_or(0.0), pr.overlapLargeRank});
        }
    // Before a run: the per-spike predictions of the grid's theory.
    if (const auto* g = gridTheory())
        for (const GridTheory& pt : *g)
            for (const auto& pr : pt.predictions)
                if (inRange(pr.overlapLargeRank))
                    each.emplace_back(pr.theta, *pr.overlapLargeRank);
    std::sort(rows.begin(), rows.end(),
              [](const Row& a, const Row& b) { return a.theta < b.theta; });
    std::sort(each.begin(), each.end());
    each.erase(std::unique(each.begin(), each.end()), each.end());
    QVector<double> x, y, e, ex, ey;
    for (const Row& row : rows) {
        x.push_back(row.theta);
        y.push_back(row.mean);
        e.push_back(row.sd);
    }
    for (const auto& [t, v] : each) {
        ex.push_back(t);
        ey.push_back(v);
    }
    m_observed->setData(x, y);
    styleMarkers(m_observed, st.observed, QCPScatterStyle::ssCircle, st.markerSize() - 2);
    m_observed->setLineStyle(QCPGraph::lsNone);
    m_errors->setData(e);
    m_errors->setPen(QPen(st.observed, 1.2));
    // 1 - sigma^2/theta^2 depends on theta_j only: drawn for every spike over the whole range.
    const auto& spec = shownSpec();
    const double sigma = spec.base.sigma;
    double xl = std::min(spec.from, spec.to), xh = std::max(spec.from, spec.to);
    for (const Row& row : rows) {
        xl = std::min(xl, row.theta);
        xh = std::max(xh, row.theta);
    }
    for (const auto& [t, v] : each) {
        xl = std::min(xl, t);
        xh = std::max(xh, t);
    }
    QVector<double> fx, fy;
    for (int i = 0; i <= 300; ++i) {
        const double t = xl + (xh - xl) * i / 300.0;
        fx.push_back(t);
        fy.push_back(std::abs(t) > sigma ? 1.0 - sigma * sigma / (t * t) : kNaN);
    }
    m_finite->setData(fx, fy, true);
    styleLine(m_finite, st.finiteRank, lw, Qt::DashLine);
    m_large->setData(toQ(c.x), toQ(c.overlapLarge), true);
    styleLine(m_large, st.largeRank, lw);
    m_perSpike->setData(ex, ey, true);
    styleMarkers(m_perSpike, st.largeRank, QCPScatterStyle::ssDiamond, st.markerSize() - 2, false);
    m_perSpike->setLineStyle(QCPGraph::lsNone);
    // The per-spike markers only add information when several spikes move at once.
    const auto* g = gridTheory();
    const bool several = r.points.empty() ? g && !g->empty() && g->front().predictions.size() > 1
                                          : r.points.front().predictions.size() > 1;
    m_perSpike->setVisible(several);
    if (several)
        m_perSpike->addToLegend();
    else
        m_perSpike->removeFromLegend();
    m_large->setName(several ? tr("large-rank: 1 − σ²D(θ), strongest spike")
                             : tr("large-rank: 1 − σ²D(θ)"));

    QCustomPlot* p = plot();
    p->xAxis->setRange(padded(xl, xh, 0.03));
    p->yAxis->setRange(-0.05, 1.05);
    if (sigma >= xl && sigma <= xh)
        addMarkerLine(p, sigma, st.thresholdFinite, tr("θ = σ"), std::max(1.0, lw - 0.5), 0.04);
    setTitle({tr("Eigenvector overlaps against θ"), thetaSignal(spec, spec.base),
              words::size(spec.base)});
}

QByteArray OverlapView::csvOf(const core::SweepResult& r) const
{
    QByteArray s = "value,n,spike,theta,overlap_mean,overlap_sd,overlap_in_samples,"
                   "overlap_finite_rank,overlap_large_rank,observed_mean,finite_rank,large_rank\n";
    for (const auto& p : r.points)
        for (std::size_t j = 0; j < p.predictions.size(); ++j) {
            const auto& pr = p.predictions[j];
            appendNum(s, p.value);
            s +=
                ',' + QByteArray::number(p.model.n) + ',' + QByteArray::number(qulonglong(j)) + ',';
            appendNum(s, pr.theta);
            s += ',';
            if (j < p.overlaps.size()) {
                appendOpt(s, p.overlaps[j].mean);
                s += ',';
                appendOpt(s, p.overlaps[j].sd);
                s += ',' + QByteArray::number(p.overlaps[j].samplesPresent);
            } else {
                s += ",,0";
            }
            s += ',';
            appendOpt(s, pr.overlapFiniteRank);
            s += ',';
            appendOpt(s, pr.overlapLargeRank);
            s += ',';
            if (j < p.observed.size())
                appendOpt(s, p.observed[j].mean);
            s += ',';
            appendOpt(s, pr.finiteRank);
            s += ',';
            appendOpt(s, pr.largeRank);
            s += '\n';
        }
    return s;
}

} // namespace ws::ui
