#include "ui/jobs/sweeptheory.h"

#include "core/model/families.h"
#include "core/util/tracy_widom.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace ws::ui {

namespace {

// The index of the strongest spike (largest |theta|, the first on ties).
std::size_t strongest(const std::vector<core::OutlierPrediction>& p)
{
    std::size_t j = 0;
    for (std::size_t q = 1; q < p.size(); ++q)
        if (std::abs(p[q].theta) > std::abs(p[j].theta))
            j = q;
    return j;
}

// A squared overlap as drawn: NaN (a gap) where the formula leaves [0, 1]. 1 - sigma^2 D below 0
// means the spike has no outlier of its own there (neighbouring spikes pull it into a cluster).
double squaredOverlap(const std::optional<double>& v)
{
    return v && *v >= 0.0 && *v <= 1.0 ? *v : std::numeric_limits<double>::quiet_NaN();
}

// The fluctuation curves at one theta from the refined theory (SweepCurves: largeSd, edge band).
void addFluctuations(const core::Model& m, SweepCurves& c)
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    // Few density points: only the intervals, their edges and the predictions are used.
    const core::Theory t = core::computeTheory(m, 16);
    c.heavyTails = c.heavyTails || t.heavyTails;
    c.nonGaussian = c.nonGaussian || t.nonGaussian;
    const core::OutlierPrediction* p =
        t.outliers.empty() ? nullptr : &t.outliers[strongest(t.outliers)];
    const bool gaussian = !t.heavyTails && !t.nonGaussian;
    c.largeSd.push_back(p && p->sd && gaussian ? *p->sd : nan);
    const core::SupportInterval* top = nullptr;
    for (const auto& iv : t.equivalent.support)
        if (iv.kind == core::IntervalKind::Bulk)
            top = &iv;
    c.edge.push_back(top ? top->b : nan);
    if (!top || (p && p->largeRank) || !top->hi.tracyWidom || t.heavyTails) {
        c.edgeBandLo.push_back(nan);
        c.edgeBandHi.push_back(nan);
        return;
    }
    const double scale = top->hi.gamma * std::pow(static_cast<double>(t.n), -2.0 / 3.0);
    const double mean = t.beta == 2 ? core::kTracyWidomMean2 : core::kTracyWidomMean1;
    const double sd = t.beta == 2 ? core::kTracyWidomSd2 : core::kTracyWidomSd1;
    c.edgeBandLo.push_back(top->b + scale * (mean - sd));
    c.edgeBandHi.push_back(top->b + scale * (mean + sd));
}

} // namespace

// The strongest spike's prediction of predictOutliers, and its fluctuations (computeTheory).
SweepCurves sweepCurves(const core::SweepSpec& spec, const std::atomic<bool>& cancel)
{
    SweepCurves c;
    const double lo = std::min(spec.from, spec.to), hi = std::max(spec.from, spec.to);
    constexpr int kPoints = 240;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (int i = 0; i < kPoints && !cancel.load(); ++i) {
        const double t = lo + (hi - lo) * i / (kPoints - 1);
        core::Model m;
        try {
            m = core::sweepModel(spec, t);
        } catch (const std::exception&) {
            continue; // e.g. theta = 0: no spike to scale
        }
        const std::vector<core::OutlierPrediction> p = core::predictOutliers(m);
        c.x.push_back(t);
        try {
            addFluctuations(m, c);
        } catch (const std::exception&) {
            for (auto* v : {&c.largeSd, &c.edge, &c.edgeBandLo, &c.edgeBandHi})
                v->push_back(nan);
        }
        if (p.empty()) {
            for (auto* v : {&c.finite, &c.large, &c.overlapFinite, &c.overlapLarge})
                v->push_back(nan);
            continue;
        }
        const std::size_t j = strongest(p);
        c.finite.push_back(p[j].finiteRank.value_or(nan));
        c.large.push_back(p[j].largeRank.value_or(nan));
        c.overlapFinite.push_back(squaredOverlap(p[j].overlapFiniteRank));
        c.overlapLarge.push_back(squaredOverlap(p[j].overlapLargeRank));
    }
    return c;
}

GridTheory gridTheory(const core::SweepSpec& spec, double value)
{
    GridTheory g;
    g.value = value;
    const core::Model m = core::sweepModel(spec, value);
    g.n = m.n;
    const core::Theory t = core::computeTheory(m, 800); // as runSweepPoint
    g.predictions = t.outliers;
    g.bulkHi = core::bulkHull(t).hi;
    for (const auto& p : g.predictions) {
        g.predictedFinite += p.finiteRank ? 1 : 0;
        g.predictedLarge += p.largeRank ? 1 : 0;
    }
    return g;
}

bool sameTheory(const core::SweepSpec& a, const core::SweepSpec& b)
{
    return a.base == b.base && a.param == b.param && a.from == b.from && a.to == b.to &&
           a.steps == b.steps && a.log == b.log && a.rankOne == b.rankOne &&
           a.familyIndex == b.familyIndex;
}

SweepTheory::SweepTheory(QObject* parent) : QObject(parent)
{
    connect(&m_jobs, &JobRunner::failed, this,
            [this](quint64, const JobError& e) { emit failed(e.message); });
}

SweepTheory::~SweepTheory() = default;

void SweepTheory::start(const core::SweepSpec& spec, bool withCurves)
{
    // As SweepRunner::start: a bad grid or model is reported before anything is replaced.
    const std::vector<double> grid = core::sweepGrid(spec);
    for (double v : grid)
        (void)core::sweepModel(spec, v);
    m_requested = spec;
    m_jobs.start([this, spec, grid, withCurves](const JobContext& ctx) {
        // `this` is used only in the function posted to the GUI thread.
        SweepTheoryResult r;
        r.spec = spec;
        for (double v : grid) {
            if (ctx.cancelled())
                return;
            r.points.push_back(gridTheory(spec, v));
        }
        if (withCurves)
            r.curves = sweepCurves(spec, *ctx.cancelFlag());
        ctx.post([this, r = std::move(r), gen = ctx.generation()]() mutable {
            m_result = std::move(r);
            m_hasResult = true;
            m_resultGeneration = gen;
            emit ready(gen);
        });
    });
}

void SweepTheory::cancel()
{
    m_jobs.cancel();
}

} // namespace ws::ui
