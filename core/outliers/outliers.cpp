// Observed outliers matched to the predictions (see outliers.h).
#include "core/outliers/outliers.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace ws::core {
namespace {

bool predicted(const OutlierPrediction& p)
{
    return p.finiteRank.has_value() || p.largeRank.has_value();
}

// x - y without overflow to infinity: halved when the plain difference overflows (only for
// values near +-1e308).
struct HalfDiff
{
    double d;     // (x - y) / scale
    double scale; // 1 or 2
};
HalfDiff diff(double x, double y)
{
    const double d = x - y;
    if (std::isfinite(d))
        return {d, 1.0};
    return {0.5 * x - 0.5 * y, 2.0};
}

// Welford's running mean with the sum of squared deviations kept as (2 scale)^2 * ssq (LAPACK
// dlassq style), so that neither overflows for any finite input: eigenvalues near 1e308 that
// differ by ulps (~1e292) would otherwise overflow the squares.
class RunningStats
{
public:
    void add(double x)
    {
        ++m_n;
        const HalfDiff d = diff(x, m_mean);
        m_mean += d.d * (d.scale / m_n); // d.scale / m_n <= 1 whenever d.scale == 2 (m_n >= 2
                                         // then: the first step has m_mean == 0, no overflow)
        const HalfDiff e = diff(x, m_mean);
        // m2 += (x - old mean) (x - new mean), both of the same sign; kept as (2 t)^2, halved so
        // that t itself cannot overflow.
        const double t = 0.5 * std::sqrt(std::abs(d.d)) * std::sqrt(std::abs(e.d)) *
                         std::sqrt(d.scale * e.scale);
        if (t > m_scale) {
            m_ssq = 1.0 + m_ssq * (m_scale / t) * (m_scale / t);
            m_scale = t;
        } else if (t > 0.0) {
            m_ssq += (t / m_scale) * (t / m_scale);
        }
    }
    int count() const { return m_n; }
    double mean() const { return m_mean; }
    // Needs count() >= 2. Saturates at the largest double (only when values of one spike span
    // most of the double range).
    double sd() const
    {
        const double r = m_scale * std::sqrt(m_ssq / (m_n - 1));
        return r <= std::numeric_limits<double>::max() * 0.5 ? 2.0 * r
                                                             : std::numeric_limits<double>::max();
    }

private:
    int m_n = 0;
    double m_mean = 0.0, m_scale = 0.0, m_ssq = 0.0;
};

// Mean of [first, last) (non-empty), overflow-safe.
double average(const double* first, const double* last)
{
    const double m = static_cast<double>(last - first);
    double sum = 0.0;
    for (const double* p = first; p != last; ++p)
        sum += *p;
    if (std::isfinite(sum))
        return sum / m;
    sum = 0.0;
    for (const double* p = first; p != last; ++p)
        sum += *p / m;
    return sum;
}

// Consecutive matched spikes (in matching order) with exactly equal theta.
struct Group
{
    std::size_t firstRank = 0;        // rank of the group's first eigenvalue
    std::vector<std::size_t> members; // spike indices
    RunningStats stats;
};

// Groups for one side, from the spikes in matching order.
std::vector<Group> makeGroups(const std::vector<std::vector<std::size_t>>& members)
{
    std::vector<Group> groups(members.size());
    std::size_t rank = 0;
    for (std::size_t g = 0; g < members.size(); ++g) {
        groups[g].firstRank = rank;
        groups[g].members = members[g];
        rank += members[g].size();
    }
    return groups;
}

// Consecutive equal thetas of `order` form one group.
std::vector<std::vector<std::size_t>> groupsOf(const std::vector<OutlierPrediction>& pred,
                                               const std::vector<std::size_t>& order)
{
    std::vector<std::vector<std::size_t>> groups;
    for (std::size_t q = 0; q < order.size(); ++q) {
        if (q == 0 || pred[order[q]].theta != pred[order[q - 1]].theta)
            groups.emplace_back();
        groups.back().push_back(order[q]);
    }
    return groups;
}

// One sample's eigenvalues beyond the edge (sorted: rank 0 first) into the groups.
void accumulate(std::vector<Group>& groups, const std::vector<double>& ranked)
{
    for (Group& g : groups) {
        const std::size_t end = g.firstRank + g.members.size();
        if (end > ranked.size())
            break; // this group and all later ones are incomplete
        g.stats.add(average(ranked.data() + g.firstRank, ranked.data() + end));
    }
}

} // namespace

SpikeGroups matchSpikeGroups(const Theory& theory)
{
    const auto& pred = theory.outliers;
    // Matching order: positive spikes largest first, negative spikes most negative first
    // (stable on ties, so that equal spikes are consecutive: one group).
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
    return {groupsOf(pred, pos), groupsOf(pred, neg)};
}

std::vector<ObservedOutlier> observeOutliers(const Theory& theory, double sigma, int n,
                                             const std::vector<std::vector<double>>& samples)
{
    const WidenedBulk e = widenedMainBulk(theory, sigma, n);
    const auto& pred = theory.outliers;
    const SpikeGroups matched = matchSpikeGroups(theory);
    std::vector<Group> up = makeGroups(matched.up), down = makeGroups(matched.down);

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
        accumulate(up, above);
        accumulate(down, below);
    }

    std::vector<ObservedOutlier> out(pred.size());
    std::vector<bool> grouped(pred.size(), false);
    for (const auto* groups : {&up, &down}) {
        for (const Group& g : *groups) {
            ObservedOutlier o;
            o.groupSize = static_cast<int>(g.members.size());
            o.samplesPresent = g.stats.count();
            if (o.samplesPresent >= 1)
                o.mean = g.stats.mean();
            if (o.samplesPresent >= 2)
                o.sd = g.stats.sd();
            for (std::size_t j : g.members) {
                out[j] = o;
                grouped[j] = true;
            }
        }
    }
    // Unmatched spikes report their multiplicity too.
    std::vector<double> thetas(pred.size());
    for (std::size_t j = 0; j < pred.size(); ++j)
        thetas[j] = pred[j].theta;
    std::sort(thetas.begin(), thetas.end());
    for (std::size_t j = 0; j < pred.size(); ++j) {
        if (grouped[j])
            continue;
        const auto [lo, hi] = std::equal_range(thetas.begin(), thetas.end(), pred[j].theta);
        out[j].groupSize = static_cast<int>(hi - lo);
    }
    return out;
}

double meanOutlierCount(const Theory& theory, double sigma, int n,
                        const std::vector<std::vector<double>>& samples)
{
    const WidenedBulk e = widenedMainBulk(theory, sigma, n);
    if (samples.empty())
        return 0.0;
    double total = 0.0;
    for (const auto& eig : samples)
        total += static_cast<double>(
            std::count_if(eig.begin(), eig.end(), [&](double x) { return x > e.hi || x < e.lo; }));
    return total / static_cast<double>(samples.size());
}

} // namespace ws::core
