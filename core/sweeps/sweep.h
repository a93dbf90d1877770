#pragma once
// Parameter sweeps: the same model at each point of a grid of one parameter --
// theta (spike strength), N or alpha -- sampled with the core's parallel runner, with the
// observed outliers, both predictions and (optionally) eigenvector overlaps per point.
//
// Exactly the single-run calls: point i runs runSamples(model_i, spec.run) -- or, where the
// banded fast path pays (large N, small rank, spec.fastPath), runBandedSpectra(model_i, spec.run,
// request) -- with the SAME RunOptions at every point, seed included. So a grid point's numbers
// are bit for bit those of a single run of model_i with that seed (tests check it), and
// neighbouring points share their random numbers (common random numbers: a theta sweep moves the
// same noise matrices, so the curves are smooth in theta and differences between points are
// not blurred by independent noise). For N sweeps the matrices of different sizes are of course
// different draws.
//
// Grid values: theta = the strongest spike (largest |theta_j|); the spike family is scaled so
// that its strongest spike takes the value (equal:t -> t, power:t,g -> t, linear:a,b and list:
// every value times value/strongest), or, with rankOne, replaced by the single spike
// equal:value with rank 1 (noise, bulk and eigenvectors kept). N: rounded to the nearest integer
// (duplicates after rounding are dropped). alpha: r = ceil(N^alpha) (not with a list of spikes,
// whose rank is fixed). sigma: the noise scale (> 0). Spikes / Bulk: one value of the family
// string, familyIndex (0-based) into its values (linear:a,b with index 1 moves b); the result is
// validated like any model (e.g. uniform:a,b needs a <= b at every point).

#include "core/model/model.h"
#include "core/outliers/outliers.h"
#include "core/outliers/overlap.h"
#include "core/sampling/runner.h"
#include "core/sampling/sampler_plan.h"
#include "core/theory/theory.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ws::core {

enum class SweepParam { Theta, N, Alpha, Sigma, Spikes, Bulk };
SweepParam parseSweepParam(std::string_view text); // theta | n | alpha (InputError "param: ...")
std::string toString(SweepParam p);                // theta | n | alpha | sigma | spikes | bulk

// The wider set of the animations: theta | n | alpha | sigma | spikes:K | bulk:K, K the 1-based
// position of the value in the family string (spikes:2 of linear:a,b is b). InputError
// "param: ..." otherwise; whether K exists in the model's family is checked by sweepModel.
struct SweepTarget
{
    SweepParam param = SweepParam::Theta;
    int familyIndex = 0; // 0-based, Spikes / Bulk only
};
SweepTarget parseSweepTarget(std::string_view text);

// What a grid value is called in messages and captions: theta, N, alpha, sigma, or the family
// parameter's own letter (b of linear:a,b, g of power:t,g, p of twopoint:a,b,p; v3 for the
// third value of a list).
std::string sweepValueName(SweepParam p, int familyIndex, const Model& base);

struct SweepSpec
{
    Model base;
    SweepParam param = SweepParam::Theta;
    double from = 0.5, to = 3.0;
    int steps = 11;        // >= 1 (1: only `from`)
    bool log = false;      // geometric grid (from, to > 0)
    bool rankOne = false;  // theta only: a single spike equal:value (rank 1)
    int familyIndex = 0;   // Spikes / Bulk: which value of the family string (0-based)
    RunOptions run;        // samples, seed (the same at every point), threads, sampler, budget
    bool overlaps = false; // also squared eigenvector overlaps (core/outliers/overlap.h; costs
                           // about as much again as the eigenvalues)
    bool fastPath = true;  // banded inertia path where it beats the band solver
    int keepTop = 8;       // per-sample extreme eigenvalues kept from each end (faint points)
};

// The grid values, ascending as given (from -> to). Throws InputError naming from / to / steps /
// log for a bad grid (e.g. "steps: must be an integer in [1, 1000], got 0",
// "from: a log grid needs from > 0"), or for N values outside [2, 2^31).
std::vector<double> sweepGrid(const SweepSpec& spec);
// The model at one grid value (validated; InputError naming the parameter otherwise).
Model sweepModel(const SweepSpec& spec, double value);

