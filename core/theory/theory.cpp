// Theory (docs/model.md#what-theory-predicts): semicircle, the deterministic equivalent mu_N by
// Biane's method, and the finite-rank / large-rank outlier predictions.
#include "core/theory/theory.h"

#include "core/theory/atom_sums.h"
#include "core/theory/components.h"
#include "core/theory/curve_nodes.h"
#include "core/theory/illinois.h"
#include "core/model/families.h"
#include "core/util/enum_names.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <numbers>
#include <numeric>
#include <stdexcept>

namespace ws::core {

using namespace biane_detail;

namespace {

// predictOutliers uses the atoms' tree from this many distinct spikes on.
constexpr std::size_t kTreeSpikes = 64;

void checkArgs(const std::vector<Atom>& atoms, double sigma)
{
    if (!(sigma > 0.0) || !std::isfinite(sigma))
        throw std::invalid_argument("deterministic equivalent: sigma must be finite and > 0");
    if (atoms.empty())
        throw std::invalid_argument("deterministic equivalent: no atoms");
    for (std::size_t i = 0; i < atoms.size(); ++i) {
        if (!std::isfinite(atoms[i].value) || !(atoms[i].weight > 0.0))
            throw std::invalid_argument(
                "deterministic equivalent: atoms need finite values and positive weights");
        if (i > 0 && !(atoms[i - 1].value < atoms[i].value))
            throw std::invalid_argument(
                "deterministic equivalent: atoms must be strictly ascending");
    }
}

// Distinct values with their multiplicities (exact integers in doubles), ascending.
struct Counted
{
    double value = 0.0, count = 0.0;
};

std::vector<Counted> countValues(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    std::vector<Counted> out;
    for (std::size_t i = 0; i < values.size();) {
        std::size_t j = i;
        while (j < values.size() && values[j] == values[i])
            ++j;
        out.push_back({values[i], static_cast<double>(j - i)});
        i = j;
    }
    return out;
}

std::vector<Counted> mergeCounts(const std::vector<Counted>& a, const std::vector<Counted>& b)
{
    std::vector<Counted> out;
    std::size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
        if (j == b.size() || (i < a.size() && a[i].value < b[j].value))
            out.push_back(a[i++]);
        else if (i == a.size() || b[j].value < a[i].value)
            out.push_back(b[j++]);
        else
            out.push_back({a[i].value, a[i++].count + b[j++].count});
    }
    return out;
}

// The bulk of S counted, without materializing N - r equal values when it is constant (large-N
// banded runs): its one value is then the bulk of the same model at N = r + 1.
std::vector<Counted> bulkCounts(const Model& m)
{
    const int r = rankOf(m);
    if (m.n - r <= 0)
        return {};
    if (!bulkIsConstant(m))
        return countValues(bulkValues(m));
    Model one = m;
    one.rank.isExplicit = true;
    one.rank.rank = r;
    one.n = r + 1;
    return {{bulkValues(one).at(0), static_cast<double>(m.n - r)}};
}

// Atoms with weight count / n.
std::vector<Atom> toAtoms(const std::vector<Counted>& counts, double n)
{
    std::vector<Atom> atoms;
    atoms.reserve(counts.size());
    for (const Counted& c : counts)
        atoms.push_back({c.value, c.count / n});
    return atoms;
}

} // namespace

std::vector<Atom> groupAtoms(const std::vector<double>& values)
{
    return toAtoms(countValues(values), static_cast<double>(values.size()));
}

double semicircleDensity(double sigma, double x)
{
    // In units of sigma, so that 4 sigma^2 cannot overflow (sigma = 1e300).
    const double t = x / sigma;
    const double r2 = 4.0 - t * t;
    return r2 > 0.0 ? std::sqrt(r2) / (2.0 * kPi * sigma) : 0.0;
}

