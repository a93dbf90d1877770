// Animation frames on the sweep machinery (see animation.h).
#include "core/animation/animation.h"

#include "core/model/families.h"
#include "core/sweeps/located.h"
#include "core/sweeps/point_loop.h"
#include "core/sampling/banded/banded.h"
#include "core/sampling/run_setup.h"
#include "core/sampling/sampler.h"
#include "core/util/bytes.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numbers>

namespace ws::core {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxOutsidePerFrame = 4096; // rug values kept per frame

// Edge-fluctuation scale sigma N^(-2/3): the margin of the x range is 10 of them, as the CLI's
// histogram range.
double edgeScale(const Model& m)
{
    return m.sigma * std::pow(static_cast<double>(m.n), -2.0 / 3.0);
}

std::string fmt(double v)
{
    return formatDouble(v);
}

// Rough cost of a frame (arbitrary units ~ flops), so that progress moves evenly when N moves.
double frameCost(const AnimationPlan& plan, std::size_t i)
{
    const Model& m = plan.models[i];
    const double n = m.n;
    const double kd = bandWidthOf(m) + 1.0;
    double c = 0.0;
    if (frameUsesInertia(plan, static_cast<int>(i)))
        c = n * kd * kd * (static_cast<double>(plan.axes.edges.size()) + 50.0 * (kd + 1.0));
    else if (plan.spec.run.sampler != SamplerChoice::Dense && bandedInapplicableReason(m).empty())
        c = 6.0 * n * n * kd;
    else
        c = n * n * n * (m.noise.isComplex() ? 4.0 : 1.0);
    return std::max(c, 1.0) * plan.spec.run.samples;
}

AnimationAxes fixedAxes(const AnimationSpec& spec, const std::vector<Model>& models,
                        const std::vector<Theory>& theories)
{
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    double yMax = 0.0;
    double narrowestBulk = std::numeric_limits<double>::infinity(), widestBulk = 0.0;
    double fewest = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < models.size(); ++i) {
        const Model& m = models[i];
        const Theory& t = theories[i];
        const Extent hull = bulkHull(t);
        const Extent e =
            theoryExtent(t, {std::min(hull.lo, -2.0 * m.sigma), std::max(hull.hi, 2.0 * m.sigma)});
        const double w = 10.0 * edgeScale(m);
        lo = std::min(lo, e.lo - w);
        hi = std::max(hi, e.hi + w);
        yMax = std::max(yMax, 1.0 / (std::numbers::pi * m.sigma)); // the semicircle's peak
        for (double y : t.equivalent.density.y)
            yMax = std::max(yMax, y);
        const double bulk = hull.hi - hull.lo;
        if (bulk > 0.0) {
            narrowestBulk = std::min(narrowestBulk, bulk);
            widestBulk = std::max(widestBulk, bulk);
        }
        fewest = std::min(fewest, static_cast<double>(m.n) * spec.run.samples);
    }
    const double pad = 0.04 * (hi - lo);
    AnimationAxes axes;
    axes.xLo = lo - pad;
    axes.xHi = hi + pad;
    if (!(axes.xLo < axes.xHi) || !std::isfinite(axes.xLo) || !std::isfinite(axes.xHi))
        throw InputError("from", "the frames' eigenvalue range [" + fmt(axes.xLo) + ", " +
                                     fmt(axes.xHi) + "] cannot be drawn");
    axes.yMax = 1.3 * yMax;
    int bins = spec.bins;
    if (bins == 0) {
        const double span = axes.xHi - axes.xLo;
        // 2 T^(1/3) bins across a typical main bulk (the geometric mean of the narrowest and
        // the widest: a sigma animation spans a factor of several).
        const double across = 2.0 * std::cbrt(fewest);
        const double typical = std::sqrt(narrowestBulk * widestBulk);
        const double scaled = std::isfinite(narrowestBulk) ? across * span / typical : across;
        bins = static_cast<int>(std::clamp(std::round(scaled), 20.0, 400.0));
    }
    axes.edges = makeHistogram(axes.xLo, axes.xHi, bins).edges;
    return axes;
}

// Bytes of the frames and theories kept for the whole run (curves, histograms, rug, outliers).
std::size_t keptBytes(const AnimationPlan& plan)
{
    std::size_t perFrame = 64 * static_cast<std::size_t>(plan.spec.points) +
                           24 * plan.axes.edges.size() + 8 * kMaxOutsidePerFrame + 1024;
    std::size_t spikes = 0;
    for (const Model& m : plan.models)
        spikes += static_cast<std::size_t>(rankOf(m));
    // Each spike: its prediction in the theory and the frame, its observation.
    return 2 * plan.models.size() * perFrame + spikes * 3 * sizeof(OutlierPrediction);
}

