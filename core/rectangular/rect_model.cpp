// The rectangular model (rectangular.h): rank rule, signal singular values, validation.
#include "core/model/families.h"
#include "core/rectangular/rectangular.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace ws::core {
namespace {

[[noreturn]] void fail(const std::string& param, const std::string& why)
{
    throw InputError(param, why);
}

// The square model with N = p and an explicit rank: its spikeValues/bulkValues are exactly the
// r spikes and the p - r bulk values of the rectangular model (same family semantics).
Model squareProxy(const RectModel& m)
{
    Model q;
    static_cast<NoiseAndSignal&>(q) = m;
    q.n = m.minDim();
    q.rank.isExplicit = true;
    q.rank.rank = m.effectiveRank();
    return q;
}

} // namespace

int RectModel::effectiveRank() const
{
    return rankOf(*this, n, minDim()); // ceil(N^alpha) as the square model, at most p
}

void validate(const RectModel& m)
{
    constexpr int kMaxDim = 100'000'000;
    if (m.n < 1 || m.n > kMaxDim)
        fail("n",
             "must be between 1 and " + std::to_string(kMaxDim) + ", got " + std::to_string(m.n));
    if (m.m < 1 || m.m > kMaxDim)
        fail("m",
             "must be between 1 and " + std::to_string(kMaxDim) + ", got " + std::to_string(m.m));
    if (m.n == 1 && m.m == 1)
        fail("n", "a 1 x 1 matrix has no spectrum to speak of; use N or M >= 2");
    if (!std::isfinite(m.sigma) || m.sigma <= 0.0)
        fail("sigma", "must be a finite number > 0, got " + formatDouble(m.sigma));
    const int p = m.minDim();
    if (m.spikes.kind == SpikeKind::List && m.spikes.params.size() > static_cast<std::size_t>(p))
        fail("spikes", "the list has " + std::to_string(m.spikes.params.size()) +
                           " values, more than min(N, M) = " + std::to_string(p));
    if (m.spikes.kind != SpikeKind::List && m.rank.isExplicit &&
        (m.rank.rank < 1 || m.rank.rank > p))
        fail("rank", "must be between 1 and min(N, M) = " + std::to_string(p) + ", got " +
                         std::to_string(m.rank.rank));
    if (m.spikes.kind != SpikeKind::List && !m.rank.isExplicit &&
        (!std::isfinite(m.rank.alpha) || m.rank.alpha < 0.0 || m.rank.alpha > 1.0))
        fail("alpha", "must be in [0, 1], got " + formatDouble(m.rank.alpha));
    // Family parameters: the square validation of the same families (its N is p here; p >= 1,
    // and the square check needs N >= 2, so a p = 1 model is checked with N = 2).
    Model q = squareProxy(m);
    q.n = std::max(q.n, 2);
    validate(q);
    // The smallest values only, without building the p of them (p may be 10^8: validation
    // stays instant, and nothing grows before the memory budget is checked).
    const double smallestSpike = spikeRange(squareProxy(m)).first;
    if (!(smallestSpike >= 0.0))
        fail("spikes", "singular values must be >= 0, '" + toString(m.spikes) + "' gives " +
                           formatDouble(smallestSpike));
    const auto bulk = bulkRange(squareProxy(m));
    if (bulk && !(bulk->first >= 0.0))
        fail("bulk", "singular values must be >= 0, '" + toString(m.bulk) + "' gives " +
                         formatDouble(bulk->first));
}

std::vector<double> rectSpikeValues(const RectModel& m)
{
    return spikeValues(squareProxy(m));
}

std::vector<double> rectBulkValues(const RectModel& m)
{
    return bulkValues(squareProxy(m));
}

std::vector<double> signalSingularValues(const RectModel& m)
{
    std::vector<double> s = rectSpikeValues(m);
    const std::vector<double> b = rectBulkValues(m);
    s.insert(s.end(), b.begin(), b.end());
    std::sort(s.begin(), s.end(), std::greater<>());
    return s;
}

} // namespace ws::core
