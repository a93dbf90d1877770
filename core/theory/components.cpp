// Labels, moments, edge regularity and classical locations of the support intervals (see
// components.h).
#include "core/theory/components.h"

#include "core/outliers/window.h"
#include "core/theory/rank_mean.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>

namespace ws::core::biane_detail {

using Eigen::Index;

void labelIntervals(std::vector<SupportInterval>& support, const AtomData& data,
                    const std::vector<AtomOrigin>& origin, bool fullRank,
                    const std::vector<std::pair<double, double>>& familySupport)
{
    for (SupportInterval& iv : support) {
        double spikes = 0.0, bulk = 0.0; // exact integers
        for (std::size_t a = iv.firstAtom; a <= iv.lastAtom; ++a) {
            spikes += origin[a].spikes;
            bulk += origin[a].bulk;
        }
        iv.count = static_cast<int>(spikes + bulk);
        iv.spikes = static_cast<int>(spikes);
        bool isBulk = bulk > 0.0;
        if (fullRank) {
            // Where the bulk of S would be: does the u-interval [l, r] meet it?
            const double l = data.s[static_cast<Index>(iv.firstAtom)] + data.sigma * iv.tLo;
            const double r = data.s[static_cast<Index>(iv.lastAtom)] + data.sigma * iv.tHi;
            isBulk = std::any_of(familySupport.begin(), familySupport.end(),
                                 [&](const auto& f) { return f.first <= r && f.second >= l; });
        }
        iv.kind = isBulk ? IntervalKind::Bulk : IntervalKind::Cluster;
    }
}

std::vector<std::pair<double, double>> bulkFamilySupport(const BulkFamily& f)
{
    const auto& p = f.params;
    switch (f.kind) {
    case BulkKind::Zero:
        return {{0.0, 0.0}};
    case BulkKind::Uniform:
        return {{p.at(0), p.at(1)}};
    case BulkKind::Semicircle:
        return {{-p.at(0), p.at(0)}};
    case BulkKind::TwoPoint: {
        std::vector<std::pair<double, double>> out;
        if (p.at(2) > 0.0)
            out.emplace_back(p.at(0), p.at(0));
        if (p.at(2) < 1.0)
            out.emplace_back(p.at(1), p.at(1));
        return out;
    }
    case BulkKind::List: {
        std::vector<std::pair<double, double>> out;
        for (double v : p)
            out.emplace_back(v, v);
        return out;
    }
    }
    return {};
}

namespace {

// Atoms outside an interval up to which intervalMoments sums directly (when the pairs are few
// too): O(atoms) per interval then costs at most this per atom of the support in all.
constexpr Index kDirectOutside = 4096;
constexpr double kDirectPairs = 1 << 20;
// The tree of all atoms is built from this many such pairs per atom on.
constexpr double kTreeBuildPairs = 256;

// Terms summed by intervalMoments since the last reset (for tests: the cost must not grow with
// the number of atoms outside each interval). Relaxed: a count, read after the work is done.
std::atomic<std::uint64_t> g_momentTerms{0};

Moments momentsFrom(const AtomData& data, Index first, Index nc, int count, int beta,
                    const std::vector<double>& he, const std::vector<double>& de, double ext);

// Without the tree of all atoms: he, de and pe of intervalMoments through a tree of the outside
// atoms (queried at the inside ones) and one of the inside atoms (queried at the outside ones).
// False: not worth it (the exact double loop then).
bool treeMoments(const AtomData& data, Index first, Index nc, std::vector<double>& he,
                 std::vector<double>& de, std::vector<double>& pe)
{
    const Index na = data.s.size(), ne = na - nc, last = first + nc - 1;
    if (static_cast<double>(nc) * static_cast<double>(ne) < kDirectPairs)
        return false;
    Eigen::ArrayXd os(ne), ow(ne);
    os.head(first) = data.s.head(first);
    os.tail(na - last - 1) = data.s.tail(na - last - 1);
    ow.head(first) = data.w.head(first);
    ow.tail(na - last - 1) = data.w.tail(na - last - 1);
    const Eigen::ArrayXd is = data.s.segment(first, nc), iw = data.w.segment(first, nc);
    const FarField outside(os, ow, data.sigma, FarField::Use::Tree);
    const FarField inside(is, iw, data.sigma, FarField::Use::Tree);
    if (!outside.ok() || !inside.ok())
        return false;
    parallelFor(static_cast<std::size_t>(nc), [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i)
            outside.realSums(is[static_cast<Index>(i)], 0.0, -1, &he[i], &de[i]);
    });
    parallelFor(static_cast<std::size_t>(ne), [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            double g = 0.0, d = 0.0;
            inside.realSums(os[static_cast<Index>(i)], 0.0, -1, &g, &d);
            pe[i] = -g; // sum w_a sigma/(s_a - s_e)
        }
    });
    return true;
}

} // namespace

