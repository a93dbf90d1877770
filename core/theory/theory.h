#pragma once
// What theory predicts (docs/model.md#what-theory-predicts), at the finite N of the run.
//
// nu_N = (1/N) sum_i delta_{s_i} over all N eigenvalues of S, grouped into weighted atoms.
// Deterministic equivalent mu_N = semicircle(sigma) [+] nu_N by Biane's method:
//   v(u)   = inf{ v >= 0 : sum_a w_a / ((u - s_a)^2 + v^2) <= 1/sigma^2 }
//   psi(u) = u + sigma^2 sum_a w_a (u - s_a) / ((u - s_a)^2 + v(u)^2)
//   density at x = psi(u) is v(u) / (pi sigma^2); support = psi({u : v(u) > 0}).
// Units: x in the units of the eigenvalues of H; densities integrate to 1 over x.
//
// Numerics (docs/model.md#numerics-of-the-theory): the maps are homogeneous in sigma, so
// everything is computed in units of sigma, in a local frame u = anchor + sigma * t anchored at
// a nearby atom (offsets of atoms further than 1e150 sigma are clamped there: such an atom
// contributes < 1e-150 sigma to psi); many atoms are summed through a far-field expansion
// (core/theory/far_field.h) to within 1e-15 of the exact sums. So extreme but
// valid input stays finite: sigma from 1e-150 to 1e300, spikes at +-1e308 next to a bulk at 0
// with sigma = 1 (their components then round to single points x = theta in double precision).
// Only results genuinely outside the double range (e.g. sigma = 1e308: support edges +-2e308)
// are refused by computeTheory (InputError); no NaN is ever produced.

#include "core/model/model.h"

#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace ws::core {

struct Atom
{
    double value = 0.0;
    double weight = 0.0; // multiplicity / N
};

// Groups equal values (exactly equal doubles) into atoms, ascending by value. Weights sum to 1.
std::vector<Atom> groupAtoms(const std::vector<double>& values);

struct Curve
{
    std::vector<double> x, y;
};

// rho_sc(x) = sqrt(4 sigma^2 - x^2) / (2 pi sigma^2) sampled at `points` points on [lo, hi],
// x ascending, both ends included: evenly spaced, except where [-2 sigma, 2 sigma] covers less
// than a quarter of [lo, hi] (sigma small against far spikes): then half of the points are
// evenly spaced on its part inside [lo, hi], so the curve keeps its shape and its mass (an even
// grid put 3 of 800 points inside at sigma = 1e-3 with a spike at 1).
Curve semicircleCurve(double sigma, int points, double lo, double hi);
double semicircleDensity(double sigma, double x);

// What produces a support interval of mu_N (docs/model.md#support-intervals).
//   Bulk:    it holds a value of the bulk of S (with r = N, where there is no bulk of S: its
//            u-interval meets the support of the bulk family); spikes in it are absorbed.
//   Cluster: only spikes; each of its eigenvalues is an outlier.
// Names: "bulk", "cluster" (CLI JSON and tables).
enum class IntervalKind { Bulk, Cluster };
std::string toString(IntervalKind k);

// One edge E of a support interval and the fluctuations of the extreme eigenvalue there
// (docs/model.md#edges-and-windows). Near a square-root edge the density is (c/pi) sqrt|E - x|
// with c = 1/(sigma^3 sqrt|T3(e)|), T3(e) = sum_a w_a/(e - s_a)^3 at the u-edge e (Biane), so the
// extreme eigenvalue fluctuates like E -+ gamma N^(-2/3) TW_beta with
//   gamma = c^(-2/3) = sigma^2 |T3(e)|^(1/3)           (semicircle: gamma = sigma)
// in the units of the eigenvalues.
struct EdgeScale
{
    double gamma = 0.0; // > 0; set by deterministicEquivalent
    // Set by computeTheory. The density at distance t = q_beta gamma N^(-2/3) inside the edge
    // divided by (c/pi) sqrt(t): 1 for a square-root edge over the outlier window; NaN where not
    // computed (intervals of count <= 3, whose extreme eigenvalue is Gaussian, not TW).
    double regularity = std::numeric_limits<double>::quiet_NaN();
    // count > 3 and regularity >= kTracyWidomRegularity: Tracy-Widom bands can be drawn here.
    // Otherwise "not in the Tracy-Widom regime at this N" (the window still applies).
    bool tracyWidom = false;
    // The outlier window on this side, outlierWindow(gamma, N, beta, sdMean) (window.h): an
    // eigenvalue in the gap belongs to this interval if it is within `window` of E (and nearer
    // than to the neighbour, in window units).
    double window = 0.0;
};

