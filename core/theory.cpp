// Theory of DESIGN.md section 2: semicircle, the deterministic equivalent mu_N by Biane's
// method, and the finite-rank / large-rank outlier predictions.
#include "theory.h"

#include "families.h"

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

// The atoms as arrays (struct-of-arrays, so that Eigen vectorizes the O(atoms) loops), shared
// read-only by all threads.
struct AtomData
{
    AtomData(const std::vector<Atom>& atoms, double sigma) : sigma2(sigma * sigma)
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
    double sigma2;
};

// The sums over weighted atoms that Biane's method needs (one division per atom and pass).
// Holds scratch buffers: one instance per thread.
class AtomSums
{
public:
    explicit AtomSums(const AtomData& data)
        : m_n(data.s.size()), m_sigma2(data.sigma2), m_s(data.s), m_w(data.w), m_a(m_n), m_b(m_n),
          m_d(m_n)
    {
    }

    Eigen::Index size() const { return m_n; }
    double s(Eigen::Index i) const { return m_s[i]; }
    double w(Eigen::Index i) const { return m_w[i]; }
    double sigma2() const { return m_sigma2; }

    // F(u) = sum w/(u-s)^2 (= f(u, 0) of the header), F'(u) and F''(u).
    struct Poles
    {
        double f = 0.0, df = 0.0, d2f = 0.0;
    };
    Poles poles(double u, bool second) const
    {
        m_a = (u - m_s).inverse();
        m_b = m_w * m_a.square();
        Poles p;
        p.f = m_b.sum();
        p.df = -2.0 * (m_b * m_a).sum();
        if (second)
            p.d2f = 6.0 * (m_b * m_a.square()).sum();
        return p;
    }

    // t = v(u)^2: the root of g(t) = sum w/((u-s)^2 + t) = 1/sigma^2, 0 if g(0) <= 1/sigma^2.
    // Newton on H(t) = 1/g(t) = sigma^2: H is concave increasing (a weighted harmonic mean of
    // affine functions of t), so Newton started left of the root climbs monotonically to it,
    // and one step from the right lands left of it. Safe start: t >= sigma^2 w_a - (u - s_a)^2
    // for every atom a (one term of g alone), finite even when u sits exactly on an atom.
    // `hint` (e.g. extrapolated from neighbouring u) may lie on either side.
    // Also returns psi(u), from the last Newton evaluation (its t is within 1e-15 relative).
    struct Point
    {
        double t = 0.0, psi = 0.0;
    };
    Point point(double u, double hint = 0.0) const
    {
        m_d = u - m_s;
        m_a = m_d.square();
        const double lower = std::max(0.0, (m_sigma2 * m_w - m_a).maxCoeff());
        double t = std::max(lower, hint);
        bool fromGuess = t > lower;
        for (int it = 0; it < 200; ++it) {
            m_b = (m_a + t).inverse();
            const double g = (m_w * m_b).sum();
            if (t == 0.0 && !(m_sigma2 * g > 1.0))
                break; // outside the support
            const double g2 = (m_w * m_b.square()).sum();
            const double step = (m_sigma2 * g - 1.0) * g / g2;
            if (fromGuess) {
                fromGuess = false;
                if (step < 0.0) {
                    t = std::max(lower, t + step); // the guess was right of the root
                    continue;
                }
            }
            if (!(step > 0.0))
                break; // at the root up to rounding
            t += step;
            if (step <= 1e-15 * t)
                break;
        }
        // psi(u) = u + sigma^2 sum w (u-s)/((u-s)^2 + t). Outside the support t = 0 and u is
        // no atom, so each term is w/(u-s); on an atom with t > 0 its term is 0.
        return {t, u + m_sigma2 * (m_w * m_d * m_b).sum()};
    }
    double vSquared(double u) const { return point(u).t; }

    // psi at a support edge, where v = 0 and u is no atom.
    double psiEdge(double u) const { return u + m_sigma2 * (m_w / (u - m_s)).sum(); }

