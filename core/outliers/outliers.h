#pragma once
// Observed outliers (docs/model.md#observed-outliers): each eigenvalue of a sample belongs to a
// support interval of mu_N by position, or to none; the eigenvalues of the cluster intervals
// are matched to their spikes; statistics over the samples.
//
// Per sample:
// 1. An eigenvalue in [claimLo, claimHi] of an interval belongs to it (window.h: inside [a, b],
//    or in a gap within the window of the nearer neighbour, in window units).
// 2. Otherwise it is an unexplained outlier (reported apart, never matched).
// 3. Observed outliers = the eigenvalues of cluster intervals + the unexplained ones. Those of
//    bulk intervals are not outliers, wherever the interval is (several bulks, gaps, below).
// 4. Within a cluster of k spikes and m eigenvalues: matchMonotone (matching.h) against its
//    predicted positions (classical locations, or the centre of a one-atom cluster); clusters
//    whose claims touch (no gap between them) are matched as one chain, so that an outlier
//    that strays into its neighbour's interval still goes with its own spike. A group
//    of equal spikes (multiplicity g, consecutive ranks) is "complete" in a sample when all g of
//    its ranks got an eigenvalue; only then is its mean (of those g) recorded, since a partial
//    mean is biased toward the far edge. Likewise the cluster's mean only when m == k.
// NaN eigenvalues are ignored.
//
// Statistics are overflow-safe (shifted running mean, scaled sum of squares): finite for any
// finite eigenvalues, e.g. outliers near +-1e308.

#include "core/theory/theory.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace ws::core {

// One spike's observation (every member of a group of equal spikes reports the group's).
struct ObservedOutlier
{
    std::optional<double> mean, sd; // of the group's mean over the samples where it is complete
                                    // (sd needs two of them)
    int samplesPresent = 0;         // samples where the group was complete
    int groupSize = 1;              // spikes with exactly this theta
    double meanCount = 0.0;         // eigenvalues matched to the group per sample (mean)
    // Groups of >= 2: the mean over complete samples of the population sd of its eigenvalues
    // within one sample (compare with the cluster's spread for a one-atom cluster).
    std::optional<double> spread;
};

// One support interval's observation.
struct ObservedInterval
{
    double meanCount = 0.0; // eigenvalues that belong to it, per sample
    std::int64_t minCount = 0, maxCount = 0;
    // Clusters: samples with exactly `count` eigenvalues, the mean of those (mean and sd over
    // such samples; compare with centre and sdMean) and their own sd (population, mean over
    // such samples; compare with spread).
    int samplesComplete = 0;
    std::optional<double> mean, sd, spread;
};

struct OutlierObservation
{
    int samples = 0;
    std::vector<ObservedOutlier> spikes;     // one per theory.outliers
    std::vector<ObservedInterval> intervals; // one per support interval
    double meanOutliers = 0.0;               // observed outliers per sample (cluster + unexplained)
    double meanUnexplained = 0.0;            // unexplained outliers per sample
    std::vector<double> unexplained;         // their positions, ascending, at most kMaxUnexplained
};
inline constexpr std::size_t kMaxUnexplained = 1000;

// The interval an eigenvalue belongs to (index into theory.equivalent.support), or -1 for an
// unexplained outlier (and NaN). O(log intervals).
int intervalOf(const Theory& theory, double x);

// One sample reduced to what the statistics need: O(intervals + cluster eigenvalues) memory, so
// that a long run can keep one per sample (the GUI does).
struct SampleTally
{
    std::vector<std::int64_t> counts; // per interval
    // The eigenvalues of the cluster intervals, ascending: interval by interval, since the
    // claims are ordered (clusterEigenvalues gives one interval's).
    std::vector<double> clustered;
    std::vector<double> unexplained; // ascending
};
// The eigenvalues of interval k in a tally (empty for a bulk interval). O(k).
std::vector<double> clusterEigenvalues(const Theory& theory, const SampleTally& tally,
                                       std::size_t k);

// `eigenvalues` need not be sorted. unlisted: eigenvalues of the sample not in the list, all
// inside the claim of the one bulk interval of outlierThresholds (the banded fast path locates
// only the others); they are counted there. std::invalid_argument if unlisted > 0 and the
// theory has not exactly one bulk interval.
SampleTally tallySample(const Theory& theory, const std::vector<double>& eigenvalues,
                        std::int64_t unlisted = 0);

// How a group's (and a cluster's) values in one sample are averaged. RootMeanSquare: the
// rectangular model's singular values, whose large-rank prediction is sqrt(mean of squares).
enum class GroupAverage { Mean, RootMeanSquare };

// Statistics over tallied samples (any order of samples gives the same counts; means in the
// given order).
OutlierObservation summarizeTallies(const Theory& theory, const std::vector<SampleTally>& tallies,
                                    GroupAverage average = GroupAverage::Mean);

// tallySample for each sample, then summarizeTallies. Samples need not be sorted.
OutlierObservation observeOutliers(const Theory& theory,
                                   const std::vector<std::vector<double>>& samples,
                                   GroupAverage average = GroupAverage::Mean);

// What the banded fast path (banded.h, BandedSpectrumRequest) must locate so that tallySample
// sees every eigenvalue that is not in the bulk: those above `above` and below `below`, at most
// maxOutliers on each side. With one bulk interval: its claim. Without any (r = N): everything
// (above = below = -1.8e308, maxOutliers = N). Empty with several bulk intervals (a bulk of S
// with distinct values, where the band model does not apply anyway).
struct OutlierThresholds
{
    double below = 0.0, above = 0.0;
    int maxOutliers = 1000;
    std::optional<std::size_t> bulk; // the bulk interval the unlisted eigenvalues belong to
};
std::optional<OutlierThresholds> outlierThresholds(const Theory& theory);

} // namespace ws::core