void checkMemory(AnimationPlan& plan)
{
    const AnimationSpec& spec = plan.spec;
    const int threads = usedThreads(spec.run.threads);
    const int inFlight = std::max(1, std::min(threads, spec.run.samples));
    const std::size_t budget =
        spec.run.memoryBudget > 0 ? spec.run.memoryBudget : defaultMemoryBudget();
    const std::size_t kept = keptBytes(plan) + spec.extraBytes;
    SweepSpec sw = sweepSpecOf(spec);
    std::size_t largest = 0;
    for (std::size_t i = 0; i < plan.models.size(); ++i) {
        sw.fastPath = frameUsesInertia(plan, static_cast<int>(i));
        std::size_t need = sweepPointBytes(sw, plan.models[i], inFlight);
        if (sw.fastPath) // the histogram edges and counts of each sample in flight
            need += 16 * plan.axes.edges.size() * static_cast<std::size_t>(inFlight);
        largest = std::max(largest, need);
        if (need + kept > budget)
            throw ResourceError(
                "memory: the frame " + plan.valueName + " = " + fmt(plan.values[i]) +
                (spec.param == SweepParam::N ? std::string()
                                             : " (N = " + std::to_string(plan.models[i].n) + ")") +
                " needs about " + formatBytes(static_cast<double>(need + kept)) +
                " but the budget is " + formatBytes(static_cast<double>(budget)) +
                " (lower N, fewer samples or threads, or a smaller frame size)");
    }
    plan.peakBytes = largest + kept;
}

} // namespace

SweepSpec sweepSpecOf(const AnimationSpec& spec)
{
    SweepSpec s;
    s.base = spec.base;
    s.param = spec.param;
    s.familyIndex = spec.familyIndex;
    s.from = spec.from;
    s.to = spec.to;
    s.steps = spec.frames;
    s.log = spec.log;
    s.run = spec.run;
    return s;
}

