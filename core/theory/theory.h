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
// Numerics: the maps are homogeneous in sigma, so everything is computed in units of sigma, in a
// local frame u = anchor + sigma * t anchored at a nearby atom (offsets of atoms further than
// 1e150 sigma are clamped there: such an atom contributes < 1e-150 sigma to psi). So extreme but
// valid input stays finite: sigma from 1e-150 to 1e300, spikes at +-1e308 next to a bulk at 0
// with sigma = 1 (their components then round to single points x = theta in double precision).
// Only results genuinely outside the double range (e.g. sigma = 1e308: support edges +-2e308)
// are refused by computeTheory (InputError); no NaN is ever produced.

#include "core/model/model.h"

#include <cstddef>
#include <optional>
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

// rho_sc(x) = sqrt(4 sigma^2 - x^2) / (2 pi sigma^2) sampled at `points` points on [lo, hi].
Curve semicircleCurve(double sigma, int points, double lo, double hi);
double semicircleDensity(double sigma, double x);

struct SupportInterval
{
    double a = 0.0, b = 0.0;                 // a <= b (a == b only when rounding merges them)
    double mass = 0.0;                       // N * mass = predicted number of eigenvalues in [a, b]
    std::size_t firstAtom = 0, lastAtom = 0; // the atoms of nu_N in this component (Biane)
};

struct DeterministicEquivalent
{
    std::vector<SupportInterval> support; // ascending, disjoint
    std::size_t mainBulk = 0;             // index of the interval with the largest mass
                                          // (the first one on ties)
    Curve density;                        // see deterministicEquivalent()
};

// Precondition (std::invalid_argument otherwise): sigma > 0 finite; atoms non-empty, strictly
// ascending, finite values, positive weights summing to 1 (as groupAtoms gives); points < 2
// counts as 2.
//
// Support: component k is psi([l_k, r_k]) where [l_k, r_k] are the maximal u-intervals with
// v > 0; its mass is the total weight of the atoms inside [l_k, r_k] (Biane), so the masses sum
// to 1 exactly. The support splits between two consecutive atoms iff sum_a w_a/(u-s_a)^2 dips
// below 1/sigma^2 between them.
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
// Cost: O(atoms * (points + ~15 * components) * a few Newton steps), in parallel (oneTBB) over
// gaps and curve points; results are bitwise identical for any thread count. Gaps between
// atoms whose two-atom lower bound already exceeds 1/sigma^2 (any dense bulk) cost O(1).
// 10,000 distinct atoms in one bulk: ~30 ms on one core (bench_theory); thousands of separate
// components (e.g. 10,000 spikes far apart) take seconds.
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
} // namespace biane

struct OutlierPrediction
{
    // The optional values are finite when present: a prediction that would overflow the double
    // range is left out.
    double theta = 0.0;
    // finite-rank (BBP): theta + sigma^2/theta if |theta| > sigma, overlap 1 - sigma^2/theta^2
    std::optional<double> finiteRank, overlapFiniteRank;
    // large-rank (subordination): theta + sigma^2 G, overlap 1 - sigma^2 D, where G and D sum
    // over k != j; values equal to theta (the spike's own atom) are excluded too, since an
    // atom of equal spikes moves as one component. Present if the spike separates from the
    // main bulk: sigma^2 (1/N) sum_{k in bulk} 1/(theta - s_k)^2 < 1.
    // The overlap is the formula's value, not clamped: it can drop below 0 when other spikes
    // crowd theta, which says the prediction is not to be trusted there.
    std::optional<double> largeRank, overlapLargeRank;
    double separation = 0.0; // sigma^2 (1/N) sum_{k in bulk} 1/(theta - s_k)^2 (< 1 separates);
                             // +infinity when theta equals a bulk value (or when the sum
                             // exceeds the double range, e.g. sigma = 1e300, theta = 3)
    // Set by computeTheory only (false from predictOutliers): the spike's atom lies in the
    // u-interval of the MAIN bulk component of mu_N, i.e. its eigenvalues are part of the main
    // bulk and there is no outlier; computeTheory then leaves out the large-rank prediction.
    bool inMainBulk = false;
};

// One prediction per spike, in the order of spikeValues(m) (descending theta). Validates m
// (InputError). This is the separation criterion as stated in docs/model.md#separation-criterion: a
// spike inside the range of the bulk of S gets a huge separation (infinite if it equals a bulk
// value) and no large-rank prediction. It ignores the other spikes: with r = N there are no bulk
// coordinates, the separation is 0 and every spike gets a large-rank prediction, even for S = 3 I
// whose spectrum is one shifted semicircle without outliers. computeTheory refines this with mu_N
// (see Theory::outliers). Cost O(distinct spikes * distinct values of S), in parallel over spikes
// (oneTBB).
std::vector<OutlierPrediction> predictOutliers(const Model& m);

// Everything the front ends draw, for one model.
struct Theory
{
    Curve semicircle;
    DeterministicEquivalent equivalent;
    // predictOutliers(m), refined: every spike whose atom lies in the main bulk's u-interval
    // (Biane: each atom lies in exactly one u-support interval, and the spike has its own
    // outlier component iff that interval is not the main one) gets inMainBulk = true and no
    // large-rank prediction (the finite-rank one, a different theory, is kept). E.g. equal:3 with
    // alpha = 1 (S = 3 I): no outliers; rank one theta = 3, N = 1000: one. Near the BBP threshold
    // at finite N this is stricter than separation < 1: a spike inside the critical window |theta|
    // - sigma ~ sigma N^(-1/3) has not yet split off mu_N's main component.
    std::vector<OutlierPrediction> outliers;
    double mainBulkLo = 0.0, mainBulkHi = 0.0; // main bulk interval of mu_N
};
// Validates m (InputError). The semicircle curve (`points` evenly spaced points) spans the
// support of mu_N, [-2 sigma, 2 sigma] and every predicted outlier, plus 5% on each side
// (clamped to the finite doubles). Throws InputError if the support or the densities do not fit
// in double precision (e.g. sigma = 1e308: edges beyond 1.8e308; a subnormal sigma: densities ~
// 1/sigma overflow).
Theory computeTheory(const Model& m, int points = 800);

} // namespace ws::core