Curve semicircleCurve(double sigma, int points, double lo, double hi)
{
    Curve c;
    const int n = std::max(points, 2);
    // lerp: exact at both ends, monotone, and no overflow when hi - lo exceeds 1.8e308.
    auto grid = [](double a, double b, int count, std::vector<double>& out) {
        for (int i = 0; i < count; ++i)
            out.push_back(std::lerp(a, b, static_cast<double>(i) / (count - 1)));
    };
    const double a = std::max(lo, -2.0 * sigma), b = std::min(hi, 2.0 * sigma);
    const bool narrow = b > a && n >= 8 && 0.5 * b - 0.5 * a < 0.25 * (0.5 * hi - 0.5 * lo);
    c.x.reserve(static_cast<std::size_t>(n));
    if (narrow) {
        grid(lo, hi, n - n / 2, c.x);
        grid(a, b, n / 2, c.x);
        std::inplace_merge(c.x.begin(), c.x.begin() + (n - n / 2), c.x.end());
    } else {
        grid(lo, hi, n, c.x);
    }
    c.y.reserve(c.x.size());
    for (double x : c.x)
        c.y.push_back(semicircleDensity(sigma, x));
    return c;
}

namespace {

// A maximal u-interval with v > 0, as found: its left edge is t = tLo in the frame of its first
// atom, its right edge t = tHi in the frame of its last atom (each edge computed next to the
// atom that bounds it, see AtomSums).
struct Component
{
    Eigen::Index first = 0, last = 0;
    double tLo = 0.0, tHi = 0.0;
    double mass = 0.0;
};

std::vector<Component> componentsOf(const AtomData& data)
{
    const Eigen::Index na = data.s.size();
    const Eigen::ArrayXd& s = data.s;
    const Eigen::ArrayXd& w = data.w;
    const double sigma = data.sigma;

    // Everything in units of sigma. Gaps between consecutive atoms where the support may split:
    // F >= w_i/(t-c_i)^2 + w_{i+1}/(c_{i+1}-t)^2 >= (w_i^(1/3) + w_{i+1}^(1/3))^3 / gap^2 there: a
    // cheap proof that it does not split (the usual case inside any dense bulk), O(1) per gap.
    // (gap may overflow to +inf for atoms at -+1e308: then it is a candidate, as it should be.)
    std::vector<Eigen::Index> candidates;
    for (Eigen::Index i = 0; i + 1 < na; ++i) {
        const double gap = (s[i + 1] - s[i]) / sigma;
        const double c3 = std::cbrt(w[i]) + std::cbrt(w[i + 1]);
        if (!(c3 * c3 * c3 >= gap * gap))
            candidates.push_back(i);
    }
    // The others, O(atoms) each, in parallel: the minimum of F and, where it dips below 1, the
    // two edges, each in the frame of its own atom. Bounds (units of sigma): each edge is at
    // least sqrt(w) from its atom (one term of F alone), and within 1 of it if the gap exceeds
    // 2 (any point farther than 1 from every atom has F < sum w = 1; the root next to atom i
    // is then inside [c_i, c_i + 1], since F is convex in the gap).
    struct Gap
    {
        bool split = false;
        double hi = 0.0, lo = 0.0; // edge ending the left component (frame s_i), edge starting
                                   // the right one (frame s_{i+1})
    };
    std::vector<Gap> gaps(candidates.size());
    parallelFor(candidates.size(), [&](std::size_t begin, std::size_t end) {
        AtomSums sums(data);
        for (std::size_t c = begin; c < end; ++c) {
            const Eigen::Index i = candidates[c];
            sums.setFrame(s[i]);
            double um = 0.0;
            if (!sums.splitPoint(i, &um))
                continue;
            const double gap = sums.c(i + 1); // clamped at kFar; only compared with 2 then
            const bool wide = gap > 2.0;
            const double upper = wide ? std::min(um, 1.0) : um;
            const double hi = sums.edgeRoot(0.0, upper, std::min(std::sqrt(w[i]), upper), true);
            sums.setFrame(s[i + 1]);
            const double lower = wide ? std::max(um - gap, -1.0) : um - gap;
            const double lo =
                sums.edgeRoot(lower, 0.0, std::max(-std::sqrt(w[i + 1]), lower), false);
            gaps[c] = {true, hi, lo};
        }
    });

    std::vector<Component> out;
    AtomSums sums(data);
    // Left of the smallest atom F decreases from +inf to 0, and F(t) <= 1/(c_0 - t)^2, so the
    // edge lies in [c_0 - 1, c_0 - sqrt(w_0)].
    {
        sums.setFrame(s[0]);
        const double near = -std::sqrt(w[0]);
        Component first;
        first.tLo = sums.edgeRoot(std::min(-1.0, near), near, near, false);
        first.first = 0;
        out.push_back(first);
    }
    double mass = 0.0;
    std::size_t c = 0;
    for (Eigen::Index i = 0; i + 1 < na; ++i) {
        mass += w[i];
        for (; c < candidates.size() && candidates[c] < i; ++c) {
        }
        if (c == candidates.size() || candidates[c] != i || !gaps[c].split)
            continue;
        out.back().tHi = gaps[c].hi;
        out.back().mass = mass;
        out.back().last = i;
        mass = 0.0;
        Component next;
        next.tLo = gaps[c].lo;
        next.first = i + 1;
        out.push_back(next);
    }
    mass += w[na - 1];
    {
        sums.setFrame(s[na - 1]);
        const double near = std::sqrt(w[na - 1]);
        out.back().tHi = sums.edgeRoot(near, std::max(1.0, near), near, true);
        out.back().mass = mass;
        out.back().last = na - 1;
    }
    return out;
}

} // namespace