// Edges whose density ratio (EdgeScale::regularity) is below this are not in the TW regime.
inline constexpr double kTracyWidomRegularity = 0.9;

struct SupportInterval
{
    double a = 0.0, b = 0.0;                 // a <= b (a == b only when rounding merges them)
    double mass = 0.0;                       // N * mass = predicted number of eigenvalues in [a, b]
    std::size_t firstAtom = 0, lastAtom = 0; // the atoms of nu_N in this component (Biane)
    // The u-interval [l, r] of the component, as offsets in units of sigma from its bounding
    // atoms: l = s[firstAtom] + sigma tLo, r = s[lastAtom] + sigma tHi (exact for any magnitude).
    double tLo = 0.0, tHi = 0.0;
    EdgeScale lo, hi; // at a and at b

    // The rest is set by computeTheory (deterministicEquivalent knows no spikes).
    IntervalKind kind = IntervalKind::Bulk;
    int count = 0;  // round(N mass): the predicted number of eigenvalues in it
    int spikes = 0; // spikes whose atom lies in it (a cluster: all of its count)
    // The eigenvalues that belong to it (window.h): those in [claimLo, claimHi], which contains
    // [a, b] and reaches into each neighbouring gap by at most the window (less where the
    // neighbour's window is nearer, in window units).
    double claimLo = 0.0, claimHi = 0.0;
    // Moments of mu_N restricted to the interval, from residues at its atoms (docs/model.md,
    // clusters). With y_a = s_a + sigma^2 Gx(s_a), Gx/Dx = sums over the atoms OUTSIDE it, m the
    // mass and P_e = sum_{a in it} w_a/(s_a - s_e):
    //   centre = (1/m) sum_a w_a y_a
    //   spread = sqrt( (1/m) sum_a w_a (y_a - centre)^2 + sigma^2 m
    //                  - (sigma^4/m) sum_{e outside} w_e P_e^2 )     (sd of x over the interval)
    //   sdMean = sqrt( (2/beta) sigma^2 sum_a w_a (1 - sigma^2 Dx(s_a)) ) / count
    //            (sd over samples of the mean of its eigenvalues; Gaussian noise)
    // Present for clusters and for intervals of count <= 16 (the window needs sdMean there).
    std::optional<double> centre, spread, sdMean;
    // Clusters: the average over its spikes of ||P v_j||^2 = 1 - sigma^2 Dx(theta_j), P the
    // projection onto its eigenvectors: in (0, 1].
    std::optional<double> overlapGroup;
    // Clusters of two or more atoms: the classical locations x_1 < ... < x_count, the
    // (i - 1/2)/N quantiles of mu_N inside the interval (the predicted i-th eigenvalue of it).
    std::vector<double> locations;
};

struct DeterministicEquivalent
{
    std::vector<SupportInterval> support; // ascending, disjoint
    Curve density;                        // see deterministicEquivalent()
};