struct SweepPoint
{
    int index = 0;      // grid index
    double value = 0.0; // grid value (theta, N or alpha)
    Model model;
    int rank = 0;
    SamplerKind sampler = SamplerKind::Dense;            // the sampler that ran
    SpectrumSource source = SpectrumSource::Eigenvalues; // runSamples, or runBandedSpectra
    int samples = 0;                                     // completed samples
    double bulkLo = 0.0, bulkHi = 0.0; // bulkHull(theory): the hull of the bulk intervals
    // The claims of the lowest and the highest bulk interval (window.h): beyond them an
    // eigenvalue is an outlier (the fast path locates those).
    double edgeLo = 0.0, edgeHi = 0.0;
    std::vector<OutlierPrediction> predictions;      // computeTheory(model).outliers
    std::vector<SupportInterval> intervals;          // computeTheory(model).equivalent.support
    bool heavyTails = false;                         // computeTheory(model).heavyTails
    std::vector<ObservedOutlier> observed;           // observeOutliers, one per spike
    std::vector<ObservedInterval> observedIntervals; // observeOutliers, one per interval
    double unexplained = 0.0;                        // unexplained outliers per sample
    // Per sample: the largest eigenvalues (descending) and the smallest (ascending), at most
    // keepTop each (all samples, outliers or not: below the threshold the top one sits at the
    // bulk edge, which is what shows the transition).
    std::vector<std::vector<double>> top, bottom;
    std::vector<double> topMean, topSd; // per rank i over samples (sd: 0 with one sample)
    // Number of outliers: predicted by each theory (spikes with that prediction) and observed
    // (eigenvalues of cluster intervals and unexplained ones, mean over samples).
    int predictedFinite = 0, predictedLarge = 0;
    double observedCount = 0.0;
    // Mean |observed mean - prediction| over the spikes that have an observed mean and BOTH
    // predictions (the same spikes for both errors; errorSpikes of them), empty if none.
    std::optional<double> errorFinite, errorLarge;
    int errorSpikes = 0;
    // Mean standard error of those observed means (sd / sqrt(samples present)): the noise floor
    // of the errors.
    std::optional<double> errorFloor;
    std::vector<ObservedOverlap> overlaps;         // one per spike when spec.overlaps
    std::vector<ObservedOverlap> intervalOverlaps; // one per interval when spec.overlaps
    double seconds = 0.0;
};

struct SweepProgress
{
    int point = 0, points = 0;        // current point (0-based) and number of points
    int samplesDone = 0, samples = 0; // within the current point
    double fraction = 0.0;            // of the whole sweep, weighted by estimated cost
};
using SweepProgressCallback = std::function<void(const SweepProgress&)>;
using SweepPointCallback = std::function<void(const SweepPoint&)>;

struct SweepResult
{
    SweepParam param = SweepParam::Theta;
    std::vector<SweepPoint> points; // the completed points, in grid order
    int requested = 0;              // grid points
    bool cancelled = false;         // stopped early: only complete points are kept
    double totalSeconds = 0.0;
};

// Validates every point first (InputError), checks the memory of the largest point against the
// budget (ResourceError), then runs the points in grid order. Callbacks come from the calling
// thread or the runner's workers (serialized). Stops promptly when `cancel` is set.
SweepResult runSweep(const SweepSpec& spec, const std::atomic<bool>* cancel = nullptr,
                     const SweepProgressCallback& progress = {},
                     const SweepPointCallback& onPoint = {});

// One point of the sweep on its own (what runSweep does at grid index `index`). Returns a point
// with samples < spec.run.samples if cancelled.
SweepPoint runSweepPoint(const SweepSpec& spec, int index, double value,
                         const std::atomic<bool>* cancel = nullptr,
                         const ProgressCallback& progress = {});

