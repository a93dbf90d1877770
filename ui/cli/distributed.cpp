// Runs spread over the processes of a cluster run (see distributed.h, docs/cluster.md).
#include "ui/cli/distributed.h"

#include "ui/cli/args.h"
#include "ui/cli/output.h"
#include "ui/cli/progress.h"

#include "core/io/atomic_file.h"
#include "core/util/cancelled.h"
#include "core/model/families.h"
#include "core/sampling/run_setup.h"
#include "core/theory/theory.h"

#include <chrono>
#include <map>
#include <new>

namespace ws::cli {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Samples cost the same: contiguous blocks, the larger ones on the higher ranks (rank 0 also
// sums up and writes).
std::vector<int> sampleShare(int samples, const Cluster& c)
{
    const auto p = static_cast<std::int64_t>(c.size());
    const auto r = static_cast<std::int64_t>(c.rank());
    const auto k = static_cast<std::int64_t>(samples);
    // Block r holds [begin(r), begin(r + 1)) with begin(r) = r K / P rounded up from the top.
    auto begin = [&](std::int64_t q) { return k - ((p - q) * k) / p; };
    std::vector<int> share;
    for (std::int64_t s = begin(r); s < begin(r + 1); ++s)
        share.push_back(static_cast<int>(s));
    return share;
}

[[noreturn]] void interrupted()
{
    throw core::Cancelled("interrupted");
}

// Every process's blocks to rank 0; the others get nothing. A failure in `compute` on any
// process (or a cancelled share) is agreed first.
template <class F>
std::vector<std::string> gatherShares(const RunEnv& env, const std::string& command, F&& compute)
{
    const std::string mine = clusterStep(env, command, compute);
    return env.cluster->gather(mine);
}

void putSpectrum(BlockWriter& w, const core::BandedSpectrum& s)
{
    w.putInt(s.n);
    w.putDoubles(s.edges);
    std::vector<std::int64_t> counts(s.counts.begin(), s.counts.end());
    w.putInts(counts);
    w.putInt(static_cast<std::int64_t>(s.below));
    w.putInt(static_cast<std::int64_t>(s.above));
    w.putDoubles(s.top);
    w.putDoubles(s.bottom);
}

core::BandedSpectrum getSpectrum(BlockReader& r)
{
    core::BandedSpectrum s;
    s.n = static_cast<int>(r.getInt());
    s.edges = r.getDoubles();
    const std::vector<std::int64_t> counts = r.getInts();
    s.counts.assign(counts.begin(), counts.end());
    s.below = static_cast<std::uint64_t>(r.getInt());
    s.above = static_cast<std::uint64_t>(r.getInt());
    s.top = r.getDoubles();
    s.bottom = r.getDoubles();
    return s;
}

// Puts per-sample values, decoded by `get` from every block, in sample order; every one of the
// `samples` must be present exactly once.
template <class T, class Get>
std::vector<T> inSampleOrder(const std::vector<std::string>& blocks, int samples, Get&& get,
                             std::int64_t* kind)
{
    std::vector<std::optional<T>> byIndex(static_cast<std::size_t>(samples));
    for (const std::string& b : blocks) {
        BlockReader r(b);
        const std::int64_t k = r.getInt();
        const std::int64_t count = r.getInt();
        if (count > 0)
            *kind = k;
        for (std::int64_t i = 0; i < count; ++i) {
            const std::int64_t s = r.getInt();
            if (s < 0 || s >= samples || byIndex[static_cast<std::size_t>(s)])
                throw std::runtime_error("cluster: sample " + std::to_string(s) +
                                         " delivered twice or out of range");
            byIndex[static_cast<std::size_t>(s)] = get(r);
        }
    }
    std::vector<T> out;
    out.reserve(byIndex.size());
    for (auto& v : byIndex) {
        if (!v)
            throw std::runtime_error("cluster: a sample was not delivered");
        out.push_back(std::move(*v));
    }
    return out;
}

} // namespace

bool isDistributed(const RunEnv& env)
{
    return env.cluster && env.cluster->size() > 1;
}

bool isRoot(const RunEnv& env)
{
    return !env.cluster || env.cluster->isRoot();
}

int clusterThreads(int requested, const RunEnv& env)
{
    return requested == 0 && env.cluster ? env.cluster->defaultThreads() : requested;
}

Failure failureOf(std::exception_ptr e, const std::string& command)
{
    try {
        std::rethrow_exception(e);
    } catch (const ClusterFailure& f) {
        return f.failure();
    } catch (const core::InputError& f) {
        return {kExitInput, withOptionName(f).what()};
    } catch (const OutputError& f) {
        return {kExitInput, f.what()};
    } catch (const WriteError& f) {
        return {kExitFailure, f.what()};
    } catch (const InterruptedAfterWrite& f) {
        return {kExitInterrupted, f.what()};
    } catch (const core::WriteCancelled& f) {
        return {kExitInterrupted, std::string("interrupted; ") + f.what()};
    } catch (const core::Cancelled&) {
        return {kExitInterrupted, "interrupted; nothing written"};
    } catch (const core::ResourceError& f) {
        return {kExitResource, f.what()};
    } catch (const std::bad_alloc&) {
        const std::string hint = command == "weights" ? "a smaller matrix"
                                 : command == "rect"  ? "lower N, M or --samples"
                                                      : "lower N or --samples";
        return {kExitResource, "out of memory (" + hint + ", or set --memory-budget)"};
    } catch (const std::exception& f) {
        return {kExitFailure, std::string("internal: ") + f.what()};
    } catch (...) {
        return {kExitFailure, "internal: unknown exception"};
    }
}

std::optional<core::RunResult> clusterRunSamples(const core::Model& m, const core::RunOptions& opt,
                                                 const RunEnv& env,
                                                 const core::ProgressCallback& progress)
{
    if (!isDistributed(env))
        return core::runSamples(m, opt, env.cancel, progress);
    const auto start = Clock::now();
    const std::vector<std::string> blocks = gatherShares(env, "sample", [&] {
        core::RunOptions mine = opt;
        mine.subset = sampleShare(opt.samples, *env.cluster);
        BlockWriter w;
        if (mine.subset.empty()) { // more processes than samples
            w.putInt(0);
            w.putInt(0);
            return w.take();
        }
        const core::RunResult run = core::runSamples(m, mine, env.cancel, progress);
        if (run.cancelled)
            interrupted();
        w.putInt(static_cast<std::int64_t>(run.sampler));
        w.putInt(run.completed);
        for (std::size_t i = 0; i < run.eigenvalues.size(); ++i) {
            w.putInt(run.sampleIndex[i]);
            w.putDoubles(run.eigenvalues[i]);
        }
        return w.take();
    });
    if (!env.cluster->isRoot())
        return std::nullopt;
    core::RunResult result;
    std::int64_t kind = 0;
    result.eigenvalues = inSampleOrder<std::vector<double>>(
        blocks, opt.samples, [](BlockReader& r) { return r.getDoubles(); }, &kind);
    result.sampler = static_cast<core::SamplerKind>(kind);
    result.requested = opt.samples;
    result.completed = opt.samples;
    for (int k = 0; k < opt.samples; ++k)
        result.sampleIndex.push_back(k);
    result.totalSeconds = secondsSince(start);
    return result;
}

std::optional<core::BandedRunResult> clusterRunBandedSpectra(const core::Model& m,
                                                             const core::RunOptions& opt,
                                                             const core::BandedSpectrumRequest& req,
                                                             const RunEnv& env,
                                                             const core::ProgressCallback& progress)
{
    if (!isDistributed(env))
        return core::runBandedSpectra(m, opt, req, env.cancel, progress);
    const auto start = Clock::now();
    const std::vector<std::string> blocks = gatherShares(env, "sample", [&] {
        core::RunOptions mine = opt;
        mine.subset = sampleShare(opt.samples, *env.cluster);
        BlockWriter w;
        w.putInt(0);
        if (mine.subset.empty()) {
            w.putInt(0);
            return w.take();
        }
        const core::BandedRunResult run =
            core::runBandedSpectra(m, mine, req, env.cancel, progress);
        if (run.cancelled)
            interrupted();
        w.putInt(run.completed);
        for (std::size_t i = 0; i < run.spectra.size(); ++i) {
            w.putInt(run.sampleIndex[i]);
            putSpectrum(w, run.spectra[i]);
        }
        return w.take();
    });
    if (!env.cluster->isRoot())
        return std::nullopt;
    core::BandedRunResult result;
    std::int64_t kind = 0;
    result.spectra = inSampleOrder<core::BandedSpectrum>(blocks, opt.samples, getSpectrum, &kind);
    // As runBandedSpectra sums them: in sample order.
    result.edges = req.edges;
    result.counts.assign(req.edges.empty() ? 0 : req.edges.size() - 1, 0);
    for (const core::BandedSpectrum& s : result.spectra) {
        for (std::size_t i = 0; i < result.counts.size() && i < s.counts.size(); ++i)
            result.counts[i] += s.counts[i];
        result.total += static_cast<std::uint64_t>(s.n);
    }
    for (int k = 0; k < opt.samples; ++k)
        result.sampleIndex.push_back(k);
    result.requested = opt.samples;
    result.completed = opt.samples;
    result.totalSeconds = secondsSince(start);
    return result;
}

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

