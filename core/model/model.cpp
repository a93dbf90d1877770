#include "core/model/model.h"

#include <algorithm>
#include <cmath>

namespace ws::core {
namespace {

// Semicircle law of radius rho: CDF F(x) = 1/2 + (x sqrt(rho^2 - x^2)/rho^2 + asin(x/rho))/pi.
double semicircleQuantile(double rho, double q)
{
    double lo = -rho, hi = rho;
    // Bisection: F is increasing and cheap; 80 halvings reach double precision on [-rho, rho].
    for (int it = 0; it < 80; ++it) {
        const double x = 0.5 * lo + 0.5 * hi; // lo + hi overflows for rho near DBL_MAX
        const double t = x / rho;
        const double f = 0.5 + (t * std::sqrt(std::max(0.0, 1.0 - t * t)) + std::asin(t)) / M_PI;
        (f < q ? lo : hi) = x;
    }
    return 0.5 * lo + 0.5 * hi;
}

} // namespace

int rankOf(const NoiseAndSignal& f, int n, int maxRank)
{
    if (f.spikes.kind == SpikeKind::List)
        return static_cast<int>(f.spikes.params.size());
    if (f.rank.isExplicit)
        return f.rank.rank;
    const double x = std::pow(static_cast<double>(n), f.rank.alpha);
    const double r = std::ceil(x * (1.0 - 1e-12));
    return static_cast<int>(std::clamp(r, 1.0, static_cast<double>(std::max(maxRank, 1))));
}

int rankOf(const Model& m)
{
    return rankOf(m, m.n, m.n);
}

namespace {

// Spike k of r (1-based, in the family's own order; spikeValues sorts them).
double spikeValue(const Model& m, int k, int r)
{
    const auto& p = m.spikes.params;
    switch (m.spikes.kind) {
    case SpikeKind::Equal:
        return p.at(0);
    case SpikeKind::Linear:
        // The fraction first: (b - a) (k - 1) alone can overflow when b - a is near DBL_MAX.
        return r == 1 ? p.at(1)
                      : p.at(1) - (p.at(1) - p.at(0)) * (static_cast<double>(k - 1) / (r - 1));
    case SpikeKind::Power:
        return p.at(0) * std::pow(static_cast<double>(k), -p.at(1));
    case SpikeKind::List:
        return p.at(static_cast<std::size_t>(k - 1));
    }
    return 0.0;
}

// Bulk value i of nb (1-based): the quantile at (i - 1/2)/nb. `sortedList`: the list family's
// values, ascending (empty for the other families).
double bulkValue(const Model& m, int i, int nb, const std::vector<double>& sortedList)
{
    const auto& p = m.bulk.params;
    const double q = (i - 0.5) / nb;
    switch (m.bulk.kind) {
    case BulkKind::Zero:
        return 0.0;
    case BulkKind::Uniform:
        return p.at(0) + (p.at(1) - p.at(0)) * q;
    case BulkKind::Semicircle:
        return semicircleQuantile(p.at(0), q);
    case BulkKind::TwoPoint:
        return q < p.at(2) ? p.at(0) : p.at(1);
    case BulkKind::List: {
        // Left-continuous inverse of the empirical CDF of the listed values.
        const auto L = sortedList.size();
        auto idx = static_cast<std::size_t>(std::ceil(q * static_cast<double>(L)));
        idx = std::clamp<std::size_t>(idx, 1, L);
        return sortedList[idx - 1];
    }
    }
    return 0.0;
}

std::vector<double> sortedBulkList(const Model& m)
{
    std::vector<double> sorted;
    if (m.bulk.kind == BulkKind::List) {
        sorted = m.bulk.params;
        std::sort(sorted.begin(), sorted.end());
    }
    return sorted;
}

} // namespace

std::vector<double> spikeValues(const Model& m)
{
    const int r = rankOf(m);
    std::vector<double> th(static_cast<std::size_t>(std::max(r, 0)));
    for (int k = 1; k <= r; ++k)
        th[static_cast<std::size_t>(k - 1)] = spikeValue(m, k, r);
    std::sort(th.begin(), th.end(), std::greater<>());
    return th;
}

std::vector<double> bulkValues(const Model& m)
{
    const int nb = m.n - rankOf(m);
    if (nb <= 0)
        return {};
    std::vector<double> s(static_cast<std::size_t>(nb));
    const std::vector<double> sortedList = sortedBulkList(m);
    for (int i = 1; i <= nb; ++i)
        s[static_cast<std::size_t>(i - 1)] = bulkValue(m, i, nb, sortedList);
    std::sort(s.begin(), s.end());
    return s;
}

std::pair<double, double> spikeRange(const Model& m)
{
    const int r = rankOf(m);
    if (m.spikes.kind == SpikeKind::List) {
        const auto [lo, hi] = std::minmax_element(m.spikes.params.begin(), m.spikes.params.end());
        return {*lo, *hi};
    }
    // Every other family is monotone in k: its ends are spikes 1 and r.
    const double a = spikeValue(m, 1, r), b = spikeValue(m, r, r);
    return {std::min(a, b), std::max(a, b)};
}

std::optional<std::pair<double, double>> bulkRange(const Model& m)
{
    const int nb = m.n - rankOf(m);
    if (nb <= 0)
        return std::nullopt;
    // Every family's quantile function is monotone, except two points a, b with a > b, whose
    // values both appear at the ends: the extremes are among values 1 and nb.
    const std::vector<double> sortedList = sortedBulkList(m);
    const double a = bulkValue(m, 1, nb, sortedList), b = bulkValue(m, nb, nb, sortedList);
    return std::make_pair(std::min(a, b), std::max(a, b));
}

std::vector<double> signalSpectrum(const Model& m)
{
    std::vector<double> s = spikeValues(m);
    const std::vector<double> b = bulkValues(m);
    s.insert(s.end(), b.begin(), b.end());
    return s;
}

bool bulkIsConstant(const Model& m)
{
    const auto& p = m.bulk.params;
    switch (m.bulk.kind) {
    case BulkKind::Zero:
        return true;
    case BulkKind::Uniform:
        return p.size() == 2 && p[0] == p[1];
    case BulkKind::Semicircle:
        return false;
    case BulkKind::TwoPoint:
        return p.size() == 3 && (p[0] == p[1] || p[2] <= 0.0 || p[2] >= 1.0);
    case BulkKind::List:
        return !p.empty() && std::all_of(p.begin(), p.end(), [&](double v) { return v == p[0]; });
    }
    return false;
}

std::optional<double> fourthCumulant(const NoiseFamily& f)
{
    switch (f.kind) {
    case NoiseKind::Gaussian:
    case NoiseKind::Complex:
        return 0.0;
    case NoiseKind::Rademacher:
        return -2.0; // E X^4 = 1
    case NoiseKind::Uniform:
        return -1.2; // U(-sqrt 3, sqrt 3): E X^4 = 9/5
    case NoiseKind::StudentT:
        // t_nu scaled to unit variance: E X^4 = 3 (nu - 2)/(nu - 4) for nu > 4.
        if (!(f.param > 4.0))
            return std::nullopt;
        return 6.0 / (f.param - 4.0);
    case NoiseKind::Sparse:
        return 3.0 / f.param - 3.0; // Bernoulli(p) N(0, 1/p): E X^4 = 3/p
    }
    return 0.0;
}

bool heavyTailed(const NoiseFamily& f)
{
    return !fourthCumulant(f).has_value();
}

} // namespace ws::core
