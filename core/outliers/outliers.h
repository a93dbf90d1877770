#pragma once
// Observed outliers (docs/model.md#observed-outliers): eigenvalues outside the main bulk interval
// of mu_N, widened by 3 sigma N^(-2/3), matched to the predictions in order from the top (positive
// spikes, largest first) and from the bottom (negative spikes, most negative first); reported as
// mean and standard deviation over the samples.

#include "core/outliers/window.h"
#include "core/theory/theory.h"

#include <optional>
#include <vector>

namespace ws::core {

struct ObservedOutlier
{
    std::optional<double> mean, sd; // sd needs >= 2 samples with the outlier present
    int samplesPresent = 0;
    int groupSize = 1; // spikes with exactly this theta (all matched as one group, see below)
};

// One entry per spike (same order as theory.outliers). A spike is matched only when predicted
// to separate by either prediction. Widened edges: widenedMainBulk(theory, sigma, n) (window.h),
// [mainBulkLo - 3 sigma n^(-2/3), mainBulkHi + 3 sigma n^(-2/3)]; eigenvalues strictly outside
// count; NaN is never an outlier. theta == 0 is
// never matched. Samples need not be sorted.
//
// Ranks: the matched positive spikes, largest first, take the ranks 0, 1, 2, ... among the
// eigenvalues above the widened edge, sorted descending (negative spikes: most negative first,
// eigenvalues below the lower edge, ascending).
//
// Groups: spikes with exactly equal theta (a group of multiplicity m, e.g. equal:t) move as ONE
// component of mu_N of mass m/N, a band of width ~ 4 sigma sqrt(m/N); its eigenvalues are not
// individually predicted, only their centre is: theta + sigma^2 G (G without the group's own atom)
// is exactly the mean of x over that component (contour integral of z G_mu(z); tst_theory checks
// it numerically). So the group takes m consecutive ranks, and per sample its observation is the
// AVERAGE of the m eigenvalues at those ranks. A sample counts for the group only if all m are
// found beyond the widened edge; with only some found it is skipped, because the missing ones are
// the members nearest the bulk and a partial average would be biased away from the centre (the
// spikes after the group have higher ranks, so they are then not found either).
// Every member of the group reports the group's mean and sample sd (n - 1) over the counted
// samples, and the same samplesPresent. A lone spike is a group of size 1: its own eigenvalue.
//
// Statistics are overflow-safe (shifted running mean, scaled sum of squares): finite for any
// finite eigenvalues, e.g. outliers near +-1e308. Precondition: n >= 1.
std::vector<ObservedOutlier> observeOutliers(const Theory& theory, double sigma, int n,
                                             const std::vector<std::vector<double>>& samples);

// observeOutliers' matching, for code that must pair spikes with eigenvalues the same way (the
// eigenvector overlaps): the matched spikes (indices into theory.outliers) in rank order, in
// groups of equal theta. up: positive spikes, largest first; down: negative, most negative first.
struct SpikeGroups
{
    std::vector<std::vector<std::size_t>> up, down;
};
SpikeGroups matchSpikeGroups(const Theory& theory);

// Number of eigenvalues outside the widened main bulk, averaged over samples (0 if none).
double meanOutlierCount(const Theory& theory, double sigma, int n,
                        const std::vector<std::vector<double>>& samples);

} // namespace ws::core
