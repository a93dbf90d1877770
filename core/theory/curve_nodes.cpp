#include "core/theory/curve_nodes.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace ws::core {

std::vector<std::size_t> nodesPerComponent(const std::vector<double>& widths, int points)
{
    const std::size_t nc = widths.size();
    const std::size_t total = static_cast<std::size_t>(std::max(points, 2));
    const std::size_t minEach = total >= 5 * nc ? 5 : 3;
    std::vector<std::size_t> count(nc, minEach);
    const std::size_t spare = total > minEach * nc ? total - minEach * nc : 0;
    if (spare == 0 || nc == 0)
        return count;
    double widthSum = 0.0;
    for (double w : widths)
        widthSum += w;
    std::vector<std::pair<double, std::size_t>> remainders;
    std::size_t given = 0;
    for (std::size_t k = 0; k < nc; ++k) {
        const double share = widthSum > 0.0 && std::isfinite(widthSum)
                                 ? static_cast<double>(spare) * widths[k] / widthSum
                                 : static_cast<double>(spare) / static_cast<double>(nc);
        const auto whole = static_cast<std::size_t>(std::floor(share));
        count[k] += whole;
        given += whole;
        remainders.emplace_back(share - static_cast<double>(whole), k);
    }
    std::stable_sort(remainders.begin(), remainders.end(),
                     [](const auto& p, const auto& q) { return p.first > q.first; });
    for (std::size_t q = 0; given < spare && q < remainders.size(); ++q, ++given)
        ++count[remainders[q].second];
    return count;
}

NodeLayout layoutNodes(const std::vector<std::size_t>& count)
{
    constexpr std::size_t kChunk = 32;
    NodeLayout l;
    l.offset.assign(count.size() + 1, 0);
    for (std::size_t k = 0; k < count.size(); ++k) {
        l.offset[k + 1] = l.offset[k] + count[k];
        for (std::size_t j = 1; j + 1 < count[k]; j += kChunk)
            l.chunks.push_back({k, j, std::min(j + kChunk, count[k] - 1)});
    }
    return l;
}

} // namespace ws::core
