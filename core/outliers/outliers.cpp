// Observed outliers matched to the predictions (see outliers.h).
#include "core/outliers/outliers.h"

#include "core/outliers/matching.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace ws::core {
namespace {

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

// Root mean square of [first, last) (non-empty); scaled by the largest |value| only when the
// plain sum of squares overflows.
double rootMeanSquare(const double* first, const double* last)
{
    const double m = static_cast<double>(last - first);
    double sum = 0.0;
    for (const double* p = first; p != last; ++p)
        sum += *p * *p;
    if (std::isfinite(sum))
        return std::sqrt(sum / m);
    double big = 0.0;
    for (const double* p = first; p != last; ++p)
        big = std::max(big, std::abs(*p));
    sum = 0.0;
    for (const double* p = first; p != last; ++p)
        sum += (*p / big) * (*p / big);
    return big * std::sqrt(sum / m);
}

double averageOf(GroupAverage how, const double* first, const double* last)
{
    return how == GroupAverage::RootMeanSquare ? rootMeanSquare(first, last) : average(first, last);
}

// Population sd of [first, last) (at least one value), overflow-safe like RunningStats.
double ownSpread(const double* first, const double* last)
{
    RunningStats st;
    for (const double* p = first; p != last; ++p)
        st.add(*p);
    const double n = static_cast<double>(last - first);
    return n >= 2 ? st.sd() * std::sqrt((n - 1) / n) : 0.0;
}

// The spikes of one cluster grouped by atom: the ranks [rank, rank + size) and the spikes.
struct Group
{
    std::size_t interval = 0;
    int rank = 0, size = 1;
    std::vector<std::size_t> members; // indices into theory.outliers
    RunningStats means;
    double spreadSum = 0.0;
    std::int64_t matched = 0; // eigenvalues matched to the group, over all samples
};

std::vector<Group> groupsOf(const Theory& t)
{
    std::vector<Group> groups;
    for (std::size_t j = 0; j < t.outliers.size(); ++j) {
        const OutlierPrediction& p = t.outliers[j];
        if (p.absorbed || p.interval >= t.equivalent.support.size() ||
            t.equivalent.support[p.interval].kind != IntervalKind::Cluster)
            continue;
        auto g = std::find_if(groups.begin(), groups.end(), [&](const Group& x) {
            return x.interval == p.interval && x.rank == p.rank;
        });
        if (g == groups.end()) {
            groups.emplace_back();
            g = groups.end() - 1;
            g->interval = p.interval;
            g->rank = p.rank;
            g->size = std::max(p.multiplicity, 1);
        }
        g->members.push_back(j);
    }
    return groups;
}

// The predicted positions of a cluster's ranks: its classical locations, or its centre for a
// cluster of one atom (whose eigenvalues are exchangeable).
std::vector<double> positionsOf(const SupportInterval& iv)
{
    if (!iv.locations.empty())
        return iv.locations;
    const double c = iv.centre.value_or(0.5 * iv.a + 0.5 * iv.b);
    return std::vector<double>(static_cast<std::size_t>(std::max(iv.count, 0)), c);
}

std::optional<std::size_t> singleBulk(const Theory& t)
{
    std::optional<std::size_t> bulk;
    const auto& sup = t.equivalent.support;
    for (std::size_t k = 0; k < sup.size(); ++k)
        if (sup[k].kind == IntervalKind::Bulk) {
            if (bulk)
                return std::nullopt;
            bulk = k;
        }
    return bulk;
}

} // namespace

int intervalOf(const Theory& theory, double x)
{
    if (std::isnan(x))
        return -1;
    const auto& sup = theory.equivalent.support;
    const auto it =
        std::lower_bound(sup.begin(), sup.end(), x,
                         [](const SupportInterval& iv, double v) { return iv.claimHi < v; });
    if (it == sup.end() || !(it->claimLo <= x))
        return -1;
    return static_cast<int>(it - sup.begin());
}

SampleTally tallySample(const Theory& theory, const std::vector<double>& eigenvalues,
                        std::int64_t unlisted)
{
    const auto& sup = theory.equivalent.support;
    SampleTally t;
    t.counts.assign(sup.size(), 0);
    if (unlisted > 0) {
        const std::optional<std::size_t> bulk = singleBulk(theory);
        if (!bulk)
            throw std::invalid_argument(
                "outliers: unlisted eigenvalues need exactly one bulk interval");
        t.counts[*bulk] += unlisted;
    }
    for (double x : eigenvalues) {
        if (std::isnan(x))
            continue;
        const int k = intervalOf(theory, x);
        if (k < 0) {
            t.unexplained.push_back(x);
            continue;
        }
        const auto ku = static_cast<std::size_t>(k);
        ++t.counts[ku];
        if (sup[ku].kind == IntervalKind::Cluster)
            t.clustered.push_back(x);
    }
    std::sort(t.clustered.begin(), t.clustered.end());
    std::sort(t.unexplained.begin(), t.unexplained.end());
    return t;
}

