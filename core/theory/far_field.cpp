// The far field of the atoms: tree, cells, local expansions (see far_field.h).
#include "core/theory/far_field.h"

#include <algorithm>
#include <cmath>
#include <memory>

namespace ws::core::biane_detail {

using Eigen::Index;

namespace {

constexpr std::size_t kTerms = FarField::kOrder + 1;

// Offsets beyond this (units of sigma) would be clamped by AtomSums: no far field then.
constexpr double kMaxSpan = 1e150;

} // namespace

FarField::FarField(const Eigen::ArrayXd& s, const Eigen::ArrayXd& w, double sigma, Use use)
    : m_s(s), m_w(w), m_sigma(sigma), m_invSigma(1.0 / sigma)
{
    const Index n = s.size();
    const bool cells = use == Use::Cells;
    if (n < (cells ? kMinAtoms : kMinTreeAtoms) || !std::isfinite(m_invSigma))
        return;
    const double span = (s[n - 1] - s[0]) * m_invSigma;
    // Every query of a cell lies within 1 (sigma) of the real axis and a far node is >= 1/kEta
    // away: a span below 2/kEta has no far node at all.
    if (!std::isfinite(span) || span > kMaxSpan || (cells && span < 2.0 / kEta))
        return;
    m_nodes.reserve(static_cast<std::size_t>(4 * (n / kLeaf + 1)));
    build(0, n, cells);
    // The cells' near lists first (cheap): a cell whose near atoms exceed half of all is
    // dense (a bulk that is dense on the scale of sigma): its queries take the exact sums. Give
    // up if every cell is.
    const Index limit = n / 2;
    bool anyLight = false;
    for (Cell& cell : m_cells) {
        gatherFar(cell, 0, limit);
        cell.dense = cell.nearCount > limit;
        anyLight = anyLight || !cell.dense;
    }
    if (cells && !anyLight) {
        m_cells.clear();
        m_nodes.clear();
        return;
    }
    // Moments of every node about its centre atom, scaled by its radius (no overflow).
    // Vectorized over the atoms, one power at a time.
    Eigen::ArrayXd x(n), p(n);
    for (Node& node : m_nodes) {
        node.moments.assign(kTerms, 0.0);
        const Index len = node.end - node.begin;
        auto xs = x.head(len);
        auto ps = p.head(len);
        xs = (s.segment(node.begin, len) - s[node.centre]) * (m_invSigma / node.scale);
        ps = w.segment(node.begin, len);
        for (std::size_t j = 0; j < kTerms; ++j) {
            node.moments[j] = ps.sum();
            ps *= xs;
        }
    }
    m_binom.assign(kTerms * kTerms, 0.0);
    for (std::size_t i = 0; i < kTerms; ++i) {
        m_binom[i * kTerms] = 1.0;
        for (std::size_t k = 1; k <= i; ++k)
            m_binom[i * kTerms + k] =
                m_binom[(i - 1) * kTerms + k - 1] + (k < i ? m_binom[(i - 1) * kTerms + k] : 0.0);
    }
    for (Cell& cell : m_cells) {
        cell.near.clear();
        cell.nearCount = 0;
        if (cell.dense)
            continue;
        cell.local.assign(kTerms, 0.0);
        gatherFar(cell, 0, n);
    }
    m_ok = true;
}

int FarField::build(Index begin, Index end, bool cells)
{
    const int id = static_cast<int>(m_nodes.size());
    m_nodes.emplace_back();
    {
        Node& node = m_nodes.back();
        node.begin = begin;
        node.end = end;
        node.centre = begin + (end - begin - 1) / 2;
        node.radius =
            std::max(m_s[end - 1] - m_s[node.centre], m_s[node.centre] - m_s[begin]) * m_invSigma;
        node.scale = node.radius > 0.0 ? node.radius : 1.0;
    }
    if (end - begin <= kLeaf) {
        if (!cells)
            return id;
        const Index centre = m_nodes[static_cast<std::size_t>(id)].centre;
        const Index n = m_s.size();
        auto rel = [&](Index a) { return (m_s[a] - m_s[centre]) * m_invSigma; };
        Cell cell;
        cell.centre = centre;
        // Half way to the neighbouring atoms; 1 sigma beyond the extreme ones (the outer edges
        // of the support lie within 1 sigma of them).
        cell.lo = begin == 0 ? rel(0) - 1.0 : 0.5 * (rel(begin - 1) + rel(begin));
        cell.hi = end == n ? rel(n - 1) + 1.0 : 0.5 * (rel(end - 1) + rel(end));
        cell.offset = 0.5 * (cell.lo + cell.hi);
        const double half = 0.5 * (cell.hi - cell.lo);
        cell.rho = std::sqrt(half * half + 1.0); // |z - x0| with v <= 1
        m_cells.push_back(std::move(cell));
        return id;
    }
    const Index mid = begin + (end - begin) / 2;
    const int left = build(begin, mid, cells);
    const int right = build(mid, end, cells);
    m_nodes[static_cast<std::size_t>(id)].left = left;
    m_nodes[static_cast<std::size_t>(id)].right = right;
    return id;
}

void FarField::gatherFar(Cell& cell, int id, Index limit) const
{
    if (cell.nearCount > limit)
        return; // dense: no need to go on
    const Node& node = m_nodes[static_cast<std::size_t>(id)];
    const double d = (m_s[node.centre] - m_s[cell.centre]) * m_invSigma - cell.offset;
    if (cell.rho + node.radius <= kEta * std::abs(d)) {
        if (cell.local.empty())
            return; // first pass: only the near lists
        // Multipole to local: L_l = -sum_j C(l+j, j) (-1)^j M_j / d^(l+j+1), scaled by
        // rho^l and node.scale^j, truncated at l + j <= kOrder.
        double a[kTerms];
        const double q = -node.scale / d;
        double p = 1.0;
        for (std::size_t j = 0; j < kTerms; ++j, p *= q)
            a[j] = node.moments[j] * p;
        const double r = cell.rho / d;
        double b = -1.0 / d;
        for (std::size_t l = 0; l < kTerms; ++l, b *= r) {
            double acc = 0.0;
            for (std::size_t j = 0; j + l < kTerms; ++j)
                acc += m_binom[(l + j) * kTerms + j] * a[j];
            cell.local[l] += b * acc;
        }
        return;
    }
    if (node.left < 0) {
        cell.nearCount += node.end - node.begin;
        if (!cell.near.empty() && cell.near.back().second == node.begin)
            cell.near.back().second = node.end;
        else
            cell.near.emplace_back(node.begin, node.end);
        return;
    }
    gatherFar(cell, node.left, limit);
    gatherFar(cell, node.right, limit);
}

// The query relative to cell k's centre atom; whether the cell ends below it; whether it
// reaches down to it. Cells meet at shared boundaries computed from different centres: a
// rounding slack (the expansions converge far beyond the cell).
double FarField::posIn(std::size_t k, double anchor, double t) const
{
    return t - (m_s[m_cells[k].centre] - anchor) * m_invSigma;
}
bool FarField::below(std::size_t k, double anchor, double t) const
{
    return m_cells[k].hi < posIn(k, anchor, t);
}
bool FarField::reaches(std::size_t k, double anchor, double t) const
{
    const double lo = m_cells[k].lo;
    return posIn(k, anchor, t) >= lo - 1e-9 * (1.0 + std::abs(lo));
}

int FarField::cellOf(double anchor, double t, int cached) const
{
    if (!m_ok)
        return -1;
    // The first cell not below the query (cells ascend), if it reaches down to it.
    if (cached >= 0) {
        const auto k = static_cast<std::size_t>(cached);
        if (!below(k, anchor, t) && (k == 0 || below(k - 1, anchor, t)))
            return reaches(k, anchor, t) ? cached : -1;
    }
    std::size_t lo = 0, hi = m_cells.size();
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (below(mid, anchor, t))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == m_cells.size() || !reaches(lo, anchor, t))
        return -1;
    return static_cast<int>(lo);
}

