#pragma once
// Observed outliers (DESIGN.md section 2): eigenvalues outside the main bulk interval of mu_N,
// widened by 3 sigma N^(-2/3), matched to the predictions in order from the top (positive
// spikes, largest first) and from the bottom (negative spikes, most negative first); reported as
// mean and standard deviation over the samples.

#include "theory.h"

#include <optional>
#include <vector>

namespace ws::core {

struct ObservedOutlier
{
    std::optional<double> mean, sd; // sd needs >= 2 samples with the outlier present
    int samplesPresent = 0;
};

// One entry per spike (same order as theory.outliers). A spike is matched only when predicted
// to separate by either prediction; spike j of the positive ones takes the j-th largest
// eigenvalue above the widened edge in each sample, if there is one (negative spikes: the
// j-th smallest below the widened lower edge; theta == 0 is never matched). Widened edges:
// [mainBulkLo - 3 sigma n^(-2/3), mainBulkHi + 3 sigma n^(-2/3)], eigenvalues strictly
// outside count. Samples need not be sorted; NaN is never an outlier. Mean and sample sd
// (n - 1) over the samples where the outlier is present. Precondition: n >= 1.
std::vector<ObservedOutlier> observeOutliers(const Theory& theory, double sigma, int n,
                                             const std::vector<std::vector<double>>& samples);

// Number of eigenvalues outside the widened main bulk, averaged over samples (0 if none).
double meanOutlierCount(const Theory& theory, double sigma, int n,
                        const std::vector<std::vector<double>>& samples);

} // namespace ws::core