std::vector<double> clusterEigenvalues(const Theory& theory, const SampleTally& tally,
                                       std::size_t k)
{
    const auto& sup = theory.equivalent.support;
    if (k >= sup.size() || k >= tally.counts.size() || sup[k].kind != IntervalKind::Cluster)
        return {};
    std::size_t from = 0;
    for (std::size_t i = 0; i < k; ++i)
        if (sup[i].kind == IntervalKind::Cluster)
            from += static_cast<std::size_t>(tally.counts[i]);
    const std::size_t to =
        std::min(tally.clustered.size(), from + static_cast<std::size_t>(tally.counts[k]));
    if (from >= to)
        return {};
    return {tally.clustered.begin() + static_cast<std::ptrdiff_t>(from),
            tally.clustered.begin() + static_cast<std::ptrdiff_t>(to)};
}

OutlierObservation summarizeTallies(const Theory& theory, const std::vector<SampleTally>& tallies,
                                    GroupAverage how)
{
    const auto& sup = theory.equivalent.support;
    OutlierObservation obs;
    obs.samples = static_cast<int>(tallies.size());
    obs.spikes.resize(theory.outliers.size());
    obs.intervals.resize(sup.size());
    std::vector<Group> groups = groupsOf(theory);
    std::vector<RunningStats> clusterMeans(sup.size());
    std::vector<double> clusterSpread(sup.size(), 0.0);
    std::vector<double> countSum(sup.size(), 0.0);
    // Chains of cluster intervals whose claims touch: an outlier that strays into its
    // neighbour's interval is still matched to its own spike.
    struct Chain
    {
        std::vector<std::size_t> intervals;
        std::vector<double> positions; // of all their ranks, ascending
    };
    std::vector<Chain> chains;
    std::vector<std::size_t> chainOf(sup.size(), 0), offsetInChain(sup.size(), 0);
    for (std::size_t k = 0; k < sup.size(); ++k) {
        if (sup[k].kind != IntervalKind::Cluster)
            continue;
        const bool joins =
            k > 0 && sup[k - 1].kind == IntervalKind::Cluster &&
            std::nextafter(sup[k - 1].claimHi, std::numeric_limits<double>::infinity()) >=
                sup[k].claimLo;
        if (!joins)
            chains.emplace_back();
        Chain& c = chains.back();
        chainOf[k] = chains.size() - 1;
        offsetInChain[k] = c.positions.size();
        c.intervals.push_back(k);
        const std::vector<double> pos = positionsOf(sup[k]);
        c.positions.insert(c.positions.end(), pos.begin(), pos.end());
    }
    double outliers = 0.0, unexplained = 0.0;

    for (std::size_t s = 0; s < tallies.size(); ++s) {
        const SampleTally& t = tallies[s];
        if (t.counts.size() != sup.size())
            throw std::invalid_argument("outliers: a tally of another theory");
        // Where each cluster's eigenvalues start in t.clustered.
        std::vector<std::size_t> start(sup.size() + 1, 0);
        for (std::size_t k = 0; k < sup.size(); ++k)
            start[k + 1] = start[k] + (sup[k].kind == IntervalKind::Cluster
                                           ? static_cast<std::size_t>(t.counts[k])
                                           : std::size_t{0});
        if (start.back() != t.clustered.size())
            throw std::invalid_argument("outliers: a tally of another theory");
        for (std::size_t k = 0; k < sup.size(); ++k) {
            const std::int64_t c = t.counts[k];
            countSum[k] += static_cast<double>(c);
            ObservedInterval& oi = obs.intervals[k];
            oi.minCount = s == 0 ? c : std::min(oi.minCount, c);
            oi.maxCount = s == 0 ? c : std::max(oi.maxCount, c);
            if (sup[k].kind != IntervalKind::Cluster)
                continue;
            outliers += static_cast<double>(c);
            const double* ev = t.clustered.data() + start[k];
            if (c > 0 && c == sup[k].count) {
                ++oi.samplesComplete;
                clusterMeans[k].add(averageOf(how, ev, ev + c));
                clusterSpread[k] += ownSpread(ev, ev + c);
            }
        }
        unexplained += static_cast<double>(t.unexplained.size());
        for (double x : t.unexplained)
            if (obs.unexplained.size() < kMaxUnexplained)
                obs.unexplained.push_back(x);

        // Matching within each chain of touching clusters, then the groups.
        std::vector<std::vector<double>> chainEv(chains.size());
        std::vector<std::vector<int>> match(chains.size());
        for (std::size_t c = 0; c < chains.size(); ++c) {
            // Consecutive intervals: their eigenvalues are one slice.
            const auto from = static_cast<std::ptrdiff_t>(start[chains[c].intervals.front()]);
            const auto to = static_cast<std::ptrdiff_t>(start[chains[c].intervals.back() + 1]);
            chainEv[c].assign(t.clustered.begin() + from, t.clustered.begin() + to);
            match[c] = matchMonotone(chainEv[c], chains[c].positions);
        }
        for (Group& g : groups) {
            const std::size_t c = chainOf[g.interval];
            const std::vector<double>& ev = chainEv[c];
            std::vector<double> mine;
            for (int r = g.rank; r < g.rank + g.size; ++r) {
                const auto ru = static_cast<std::size_t>(r) + offsetInChain[g.interval];
                if (ru < match[c].size() && match[c][ru] >= 0)
                    mine.push_back(ev[static_cast<std::size_t>(match[c][ru])]);
            }
            g.matched += static_cast<std::int64_t>(mine.size());
            if (mine.empty() || static_cast<int>(mine.size()) != g.size)
                continue;
            const double mean = averageOf(how, mine.data(), mine.data() + mine.size());
            g.means.add(mean);
            g.spreadSum += ownSpread(mine.data(), mine.data() + mine.size());
        }
    }

    const double n = std::max<double>(obs.samples, 1.0);
    for (std::size_t k = 0; k < sup.size(); ++k) {
        ObservedInterval& oi = obs.intervals[k];
        oi.meanCount = countSum[k] / n;
        if (oi.samplesComplete >= 1) {
            oi.mean = clusterMeans[k].mean();
            oi.spread = clusterSpread[k] / oi.samplesComplete;
        }
        if (oi.samplesComplete >= 2)
            oi.sd = clusterMeans[k].sd();
    }
    obs.meanOutliers = (outliers + unexplained) / n;
    obs.meanUnexplained = unexplained / n;
    std::sort(obs.unexplained.begin(), obs.unexplained.end());
    for (const Group& g : groups) {
        ObservedOutlier o;
        o.groupSize = g.size;
        o.samplesPresent = g.means.count();
        o.meanCount = static_cast<double>(g.matched) / n;
        if (o.samplesPresent >= 1)
            o.mean = g.means.mean();
        if (o.samplesPresent >= 2)
            o.sd = g.means.sd();
        if (g.size >= 2 && o.samplesPresent >= 1)
            o.spread = g.spreadSum / o.samplesPresent;
        for (std::size_t j : g.members)
            obs.spikes[j] = o;
    }
    // Spikes without a group (absorbed) report their multiplicity too.
    for (std::size_t j = 0; j < theory.outliers.size(); ++j)
        if (theory.outliers[j].absorbed)
            obs.spikes[j].groupSize = std::max(theory.outliers[j].multiplicity, 1);
    return obs;
}

