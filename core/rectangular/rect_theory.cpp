// Theory of the rectangular model (rectangular.h, docs/rectangular.md): Marchenko-Pastur, the
// information-plus-noise deterministic equivalent, outlier predictions.
//
// Everything is computed in the canonical form (p x q, c_e = q/p >= 1) in units of sigma_e = 1:
// atoms lambda / sigma_e^2, x / sigma_e^2, kappa = c_e - 1. Then
//   G(w) = sum_a w_a/(lambda_a - w),  h = 1 - G,  psi(w) = w h^2 + kappa h,
//   psi'(u) = h^2 - F (2 u h + kappa),  F = sum_a w_a/(lambda_a - u)^2  (real u).
// Off the real axis, w = u + i v, tau = v^2, d_a = lambda_a - u, D_a = d_a^2 + tau:
//   Im psi(w) / v = Phi(u, tau) = hr^2 - 2 u F hr - tau F^2 - kappa F,
//   F = sum w/D, hr = 1 - sum w d/D.
#include "core/theory/curve_nodes.h"
#include "core/theory/illinois.h"
#include "core/theory/rank_mean.h"
#include "core/model/families.h"
#include "core/outliers/window.h"
#include "core/rectangular/marchenko_pastur.h"
#include "core/rectangular/rectangular.h"

#include "core/util/parallel_for.h"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <complex>
#include <functional>
#include <limits>
#include <numbers>
#include <stdexcept>

namespace ws::core {
namespace {

constexpr double kPi = std::numbers::pi;
using cplx = std::complex<double>;

// Bisection for a sign change of f on [a, b]: f(a) has sign `leftSign` (> 0: positive), b the
// other sign (the endpoints themselves are not evaluated). Stops when the midpoint no longer
// moves.
template <class F> double bisect(const F& f, double a, double b, bool leftPositive)
{
    for (int it = 0; it < 200; ++it) {
        const double mid = 0.5 * a + 0.5 * b;
        if (!(mid > std::min(a, b) && mid < std::max(a, b)))
            break;
        ((f(mid) > 0.0) == leftPositive ? a : b) = mid;
    }
    return 0.5 * a + 0.5 * b;
}

// Canonical atoms in units of sigma_e (struct of arrays for vectorized sums).
struct Canon
{
    Eigen::ArrayXd lam, w;
    double kappa = 0.0;

    struct Real
    {
        double g = 0.0, f = 0.0, h = 0.0, psi = 0.0, dpsi = 0.0;
    };
    // u must not be an atom.
    Real real(double u) const
    {
        const Eigen::ArrayXd inv = (lam - u).inverse();
        Real r;
        r.g = (w * inv).sum();
        r.f = (w * inv.square()).sum();
        r.h = 1.0 - r.g;
        r.psi = u * r.h * r.h + kappa * r.h;
        r.dpsi = r.h * r.h - r.f * (2.0 * u * r.h + kappa);
        return r;
    }
    double dpsi(double u) const { return real(u).dpsi; }
    double h(double u) const { return 1.0 - (w / (lam - u)).sum(); }

    // Phi(u, tau) and dPhi/dtau.
    struct Phi
    {
        double phi = 0.0, dphi = 0.0;
    };
    Phi phi(double u, double tau, Eigen::ArrayXd& d, Eigen::ArrayXd& inv) const
    {
        d = lam - u;
        inv = (d.square() + tau).inverse();
        const double f = (w * inv).sum();
        const double s1 = (w * d * inv).sum();
        const double s2 = (w * inv.square()).sum();
        const double s3 = (w * d * inv.square()).sum();
        const double hr = 1.0 - s1;
        Phi p;
        p.phi = hr * hr - 2.0 * u * f * hr - tau * f * f - kappa * f;
        p.dphi =
            2.0 * hr * s3 - 2.0 * u * (-s2 * hr + f * s3) - f * f + 2.0 * tau * f * s2 + kappa * s2;
        return p;
    }

    // x = Re psi(w) and the density f = Im(G/h)/pi at w = u + i sqrt(tau).
    struct Point
    {
        double x = 0.0, f = 0.0;
    };
    Point point(double u, double tau) const
    {
        const cplx om(u, std::sqrt(tau));
        cplx g(0.0, 0.0);
        for (Eigen::Index a = 0; a < lam.size(); ++a)
            g += w[a] / (lam[a] - om);
        const cplx h = 1.0 - g;
        const cplx psi = om * h * h + kappa * h;
        return {psi.real(), std::max(0.0, (g / h).imag() / kPi)};
    }