void FarField::realSums(double anchor, double t, Index skip, double* s1, double* s2) const
{
    *s1 = *s2 = 0.0;
    const int k = cellOf(anchor, t);
    if (k < 0 || m_cells[static_cast<std::size_t>(k)].dense) {
        addTreeSums(0, anchor, t, skip, skip + 1, s1, s2, nullptr);
        return;
    }
    const Cell& cell = m_cells[static_cast<std::size_t>(k)];
    for (const auto& [b, e] : cell.near)
        for (Index a = b; a < e; ++a) {
            if (a == skip)
                continue;
            const double q = 1.0 / (t - (m_s[a] - anchor) * m_invSigma);
            *s1 += m_w[a] * q;
            *s2 += m_w[a] * q * q;
        }
    const FarReal f =
        evalLocalReal(cell, t - (m_s[cell.centre] - anchor) * m_invSigma - cell.offset);
    *s1 += f.g0;
    *s2 += f.f;
}

void FarField::addTreeSums(int id, double anchor, double t, Index from, Index to, double* s1,
                           double* s2, std::size_t* work) const
{
    const Node& node = m_nodes[static_cast<std::size_t>(id)];
    if (node.begin >= from && node.end <= to)
        return;
    const double e = t - (m_s[node.centre] - anchor) * m_invSigma;
    const bool holdsSkip = from < node.end && to > node.begin;
    if (!holdsSkip && node.radius <= kEta * std::abs(e)) {
        // 1/(e - x) = sum_j x^j / e^(j+1) and 1/(e - x)^2 = sum_j (j+1) x^j / e^(j+2).
        const double q = node.scale / e;
        double p = 1.0, g = 0.0, f = 0.0;
        for (std::size_t j = 0; j < kTerms; ++j, p *= q) {
            g += node.moments[j] * p;
            f += static_cast<double>(j + 1) * node.moments[j] * p;
        }
        *s1 += g / e;
        *s2 += f / (e * e);
        if (work)
            *work += kTerms;
        return;
    }
    if (node.left < 0) {
        for (Index a = node.begin; a < node.end; ++a) {
            if (a >= from && a < to)
                continue;
            const double q = 1.0 / (t - (m_s[a] - anchor) * m_invSigma);
            *s1 += m_w[a] * q;
            *s2 += m_w[a] * q * q;
        }
        if (work)
            *work += static_cast<std::size_t>(node.end - node.begin);
        return;
    }
    addTreeSums(node.left, anchor, t, from, to, s1, s2, work);
    addTreeSums(node.right, anchor, t, from, to, s1, s2, work);
}

