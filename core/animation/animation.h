#pragma once
// Animations for slides: one parameter moves over a range while everything else stays; every
// frame is a complete run (all its samples) of the model at that value, drawn on axes that are
// the same for every frame. Plain values, no drawing (the renderer is ui/render/).
//
// Frames are the sweep machinery's points (core/sweeps/sweep.h): frame i is the model
// sweepModel(spec, value_i), sampled with the SAME RunOptions at every frame, seed included
// (common random numbers: a theta animation moves the same noise matrices, so the motion on
// screen is the parameter's, not the noise's; for N the matrices of different sizes are
// different draws). Frame i's histogram is exactly that of runSamples(model_i, run) on the
// animation's edges, or, where the banded inertia path pays, that of runBandedSpectra with the
// same edges (the same numbers a single run gives, bit for bit; tests check it).
//
// Axes are fixed before the first frame, from the theory of every frame (cheap next to the
// sampling): x spans the support of every deterministic equivalent, [-2 sigma, 2 sigma] and
// every predicted outlier, widened by 10 edge-fluctuation scales sigma N^(-2/3) and 4% of the
// span; the y range is the largest theoretical density over the frames (semicircle and
// deterministic equivalent) times 1.3, room for the histogram's fluctuations. One bin width for
// every frame. The model conventions are in docs/model.md.

#include "core/model/model.h"
#include "core/outliers/outliers.h"
#include "core/sampling/runner.h"
#include "core/sampling/sampler_plan.h"
#include "core/sweeps/sweep.h"
#include "core/theory/theory.h"
#include "core/util/histogram.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ws::core {

struct AnimationSpec
{
    Model base;
    SweepParam param = SweepParam::Theta; // theta, N, alpha, sigma or a family value
    int familyIndex = 0;                  // Spikes / Bulk: which value (0-based)
    double from = 0.5, to = 3.0;          // first and last frame's value
    int frames = 60;                      // 1 ... 1000
    bool log = false;                     // geometric spacing (from, to > 0), e.g. for N
    RunOptions run;             // samples per frame, seed (the same at every frame), threads,
                                // sampler, memory budget
    int bins = 0;               // histogram bins over the x range; 0 = automatic (below)
    int points = 400;           // points of each theory curve, 2 ... 100000
    std::size_t extraBytes = 0; // the caller's own memory (images, encoder), checked with the
                                // frames' against the budget
};

// The sweep over the same grid (steps = frames), as the frames use it.
SweepSpec sweepSpecOf(const AnimationSpec& spec);

// The axes shared by every frame.
struct AnimationAxes
{
    double xLo = 0.0, xHi = 1.0; // eigenvalue range shown
    double yMax = 1.0;           // density range shown: [0, yMax]
    std::vector<double> edges;   // histogram bin edges on [xLo, xHi] (bins + 1, evenly spaced)
};

// A validated animation: the grid, the model and theory of every frame, the fixed axes.
struct AnimationPlan
{
    AnimationSpec spec;
    std::vector<double> values;   // the parameter at each frame (sweepGrid)
    std::vector<Model> models;    // sweepModel at each value
    std::vector<Theory> theories; // computeTheory(model, spec.points)
    AnimationAxes axes;
    std::size_t peakBytes = 0; // estimate of the whole run (largest frame + kept frames +
                               // extraBytes)
    std::string valueName;     // theta, N, alpha, sigma, or the family value's letter
};

// Checks everything before any sampling:
// - the grid and every frame's model (InputError naming frames / from / to / param / a model
//   parameter, e.g. "from: at sigma = 0: ...", "frames: must be an integer in [1, 1000]");
//   samples >= 1, threads >= 0, bins in [0, 10^6], points in [2, 10^5]; --sampler banded must
//   apply at every frame ("sampler: ...");
// - the theory of every frame (for the axes);
// - memory: the largest frame's sampler peak (as runSweep estimates it, with min(threads,
//   samples) samples in flight), plus every kept frame, plus spec.extraBytes, against the budget
//   (ResourceError naming the frame, the estimate and the budget).
// Automatic bins: 2 T^(1/3) bins across a typical main bulk (the geometric mean of the
// narrowest and the widest over the frames), T = the fewest eigenvalues of a frame
// (samples x N), scaled to the whole x range, clamped to [20, 400].
// Returns an empty plan (no values) if `cancel` gets set. Thread-safe; allocates O(frames x
// points).
AnimationPlan planAnimation(const AnimationSpec& spec, const std::atomic<bool>* cancel = nullptr);