bool momentsNeedTree(const AtomData& data, const SupportInterval& iv)
{
    const auto nc = static_cast<Index>(iv.lastAtom - iv.firstAtom + 1), ne = data.s.size() - nc;
    // An interval of over 1/16 of the atoms (at most 16 of them) keeps its own trees
    // (treeMoments): O(atoms log atoms) each, and faster there than skipping its range
    // (bench_theory: 1000 spikes in 10^4 atoms, 16 ms against 20).
    return (ne >= kDirectOutside ||
            static_cast<double>(nc) * static_cast<double>(ne) >= kDirectPairs) &&
           16 * nc < data.s.size();
}

std::uint64_t momentTerms(bool reset)
{
    return reset ? g_momentTerms.exchange(0) : g_momentTerms.load();
}

Moments intervalMoments(const AtomData& data, const SupportInterval& iv, int count, int beta,
                        const FarField* tree)
{
    const Index first = static_cast<Index>(iv.firstAtom), last = static_cast<Index>(iv.lastAtom);
    const Index na = data.s.size(), nc = last - first + 1, ne = na - nc;
    const double sigma = data.sigma;
    const Eigen::ArrayXd& s = data.s;
    const Eigen::ArrayXd& w = data.w;
    // The atoms outside: [0, first) and (last, na).
    const std::pair<Index, Index> outside[2] = {{0, first}, {last + 1, na - last - 1}};

    // Per atom a of the interval, over the atoms e outside it, with q = sigma/(s_a - s_e) (0 when
    // the difference overflows; never NaN, the values are distinct): he_a = sum w_e q (= Gx/sigma
    // ... in units of sigma) and de_a = sum w_e q^2 (= sigma^2 Dx).
    std::vector<double> he(static_cast<std::size_t>(nc)), de(static_cast<std::size_t>(nc));
    if (tree) {
        // O(log atoms) per atom inside and O(log atoms) nodes for the sum over the outside of
        // P_e^2 (far_field.h): the cost does not grow with the atoms far away.
        std::vector<std::size_t> work(static_cast<std::size_t>(nc), 0);
        parallelFor(static_cast<std::size_t>(nc), [&](std::size_t begin, std::size_t end) {
            for (std::size_t i = begin; i < end; ++i)
                tree->outsideSums(first + static_cast<Index>(i), first, last + 1, &he[i], &de[i],
                                  &work[i]);
        });
        std::size_t terms = std::accumulate(work.begin(), work.end(), std::size_t{0});
        // One atom: P_e = w_a sigma/(s_a - s_e), so the sum is w_a^2 de_a.
        const double ext =
            nc == 1 ? w[first] * w[first] * de[0] : tree->outsideSquares(first, last + 1, &terms);
        g_momentTerms.fetch_add(terms, std::memory_order_relaxed);
        return momentsFrom(data, first, nc, count, beta, he, de, ext);
    }
    std::vector<double> pe(static_cast<std::size_t>(ne));
    const bool trees = treeMoments(data, first, nc, he, de, pe);
    if (!trees)
        parallelFor(static_cast<std::size_t>(nc), [&](std::size_t begin, std::size_t end) {
            Eigen::ArrayXd q(std::max<Index>(ne, 1));
            for (std::size_t i = begin; i < end; ++i) {
                const double sa = s[first + static_cast<Index>(i)];
                double g = 0.0, d = 0.0;
                for (const auto& [from, len] : outside) {
                    if (len <= 0)
                        continue;
                    auto r = q.head(len);
                    r = sigma * (sa - s.segment(from, len)).inverse();
                    g += (w.segment(from, len) * r).sum();
                    d += (w.segment(from, len) * r.square()).sum();
                }
                he[i] = g;
                de[i] = d;
            }
        });
    // Per atom e outside: P_e = sum_{a in it} w_a sigma/(s_a - s_e).
    if (!trees)
        parallelFor(static_cast<std::size_t>(ne), [&](std::size_t begin, std::size_t end) {
            for (std::size_t i = begin; i < end; ++i) {
                const Index e = static_cast<Index>(i) < first ? static_cast<Index>(i)
                                                              : static_cast<Index>(i) + nc;
                pe[i] = (w.segment(first, nc) * (sigma * (s.segment(first, nc) - s[e]).inverse()))
                            .sum();
            }
        });
    double ext = 0.0;
    for (Index i = 0; i < ne; ++i)
        ext += w[i < first ? i : i + nc] * pe[static_cast<std::size_t>(i)] *
               pe[static_cast<std::size_t>(i)];
    if (!trees) // (the trees' terms are not counted: at most 8 such intervals, see above)
        g_momentTerms.fetch_add(3 * static_cast<std::uint64_t>(nc) * static_cast<std::uint64_t>(ne),
                                std::memory_order_relaxed);
    return momentsFrom(data, first, nc, count, beta, he, de, ext);
}

