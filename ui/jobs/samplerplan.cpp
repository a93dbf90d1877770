#include "ui/jobs/samplerplan.h"

#include "core/sampling/banded/banded.h"
#include "core/model/families.h"
#include "core/sampling/runner.h"
#include "core/sampling/sampler.h"
#include "core/util/largest_fit.h"
#include "core/util/bytes.h"

#include <algorithm>
#include <cmath>
#include <thread>

namespace ws::ui {

namespace {

// Bins assumed for the N limit: the fast path's cap (the real count is at most that).
constexpr int kNominalBins = kBandedMaxBins;

int inFlight(int samples, int threads)
{
    const int hw =
        threads > 0 ? threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    return std::max(1, std::min(hw, std::max(samples, 1)));
}

} // namespace

SamplerPlan planSampler(const core::Model& m, int bins)
{
    return core::planSampler(m, core::SamplerChoice::Auto, bins);
}

std::string samplerLabel(SamplerPlan p)
{
    return core::toString(p);
}

NLimit nLimit(const core::Model& model, int samples, int threads)
{
    core::Model m = model;
    const std::size_t budget = core::defaultMemoryBudget();
    const int flying = inFlight(samples, threads);
    NLimit out;

    m.n = kBandedMaxN;
    const std::string whyNotBanded = core::bandedInapplicableReason(m);
    bool tooSlow = false;
    if (whyNotBanded.empty()) {
        // The largest N whose fast-path sample stays within the time and memory budgets (both
        // grow with N); the fast path must also pay off there (that only improves with N).
        const auto edges = static_cast<std::size_t>(kNominalBins) + 1;
        auto memoryFits = [&] {
            return static_cast<double>(flying) *
                       static_cast<double>(core::bandedSpectrumBytes(m, edges)) <=
                   static_cast<double>(budget);
        };
        const int fast = core::largestFitting(1000, kBandedMaxN, [&](int n) {
            m.n = n;
            return core::bandedFastPathSeconds(m, kNominalBins) <= kBandedSecondsPerSample &&
                   memoryFits();
        });
        m.n = std::max(fast, 1000);
        if (fast >= 1000 && core::bandedFastPathPays(m, kNominalBins) && fast > kDenseMaxN) {
            out.maxN = fast;
            if (fast >= kBandedMaxN)
                return out;
            m.n = std::min(fast + 1, kBandedMaxN);
            const std::string r = std::to_string(core::rankOf(m));
            if (!memoryFits())
                out.reason = "memory: the banded sampler fits up to N = " + std::to_string(fast) +
                             " in the budget of " + core::formatBytes(static_cast<double>(budget));
            else
                out.reason = "banded sampler up to N = " + std::to_string(fast) +
                             ": with rank r = " + r + " a larger N would take more than ~" +
                             core::formatDouble(kBandedSecondsPerSample) + " s per sample";
            return out;
        }
        tooSlow = true;
    }

    // Dense (or the band eigensolver, which needs less): the dense sampler's peak and the
    // eigenvalues kept for every sample must fit the budget.
    const double perSample = static_cast<double>(std::max(samples, 1)) * sizeof(double);
    const int fit = core::largestFitting(2, kDenseMaxN, [&](int n) {
        m.n = n;
        return static_cast<double>(core::denseSamplerPeakBytes(m, flying)) + perSample * n <=
               static_cast<double>(budget);
    });
    out.maxN = std::max(fit, 2);
    const std::string why =
        !whyNotBanded.empty()
            ? whyNotBanded
            : std::string("the rank r is too large for the fast banded sampler at large N") +
                  (tooSlow ? " (more than ~" + core::formatDouble(kBandedSecondsPerSample) +
                                 " s per sample)"
                           : "");
    if (fit < kDenseMaxN)
        out.reason = "memory: " + std::to_string(std::max(samples, 1)) +
                     " dense samples fit up to N = " + std::to_string(out.maxN) +
                     " in the budget of " + core::formatBytes(static_cast<double>(budget));
    else
        out.reason = "dense sampler up to N = " + std::to_string(kDenseMaxN) + ": " + why;
    return out;
}

} // namespace ws::ui
