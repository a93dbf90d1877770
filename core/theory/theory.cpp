// Theory (docs/model.md#what-theory-predicts): semicircle, the deterministic equivalent mu_N by
// Biane's method, and the finite-rank / large-rank outlier predictions.
#include "core/theory/theory.h"

#include "core/theory/curve_nodes.h"
#include "core/model/families.h"

#include <Eigen/Core>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <stdexcept>

namespace ws::core {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kEps = std::numeric_limits<double>::epsilon();

// Runs f(begin, end) over [0, n) in parallel (TBB), isolated so that a caller that is itself a
// TBB task does not pick up unrelated work while waiting. Callers make each item's result
// independent of how [0, n) is split, so results do not depend on the thread count.
template <class F> void parallelFor(std::size_t n, const F& f)
{
    if (n == 0)
        return;
    tbb::this_task_arena::isolate([&] {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1),
                          [&](const tbb::blocked_range<std::size_t>& r) { f(r.begin(), r.end()); });
    });
}

// Offsets (in units of sigma) beyond this are clamped: such an atom contributes < 1e-150 to psi
// and < 1e-300 to F, and squares of the offsets stay finite.
constexpr double kFar = 1e150;

// The atoms as arrays (struct-of-arrays, so that Eigen vectorizes the O(atoms) loops), shared
// read-only by all threads.
struct AtomData
{
    AtomData(const std::vector<Atom>& atoms, double sigma_)
        : sigma(sigma_), invSigma(1.0 / sigma_), invSigmaOk(std::isfinite(invSigma))
    {
        const auto n = static_cast<Eigen::Index>(atoms.size());
        s.resize(n);
        w.resize(n);
        for (Eigen::Index i = 0; i < n; ++i) {
            s[i] = atoms[static_cast<std::size_t>(i)].value;
            w[i] = atoms[static_cast<std::size_t>(i)].weight;
        }
    }
    Eigen::ArrayXd s, w;
    double sigma;
    double invSigma; // multiplying is cheaper than dividing; not finite for a subnormal sigma
    bool invSigmaOk;
};

// The sums over weighted atoms that Biane's method needs (one division per atom and pass).
// Everything is in units of sigma (sigma = 1 below) in a local frame u = anchor + sigma * t:
// the atoms sit at c = (s - anchor) / sigma (clamped to +-kFar), and t is an offset. Anchored at
// an atom near the point of interest, t - c is accurate to a few ulps of t even when |s| / sigma
// is 1e300 (where u - s in absolute terms would not resolve sigma at all). psi is returned in
// the frame too: x = anchor + sigma * psi (toX).
// Holds the frame and scratch buffers: one instance per thread.
class AtomSums
{
public:
    explicit AtomSums(const AtomData& data)
        : m_n(data.s.size()), m_sigma(data.sigma), m_invSigma(data.invSigma),
          m_invSigmaOk(data.invSigmaOk), m_s(data.s), m_w(data.w), m_c(m_n), m_a(m_n), m_b(m_n),
          m_d(m_n)
    {
        setFrame(0.0);
    }

    void setFrame(double anchor)
    {
        m_anchor = anchor;
        // s - anchor may overflow to +-inf (|s| ~ 1e308): the clamp handles it; never NaN.
        if (m_invSigmaOk)
            m_c = ((m_s - anchor) * m_invSigma).max(-kFar).min(kFar);
        else
            m_c = ((m_s - anchor) / m_sigma).max(-kFar).min(kFar);
    }
    double anchor() const { return m_anchor; }
    double toX(double psi) const { return m_anchor + m_sigma * psi; }

    Eigen::Index size() const { return m_n; }
    double c(Eigen::Index i) const { return m_c[i]; }
    double w(Eigen::Index i) const { return m_w[i]; }

    // F(t) = sum w/(t-c)^2 (= f(u, 0) of the header, times sigma^2), F'(t) and F''(t).
    struct Poles
    {
        double f = 0.0, df = 0.0, d2f = 0.0;
    };
    Poles poles(double t, bool second) const
    {
        m_a = (t - m_c).inverse();
        m_b = m_w * m_a.square();
        Poles p;
        p.f = m_b.sum();
        p.df = -2.0 * (m_b * m_a).sum();
        if (second)
            p.d2f = 6.0 * (m_b * m_a.square()).sum();
        return p;
    }

