// Theory of DESIGN.md section 2: semicircle, the deterministic equivalent mu_N by Biane's
// method, and the finite-rank / large-rank outlier predictions.
#include "theory.h"

#include "families.h"

#include <Eigen/Core>

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

// The sums over weighted atoms that Biane's method needs. Struct-of-arrays with Eigen so that
// the O(atoms) loops (one division per atom) are vectorized. Holds scratch buffers: one
// instance per thread.
class AtomSums
{
public:
    AtomSums(const std::vector<Atom>& atoms, double sigma)
        : m_n(static_cast<Eigen::Index>(atoms.size())), m_sigma2(sigma * sigma)
    {
        m_s.resize(m_n);
        m_w.resize(m_n);
        m_a.resize(m_n);
        m_b.resize(m_n);
        m_d.resize(m_n);
        for (Eigen::Index i = 0; i < m_n; ++i) {
            m_s[i] = atoms[static_cast<std::size_t>(i)].value;
            m_w[i] = atoms[static_cast<std::size_t>(i)].weight;
        }
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

    // Root of G(u) = F(u)^(-1/2) - sigma in the bracket [a, b] where G changes sign; G is
    // concave between consecutive atoms and outside them, so Newton from the side nearer the
    // atom (`start`, where G < 0) is monotone; bisection guards rounding.
    double edgeRoot(double a, double b, double start) const
    {
        if (!(a < b))
            return a;
        const double sigma = std::sqrt(m_sigma2);
        auto gOf = [&](double u, double* dg) {
            const Poles p = poles(u, false);
            const double inv = 1.0 / std::sqrt(p.f);
            *dg = -0.5 * inv * inv * inv * p.df;
            return inv - sigma;
        };
        double dga = 0.0;
        const bool negAtA = gOf(a, &dga) < 0.0;
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
            if (std::abs(next - u) <= 4.0 * kEps * std::abs(u))
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
    Eigen::ArrayXd m_s, m_w;
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

// Atoms with weight = count / n (n = total count, possibly larger than values.size()).
std::vector<Atom> groupWithTotal(std::vector<double> values, double n)
{
    std::sort(values.begin(), values.end());
    std::vector<Atom> atoms;
    for (std::size_t i = 0; i < values.size();) {
        std::size_t j = i;
        while (j < values.size() && values[j] == values[i])
            ++j;
        atoms.push_back({values[i], static_cast<double>(j - i) / n});
        i = j;
    }
    return atoms;
}

} // namespace

std::vector<Atom> groupAtoms(const std::vector<double>& values)
{
    return groupWithTotal(values, static_cast<double>(values.size()));
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

std::vector<biane::UInterval> biane::uSupport(const std::vector<Atom>& atoms, double sigma)
{
    checkArgs(atoms, sigma);
    const AtomSums sums(atoms, sigma);
    const double sigma2 = sigma * sigma;
    const Eigen::Index na = sums.size();

    std::vector<biane::UInterval> out;
    // Left of the smallest atom F decreases from +inf to 0 as u -> -inf, and F(u) <=
    // 1/(s_0 - u)^2, so the edge lies in [s_0 - sigma, s_0 - sigma sqrt(w_0)].
    {
        const double s0 = sums.s(0), near = s0 - sigma * std::sqrt(sums.w(0));
        biane::UInterval cur;
        cur.lo = sums.edgeRoot(std::min(s0 - sigma, near), near, near);
        cur.firstAtom = 0;
        out.push_back(cur);
    }
    double mass = 0.0;
    for (Eigen::Index i = 0; i + 1 < na; ++i) {
        mass += sums.w(i);
        const double gap = sums.s(i + 1) - sums.s(i);
        // F >= w_i/(u-s_i)^2 + w_{i+1}/(s_{i+1}-u)^2 >= (w_i^(1/3) + w_{i+1}^(1/3))^3 / gap^2:
        // a cheap proof that the support does not split here (the usual case inside a bulk).
        const double c3 = std::cbrt(sums.w(i)) + std::cbrt(sums.w(i + 1));
        if (sigma2 * c3 * c3 * c3 >= gap * gap)
            continue;
        double um = 0.0;
        if (!sums.splitPoint(i, &um))
            continue;
        // Each root is at least sigma sqrt(w) away from its atom (one term of F alone).
        const double left = std::min(sums.s(i) + sigma * std::sqrt(sums.w(i)), um);
        const double right = std::max(sums.s(i + 1) - sigma * std::sqrt(sums.w(i + 1)), um);
        out.back().hi = sums.edgeRoot(sums.s(i), um, left);
        out.back().mass = mass;
        out.back().lastAtom = static_cast<std::size_t>(i);
        mass = 0.0;
        biane::UInterval next;
        next.lo = sums.edgeRoot(um, sums.s(i + 1), right);
        next.firstAtom = static_cast<std::size_t>(i + 1);
        out.push_back(next);
    }
    mass += sums.w(na - 1);
    {
        const double sl = sums.s(na - 1), near = sl + sigma * std::sqrt(sums.w(na - 1));
        out.back().hi = sums.edgeRoot(near, std::max(sl + sigma, near), near);
        out.back().mass = mass;
        out.back().lastAtom = static_cast<std::size_t>(na - 1);
    }
    return out;
}

double biane::vOf(const std::vector<Atom>& atoms, double sigma, double u)
{
    checkArgs(atoms, sigma);
    return std::sqrt(AtomSums(atoms, sigma).vSquared(u));
}

double biane::psiOf(const std::vector<Atom>& atoms, double sigma, double u)
{
    checkArgs(atoms, sigma);
    return AtomSums(atoms, sigma).point(u).psi;
}

DeterministicEquivalent deterministicEquivalent(const std::vector<Atom>& atoms, double sigma,
                                                int points)
{
    const std::vector<biane::UInterval> uSup = biane::uSupport(atoms, sigma);
    const AtomSums sums(atoms, sigma);
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

    std::size_t all = 0;
    for (std::size_t c : count)
        all += c;
    de.density.x.reserve(all);
    de.density.y.reserve(all);
    for (std::size_t k = 0; k < nc; ++k) {
        const double ulo = uSup[k].lo, uhi = uSup[k].hi;
        const std::size_t n = count[k];
        // Newton guesses for t = v^2: linear extrapolation from the previous two nodes.
        double u0 = ulo, t0 = 0.0, u1 = ulo, t1 = 0.0;
        for (std::size_t j = 0; j < n; ++j) {
            double x = 0.0, y = 0.0;
            if (j == 0) {
                x = de.support[k].a;
            } else if (j + 1 == n) {
                x = de.support[k].b;
            } else {
                // Chebyshev-Lobatto nodes in u: x is about linear in u inside a component, so
                // this clusters points at the square-root edges.
                const double c =
                    std::cos(kPi * static_cast<double>(j) / static_cast<double>(n - 1));
                const double u = ulo + 0.5 * (uhi - ulo) * (1.0 - c);
                const double guess = u1 > u0 ? t1 + (t1 - t0) * (u - u1) / (u1 - u0) : t1;
                const auto p = sums.point(u, guess);
                u0 = u1;
                t0 = t1;
                u1 = u;
                t1 = p.t;
                x = std::clamp(p.psi, de.support[k].a, de.support[k].b);
                y = std::sqrt(p.t) * densityScale;
            }
            if (!de.density.x.empty())
                x = std::max(x, de.density.x.back()); // psi is increasing; keep rounding so
            de.density.x.push_back(x);
            de.density.y.push_back(y);
        }
    }
    return de;
}

double deterministicEquivalentDensity(const std::vector<Atom>& atoms, double sigma, double x)
{
    checkArgs(atoms, sigma);
    const AtomSums sums(atoms, sigma);
    // psi(u) - u lies in (0, sigma) for u >= s_max + sigma (and symmetrically below), and psi is
    // increasing, so this brackets the u with psi(u) = x.
    double lo = std::min(x, sums.s(0) - sigma);
    double hi = std::max(x, sums.s(sums.size() - 1) + sigma);
    for (int it = 0; it < 2000; ++it) {
        const double mid = 0.5 * (lo + hi);
        if (!(mid > lo && mid < hi))
            break;
        (sums.point(mid).psi < x ? lo : hi) = mid;
    }
    return std::sqrt(sums.vSquared(0.5 * (lo + hi))) / (kPi * sigma * sigma);
}

std::vector<OutlierPrediction> predictOutliers(const Model& m)
{
    validate(m);
    const std::vector<double> spikes = spikeValues(m);
    const std::vector<double> bulk = bulkValues(m);
    const double n = static_cast<double>(m.n);
    const double sigma2 = m.sigma * m.sigma;

    std::vector<double> all = spikes;
    all.insert(all.end(), bulk.begin(), bulk.end());
    // Atoms with weight count/N: the sums over k below group equal s_k.
    const std::vector<Atom> allAtoms = groupWithTotal(all, n);
    const std::vector<Atom> bulkAtoms = groupWithTotal(bulk, n);

    std::vector<OutlierPrediction> out;
    out.reserve(spikes.size());
    for (std::size_t j = 0; j < spikes.size(); ++j) {
        const double theta = spikes[j];
        if (j > 0 && spikes[j - 1] == theta) {
            out.push_back(out.back()); // equal spikes share one prediction
            continue;
        }
        OutlierPrediction p;
        p.theta = theta;
        if (std::abs(theta) > m.sigma) {
            p.finiteRank = theta + sigma2 / theta;
            p.overlapFiniteRank = 1.0 - sigma2 / (theta * theta);
        }
        double sep = 0.0;
        for (const Atom& a : bulkAtoms) {
            if (a.value == theta) {
                sep = std::numeric_limits<double>::infinity(); // spike sits on a bulk atom
                break;
            }
            const double d = theta - a.value;
            sep += a.weight / (d * d);
        }
        p.separation = sigma2 * sep;
        if (p.separation < 1.0) {
            double g = 0.0, dd = 0.0;
            for (const Atom& a : allAtoms) {
                if (a.value == theta)
                    continue; // the spike's own atom
                const double r = 1.0 / (theta - a.value);
                g += a.weight * r;
                dd += a.weight * r * r;
            }
            p.largeRank = theta + sigma2 * g;
            p.overlapLargeRank = 1.0 - sigma2 * dd;
        }
        out.push_back(p);
    }
    return out;
}

Theory computeTheory(const Model& m, int points)
{
    validate(m);
    Theory th;
    th.equivalent = deterministicEquivalent(groupAtoms(signalSpectrum(m)), m.sigma, points);
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
