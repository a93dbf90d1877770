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
#include "core/util/bytes.h"

#include <algorithm>
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

void putValues(BlockWriter& w, const std::vector<double>& v)
{
    w.putDoubles(v);
}

std::vector<double> getValues(BlockReader& r)
{
    return r.getDoubles();
}

template <class T> struct Gathered
{
    std::vector<T> samples; // every sample's values, in sample order
    std::int64_t kind = 0;  // what kind(result) said (e.g. the sampler), the same on every process
};

// A core run's samples split over the processes in blocks (sampleShare): each process runs
// run(its options, with its subset) and sends kind(result) and each sample's values
// ((result.*values)[i], written by put); rank 0 gets every sample's values back in sample order
// (read by get). The other processes get nullopt once their share is delivered.
template <class T, class Result, class Run, class Kind, class Put, class Get>
std::optional<Gathered<T>>
splitSamples(const RunEnv& env, const std::string& command, const core::RunOptions& opt, Run&& run,
             std::vector<T> Result::*values, Kind&& kind, Put&& put, Get&& get)
{
    const std::vector<std::string> blocks = gatherShares(env, command, [&] {
        core::RunOptions mine = opt;
        mine.subset = sampleShare(opt.samples, *env.cluster);
        BlockWriter w;
        if (mine.subset.empty()) { // more processes than samples
            w.putInt(0);
            w.putInt(0);
            return w.take();
        }
        const Result r = run(mine);
        if (r.cancelled)
            throwInterrupted();
        w.putInt(static_cast<std::int64_t>(kind(r)));
        w.putInt(r.completed);
        for (std::size_t i = 0; i < (r.*values).size(); ++i) {
            w.putInt(r.sampleIndex[i]);
            put(w, (r.*values)[i]);
        }
        return w.take();
    });
    if (!env.cluster->isRoot())
        return std::nullopt;
    Gathered<T> g;
    g.samples = inSampleOrder<T>(blocks, opt.samples, get, &g.kind);
    return g;
}

// Rank 0's result of all samples, complete, in sample order.
template <class Result> void markComplete(Result& r, int samples, Clock::time_point start)
{
    r.requested = samples;
    r.completed = samples;
    for (int k = 0; k < samples; ++k)
        r.sampleIndex.push_back(k);
    r.totalSeconds = secondsSince(start);
}

// Rank 0's share of a run whose samples are `values` doubles each, with each sample's framing.
std::size_t gatheredValueBytes(int samples, std::size_t values)
{
    return static_cast<std::size_t>(samples) * (values * sizeof(double) + 64);
}

} // namespace

void throwInterrupted()
{
    throw core::Cancelled("interrupted");
}

void checkGatherMemory(const RunEnv& env, const std::string& command, std::size_t resultBytes,
                       std::size_t memoryBudget, const std::string& lower)
{
    if (!isDistributed(env))
        return;
    (void)clusterStep(env, command, [&] {
        const std::size_t budget = memoryBudget > 0 ? memoryBudget : core::defaultMemoryBudget();
        const double need = 2.0 * static_cast<double>(resultBytes);
        if (env.cluster->isRoot() && need > static_cast<double>(budget))
            throw core::ResourceError(
                "memory: rank 0 gathers every sample's results, about " + core::formatBytes(need) +
                " with " + std::to_string(env.cluster->size()) + " processes, but the budget is " +
                core::formatBytes(static_cast<double>(budget)) + " (" + lower +
                ", or raise --memory-budget)");
        return 0;
    });
}

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
    // N eigenvalues per sample.
    checkGatherMemory(env, "sample", gatheredValueBytes(opt.samples, static_cast<std::size_t>(m.n)),
                      opt.memoryBudget, "lower N or --samples");
    auto got = splitSamples(
        env, "sample", opt,
        [&](const core::RunOptions& mine) {
            return core::runSamples(m, mine, env.cancel, progress);
        },
        &core::RunResult::eigenvalues,
        [](const core::RunResult& r) { return static_cast<std::int64_t>(r.sampler); }, putValues,
        getValues);
    if (!got)
        return std::nullopt;
    core::RunResult result;
    result.eigenvalues = std::move(got->samples);
    result.sampler = static_cast<core::SamplerKind>(got->kind);
    markComplete(result, opt.samples, start);
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
    // Per sample: its histogram (edges and counts) and the extremes located.
    const std::size_t located = static_cast<std::size_t>(req.topCount) +
                                static_cast<std::size_t>(req.bottomCount) +
                                static_cast<std::size_t>(std::max(req.maxOutliers, 0));
    checkGatherMemory(env, "sample",
                      static_cast<std::size_t>(opt.samples) *
                          ((2 * req.edges.size() + located) * sizeof(double) + 128),
                      opt.memoryBudget, "lower --samples or --bins");
    auto got = splitSamples(
        env, "sample", opt,
        [&](const core::RunOptions& mine) {
            return core::runBandedSpectra(m, mine, req, env.cancel, progress);
        },
        &core::BandedRunResult::spectra, [](const core::BandedRunResult&) { return 0; },
        putSpectrum, getSpectrum);
    if (!got)
        return std::nullopt;
    core::BandedRunResult result;
    result.spectra = std::move(got->samples);
    // As runBandedSpectra sums them: in sample order.
    result.edges = req.edges;
    result.counts.assign(req.edges.empty() ? 0 : req.edges.size() - 1, 0);
    for (const core::BandedSpectrum& s : result.spectra) {
        for (std::size_t i = 0; i < result.counts.size() && i < s.counts.size(); ++i)
            result.counts[i] += s.counts[i];
        result.total += static_cast<std::uint64_t>(s.n);
    }
    markComplete(result, opt.samples, start);
    return result;
}

std::optional<core::RectRunResult> clusterRunRectSamples(const core::RectModel& m,
                                                         const core::RunOptions& opt,
                                                         const RunEnv& env,
                                                         const core::ProgressCallback& progress)
{
    if (!isDistributed(env))
        return core::runRectSamples(m, opt, env.cancel, progress);
    const auto start = Clock::now();
    // p singular values per sample.
    checkGatherMemory(env, "rect",
                      gatheredValueBytes(opt.samples, static_cast<std::size_t>(m.minDim())),
                      opt.memoryBudget, "lower N, M or --samples");
    auto got = splitSamples(
        env, "rect", opt,
        [&](const core::RunOptions& mine) {
            return core::runRectSamples(m, mine, env.cancel, progress);
        },
        &core::RectRunResult::singularValues, [](const core::RectRunResult&) { return 0; },
        putValues, getValues);
    if (!got)
        return std::nullopt;
    core::RectRunResult result;
    result.singularValues = std::move(got->samples);
    markComplete(result, opt.samples, start);
    return result;
}

} // namespace ws::cli
