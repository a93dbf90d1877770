// The banded fast path of a whole run: per-sample histograms and extremes in parallel, results
// kept by sample index so that they never depend on the thread count (as runner.cpp does).
#include "core/sampling/banded/banded.h"

#include "core/model/families.h"
#include "core/util/largest_fit.h"
#include "core/sampling/run_setup.h"
#include "core/sampling/sample_loop.h"
#include "core/util/bytes.h"

#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

namespace ws::core {
namespace {

// Largest N whose fast-path run fits the budget (peak bytes grow with N); 0 if not even N = 2.
int largestFittingN(Model m, std::uint64_t seed, int inFlight, std::size_t edges,
                    std::size_t budget)
{
    const int requestedN = m.n;
    auto fits = [&](int n) {
        m.n = n;
        return BandedSampler(m, seed).spectrumPeakBytes(inFlight, edges) <= budget;
    };
    return largestFitting(std::max(2, rankOf(m)), requestedN, fits);
}

} // namespace

BandedRunResult runBandedSpectra(const Model& m, const RunOptions& opt,
                                 const BandedSpectrumRequest& req, const std::atomic<bool>* cancel,
                                 const ProgressCallback& progress,
                                 const BandedSpectrumCallback& onSample)
{
    const auto start = std::chrono::steady_clock::now();
    RunOptions banded = opt;
    banded.sampler = SamplerChoice::Banded; // this is a banded run: the band model must apply
    const RunShape shape = runSetup(m, banded);
    if (req.edges.size() == 1 || !std::is_sorted(req.edges.begin(), req.edges.end()))
        throw InputError("histogram", "edges must be ascending, at least two of them");
    const BandedSampler sampler(m, opt.seed);

    const int threads = shape.threads;
    const int inFlight = shape.inFlight;
    const std::size_t budget = shape.budget;
    const std::size_t estimate = sampler.spectrumPeakBytes(inFlight, req.edges.size());
    if (estimate > budget) {
        const int fitN = largestFittingN(m, opt.seed, inFlight, req.edges.size(), budget);
        throw ResourceError(
            "n",
            "memory: this banded run needs about " + formatBytes(static_cast<double>(estimate)) +
                " (N = " + std::to_string(m.n) + ", " + std::to_string(inFlight) +
                " sample(s) in flight) but the budget is " +
                formatBytes(static_cast<double>(budget)) +
                (fitN > 0 ? "; the largest N that fits is " + std::to_string(fitN)
                          : std::string("; no N fits (the largest N that fits would be below ") +
                                std::to_string(std::max(2, rankOf(m))) + ")"));
    }

    BandedRunResult result;
    result.edges = req.edges;
    result.counts.assign(req.edges.empty() ? 0 : req.edges.size() - 1, 0);
    result.requested = shape.count;

    tbb::task_arena arena(threads);
    auto samples = runSubsetLoop<BandedSpectrum>(
        arena, opt, shape.count, cancel,
        [&](std::uint64_t k) -> std::optional<BandedSpectrum> {
            BandedSpectrum s = sampler.spectrum(k, req, cancel);
            if (s.cancelled)
                return std::nullopt;
            return s;
        },
        onSample, progress);
    for (const BandedSpectrum& s : samples.values) {
        for (std::size_t i = 0; i < result.counts.size(); ++i)
            result.counts[i] += s.counts[i];
        result.total += static_cast<std::uint64_t>(s.n);
    }
    recordSamples(result, result.spectra, std::move(samples), start);
    return result;
}

} // namespace ws::core