    // tau = (v(u)/sigma)^2: the root of g(tau) = sum w/((t-c)^2 + tau) = 1, 0 if g(0) <= 1.
    // Newton on H(tau) = 1/g(tau) = 1: H is concave increasing (a weighted harmonic mean of
    // affine functions of tau), so Newton started left of the root climbs monotonically to it,
    // and one step from the right lands left of it. Safe start: tau >= w_a - (t - c_a)^2 for
    // every atom a (one term of g alone), finite even when t sits exactly on an atom.
    // `hint` (e.g. extrapolated from neighbouring t) may lie on either side.
    // Also returns psi (in the frame), from the last Newton evaluation (its tau is within 1e-15
    // relative).
    struct Point
    {
        double t = 0.0, psi = 0.0; // t: tau = (v/sigma)^2
    };
    Point point(double t, double hint = 0.0) const
    {
        m_d = t - m_c;
        m_a = m_d.square();
        const double lower = std::max(0.0, (m_w - m_a).maxCoeff());
        double tau = std::max(lower, hint);
        bool fromGuess = tau > lower;
        for (int it = 0; it < 200; ++it) {
            m_b = (m_a + tau).inverse();
            const double g = (m_w * m_b).sum();
            if (tau == 0.0 && !(g > 1.0))
                break; // outside the support
            const double g2 = (m_w * m_b.square()).sum();
            const double step = (g - 1.0) * g / g2;
            if (fromGuess) {
                fromGuess = false;
                if (step < 0.0) {
                    tau = std::max(lower, tau + step); // the guess was right of the root
                    continue;
                }
            }
            if (!(step > 0.0))
                break; // at the root up to rounding
            tau += step;
            if (step <= 1e-15 * tau)
                break;
        }
        // psi = t + sum w (t-c)/((t-c)^2 + tau). Outside the support tau = 0 and t is no atom,
        // so each term is w/(t-c); on an atom with tau > 0 its term is 0.
        return {tau, t + (m_w * m_d * m_b).sum()};
    }

    // psi at a support edge, where v = 0 and t is no atom.
    double psiEdge(double t) const { return t + (m_w / (t - m_c)).sum(); }

    // Root of G(t) = F(t)^(-1/2) - 1 in the bracket [a, b] where G changes sign (G < 0 at a
    // iff negAtA); G is concave between consecutive atoms and outside them, so Newton from the
    // side nearer the atom (`start`, where G < 0) is monotone; bisection guards rounding.
    double edgeRoot(double a, double b, double start, bool negAtA) const
    {
        if (!(a < b))
            return a;
        const double scale = b - a; // absolute tolerance scale, for roots near t = 0
        auto gOf = [&](double t, double* dg) {
            const Poles p = poles(t, false);
            const double inv = 1.0 / std::sqrt(p.f);
            *dg = -0.5 * inv * inv * inv * p.df;
            return inv - 1.0;
        };
        double t = std::clamp(start, a, b);
        for (int it = 0; it < 300; ++it) {
            double dg = 0.0;
            const double g = gOf(t, &dg);
            if (g == 0.0)
                return t;
            if ((g < 0.0) == negAtA)
                a = t;
            else
                b = t;
            double next = t - g / dg;
            if (std::abs(next - t) <= 4.0 * kEps * (std::abs(t) + scale))
                return std::clamp(next, a, b); // Newton has converged
            if (!std::isfinite(next) || !(next > a && next < b))
                next = std::midpoint(a, b);
            if (next == a || next == b)
                return next; // the bracket is down to adjacent doubles
            t = next;
        }
        return t;
    }

    // Whether F dips below 1 between atoms i and i+1 (the support splits there); if so, a point
    // where it does. Safeguarded Newton on F' (F is convex there, F'' > 0).
    bool splitPoint(Eigen::Index i, double* where) const
    {
        double a = m_c[i], b = m_c[i + 1];
        const double width = b - a;
        const double ca = std::cbrt(m_w[i]), cb = std::cbrt(m_w[i + 1]);
        double t = a + width * ca / (ca + cb); // minimizer of the two-atom part
        for (int it = 0; it < 300; ++it) {
            const Poles p = poles(t, true);
            if (p.f < 1.0) {
                *where = t;
                return true;
            }
            if (p.df < 0.0)
                a = t;
            else if (p.df > 0.0)
                b = t;
            else
                return false;
            double next = t - p.df / p.d2f;
            // Converged to the minimum, which is >= 1 up to rounding: no split.
            if (std::abs(next - t) <= 1e-13 * width)
                return false;
            if (!std::isfinite(next) || !(next > a && next < b))
                next = std::midpoint(a, b);
            if (next == a || next == b)
                return false;
            t = next;
        }
        return false;
    }

private:
    Eigen::Index m_n;
    double m_sigma, m_invSigma;
    bool m_invSigmaOk;
    const Eigen::ArrayXd& m_s;
    const Eigen::ArrayXd& m_w;
    double m_anchor = 0.0;
    Eigen::ArrayXd m_c;                   // the frame
    mutable Eigen::ArrayXd m_a, m_b, m_d; // scratch
};

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
    c.x.resize(static_cast<std::size_t>(n));
    c.y.resize(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        // lerp: exact at both ends, monotone, and no overflow when hi - lo exceeds 1.8e308.
        const double x = std::lerp(lo, hi, static_cast<double>(i) / (n - 1));
        c.x[static_cast<std::size_t>(i)] = x;
        c.y[static_cast<std::size_t>(i)] = semicircleDensity(sigma, x);
    }
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