    // The (point, sample) pairs, point-major, split by cost; this process's subset per point.
    std::vector<double> cost;
    cost.reserve(points * samples);
    for (std::size_t i = 0; i < points; ++i)
        cost.insert(cost.end(), samples, core::sweepSampleCost(spec, models[i]));
    const std::vector<int> owner = splitWork(cost, env.cluster->size());
    std::vector<core::SweepSpec> mine(points, spec);
    for (std::size_t i = 0; i < points; ++i)
        for (std::size_t k = 0; k < samples; ++k)
            if (owner[i * samples + k] == env.cluster->rank())
                mine[i].run.subset.push_back(static_cast<int>(k));

    // Each process checks the memory of its own points against its budget before any runs.
    (void)clusterStep(env, "sweep", [&] {
        for (std::size_t i = 0; i < points; ++i)
            if (!mine[i].run.subset.empty())
                core::checkSweepPointMemory(mine[i], grid[i], models[i]);
        return 0;
    });

    std::map<std::size_t, core::Theory> theories; // of this process's points, kept for rank 0
    const std::vector<std::string> blocks = gatherShares(env, "sweep", [&] {
        BlockWriter w;
        for (std::size_t i = 0; i < points; ++i) {
            if (mine[i].run.subset.empty())
                continue;
            const core::Theory& theory =
                theories.emplace(i, core::computeTheory(models[i], 800)).first->second;
            core::ProgressCallback pointProgress;
            if (progress)
                pointProgress = [&, i](int done, int total) {
                    core::SweepProgress sp;
                    sp.point = static_cast<int>(i);
                    sp.points = static_cast<int>(points);
                    sp.samplesDone = done;
                    sp.samples = total;
                    sp.fraction = static_cast<double>(i) / static_cast<double>(points);
                    progress(sp);
                };
            const core::SweepSamples s =
                core::runSweepPointSamples(mine[i], models[i], theory, env.cancel, pointProgress);
            if (s.cancelled)
                interrupted();
            w.putInt(static_cast<std::int64_t>(i));
            w.putInt(static_cast<std::int64_t>(s.sampler));
            w.putInt(static_cast<std::int64_t>(s.source));
            w.putInt(static_cast<std::int64_t>(s.samples.size()));
            for (std::size_t j = 0; j < s.samples.size(); ++j) {
                w.putInt(s.sampleIndex[j]);
                w.putDoubles(s.samples[j].eigenvalues);
                w.putInt(s.samples[j].unlisted);
                w.putDoubles(s.samples[j].top);
                w.putDoubles(s.samples[j].bottom);
            }
        }
        return w.take();
    });
    if (!env.cluster->isRoot())
        return std::nullopt;