    // tau(u) = v(u)^2: the largest root of Phi(u, .) (0 if none). Phi > 0 for tau >= T(u) =
    // max(4, 10|u| + 4 c_e) (bounds |sum w d/D| <= 1/(2 sqrt tau), F <= 1/tau give Phi >= 9/16 -
    // 1/4). From above, the first bracket [lo, hi] with Phi(lo) <= 0 < Phi(hi) is found by steps
    // of 4 (from 2 * hint if given), then safeguarded Newton. Near atoms Phi can turn positive
    // again below the curve (see docs/rectangular.md); coming from above never sees that.
    double tau(double u, double hint, Eigen::ArrayXd& d, Eigen::ArrayXd& inv) const
    {
        const double top = std::max(4.0, 10.0 * std::abs(u) + 4.0 * (1.0 + kappa));
        double hi = hint > 0.0 ? std::min(top, 2.0 * hint) : top;
        Phi ph = phi(u, hi, d, inv);
        while (!(ph.phi > 0.0) && hi < top) {
            hi = std::min(top, 4.0 * hi);
            ph = phi(u, hi, d, inv);
        }
        double lo = 0.25 * hi;
        Phi pl = phi(u, lo, d, inv);
        const double floor = 1e-30 * top;
        while (pl.phi > 0.0) {
            hi = lo;
            ph = pl;
            lo *= 0.25;
            if (lo < floor)
                return 0.0; // outside the support (or within 1e-15 of an edge in v)
            pl = phi(u, lo, d, inv);
        }
        // rtsafe: Newton from the better end, bisection when Newton leaves [lo, hi].
        double t = std::abs(pl.phi) < ph.phi ? lo : hi;
        Phi pt = t == lo ? pl : ph;
        for (int it = 0; it < 100; ++it) {
            double next = pt.dphi > 0.0 ? t - pt.phi / pt.dphi : 0.5 * (lo + hi);
            if (!(next > lo && next < hi))
                next = 0.5 * (lo + hi);
            const double step = std::abs(next - t);
            t = next;
            if (step <= 1e-14 * t || hi - lo <= 1e-14 * hi)
                break;
            pt = phi(u, t, d, inv);
            if (pt.phi > 0.0)
                hi = t;
            else
                lo = t;
        }
        return t;
    }
};

Canon makeCanon(const std::vector<Atom>& atoms, double sigmaE, double cE)
{
    if (!(sigmaE > 0.0) || !std::isfinite(sigmaE))
        throw std::invalid_argument("rect theory: sigma_e must be finite and > 0");
    if (!(cE >= 1.0) || !std::isfinite(cE))
        throw std::invalid_argument("rect theory: c_e must be finite and >= 1");
    if (atoms.empty())
        throw std::invalid_argument("rect theory: no atoms");
    Canon k;
    const auto n = static_cast<Eigen::Index>(atoms.size());
    k.lam.resize(n);
    k.w.resize(n);
    const double s2 = sigmaE * sigmaE;
    double total = 0.0;
    for (Eigen::Index i = 0; i < n; ++i) {
        const Atom& a = atoms[static_cast<std::size_t>(i)];
        if (!(a.value >= 0.0) || !std::isfinite(a.value) || !(a.weight > 0.0) ||
            (i > 0 && !(a.value > atoms[static_cast<std::size_t>(i - 1)].value)))
            throw std::invalid_argument(
                "rect theory: atoms must be finite, >= 0, strictly ascending, weights > 0");
        k.lam[i] = a.value / s2;
        k.w[i] = a.weight;
        total += a.weight;
    }
    if (std::abs(total - 1.0) > 1e-9)
        throw std::invalid_argument("rect theory: atom weights must sum to 1");
    k.kappa = cE - 1.0;
    return k;
}

// u-intervals [lo, hi] (maximal intervals where not (h > 0 and psi' > 0)) and their atoms.
struct UComponent
{
    double lo = 0.0, hi = 0.0;
    Eigen::Index first = 0, last = 0;
    double mass = 0.0;
};

// Largest value of psi' on (a, b) (both excluded) where psi' -> -inf at a+, <= 0 at b: a scan
// of `samples` points, refined by golden section around the best. Returns its position.
struct Peak
{
    double u = 0.0, dpsi = -std::numeric_limits<double>::infinity();
    double negLeft = 0.0, negRight = 0.0; // points with psi' <= 0 on each side of the peak
};
Peak findPeak(const Canon& k, double a, double b, int samples)
{
    std::vector<double> us, vals;
    for (int i = 1; i <= samples; ++i) {
        const double u = a + (b - a) * static_cast<double>(i) / (samples + 1);
        us.push_back(u);
        vals.push_back(k.dpsi(u));
    }
    const auto best =
        static_cast<std::size_t>(std::max_element(vals.begin(), vals.end()) - vals.begin());
    double l = best > 0 ? us[best - 1] : a, r = best + 1 < us.size() ? us[best + 1] : b;
    Peak pk;
    pk.u = us[best];
    pk.dpsi = vals[best];
    // Golden section on [l, r] (psi' is smooth there), keeping the best value seen.
    const double g = 0.5 * (std::sqrt(5.0) - 1.0);
    double x1 = r - g * (r - l), x2 = l + g * (r - l);
    double f1 = k.dpsi(x1), f2 = k.dpsi(x2);
    for (int it = 0; it < 60 && pk.dpsi <= 0.0; ++it) {
        if (f1 > pk.dpsi) {
            pk.dpsi = f1;
            pk.u = x1;
        }
        if (f2 > pk.dpsi) {
            pk.dpsi = f2;
            pk.u = x2;
        }
        if (f1 > f2) {
            r = x2;
            x2 = x1;
            f2 = f1;
            x1 = r - g * (r - l);
            f1 = k.dpsi(x1);
        } else {
            l = x1;
            x1 = x2;
            f1 = f2;
            x2 = l + g * (r - l);
            f2 = k.dpsi(x2);
        }
    }
    pk.negLeft = a;
    pk.negRight = b;
    for (std::size_t i = 0; i < us.size(); ++i) {
        if (us[i] < pk.u && vals[i] <= 0.0)
            pk.negLeft = us[i];
        if (us[i] > pk.u && vals[i] <= 0.0 && pk.negRight == b)
            pk.negRight = us[i];
    }
    return pk;
}

std::vector<UComponent> uComponents(const Canon& k)
{
    const Eigen::Index na = k.lam.size();
    const double sk = std::sqrt(k.kappa);
    // Left of the smallest atom: h decreases from 1 to -inf (its zero uh0 is within 1 of
    // lambda_0, as G <= 1/(lambda_0 - u)); psi' > 0 for u <= min(0, lambda_0 - 2 - 2 sqrt
    // kappa). The lower edge is the first zero of psi' from the left.
    const double l0 = k.lam[0];
    const double uh0 =
        bisect([&](double u) { return k.h(u); }, l0 - 1.0, l0, true); // h > 0 on the left
    double left = std::min(0.0, l0 - 2.0 - 2.0 * sk);
    double lowEdge = uh0;
    {
        constexpr int kScan = 64;
        double prev = left;
        for (int i = 1; i <= kScan; ++i) {
            const double u = left + (uh0 - left) * static_cast<double>(i) / kScan;
            const bool last = i == kScan;
            if (last || !(k.dpsi(u) > 0.0)) {
                lowEdge = bisect([&](double v) { return k.dpsi(v); }, prev, u, true);
                break;
            }
            prev = u;
        }
    }
    // Gaps between consecutive atoms that may split (cheap proof of no split otherwise: in the
    // singular-value variable zeta = sqrt(u) a split needs the symmetrized F_1 < 1, and F_1 >=
    // (cbrt(w_a/2) + cbrt(w_b/2))^3 / (s_b - s_a)^2 between the two atoms).
    std::vector<Eigen::Index> candidates;
    for (Eigen::Index i = 0; i + 1 < na; ++i) {
        const double gap = std::sqrt(k.lam[i + 1]) - std::sqrt(k.lam[i]);
        const double c3 = std::cbrt(0.5 * k.w[i]) + std::cbrt(0.5 * k.w[i + 1]);
        if (!(c3 * c3 * c3 >= gap * gap))
            candidates.push_back(i);
    }
    struct Split
    {
        bool split = false;
        double hi = 0.0, lo = 0.0; // right edge of the left component, left edge of the next
    };
    std::vector<Split> splits(candidates.size());
    parallelFor(candidates.size(), [&](std::size_t begin, std::size_t end) {
        for (std::size_t q = begin; q < end; ++q) {
            const Eigen::Index i = candidates[q];
            const double a = k.lam[i], b = k.lam[i + 1];
            // h decreases from +inf to -inf between the atoms; D lies left of its zero.
            const double uh = bisect([&](double u) { return k.h(u); }, a, b, true);
            const Peak pk = findPeak(k, a, uh, 96);
            if (!(pk.dpsi > 0.0))
                continue;
            auto dp = [&](double u) { return k.dpsi(u); };
            splits[q] = {true, bisect(dp, pk.u, pk.negLeft, true),
                         bisect(dp, pk.u, pk.negRight, true)};
        }
    });
    // Right of the largest atom: h > 1; psi' -> -inf at lambda_max+, -> 1 at infinity. The upper
    // edge is the last zero of psi'.
    const double lmax = k.lam[na - 1];
    double reach = 1.0;
    while (!(k.dpsi(lmax + reach) > 0.0) && reach < 1e300)
        reach *= 2.0;
    double highEdge = lmax + reach;
    {
        constexpr int kScan = 64;
        double prev = lmax + reach;
        for (int i = kScan - 1; i >= 0; --i) {
            const double u = lmax + reach * static_cast<double>(i) / kScan;
            if (i == 0 || !(k.dpsi(u) > 0.0)) {
                highEdge = bisect([&](double v) { return k.dpsi(v); }, prev, u, true);
                break;
            }
            prev = u;
        }
    }

    std::vector<UComponent> out;
    UComponent cur;
    cur.lo = lowEdge;
    cur.first = 0;
    double mass = 0.0;
    std::size_t q = 0;
    for (Eigen::Index i = 0; i + 1 < na; ++i) {
        mass += k.w[i];
        while (q < candidates.size() && candidates[q] < i)
            ++q;
        if (q == candidates.size() || candidates[q] != i || !splits[q].split)
            continue;
        cur.hi = splits[q].hi;
        cur.last = i;
        cur.mass = mass;
        out.push_back(cur);
        mass = 0.0;
        cur = UComponent{};
        cur.lo = splits[q].lo;
        cur.first = i + 1;
    }
    cur.hi = highEdge;
    cur.last = na - 1;
    cur.mass = mass + k.w[na - 1];
    out.push_back(cur);
    return out;
}

std::vector<Atom> squaredAtoms(const std::vector<double>& singular)
{
    std::vector<double> sq;
    sq.reserve(singular.size());
    for (double s : singular)
        sq.push_back(s * s);
    return groupAtoms(sq);
}

struct CanonModel
{
    double sigmaE = 1.0, cE = 1.0;
};
CanonModel canonOf(const RectModel& m)
{
    const double c = m.ratio();
    CanonModel k;
    k.sigmaE = c >= 1.0 ? m.sigma : m.sigma * std::sqrt(c);
    k.cE = c >= 1.0 ? c : 1.0 / c;
    return k;
}

bool allFinite(const Curve& c)
{
    for (std::size_t i = 0; i < c.x.size(); ++i)
        if (!std::isfinite(c.x[i]) || !std::isfinite(c.y[i]))
            return false;
    return true;
}

} // namespace

// ---- Marchenko-Pastur -------------------------------------------------------------------------

// The rectangular model's S = 0 law is MarchenkoPastur{sigma, c} (marchenko_pastur.h); these
// are its squared/singular views under the names rect_theory and its tests use.

MpEdges mpEdgesSquared(double sigma, double c)
{
    const MarchenkoPastur mp{sigma, c};
    return {mp.lowerEdge(), mp.upperEdge()};
}

MpEdges mpEdgesSingular(double sigma, double c)
{
    const double r = std::sqrt(c);
    return {sigma * std::abs(1.0 - r), sigma * (1.0 + r)};
}

double mpDensitySquared(double sigma, double c, double x)
{
    return x > 0.0 ? MarchenkoPastur{sigma, c}.density(x) : 0.0;
}

double mpDensitySingular(double sigma, double c, double y)
{
    return MarchenkoPastur{sigma, c}.singularDensity(y);
}

double mpCdfSquared(double sigma, double c, double x)
{
    return MarchenkoPastur{sigma, c}.cdf(x);
}

// ---- Deterministic equivalent ----------------------------------------------------------------

RectEquivalent rectDeterministicEquivalent(const std::vector<Atom>& atoms, double sigmaE, double cE,
                                           int points)
{
    const Canon k = makeCanon(atoms, sigmaE, cE);
    const std::vector<UComponent> comps = uComponents(k);
    const double s2 = sigmaE * sigmaE;
    const std::size_t nc = comps.size();

    RectEquivalent de;
    de.support.resize(nc);
    for (std::size_t c = 0; c < nc; ++c) {
        RectSupportInterval& iv = de.support[c];
        iv.a = std::max(0.0, s2 * k.real(comps[c].lo).psi);
        iv.b = std::max(iv.a, s2 * k.real(comps[c].hi).psi);
        iv.mass = comps[c].mass;
        iv.firstAtom = static_cast<std::size_t>(comps[c].first);
        iv.lastAtom = static_cast<std::size_t>(comps[c].last);
        if (iv.mass > de.support[de.mainBulk].mass)
            de.mainBulk = c;
    }

    // Points per component and their chunks: curve_nodes.h.
    const NodePlan plan = planNodes(de.support, points);
    const std::vector<std::size_t>& count = plan.count;
    const std::vector<std::size_t>& offset = plan.layout.offset;
    const std::vector<NodeChunk>& chunks = plan.layout.chunks;
    Curve& sq = de.squared;
    sq.x.assign(offset[nc], 0.0);
    sq.y.assign(offset[nc], 0.0);
    for (std::size_t c = 0; c < nc; ++c) {
        sq.x[offset[c]] = de.support[c].a;
        sq.x[offset[c + 1] - 1] = de.support[c].b;
    }
    parallelFor(chunks.size(), [&](std::size_t begin, std::size_t end) {
        Eigen::ArrayXd d(k.lam.size()), inv(k.lam.size());
        for (std::size_t q = begin; q < end; ++q) {
            const NodeChunk& ch = chunks[q];
            const std::size_t n = count[ch.component];
            const double lo = comps[ch.component].lo, hi = comps[ch.component].hi;
            double u0 = lo, t0 = 0.0, u1 = lo, t1 = 0.0;
            bool have = false;
            for (std::size_t j = ch.first; j < ch.last; ++j) {
                const double cs =
                    std::cos(kPi * static_cast<double>(j) / static_cast<double>(n - 1));
                const double u = lo + 0.5 * (hi - lo) * (1.0 - cs);
                // Hint: linear extrapolation of tau from the previous two nodes of the chunk.
                const double hint =
                    have ? std::max(t1 + (u1 > u0 ? (t1 - t0) * (u - u1) / (u1 - u0) : 0.0),
                                    0.5 * t1)
                         : 0.0;
                const double t = k.tau(u, hint, d, inv);
                u0 = u1;
                t0 = t1;
                u1 = u;
                t1 = t;
                have = t > 0.0;
                const Canon::Point pt = k.point(u, t);
                sq.x[offset[ch.component] + j] =
                    std::clamp(s2 * pt.x, de.support[ch.component].a, de.support[ch.component].b);
                sq.y[offset[ch.component] + j] = pt.f / s2;
            }
        }
    });
    for (std::size_t i = 1; i < sq.x.size(); ++i)
        sq.x[i] = std::max(sq.x[i], sq.x[i - 1]);

    // Singular values: y = sqrt(x), g = 2 y f.
    de.singular.x.resize(sq.x.size());
    de.singular.y.resize(sq.x.size());
    for (std::size_t i = 0; i < sq.x.size(); ++i) {
        de.singular.x[i] = std::sqrt(sq.x[i]);
        de.singular.y[i] = 2.0 * de.singular.x[i] * sq.y[i];
    }
    // A hard edge at x = 0 (c_e = 1 and the first component reaching 0): f ~ x^(-1/2) there, so
    // g is finite; extrapolate g linearly in y from the next two nodes, repeat f's neighbour.
    if (nc > 0 && count[0] >= 3 && de.support[0].a <= 1e-12 * de.support[0].b && k.kappa == 0.0) {
        const auto& y = de.singular.x;
        auto& g = de.singular.y;
        const double slope = y[2] > y[1] ? (g[2] - g[1]) / (y[2] - y[1]) : 0.0;
        g[0] = std::max(0.0, g[1] - slope * (y[1] - y[0]));
        sq.y[0] = sq.y[1];
    }
    return de;
}

double rectEquivalentDensitySquared(const std::vector<Atom>& atoms, double sigmaE, double cE,
                                    double x)
{
    const Canon k = makeCanon(atoms, sigmaE, cE);
    const double s2 = sigmaE * sigmaE;
    const double xs = x / s2;
    for (const UComponent& c : uComponents(k)) {
        const double xa = k.real(c.lo).psi, xb = k.real(c.hi).psi;
        if (!(xs > xa && xs < xb))
            continue;
        Eigen::ArrayXd d(k.lam.size()), inv(k.lam.size());
        // x(u) = Re psi(u + i v(u)) increases along the component: Illinois false position with
        // a bisection step every fourth iteration.
        IllinoisBracket br{c.lo, c.hi, xa - xs, xb - xs};
        double bestT = 0.0;
        for (int it = 0; it < 200; ++it) {
            double mid = it % 4 == 3 ? 0.5 * (br.lo + br.hi)
                                     : br.lo + (br.hi - br.lo) * br.flo / (br.flo - br.fhi);
            if (!(mid > br.lo && mid < br.hi))
                mid = 0.5 * (br.lo + br.hi);
            if (!(mid > br.lo && mid < br.hi))
                break;
            // From the top every time: a hint from a distant u could start below the curve.
            const double t = k.tau(mid, 0.0, d, inv);
            const double f = k.point(mid, t).x - xs;
            bestT = t;
            if (std::abs(f) <= 1e-14 * std::max(1.0, std::abs(xs))) {
                return k.point(mid, t).f / s2;
            }
            br.update(mid, f);
        }
        return k.point(0.5 * (br.lo + br.hi), bestT).f / s2;
    }
    return 0.0;
}

// ---- Outliers -------------------------------------------------------------------------------

std::vector<RectOutlierPrediction> predictRectOutliers(const RectModel& m)
{
    validate(m);
    const std::vector<double> spikes = rectSpikeValues(m);
    const std::vector<double> bulk = rectBulkValues(m);
    const double c = m.ratio(), sigma = m.sigma;
    const CanonModel cm = canonOf(m);
    const double s2 = cm.sigmaE * cm.sigmaE, kappa = cm.cE - 1.0;
    const double p = static_cast<double>(m.minDim());

    // Atoms in units of sigma_e with weights count/p: all values, and the bulk alone.
    auto toCounts = [&](const std::vector<double>& values) {
        std::vector<std::pair<double, double>> a; // (lambda, weight)
        std::vector<double> l;
        for (double v : values)
            l.push_back(v * v / s2);
        std::sort(l.begin(), l.end());
        for (double v : l) {
            if (!a.empty() && a.back().first == v)
                a.back().second += 1.0 / p;
            else
                a.emplace_back(v, 1.0 / p);
        }
        return a;
    };
    std::vector<double> all = spikes;
    all.insert(all.end(), bulk.begin(), bulk.end());
    const auto allAtoms = toCounts(all), bulkAtoms = toCounts(bulk);

    std::vector<RectOutlierPrediction> out(spikes.size());
    for (std::size_t j = 0; j < spikes.size();) {
        std::size_t e = j;
        while (e < spikes.size() && spikes[e] == spikes[j])
            ++e;
        RectOutlierPrediction pr;
        pr.theta = spikes[j];
        pr.multiplicity = static_cast<int>(e - j);
        const double t = pr.theta / sigma;
        if (pr.theta > sigma * std::pow(c, 0.25)) {
            const double t2 = t * t, t4 = t2 * t2;
            pr.finiteRank = sigma * std::sqrt((1.0 + t2) * (c + t2)) / t;
            pr.overlapLeft = (t4 - c) / (t2 * (t2 + 1.0));
            pr.overlapRight = (t4 - c) / (t2 * (t2 + c));
        }
        const double lam = pr.theta * pr.theta / s2;
        // Separation from the bulk of S: h_b > 0 and psi_b' > 0 at lambda.
        double gb = 0.0, fb = 0.0;
        bool onBulk = false;
        for (const auto& [v, w] : bulkAtoms) {
            if (v == lam) {
                onBulk = true;
                break;
            }
            gb += w / (v - lam);
            fb += w / ((v - lam) * (v - lam));
        }
        const double hb = 1.0 - gb;
        pr.separation = onBulk || !(hb > 0.0) ? std::numeric_limits<double>::infinity()
                                              : fb * (2.0 * lam / hb + kappa / (hb * hb));
        if (pr.separation < 1.0) {
            // The mean of x over the group's component, by residues (docs/rectangular.md):
            // psi_-j(lambda) + w (h_-j(lambda) - lambda F_-j(lambda)).
            double g = 0.0, f = 0.0, own = 0.0;
            for (const auto& [v, w] : allAtoms) {
                if (v == lam) {
                    own += w;
                } else {
                    g += w / (v - lam);
                    f += w / ((v - lam) * (v - lam));
                }
            }
            const double h = 1.0 - g;
            const double xbar = s2 * (lam * h * h + kappa * h + own * (h - lam * f));
            if (std::isfinite(xbar) && xbar >= 0.0) {
                pr.largeRankSquared = xbar;
                pr.largeRank = std::sqrt(xbar);
            }
        }
        for (std::size_t q = j; q < e; ++q)
            out[q] = pr;
        j = e;
    }
    return out;
}

namespace {

// The classical locations of interval iv in singular units: the (i - 1/2)/count quantiles of
// the density curve's nodes inside it (trapezoids; the curve has its own nodes per component).
std::vector<double> classicalLocations(const Curve& singular, const RectSupportInterval& iv)
{
    const double ya = std::sqrt(iv.a), yb = std::sqrt(iv.b);
    std::vector<double> y, cum;
    for (std::size_t i = 0; i < singular.x.size(); ++i) {
        const double x = singular.x[i];
        if (!(x >= ya && x <= yb))
            continue;
        const double g = singular.y[i];
        cum.push_back(cum.empty() ? 0.0
                                  : cum.back() + 0.5 * (g + singular.y[i - 1]) * (x - y.back()));
        y.push_back(x);
    }
    std::vector<double> loc;
    if (iv.count < 1)
        return loc;
    for (int i = 0; i < iv.count; ++i) {
        const double q = (i + 0.5) / iv.count * (cum.empty() ? 0.0 : cum.back());
        const auto it = std::lower_bound(cum.begin(), cum.end(), q);
        if (it == cum.begin() || it == cum.end() || !(cum.back() > 0.0)) {
            // No usable nodes (a point interval): evenly across it.
            loc.push_back(std::lerp(ya, yb, (i + 0.5) / iv.count));
            continue;
        }
        const std::size_t r = static_cast<std::size_t>(it - cum.begin());
        const double t = cum[r] > cum[r - 1] ? (q - cum[r - 1]) / (cum[r] - cum[r - 1]) : 0.5;
        loc.push_back(std::lerp(y[r - 1], y[r], t));
    }
    return loc;
}

// Population sd of y over interval iv of the density curve (trapezoids on its nodes).
double curveSpread(const Curve& singular, const RectSupportInterval& iv)
{
    const double ya = std::sqrt(iv.a), yb = std::sqrt(iv.b);
    double m0 = 0.0, m1 = 0.0, m2 = 0.0;
    bool have = false;
    for (std::size_t i = 1; i < singular.x.size(); ++i) {
        const double x0 = singular.x[i - 1], x1 = singular.x[i];
        if (!(x0 >= ya && x1 <= yb))
            continue;
        const double w0 = 0.5 * singular.y[i - 1] * (x1 - x0), w1 = 0.5 * singular.y[i] * (x1 - x0);
        m0 += w0 + w1;
        m1 += w0 * x0 + w1 * x1;
        m2 += w0 * x0 * x0 + w1 * x1 * x1;
        have = true;
    }
    if (!have || !(m0 > 0.0))
        return 0.0;
    const double mu = m1 / m0;
    return std::sqrt(std::max(0.0, m2 / m0 - mu * mu));
}

// The square model's labels (theory.h) on the rectangular support, its claims (window.h, every
// window edgeMargin) and each spike's interval, rank and absorption: what observeRectSpectrum
// needs to apply the square model's rule.
void labelIntervals(RectTheory& th, const RectModel& m, const std::vector<Atom>& atoms)
{
    auto& sup = th.equivalent.support;
    const std::size_t mainIdx = th.equivalent.mainBulk;
    std::vector<double> bulkSq;
    for (double v : rectBulkValues(m)) // ascending
        bulkSq.push_back(v * v);
    std::vector<SupportInterval> claims(sup.size());
    for (std::size_t k = 0; k < sup.size(); ++k) {
        RectSupportInterval& iv = sup[k];
        const auto b = std::lower_bound(bulkSq.begin(), bulkSq.end(), atoms[iv.firstAtom].value);
        const bool holdsBulk = b != bulkSq.end() && *b <= atoms[iv.lastAtom].value;
        // The main component stays bulk even without a bulk value (r = p): its spikes have
        // no outlier, as its predictions say.
        iv.kind = holdsBulk || k == mainIdx ? IntervalKind::Bulk : IntervalKind::Cluster;
        iv.count = static_cast<int>(std::lround(iv.mass * th.p));
        iv.spikes = 0;
        claims[k].a = std::sqrt(iv.a);
        claims[k].b = std::sqrt(iv.b);
        // Small intervals (an isolated outlier): their values fluctuate by about the square
        // model's sdMean, sqrt(2/beta) spread / count for one atom (close to the observed sd here
        // too: 0.0141 against 0.0149 at spike 5 of the review's case), more than edgeMargin
        // (the Tracy-Widom scale of the MP edge). The floor 3.29 sdMean as in window.h.
        double window = th.edgeMargin;
        if (iv.count >= 1 && iv.count <= 16) {
            const double beta = m.noise.isComplex() ? 2.0 : 1.0;
            const double sd =
                std::sqrt(2.0 / beta) * curveSpread(th.equivalent.singular, iv) / iv.count;
            window = std::max(window, kGaussianQuantile * sd);
        }
        claims[k].lo.window = claims[k].hi.window = window;
    }
    setClaims(claims);
    for (std::size_t k = 0; k < sup.size(); ++k) {
        sup[k].claimLo = claims[k].claimLo;
        sup[k].claimHi = claims[k].claimHi;
    }

    const RectSupportInterval& main = sup[mainIdx];
    std::vector<int> below(sup.size(), 0); // per cluster: values of the spikes seen so far
    // Predictions are in descending theta; ranks count from the lowest value of a cluster.
    for (auto it = th.outliers.rbegin(); it != th.outliers.rend(); ++it) {
        RectOutlierPrediction& pr = *it;
        const double lam = pr.theta * pr.theta;
        const auto idx = static_cast<std::size_t>(
            std::lower_bound(atoms.begin(), atoms.end(), lam,
                             [](const Atom& a, double v) { return a.value < v; }) -
            atoms.begin());
        pr.inMainBulk = idx >= main.firstAtom && idx <= main.lastAtom;
        pr.side = idx < main.firstAtom ? -1 : (idx > main.lastAtom ? 1 : 0);
        std::size_t k = 0;
        while (k + 1 < sup.size() && idx > sup[k].lastAtom)
            ++k;
        pr.interval = k;
        ++sup[k].spikes;
        pr.absorbed = sup[k].kind == IntervalKind::Bulk;
        if (pr.absorbed) {
            pr.largeRank.reset();
            pr.largeRankSquared.reset();
        }
        // Equal spikes (consecutive) share the first rank of their group.
        const auto next = it + 1;
        const bool groupStart = it == th.outliers.rbegin() || (it - 1)->theta != pr.theta;
        pr.rank = groupStart ? below[k] : (it - 1)->rank;
        if (next == th.outliers.rend() || next->theta != pr.theta)
            below[k] = pr.rank + pr.multiplicity;
    }
    for (RectSupportInterval& iv : sup)
        if (iv.kind == IntervalKind::Cluster && iv.lastAtom > iv.firstAtom)
            iv.locations = classicalLocations(th.equivalent.singular, iv);
    // A group sharing its cluster with other distinct spikes: its residue x_j is the mean over
    // its own component only when it has one, so (as the square model, theory.h) the prediction
    // is the mean of the classical locations of its ranks. E.g. 37 spikes from 1.01 down to 0.33
    // below a bulk of S on [1.92, 3.87] form one cluster: x_j put the lowest at 0.08 (outside the
    // cluster [0.36, 0.87]); observed 0.38.
    for (RectOutlierPrediction& pr : th.outliers) {
        if (pr.absorbed || pr.interval >= sup.size() || sup[pr.interval].locations.empty())
            continue;
        const std::vector<double>& loc = sup[pr.interval].locations;
        pr.largeRank = meanOverRanks(loc, pr.rank, pr.multiplicity);
        pr.largeRankSquared =
            meanOverRanks(loc, pr.rank, pr.multiplicity, [](double x) { return x * x; });
    }
}

} // namespace

RectTheory computeRectTheory(const RectModel& m, int points)
{
    validate(m);
    RectTheory th;
    th.p = m.minDim();
    th.c = m.ratio();
    const CanonModel cm = canonOf(m);
    const std::vector<double> singular = signalSingularValues(m); // descending
    // The theory works with squared singular values (and sigma^2 (1 + sqrt c)^2): refuse what
    // would overflow there, naming the value, rather than fail inside.
    const double edge = m.sigma * (1.0 + std::sqrt(th.c));
    if (!std::isfinite(edge * edge))
        throw InputError("sigma", "must be below about 1e154 / (1 + sqrt c) here (the theory "
                                  "squares the singular values), got " +
                                      formatDouble(m.sigma));
    if (!singular.empty() && !std::isfinite(singular.front() * singular.front() + edge * edge)) {
        const std::vector<double> spikes = rectSpikeValues(m); // descending
        const bool spike = !spikes.empty() && spikes.front() == singular.front();
        throw InputError(spike ? "spikes" : "bulk",
                         "singular values of S up to " + formatDouble(singular.front()) +
                             " are beyond what the theory can square (about 1e154); use smaller "
                             "values");
    }
    const std::vector<Atom> atoms = squaredAtoms(singular);
    th.equivalent = rectDeterministicEquivalent(atoms, cm.sigmaE, cm.cE, points);
    const auto& sup = th.equivalent.support;
    for (const auto& iv : sup)
        if (!std::isfinite(iv.a) || !std::isfinite(iv.b))
            throw InputError("sigma/spikes", "the spectrum reaches beyond the range of double "
                                             "precision numbers; use smaller values");
    if (!allFinite(th.equivalent.squared) || !allFinite(th.equivalent.singular))
        throw InputError("sigma", "the densities exceed the range of double precision numbers");
    const RectSupportInterval& main = sup[th.equivalent.mainBulk];
    th.mainBulkLo = std::sqrt(main.a);
    th.mainBulkHi = std::sqrt(main.b);
    // Johnstone's scale of the largest singular value: (sigma/2) (1 + c^(-1/2))^(1/3) N^(-2/3).
    th.edgeMargin = edgeWindow(0.5 * m.sigma, m.n, std::cbrt(1.0 + 1.0 / std::sqrt(th.c)));

    th.outliers = predictRectOutliers(m);
    labelIntervals(th, m, atoms);

    th.mpSingularEdges = mpEdgesSingular(m.sigma, th.c);
    th.mpSquaredEdges = mpEdgesSquared(m.sigma, th.c);
    double lo = std::min(th.mpSingularEdges.lo, std::sqrt(sup.front().a));
    double hi = std::max(th.mpSingularEdges.hi, std::sqrt(sup.back().b));
    for (const auto& pr : th.outliers)
        for (const auto& v : {pr.finiteRank, pr.largeRank})
            if (v) {
                lo = std::min(lo, *v);
                hi = std::max(hi, *v);
            }
    const double margin = 0.05 * (hi - lo);
    lo = std::max(0.0, lo - margin);
    hi += margin;
    const int n = std::max(points, 2);
    for (int i = 0; i < n; ++i) {
        const double y = std::lerp(lo, hi, static_cast<double>(i) / (n - 1));
        th.mpSingular.x.push_back(y);
        th.mpSingular.y.push_back(mpDensitySingular(m.sigma, th.c, y));
        const double x = std::lerp(lo * lo, hi * hi, static_cast<double>(i) / (n - 1));
        th.mpSquared.x.push_back(x);
        th.mpSquared.y.push_back(mpDensitySquared(m.sigma, th.c, x));
    }
    if (!allFinite(th.mpSingular) || !allFinite(th.mpSquared))
        throw InputError("sigma", "the densities exceed the range of double precision numbers");
    return th;
}

} // namespace ws::core
