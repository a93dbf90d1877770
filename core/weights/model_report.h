#pragma once
// The whole-model report: every tensor of a model (model_tensors.h) analysed as one weight
// matrix (weights_analysis.h), one row per layer with the diagnostics the field compares:
// the noise fit and edge, the outliers above the Tracy-Widom threshold at a stated
// false-detection rate, the detected rank, the share of the squared Frobenius norm in the
// outliers, the stable rank and the power-law exponent of the spectral density's upper tail.
// Method notes and the estimators: docs/pruning.md ("Whole models").
//
// Layers run in parallel (oneTBB), in waves whose summed peak memory fits the budget; each
// layer's numbers do not depend on the thread count or on the other layers.

#include "core/weights/model_tensors.h"
#include "core/weights/weights_analysis.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ws::core {

// Power-law fit of the upper tail of the eigenvalues lambda = s^2 (of W^T W), the estimator of
// Clauset, Shalizi & Newman (SIAM Review 51, 2009) that WeightWatcher uses ("alpha"):
// for each candidate xmin = lambda_(k) (the tail = the k largest, k >= minTail), the continuous
// maximum-likelihood exponent alpha = 1 + k / sum_{i<k} log(lambda_i / xmin) of the density
// p(lambda) ~ lambda^(-alpha), and the Kolmogorov-Smirnov distance D between the tail's empirical
// distribution and the fitted one, 1 - (x/xmin)^(1 - alpha); xmin minimises D. O(p^2).
struct PowerLawFit
{
    bool ok = false;      // false: fewer than minTail positive values (or all equal)
    double alpha = 0.0;   // the density's exponent
    double alphaSe = 0.0; // (alpha - 1)/sqrt(k): the MLE's standard error
    double xmin = 0.0;    // in eigenvalue units (s^2)
    double ks = 0.0;      // D, the fit quality (smaller is better; ~1/sqrt(k) for a good fit)
    int tail = 0;         // k
};
// lambda: eigenvalues, any order, >= 0 (zeros are ignored). minTail >= 2.
PowerLawFit fitPowerLawTail(std::vector<double> lambda, int minTail = 10);

struct LayerReport
{
    ModelTensor tensor;
    bool analysed = false;
    std::string reason; // why not (tensor.reason, or the error reading/analysing it)
    NoiseFit fit;
    double aspect = 0.0;          // cols / rows (c)
    int detectedRank = 0;         // = fit.above
    double outlierEnergy = 0.0;   // sum_{i<k} s_i^2 / ||W||_F^2, k = detectedRank
    double stableRank = 0.0;      // ||W||_F^2 / s_1^2
    PowerLawFit tail;             // of s_i^2
    std::vector<double> singular; // descending (kept only if ModelReportOptions::keepSingular)
    // With ModelReportOptions::permutedSeed: the noise fit of the entry-permuted copy
    // (permutedCopy, weights_analysis.h), and its singular values if keepSingular.
    std::optional<NoiseFit> permuted;
    std::vector<double> permutedSingular;
    double seconds = 0.0; // reading + analysis
};

struct ModelReportOptions
{
    double falseRate = 0.01;      // per layer (NoiseFitOptions::falseRate)
    std::size_t memoryBudget = 0; // 0 = defaultMemoryBudget()
    bool keepSingular = false;    // keep each layer's singular values (the app's plots)
    // Also analyse each layer's entry-permuted copy with this seed (the noise reference; twice
    // the work). Every layer uses the same seed.
    std::optional<std::uint64_t> permutedSeed;
};

struct ModelReport
{
    std::string path;
    std::vector<LayerReport> layers; // in listing order
    int analysed = 0;
    // With L analysed layers that were pure noise: expected false detections L falseRate, and
    // P(at least one) = 1 - (1 - falseRate)^L (independent layers).
    double expectedFalseLayers = 0.0;
    double familyWiseRate = 0.0;
};

// progress(done, total, name): after each layer (serialized, from worker threads).
using ModelProgress = std::function<void(int done, int total, const std::string& layer)>;

// Lists and analyses every tensor. A tensor that cannot be analysed (not 2-D/4-D, too small,
// unreadable dtype, a non-finite value, beyond the memory budget on its own) is listed with the
// reason and does not stop the others. Throws InputError when `path` cannot be listed,
// Cancelled when *cancel became true (nothing returned), InputError for a bad falseRate.
ModelReport analyseModel(const std::string& path, const ModelReportOptions& options = {},
                         const std::atomic<bool>* cancel = nullptr,
                         const ModelProgress& progress = {});

// One layer's row from its singular values (the part of analyseModel after the SVD).
void describeLayer(LayerReport& layer, const std::vector<double>& singular, double falseRate);

} // namespace ws::core