std::vector<biane::UInterval> biane::uSupport(const std::vector<Atom>& atoms, double sigma)
{
    checkArgs(atoms, sigma);
    const AtomData data(atoms, sigma);
    std::vector<biane::UInterval> out;
    for (const Component& k : componentsOf(data)) {
        biane::UInterval iv;
        iv.lo = data.s[k.first] + sigma * k.tLo;
        iv.hi = data.s[k.last] + sigma * k.tHi;
        iv.mass = k.mass;
        iv.firstAtom = static_cast<std::size_t>(k.first);
        iv.lastAtom = static_cast<std::size_t>(k.last);
        out.push_back(iv);
    }
    return out;
}

double biane::vOf(const std::vector<Atom>& atoms, double sigma, double u)
{
    checkArgs(atoms, sigma);
    const AtomData data(atoms, sigma);
    AtomSums sums(data);
    sums.setFrame(u);
    return sigma * std::sqrt(sums.point(0.0).t);
}

double biane::psiOf(const std::vector<Atom>& atoms, double sigma, double u)
{
    checkArgs(atoms, sigma);
    const AtomData data(atoms, sigma);
    AtomSums sums(data);
    sums.setFrame(u);
    return sums.toX(sums.point(0.0).psi);
}

namespace {

// With data.far: the sums through far_field.h (deterministicEquivalent, computeTheory), else
// exact (biane::exactEquivalent, the reference of the tests).
DeterministicEquivalent equivalentOf(const AtomData& data, int points)
{
    const double sigma = data.sigma;
    const std::vector<Component> comps = componentsOf(data);
    const double densityScale = 1.0 / (kPi * sigma); // v/(pi sigma^2) with v = sigma sqrt(tau)

    DeterministicEquivalent de;
    const std::size_t nc = comps.size();
    de.support.resize(nc);
    // Per component: its u-interval [tLo, tHiF] in the frame of its first atom (the component
    // spans at most 2 sigma per atom, so that frame resolves all of it).
    std::vector<double> tHiF(nc);
    parallelFor(nc, [&](std::size_t begin, std::size_t end) {
        AtomSums sums(data);
        for (std::size_t k = begin; k < end; ++k) {
            const Component& cp = comps[k];
            SupportInterval& iv = de.support[k];
            // At the edges v = 0.
            // gamma = sigma^2 |T3(e)|^(1/3) with sigma^3 T3 = -F'/2 in the frame.
            sums.setFrame(data.s[cp.last]);
            iv.b = sums.toX(sums.psiEdge(cp.tHi));
            iv.hi.gamma = sigma * std::cbrt(std::abs(0.5 * sums.poles(cp.tHi, false).df));
            sums.setFrame(data.s[cp.first]);
            iv.a = sums.toX(sums.psiEdge(cp.tLo));
            iv.lo.gamma = sigma * std::cbrt(std::abs(0.5 * sums.poles(cp.tLo, false).df));
            iv.tLo = cp.tLo;
            iv.tHi = cp.tHi;
            iv.b = std::max(iv.a, iv.b); // rounding of far components of width < 1 ulp
            iv.mass = cp.mass;
            iv.firstAtom = static_cast<std::size_t>(cp.first);
            iv.lastAtom = static_cast<std::size_t>(cp.last);
            tHiF[k] = cp.tHi + sums.c(cp.last);
        }
    });

    // Points per component and the chunks they are computed in: curve_nodes.h.
    const NodePlan plan = planNodes(de.support, points);
    const std::vector<std::size_t>& count = plan.count;
    const std::vector<std::size_t>& offset = plan.layout.offset;
    const std::vector<NodeChunk>& chunks = plan.layout.chunks;
    de.density.x.assign(offset[nc], 0.0);
    de.density.y.assign(offset[nc], 0.0);
    for (std::size_t k = 0; k < nc; ++k) {
        // Edges: y = 0 exactly.
        de.density.x[offset[k]] = de.support[k].a;
        de.density.x[offset[k + 1] - 1] = de.support[k].b;
    }
    parallelFor(chunks.size(), [&](std::size_t begin, std::size_t end) {
        AtomSums local(data);
        for (std::size_t q = begin; q < end; ++q) {
            const NodeChunk& ch = chunks[q];
            const std::size_t k = ch.component, n = count[k];
            local.setFrame(data.s[comps[k].first]);
            const double tlo = comps[k].tLo, thi = tHiF[k];
            // Newton guesses for tau: linear extrapolation from the previous two nodes.
            double u0 = tlo, t0 = 0.0, u1 = tlo, t1 = 0.0;
            for (std::size_t j = ch.first; j < ch.last; ++j) {
                // Chebyshev-Lobatto nodes in t: x is about linear in t inside a component, so
                // this clusters points at the square-root edges.
                const double c =
                    std::cos(kPi * static_cast<double>(j) / static_cast<double>(n - 1));
                const double u = tlo + 0.5 * (thi - tlo) * (1.0 - c);
                const double guess = u1 > u0 ? t1 + (t1 - t0) * (u - u1) / (u1 - u0) : t1;
                const auto p = local.point(u, guess);
                u0 = u1;
                t0 = t1;
                u1 = u;
                t1 = p.t;
                de.density.x[offset[k] + j] =
                    std::clamp(local.toX(p.psi), de.support[k].a, de.support[k].b);
                de.density.y[offset[k] + j] = std::sqrt(p.t) * densityScale;
            }
        }
    });
    // psi is increasing; keep rounding from breaking that.
    for (std::size_t i = 1; i < de.density.x.size(); ++i)
        de.density.x[i] = std::max(de.density.x[i], de.density.x[i - 1]);
    return de;
}

} // namespace

