#pragma once
// The rectangular model (docs/rectangular.md has the derivations):
//
//   W = (sigma/sqrt(N)) X + S,   W, X, S are N x M,   aspect ratio c = M/N (any c > 0),
//
// X has iid entries with mean 0 and E|X_ij|^2 = 1 from the noise families of the square model
// (gaussian, complex, rademacher, uniform, student-t:nu, sparse:p; no symmetry, so no special
// diagonal). S = U diag(s) V^T with the p = min(N, M) singular values s_1 >= ... >= 0:
// r spikes from a SpikeFamily (r = min(ceil(N^alpha), p), or an explicit rank r <= p, or the
// length of a `list:`) and a BulkFamily on the other p - r values (zero by default). U, V are
// the identity (`basis`: S_ii = s_i) or the first columns of independent Haar orthogonal
// (unitary for complex noise) matrices drawn once per seed (`haar`).
//
// The observable: the p singular values of W (or, "squared", the p eigenvalues of W W^T when
// c >= 1, of W^T W when c < 1; the larger Gram matrix has |N - M| extra zeros).
//
// Pure noise (S = 0): the squared singular values follow Marchenko-Pastur with ratio c and
// scale sigma^2 on  sigma^2 [(1 - sqrt c)^2, (1 + sqrt c)^2],  density
//   f(x) = sqrt((x_+ - x)(x - x_-)) / (2 pi sigma^2 min(1, c) x)   (integrates to 1 over the
// p values); singular values y = sqrt(x) have density 2 y f(y^2) on sigma [|1 - sqrt c|, 1 +
// sqrt c]. c = 1: hard edge at 0 (quarter circle of radius 2 sigma for y).
//
// Units: singular values in the units of W's entries times sqrt(N) (sigma = 1: edge 1 + sqrt c).
// Everything below is computed at the finite N, M of the run.
//
// Thread safety: all functions are re-entrant; runRectSamples and computeRectTheory use oneTBB.

#include "core/model/model.h"
#include "core/outliers/outliers.h"
#include "core/sampling/runner.h"
#include "core/theory/theory.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ws::core {

// The noise and signal families as in the square model (model.h; the spikes and the bulk are
// the singular values of S, eigvecs its singular vectors U, V). The rank rule: alpha gives
// r = min(ceil(N^alpha), min(N, M)); explicit: 1 <= rank <= min(N, M).
struct RectModel : NoiseAndSignal
{
    int n = 400; // rows N >= 1
    int m = 800; // columns M >= 1, with max(N, M) >= 2

    double ratio() const { return static_cast<double>(m) / static_cast<double>(n); } // c = M/N
    int minDim() const { return n < m ? n : m; }                                     // p
    int effectiveRank() const; // r (no validation)
    bool operator==(const RectModel&) const = default;
};

// Throws InputError naming the parameter: n/m < 1 or both 1, sigma <= 0 or not finite, rank
// outside [1, min(N, M)], a list longer than min(N, M), malformed families (as validate(Model)),
// and any negative singular value: "spikes: singular values must be >= 0 ..." / "bulk: ...".
void validate(const RectModel& m);

// The p = min(N, M) singular values of S, descending (spikes and bulk merged).
std::vector<double> signalSingularValues(const RectModel& m);
// The r spike values (descending) and the p - r bulk values (ascending), as the square model.
std::vector<double> rectSpikeValues(const RectModel& m);
std::vector<double> rectBulkValues(const RectModel& m);

// ---- Marchenko-Pastur (S = 0) ------------------------------------------------------------
struct MpEdges
{
    double lo = 0.0, hi = 0.0; // squared: sigma^2 (1 -+ sqrt c)^2; singular: sigma |1 -+ sqrt c|
};
MpEdges mpEdgesSquared(double sigma, double c);
MpEdges mpEdgesSingular(double sigma, double c);
double mpDensitySquared(double sigma, double c, double x);  // f(x) above, 0 outside (no atom)
double mpDensitySingular(double sigma, double c, double y); // 2 y f(y^2)
double mpCdfSquared(double sigma, double c, double x);      // int_{-inf}^x f (closed form)

// ---- Deterministic equivalent (information-plus-noise, Dozier-Silverstein) --------------
// Canonical form: p x q with p = min(N, M), q = max(N, M), c_e = q/p >= 1, entry variance
// sigma_e^2/p with sigma_e^2 = sigma^2 min(1, c) (W^T when c < 1). Atoms: lambda_a = s_a^2 of
// the p singular values of S, weights w_a (count/p). With G(w) = sum_a w_a/(lambda_a - w),
// h = 1 - sigma_e^2 G and
//   psi(w) = w h(w)^2 + sigma_e^2 (c_e - 1) h(w),
// the Stieltjes transform of the squared singular values at z is m(z) = G(w)/h(w) where w(z) is
// the solution in C+ of psi(w) = z (subordination); density f(x) = Im m(x + i0)/pi.
// Support (real-axis analysis): x = psi(u) for real u outside the "u-intervals"; those are the
// maximal intervals where NOT (h(u) > 0 and psi'(u) > 0); each contains atoms, and the mass of
// its support component psi([a_k, b_k]) is the weight of its atoms (p * mass = predicted count).
// Inside a component the density curve is traced with w = u + i v(u), v(u) the largest root of
// Im psi(u + i v) = 0 (see docs/rectangular.md for why "largest").
struct RectSupportInterval
{
    double a = 0.0, b = 0.0;                 // squared units (x), a <= b
    double mass = 0.0;                       // fraction of the p singular values
    std::size_t firstAtom = 0, lastAtom = 0; // atoms (ascending lambda) inside its u-interval