namespace {

Moments momentsFrom(const AtomData& data, Index first, Index nc, int count, int beta,
                    const std::vector<double>& he, const std::vector<double>& de, double ext)
{
    const double sigma = data.sigma;
    const Eigen::ArrayXd& s = data.s;
    const Eigen::ArrayXd& w = data.w;
    // Sums in a fixed order (the result does not depend on the thread count). Positions relative
    // to the first atom, so that a cluster far from 0 keeps its digits.
    Moments mo;
    const double s0 = s[first];
    double mass = 0.0, my = 0.0, captured = 0.0;
    std::vector<double> y(static_cast<std::size_t>(nc));
    for (Index i = 0; i < nc; ++i) {
        const auto iu = static_cast<std::size_t>(i);
        const double wa = w[first + i];
        y[iu] = (s[first + i] - s0) + sigma * he[iu];
        mass += wa;
        my += wa * y[iu];
        captured += wa * (1.0 - de[iu]);
    }
    const double mu = my / mass;
    double var = 0.0;
    for (Index i = 0; i < nc; ++i) {
        const double dy = y[static_cast<std::size_t>(i)] - mu;
        var += w[first + i] * dy * dy;
    }
    // ext = sum over the atoms e outside of w_e P_e^2.
    var = var / mass + sigma * sigma * (mass - ext / mass);
    mo.centre = s0 + mu;
    mo.spread = std::sqrt(std::max(var, 0.0));
    mo.sdMean = sigma * std::sqrt(std::max(2.0 / beta * captured, 0.0)) / std::max(count, 1);
    mo.overlapGroup = captured / mass;
    mo.overlap.resize(static_cast<std::size_t>(nc));
    for (std::size_t i = 0; i < mo.overlap.size(); ++i)
        mo.overlap[i] = 1.0 - de[i];
    mo.finite = std::isfinite(mo.centre) && std::isfinite(var) && std::isfinite(mo.sdMean) &&
                std::isfinite(mo.overlapGroup);
    return mo;
}

} // namespace

double edgeRegularity(const AtomData& data, const SupportInterval& iv, bool upper, double t)
{
    AtomSums sums(data);
    const Index own = static_cast<Index>(upper ? iv.lastAtom : iv.firstAtom);
    const Index other = static_cast<Index>(upper ? iv.firstAtom : iv.lastAtom);
    sums.setFrame(data.s[own]);
    const double e = upper ? iv.tHi : iv.tLo;
    const double farEnd = (upper ? iv.tLo : iv.tHi) + sums.c(other); // in this frame
    const auto p = sums.poles(e, true);
    const double t3 = -0.5 * p.df, f4 = p.d2f / 6.0; // sigma^3 T3(e), sigma^4 F4(e)
    if (!(std::abs(t3) > 0.0) || !std::isfinite(t3) || !std::isfinite(f4))
        return std::numeric_limits<double>::quiet_NaN();
    double du = (t / data.sigma) * f4 / (2.0 * t3 * t3);
    du = std::min(du, 0.5 * std::abs(farEnd - e));
    const double u = upper ? e - du : e + du;
    const auto pt = sums.point(u);
    const double dx = std::abs(pt.psi - sums.psiEdge(e));
    if (!(dx > 0.0))
        return std::numeric_limits<double>::quiet_NaN();
    // density / ((c/pi) sqrt(dx)) in units of sigma: sqrt(tau |sigma^3 T3| / dx).
    return std::sqrt(pt.t * std::abs(t3) / dx);
}

