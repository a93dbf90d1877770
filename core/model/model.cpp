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

std::vector<double> spikeValues(const Model& m)
{
    const int r = rankOf(m);
    std::vector<double> th(static_cast<std::size_t>(std::max(r, 0)));
    const auto& p = m.spikes.params;
    for (int k = 1; k <= r; ++k) {
        double v = 0.0;
        switch (m.spikes.kind) {
        case SpikeKind::Equal:
            v = p.at(0);
            break;
        case SpikeKind::Linear:
            // The fraction first: (b - a) (k - 1) alone can overflow when b - a is near DBL_MAX.
            v = r == 1 ? p.at(1)
                       : p.at(1) - (p.at(1) - p.at(0)) * (static_cast<double>(k - 1) / (r - 1));
            break;
        case SpikeKind::Power:
            v = p.at(0) * std::pow(static_cast<double>(k), -p.at(1));
            break;
        case SpikeKind::List:
            v = p.at(static_cast<std::size_t>(k - 1));
            break;
        }
        th[static_cast<std::size_t>(k - 1)] = v;
    }
    std::sort(th.begin(), th.end(), std::greater<>());
    return th;
}

std::vector<double> bulkValues(const Model& m)
{
    const int nb = m.n - rankOf(m);
    if (nb <= 0)
        return {};
    std::vector<double> s(static_cast<std::size_t>(nb));
    const auto& p = m.bulk.params;
    std::vector<double> sortedList;
    if (m.bulk.kind == BulkKind::List) {
        sortedList = p;
        std::sort(sortedList.begin(), sortedList.end());
    }
    for (int i = 1; i <= nb; ++i) {
        const double q = (i - 0.5) / nb;
        double v = 0.0;
        switch (m.bulk.kind) {
        case BulkKind::Zero:
            v = 0.0;
            break;
        case BulkKind::Uniform:
            v = p.at(0) + (p.at(1) - p.at(0)) * q;
            break;
        case BulkKind::Semicircle:
            v = semicircleQuantile(p.at(0), q);
            break;
        case BulkKind::TwoPoint:
            v = q < p.at(2) ? p.at(0) : p.at(1);
            break;
        case BulkKind::List: {
            // Left-continuous inverse of the empirical CDF of the listed values.
            const auto L = sortedList.size();
            auto idx = static_cast<std::size_t>(std::ceil(q * static_cast<double>(L)));
            idx = std::clamp<std::size_t>(idx, 1, L);
            v = sortedList[idx - 1];
            break;
        }
        }
        s[static_cast<std::size_t>(i - 1)] = v;
    }
    std::sort(s.begin(), s.end());
    return s;
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