OutlierObservation observeOutliers(const Theory& theory,
                                   const std::vector<std::vector<double>>& samples,
                                   GroupAverage how)
{
    std::vector<SampleTally> tallies;
    tallies.reserve(samples.size());
    for (const auto& s : samples)
        tallies.push_back(tallySample(theory, s));
    return summarizeTallies(theory, tallies, how);
}

std::optional<OutlierThresholds> outlierThresholds(const Theory& theory)
{
    const auto& sup = theory.equivalent.support;
    int clustered = 0;
    bool anyBulk = false;
    for (const SupportInterval& iv : sup) {
        if (iv.kind == IntervalKind::Cluster)
            clustered += iv.count;
        else
            anyBulk = true;
    }
    OutlierThresholds t;
    if (!anyBulk) {
        t.below = t.above = -std::numeric_limits<double>::max();
        t.maxOutliers = std::max(theory.n, 1);
        return t;
    }
    const std::optional<std::size_t> bulk = singleBulk(theory);
    if (!bulk)
        return std::nullopt;
    t.bulk = bulk;
    t.below = sup[*bulk].claimLo;
    t.above = sup[*bulk].claimHi;
    // Every cluster eigenvalue, with room for unexplained ones.
    t.maxOutliers = std::max(1000, clustered + 64);
    return t;
}

} // namespace ws::core
