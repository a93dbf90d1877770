#pragma once
// The sums over weighted atoms behind Biane's method (theory.h), shared by the files of
// core/theory: the atoms as arrays, one thread's evaluator of F, tau = (v/sigma)^2 and psi in a
// local frame, exactly or with the far field of far_field.h. Internal to ws_core.

#include "core/theory/far_field.h"
#include "core/theory/theory.h"
#include "core/util/parallel_for.h"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <memory>
#include <numbers>
#include <numeric>
#include <vector>

namespace ws::core::biane_detail {

constexpr double kPi = std::numbers::pi;
constexpr double kEps = std::numeric_limits<double>::epsilon();

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
    AtomData(const AtomData&) = delete; // the far field refers to s and w
    AtomData& operator=(const AtomData&) = delete;

    // Builds the far field (far_field.h) where it pays: AtomSums then costs O(nearby atoms) per
    // evaluation instead of O(atoms), to within the expansions' 1e-15 relative.
    void useFarField()
    {
        far = std::make_unique<FarField>(s, w, sigma);
        if (!far->ok())
            far.reset();
    }

    Eigen::ArrayXd s, w;
    double sigma;
    double invSigma; // multiplying is cheaper than dividing; not finite for a subnormal sigma
    bool invSigmaOk;
    std::unique_ptr<FarField> far; // null: exact sums
};

// The sums over weighted atoms that Biane's method needs (one division per atom and pass).
// Everything is in units of sigma (sigma = 1 below) in a local frame u = anchor + sigma * t:
// the atoms sit at c = (s - anchor) / sigma (clamped to +-kFar), and t is an offset. Anchored at
// an atom near the point of interest, t - c is accurate to a few ulps of t even when |s| / sigma
// is 1e300 (where u - s in absolute terms would not resolve sigma at all). psi is returned in
// the frame too: x = anchor + sigma * psi (toX).
// With a far field (AtomData::useFarField) each evaluation at t sums the atoms near t's cell
// directly and adds the cell's local expansion of the others; the cell is a function of t alone
// (never of earlier calls), so results do not depend on the order of calls or the thread count.
// Holds the frame and scratch buffers: one instance per thread.
class AtomSums
{
public:
    explicit AtomSums(const AtomData& data)
        : m_n(data.s.size()), m_sigma(data.sigma), m_invSigma(data.invSigma),
          m_invSigmaOk(data.invSigmaOk), m_s(data.s), m_w(data.w), m_far(data.far.get())
    {
        if (!m_far)
            allocateExact();
        setFrame(0.0);
    }

    void setFrame(double anchor)
    {
        m_anchor = anchor;
        m_cell = -1;
        m_cValid = false;
        if (!m_far)
            computeFrame();
    }
    double anchor() const { return m_anchor; }
    double toX(double psi) const { return m_anchor + m_sigma * psi; }

    Eigen::Index size() const { return m_n; }
    double c(Eigen::Index i) const
    {
        if (m_cValid)
            return m_c[i];
        // As computeFrame() does it (the far field requires a finite 1/sigma).
        return std::clamp((m_s[i] - m_anchor) * m_invSigma, -kFar, kFar);
    }
    double w(Eigen::Index i) const { return m_w[i]; }

    // F(t) = sum w/(t-c)^2 (= f(u, 0) of the header, times sigma^2), F'(t) and F''(t).
    struct Poles
    {
        double f = 0.0, df = 0.0, d2f = 0.0;
    };
    Poles poles(double t, bool second) const
    {
        const View x = view(t);
        x.a = (t - x.c).inverse();
        x.b = x.w * x.a.square();
        Poles p;
        p.f = x.b.sum();
        p.df = -2.0 * (x.b * x.a).sum();
        if (second)
            p.d2f = 6.0 * (x.b * x.a.square()).sum();
        if (x.cell) {
            const FarReal r = evalLocalReal(*x.cell, t - x.h0);
            p.f += r.f;
            p.df += r.df;
            if (second)
                p.d2f += r.d2f;
        }
        return p;
    }

