#include "ui/jobs/rectrunner.h"

#include "ui/jobs/frames.h" // chooseBins

#include "core/model/families.h"
#include "core/theory/theory_budget.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace ws::ui {

namespace {

// The histogram ranges: the theory's plotted range (support, MP support and every predicted
// outlier, plus 5%), in both variables.
void chooseRanges(RectFrame& f)
{
    const core::RectTheory& t = f.theory;
    const double values = static_cast<double>(f.samples) * t.p;
    f.lo = t.mpSingular.x.empty() ? 0.0 : t.mpSingular.x.front();
    f.hi = t.mpSingular.x.empty() ? 1.0 : t.mpSingular.x.back();
    f.loSq = t.mpSquared.x.empty() ? 0.0 : t.mpSquared.x.front();
    f.hiSq = t.mpSquared.x.empty() ? 1.0 : t.mpSquared.x.back();
    const double widen = 3.0 * t.edgeMargin; // room for the fluctuations of the top value
    f.hi += widen;
    f.hiSq = std::max(f.hiSq, f.hi * f.hi);
    if (!(f.hi > f.lo))
        f.hi = f.lo + 1.0;
    if (!(f.hiSq > f.loSq))
        f.hiSq = f.loSq + 1.0;
    f.bins = chooseBins(f.lo, f.hi, t.mainBulkLo, t.mainBulkHi, values);
    f.binsSq = chooseBins(f.loSq, f.hiSq, t.mainBulkLo * t.mainBulkLo, t.mainBulkHi * t.mainBulkHi,
                          values);
}

} // namespace

RectRunner::RectRunner(QObject* parent) : QObject(parent)
{
    connect(&m_jobs, &JobRunner::started, this, &RectRunner::started);
    connect(&m_jobs, &JobRunner::progress, this,
            [this](quint64, double fraction) { emit progress(fraction); });
    connect(&m_jobs, &JobRunner::finished, this, [this] { emit finished(false); });
    connect(&m_jobs, &JobRunner::cancelled, this, [this] { emit finished(true); });
    connect(&m_jobs, &JobRunner::failed, this,
            [this](quint64, const JobError& e) { emit failed(e.message); });
}

RectRunner::~RectRunner() = default;

void RectRunner::cancel()
{
    m_jobs.cancel();
}

void RectRunner::start(const core::RectModel& m, int samples, std::uint64_t seed)
{
    core::validate(m);
    if (samples < 1)
        throw core::InputError("samples: must be at least 1, got " + std::to_string(samples));
    m_jobs.start([this, m, samples, seed](const JobContext& ctx) {
        // `this` is used only in the functions posted to the GUI thread.
        using Clock = std::chrono::steady_clock;
        const std::uint64_t gen = ctx.generation();
        const auto t0 = Clock::now();
        auto frame = std::make_shared<RectFrame>();
        frame->generation = gen;
        frame->model = m;
        frame->samples = samples;
        frame->seed = seed;
        frame->rank = m.effectiveRank();
        core::checkRectTheoryBudget(m, 800, 0); // before its p values are allocated
        frame->theory = core::computeRectTheory(m);
        frame->theorySeconds = std::chrono::duration<double>(Clock::now() - t0).count();
        chooseRanges(*frame);
        std::shared_ptr<const RectFrame> shown = frame;
        ctx.post([this, shown] {
            m_frame = shown;
            m_snapshot.reset();
            emit theoryReady();
        });
        if (ctx.cancelled())
            return;

        // Accumulated by the (serialized) sample callback.
        RectSnapshot acc;
        acc.generation = gen;
        acc.total = samples;
        acc.hist = core::makeHistogram(frame->lo, frame->hi, frame->bins);
        acc.histSq = core::makeHistogram(frame->loSq, frame->hiSq, frame->binsSq);
        std::vector<std::vector<double>> values;
        auto lastPost = Clock::now();
        auto snapshot = [&](bool last) {
            auto s = std::make_shared<RectSnapshot>(acc);
            // The core's rule (as the CLI): the values of every bulk lump are not outliers.
            core::OutlierObservation obs = core::observeRectSpectrum(frame->theory, values, false);
            s->observed = std::move(obs.spikes);
            s->observedIntervals = std::move(obs.intervals);
            s->meanOutliers = obs.meanOutliers;
            s->meanUnexplained = obs.meanUnexplained;
            s->observedSq = core::observeRectOutliers(frame->theory, values, true);
            s->seconds = std::chrono::duration<double>(Clock::now() - t0).count();
            s->finished = last;
            std::shared_ptr<const RectSnapshot> shownSnap = std::move(s);
            ctx.post([this, shownSnap] {
                m_snapshot = shownSnap;
                emit snapshotReady();
            });
        };
        core::RectRunOptions opt;
        opt.samples = samples;
        opt.seed = seed;
        const core::RectRunResult r = core::runRectSamples(
            m, opt, ctx.cancelFlag(),
            [&ctx](int done, int total) {
                ctx.progress(static_cast<double>(done) / total, done, total);
            },
            [&](int, const std::vector<double>& sv) {
                acc.hist.add(sv);
                std::vector<double> sq(sv.size());
                std::transform(sv.begin(), sv.end(), sq.begin(), [](double x) { return x * x; });
                acc.histSq.add(sq);
                values.push_back(sv);
                ++acc.done;
                if (Clock::now() - lastPost > std::chrono::milliseconds(100)) {
                    lastPost = Clock::now();
                    snapshot(false);
                }
            });
        acc.cancelled = r.cancelled;
        if (!r.cancelled)
            snapshot(true);
    });
}

} // namespace ws::ui