// The pieces of runSweepPoint, so that a cluster run (docs/cluster.md) can draw a point's samples
// on several processes and sum them up on one: runSweepPoint(spec, i, v) is exactly
// sweepPointFromSamples(spec, i, v, theory, runSweepPointSamples(spec, model, theory)) with
// model = sweepModel(spec, v), theory = computeTheory(model, 800).
//
// One sample of a grid point reduced to what the point's statistics need: the eigenvalues for
// the tally (all of them, ascending; on the fast path only those located, and `unlisted` the
// others, which lie in the bulk's claim) and the kept extremes.
struct SweepSample
{
    std::vector<double> eigenvalues;
    std::int64_t unlisted = 0;
    std::vector<double> top;    // largest, descending, at most keepTop
    std::vector<double> bottom; // smallest, ascending (only when a spike is negative)
};
struct SweepSamples
{
    SamplerKind sampler = SamplerKind::Dense;
    SpectrumSource source = SpectrumSource::Eigenvalues;
    std::vector<SweepSample> samples; // the completed ones, ascending sample index
    std::vector<int> sampleIndex;     // k of each
    // With spec.overlaps, drawn apart (runOverlaps on the same samples, e.g. by the processes
    // of a cluster run): one per sample, in sample order. Empty: sweepPointFromSamples draws them.
    std::vector<SampleOverlaps> overlaps;
    bool cancelled = false;
};
// The samples of spec.run (only spec.run.subset if given) at the point with this model and
// theory. Throws like runSamples / runBandedSpectra (InputError, ResourceError).
SweepSamples runSweepPointSamples(const SweepSpec& spec, const Model& m, const Theory& theory,
                                  const std::atomic<bool>* cancel = nullptr,
                                  const ProgressCallback& progress = {});
// The point from all spec.run.samples samples in sample order (fewer: a cancelled point, with
// samples < spec.run.samples and no statistics), then the overlaps if spec.overlaps (from
// samples.overlaps, or drawn here on all samples). Sums run over the samples in sample order, so
// the numbers do not depend on where the samples were drawn.
SweepPoint sweepPointFromSamples(const SweepSpec& spec, int index, double value,
                                 const Theory& theory, SweepSamples samples,
                                 const std::atomic<bool>* cancel = nullptr,
                                 const ProgressCallback& progress = {});
// Every grid model, validated (and the banded sampler's applicability if asked), as runSweep
// checks them before the first point runs. InputError naming the parameter.
std::vector<Model> sweepModels(const SweepSpec& spec, const std::vector<double>& grid);
// The memory check runSweep makes for every point before the first one runs: ResourceError
// (the point, the estimate, the budget and the largest N that fits) if the point with this model
// needs more than the budget with the samples of spec.run (its subset, if any) in flight.
void checkSweepPointMemory(const SweepSpec& spec, double value, const Model& m);
// Everything runSweep checks before its first point runs, in its order: the base model, the run's
// shape, every grid model (sweepModels) and every point's memory. The grid models; InputError or
// ResourceError otherwise (the GUI's sweep tabs call it at every edit, to say why before Run).
std::vector<Model> checkedSweepModels(const SweepSpec& spec, const std::vector<double>& grid);
// Estimated cost of one sample of a point with this model (arbitrary units ~ flops; the dense
// eigensolve is N^3), for progress and for splitting a sweep over processes.
double sweepSampleCost(const SweepSpec& spec, const Model& m);

// Whether a point with this model uses runBandedSpectra (fast path) rather than runSamples.
bool sweepUsesFastPath(const SweepSpec& spec, const Model& m);

// Estimated peak bytes of one point with this model and `inFlight` samples at once (the check
// runSweep makes for every point before the first runs).
std::size_t sweepPointBytes(const SweepSpec& spec, const Model& m, int inFlight);

// Least-squares slope of log(y) against log(x) over the pairs with x, y > 0 (empty if fewer than
// two): the convergence rate of an error.
std::optional<double> logLogSlope(const std::vector<double>& x, const std::vector<double>& y);

// One CSV row per grid point: the grid value, model size, counts, errors, and the leading spike's
// predictions and observation (shortest round-trip numbers; empty cells for missing values).
std::string sweepCsv(const SweepResult& r);

} // namespace ws::core