    // Root of G(u) = F(u)^(-1/2) - sigma in the bracket [a, b] where G changes sign (G < 0 at a
    // iff negAtA); G is concave between consecutive atoms and outside them, so Newton from the
    // side nearer the atom (`start`, where G < 0) is monotone; bisection guards rounding.
    double edgeRoot(double a, double b, double start, bool negAtA) const
    {
        if (!(a < b))
            return a;
        const double sigma = std::sqrt(m_sigma2);
        const double scale = b - a; // absolute tolerance scale, for roots near u = 0
        auto gOf = [&](double u, double* dg) {
            const Poles p = poles(u, false);
            const double inv = 1.0 / std::sqrt(p.f);
            *dg = -0.5 * inv * inv * inv * p.df;
            return inv - sigma;
        };
        double u = std::clamp(start, a, b);
        for (int it = 0; it < 300; ++it) {
            double dg = 0.0;
            const double g = gOf(u, &dg);
            if (g == 0.0)
                return u;
            if ((g < 0.0) == negAtA)
                a = u;
            else
                b = u;
            double next = u - g / dg;
            if (std::abs(next - u) <= 4.0 * kEps * (std::abs(u) + scale))
                return next; // Newton has converged
            if (!std::isfinite(next) || !(next > a && next < b))
                next = 0.5 * (a + b);
            if (next == a || next == b)
                return next; // the bracket is down to adjacent doubles
            u = next;
        }
        return u;
    }

    // Whether F dips below 1/sigma^2 between atoms i and i+1 (the support splits there); if so,
    // a point where it does. Safeguarded Newton on F' (F is convex there, F'' > 0).
    bool splitPoint(Eigen::Index i, double* where) const
    {
        double a = m_s[i], b = m_s[i + 1];
        const double width = b - a;
        const double ca = std::cbrt(m_w[i]), cb = std::cbrt(m_w[i + 1]);
        double u = a + width * ca / (ca + cb); // minimizer of the two-atom part
        for (int it = 0; it < 300; ++it) {
            const Poles p = poles(u, true);
            if (m_sigma2 * p.f < 1.0) {
                *where = u;
                return true;
            }
            if (p.df < 0.0)
                a = u;
            else if (p.df > 0.0)
                b = u;
            else
                return false;
            double next = u - p.df / p.d2f;
            // Converged to the minimum, which is >= 1/sigma^2 up to rounding: no split.
            if (std::abs(next - u) <= 1e-13 * width)
                return false;
            if (!std::isfinite(next) || !(next > a && next < b))
                next = 0.5 * (a + b);
            if (next == a || next == b)
                return false;
            u = next;
        }
        return false;
    }

private:
    Eigen::Index m_n;
    double m_sigma2;
    const Eigen::ArrayXd& m_s;
    const Eigen::ArrayXd& m_w;
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
    const double r2 = 4.0 * sigma * sigma - x * x;
    return r2 > 0.0 ? std::sqrt(r2) / (2.0 * kPi * sigma * sigma) : 0.0;
}

Curve semicircleCurve(double sigma, int points, double lo, double hi)
{
    Curve c;
    const int n = std::max(points, 2);
    c.x.resize(static_cast<std::size_t>(n));
    c.y.resize(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        const double x = i == n - 1 ? hi : lo + (hi - lo) * i / (n - 1);
        c.x[static_cast<std::size_t>(i)] = x;
        c.y[static_cast<std::size_t>(i)] = semicircleDensity(sigma, x);
    }
    return c;
}