namespace {

// Fritsch-Carlson monotone cubic Hermite interpolation of y(x), x non-decreasing.
class Pchip
{
public:
    Pchip(std::vector<double> x, std::vector<double> y) : m_x(std::move(x)), m_y(std::move(y))
    {
        const std::size_t n = m_x.size();
        m_d.assign(n, 0.0);
        std::vector<double> h(n - 1), delta(n - 1);
        for (std::size_t i = 0; i + 1 < n; ++i) {
            h[i] = m_x[i + 1] - m_x[i];
            delta[i] = h[i] > 0.0 ? (m_y[i + 1] - m_y[i]) / h[i] : 0.0;
        }
        for (std::size_t i = 1; i + 1 < n; ++i) {
            if (delta[i - 1] * delta[i] <= 0.0)
                continue;
            const double w1 = 2.0 * h[i] + h[i - 1], w2 = h[i] + 2.0 * h[i - 1];
            m_d[i] = (w1 + w2) / (w1 / delta[i - 1] + w2 / delta[i]);
        }
        if (n >= 2) {
            m_d[0] = delta[0];
            m_d[n - 1] = delta[n - 2];
        }
    }
    // Evaluation at ascending points q (one sweep).
    std::vector<double> at(const std::vector<double>& q) const
    {
        std::vector<double> out(q.size());
        std::size_t i = 0;
        const std::size_t n = m_x.size();
        for (std::size_t k = 0; k < q.size(); ++k) {
            while (i + 2 < n && m_x[i + 1] < q[k])
                ++i;
            const double h = m_x[i + 1] - m_x[i];
            if (!(h > 0.0)) {
                out[k] = m_y[i];
                continue;
            }
            const double t = std::clamp((q[k] - m_x[i]) / h, 0.0, 1.0);
            const double t2 = t * t, t3 = t2 * t;
            out[k] = (2 * t3 - 3 * t2 + 1) * m_y[i] + (t3 - 2 * t2 + t) * h * m_d[i] +
                     (-2 * t3 + 3 * t2) * m_y[i + 1] + (t3 - t2) * h * m_d[i + 1];
        }
        return out;
    }

private:
    std::vector<double> m_x, m_y, m_d;
};

} // namespace

std::vector<double> classicalLocations(const AtomData& data, const SupportInterval& iv, int count,
                                       int n, int nodes)
{
    if (count <= 0)
        return {};
    nodes = std::max(nodes, 3);
    const Index first = static_cast<Index>(iv.firstAtom), last = static_cast<Index>(iv.lastAtom);
    const auto nn = static_cast<std::size_t>(nodes);
    std::vector<double> x(nn, iv.a), cdf(nn, 0.0); // node 0: the lower edge
    x[nn - 1] = iv.b;
    cdf[nn - 1] = iv.mass;
    parallelFor(nn - 2, [&](std::size_t begin, std::size_t end) {
        AtomSums sums(data);
        sums.setFrame(data.s[first]);
        const double tlo = iv.tLo, thi = iv.tHi + sums.c(last);
        for (std::size_t q = begin; q < end; ++q) {
            const std::size_t j = q + 1;
            const double c = std::cos(kPi * static_cast<double>(j) / static_cast<double>(nn - 1));
            const double u = tlo + 0.5 * (thi - tlo) * (1.0 - c);
            const auto p = sums.point(u);
            const double v = std::sqrt(p.t);
            // Per atom w_a [1{a >= first} - atan2(v, u - s_a)/pi], written without cancellation:
            // atoms below the interval have u - s_a > 0, those above u - s_a < 0.
            double acc = 0.0;
            for (Index a = 0; a < first; ++a)
                acc -= sums.w(a) * std::atan(v / (u - sums.c(a)));
            for (Index a = first; a <= last; ++a)
                acc += sums.w(a) * std::atan2(v, sums.c(a) - u);
            for (Index a = last + 1; a < sums.size(); ++a)
                acc += sums.w(a) * std::atan(v / (sums.c(a) - u));
            cdf[j] = acc / kPi + v * (p.psi - u) / kPi;
            x[j] = std::clamp(sums.toX(p.psi), iv.a, iv.b);
        }
    });
    for (std::size_t j = 1; j < nn; ++j) { // monotone up to rounding
        cdf[j] = std::max(cdf[j], cdf[j - 1]);
        x[j] = std::max(x[j], x[j - 1]);
    }
    std::vector<double> targets(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i)
        targets[static_cast<std::size_t>(i)] = (i + 0.5) / n;
    std::vector<double> out = Pchip(std::move(cdf), std::move(x)).at(targets);
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = std::clamp(i > 0 ? std::max(out[i], out[i - 1]) : out[i], iv.a, iv.b);
    return out;
}