    // tau = (v(u)/sigma)^2: the root of g(tau) = sum w/((t-c)^2 + tau) = 1, 0 if g(0) <= 1.
    // Newton on H(tau) = 1/g(tau) = 1: H is concave increasing (a weighted harmonic mean of
    // affine functions of tau), so Newton started left of the root climbs monotonically to it,
    // and one step from the right lands left of it. Safe start: tau >= w_a - (t - c_a)^2 for
    // every atom a (one term of g alone), finite even when t sits exactly on an atom. The root
    // is <= 1 (g(tau) <= 1/tau). `hint` (e.g. extrapolated from neighbouring t) may lie on
    // either side.
    // Also returns psi (in the frame), from the last Newton evaluation (its tau is within 1e-15
    // relative).
    struct Point
    {
        double t = 0.0, psi = 0.0; // t: tau = (v/sigma)^2
    };
    Point point(double t, double hint = 0.0) const
    {
        const View x = view(t);
        x.d = t - x.c;
        x.a = x.d.square();
        const double lower = std::max(0.0, (x.w - x.a).maxCoeff());
        if (x.cell)
            hint = std::min(hint, 1.0); // the expansion holds for tau <= 1, and so does the root
        double tau = std::max(lower, hint);
        bool fromGuess = tau > lower;
        FarTau far;
        for (int it = 0; it < 200; ++it) {
            x.b = (x.a + tau).inverse();
            double g = (x.w * x.b).sum();
            if (x.cell) {
                far = evalLocal(*x.cell, t - x.h0, tau);
                g += far.g;
            }
            if (tau == 0.0 && !(g > 1.0))
                break; // outside the support
            const double g2 = (x.w * x.b.square()).sum() + far.g2;
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
        return {tau, t + (x.w * x.d * x.b).sum() + far.re};
    }

    // psi at a support edge, where v = 0 and t is no atom.
    double psiEdge(double t) const
    {
        const View x = view(t);
        double psi = t + (x.w / (t - x.c)).sum();
        if (x.cell)
            psi += evalLocalReal(*x.cell, t - x.h0).g0;
        return psi;
    }

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
        double a = c(i), b = c(i + 1);
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
    // The atoms summed directly at t (all of them, or those near t's cell), their scratch, and
    // the cell whose local expansion adds the others (null: none).
    struct View
    {
        const Eigen::ArrayXd &c, &w;
        Eigen::ArrayXd &a, &b, &d;
        const FarField::Cell* cell;
        double h0; // the cell's centre in the frame
    };
    View view(double t) const
    {
        if (m_far) {
            const int k = m_far->cellOf(m_anchor, t, m_cell);
            if (k >= 0 && !m_far->cells()[static_cast<std::size_t>(k)].dense) {
                if (k != m_cell)
                    loadCell(k);
                return {m_nc, m_nw, m_na, m_nb, m_nd, &m_far->cells()[static_cast<std::size_t>(k)],
                        m_h0};
            }
            if (!m_cValid) { // outside every cell, or in a dense one: exact
                allocateExact();
                computeFrame();
            }
        }
        return {m_c, m_w, m_a, m_b, m_d, nullptr, 0.0};
    }
    void allocateExact() const
    {
        if (m_c.size() != m_n) {
            m_c.resize(m_n);
            m_a.resize(m_n);
            m_b.resize(m_n);
            m_d.resize(m_n);
        }
    }
    void computeFrame() const
    {
        // s - anchor may overflow to +-inf (|s| ~ 1e308): the clamp handles it; never NaN.
        if (m_invSigmaOk)
            m_c = ((m_s - m_anchor) * m_invSigma).max(-kFar).min(kFar);
        else
            m_c = ((m_s - m_anchor) / m_sigma).max(-kFar).min(kFar);
        m_cValid = true;
    }
    void loadCell(int k) const
    {
        const FarField::Cell& cell = m_far->cells()[static_cast<std::size_t>(k)];
        Eigen::Index nn = 0;
        for (const auto& [b, e] : cell.near)
            nn += e - b;
        m_nc.resize(nn);
        m_nw.resize(nn);
        m_na.resize(nn);
        m_nb.resize(nn);
        m_nd.resize(nn);
        Eigen::Index o = 0;
        for (const auto& [b, e] : cell.near) {
            m_nc.segment(o, e - b) = (m_s.segment(b, e - b) - m_anchor) * m_invSigma;
            m_nw.segment(o, e - b) = m_w.segment(b, e - b);
            o += e - b;
        }
        m_h0 = (m_s[cell.centre] - m_anchor) * m_invSigma + cell.offset;
        m_cell = k;
    }

    Eigen::Index m_n;
    double m_sigma, m_invSigma;
    bool m_invSigmaOk;
    const Eigen::ArrayXd& m_s;
    const Eigen::ArrayXd& m_w;
    const FarField* m_far;
    double m_anchor = 0.0;
    // Exact sums: the frame (all atoms) and scratch; computed lazily with a far field.
    mutable Eigen::ArrayXd m_c, m_a, m_b, m_d;
    mutable bool m_cValid = false;
    // Far field: the loaded cell, its near atoms in the frame, their weights, scratch.
    mutable int m_cell = -1;
    mutable double m_h0 = 0.0;
    mutable Eigen::ArrayXd m_nc, m_nw, m_na, m_nb, m_nd;
};

} // namespace ws::core::biane_detail