DeterministicEquivalent deterministicEquivalent(const std::vector<Atom>& atoms, double sigma,
                                                int points)
{
    checkArgs(atoms, sigma);
    AtomData data(atoms, sigma);
    data.useFarField();
    return equivalentOf(data, points);
}

DeterministicEquivalent biane::exactEquivalent(const std::vector<Atom>& atoms, double sigma,
                                               int points)
{
    checkArgs(atoms, sigma);
    const AtomData data(atoms, sigma);
    return equivalentOf(data, points);
}

double deterministicEquivalentDensity(const std::vector<Atom>& atoms, double sigma, double x)
{
    checkArgs(atoms, sigma);
    const AtomData data(atoms, sigma);
    AtomSums sums(data);
    constexpr double kMax = std::numeric_limits<double>::max();
    // psi(u) - u lies in (0, sigma) for u >= s_max + sigma (and symmetrically below), and psi is
    // increasing, so this brackets the u with psi(u) = x (clamped: s_max + sigma may overflow).
    double lo = std::max(-kMax, std::min(x, data.s[0] - sigma));
    double hi = std::min(kMax, std::max(x, data.s[data.s.size() - 1] + sigma));
    // Each evaluation in the frame anchored at u itself (t = 0): accurate for any magnitude.
    // Returns psi(u) - x; tau in *tau.
    auto eval = [&](double u, double hint, double* tau) {
        sums.setFrame(u);
        const auto p = sums.point(0.0, hint);
        *tau = p.t;
        return (u - x) + sigma * p.psi;
    };
    // Illinois false position (superlinear) with a bisection step every fourth iteration, so
    // the bracket at least halves every four steps.
    double tauLo = 0.0, tauHi = 0.0;
    IllinoisBracket br{lo, hi, eval(lo, 0.0, &tauLo), eval(hi, 0.0, &tauHi)};
    const double tol = 4.0 * kEps * std::abs(x) + 8.0 * kEps * (0.5 * hi - 0.5 * lo);
    double bestT = std::abs(br.flo) < std::abs(br.fhi) ? tauLo : tauHi;
    double bestF = std::min(std::abs(br.flo), std::abs(br.fhi));
    for (int it = 0; it < 400 && bestF > tol; ++it) {
        double mid = it % 4 == 3 || !(br.fhi > br.flo)
                         ? std::midpoint(br.lo, br.hi)
                         : std::lerp(br.lo, br.hi, br.flo / (br.flo - br.fhi));
        if (!(mid > br.lo && mid < br.hi))
            mid = std::midpoint(br.lo, br.hi);
        if (!(mid > br.lo && mid < br.hi))
            break; // lo and hi are adjacent doubles
        double tau = 0.0;
        const double f = eval(mid, bestT, &tau);
        if (std::abs(f) < bestF) {
            bestT = tau;
            bestF = std::abs(f);
        }
        if (!(f < 0.0 || f > 0.0))
            break; // a root (or no number)
        br.update(mid, f);
    }
    return std::sqrt(bestT) / (kPi * sigma);
}