    // The rest is set by computeRectTheory: the square model's labels and claims (theory.h,
    // window.h), so that observations follow its rule (outliers.h).
    // Bulk: it holds a value of the bulk of S, or it is the main component (spikes in it have
    // no outlier, as before); Cluster: spikes only, each of its values is an outlier.
    IntervalKind kind = IntervalKind::Bulk;
    int count = 0;  // round(p mass): the predicted number of singular values in it
    int spikes = 0; // spikes whose atom lies in it
    // Singular units: the values that belong to it, [a, b] widened by its window on each side,
    // split in a gap where two windows meet (setClaims). Window: edgeMargin, for count <= 16 at
    // least 3.29 sqrt(2/beta) spread / count (spread: sd of y over the interval), the square
    // model's sdMean floor (window.h).
    double claimLo = 0.0, claimHi = 0.0;
    // Clusters of two or more atoms: the classical locations (singular units) of its count
    // values, the (i - 1/2)/count quantiles of the density inside it.
    std::vector<double> locations;
};
struct RectEquivalent
{
    std::vector<RectSupportInterval> support; // ascending, disjoint
    std::size_t mainBulk = 0;                 // largest mass (first on ties)
    Curve squared;  // (x, f(x)); edges have y = 0 except a hard edge at x = 0 (c = 1), where f
                    // diverges like x^(-1/2): that point repeats its neighbour's value
    Curve singular; // (y, g(y)) with y = sqrt(x), g = 2 y f(y^2); finite at a hard edge
};
// Preconditions (std::invalid_argument): sigmaE > 0 finite, cE >= 1 finite, atoms non-empty,
// strictly ascending, >= 0, weights > 0 summing to 1 (groupAtoms of squared singular values).
// Points per curve as deterministicEquivalent() in theory.h (Chebyshev nodes per component, at
// least 3-5 each). Results do not depend on the thread count.
RectEquivalent rectDeterministicEquivalent(const std::vector<Atom>& atoms, double sigmaE, double cE,
                                           int points);
// Density of the squared singular values at x (0 outside the support), by solving psi(u) = x
// along the curve. Same preconditions.
double rectEquivalentDensitySquared(const std::vector<Atom>& atoms, double sigmaE, double cE,
                                    double x);

// ---- Outliers ------------------------------------------------------------------------------
struct RectOutlierPrediction
{
    double theta = 0.0;   // the spike (singular value of S)
    int multiplicity = 1; // spikes with exactly this theta (one group; same entry for each)
    // finite-rank (Benaych-Georges & Nadakuditi 2012), t = theta/sigma:
    //   threshold theta > sigma c^(1/4);  position sigma sqrt((1 + t^2)(c + t^2)) / t
    //   squared overlaps: left (N side) (t^4 - c)/(t^2 (t^2 + 1)), right (M side)
    //   (t^4 - c)/(t^2 (t^2 + c)).
    std::optional<double> finiteRank, overlapLeft, overlapRight;
    // large-rank: in the canonical form (units sigma_e = 1) with the group's own atom removed
    // (G_-j, F_-j, h_-j, psi_-j from the other atoms, weights 1/p), w = m/p, lambda = theta^2:
    //   x_j = psi_-j(lambda) + w (h_-j(lambda) - lambda F_-j(lambda)),
    // the mean of the squared singular values over the group's component (residue calculus,
    // exact; tested by quadrature); largeRank = sqrt(x_j). Rank one, zero bulk: the BBP value
    // + O(1/p). Present if the spike separates from the bulk of S (separation < 1)
    // and (computeRectTheory) its atom is not in the main component. computeRectTheory: a group
    // sharing its cluster with other atoms gets the mean of its ranks' classical locations
    // instead (largeRankSquared: the mean of their squares), as the square model.
    std::optional<double> largeRank, largeRankSquared;
    // Separation from the bulk of S alone (bulk atoms, weights 1/p):
    //   Q = sigma_e^2 F_b (2 lambda / h_b + sigma_e^2 (c_e - 1) / h_b^2) at lambda = theta^2,
    // < 1 iff h_b > 0 and psi_b' > 0 (reduces to t^4 > c for a zero bulk). +inf if h_b <= 0 or
    // theta is a bulk value.
    double separation = 0.0;
    bool inMainBulk = false; // computeRectTheory: its atom lies in the main component
    int side = 1;            // computeRectTheory: -1 atom below the main component, 0 inside
                             // it, +1 above it
    // computeRectTheory: the support interval holding its atom, and (a cluster) the ranks
    // rank .. rank + multiplicity - 1 of its values there, counted from the lowest; absorbed:
    // that interval is a bulk one (no outlier; largeRank is cleared).
    std::size_t interval = 0;
    int rank = 0;
    bool absorbed = false;
};

