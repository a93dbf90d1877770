// Observed outliers matched to the predictions (see outliers.h).
#include "outliers.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <stdexcept>

namespace ws::core {
namespace {

struct Edges
{
    double lo, hi;
};

// The main bulk of mu_N widened by 3 sigma N^(-2/3) (the Tracy-Widom scale of the edge).
Edges widenedBulk(const Theory& theory, double sigma, int n)
{
    if (n < 1)
        throw std::invalid_argument("outliers: n must be >= 1");
    const double w = 3.0 * sigma * std::pow(static_cast<double>(n), -2.0 / 3.0);
    return {theory.mainBulkLo - w, theory.mainBulkHi + w};
}

bool predicted(const OutlierPrediction& p)
{
    return p.finiteRank.has_value() || p.largeRank.has_value();
}

} // namespace

std::vector<ObservedOutlier> observeOutliers(const Theory& theory, double sigma, int n,
                                             const std::vector<std::vector<double>>& samples)
{
    const Edges e = widenedBulk(theory, sigma, n);
    const auto& pred = theory.outliers;

    // Matching order: positive spikes largest first, negative spikes most negative first
    // (stable on ties, so equal spikes take consecutive eigenvalues in prediction order).
    std::vector<std::size_t> pos, neg;
    for (std::size_t j = 0; j < pred.size(); ++j) {
        if (!predicted(pred[j]))
            continue;
        if (pred[j].theta > 0.0)
            pos.push_back(j);
        else if (pred[j].theta < 0.0)
            neg.push_back(j);
    }
    std::stable_sort(pos.begin(), pos.end(),
                     [&](std::size_t a, std::size_t b) { return pred[a].theta > pred[b].theta; });
    std::stable_sort(neg.begin(), neg.end(),
                     [&](std::size_t a, std::size_t b) { return pred[a].theta < pred[b].theta; });

    // Welford accumulators per spike.
    std::vector<double> mean(pred.size(), 0.0), m2(pred.size(), 0.0);
    std::vector<int> present(pred.size(), 0);
    auto accumulate = [&](std::size_t j, double x) {
        ++present[j];
        const double d = x - mean[j];
        mean[j] += d / present[j];
        m2[j] += d * (x - mean[j]);
    };

    std::vector<double> above, below;
    for (const auto& eig : samples) {
        above.clear();
        below.clear();
        for (double x : eig) {
            if (x > e.hi)
                above.push_back(x);
            else if (x < e.lo)
                below.push_back(x);
        }
        std::sort(above.begin(), above.end(), std::greater<>());
        std::sort(below.begin(), below.end());
        for (std::size_t q = 0; q < pos.size() && q < above.size(); ++q)
            accumulate(pos[q], above[q]);
        for (std::size_t q = 0; q < neg.size() && q < below.size(); ++q)
            accumulate(neg[q], below[q]);
    }

    std::vector<ObservedOutlier> out(pred.size());
    for (std::size_t j = 0; j < pred.size(); ++j) {
        out[j].samplesPresent = present[j];
        if (present[j] >= 1)
            out[j].mean = mean[j];
        if (present[j] >= 2)
            out[j].sd = std::sqrt(m2[j] / (present[j] - 1));
    }
    return out;
}

double meanOutlierCount(const Theory& theory, double sigma, int n,
                        const std::vector<std::vector<double>>& samples)
{
    const Edges e = widenedBulk(theory, sigma, n);
    if (samples.empty())
        return 0.0;
    double total = 0.0;
    for (const auto& eig : samples)
        total += static_cast<double>(
            std::count_if(eig.begin(), eig.end(), [&](double x) { return x > e.hi || x < e.lo; }));
    return total / static_cast<double>(samples.size());
}

} // namespace ws::core