namespace {

// Intervals of at most this many eigenvalues get their moments even when they are bulk: their
// window needs sdMean (window.h).
constexpr int kSmallInterval = 16;
// Curve nodes for the classical locations of a cluster (PCHIP in the CDF).
constexpr int kLocationNodes = 128;

} // namespace

std::vector<std::vector<double>>
analyseSupport(Theory& th, const AtomData& data, const std::vector<AtomOrigin>& origin,
               bool fullRank, const std::vector<std::pair<double, double>>& familySupport)
{
    auto& sup = th.equivalent.support;
    labelIntervals(sup, data, origin, fullRank, familySupport);
    std::vector<std::vector<double>> overlaps(sup.size());
    const double twScale = tracyWidomQuantile(th.beta) *
                           std::pow(static_cast<double>(th.n), -2.0 / 3.0); // q_beta N^(-2/3)
    // One tree of all the atoms for the moments of the intervals with many atoms outside
    // (direct sums would cost O(atoms) per interval, O(atoms^2) for a support of many
    // components).
    // Built only when the direct sums would cost more than building it (~ kOrder log2(atoms/16)
    // per atom; e.g. a few single spikes beside a large bulk do not pay).
    std::unique_ptr<FarField> tree;
    double direct = 0.0; // (inside x outside) pairs of the intervals that would use it
    for (const SupportInterval& iv : sup)
        if ((iv.kind == IntervalKind::Cluster || iv.count <= kSmallInterval) &&
            momentsNeedTree(data, iv)) {
            const double nc = static_cast<double>(iv.lastAtom - iv.firstAtom + 1);
            direct += nc * (static_cast<double>(data.s.size()) - nc);
        }
    if (direct >= kTreeBuildPairs * static_cast<double>(data.s.size())) {
        tree = std::make_unique<FarField>(data.s, data.w, data.sigma, FarField::Use::Tree);
        if (!tree->ok())
            tree.reset();
    }
    parallelFor(sup.size(), [&](std::size_t begin, std::size_t end) {
        for (std::size_t k = begin; k < end; ++k) {
            SupportInterval& iv = sup[k];
            const bool cluster = iv.kind == IntervalKind::Cluster;
            if (cluster || iv.count <= kSmallInterval) {
                Moments mo =
                    intervalMoments(data, iv, iv.count, th.beta,
                                    tree && momentsNeedTree(data, iv) ? tree.get() : nullptr);
                if (mo.finite) {
                    iv.centre = mo.centre;
                    iv.spread = mo.spread;
                    iv.sdMean = mo.sdMean;
                    if (cluster) {
                        iv.overlapGroup = mo.overlapGroup;
                        overlaps[k] = std::move(mo.overlap);
                    }
                }
            }
            for (const bool upper : {false, true}) {
                EdgeScale& e = upper ? iv.hi : iv.lo;
                e.window = outlierWindow(e.gamma, th.n, th.beta, iv.sdMean.value_or(0.0));
                if (iv.count <= 3)
                    continue; // Gaussian, not Tracy-Widom, at the edges of so few eigenvalues
                e.regularity = edgeRegularity(data, iv, upper, twScale * e.gamma);
                e.tracyWidom = !th.heavyTails && e.regularity >= kTracyWidomRegularity;
            }
            if (cluster && iv.lastAtom > iv.firstAtom)
                iv.locations = classicalLocations(data, iv, iv.count, th.n, kLocationNodes);
        }
    });
    setClaims(sup);
    return overlaps;
}

