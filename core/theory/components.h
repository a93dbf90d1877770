#pragma once
// What computeTheory adds to each support interval of mu_N once the spikes, N and beta are known
// (theory.h, SupportInterval; docs/model.md#support-intervals, #clusters, #edges-and-windows):
// labels and counts, moments from residues, the regularity of each edge, classical locations.
// Internal to ws_core; the formulas are in theory.h and docs/model.md.

#include "core/theory/atom_sums.h"

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace ws::core::biane_detail {

// How many of an atom's values are spikes and how many the bulk of S (exact integers).
struct AtomOrigin
{
    double spikes = 0.0, bulk = 0.0;
};

// Kind, count and spikes of every interval. fullRank: r = N (no bulk of S); then an interval is
// a bulk iff its u-interval meets one of `familySupport` (closed intervals, points as [v, v]).
void labelIntervals(std::vector<SupportInterval>& support, const AtomData& data,
                    const std::vector<AtomOrigin>& origin, bool fullRank,
                    const std::vector<std::pair<double, double>>& familySupport);

// Where the bulk family would put the bulk of S (for r = N): zero {0}; uniform:a,b [a, b];
// semicircle:rho [-rho, rho]; twopoint:a,b,p {a} if p > 0 and {b} if p < 1; list: its values.
std::vector<std::pair<double, double>> bulkFamilySupport(const BulkFamily& f);

struct Moments
{
    double centre = 0.0, spread = 0.0, sdMean = 0.0, overlapGroup = 0.0;
    std::vector<double> overlap; // per atom of the interval: 1 - sigma^2 Dx(s_a), in (0, 1]
    bool finite = false;         // false if a sum overflowed (atoms ~1e-300 sigma apart)
};
// The interval's moments (theory.h). Exactly, 3 n_C (atoms - n_C) divisions, or (from 2^20
// such pairs) through trees of the atoms inside and outside it; or with `tree` (a
// FarField::Use::Tree of all the atoms) in O(n_C log atoms + log atoms) node expansions
// (far_field.h: outsideSums, outsideSquares). Trees: within 1e-15 of the exact sums' sums of
// |terms|. In parallel, deterministic. count = its number of eigenvalues (N times its mass).
Moments intervalMoments(const AtomData& data, const SupportInterval& iv, int count, int beta,
                        const FarField* tree = nullptr);
// Whether analyseSupport gives intervalMoments the tree: 4096 atoms outside or 2^20 pairs on,
// unless the interval holds over 1/16 of the atoms.
bool momentsNeedTree(const AtomData& data, const SupportInterval& iv);
// Terms intervalMoments has summed (directly summed atom pairs; kOrder + 1 per node expansion)
// in this process, all threads; reset: and start again from 0. For tests of its cost.
std::uint64_t momentTerms(bool reset = false);

// EdgeScale::regularity of one edge (upper: b, else a): the density at the point t (eigenvalue
// units) inside the edge over (c/pi) sqrt(t). The point is reached in u from the edge's local
// expansion, |u - e| = t F4(e) / (2 sigma^2 T3(e)^2), at most half way across the u-interval.
double edgeRegularity(const AtomData& data, const SupportInterval& iv, bool upper, double t);

// The classical locations of an interval of `count` eigenvalues (theory.h): the CDF of mu_N
// along Biane's curve in closed form,
//   CDF(psi(u)) = 1 - (1/pi) sum_a w_a atan2(v(u), u - s_a) + v(u) (psi(u) - u) / (pi sigma^2),
// at `nodes` Chebyshev-Lobatto nodes of its u-interval, inverted by monotone cubic (PCHIP)
// interpolation of x against the CDF at (i - 1/2)/N, i = 1..count.
std::vector<double> classicalLocations(const AtomData& data, const SupportInterval& iv, int count,
                                       int n, int nodes);

// Everything computeTheory adds to th.equivalent.support (theory.h, SupportInterval): labels and
// counts, moments (clusters, and intervals of count <= 16), edge windows and regularity (count >
// 3), classical locations (clusters of several atoms), claims. th.n, th.beta and th.heavyTails
// must be set. Returns, per interval, its atoms' 1 - sigma^2 Dx(s_a) (clusters; empty otherwise).
std::vector<std::vector<double>>
analyseSupport(Theory& th, const AtomData& data, const std::vector<AtomOrigin>& origin,
               bool fullRank, const std::vector<std::pair<double, double>>& familySupport);

// Refines th.outliers (predictOutliers) with the labelled support (theory.h, Theory::outliers):
// interval, rank, multiplicity, absorbed and reason, the per-spike position and overlap in
// clusters, the predicted sd and the flags. `overlaps` is analyseSupport's result.
void refinePredictions(Theory& th, const AtomData& data, const std::vector<AtomOrigin>& origin,
                       const std::vector<std::vector<double>>& overlaps, bool basis);

} // namespace ws::core::biane_detail
