#pragma once
// What theory predicts, DESIGN.md section 2, at the finite N of the run.
//
// nu_N = (1/N) sum_i delta_{s_i} over all N eigenvalues of S, grouped into weighted atoms.
// Deterministic equivalent mu_N = semicircle(sigma) [+] nu_N by Biane's method:
//   v(u)   = inf{ v >= 0 : sum_a w_a / ((u - s_a)^2 + v^2) <= 1/sigma^2 }
//   psi(u) = u + sigma^2 sum_a w_a (u - s_a) / ((u - s_a)^2 + v(u)^2)
//   density at x = psi(u) is v(u) / (pi sigma^2); support = psi({u : v(u) > 0}).
// Units: x in the units of the eigenvalues of H; densities integrate to 1 over x.

#include "model.h"

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
    double a = 0.0, b = 0.0;
    double mass = 0.0; // N * mass = predicted number of eigenvalues in [a, b]
};

struct DeterministicEquivalent
{
    std::vector<SupportInterval> support; // ascending, disjoint
    std::size_t mainBulk = 0;             // index of the interval with the largest mass
    Curve density;                        // points on the support (and zeros in the gaps)
};

// Precondition: sigma > 0, atoms non-empty with positive weights summing to 1, points >= 2.
// The curve has exactly `points` x values spread over the support components (every component
// gets points, however small), plus the value 0 at the gaps' ends so that a line plot drops to 0.
DeterministicEquivalent deterministicEquivalent(const std::vector<Atom>& atoms, double sigma,
                                                int points);
// The density of mu_N at x (0 outside the support). O(atoms * log) per call.
double deterministicEquivalentDensity(const std::vector<Atom>& atoms, double sigma, double x);

struct OutlierPrediction
{
    double theta = 0.0;
    // finite-rank (BBP): theta + sigma^2/theta if |theta| > sigma, overlap 1 - sigma^2/theta^2
    std::optional<double> finiteRank, overlapFiniteRank;
    // large-rank (subordination): theta + sigma^2 G, overlap 1 - sigma^2 D, where G and D sum
    // over k != j; values equal to theta (the spike's own atom) are excluded too, since an
    // atom of equal spikes moves as one component. Present if the spike separates from the
    // main bulk: sigma^2 (1/N) sum_{k in bulk} 1/(theta - s_k)^2 < 1.
    std::optional<double> largeRank, overlapLargeRank;
    double separation = 0.0; // sigma^2 (1/N) sum_{k in bulk} 1/(theta - s_k)^2 (< 1 separates)
};

// One prediction per spike, in the order of spikeValues(m) (descending theta).
std::vector<OutlierPrediction> predictOutliers(const Model& m);

// Everything the front ends draw, for one model.
struct Theory
{
    Curve semicircle;
    DeterministicEquivalent equivalent;
    std::vector<OutlierPrediction> outliers;
    double mainBulkLo = 0.0, mainBulkHi = 0.0; // main bulk interval of mu_N
};
Theory computeTheory(const Model& m, int points = 800);

} // namespace ws::core