    // Rank 0: every point's samples in sample order, then the point exactly as runSweep makes it.
    std::vector<core::SweepSamples> byPoint(points);
    std::vector<std::vector<std::optional<core::SweepSample>>> slots(
        points, std::vector<std::optional<core::SweepSample>>(samples));
    for (const std::string& b : blocks) {
        BlockReader r(b);
        while (!r.atEnd()) {
            const auto i = static_cast<std::size_t>(r.getInt());
            if (i >= points)
                throw std::runtime_error("cluster: a grid point out of range");
            byPoint[i].sampler = static_cast<core::SamplerKind>(r.getInt());
            byPoint[i].source = static_cast<core::SpectrumSource>(r.getInt());
            const std::int64_t count = r.getInt();
            for (std::int64_t j = 0; j < count; ++j) {
                const std::int64_t k = r.getInt();
                if (k < 0 || static_cast<std::size_t>(k) >= samples ||
                    slots[i][static_cast<std::size_t>(k)])
                    throw std::runtime_error("cluster: a sample delivered twice or out of range");
                core::SweepSample x;
                x.eigenvalues = r.getDoubles();
                x.unlisted = r.getInt();
                x.top = r.getDoubles();
                x.bottom = r.getDoubles();
                slots[i][static_cast<std::size_t>(k)] = std::move(x);
            }
        }
    }
    core::SweepResult result;
    result.param = spec.param;
    result.requested = static_cast<int>(points);
    for (std::size_t i = 0; i < points; ++i) {
        for (std::size_t k = 0; k < samples; ++k) {
            if (!slots[i][k])
                throw std::runtime_error("cluster: a sample of a grid point was not delivered");
            byPoint[i].samples.push_back(std::move(*slots[i][k]));
            byPoint[i].sampleIndex.push_back(static_cast<int>(k));
        }
        slots[i].clear();
        auto t = theories.find(i);
        const core::Theory theory =
            t != theories.end() ? std::move(t->second) : core::computeTheory(models[i], 800);
        core::SweepPoint p = core::sweepPointFromSamples(spec, static_cast<int>(i), grid[i], theory,
                                                         std::move(byPoint[i]), env.cancel);
        if (p.samples < spec.run.samples || cancelled(env))
            interrupted();
        result.points.push_back(std::move(p));
    }
    result.totalSeconds = secondsSince(start);
    return result;
}

} // namespace ws::cli
