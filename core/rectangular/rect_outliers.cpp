// Observed outliers of the rectangular model matched to the predictions (rectangular.h).
#include "core/rectangular/rectangular.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace ws::core {

std::vector<ObservedOutlier> observeRectOutliers(const RectTheory& theory,
                                                 const std::vector<std::vector<double>>& samples,
                                                 bool squared)
{
    const auto& pred = theory.outliers;
    std::vector<ObservedOutlier> out(pred.size());
    const double hiEdge = theory.mainBulkHi + theory.edgeMargin;
    const double loEdge = theory.mainBulkLo - theory.edgeMargin;

    // Groups of equal theta (consecutive: predictions are sorted by descending theta) with
    // their first rank from the top (side +1) or from the bottom (side -1).
    struct Group
    {
        std::size_t first = 0, size = 0;
        int side = 1;
        std::size_t rank = 0;
    };
    std::vector<Group> groups;
    for (std::size_t j = 0; j < pred.size();) {
        std::size_t e = j;
        while (e < pred.size() && pred[e].theta == pred[j].theta)
            ++e;
        const auto& p = pred[j];
        if ((p.finiteRank || p.largeRank) && p.theta != 0.0)
            groups.push_back({j, e - j, p.side < 0 ? -1 : 1, 0});
        j = e;
    }
    std::size_t topRank = 0;
    for (auto& g : groups)
        if (g.side > 0) {
            g.rank = topRank;
            topRank += g.size;
        }
    std::size_t bottomRank = 0;
    for (auto it = groups.rbegin(); it != groups.rend(); ++it)
        if (it->side < 0) {
            it->rank = bottomRank;
            bottomRank += it->size;
        }

    struct Stats
    {
        int n = 0;
        double mean = 0.0, m2 = 0.0;
        void add(double x)
        {
            ++n;
            const double d = x - mean;
            mean += d / n;
            m2 += d * (x - mean);
        }
    };
    std::vector<Stats> stats(groups.size());
    std::vector<double> above, below;
    for (const auto& sv : samples) {
        above.clear();
        below.clear();
        for (double y : sv) {
            if (y > hiEdge)
                above.push_back(y);
            else if (y < loEdge)
                below.push_back(y);
        }
        std::sort(above.begin(), above.end(), std::greater<>());
        std::sort(below.begin(), below.end());
        for (std::size_t q = 0; q < groups.size(); ++q) {
            const Group& g = groups[q];
            const auto& v = g.side > 0 ? above : below;
            if (g.rank + g.size > v.size())
                continue; // not all members found: a partial average would be biased
            double ms = 0.0;
            for (std::size_t i = g.rank; i < g.rank + g.size; ++i)
                ms += v[i] * v[i];
            ms /= static_cast<double>(g.size);
            stats[q].add(squared ? ms : std::sqrt(ms));
        }
    }
    for (std::size_t q = 0; q < groups.size(); ++q) {
        const Group& g = groups[q];
        for (std::size_t j = g.first; j < g.first + g.size; ++j) {
            ObservedOutlier& o = out[j];
            o.groupSize = static_cast<int>(g.size);
            o.samplesPresent = stats[q].n;
            if (stats[q].n >= 1)
                o.mean = stats[q].mean;
            if (stats[q].n >= 2)
                o.sd = std::sqrt(stats[q].m2 / (stats[q].n - 1));
        }
    }
    for (std::size_t j = 0; j < pred.size(); ++j)
        if (out[j].groupSize == 1) {
            std::size_t e = j, b = j;
            while (e < pred.size() && pred[e].theta == pred[j].theta)
                ++e;
            while (b > 0 && pred[b - 1].theta == pred[j].theta)
                --b;
            out[j].groupSize = static_cast<int>(e - b);
        }
    return out;
}

} // namespace ws::core