std::vector<OutlierPrediction> predictOutliers(const Model& m)
{
    validate(m);
    const std::vector<double> spikes = spikeValues(m);
    const double n = static_cast<double>(m.n);
    const double sigma = m.sigma;

    // Atoms with weight count/N: the sums over k below group equal s_k.
    const std::vector<Counted> bulk = bulkCounts(m);
    AtomData allAtoms(toAtoms(mergeCounts(countValues(spikes), bulk), n), sigma);
    AtomData bulkAtoms(toAtoms(bulk, n), sigma);

    // One prediction per distinct spike value (equal spikes share it), in parallel.
    std::vector<std::size_t> distinct;
    for (std::size_t j = 0; j < spikes.size(); ++j)
        if (j == 0 || spikes[j] != spikes[j - 1])
            distinct.push_back(j);
    // Many spikes: the sums through the atoms' tree (far_field.h, O(log atoms) each, within
    // 1e-15 of the exact sums' sum of |terms|).
    std::unique_ptr<FarField> allTree, bulkTree;
    if (distinct.size() >= kTreeSpikes) {
        for (auto [data, tree] :
             {std::pair{&allAtoms, &allTree}, std::pair{&bulkAtoms, &bulkTree}}) {
            *tree = std::make_unique<FarField>(data->s, data->w, sigma, FarField::Use::Tree);
            if (!(*tree)->ok())
                tree->reset();
        }
    }
    // In units of sigma: with q = sigma/(theta - s) (0 when theta - s overflows; never NaN, as
    // theta - s != 0 for distinct doubles), returns G' = sum w q = sigma G and D' = sum w q^2 =
    // sigma^2 D over the atoms other than theta's own (s are ascending: the own atom is found by
    // binary search and the sums skip it). `scratch` is per thread. Returns false if theta is an
    // atom.
    auto sums = [sigma](const AtomData& atoms, const FarField* tree, double theta,
                        Eigen::ArrayXd& scratch, double* g, double* d) {
        const auto size = atoms.s.size();
        const auto idx = static_cast<Eigen::Index>(
            std::lower_bound(atoms.s.begin(), atoms.s.end(), theta) - atoms.s.begin());
        const bool own = idx < size && atoms.s[idx] == theta;
        if (tree) {
            tree->realSums(theta, 0.0, own ? idx : -1, g, d);
            return !own;
        }
        *g = *d = 0.0;
        for (const auto& [from, len] : {std::pair<Eigen::Index, Eigen::Index>{0, idx},
                                        {idx + (own ? 1 : 0), size - idx - (own ? 1 : 0)}}) {
            if (len <= 0)
                continue;
            auto r = scratch.head(len);
            r = sigma * (theta - atoms.s.segment(from, len)).inverse();
            const auto w = atoms.w.segment(from, len);
            *g += (w * r).sum();
            *d += (w * r.square()).sum();
        }
        return !own;
    };

    std::vector<OutlierPrediction> out(spikes.size());
    parallelFor(distinct.size(), [&](std::size_t begin, std::size_t end) {
        Eigen::ArrayXd scratch(std::max(allAtoms.s.size(), bulkAtoms.s.size()));
        for (std::size_t q = begin; q < end; ++q) {
            const double theta = spikes[distinct[q]];
            OutlierPrediction p;
            p.theta = theta;
            if (std::abs(theta) > sigma) {
                const double ratio = sigma / theta; // |ratio| < 1: no overflow
                p.finiteRank = theta + sigma * ratio;
                p.overlapFiniteRank = 1.0 - ratio * ratio;
            }
            double g = 0.0, d = 0.0;
            // A spike sitting on a bulk atom never separates (infinite sum, no NaN).
            p.separation = sums(bulkAtoms, bulkTree.get(), theta, scratch, &g, &d)
                               ? d
                               : std::numeric_limits<double>::infinity();
            if (p.separation < 1.0) {
                // Sums over k != j without the spike's own atom.
                sums(allAtoms, allTree.get(), theta, scratch, &g, &d);
                const double x = theta + sigma * g, overlap = 1.0 - d;
                // Another spike within ~1e-300 sigma of theta overflows the sums: no prediction
                // rather than an infinity (or NaN) in the output.
                if (std::isfinite(x) && std::isfinite(overlap)) {
                    p.largeRank = x;
                    p.overlapLargeRank = overlap;
                }
            }
            const std::size_t last = q + 1 < distinct.size() ? distinct[q + 1] : spikes.size();
            for (std::size_t j = distinct[q]; j < last; ++j)
                out[j] = p;
        }
    });
    return out;
}

