#pragma once
// Histogram goodness of fit and sample statistics for the statistical tests: pools the samples into
// one histogram (the core's Histogram, what the app draws) and compares its bin fractions with the
// probabilities p of a law. The standard error of each pooled fraction is measured from the spread
// of the per-sample fractions: eigenvalues are strongly correlated within a sample (rigidity), so a
// multinomial error would be far too pessimistic.
#include "core/util/histogram.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace testsupport {

// One vector of values (eigenvalues, singular values) per sample.
using Samples = std::vector<std::vector<double>>;

struct HistogramFit
{
    double l1 = 0.0;    // sum_b |observed fraction_b - p_b|
    double noise = 0.0; // sum_b SE_b of the observed fractions (SE across samples)
    std::vector<double> fraction;
};

// `edges`: an empty histogram giving the bins; `samples`: one vector of values per sample.
inline HistogramFit fitHistogram(const Samples& samples, const ws::core::Histogram& edges,
                                 const std::vector<double>& p)
{
    const std::size_t nb = edges.counts.size();
    ws::core::Histogram pooled = edges;
    std::vector<double> sum(nb, 0.0), sumSq(nb, 0.0);
    for (const auto& v : samples) {
        ws::core::Histogram one = edges;
        one.add(v);
        pooled.add(v);
        for (std::size_t b = 0; b < nb; ++b) {
            const double f = static_cast<double>(one.counts[b]) / static_cast<double>(one.total);
            sum[b] += f;
            sumSq[b] += f * f;
        }
    }
    const double k = static_cast<double>(samples.size());
    HistogramFit fit;
    for (std::size_t b = 0; b < nb; ++b) {
        const double f = static_cast<double>(pooled.counts[b]) / static_cast<double>(pooled.total);
        fit.fraction.push_back(f);
        fit.l1 += std::abs(f - p[b]);
        const double var = std::max(0.0, (sumSq[b] - sum[b] * sum[b] / k) / (k - 1.0));
        fit.noise += std::sqrt(var / k);
    }
    return fit;
}

// sum_i |a_i - b_i|
inline double l1(const std::vector<double>& a, const std::vector<double>& b)
{
    double d = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i)
        d += std::abs(a[i] - b[i]);
    return d;
}

inline double mean(const std::vector<double>& v)
{
    double s = 0.0;
    for (double x : v)
        s += x;
    return s / static_cast<double>(v.size());
}

// Standard error of the mean of v (the sample standard deviation over sqrt(size)).
inline double standardError(const std::vector<double>& v)
{
    const double m = mean(v);
    double s = 0.0;
    for (double x : v)
        s += (x - m) * (x - m);
    return std::sqrt(s / static_cast<double>(v.size() - 1) / static_cast<double>(v.size()));
}

} // namespace testsupport
