#include "ui/views/convergenceview.h"

#include "ui/plots/modelwords.h"
#include "ui/plots/plotparts.h"

#include "core/model/families.h"

#include <qcustomplot.h>

#include <algorithm>
#include <limits>

namespace ws::ui {

using namespace plotparts;

namespace {

QString slopeText(const std::optional<double>& s)
{
    return s ? QString::number(*s, 'f', 2) : QStringLiteral("–");
}

} // namespace

SweepView::Settings ConvergenceView::settings()
{
    Settings s;
    s.key = "convergence";
    s.title = tr("Convergence");
    s.toolTip = tr("Error of each outlier prediction against N, log-log.");
    s.note = tr("Mean |observed − predicted| outlier position against N (log–log). With a "
                "full-rank bulk the finite-rank error stalls; with a growing rank r = N^α it "
                "falls only like N^(α−1). The large-rank error follows the noise floor.");
    s.param = core::SweepParam::N;
    s.log = true;
    s.nBox = false;
    s.box = {.symbol = tr("N"), .lo = 2, .hi = 1e6, .decimals = 0, .step = 100};
    s.grid = {.from = 100, .to = 3200, .steps = 6, .samples = 8};
    s.theory = false; // it draws errors of samples only
    return s;
}

ConvergenceView::ConvergenceView(SessionProvider provider, QWidget* parent)
    : SweepView(settings(), std::move(provider), parent)
{
    QCustomPlot* p = setUpAxes(tr("matrix size N"), tr("mean |observed − predicted|"));
    for (QCPAxis* a : {p->xAxis, p->yAxis}) {
        setLogAxis(a);
        a->setNumberPrecision(3);
    }
    m_finite = addNamedGraph(p, tr("finite-rank error"));
    m_large = addNamedGraph(p, tr("large-rank error"));
    m_floor = addNamedGraph(p, tr("noise floor: sd/√samples"));
    finishSetup(Qt::AlignBottom | Qt::AlignLeft);
}

void ConvergenceView::draw()
{
    const auto& r = result();
    QVector<double> fx, fy, lx, ly, zx, zy;
    for (const auto& pt : r.points) {
        if (pt.errorFinite && *pt.errorFinite > 0.0) {
            fx.push_back(pt.model.n);
            fy.push_back(*pt.errorFinite);
        }
        if (pt.errorLarge && *pt.errorLarge > 0.0) {
            lx.push_back(pt.model.n);
            ly.push_back(*pt.errorLarge);
        }
        if (pt.errorFloor && *pt.errorFloor > 0.0) {
            zx.push_back(pt.model.n);
            zy.push_back(*pt.errorFloor);
        }
    }
    const auto sf = core::logLogSlope(std::vector<double>(fx.begin(), fx.end()),
                                      std::vector<double>(fy.begin(), fy.end()));
    const auto sl = core::logLogSlope(std::vector<double>(lx.begin(), lx.end()),
                                      std::vector<double>(ly.begin(), ly.end()));
    const Style& st = style();
    const double lw = st.lineWidth();
    m_finite->setData(fx, fy, true);
    m_large->setData(lx, ly, true);
    m_floor->setData(zx, zy, true);
    m_finite->setName(tr("finite-rank error, slope %1").arg(slopeText(sf)));
    m_large->setName(tr("large-rank error, slope %1").arg(slopeText(sl)));
    styleLine(m_finite, st.finiteRank, lw);
    styleMarkers(m_finite, st.finiteRank, QCPScatterStyle::ssSquare, st.markerSize());
    m_finite->setLineStyle(QCPGraph::lsLine);
    styleLine(m_large, st.largeRank, lw);
    styleMarkers(m_large, st.largeRank, QCPScatterStyle::ssDiamond, st.markerSize() + 2);
    m_large->setLineStyle(QCPGraph::lsLine);
    styleLine(m_floor, st.semicircle, std::max(1.0, lw - 1.0), Qt::DotLine);
    m_floor->setScatterStyle(QCPScatterStyle::ssNone);

    QCustomPlot* p = plot();
    const auto& spec = shownSpec();
    double yLo = std::numeric_limits<double>::infinity(), yHi = 0.0;
    for (const auto* v : {&fy, &ly, &zy})
        for (double y : *v) {
            yLo = std::min(yLo, y);
            yHi = std::max(yHi, y);
        }
    const double xl = std::min(spec.from, spec.to), xh = std::max(spec.from, spec.to);
    if (xl > 0 && xh > 0)
        p->xAxis->setRange(xl / 1.25, xh * 1.25);
    // N ticks at the grid values (a log ticker labels only the decades).
    QSharedPointer<QCPAxisTickerText> ticks(new QCPAxisTickerText);
    for (const auto& pt : r.points)
        ticks->addTick(pt.model.n, QString::number(pt.model.n));
    if (!r.points.empty())
        p->xAxis->setTicker(ticks);
    if (yHi > 0)
        p->yAxis->setRange(yLo / 2.0, yHi * 2.0);
    // The rank may grow with N: "r = ⌈N^0.5⌉ evenly spaced spikes from 1.5 to 4".
    const core::Model& m = spec.base;
    const QString sp = words::spikesOverN(m.spikes, m.rank);
    const QString over = words::bulk(m.bulk);
    setTitle({tr("Convergence in N"), over.isEmpty() ? sp : tr("%1 over %2").arg(sp, over),
              words::noiseLevel(m)});
}

} // namespace ws::ui