namespace {

std::vector<biane::UInterval> uSupportOf(const AtomData& data)
{
    const double sigma2 = data.sigma2, sigma = std::sqrt(sigma2);
    const Eigen::Index na = data.s.size();
    const Eigen::ArrayXd& s = data.s;
    const Eigen::ArrayXd& w = data.w;

    // Gaps between consecutive atoms where the support may split. F >= w_i/(u-s_i)^2 +
    // w_{i+1}/(s_{i+1}-u)^2 >= (w_i^(1/3) + w_{i+1}^(1/3))^3 / gap^2 there: a cheap proof that it
    // does not split (the usual case inside any dense bulk), O(1) per gap.
    std::vector<Eigen::Index> candidates;
    for (Eigen::Index i = 0; i + 1 < na; ++i) {
        const double gap = s[i + 1] - s[i];
        const double c3 = std::cbrt(w[i]) + std::cbrt(w[i + 1]);
        if (!(sigma2 * c3 * c3 * c3 >= gap * gap))
            candidates.push_back(i);
    }
    // The others, O(atoms) each, in parallel: the minimum of F and, where it dips below
    // 1/sigma^2, the two edges. Each root is at least sigma sqrt(w) away from its atom (one term
    // of F alone), which gives a start on the atom's side of it.
    struct Gap
    {
        bool split = false;
        double hi = 0.0, lo = 0.0; // edge ending the left component, edge starting the right one
    };
    std::vector<Gap> gaps(candidates.size());
    parallelFor(candidates.size(), [&](std::size_t begin, std::size_t end) {
        const AtomSums sums(data);
        for (std::size_t c = begin; c < end; ++c) {
            const Eigen::Index i = candidates[c];
            double um = 0.0;
            if (!sums.splitPoint(i, &um))
                continue;
            const double left = std::min(s[i] + sigma * std::sqrt(w[i]), um);
            const double right = std::max(s[i + 1] - sigma * std::sqrt(w[i + 1]), um);
            gaps[c] = {true, sums.edgeRoot(s[i], um, left, true),
                       sums.edgeRoot(um, s[i + 1], right, false)};
        }
    });

    const AtomSums sums(data);
    std::vector<biane::UInterval> out;
    // Left of the smallest atom F decreases from +inf to 0 as u -> -inf, and F(u) <=
    // 1/(s_0 - u)^2, so the edge lies in [s_0 - sigma, s_0 - sigma sqrt(w_0)].
    {
        const double near = s[0] - sigma * std::sqrt(w[0]);
        biane::UInterval first;
        first.lo = sums.edgeRoot(std::min(s[0] - sigma, near), near, near, false);
        first.firstAtom = 0;
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
        out.back().hi = gaps[c].hi;
        out.back().mass = mass;
        out.back().lastAtom = static_cast<std::size_t>(i);
        mass = 0.0;
        biane::UInterval next;
        next.lo = gaps[c].lo;
        next.firstAtom = static_cast<std::size_t>(i + 1);
        out.push_back(next);
    }
    mass += w[na - 1];
    {
        const double sl = s[na - 1], near = sl + sigma * std::sqrt(w[na - 1]);
        out.back().hi = sums.edgeRoot(near, std::max(sl + sigma, near), near, true);
        out.back().mass = mass;
        out.back().lastAtom = static_cast<std::size_t>(na - 1);
    }
    return out;
}

} // namespace

std::vector<biane::UInterval> biane::uSupport(const std::vector<Atom>& atoms, double sigma)
{
    checkArgs(atoms, sigma);
    return uSupportOf(AtomData(atoms, sigma));
}

double biane::vOf(const std::vector<Atom>& atoms, double sigma, double u)
{
    checkArgs(atoms, sigma);
    const AtomData data(atoms, sigma);
    return std::sqrt(AtomSums(data).vSquared(u));
}

double biane::psiOf(const std::vector<Atom>& atoms, double sigma, double u)
{
    checkArgs(atoms, sigma);
    const AtomData data(atoms, sigma);
    return AtomSums(data).point(u).psi;
}

