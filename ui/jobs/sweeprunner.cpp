#include "ui/jobs/sweeprunner.h"

#include "core/model/families.h"

namespace ws::ui {

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
            SweepCurves c = sweepCurves(spec, *ctx.cancelFlag());
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