void FarField::outsideSums(Index at, Index from, Index to, double* s1, double* s2,
                           std::size_t* work) const
{
    *s1 = *s2 = 0.0;
    addTreeSums(0, m_s[at], 0.0, from, to, s1, s2, work);
}

// The range [from, to) as outsideSquares needs it: its atoms relative to its centre atom
// (units of sigma), its radius, and (more atoms than terms) its multipole moments or (over
// kInsideTree atoms) a tree of its own.
struct FarField::Range
{
    Index from = 0, to = 0, centre = 0;
    double radius = 0.0, scale = 1.0;
    Eigen::ArrayXd x, w;         // offsets from s[centre], weights
    std::vector<double> moments; // sum w (x / scale)^k, k <= kOrder (more atoms than terms)
    Eigen::ArrayXd is;           // the atoms' values, for `inside`
    std::unique_ptr<FarField> inside;
};

double FarField::outsideSquares(Index from, Index to, std::size_t* work) const
{
    Range r;
    r.from = from;
    r.to = to;
    const Index n = to - from;
    r.centre = from + (n - 1) / 2;
    r.radius = std::max(m_s[to - 1] - m_s[r.centre], m_s[r.centre] - m_s[from]) * m_invSigma;
    r.scale = r.radius > 0.0 ? r.radius : 1.0;
    r.x = (m_s.segment(from, n) - m_s[r.centre]) * m_invSigma;
    r.w = m_w.segment(from, n);
    if (n > static_cast<Index>(kTerms)) {
        r.moments.assign(kTerms, 0.0);
        Eigen::ArrayXd p = r.w;
        const Eigen::ArrayXd xs = r.x / r.scale;
        for (std::size_t j = 0; j < kTerms; ++j) {
            r.moments[j] = p.sum();
            p *= xs;
        }
        if (work)
            *work += kTerms * static_cast<std::size_t>(n);
    }
    if (n > kInsideTree) {
        r.is = m_s.segment(from, n);
        r.inside = std::make_unique<FarField>(r.is, r.w, m_sigma, Use::Tree);
        if (!r.inside->ok())
            r.inside.reset();
    }
    return addSquares(0, r, work);
}

