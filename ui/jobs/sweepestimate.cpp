#include "ui/jobs/sweepestimate.h"

#include "core/theory/theory.h"

#include <QThread>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace ws::ui {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t)
{
    return std::chrono::duration<double>(Clock::now() - t).count();
}

} // namespace

double sweepSeconds(const core::SweepSpec& spec, const SweepTiming& t, int threads)
{
    const std::vector<double> grid = core::sweepGrid(spec);
    const int samples = std::max(spec.run.samples, 1);
    // Samples of a point run side by side on the threads.
    const double perSample = std::max(1.0, static_cast<double>(samples) / std::max(threads, 1));
    double total = 0.0;
    for (double v : grid) {
        double w = 1.0; // theta and alpha: as costly as the timed point (alpha: at most)
        if (spec.param == core::SweepParam::N && t.n > 0)
            w = std::pow(std::round(v) / t.n, t.dense ? 3.0 : 2.0);
        total += t.theorySeconds * std::min(w, 1.0) + t.sampleSeconds * w * perSample;
    }
    return total;
}

SweepEstimator::SweepEstimator(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<ws::ui::SweepTiming>();
    connect(&m_jobs, &JobRunner::cancelled, this, &SweepEstimator::cancelled);
    connect(&m_jobs, &JobRunner::failed, this,
            [this](quint64, const JobError& e) { emit failed(e.message); });
}

SweepEstimator::~SweepEstimator() = default;

void SweepEstimator::start(const core::SweepSpec& spec)
{
    const std::vector<double> grid = core::sweepGrid(spec);
    const auto largest = std::max_element(grid.begin(), grid.end());
    const int index = static_cast<int>(largest - grid.begin());
    const double value = *largest;
    core::SweepSpec one = spec;
    one.run.samples = 1;
    one.run.threads = 1;
    const int threads = spec.run.threads > 0 ? spec.run.threads : QThread::idealThreadCount();
    m_jobs.start([this, spec, one, index, value, threads](const JobContext& ctx) {
        SweepTiming t;
        t.value = value;
        const core::Model m = core::sweepModel(one, value);
        t.n = m.n;
        auto start = Clock::now();
        (void)core::computeTheory(m, 800);
        t.theorySeconds = secondsSince(start);
        if (ctx.cancelled())
            return;
        start = Clock::now();
        const core::SweepPoint p = core::runSweepPoint(one, index, value, ctx.cancelFlag());
        if (ctx.cancelled() || p.samples < 1)
            return;
        t.sampleSeconds = std::max(secondsSince(start) - t.theorySeconds, 0.0);
        t.dense = p.sampler == core::SamplerKind::Dense;
        const double seconds = sweepSeconds(spec, t, threads);
        ctx.post([this, seconds, t] { emit estimated(seconds, t); });
    });
}

void SweepEstimator::cancel()
{
    m_jobs.cancel();
}

} // namespace ws::ui