// Precondition (std::invalid_argument otherwise): sigma > 0 finite; atoms non-empty, strictly
// ascending, finite values, positive weights summing to 1 (as groupAtoms gives); points < 2
// counts as 2.
//
// Support: component k is psi([l_k, r_k]) where [l_k, r_k] are the maximal u-intervals with
// v > 0; its mass is the total weight of the atoms inside [l_k, r_k] (Biane), so the masses sum
// to 1 exactly. The support splits between two consecutive atoms iff sum_a w_a/(u-s_a)^2 dips
// below 1/sigma^2 between them. Each interval also gets its u-edges (tLo, tHi) and the
// Tracy-Widom scale gamma of each edge (EdgeScale, one O(atoms) pass per edge); the fields that
// need the spikes, N or beta are left at their defaults (computeTheory sets them).
//
// The density curve: x non-decreasing (strictly increasing in practice), y = density at x.
// Component by component (ascending), each gets n_k points: its edges a_k and b_k with y = 0
// exactly (so a line plot drops to 0 and runs along y = 0 across every gap, no extra points),
// and n_k - 2 interior points x = psi(u), y = v(u)/(pi sigma^2) at Chebyshev-Lobatto nodes u
// of [l_k, r_k] (x is about linear in u inside a component, so points cluster at the
// square-root edges). n_k = a minimum (5, or 3 if points < 5 * components) plus a share of the
// rest proportional to the width b_k - a_k. The total is exactly `points` when
// points >= 3 * components, else 3 * components.
//
// Cost: (points + ~15 * components) * a few Newton steps, each summing the atoms near the point
// directly and the others through a local expansion (the far field, docs/model.md#numerics-of-
// the-theory, within 1e-15 of the exact sums; O(atoms) only in a bulk dense on the scale of
// sigma), in parallel (oneTBB) over gaps and curve points; results are bitwise identical for
// any thread count. Gaps between atoms whose two-atom lower bound already exceeds 1/sigma^2
// (any dense bulk) cost O(1). 10,000 atoms on one core (bench_theory): ~35 ms in one dense
// bulk, ~40 ms split into 10,000 components.
DeterministicEquivalent deterministicEquivalent(const std::vector<Atom>& atoms, double sigma,
                                                int points);
// The density of mu_N at x (0 outside the support): solves psi(u) = x (safeguarded false
// position, ~10-20 evaluations of O(atoms) each), then v(u)/(pi sigma^2).
double deterministicEquivalentDensity(const std::vector<Atom>& atoms, double sigma, double x);

// Biane's maps on their own, for tests and benchmarks (same preconditions as above).
namespace biane {
struct UInterval
{
    double lo = 0.0, hi = 0.0;               // [l_k, r_k]: a maximal u-interval with v(u) > 0
    double mass = 0.0;                       // total weight of the atoms inside it
    std::size_t firstAtom = 0, lastAtom = 0; // indices of the atoms inside it
};
std::vector<UInterval> uSupport(const std::vector<Atom>& atoms, double sigma);
double vOf(const std::vector<Atom>& atoms, double sigma, double u);   // v(u)
double psiOf(const std::vector<Atom>& atoms, double sigma, double u); // psi(u)
// deterministicEquivalent with the exact O(atoms) sums throughout, never the far field: the
// reference that the fast sums are tested against (docs/model.md#numerics-of-the-theory).
DeterministicEquivalent exactEquivalent(const std::vector<Atom>& atoms, double sigma, int points);
} // namespace biane

// Why a spike has no (large-rank) outlier. Names: "", "below the BBP threshold",
// "absorbed by a bulk interval" (toString; reasonText adds the interval).
enum class NoOutlierReason {
    None,           // it has one
    BelowThreshold, // sigma^2 (1/N) sum_{k in bulk} 1/(theta - s_k)^2 >= 1 (separation below),
                    // theta outside the range of the bulk of S
    Absorbed,       // otherwise: its atom lies in a bulk interval of mu_N (inside the bulk of S,
                    // within the finite-N critical window, or pulled in by other spikes)
};
std::string toString(NoOutlierReason r);

