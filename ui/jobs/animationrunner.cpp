#include "ui/jobs/animationrunner.h"

#include <chrono>

namespace ws::ui {

AnimationRunner::AnimationRunner(QObject* parent) : QObject(parent)
{
    connect(&m_jobs, &JobRunner::started, this, &AnimationRunner::started);
    connect(&m_jobs, &JobRunner::progress, this, [this](quint64, double f, int, int) {
        m_fraction = f;
        emit progress(f, readyCount(), frameCount());
    });
    connect(&m_jobs, &JobRunner::finished, this, [this] {
        m_fraction = 1.0;
        emit finished(false);
    });
    connect(&m_jobs, &JobRunner::cancelled, this, [this] { emit finished(true); });
    connect(&m_jobs, &JobRunner::failed, this,
            [this](quint64, const JobError& e) { emit failed(e.message, e.param); });
}

AnimationRunner::~AnimationRunner() = default;

int AnimationRunner::frameCount() const
{
    return m_plan ? static_cast<int>(m_plan->values.size()) : 0;
}

void AnimationRunner::cancel()
{
    m_jobs.cancel();
}

void AnimationRunner::start(const core::AnimationSpec& spec)
{
    m_plan.reset();
    m_frames.clear();
    m_fraction = 0.0;
    m_seconds = 0.0;
    m_jobs.start([this, spec](const JobContext& ctx) {
        // `this` is used only in the functions posted to the GUI thread.
        const auto start = std::chrono::steady_clock::now();
        auto plan = std::make_shared<const core::AnimationPlan>(
            core::planAnimation(spec, ctx.cancelFlag()));
        if (plan->values.empty() || ctx.cancelled())
            return; // cancelled while planning: already reported
        ctx.post([this, plan] {
            m_plan = plan;
            m_frames.reserve(plan->values.size()); // references to frames stay valid
            emit planned();
        });
        // Frames in order, each posted when complete; the fraction counts samples weighted by
        // each frame's cost (core's), the count complete frames.
        const core::AnimationResult r = core::runAnimation(
            *plan, ctx.cancelFlag(),
            [&ctx](const core::AnimationProgress& p) {
                ctx.progress(p.fraction, p.frame, p.frames);
            },
            [&ctx, this](const core::AnimationFrame& f) {
                ctx.post([this, f] {
                    m_frames.push_back(f);
                    emit frameReady(f.index);
                });
            });
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        ctx.post([this, seconds] { m_seconds = seconds; });
        (void)r;
    });
}

} // namespace ws::ui