struct AnimationFrame
{
    int index = 0;      // frame number, 0-based
    double value = 0.0; // the parameter's value
    Model model;
    int rank = 0;
    SamplerKind sampler = SamplerKind::Dense;            // the sampler that ran
    SpectrumSource source = SpectrumSource::Eigenvalues; // runSamples, or inertia counts
    int samples = 0;  // completed samples (== spec.run.samples unless cancelled)
    Curve semicircle; // on [xLo, xHi]
    Curve equivalent; // density of the deterministic equivalent mu_N (its support)
    std::vector<OutlierPrediction> predictions; // per spike: finite-rank and large-rank
    double bulkLo = 0.0, bulkHi = 0.0;          // bulkHull: the hull of the bulk intervals
    double edgeLo = 0.0, edgeHi = 0.0;          // claims of the lowest / highest bulk interval
    Histogram histogram;                        // on axes.edges; total = samples x N
    std::vector<ObservedOutlier> observed;      // observeOutliers, per spike
    std::vector<double> outside; // every sample's observed outliers (eigenvalues of cluster
                                 // intervals and unexplained ones), ascending
    double seconds = 0.0;
};

// Frame `index` on its own: needs no other frame, so frames can be computed in any order or
// ahead of playback. Returns a frame with samples < spec.run.samples if `cancel` gets set
// (discard it). Progress (done, total) counts samples, serialized. Throws what runSamples
// throws (InputError, ResourceError). Thread-safe (the plan is only read).
AnimationFrame computeFrame(const AnimationPlan& plan, int index,
                            const std::atomic<bool>* cancel = nullptr,
                            const ProgressCallback& progress = {});

// The pieces of computeFrame, so that a cluster run (docs/cluster.md) can draw a frame's samples
// on several processes and sum them up on one: computeFrame(plan, i) is exactly
// frameFromSamples(plan, i, computeFrameSamples(plan, i, plan.spec.run)).
//
// One sample of a frame: the eigenvalues the outlier tally looks at (all of them, ascending; on
// the inertia path the located ones, and `unlisted` the others, all in the bulk's claim), and on
// the inertia path its histogram counts on the axes' edges.
struct FrameSample
{
    std::vector<double> eigenvalues;
    std::int64_t unlisted = 0;
    std::vector<std::uint64_t> counts; // inertia path only
};
struct FrameSamples
{
    SamplerKind sampler = SamplerKind::Dense;
    SpectrumSource source = SpectrumSource::Eigenvalues;
    std::vector<FrameSample> samples; // the completed ones, ascending sample index
    std::vector<int> sampleIndex;     // k of each
    bool cancelled = false;
};
// The samples of `run` (plan.spec.run, or with a subset: a process's share) of frame `index`.
// Throws what runSamples / runBandedSpectra throw.
FrameSamples computeFrameSamples(const AnimationPlan& plan, int index, const RunOptions& run,
                                 const std::atomic<bool>* cancel = nullptr,
                                 const ProgressCallback& progress = {});
// The frame from its samples in sample order (all plan.spec.run.samples of them; a cancelled
// set gives a frame with fewer samples and no observations). Sums run in sample order, so the
// frame does not depend on where the samples were drawn.
AnimationFrame frameFromSamples(const AnimationPlan& plan, int index, FrameSamples samples);

// Whether frame `index` uses the banded inertia path (histogram from inertia counts, extremes
// by bisection) rather than all eigenvalues: where the banded sampler applies and about
// (bins + 50 (r + 2)) inertia counts of O(N r^2) each cost less than the ~6 N^2 r of the band
// eigenvalue solver, N >= 1000 (the CLI's sample command decides the same way).
bool frameUsesInertia(const AnimationPlan& plan, int index);

struct AnimationProgress
{
    int frame = 0, frames = 0;        // current frame (0-based) and number of frames
    int samplesDone = 0, samples = 0; // within the current frame
    double fraction = 0.0;            // of all frames' samples
};
using AnimationProgressCallback = std::function<void(const AnimationProgress&)>;
using AnimationFrameCallback = std::function<void(const AnimationFrame&)>;

struct AnimationResult
{
    std::vector<AnimationFrame> frames; // complete frames, in order
    bool cancelled = false;             // stopped early: only complete frames are kept
    double seconds = 0.0;
};

// Every frame in order (computeFrame), each handed to onFrame when complete. Callbacks come
// from the calling thread or the runner's workers (serialized).
AnimationResult runAnimation(const AnimationPlan& plan, const std::atomic<bool>* cancel = nullptr,
                             const AnimationProgressCallback& progress = {},
                             const AnimationFrameCallback& onFrame = {});

} // namespace ws::core