// Validity flags of a prediction (bits of OutlierPrediction::flags). Names (flagNames):
// "cluster", "per-spike-overlap-out-of-range", "non-gaussian", "heavy-tails".
enum class PredictionFlag : unsigned {
    // The spike shares its cluster with other distinct spikes: its position is a classical
    // location, its overlap the projection onto the cluster's eigenvectors.
    Cluster = 1u << 0,
    // The per-spike overlap 1 - sigma^2 D_j leaves [0, 1] (close spikes): it is not
    // reported; the projection onto the cluster's eigenvectors is.
    PerSpikeOverlapOutOfRange = 1u << 1,
    // Basis eigenvectors with non-Gaussian noise: the law of the entries enters the
    // fluctuations (not Gaussian, variance with the fourth-cumulant term; Capitaine, Donati-Martin,
    // Feral 2009). No band should be drawn as if Gaussian.
    NonGaussian = 1u << 2,
    // The noise has no finite fourth moment (student-t with nu <= 4): the outlier and edge
    // theory does not hold.
    HeavyTails = 1u << 3,
};
inline bool hasFlag(unsigned flags, PredictionFlag f)
{
    return (flags & static_cast<unsigned>(f)) != 0;
}
std::vector<std::string> flagNames(unsigned flags);

struct OutlierPrediction
{
    // The optional values are finite when present: a prediction that would overflow the double
    // range is left out.
    double theta = 0.0;
    // finite-rank (BBP): theta + sigma^2/theta if |theta| > sigma, overlap 1 - sigma^2/theta^2
    std::optional<double> finiteRank, overlapFiniteRank;
    // large-rank (subordination). predictOutliers gives the per-spike formulas theta + sigma^2 G
    // and 1 - sigma^2 D (G, D sum over the atoms other than theta's own), present if the spike
    // separates from the bulk of S: sigma^2 (1/N) sum_{k in bulk} 1/(theta - s_k)^2 < 1.
    // computeTheory refines them with mu_N (see Theory::outliers): then largeRank is the
    // predicted position of the spike's eigenvalue and overlapLargeRank its predicted squared
    // projection onto the eigenvectors of its cluster, in (0, 1].
    std::optional<double> largeRank, overlapLargeRank;
    double separation = 0.0; // sigma^2 (1/N) sum_{k in bulk} 1/(theta - s_k)^2 (< 1 separates);
                             // +infinity when theta equals a bulk value (or when the sum
                             // exceeds the double range, e.g. sigma = 1e300, theta = 3)
    // The rest is set by computeTheory only.
    std::size_t interval = 0; // the support interval holding the spike's atom
    // Its eigenvalues within that interval (a cluster): ranks rank .. rank + multiplicity - 1,
    // counted from its lowest eigenvalue; multiplicity = spikes with exactly this theta.
    int rank = 0, multiplicity = 1;
    bool absorbed = false; // its atom lies in a bulk interval: no outlier
    NoOutlierReason reason = NoOutlierReason::None;
    // Predicted sd over samples of the spike's eigenvalue (of the mean of its group's, for equal
    // spikes), in the units of the eigenvalues (docs/model.md#fluctuations):
    //   alone in its interval:  Var = (sigma^2/N) [ (2/beta) H' + kappa4 sigma^2 D H'^2 ],
    //                           H' = 1 - sigma^2 D, D = D_j; the kappa4 term only with basis
    //                           eigenvectors (kappa4 = fourthCumulant(noise))
    //   m equal spikes alone:   the interval's sdMean (Gaussian noise or haar eigenvectors)
    //   spikes sharing a cluster with others, heavy tails: none.
    std::optional<double> sd;
    unsigned flags = 0; // PredictionFlag bits
};

