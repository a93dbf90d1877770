#include "ui/jobs/samplingjob.h"

#include "core/outliers/outliers.h"

#include "core/sampling/banded/banded.h"
#include "core/sampling/runner.h"
#include "core/sweeps/located.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>

namespace ws::ui {

namespace {

using Clock = std::chrono::steady_clock;

// The histogram range comes from the theory; when the theory is off (heavy tails), the first
// sample decides a wider range once, with the same bin width, capped at three times the
// theory's range on each side. Later samples never move it (values outside are counted).
void widenForFirstSample(core::Histogram& h, const std::vector<double>& values)
{
    if (values.empty() || h.edges.size() < 2)
        return;
    const auto [mn, mx] = std::minmax_element(values.begin(), values.end());
    const double lo = h.edges.front(), hi = h.edges.back();
    if (*mn >= lo && *mx <= hi)
        return;
    const double span = hi - lo, width = span / static_cast<double>(h.counts.size());
    if (!std::isfinite(span) || !std::isfinite(*mn) || !std::isfinite(*mx))
        return; // a range at the end of the doubles is wide enough as it is
    const double margin = 0.03 * span;
    const double newLo = std::max(std::min(lo, *mn - margin), lo - 3.0 * span);
    const double newHi = std::min(std::max(hi, *mx + margin), hi + 3.0 * span);
    if (!std::isfinite(newLo) || !std::isfinite(newHi) || !std::isfinite(newHi - newLo))
        return;
    const int bins = static_cast<int>(std::clamp(std::ceil((newHi - newLo) / width), 1.0, 4000.0));
    h = core::makeHistogram(newLo, newHi, bins);
}

// The fast path's located eigenvalues of one sample (bottom and top ones, beyond the bulk's
// claim), ascending with their ranks among the N, duplicates (small N) merged.
SampleEigenvalues located(int k, const core::BandedSpectrum& sp)
{
    std::vector<std::pair<std::int64_t, double>> byRank;
    for (std::size_t j = 0; j < sp.bottom.size(); ++j)
        byRank.emplace_back(static_cast<std::int64_t>(j), sp.bottom[j]);
    for (std::size_t j = 0; j < sp.top.size(); ++j)
        byRank.emplace_back(static_cast<std::int64_t>(sp.n) - 1 - static_cast<std::int64_t>(j),
                            sp.top[j]);
    std::sort(byRank.begin(), byRank.end());
    byRank.erase(std::unique(byRank.begin(), byRank.end(),
                             [](const auto& a, const auto& b) { return a.first == b.first; }),
                 byRank.end());
    SampleEigenvalues s;
    s.index = k;
    for (const auto& [rank, v] : byRank) {
        s.ranks.push_back(rank);
        s.values.push_back(v);
    }
    return s;
}

// What the worker has gathered so far. Touched only by the core's sample callbacks (serialized
// by the core) and by the worker thread after the core call returned.
class Accumulator
{
public:
    Accumulator(std::shared_ptr<const TheoryFrame> theory, FrameCallback onFrame, int refreshMs)
        : m_theory(std::move(theory)), m_onFrame(std::move(onFrame)),
          m_refresh(std::chrono::milliseconds(refreshMs)),
          m_histogram(core::makeHistogram(m_theory->histLo, m_theory->histHi, m_theory->bins)),
          m_sampler(m_theory->predictedSampler)
    {
    }

    void start() { m_start = m_lastPost = Clock::now(); }

    void addSample(int k, const std::vector<double>& values)
    {
        if (m_samples.empty())
            widenForFirstSample(m_histogram, values);
        m_histogram.add(values);
        auto s = std::make_shared<SampleEigenvalues>();
        s->index = k;
        s->values = values;
        add(std::move(s), 0);
    }

    // The eigenvalues the fast path did not locate are all in the bulk (outlierThresholds).
    void addSpectrum(int k, const core::BandedSpectrum& sp)
    {
        core::accumulate(sp, m_histogram);
        auto s = std::make_shared<SampleEigenvalues>(located(k, sp));
        const auto unlisted =
            static_cast<std::int64_t>(sp.n) - static_cast<std::int64_t>(s->values.size());
        add(std::move(s), unlisted);
    }

    void setSampler(std::string sampler) { m_sampler = std::move(sampler); }

    // The last frame of a run that was not cancelled.
    void finish(const JobContext& ctx) { post(ctx, true); }