namespace {

bool allFinite(const std::vector<double>& v)
{
    return std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
}

} // namespace

Theory computeTheory(const Model& m, int points)
{
    validate(m);
    Theory th;
    th.n = m.n;
    th.sigma = m.sigma;
    th.beta = m.noise.isComplex() ? 2 : 1;
    th.kappa4 = fourthCumulant(m.noise);
    th.heavyTails = !th.kappa4.has_value();
    th.nonGaussian = m.eigvecs == Eigvecs::Basis && (th.heavyTails || *th.kappa4 != 0.0);
    // Same atoms as groupAtoms(signalSpectrum(m)), without materializing a constant bulk, with
    // how many spikes and bulk values each holds.
    const std::vector<Counted> spikes = countValues(spikeValues(m)), bulk = bulkCounts(m);
    const std::vector<Counted> all = mergeCounts(spikes, bulk);
    const std::vector<Atom> atoms = toAtoms(all, static_cast<double>(m.n));
    std::vector<AtomOrigin> origin(all.size());
    {
        std::size_t i = 0;
        for (const Counted& c : spikes) {
            while (all[i].value != c.value)
                ++i;
            origin[i].spikes = c.count;
        }
        for (std::size_t k = 0; k < all.size(); ++k)
            origin[k].bulk = all[k].count - origin[k].spikes;
    }
    checkArgs(atoms, m.sigma);
    AtomData data(atoms, m.sigma);
    data.useFarField();
    th.equivalent = equivalentOf(data, points);
    const auto& support = th.equivalent.support;
    for (const SupportInterval& iv : support)
        if (!std::isfinite(iv.a) || !std::isfinite(iv.b))
            throw InputError("sigma/spikes", "the spectrum reaches beyond the range of double "
                                             "precision numbers (+-1.8e308); use smaller values");
    if (!allFinite(th.equivalent.density.y))
        throw InputError("sigma", "too small, the densities exceed the range of double precision "
                                  "numbers");

    const std::vector<std::vector<double>> overlaps =
        analyseSupport(th, data, origin, rankOf(m) == m.n, bulkFamilySupport(m.bulk));
    th.outliers = predictOutliers(m);
    refinePredictions(th, data, origin, overlaps, m.eigvecs == Eigvecs::Basis);

    double lo = std::min(-2.0 * m.sigma, support.front().a);
    double hi = std::max(2.0 * m.sigma, support.back().b);
    for (const OutlierPrediction& p : th.outliers) {
        for (const auto& v : {p.finiteRank, p.largeRank}) {
            if (v) {
                lo = std::min(lo, *v);
                hi = std::max(hi, *v);
            }
        }
    }
    // 5% margins, without overflowing hi - lo, clamped to the finite doubles.
    constexpr double kMax = std::numeric_limits<double>::max();
    const double margin = 0.05 * hi - 0.05 * lo;
    th.semicircle =
        semicircleCurve(m.sigma, points, std::max(-kMax, lo - margin), std::min(kMax, hi + margin));
    if (!allFinite(th.semicircle.y))
        throw InputError("sigma", "too small, the densities exceed the range of double precision "
                                  "numbers");
    return th;
}