DeterministicEquivalent deterministicEquivalent(const std::vector<Atom>& atoms, double sigma,
                                                int points)
{
    checkArgs(atoms, sigma);
    const AtomData data(atoms, sigma);
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
            sums.setFrame(data.s[cp.last]);
            iv.b = sums.toX(sums.psiEdge(cp.tHi));
            sums.setFrame(data.s[cp.first]);
            iv.a = sums.toX(sums.psiEdge(cp.tLo));
            iv.b = std::max(iv.a, iv.b); // rounding of far components of width < 1 ulp
            iv.mass = cp.mass;
            iv.firstAtom = static_cast<std::size_t>(cp.first);
            iv.lastAtom = static_cast<std::size_t>(cp.last);
            tHiF[k] = cp.tHi + sums.c(cp.last);
        }
    });
    for (std::size_t k = 0; k < nc; ++k)
        if (comps[k].mass > comps[de.mainBulk].mass)
            de.mainBulk = k;

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
    double flo = eval(lo, 0.0, &tauLo), fhi = eval(hi, 0.0, &tauHi);
    const double tol = 4.0 * kEps * std::abs(x) + 8.0 * kEps * (0.5 * hi - 0.5 * lo);
    double bestT = std::abs(flo) < std::abs(fhi) ? tauLo : tauHi;
    double bestF = std::min(std::abs(flo), std::abs(fhi));
    int side = 0;
    for (int it = 0; it < 400 && bestF > tol; ++it) {
        double mid = it % 4 == 3 || !(fhi > flo) ? std::midpoint(lo, hi)
                                                 : std::lerp(lo, hi, flo / (flo - fhi));
        if (!(mid > lo && mid < hi))
            mid = std::midpoint(lo, hi);
        if (!(mid > lo && mid < hi))
            break; // lo and hi are adjacent doubles
        double tau = 0.0;
        const double f = eval(mid, bestT, &tau);
        if (std::abs(f) < bestF) {
            bestT = tau;
            bestF = std::abs(f);
        }
        if (f < 0.0) {
            lo = mid;
            flo = f;
            if (side == -1)
                fhi *= 0.5;
            side = -1;
        } else if (f > 0.0) {
            hi = mid;
            fhi = f;
            if (side == 1)
                flo *= 0.5;
            side = 1;
        } else {
            break;
        }
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
    const AtomData allAtoms(toAtoms(mergeCounts(countValues(spikes), bulk), n), sigma);
    const AtomData bulkAtoms(toAtoms(bulk, n), sigma);

    // One prediction per distinct spike value (equal spikes share it), in parallel.
    std::vector<std::size_t> distinct;
    for (std::size_t j = 0; j < spikes.size(); ++j)
        if (j == 0 || spikes[j] != spikes[j - 1])
            distinct.push_back(j);
    // In units of sigma: with q = sigma/(theta - s) (0 when theta - s overflows; never NaN, as
    // theta - s != 0 for distinct doubles), returns G' = sum w q = sigma G and D' = sum w q^2 =
    // sigma^2 D over the atoms other than theta's own (s are ascending: the own atom is found by
    // binary search and the sums skip it). `scratch` is per thread. Returns false if theta is an
    // atom.
    auto sums = [sigma](const AtomData& atoms, double theta, Eigen::ArrayXd& scratch, double* g,
                        double* d) {
        const auto size = atoms.s.size();
        const auto idx = static_cast<Eigen::Index>(
            std::lower_bound(atoms.s.begin(), atoms.s.end(), theta) - atoms.s.begin());
        const bool own = idx < size && atoms.s[idx] == theta;
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
            p.separation = sums(bulkAtoms, theta, scratch, &g, &d)
                               ? d
                               : std::numeric_limits<double>::infinity();
            if (p.separation < 1.0) {
                // Sums over k != j without the spike's own atom.
                sums(allAtoms, theta, scratch, &g, &d);
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
    // Same atoms as groupAtoms(signalSpectrum(m)), without materializing a constant bulk.
    const std::vector<Atom> atoms =
        toAtoms(mergeCounts(countValues(spikeValues(m)), bulkCounts(m)), static_cast<double>(m.n));
    th.equivalent = deterministicEquivalent(atoms, m.sigma, points);
    const auto& support = th.equivalent.support;
    for (const SupportInterval& iv : support)
        if (!std::isfinite(iv.a) || !std::isfinite(iv.b))
            throw InputError("sigma/spikes", "the spectrum reaches beyond the range of double "
                                             "precision numbers (+-1.8e308); use smaller values");
    if (!allFinite(th.equivalent.density.y))
        throw InputError("sigma", "too small, the densities exceed the range of double precision "
                                  "numbers");

    // Refinement of the separation criterion (docs/model.md#separation-criterion, theory.h): a
    // spike whose atom lies in the main component's u-interval has no outlier.
    th.outliers = predictOutliers(m);
    const SupportInterval& main = support[th.equivalent.mainBulk];
    for (OutlierPrediction& p : th.outliers) {
        const auto idx = static_cast<std::size_t>(
            std::lower_bound(atoms.begin(), atoms.end(), p.theta,
                             [](const Atom& a, double v) { return a.value < v; }) -
            atoms.begin());
        p.inMainBulk = idx >= main.firstAtom && idx <= main.lastAtom;
        if (p.inMainBulk) {
            p.largeRank.reset();
            p.overlapLargeRank.reset();
        }
    }
    th.mainBulkLo = main.a;
    th.mainBulkHi = main.b;

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

} // namespace ws::core
