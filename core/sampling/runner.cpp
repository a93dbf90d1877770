// Monte Carlo runner (docs/model.md#samplers): samples in parallel in a TBB arena, results stored
// by sample index so the output never depends on the thread count or the scheduling.

#include "core/sampling/runner.h"

#include "core/sampling/banded/banded.h"
#include "core/model/families.h"
#include "core/util/bytes.h"
#include "core/util/largest_fit.h"
#include "core/sampling/run_setup.h"
#include "core/sampling/sample_loop.h"
#include "core/sampling/sampler_plan.h"

#include <tbb/task_arena.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>

namespace ws::core {
namespace {

// Honest peak estimate of the whole run: what the sampler holds with `inFlight` samples at once
// plus the eigenvalues kept for every sample of the run.
std::size_t estimateBytes(const Model& m, SamplerChoice choice, std::uint64_t seed, int inFlight,
                          int samples)
{
    std::size_t sampler = 0;
    if (usesBandedSampler(m, choice)) {
        // The banded sampler is cheap to build (no eigenvectors); its eigenvectors setting does
        // not matter, so build it with `basis` (no Haar draw even in a dense stand-in).
        Model b = m;
        b.eigvecs = Eigvecs::Basis;
        sampler = makeBandedSampler(b, seed)->peakBytes(inFlight);
    } else {
        sampler = denseSamplerPeakBytes(m, inFlight);
    }
    const std::size_t results =
        static_cast<std::size_t>(samples) * (static_cast<std::size_t>(m.n) * sizeof(double) + 64);
    return sampler + results;
}

// Largest N (>= 2) whose estimate fits the budget, by bisection (the estimate grows with N); 0 if
// even N = 2 does not fit.
int largestFittingN(const Model& m, SamplerChoice choice, std::uint64_t seed, int inFlight,
                    int samples, std::size_t budget)
{
    auto fits = [&](int n) {
        Model t = m;
        t.n = n;
        if (t.rank.isExplicit)
            t.rank.rank = std::min(t.rank.rank, n);
        if (t.spikes.kind == SpikeKind::List &&
            t.spikes.params.size() > static_cast<std::size_t>(n))
            t.spikes.params.resize(static_cast<std::size_t>(n));
        return estimateBytes(t, choice, seed, inFlight, samples) <= budget;
    };
    return largestFitting(2, m.n, fits);
}

} // namespace

std::size_t physicalMemoryBytes()
{
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long pageSize = sysconf(_SC_PAGE_SIZE);
    if (pages <= 0 || pageSize <= 0)
        return std::size_t{8} << 30; // unknown: assume 8 GiB
    return static_cast<std::size_t>(pages) * static_cast<std::size_t>(pageSize);
}

std::size_t defaultMemoryBudget()
{
    return physicalMemoryBytes() / 2;
}

RunResult runSamples(const Model& m, const RunOptions& opt, const std::atomic<bool>* cancel,
                     const ProgressCallback& progress, const SampleCallback& onSample)
{
    const auto start = std::chrono::steady_clock::now();
    const RunShape shape = runSetup(m, opt);
    const int threads = shape.threads;
    const int inFlight = shape.inFlight;

    // Refuse before anything big is allocated (the Haar eigenvectors are drawn when the dense
    // sampler is built).
    const std::size_t budget = shape.budget;
    const int count = shape.count; // the samples drawn and kept (a subset's, if any)
    const std::size_t estimate = estimateBytes(m, opt.sampler, opt.seed, inFlight, count);
    if (estimate > budget) {
        const int fitN = largestFittingN(m, opt.sampler, opt.seed, inFlight, count, budget);
        throw ResourceError("n",
                            "memory: this run needs about " +
                                formatBytes(static_cast<double>(estimate), ByteStyle::Fixed) +
                                " (N = " + std::to_string(m.n) + ", " + std::to_string(inFlight) +
                                " sample(s) in flight, " + std::to_string(count) +
                                " samples kept) but the budget is " +
                                formatBytes(static_cast<double>(budget), ByteStyle::Fixed) +
                                (fitN > 0 ? "; the largest N that fits is " + std::to_string(fitN)
                                          : "; not even N = 2 fits") +
                                " (fewer threads or samples also lower the need)");
    }

    // BLAS stays on one thread (see pinBlasToOneThread): results must not depend on `threads`.
    pinBlasToOneThread();

    // Built inside the arena so that the Haar draw and S = O diag(s) O^T use the run's threads.
    tbb::task_arena arena(threads);
    std::unique_ptr<Sampler> sampler;
    arena.execute([&] { sampler = makeSampler(m, opt.sampler, opt.seed, cancel); });

    RunResult result;
    result.sampler = sampler->kind();
    result.requested = count;

    auto samples = runSubsetLoop<std::vector<double>>(
        arena, opt, count, cancel,
        [&](std::uint64_t k) -> std::optional<std::vector<double>> {
            std::vector<double> ev = sampler->sample(k, cancel);
            if (ev.empty() && cancel && cancel->load(std::memory_order_relaxed))
                return std::nullopt;
            return ev;
        },
        onSample, progress);
    recordSamples(result, result.eigenvalues, std::move(samples), start);
    return result;
}

} // namespace ws::core