// One per spike, in the order of rectSpikeValues (descending). Validates m.
std::vector<RectOutlierPrediction> predictRectOutliers(const RectModel& m);

struct RectTheory
{
    int p = 0;      // min(N, M)
    double c = 1.0; // M/N
    RectEquivalent equivalent;
    Curve mpSingular, mpSquared; // MP(sigma, c) on the plotted range (evenly spaced)
    MpEdges mpSingularEdges, mpSquaredEdges;
    std::vector<RectOutlierPrediction> outliers;
    double mainBulkLo = 0.0, mainBulkHi = 0.0; // main component, singular units
    double edgeMargin = 0.0; // 3 (sigma/2) (1 + c^(-1/2))^(1/3) N^(-2/3): 3 Tracy-Widom widths
                             // of the largest singular value (Johnstone's scale, y units)
};
// Validates m (InputError). The MP curves span the support, the MP support and every predicted
// outlier plus 5%. Throws InputError if results are not finite (extreme scales).
RectTheory computeRectTheory(const RectModel& m, int points = 800);

// Observed outliers by the square model's rule (outliers.h, docs/model.md#observed-outliers):
// each singular value belongs to the support interval whose claim holds it, or is unexplained;
// the values of cluster intervals are matched to their spikes, those of bulk intervals (every
// lump of the bulk of S, wherever it lies) are never outliers. Groups of equal spikes as in
// outliers.h (m consecutive ranks, all m needed). A group's per-sample value is the root mean
// square of its m singular values (squared = true: the mean of their squares), comparable with
// largeRank (largeRankSquared). Interval and unexplained values in the units asked for.
// Samples: singular values, any order.
OutlierObservation observeRectSpectrum(const RectTheory& theory,
                                       const std::vector<std::vector<double>>& samples,
                                       bool squared = false);
// observeRectSpectrum(...).spikes.
std::vector<ObservedOutlier> observeRectOutliers(const RectTheory& theory,
                                                 const std::vector<std::vector<double>>& samples,
                                                 bool squared = false);
// The square model's view of the theory that observeRectSpectrum uses (support and outliers
// only, in singular or squared units); for tests.
Theory rectOutlierView(const RectTheory& theory, bool squared);

// ---- Sampling --------------------------------------------------------------------------------
// The run settings are the square model's RunOptions (runner.h): samples, seed, threads, memory
// budget; the sampler is always dense here (SamplerChoice::Banded is refused, InputError
// "sampler"). The old name stays for the callers that use it.
using RectRunOptions = RunOptions;

struct RectRunResult
{
    int requested = 0;
    int completed = 0;
    bool cancelled = false;
    std::vector<std::vector<double>> singularValues; // per finished sample, descending (p each)
    std::vector<int> sampleIndex;                    // k of each entry, increasing
    double totalSeconds = 0.0;
};

// Sample k draws X from Rng stream (seed, k) in fixed column blocks (one substream per block);
// the Haar U, V come from streams (seed, Rng::kHaarStream) and (seed, kHaarStream - 1), drawn
// once. Singular values by LAPACK dgesdd (jobz = 'N') on one BLAS thread; complex W by zherk +
// zheevd on the p x p Gram matrix (absolute accuracy eps |W|^2 in y^2: Debian's OpenBLAS 0.3.21
// crashes in zgesdd, see rect_sampler.cpp); samples in parallel (oneTBB):
// bit-identical results for any thread count; only opt.subset's samples if given (a cluster
// run's share, docs/cluster.md). `cancel` is checked before each sample and
// between generation and the solve; onSample(k, singular values descending) and progress(done,
// total) are serialized. Throws InputError (model/options) or ResourceError (memory: the
// message gives the estimate, the budget and the largest N that fits at the same c).
RectRunResult runRectSamples(const RectModel& m, const RunOptions& opt,
                             const std::atomic<bool>* cancel = nullptr,
                             const ProgressCallback& progress = {},
                             const SampleCallback& onSample = {});

// The singular values of one sample k (descending), as runRectSamples computes them; for tests
// and benchmarks. Empty if cancelled.
std::vector<double> rectSample(const RectModel& m, std::uint64_t seed, std::uint64_t k);

// Peak bytes of a run with `inFlight` samples at once and `samples` kept (the memory guard).
std::size_t rectRunPeakBytes(const RectModel& m, int inFlight, int samples);

} // namespace ws::core