AnimationPlan planAnimation(const AnimationSpec& spec, const std::atomic<bool>* cancel)
{
    validate(spec.base);
    if (spec.frames < 1 || spec.frames > 1000)
        throw InputError("frames",
                         "must be an integer in [1, 1000], got " + std::to_string(spec.frames));
    if (spec.run.samples < 1)
        throw InputError("samples", "must be at least 1, got " + std::to_string(spec.run.samples));
    if (spec.run.threads < 0)
        throw InputError("threads",
                         "must be >= 0 (0 = all cores), got " + std::to_string(spec.run.threads));
    if (spec.bins < 0 || spec.bins > 1'000'000)
        throw InputError("bins", "must be an integer in [0, 1000000] (0 = automatic), got " +
                                     std::to_string(spec.bins));
    if (spec.points < 2 || spec.points > 100'000)
        throw InputError("points",
                         "must be an integer in [2, 100000], got " + std::to_string(spec.points));

    AnimationPlan plan;
    plan.spec = spec;
    plan.valueName = sweepValueName(spec.param, spec.familyIndex, spec.base);
    const SweepSpec sw = sweepSpecOf(spec);
    plan.values = sweepGrid(sw);
    for (double v : plan.values) {
        plan.models.push_back(sweepModel(sw, v));
        if (spec.run.sampler == SamplerChoice::Banded) {
            const std::string why = bandedInapplicableReason(plan.models.back());
            if (!why.empty())
                throw InputError("sampler", "banded does not apply at " + plan.valueName + " = " +
                                                fmt(v) + ": " + why);
        }
    }
    for (const Model& m : plan.models) {
        if (cancel && cancel->load())
            return {};
        plan.theories.push_back(computeTheory(m, spec.points));
    }
    plan.axes = fixedAxes(spec, plan.models, plan.theories);
    checkMemory(plan);
    return plan;
}

bool frameUsesInertia(const AnimationPlan& plan, int index)
{
    const Model& m = plan.models.at(static_cast<std::size_t>(index));
    if (plan.spec.run.sampler == SamplerChoice::Dense || !bandedInapplicableReason(m).empty())
        return false;
    const double n = m.n;
    const double r = rankOf(m);
    const double bins = static_cast<double>(plan.axes.edges.size()) - 1.0;
    return n >= 1000 && (bins + 50.0 * (r + 2.0)) * r < 6.0 * n;
}

FrameSamples computeFrameSamples(const AnimationPlan& plan, int index, const RunOptions& run,
                                 const std::atomic<bool>* cancel, const ProgressCallback& progress)
{
    const std::size_t i = static_cast<std::size_t>(index);
    const Model& m = plan.models.at(i);
    FrameSamples out;
    if (frameUsesInertia(plan, index)) {
        const std::optional<OutlierThresholds> thresholds = outlierThresholds(plan.theories.at(i));
        if (!thresholds)
            throw InputError("bulk", "the inertia-count path needs a constant bulk");
        const BandedSpectrumRequest req =
            outlierSpectrumRequest(plan.theories.at(i), plan.axes.edges);
        BandedRunResult r = runBandedSpectra(m, run, req, cancel, progress);
        out.sampler = SamplerKind::Banded;
        out.source = SpectrumSource::InertiaCounts;
        out.cancelled = r.cancelled;
        out.sampleIndex = std::move(r.sampleIndex);
        for (auto& s : r.spectra) {
            FrameSample x;
            x.eigenvalues = locatedEigenvalues(s);
            x.unlisted =
                static_cast<std::int64_t>(s.n) - static_cast<std::int64_t>(x.eigenvalues.size());
            x.counts = std::move(s.counts);
            out.samples.push_back(std::move(x));
        }
        return out;
    }
    RunResult r = runSamples(m, run, cancel, progress);
    out.sampler = r.sampler;
    out.source = SpectrumSource::Eigenvalues;
    out.cancelled = r.cancelled;
    out.sampleIndex = std::move(r.sampleIndex);
    for (auto& ev : r.eigenvalues) {
        FrameSample x;
        x.eigenvalues = std::move(ev);
        out.samples.push_back(std::move(x));
    }
    return out;
}

AnimationFrame frameFromSamples(const AnimationPlan& plan, int index, FrameSamples samples)
{
    const auto start = Clock::now();
    const std::size_t i = static_cast<std::size_t>(index);
    const Model& m = plan.models.at(i);
    const Theory& t = plan.theories.at(i);
    const AnimationAxes& axes = plan.axes;

    AnimationFrame f;
    f.index = index;
    f.value = plan.values[i];
    f.model = m;
    f.rank = rankOf(m);
    f.semicircle = semicircleCurve(m.sigma, plan.spec.points, axes.xLo, axes.xHi);
    f.equivalent = t.equivalent.density;
    f.predictions = t.outliers;
    reportBulkClaim(f, t);
    f.histogram.edges = axes.edges;
    f.histogram.counts.assign(axes.edges.size() - 1, 0);
    f.sampler = samples.sampler;
    f.source = samples.source;

    // The histogram: every sample's eigenvalues, or on the inertia path its counts (and its N
    // eigenvalues in the total). Integer sums: the order does not matter, but it is sample order.
    for (const FrameSample& x : samples.samples) {
        if (samples.source == SpectrumSource::InertiaCounts) {
            for (std::size_t b = 0; b < f.histogram.counts.size() && b < x.counts.size(); ++b)
                f.histogram.counts[b] += x.counts[b];
            f.histogram.total += static_cast<std::uint64_t>(
                static_cast<std::int64_t>(x.eigenvalues.size()) + x.unlisted);
        } else {
            f.histogram.add(x.eigenvalues);
        }
    }
    f.samples = static_cast<int>(samples.samples.size());
    if (!samples.cancelled) {
        std::vector<SampleTally> tallies;
        for (const FrameSample& x : samples.samples)
            tallies.push_back(tallySample(t, x.eigenvalues, x.unlisted));
        f.observed = summarizeTallies(t, tallies).spikes;
        // The rug: whole samples while they fit, so that no sample is cut in half.
        for (const FrameSample& x : samples.samples) {
            std::vector<double> out;
            for (double v : x.eigenvalues) {
                const int k = intervalOf(t, v);
                if (std::isnan(v))
                    continue;
                if (k < 0 ||
                    t.equivalent.support[static_cast<std::size_t>(k)].kind == IntervalKind::Cluster)
                    out.push_back(v);
            }
            if (f.outside.size() + out.size() > kMaxOutsidePerFrame)
                break;
            f.outside.insert(f.outside.end(), out.begin(), out.end());
        }
        std::sort(f.outside.begin(), f.outside.end());
    }
    f.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return f;
}

AnimationFrame computeFrame(const AnimationPlan& plan, int index, const std::atomic<bool>* cancel,
                            const ProgressCallback& progress)
{
    const auto start = Clock::now();
    AnimationFrame f = frameFromSamples(
        plan, index, computeFrameSamples(plan, index, plan.spec.run, cancel, progress));
    f.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return f;
}

AnimationResult runAnimation(const AnimationPlan& plan, const std::atomic<bool>* cancel,
                             const AnimationProgressCallback& progress,
                             const AnimationFrameCallback& onFrame)
{
    const auto start = Clock::now();
    AnimationResult result;
    std::vector<double> cost;
    for (std::size_t i = 0; i < plan.values.size(); ++i)
        cost.push_back(frameCost(plan, i));
    result.cancelled = runPointsInOrder(
        cost, plan.spec.run.samples, cancel,
        [&](int i, const ProgressCallback& frameProgress) {
            return computeFrame(plan, i, cancel, frameProgress);
        },
        progress, onFrame, result.frames);
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return result;
}

} // namespace ws::core
