#include "ui/views/sweeprunner.h"

#include "core/model/families.h"

#include <QMetaObject>

#include <chrono>
#include <cmath>
#include <limits>

namespace ws::ui {

namespace {

// The strongest spike's prediction (largest |theta|, the first on ties) of predictOutliers.
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
        std::size_t j = 0;
        for (std::size_t q = 1; q < p.size(); ++q)
            if (std::abs(p[q].theta) > std::abs(p[j].theta))
                j = q;
        c.x.push_back(t);
        if (p.empty()) {
            for (auto* v : {&c.finite, &c.large, &c.overlapFinite, &c.overlapLarge})
                v->push_back(nan);
            continue;
        }
        c.finite.push_back(p[j].finiteRank.value_or(nan));
        c.large.push_back(p[j].largeRank.value_or(nan));
        c.overlapFinite.push_back(p[j].overlapFiniteRank.value_or(nan));
        c.overlapLarge.push_back(p[j].overlapLargeRank.value_or(nan));
    }
    return c;
}

} // namespace

SweepRunner::SweepRunner(QObject* parent) : QObject(parent) {}

SweepRunner::~SweepRunner()
{
    for (auto& [job, thread] : m_threads)
        job->cancel = true;
    reap(true);
}

void SweepRunner::reap(bool all)
{
    for (auto it = m_threads.begin(); it != m_threads.end();) {
        if (all || it->first->done.load()) {
            if (it->second.joinable())
                it->second.join();
            it = m_threads.erase(it);
        } else {
            ++it;
        }
    }
}

void SweepRunner::cancel()
{
    if (m_job)
        m_job->cancel = true;
}

void SweepRunner::start(const core::SweepSpec& spec, bool withCurves)
{
    // Errors in the grid or the models are reported before anything is replaced.
    const std::vector<double> grid = core::sweepGrid(spec);
    for (double v : grid)
        (void)core::sweepModel(spec, v);

    cancel();
    reap(false);
    const std::uint64_t gen = ++m_generation;
    m_job = std::make_shared<Job>();
    m_spec = spec;
    m_result = core::SweepResult{};
    m_result.param = spec.param;
    m_result.requested = static_cast<int>(grid.size());
    m_curves = SweepCurves{};
    m_fraction = 0.0;
    m_running = true;
    emit started();

    auto job = m_job;
    // Posts f to the GUI thread; dropped there unless this is still the current sweep. (The
    // destructor joins the worker, so `this` outlives every post; Qt discards queued calls to a
    // destroyed object anyway.)
    auto post = [this, gen](auto f) {
        QMetaObject::invokeMethod(
            this,
            [this, gen, f = std::move(f)]() mutable {
                if (gen == m_generation)
                    f();
            },
            Qt::QueuedConnection);
    };
    std::thread worker([this, job, spec, withCurves, post] {
        using Clock = std::chrono::steady_clock;
        auto lastPost = Clock::now() - std::chrono::seconds(1);
        try {
            if (withCurves) {
                SweepCurves c = computeCurves(spec, job->cancel);
                post([this, c = std::move(c)]() mutable {
                    m_curves = std::move(c);
                    emit curvesReady();
                });
            }
            core::SweepResult r = core::runSweep(
                spec, &job->cancel,
                [&](const core::SweepProgress& p) {
                    const auto now = Clock::now();
                    if (now - lastPost < std::chrono::milliseconds(150) && p.fraction < 1.0)
                        return;
                    lastPost = now;
                    post([this, p] {
                        m_fraction = p.fraction;
                        emit progress(p.fraction, p.point, p.points);
                    });
                },
                [&](const core::SweepPoint& point) {
                    post([this, point] {
                        m_result.points.push_back(point);
                        emit pointReady(point.index);
                    });
                });
            const bool cancelled = r.cancelled;
            const double seconds = r.totalSeconds;
            post([this, cancelled, seconds] {
                m_running = false;
                m_result.cancelled = cancelled;
                m_result.totalSeconds = seconds;
                if (!cancelled)
                    m_fraction = 1.0;
                emit finished(cancelled);
            });
        } catch (const std::exception& e) {
            const QString message = QString::fromStdString(e.what());
            post([this, message] {
                m_running = false;
                emit failed(message);
            });
        }
        job->done = true;
    });
    m_threads.emplace_back(job, std::move(worker));
}

} // namespace ws::ui
