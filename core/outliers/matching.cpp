// Monotone matching of a cluster's eigenvalues to its positions (see matching.h).
#include "core/outliers/matching.h"

#include <algorithm>
#include <cstddef>
#include <limits>

namespace ws::core {

std::vector<int> matchMonotone(const std::vector<double>& lambda, const std::vector<double>& x)
{
    const std::size_t m = lambda.size(), k = x.size();
    std::vector<int> out(k, -1);
    if (m == k) {
        for (std::size_t j = 0; j < k; ++j)
            out[j] = static_cast<int>(j);
        return out;
    }
    // The longer side has `skip` more elements; pair p (0 <= p < n) is (lambda[p + a],
    // x[p + b]) with a = skipped eigenvalues so far (m > k) or b = skipped positions (m < k),
    // non-decreasing in p. cost[p][s]: the best cost of the first p pairs having skipped s.
    const bool moreEigen = m > k;
    const std::size_t n = std::min(m, k), skip = moreEigen ? m - k : k - m;
    auto pairCost = [&](std::size_t p, std::size_t s) {
        const double d = moreEigen ? lambda[p + s] - x[p] : lambda[p] - x[p + s];
        return d * d;
    };
    constexpr double kInf = std::numeric_limits<double>::infinity();
    const std::size_t width = skip + 1;
    std::vector<double> cost((n + 1) * width, kInf);
    std::vector<unsigned char> from((n + 1) * width, 0); // 1: came from cost[p][s - 1]
    auto at = [width](std::size_t p, std::size_t s) { return p * width + s; };
    for (std::size_t s = 0; s <= skip; ++s)
        cost[at(0, s)] = 0.0; // skipping before the first pair is free
    for (std::size_t s = 1; s <= skip; ++s)
        from[at(0, s)] = 1;
    for (std::size_t p = 1; p <= n; ++p)
        for (std::size_t s = 0; s <= skip; ++s) {
            double best = cost[at(p - 1, s)] + pairCost(p - 1, s);
            unsigned char how = 0;
            if (s > 0 && cost[at(p, s - 1)] < best) {
                best = cost[at(p, s - 1)]; // skip the element p + s - 1, after pair p - 1
                how = 1;
            }
            cost[at(p, s)] = best;
            from[at(p, s)] = how;
        }
    // Back from (n, skip): a step "1" moves to s - 1 at the same p (the skipped element sits
    // after pair p - 1), a step "0" records pair p - 1 with offset s.
    std::size_t p = n, s = skip;
    while (p > 0) {
        if (from[at(p, s)] == 1) {
            --s;
            continue;
        }
        const std::size_t pair = p - 1;
        if (moreEigen)
            out[pair] = static_cast<int>(pair + s);
        else
            out[pair + s] = static_cast<int>(pair);
        --p;
    }
    return out;
}

} // namespace ws::core
