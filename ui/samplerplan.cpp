#include "samplerplan.h"

#include "core/banded.h"
#include "core/families.h"
#include "core/runner.h"
#include "core/sampler.h"

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

// Largest n in [lo, hi] with fits(n), assuming fits is monotone (true then false); lo - 1 if none.
template <class F> int largestFitting(int lo, int hi, F fits)
{
    if (!fits(lo))
        return lo - 1;
    if (fits(hi))
        return hi;
    while (hi - lo > 1) {
        const int mid = lo + (hi - lo) / 2;
        (fits(mid) ? lo : hi) = mid;
    }
    return lo;
}

} // namespace

bool bandedFastPathPays(const core::Model& m, int bins)
{
    if (!core::bandedInapplicableReason(m).empty())
        return false;
    const double n = m.n;
    const double r = core::rankOf(m);
    return n >= 1000 && (std::max(bins, 1) + 50.0 * (r + 2.0)) * r < 6.0 * n;
}

SamplerPlan planSampler(const core::Model& m, int bins)
{
    if (bandedFastPathPays(m, bins))
        return SamplerPlan::BandedCounts;
    return core::bandedInapplicableReason(m).empty() ? SamplerPlan::Banded : SamplerPlan::Dense;
}

std::string samplerLabel(SamplerPlan p)
{
    switch (p) {
    case SamplerPlan::BandedCounts:
        return "banded (inertia counts)";
    case SamplerPlan::Banded:
        return "banded";
    case SamplerPlan::Dense:
        return "dense";
    }
    return "dense";
}

NLimit nLimit(const core::Model& model, int samples, int threads)
{
    core::Model m = model;
    const std::size_t budget = core::defaultMemoryBudget();
    const int flying = inFlight(samples, threads);
    NLimit out;

    m.n = kBandedMaxN;
    const std::string whyNotBanded = core::bandedInapplicableReason(m);
    if (whyNotBanded.empty() && bandedFastPathPays(m, kNominalBins)) {
        const auto edges = static_cast<std::size_t>(kNominalBins) + 1;
        out.maxN = largestFitting(1000, kBandedMaxN, [&](int n) {
            m.n = n;
            return static_cast<double>(flying) *
                       static_cast<double>(core::bandedSpectrumBytes(m, edges)) <=
                   static_cast<double>(budget);
        });
        if (out.maxN >= kBandedMaxN)
            return out;
        if (out.maxN >= kDenseMaxN) {
            out.reason = "memory: the banded sampler fits up to N = " + std::to_string(out.maxN) +
                         " in the budget of " + core::formatBytes(static_cast<double>(budget));
            return out;
        }
    }

    // Dense (or the band eigensolver, which needs less): the dense sampler's peak and the
    // eigenvalues kept for every sample must fit the budget.
    const double perSample = static_cast<double>(std::max(samples, 1)) * sizeof(double);
    const int fit = largestFitting(2, kDenseMaxN, [&](int n) {
        m.n = n;
        return static_cast<double>(core::denseSamplerPeakBytes(m, flying)) + perSample * n <=
               static_cast<double>(budget);
    });
    out.maxN = std::max(fit, 2);
    const std::string why =
        !whyNotBanded.empty()
            ? whyNotBanded
            : "the rank r is too large for the fast banded sampler at large N (it needs about "
              "50 r^2 < 6 N)";
    if (fit < kDenseMaxN)
        out.reason = "memory: " + std::to_string(std::max(samples, 1)) +
                     " dense samples fit up to N = " + std::to_string(out.maxN) +
                     " in the budget of " + core::formatBytes(static_cast<double>(budget));
    else
        out.reason = "dense sampler up to N = " + std::to_string(kDenseMaxN) + ": " + why;
    return out;
}

} // namespace ws::ui