// One prediction per spike, in the order of spikeValues(m) (descending theta). Validates m
// (InputError). This is the separation criterion as stated in docs/model.md#separation-criterion: a
// spike inside the range of the bulk of S gets a huge separation (infinite if it equals a bulk
// value) and no large-rank prediction. It ignores the other spikes: with r = N there are no bulk
// coordinates, the separation is 0 and every spike gets a large-rank prediction. computeTheory
// refines this with mu_N (see Theory::outliers). Only theta, finiteRank, overlapFiniteRank,
// largeRank, overlapLargeRank and separation are set.
// Cost O(distinct spikes * distinct values of S), in parallel over spikes (oneTBB); from 64
// distinct spikes on O(distinct spikes * log(distinct values)) through a tree of the values
// (docs/model.md#numerics-of-the-theory), within 1e-15 of the exact sums' sum of |terms|.
std::vector<OutlierPrediction> predictOutliers(const Model& m);

// Everything the front ends draw, for one model.
struct Theory
{
    // What the windows and fluctuations refer to: the model's N and sigma, beta = 2 for complex
    // noise, else 1.
    int n = 0;
    double sigma = 1.0;
    int beta = 1;
    // Fourth cumulant of the off-diagonal noise entries (fourthCumulant); empty when infinite.
    std::optional<double> kappa4;
    bool heavyTails = false;  // no finite fourth moment: outlier and edge theory void
    bool nonGaussian = false; // basis eigenvectors and non-Gaussian noise (PredictionFlag)
    Curve semicircle;
    // Every interval labelled (kind, count, spikes), with its windows, claims, edge regularity,
    // moments and (clusters of several atoms) classical locations.
    DeterministicEquivalent equivalent;
    // predictOutliers(m), refined with mu_N (Biane: each atom lies in exactly one support
    // interval):
    // - atom in a bulk interval: absorbed, no large-rank prediction, a reason (the finite-rank
    //   one, a different theory, is kept). E.g. rank one theta = 1.05 at N = 1000 (inside the
    //   finite-N critical window), a spike inside a lump of the bulk of S.
    // - alone in a cluster (one atom, any multiplicity): the per-spike theta + sigma^2 G_j, exactly
    //   the cluster's centre, and 1 - sigma^2 D_j, in (0, 1] there.
    // - sharing a cluster with other atoms: largeRank = the mean of its classical locations,
    //   overlapLargeRank = 1 - sigma^2 Dx(theta_j) (Dx over the atoms outside the cluster),
    //   flag Cluster (and PerSpikeOverlapOutOfRange where 1 - sigma^2 D_j leaves [0, 1]).
    // E.g. S = 3 I (equal:3, alpha = 1): one cluster of N outliers centred at 3 (the bulk family
    // zero would sit at 0, outside it).
    std::vector<OutlierPrediction> outliers;
};
// Validates m (InputError). The semicircle curve (`points` evenly spaced points) spans the
// support of mu_N, [-2 sigma, 2 sigma] and every predicted outlier, plus 5% on each side
// (clamped to the finite doubles). Throws InputError if the support or the densities do not fit
// in double precision (e.g. sigma = 1e308: edges beyond 1.8e308; a subnormal sigma: densities ~
// 1/sigma overflow).
// Cost on top of deterministicEquivalent: per interval two passes for the regularity check
// (count > 3), per cluster 2 n_C (atoms - n_C) divisions for its moments (n_C its atoms) and
// ~128 curve nodes for the classical locations (clusters of several atoms); bench_theory.
Theory computeTheory(const Model& m, int points = 800);

// "absorbed by the bulk interval [a, b]" / "below the BBP threshold" / "" for p (support: the
// intervals of its theory).
std::string reasonText(const std::vector<SupportInterval>& support, const OutlierPrediction& p);

// The hull [lo, hi] of the bulk intervals (the whole support if there is none): where the
// front ends put the bulk's scale (histogram bins, axes).
struct Extent
{
    double lo = 0.0, hi = 0.0;
};
Extent bulkHull(const Theory& t);

// `start` widened to every support interval and every predicted outlier location (finite and
// large rank): where the spectrum is expected, before the front end's margin (axes, bins).
Extent theoryExtent(const Theory& t, Extent start);

} // namespace ws::core