// Printed only (CLI tables, the outlier table, JSON); one row per value (core/util/enum_names.h).
constexpr EnumNames<IntervalKind, 2> kIntervalKindNames{
    {{IntervalKind::Bulk, "bulk"}, {IntervalKind::Cluster, "cluster"}}};
constexpr EnumNames<NoOutlierReason, 3> kNoOutlierReasonNames{
    {{NoOutlierReason::None, ""},
     {NoOutlierReason::BelowThreshold, "below the BBP threshold"},
     {NoOutlierReason::Absorbed, "absorbed by a bulk interval"}}};

std::string toString(IntervalKind k)
{
    return std::string(enumName(kIntervalKindNames, k));
}

std::string toString(NoOutlierReason r)
{
    return std::string(enumName(kNoOutlierReasonNames, r));
}

std::vector<std::string> flagNames(unsigned flags)
{
    std::vector<std::string> out;
    if (hasFlag(flags, PredictionFlag::Cluster))
        out.emplace_back("cluster");
    if (hasFlag(flags, PredictionFlag::PerSpikeOverlapOutOfRange))
        out.emplace_back("per-spike-overlap-out-of-range");
    if (hasFlag(flags, PredictionFlag::NonGaussian))
        out.emplace_back("non-gaussian");
    if (hasFlag(flags, PredictionFlag::HeavyTails))
        out.emplace_back("heavy-tails");
    return out;
}

std::string reasonText(const std::vector<SupportInterval>& support, const OutlierPrediction& p)
{
    if (p.reason != NoOutlierReason::Absorbed || p.interval >= support.size())
        return toString(p.reason);
    const SupportInterval& iv = support[p.interval];
    char buf[160];
    std::snprintf(buf, sizeof buf, "absorbed by the bulk interval [%.6g, %.6g]", iv.a, iv.b);
    return buf;
}

Extent bulkHull(const Theory& t)
{
    const auto& sup = t.equivalent.support;
    Extent e{std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
    for (const SupportInterval& iv : sup)
        if (iv.kind == IntervalKind::Bulk) {
            e.lo = std::min(e.lo, iv.a);
            e.hi = std::max(e.hi, iv.b);
        }
    if (!(e.lo <= e.hi) && !sup.empty()) // no bulk interval: the whole support
        e = {sup.front().a, sup.back().b};
    if (!(e.lo <= e.hi))
        e = {0.0, 0.0};
    return e;
}

Extent theoryExtent(const Theory& t, Extent start)
{
    Extent e = start;
    for (const SupportInterval& s : t.equivalent.support) {
        e.lo = std::min(e.lo, s.a);
        e.hi = std::max(e.hi, s.b);
    }
    for (const OutlierPrediction& p : t.outliers)
        for (const auto& v : {p.finiteRank, p.largeRank})
            if (v) {
                e.lo = std::min(e.lo, *v);
                e.hi = std::max(e.hi, *v);
            }
    return e;
}

} // namespace ws::core