void refinePredictions(Theory& th, const AtomData& data, const std::vector<AtomOrigin>& origin,
                       const std::vector<std::vector<double>>& overlaps, bool basis)
{
    const auto& sup = th.equivalent.support;
    // The range of the bulk of S (empty when r = N).
    double bulkLo = std::numeric_limits<double>::infinity(), bulkHi = -bulkLo;
    for (std::size_t a = 0; a < origin.size(); ++a)
        if (origin[a].bulk > 0.0) {
            bulkLo = std::min(bulkLo, data.s[static_cast<Index>(a)]);
            bulkHi = std::max(bulkHi, data.s[static_cast<Index>(a)]);
        }
    // Spikes on the atoms below each atom (exact integers): a spike's rank in its interval.
    std::vector<double> spikesBelow(origin.size() + 1, 0.0);
    for (std::size_t a = 0; a < origin.size(); ++a)
        spikesBelow[a + 1] = spikesBelow[a] + origin[a].spikes;
    const double k4 = basis && th.kappa4 ? *th.kappa4 : 0.0; // Haar vectors: O(1/N), dropped
    const double* s = data.s.data();
    const Index na = data.s.size();
    for (OutlierPrediction& p : th.outliers) {
        const auto idx = static_cast<std::size_t>(std::lower_bound(s, s + na, p.theta) - s);
        const auto it = std::lower_bound(
            sup.begin(), sup.end(), idx,
            [](const SupportInterval& iv, std::size_t i) { return iv.lastAtom < i; });
        const std::size_t k = static_cast<std::size_t>(it - sup.begin());
        const SupportInterval& iv = sup[k];
        p.interval = k;
        p.multiplicity = static_cast<int>(origin[idx].spikes);
        if (th.heavyTails)
            p.flags |= static_cast<unsigned>(PredictionFlag::HeavyTails);
        if (iv.kind == IntervalKind::Bulk) {
            p.absorbed = true;
            p.reason = p.separation >= 1.0 && (p.theta < bulkLo || p.theta > bulkHi)
                           ? NoOutlierReason::BelowThreshold
                           : NoOutlierReason::Absorbed;
            p.largeRank.reset();
            p.overlapLargeRank.reset();
            continue;
        }
        p.rank = static_cast<int>(spikesBelow[idx] - spikesBelow[iv.firstAtom]);
        if (th.nonGaussian)
            p.flags |= static_cast<unsigned>(PredictionFlag::NonGaussian);
        const std::vector<double>& own = overlaps[k];
        const std::size_t at = idx - iv.firstAtom;
        if (iv.firstAtom == iv.lastAtom) {
            // Alone in its interval: the per-spike formulas, exactly the interval's centre and the
            // projection onto its eigenvectors (kept from predictOutliers, bit for bit).
            if (!p.largeRank && iv.centre && at < own.size()) {
                p.largeRank = iv.centre; // the separation sum rounded to >= 1
                p.overlapLargeRank = own[at];
            }
            if (p.multiplicity == 1 && p.overlapLargeRank) {
                const double h = *p.overlapLargeRank; // H' = 1 - sigma^2 D_j
                const double var =
                    th.sigma * th.sigma / th.n * (2.0 / th.beta * h + k4 * (1.0 - h) * h * h);
                if (std::isfinite(var))
                    p.sd = std::sqrt(std::max(var, 0.0));
            } else if (p.multiplicity > 1 && !th.nonGaussian) {
                p.sd = iv.sdMean;
            }
        } else {
            p.flags |= static_cast<unsigned>(PredictionFlag::Cluster);
            if (p.overlapLargeRank && !(*p.overlapLargeRank >= 0.0 && *p.overlapLargeRank <= 1.0))
                p.flags |= static_cast<unsigned>(PredictionFlag::PerSpikeOverlapOutOfRange);
            p.largeRank.reset();
            p.overlapLargeRank.reset();
            p.largeRank = meanOverRanks(iv.locations, p.rank, p.multiplicity);
            if (at < own.size())
                p.overlapLargeRank = own[at];
        }
        if (th.heavyTails)
            p.sd.reset();
    }
}

} // namespace ws::core::biane_detail
