#include "ui/jobs/sweeprunner.h"

#include "core/model/families.h"
#include "core/util/tracy_widom.h"

#include <algorithm>
#include <cmath>
#include <limits>

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

// The strongest spike's prediction of predictOutliers, and its fluctuations (computeTheory).
SweepCurves computeCurves(const core::SweepSpec& spec, const std::atomic<bool>& cancel)
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
        c.overlapFinite.push_back(p[j].overlapFiniteRank.value_or(nan));
        c.overlapLarge.push_back(p[j].overlapLargeRank.value_or(nan));
    }
    return c;
}

} // namespace

SweepRunner::SweepRunner(QObject* parent) : QObject(parent)
{
    connect(&m_jobs, &JobRunner::started, this, &SweepRunner::started);
    connect(&m_jobs, &JobRunner::progress, this, [this](quint64, double f, int point, int points) {
        m_fraction = f;
        emit progress(f, point, points);
    });
    connect(&m_jobs, &JobRunner::finished, this, [this] {
        m_fraction = 1.0;
        emit finished(false);
    });
    connect(&m_jobs, &JobRunner::cancelled, this, [this] {
        m_result.cancelled = true;
        m_result.totalSeconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
        emit finished(true);
    });
    connect(&m_jobs, &JobRunner::failed, this,
            [this](quint64, const JobError& e) { emit failed(e.message); });
}

SweepRunner::~SweepRunner() = default;

void SweepRunner::cancel()
{
    m_jobs.cancel();
}

void SweepRunner::start(const core::SweepSpec& spec, bool withCurves)
{
    // Errors in the grid or the models are reported before anything is replaced.
    const std::vector<double> grid = core::sweepGrid(spec);
    for (double v : grid)
        (void)core::sweepModel(spec, v);

    m_spec = spec;
    m_result = core::SweepResult{};
    m_result.param = spec.param;
    m_result.requested = static_cast<int>(grid.size());
    m_curves = SweepCurves{};
    m_fraction = 0.0;
    m_start = std::chrono::steady_clock::now();
    m_jobs.start([this, spec, withCurves](const JobContext& ctx) {
        // `this` is used only in the functions posted to the GUI thread.
        if (withCurves) {
            SweepCurves c = computeCurves(spec, *ctx.cancelFlag());
            ctx.post([this, c = std::move(c)]() mutable {
                m_curves = std::move(c);
                emit curvesReady();
            });
        }
        const core::SweepResult r = core::runSweep(
            spec, ctx.cancelFlag(),
            [&ctx](const core::SweepProgress& p) { ctx.progress(p.fraction, p.point, p.points); },
            [&ctx, this](const core::SweepPoint& point) {
                ctx.post([this, point] {
                    m_result.points.push_back(point);
                    emit pointReady(point.index);
                });
            });
        ctx.post([this, cancelled = r.cancelled, seconds = r.totalSeconds] {
            m_result.cancelled = cancelled;
            m_result.totalSeconds = seconds;
        });
    });
}

} // namespace ws::ui