DeterministicEquivalent deterministicEquivalent(const std::vector<Atom>& atoms, double sigma,
                                                int points)
{
    checkArgs(atoms, sigma);
    const AtomData data(atoms, sigma);
    const std::vector<biane::UInterval> uSup = uSupportOf(data);
    const AtomSums sums(data);
    const double densityScale = 1.0 / (kPi * sigma * sigma);

    DeterministicEquivalent de;
    const std::size_t nc = uSup.size();
    de.support.resize(nc);
    for (std::size_t k = 0; k < nc; ++k) {
        // At the edges v = 0.
        de.support[k].a = sums.psiEdge(uSup[k].lo);
        de.support[k].b = sums.psiEdge(uSup[k].hi);
        de.support[k].mass = uSup[k].mass;
        if (uSup[k].mass > uSup[de.mainBulk].mass)
            de.mainBulk = k;
    }

    // Points per component: a minimum each (5, or 3 when there are many components), the rest
    // proportional to the width in x (largest remainder), so the total is exactly `points`
    // whenever points >= 3 * components.
    const std::size_t total = static_cast<std::size_t>(std::max(points, 2));
    const std::size_t minEach = total >= 5 * nc ? 5 : 3;
    std::vector<std::size_t> count(nc, minEach);
    const std::size_t spare = total > minEach * nc ? total - minEach * nc : 0;
    double widthSum = 0.0;
    for (const auto& iv : de.support)
        widthSum += iv.b - iv.a;
    if (spare > 0) {
        std::vector<std::pair<double, std::size_t>> remainders;
        std::size_t given = 0;
        for (std::size_t k = 0; k < nc; ++k) {
            const double share =
                widthSum > 0.0
                    ? static_cast<double>(spare) * (de.support[k].b - de.support[k].a) / widthSum
                    : static_cast<double>(spare) / static_cast<double>(nc);
            const auto whole = static_cast<std::size_t>(std::floor(share));
            count[k] += whole;
            given += whole;
            remainders.emplace_back(share - static_cast<double>(whole), k);
        }
        std::stable_sort(remainders.begin(), remainders.end(),
                         [](const auto& p, const auto& q) { return p.first > q.first; });
        for (std::size_t q = 0; given < spare && q < remainders.size(); ++q, ++given)
            ++count[remainders[q].second];
    }

    // Interior nodes in fixed chunks (independent of the thread count, so the Newton guesses
    // and hence the results are too), evaluated in parallel.
    constexpr std::size_t kChunk = 32;
    struct Chunk
    {
        std::size_t component, first, last; // interior node indices j in [first, last)
    };
    std::vector<Chunk> chunks;
    std::vector<std::size_t> offset(nc + 1, 0);
    for (std::size_t k = 0; k < nc; ++k) {
        offset[k + 1] = offset[k] + count[k];
        for (std::size_t j = 1; j + 1 < count[k]; j += kChunk)
            chunks.push_back({k, j, std::min(j + kChunk, count[k] - 1)});
    }
    de.density.x.assign(offset[nc], 0.0);
    de.density.y.assign(offset[nc], 0.0);
    for (std::size_t k = 0; k < nc; ++k) {
        // Edges: y = 0 exactly.
        de.density.x[offset[k]] = de.support[k].a;
        de.density.x[offset[k + 1] - 1] = de.support[k].b;
    }
    parallelFor(chunks.size(), [&](std::size_t begin, std::size_t end) {
        const AtomSums local(data);
        for (std::size_t q = begin; q < end; ++q) {
            const Chunk& ch = chunks[q];
            const std::size_t k = ch.component, n = count[k];
            const double ulo = uSup[k].lo, uhi = uSup[k].hi;
            // Newton guesses for t = v^2: linear extrapolation from the previous two nodes.
            double u0 = ulo, t0 = 0.0, u1 = ulo, t1 = 0.0;
            for (std::size_t j = ch.first; j < ch.last; ++j) {
                // Chebyshev-Lobatto nodes in u: x is about linear in u inside a component, so
                // this clusters points at the square-root edges.
                const double c =
                    std::cos(kPi * static_cast<double>(j) / static_cast<double>(n - 1));
                const double u = ulo + 0.5 * (uhi - ulo) * (1.0 - c);
                const double guess = u1 > u0 ? t1 + (t1 - t0) * (u - u1) / (u1 - u0) : t1;
                const auto p = local.point(u, guess);
                u0 = u1;
                t0 = t1;
                u1 = u;
                t1 = p.t;
                de.density.x[offset[k] + j] = std::clamp(p.psi, de.support[k].a, de.support[k].b);
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
    const AtomSums sums(data);
    // psi(u) - u lies in (0, sigma) for u >= s_max + sigma (and symmetrically below), and psi is
    // increasing, so this brackets the u with psi(u) = x.
    double lo = std::min(x, sums.s(0) - sigma);
    double hi = std::max(x, sums.s(sums.size() - 1) + sigma);
    // Illinois false position (superlinear) with a bisection step every fourth iteration, so
    // the bracket at least halves every four steps.
    double flo = sums.point(lo).psi - x, fhi = sums.point(hi).psi - x;
    const double tol = 4.0 * kEps * (std::abs(x) + (hi - lo));
    double bestT = sums.vSquared(std::abs(flo) < std::abs(fhi) ? lo : hi);
    double bestF = std::min(std::abs(flo), std::abs(fhi));
    int side = 0;
    for (int it = 0; it < 400 && bestF > tol; ++it) {
        double mid =
            it % 4 == 3 || !(fhi > flo) ? 0.5 * (lo + hi) : (lo * fhi - hi * flo) / (fhi - flo);
        if (!(mid > lo && mid < hi))
            mid = 0.5 * (lo + hi);
        if (!(mid > lo && mid < hi))
            break; // lo and hi are adjacent doubles
        const auto p = sums.point(mid, bestT);
        const double f = p.psi - x;
        if (std::abs(f) < bestF) {
            bestT = p.t;
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
    return std::sqrt(bestT) / (kPi * sigma * sigma);
}

std::vector<OutlierPrediction> predictOutliers(const Model& m)
{
    validate(m);
    const std::vector<double> spikes = spikeValues(m);
    const double n = static_cast<double>(m.n);
    const double sigma2 = m.sigma * m.sigma;

    // Atoms with weight count/N: the sums over k below group equal s_k.
    const std::vector<Counted> bulk = bulkCounts(m);
    const AtomData allAtoms(toAtoms(mergeCounts(countValues(spikes), bulk), n), m.sigma);
    const AtomData bulkAtoms(toAtoms(bulk, n), m.sigma);

    // One prediction per distinct spike value (equal spikes share it), in parallel.
    std::vector<std::size_t> distinct;
    for (std::size_t j = 0; j < spikes.size(); ++j)
        if (j == 0 || spikes[j] != spikes[j - 1])
            distinct.push_back(j);
    // sum w/(theta - s) and sum w/(theta - s)^2 over the atoms other than theta's own (s are
    // ascending: the own atom is found by binary search and the sums skip it). `scratch` is
    // per thread. Returns false if theta is an atom.
    auto sums = [](const AtomData& atoms, double theta, Eigen::ArrayXd& scratch, double* g,
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
            r = (theta - atoms.s.segment(from, len)).inverse();
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
            if (std::abs(theta) > m.sigma) {
                p.finiteRank = theta + sigma2 / theta;
                p.overlapFiniteRank = 1.0 - sigma2 / (theta * theta);
            }
            double g = 0.0, d = 0.0;
            // A spike sitting on a bulk atom never separates (infinite sum, no NaN).
            p.separation = sums(bulkAtoms, theta, scratch, &g, &d)
                               ? sigma2 * d
                               : std::numeric_limits<double>::infinity();
            if (p.separation < 1.0) {
                // Sums over k != j without the spike's own atom.
                sums(allAtoms, theta, scratch, &g, &d);
                p.largeRank = theta + sigma2 * g;
                p.overlapLargeRank = 1.0 - sigma2 * d;
            }
            const std::size_t last = q + 1 < distinct.size() ? distinct[q + 1] : spikes.size();
            for (std::size_t j = distinct[q]; j < last; ++j)
                out[j] = p;
        }
    });
    return out;
}

Theory computeTheory(const Model& m, int points)
{
    validate(m);
    Theory th;
    // Same atoms as groupAtoms(signalSpectrum(m)), without materializing a constant bulk.
    const std::vector<Atom> atoms =
        toAtoms(mergeCounts(countValues(spikeValues(m)), bulkCounts(m)), static_cast<double>(m.n));
    th.equivalent = deterministicEquivalent(atoms, m.sigma, points);
    th.outliers = predictOutliers(m);
    const SupportInterval& main = th.equivalent.support[th.equivalent.mainBulk];
    th.mainBulkLo = main.a;
    th.mainBulkHi = main.b;

    double lo = std::min(-2.0 * m.sigma, th.equivalent.support.front().a);
    double hi = std::max(2.0 * m.sigma, th.equivalent.support.back().b);
    for (const OutlierPrediction& p : th.outliers) {
        for (const auto& v : {p.finiteRank, p.largeRank}) {
            if (v) {
                lo = std::min(lo, *v);
                hi = std::max(hi, *v);
            }
        }
    }
    const double margin = 0.05 * (hi - lo);
    th.semicircle = semicircleCurve(m.sigma, points, lo - margin, hi + margin);
    return th;
}

} // namespace ws::core