double FarField::addSquares(int id, const Range& r, std::size_t* work) const
{
    const Node& node = m_nodes[static_cast<std::size_t>(id)];
    if (node.begin >= r.from && node.end <= r.to)
        return 0.0;
    const bool overlaps = r.from < node.end && r.to > node.begin;
    // The range's centre relative to the node's (units of sigma).
    const double dc = (m_s[r.centre] - m_s[node.centre]) * m_invSigma;
    if (!overlaps && r.radius + node.radius <= kEtaSquares * std::abs(dc)) {
        // P(y) = sum_a w_a / (d_a - y), d_a = dc + x_a, y = node.scale * u: P = sum_n p_n u^n,
        // P^2 = sum_n q_n u^n, and sum_e w_e P(y_e)^2 = sum_n q_n moments_n.
        double p[kTerms] = {}, q[kTerms] = {};
        const Index n = r.to - r.from;
        if (n <= 4) {
            // Few atoms: q_n from the pairs, sum_{a, b} c_a c_b sum_j t_a^j t_b^(n-j) with
            // c = w/d and t = scale/d (cheaper than the convolution below).
            for (Index a = 0; a < n; ++a) {
                const double da = dc + r.x[a], ca = r.w[a] / da, ta = node.scale / da;
                for (Index b = a; b < n; ++b) {
                    const double db = dc + r.x[b], cb = r.w[b] / db, tb = node.scale / db;
                    const double c = (a == b ? 1.0 : 2.0) * ca * cb;
                    double h = 1.0, pa = 1.0; // h_n = t_b h_(n-1) + t_a^n
                    for (std::size_t j = 0; j < kTerms; ++j) {
                        q[j] += c * h;
                        pa *= ta;
                        h = tb * h + pa;
                    }
                }
            }
        } else {
            if (r.moments.empty()) {
                for (Index a = 0; a < n; ++a) {
                    const double da = dc + r.x[a], ta = node.scale / da;
                    double c = r.w[a] / da;
                    for (std::size_t j = 0; j < kTerms; ++j, c *= ta)
                        p[j] += c;
                }
            } else {
                // From the multipole moments M_k: 1/(dc + x - y) = (1/dc) sum_(j,k) C(j+k, k)
                // (y/dc)^j (-x/dc)^k, truncated at j + k <= kOrder.
                double a[kTerms];
                const double qk = -r.scale / dc;
                double pk = 1.0;
                for (std::size_t k = 0; k < kTerms; ++k, pk *= qk)
                    a[k] = r.moments[k] * pk;
                const double ratio = node.scale / dc;
                double b = 1.0 / dc;
                for (std::size_t j = 0; j < kTerms; ++j, b *= ratio) {
                    double acc = 0.0;
                    for (std::size_t k = 0; j + k < kTerms; ++k)
                        acc += m_binom[(j + k) * kTerms + k] * a[k];
                    p[j] = b * acc;
                }
            }
            for (std::size_t i = 0; 2 * i < kTerms; ++i) {
                q[2 * i] += p[i] * p[i];
                for (std::size_t j = i + 1; i + j < kTerms; ++j)
                    q[i + j] += 2.0 * p[i] * p[j];
            }
        }
        double sum = 0.0;
        for (std::size_t j = 0; j < kTerms; ++j)
            sum += q[j] * node.moments[j];
        if (work)
            *work += kTerms;
        return sum;
    }
    if (node.left < 0) {
        double sum = 0.0;
        for (Index e = node.begin; e < node.end; ++e) {
            if (e >= r.from && e < r.to)
                continue;
            double pe = 0.0;
            if (r.inside) {
                double d = 0.0;
                r.inside->addTreeSums(0, m_s[e], 0.0, 0, 0, &pe, &d, work);
                pe = -pe; // sum w_a / (c_a - c_e)
            } else {
                const double ce = (m_s[e] - m_s[r.centre]) * m_invSigma;
                pe = (r.w / (r.x - ce)).sum();
                if (work)
                    *work += static_cast<std::size_t>(r.to - r.from);
            }
            sum += m_w[e] * pe * pe;
        }
        return sum;
    }
    return addSquares(node.left, r, work) + addSquares(node.right, r, work);
}

FarTau evalLocal(const FarField::Cell& cell, double h, double tau)
{
    // (z - x0)/rho = x + i y with x = h/rho, y^2 = tau/rho^2; (x + i y)^l = A_l + i y B_l, and
    // A', B' their derivatives in y^2 (polynomials: no division by v, exact as v -> 0).
    const double x = h / cell.rho, yy = tau / (cell.rho * cell.rho);
    double a = 1.0, b = 0.0, da = 0.0, db = 0.0;
    double sg = 0.0, sg2 = 0.0, re = 0.0;
    for (std::size_t l = 0; l < kTerms; ++l) {
        const double c = cell.local[l];
        re += c * a;
        sg += c * b;
        sg2 += c * db;
        const double na = x * a - yy * b, nb = x * b + a;
        const double nda = x * da - b - yy * db, ndb = x * db + da;
        a = na;
        b = nb;
        da = nda;
        db = ndb;
    }
    const double r = cell.rho;
    return {-sg / r, sg2 / (r * r * r), re};
}

FarReal evalLocalReal(const FarField::Cell& cell, double h)
{
    // Horner for p(x) = sum L_l x^l, p', p''/2 and p'''/6 at x = h/rho.
    const double x = h / cell.rho;
    double p0 = 0.0, p1 = 0.0, p2 = 0.0, p3 = 0.0;
    for (std::size_t l = kTerms; l-- > 0;) {
        p3 = p3 * x + p2;
        p2 = p2 * x + p1;
        p1 = p1 * x + p0;
        p0 = p0 * x + cell.local[l];
    }
    const double r = cell.rho;
    return {p0, -p1 / r, -2.0 * p2 / (r * r), -6.0 * p3 / (r * r * r)};
}

} // namespace ws::core::biane_detail
