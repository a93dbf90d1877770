#pragma once
// The far field of the atoms for Biane's sums (atom_sums.h), so that one evaluation costs
// O(nearby atoms + kOrder) instead of O(atoms) (docs/model.md#numerics-of-the-theory).
//
// Every sum Biane's method needs is a function of the complex point z = t + i v (units of
// sigma, v = sqrt(tau) <= 1 at every Newton iterate) through G(z) = sum_a w_a / (z - c_a):
//   sum w/((t-c)^2 + tau) = -Im G / v,  sum w (t-c)/((t-c)^2 + tau) = Re G,
//   sum w/((t-c)^2 + tau)^2 = -d/dtau of the first,  sum w/(t-c)^k = derivatives of G on the axis.
// The atoms (sorted) are split by index into a binary tree with leaves of <= kLeaf atoms. Each
// leaf owns a cell: the u-range from half way to the previous atom to half way to the next
// (1 sigma beyond the extreme atoms, where the outer edges lie). For a cell of centre x0 and
// half-width R every query z lies in the disc |z - x0| <= rho = sqrt(R^2 + 1). A node Y of the
// tree (centre c_Y, radius r_Y) is far from the cell if rho + r_Y <= kEta |c_Y - x0|; far nodes
// enter through a local Taylor expansion of G about x0 (multipole-to-local, truncated at total
// order kOrder), the others (leaves, contiguous or not) are summed directly. With kEta = 0.4 and
// kOrder = 40 the dropped terms are below kEta^(kOrder+1) / (1 - kEta)^2 < 1e-15 of the far
// nodes' sum of |terms| (each kernel's terms, e.g. sum w/|z-c|^2 for the positive sums), well
// below the 1e-15 relative tolerance of the Newton iterations. Queries outside every cell
// (the out-of-range sums of predictOutliers) use the multipole expansions directly (a
// Barnes-Hut traversal with the same criterion).
// Everything is relative to atoms (centres are atom values plus offsets in units of sigma), so
// a cluster far from 0 keeps its digits. Built only where it pays (worthwhile()): results are
// deterministic and independent of the thread count. Internal to ws_core.

#include <Eigen/Core>

#include <cstddef>
#include <utility>
#include <vector>

namespace ws::core::biane_detail {

class FarField
{
public:
    static constexpr int kLeaf = 16;
    static constexpr int kOrder = 40;
    static constexpr double kEta = 0.4;
    // Below this many atoms the exact O(atoms) sums are as fast (cells; tree only).
    static constexpr Eigen::Index kMinAtoms = 1024;
    static constexpr Eigen::Index kMinTreeAtoms = 256;

    // Cells: the tree and the leaves' cells (AtomSums). Tree: only the tree, for realSums at
    // arbitrary points (Barnes-Hut), when the queries are not the atoms' own neighbourhoods.
    enum class Use { Cells, Tree };
    // s ascending, w > 0, sigma > 0; the arrays must outlive the FarField.
    FarField(const Eigen::ArrayXd& s, const Eigen::ArrayXd& w, double sigma, Use use = Use::Cells);
    // Whether the structure was built: enough atoms, values within 1e150 sigma of each other
    // (no clamped offsets), and (cells) some cell is not dense.
    bool ok() const { return m_ok; }

    // One leaf's cell: the local expansion of G over its far atoms, about x0 = s[centre] +
    // sigma * offset, in the scaled variable (z - x0) / rho; the atoms summed directly.
    struct Cell
    {
        Eigen::Index centre = 0;
        double offset = 0.0, lo = 0.0, hi = 0.0; // lo, hi: the cell relative to s[centre]
        double rho = 1.0;
        std::vector<double> local;                               // kOrder + 1 coefficients
        std::vector<std::pair<Eigen::Index, Eigen::Index>> near; // [begin, end) index ranges
        Eigen::Index nearCount = 0;
        // Over half of the atoms near: no expansion (queries here take the exact sums).
        bool dense = false;
    };
    const std::vector<Cell>& cells() const { return m_cells; }
    // The cell holding u = anchor + sigma * t, or -1 outside every cell. `cached` (a cell or
    // -1) is checked first; the answer does not depend on it.
    int cellOf(double anchor, double t, int cached = -1) const;

