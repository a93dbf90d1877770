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

// One entry per spike (same order as predictOutliers). A spike is matched only when predicted
// to separate by either prediction; spike j of the positive ones takes the j-th largest
// eigenvalue above the widened edge in each sample, if there is one.
std::vector<ObservedOutlier> observeOutliers(const Theory& theory, double sigma, int n,
                                             const std::vector<std::vector<double>>& samples);

// Number of eigenvalues outside the widened main bulk, averaged over samples.
double meanOutlierCount(const Theory& theory, double sigma, int n,
                        const std::vector<std::vector<double>>& samples);

} // namespace ws::core
