#pragma once
// What the controller hands to the views: one TheoryFrame per parameter change (generation) and
// a stream of SampleFrames as samples arrive. Frames are immutable once published.

#include "ui/jobs/samplerplan.h"

#include "core/util/histogram.h"
#include "core/outliers/outliers.h"
#include "core/io/session.h"
#include "core/theory/theory.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ws::ui {

// Groups of equal spikes (theory.outliers is in descending theta, so equal spikes are
// consecutive): first index and size. A group moves as one component of mu_N and is observed as
// one (ObservedOutlier::groupSize), so the views show it once, as "theta x m".
struct SpikeGroup
{
    std::size_t first = 0, size = 1;
};
std::vector<SpikeGroup> spikeGroups(const std::vector<core::OutlierPrediction>& outliers);

struct TheoryFrame
{
    std::uint64_t generation = 0;
    core::Session session;          // the parameters this frame belongs to
    int rank = 1;                   // r
    core::Theory theory;            // curves, support, outlier predictions
    std::vector<double> spikes;     // theta_1 >= ... >= theta_r
    std::vector<SpikeGroup> groups; // spikeGroups(theory.outliers)
    // The N - r bulk eigenvalues of S, summarized (N reaches 10^6, so no per-value data reaches
    // the GUI thread): count, range and counts in evenly spaced bins over [bulkLo, bulkHi] (one
    // bin for a constant bulk). bulkCount == 0: no bulk (r = N).
    std::size_t bulkCount = 0;
    double bulkLo = 0.0, bulkHi = 0.0;
    std::vector<double> bulkHistogram;
    // A bulk of at most kMaxBulkAtoms distinct values (two-point, a short list): those values,
    // ascending, and bulkHistogram holds their counts (one bar each, not bins that would smear
    // them over the range). Empty otherwise.
    static constexpr std::size_t kMaxBulkAtoms = 16;
    std::vector<double> bulkAtoms;
    // Separation thresholds of the signal-spectrum plot: |theta| = sigma (finite rank) and the
    // large-rank criterion sigma^2 (1/N) sum_bulk 1/(theta - s)^2 = 1 above / below the bulk
    // (core::largeRankThreshold).
    double thresholdFinite = 1.0;
    std::optional<double> thresholdLargeHi, thresholdLargeLo;
    // Histogram range and the plot's auto range, fixed from the theory so the view does not
    // jump while samples arrive.
    double histLo = -2.0, histHi = 2.0;
    int bins = 60;
    double viewLo = -2.5, viewHi = 2.5;
    double densityMax = 0.4;               // max of the theory curves
    SamplerPlan plan = SamplerPlan::Dense; // what the controller runs (samplerplan.h)
    std::string predictedSampler;          // samplerLabel(plan)
    double theorySeconds = 0.0;
};

// One finished sample's eigenvalues, ascending: all N of them, or on the banded fast path only
// the located extremes, with their ranks among the N (0 = smallest).
struct SampleEigenvalues
{
    int index = 0; // sample k
    std::vector<double> values;
    std::vector<std::int64_t> ranks; // fast path only; empty: values[j] has rank j
};

struct SampleFrame
{
    std::uint64_t generation = 0;
    core::Histogram histogram;
    int done = 0, total = 0;
    std::string sampler;
    double elapsedSeconds = 0.0;
    std::vector<core::ObservedOutlier> observed;           // one per spike (core::observeOutliers)
    std::vector<core::ObservedInterval> observedIntervals; // one per support interval
    double meanOutlierCount = 0.0; // observed outliers per sample: cluster + unexplained
    double meanUnexplained = 0.0;  // unexplained outliers per sample
    // Their positions over all samples, ascending (at most core::kMaxUnexplained).
    std::vector<double> unexplained;
    std::uint64_t outsideHistogram = 0; // values outside the histogram range
    bool finished = false, cancelled = false;
    // The banded fast path ran: the histogram comes from inertia counts and only the extreme
    // eigenvalues (the outliers and the top/bottom one of each sample) were located.
    bool extremesOnly = false;
    // Every finished sample in arrival order (`done` of them), shared between the frames of a
    // run: a new frame copies pointers, not values.
    std::vector<std::shared_ptr<const SampleEigenvalues>> eigenvalues;
};

// Where a spike's outlier lies, for the views' "interval" column and labels
// (docs/model.md#support-intervals): in a cluster interval above every bulk interval, below every
// one, in a gap between two, or apart (there is no bulk interval: r = N); Absorbed: its atom lies
// in a bulk interval (no outlier).
enum class OutlierPlace { Above, Below, Gap, Apart, Absorbed };
OutlierPlace outlierPlace(const core::Theory& t, const core::OutlierPrediction& p);

// The predicted count of interval k (N x mass) and the observed mean count ("499", "498.8").
// Counts are integers by exact separation; the observed mean keeps one decimal (two below 10,
// where a count of 1 vs 0.98 matters).
std::string countText(double count);

// Builds the theory frame (computeTheory + ranges). Throws core::InputError.
TheoryFrame makeTheoryFrame(const core::Session& s, std::uint64_t generation);

// The value of a constant bulk (core::bulkIsConstant(m)), from a model of two: its quantiles do
// not depend on the count, and no N values are materialized.
double constantBulkValue(const core::Model& m);

// Bins for the histogram: about sqrt(values)/2 bins across the bulk (core::bulkHull; 20..120), the
// same width over the whole range, at most maxBins (4000; kBandedMaxBins on the fast path).
int chooseBins(double lo, double hi, double bulkLo, double bulkHi, double values,
               int maxBins = 4000);

} // namespace ws::ui