    // sum w/(x-c) and sum w/(x-c)^2 over all atoms except index `skip` (pass -1 for none), at
    // the real point x = anchor + sigma * t (units of sigma, sigma = 1). Not for x on an atom
    // other than `skip`.
    void realSums(double anchor, double t, Eigen::Index skip, double* s1, double* s2) const;

    // The sums of an interval's moments (components.h), over the atoms outside the index range
    // [from, to) only, so that no near atom has to be subtracted again (it may dominate the
    // sums). `work` (if not null) counts the terms summed: each atom summed directly is 1, each
    // node's expansion kOrder + 1.
    // realSums at x = s[from..to) atom `at` (t = 0) over the atoms outside the range
    // (Barnes-Hut on the tree).
    void outsideSums(Eigen::Index at, Eigen::Index from, Eigen::Index to, double* s1, double* s2,
                     std::size_t* work) const;
    // sum over the atoms e outside [from, to) of w_e P_e^2, P_e = sum_{a in [from, to)} w_a /
    // (c_a - c_e) (units of sigma). A node is far from the range when (radii) r_range + r_node
    // <= kEtaSquares |centre distance|; it then enters through the Taylor series of P^2 about
    // its centre against its moments (P's coefficients directly from the range's atoms, or
    // from their multipole moments when there are more atoms than terms). Near atoms take P
    // directly, or, for ranges of over kInsideTree atoms, through a tree of the range.
    double outsideSquares(Eigen::Index from, Eigen::Index to, std::size_t* work) const;
    // Stricter than kEta: P^2's series has (n + 1) kEta^n terms and, from the multipole
    // moments, twice-truncated products; 0.3^41 * 42^2 < 1e-18 of the positive sum.
    static constexpr double kEtaSquares = 0.3;
    static constexpr Eigen::Index kInsideTree = 1024;

    const Eigen::ArrayXd& s() const { return m_s; }
    const Eigen::ArrayXd& w() const { return m_w; }
    double invSigma() const { return m_invSigma; }

private:
    struct Node
    {
        Eigen::Index begin = 0, end = 0, centre = 0;
        double radius = 0.0;         // max |c - c_centre| over the node (units of sigma)
        std::vector<double> moments; // sum w ((c - c_centre) / scale)^j, j = 0..kOrder
        double scale = 1.0;          // radius, or 1 for a single atom
        int left = -1, right = -1;   // children (-1: a leaf)
    };
    int build(Eigen::Index begin, Eigen::Index end, bool cells);
    void gatherFar(Cell& cell, int node, Eigen::Index limit) const;
    double posIn(std::size_t k, double anchor, double t) const;
    bool below(std::size_t k, double anchor, double t) const;
    bool reaches(std::size_t k, double anchor, double t) const;
    // Skips the atoms in [from, to).
    void addTreeSums(int node, double anchor, double t, Eigen::Index from, Eigen::Index to,
                     double* s1, double* s2, std::size_t* work) const;
    struct Range; // outsideSquares' view of the range
    double addSquares(int node, const Range& r, std::size_t* work) const;

    const Eigen::ArrayXd& m_s;
    const Eigen::ArrayXd& m_w;
    double m_sigma, m_invSigma;
    bool m_ok = false;
    std::vector<Node> m_nodes;
    std::vector<Cell> m_cells;
    std::vector<double> m_binom; // C(n, k) for n, k <= kOrder: m_binom[n * (kOrder+1) + k]
};

// The local expansion of a cell evaluated at offset h (units of sigma) from its centre and
// tau = v^2: the far atoms' -Im G / v, its -d/dtau and Re G (see above).
struct FarTau
{
    double g = 0.0, g2 = 0.0, re = 0.0;
};
FarTau evalLocal(const FarField::Cell& cell, double h, double tau);
// On the axis (tau = 0): G, -G' (= sum w/(t-c)^2), -G'' (= -2 sum w/(t-c)^3) and -G'''
// (= 6 sum w/(t-c)^4) of the far atoms at offset h.
struct FarReal
{
    double g0 = 0.0, f = 0.0, df = 0.0, d2f = 0.0;
};
FarReal evalLocalReal(const FarField::Cell& cell, double h);

} // namespace ws::core::biane_detail
