// Grid runs spread over the processes of a cluster run: a sweep's points and an animation's
// frames (each frame is a sweep point). The work items are the (point, sample) pairs, split by
// their estimated cost; rank 0 gets every point's samples back in sample order and makes each
// point with the core's own code (see distributed.h, docs/cluster.md).
#include "ui/cli/distributed.h"

#include "ui/cli/output.h"
#include "ui/cli/progress.h"

#include "core/model/model.h"
#include "core/outliers/overlap.h"
#include "core/sampling/run_setup.h"
#include "core/theory/theory.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <stdexcept>

namespace ws::cli {

namespace {

using Clock = std::chrono::steady_clock;

// This process's samples of each point: the (point, sample) pairs, point-major, each costing its
// point's `sampleCost`, split by splitWork.
std::vector<std::vector<int>> gridShare(const std::vector<double>& sampleCost, int samples,
                                        const Cluster& c)
{
    const auto points = sampleCost.size();
    const auto k = static_cast<std::size_t>(samples);
    std::vector<double> cost;
    cost.reserve(points * k);
    for (double x : sampleCost)
        cost.insert(cost.end(), k, x);
    const std::vector<int> owner = splitWork(cost, c.size());
    std::vector<std::vector<int>> mine(points);
    for (std::size_t i = 0; i < points; ++i)
        for (std::size_t s = 0; s < k; ++s)
            if (owner[i * k + s] == c.rank())
                mine[i].push_back(static_cast<int>(s));
    return mine;
}

// One point's share in a block: its index, sampler and source, then each sample's index and
// what put(w, j) writes of the j-th.
template <class Put>
void putPoint(BlockWriter& w, std::size_t point, core::SamplerKind sampler,
              core::SpectrumSource source, const std::vector<int>& sampleIndex, Put&& put)
{
    w.putInt(static_cast<std::int64_t>(point));
    w.putInt(static_cast<std::int64_t>(sampler));
    w.putInt(static_cast<std::int64_t>(source));
    w.putInt(static_cast<std::int64_t>(sampleIndex.size()));
    for (std::size_t j = 0; j < sampleIndex.size(); ++j) {
        w.putInt(sampleIndex[j]);
        put(w, j);
    }
}

template <class T> struct GatheredPoint
{
    core::SamplerKind sampler = core::SamplerKind::Dense;
    core::SpectrumSource source = core::SpectrumSource::Eigenvalues;
    std::vector<T> samples; // all of them, in sample order
};

// Rank 0: every point's samples from every process's blocks, in sample order (get(r) reads what
// putPoint's put wrote). Every (point, sample) pair must be there exactly once.
template <class T, class Get>
std::vector<GatheredPoint<T>> pointsInSampleOrder(const std::vector<std::string>& blocks,
                                                  std::size_t points, std::size_t samples,
                                                  Get&& get)
{
    std::vector<GatheredPoint<T>> out(points);
    std::vector<std::vector<std::optional<T>>> slots(points,
                                                     std::vector<std::optional<T>>(samples));
    for (const std::string& b : blocks) {
        BlockReader r(b);
        while (!r.atEnd()) {
            const auto i = static_cast<std::size_t>(r.getInt());
            if (i >= points)
                throw std::runtime_error("cluster: a grid point out of range");
            out[i].sampler = static_cast<core::SamplerKind>(r.getInt());
            out[i].source = static_cast<core::SpectrumSource>(r.getInt());
            const std::int64_t count = r.getInt();
            for (std::int64_t j = 0; j < count; ++j) {
                const std::int64_t k = r.getInt();
                if (k < 0 || static_cast<std::size_t>(k) >= samples ||
                    slots[i][static_cast<std::size_t>(k)])
                    throw std::runtime_error("cluster: a sample delivered twice or out of range");
                slots[i][static_cast<std::size_t>(k)] = get(r);
            }
        }
    }
    for (std::size_t i = 0; i < points; ++i) {
        for (auto& s : slots[i]) {
            if (!s)
                throw std::runtime_error("cluster: a sample of a grid point was not delivered");
            out[i].samples.push_back(std::move(*s));
        }
        slots[i].clear();
    }
    return out;
}

// The progress of point i of `points` (its samples done), as the one-process runs report it.
template <class P, class Callback>
core::ProgressCallback pointProgress(const Callback& progress, std::size_t i, std::size_t points)
{
    if (!progress)
        return {};
    // SweepProgress and AnimationProgress alike: point, points, samples done, samples, fraction.
    return [&progress, i, points](int done, int total) {
        progress(P{static_cast<int>(i), static_cast<int>(points), done, total,
                   static_cast<double>(i) / static_cast<double>(points)});
    };
}

void putOptional(BlockWriter& w, const std::optional<double>& v)
{
    w.putInt(v ? 1 : 0);
    w.putDouble(v.value_or(0.0));
}

std::optional<double> getOptional(BlockReader& r)
{
    const bool has = r.getInt() != 0;
    const double v = r.getDouble();
    return has ? std::optional<double>(v) : std::nullopt;
}

void putOptionals(BlockWriter& w, const std::vector<std::optional<double>>& v)
{
    w.putInt(static_cast<std::int64_t>(v.size()));
    for (const auto& x : v)
        putOptional(w, x);
}

std::vector<std::optional<double>> getOptionals(BlockReader& r)
{
    std::vector<std::optional<double>> v(static_cast<std::size_t>(r.getInt()));
    for (auto& x : v)
        x = getOptional(r);
    return v;
}

// A sweep sample and, with --overlaps, its eigenvector overlaps.
struct SweepPair
{
    core::SweepSample sample;
    core::SampleOverlaps overlaps;
};

// Bytes rank 0 holds of one sample of a sweep point (the gather's memory).
std::size_t sweepSampleBytes(const core::SweepSpec& spec, const core::Model& m)
{
    const auto keep = static_cast<std::size_t>(std::max(spec.keepTop, 0));
    const auto rank = static_cast<std::size_t>(std::max(core::rankOf(m), 1));
    std::size_t b = 128 + 2 * keep * sizeof(double);
    // The fast path sends only the eigenvalues it located (outliers and extremes).
    b += (core::sweepUsesFastPath(spec, m) ? 2 * keep + rank : static_cast<std::size_t>(m.n)) *
         sizeof(double);
    if (spec.overlaps)
        b += 64 + 3 * rank * 16;
    return b;
}

} // namespace

std::optional<core::SweepResult> clusterRunSweep(const core::SweepSpec& spec, const RunEnv& env,
                                                 const core::SweepProgressCallback& progress)
{
    if (!isDistributed(env))
        return core::runSweep(spec, env.cancel, progress);
    const auto start = Clock::now();
    // What runSweep checks first, on every process (the same inputs give the same answer).
    const auto plan = clusterStep(env, "sweep", [&] {
        core::validate(spec.base);
        (void)core::runShape(spec.run);
        std::vector<double> g = core::sweepGrid(spec);
        std::vector<core::Model> ms = core::sweepModels(spec, g);
        return std::make_pair(std::move(g), std::move(ms));
    });
    const std::vector<double>& grid = plan.first;
    const std::vector<core::Model>& models = plan.second;
    const auto points = grid.size();
    const auto samples = static_cast<std::size_t>(spec.run.samples);

    std::vector<double> cost;
    std::size_t gathered = 0;
    for (const core::Model& m : models) {
        cost.push_back(core::sweepSampleCost(spec, m));
        gathered += samples * sweepSampleBytes(spec, m);
    }
    std::vector<core::SweepSpec> mine(points, spec);
    const std::vector<std::vector<int>> share = gridShare(cost, spec.run.samples, *env.cluster);
    for (std::size_t i = 0; i < points; ++i)
        mine[i].run.subset = share[i];

    // Each process checks the memory of its own points against its budget before any runs,
    // rank 0 also the gather.
    (void)clusterStep(env, "sweep", [&] {
        for (std::size_t i = 0; i < points; ++i)
            if (!mine[i].run.subset.empty())
                core::checkSweepPointMemory(mine[i], grid[i], models[i]);
        return 0;
    });
    checkGatherMemory(env, "sweep", gathered, spec.run.memoryBudget,
                      "lower N, --samples or --steps");

    std::map<std::size_t, core::Theory> theories; // of this process's points, kept for rank 0
    const std::vector<std::string> blocks = gatherShares(env, "sweep", [&] {
        BlockWriter w;
        for (std::size_t i = 0; i < points; ++i) {
            if (mine[i].run.subset.empty())
                continue;
            const core::Theory& theory =
                theories.emplace(i, core::computeTheory(models[i], 800)).first->second;
            const auto onSamples = pointProgress<core::SweepProgress>(progress, i, points);
            const core::SweepSamples s =
                core::runSweepPointSamples(mine[i], models[i], theory, env.cancel, onSamples);
            if (s.cancelled)
                throwInterrupted();
            core::OverlapRun ov; // the same samples' overlaps, the second pass of the point
            if (spec.overlaps) {
                ov = core::runOverlaps(models[i], theory, mine[i].run, env.cancel, onSamples);
                if (ov.cancelled)
                    throwInterrupted();
                if (ov.sampleIndex != s.sampleIndex)
                    throw std::logic_error("cluster: the overlaps of other samples");
            }
            putPoint(w, i, s.sampler, s.source, s.sampleIndex, [&](BlockWriter& b, std::size_t j) {
                const core::SweepSample& x = s.samples[j];
                b.putDoubles(x.eigenvalues);
                b.putInt(x.unlisted);
                b.putDoubles(x.top);
                b.putDoubles(x.bottom);
                if (spec.overlaps) {
                    b.putDoubles(ov.samples[j].eigenvalues);
                    putOptionals(b, ov.samples[j].perSpike);
                    putOptionals(b, ov.samples[j].perInterval);
                }
            });
        }
        return w.take();
    });
    if (!env.cluster->isRoot())
        return std::nullopt;

    // Rank 0: every point's samples in sample order, then the point exactly as runSweep makes it.
    std::vector<GatheredPoint<SweepPair>> byPoint =
        pointsInSampleOrder<SweepPair>(blocks, points, samples, [&](BlockReader& r) {
            SweepPair x;
            x.sample.eigenvalues = r.getDoubles();
            x.sample.unlisted = r.getInt();
            x.sample.top = r.getDoubles();
            x.sample.bottom = r.getDoubles();
            if (spec.overlaps) {
                x.overlaps.eigenvalues = r.getDoubles();
                x.overlaps.perSpike = getOptionals(r);
                x.overlaps.perInterval = getOptionals(r);
            }
            return x;
        });
    core::SweepResult result;
    result.param = spec.param;
    result.requested = static_cast<int>(points);
    for (std::size_t i = 0; i < points; ++i) {
        core::SweepSamples s;
        s.sampler = byPoint[i].sampler;
        s.source = byPoint[i].source;
        for (std::size_t k = 0; k < samples; ++k) {
            s.samples.push_back(std::move(byPoint[i].samples[k].sample));
            s.sampleIndex.push_back(static_cast<int>(k));
            if (spec.overlaps)
                s.overlaps.push_back(std::move(byPoint[i].samples[k].overlaps));
        }
        byPoint[i].samples.clear();
        auto t = theories.find(i);
        const core::Theory theory =
            t != theories.end() ? std::move(t->second) : core::computeTheory(models[i], 800);
        core::SweepPoint p = core::sweepPointFromSamples(spec, static_cast<int>(i), grid[i], theory,
                                                         std::move(s), env.cancel);
        if (p.samples < spec.run.samples || cancelled(env))
            throwInterrupted();
        result.points.push_back(std::move(p));
    }
    result.totalSeconds = std::chrono::duration<double>(Clock::now() - start).count();
    return result;
}

std::optional<core::AnimationResult>
clusterRunAnimation(const core::AnimationPlan& plan, const RunEnv& env,
                    const core::AnimationProgressCallback& progress)
{
    if (!isDistributed(env))
        return core::runAnimation(plan, env.cancel, progress);
    const auto start = Clock::now();
    const auto frames = plan.values.size();
    const auto samples = static_cast<std::size_t>(plan.spec.run.samples);

    // The frames' costs as a sweep's points (the inertia path where the frame takes it).
    core::SweepSpec sw = core::sweepSpecOf(plan.spec);
    std::vector<double> cost;
    std::size_t gathered = 0;
    for (std::size_t i = 0; i < frames; ++i) {
        const bool inertia = core::frameUsesInertia(plan, static_cast<int>(i));
        sw.fastPath = inertia;
        cost.push_back(core::sweepSampleCost(sw, plan.models[i]));
        // All N eigenvalues of a sample, or its histogram counts and the located extremes.
        const std::size_t perSample =
            128 + (inertia ? plan.axes.edges.size() +
                                 2 * static_cast<std::size_t>(core::rankOf(plan.models[i]) + 1)
                           : static_cast<std::size_t>(plan.models[i].n)) *
                      sizeof(double);
        gathered += samples * perSample;
    }
    const std::vector<std::vector<int>> share =
        gridShare(cost, plan.spec.run.samples, *env.cluster);
    checkGatherMemory(env, "animate", gathered, plan.spec.run.memoryBudget,
                      "lower N, --samples or --frames");

    const std::vector<std::string> blocks = gatherShares(env, "animate", [&] {
        BlockWriter w;
        for (std::size_t i = 0; i < frames; ++i) {
            if (share[i].empty())
                continue;
            core::RunOptions run = plan.spec.run;
            run.subset = share[i];
            const core::FrameSamples s = core::computeFrameSamples(
                plan, static_cast<int>(i), run, env.cancel,
                pointProgress<core::AnimationProgress>(progress, i, frames));
            if (s.cancelled)
                throwInterrupted();
            putPoint(w, i, s.sampler, s.source, s.sampleIndex, [&](BlockWriter& b, std::size_t j) {
                const core::FrameSample& x = s.samples[j];
                b.putDoubles(x.eigenvalues);
                b.putInt(x.unlisted);
                b.putInts(std::vector<std::int64_t>(x.counts.begin(), x.counts.end()));
            });
        }
        return w.take();
    });
    if (!env.cluster->isRoot())
        return std::nullopt;

    // Rank 0: every frame's samples in sample order, then the frame as computeFrame makes it.
    std::vector<GatheredPoint<core::FrameSample>> byFrame =
        pointsInSampleOrder<core::FrameSample>(blocks, frames, samples, [](BlockReader& r) {
            core::FrameSample x;
            x.eigenvalues = r.getDoubles();
            x.unlisted = r.getInt();
            const std::vector<std::int64_t> counts = r.getInts();
            x.counts.assign(counts.begin(), counts.end());
            return x;
        });
    core::AnimationResult result;
    for (std::size_t i = 0; i < frames; ++i) {
        core::FrameSamples s;
        s.sampler = byFrame[i].sampler;
        s.source = byFrame[i].source;
        s.samples = std::move(byFrame[i].samples);
        for (std::size_t k = 0; k < samples; ++k)
            s.sampleIndex.push_back(static_cast<int>(k));
        core::AnimationFrame f = core::frameFromSamples(plan, static_cast<int>(i), std::move(s));
        if (f.samples < plan.spec.run.samples || cancelled(env))
            throwInterrupted();
        result.frames.push_back(std::move(f));
    }
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return result;
}

} // namespace ws::cli