    // Posts a frame when one is due (the first sample's at once).
    void maybePost(const JobContext& ctx)
    {
        const auto now = Clock::now();
        if (m_inFlight->load() || (m_samples.size() > 1 && now - m_lastPost < m_refresh))
            return;
        m_lastPost = now;
        post(ctx, false);
    }

private:
    // Each sample is tallied once (core/outliers/outliers.h): what the outlier statistics need,
    // without keeping or rescanning every value.
    void add(std::shared_ptr<const SampleEigenvalues> s, std::int64_t unlisted)
    {
        m_tallies.push_back(core::tallySample(m_theory->theory, s->values, unlisted));
        m_samples.push_back(std::move(s));
    }

    void post(const JobContext& ctx, bool last)
    {
        auto f = std::make_shared<SampleFrame>();
        f->generation = m_theory->generation;
        f->total = m_theory->session.samples;
        f->histogram = m_histogram;
        f->done = static_cast<int>(m_samples.size());
        f->sampler = m_sampler;
        f->extremesOnly = m_theory->plan == SamplerPlan::BandedCounts;
        if (f->done > 0)
            f->elapsedSeconds = std::chrono::duration<double>(Clock::now() - m_start).count();
        core::OutlierObservation obs = core::summarizeTallies(m_theory->theory, m_tallies);
        f->observed = std::move(obs.spikes);
        f->observedIntervals = std::move(obs.intervals);
        f->meanOutlierCount = obs.meanOutliers;
        f->meanUnexplained = obs.meanUnexplained;
        f->unexplained = std::move(obs.unexplained);
        std::uint64_t inside = 0;
        for (auto c : f->histogram.counts)
            inside += c;
        f->outsideHistogram = f->histogram.total - inside;
        f->finished = last;
        f->eigenvalues = m_samples;
        m_inFlight->store(true);
        ctx.post([onFrame = m_onFrame, inFlight = m_inFlight,
                  frame = std::shared_ptr<const SampleFrame>(std::move(f))] {
            inFlight->store(false);
            onFrame(frame);
        });
    }

    std::shared_ptr<const TheoryFrame> m_theory;
    FrameCallback m_onFrame;
    Clock::duration m_refresh;
    core::Histogram m_histogram;
    std::string m_sampler;
    std::vector<std::shared_ptr<const SampleEigenvalues>> m_samples;
    std::vector<core::SampleTally> m_tallies; // per sample, for the outlier statistics
    Clock::time_point m_start, m_lastPost;
    // A posted frame has not reached the GUI thread yet: skip intermediate frames meanwhile.
    std::shared_ptr<std::atomic<bool>> m_inFlight = std::make_shared<std::atomic<bool>>(false);
};

} // namespace

std::shared_ptr<const SampleFrame> emptySampleFrame(const TheoryFrame& theory)
{
    auto f = std::make_shared<SampleFrame>();
    f->generation = theory.generation;
    f->total = theory.session.samples;
    f->histogram = core::makeHistogram(theory.histLo, theory.histHi, theory.bins);
    f->sampler = theory.predictedSampler;
    f->extremesOnly = theory.plan == SamplerPlan::BandedCounts;
    f->observed.resize(theory.theory.outliers.size());
    return f;
}

JobRunner::Work samplingJob(std::shared_ptr<const TheoryFrame> theory, FrameCallback onFrame,
                            int refreshMs)
{
    return [theory = std::move(theory), onFrame = std::move(onFrame),
            refreshMs](const JobContext& ctx) {
        Accumulator acc(theory, onFrame, refreshMs);
        const core::Model& m = theory->session.model;
        core::RunOptions opt;
        opt.samples = theory->session.samples;
        opt.seed = theory->session.seed;
        acc.start();
        bool cancelled = false;
        if (theory->plan == SamplerPlan::BandedCounts) {
            // Counts per bin from inertia counts; the eigenvalues beyond the bulk's claim (the
            // outliers) plus the top and bottom one located by bisection. The band model needs a
            // constant bulk, so there is at most one bulk interval.
            const core::BandedSpectrumRequest req = core::outlierSpectrumRequest(
                theory->theory,
                core::makeHistogram(theory->histLo, theory->histHi, theory->bins).edges);
            const core::BandedRunResult res = core::runBandedSpectra(
                m, opt, req, ctx.cancelFlag(), {}, [&](int k, const core::BandedSpectrum& sp) {
                    acc.addSpectrum(k, sp);
                    acc.maybePost(ctx);
                });
            acc.setSampler(samplerLabel(SamplerPlan::BandedCounts));
            cancelled = res.cancelled;
        } else {
            const core::RunResult res = core::runSamples(m, opt, ctx.cancelFlag(), {},
                                                         [&](int k, const std::vector<double>& ev) {
                                                             acc.addSample(k, ev);
                                                             acc.maybePost(ctx);
                                                         });
            acc.setSampler(core::toString(res.sampler));
            cancelled = res.cancelled;
        }
        if (!cancelled && !ctx.cancelled())
            acc.finish(ctx);
    };
}

} // namespace ws::ui
