#pragma once
// The Real-weights view's work: reading a weight matrix (a file or a shipped example in the Qt
// resources), its singular values and the noise fit (core/weights/weights_analysis.h), the
// pruning preview numbers, and the pruned-matrix export; loadWeightsJob and exportPrunedJob wrap
// the two long ones as jobs for a JobRunner (jobrunner.h). No widgets, so tests call them too.

#include "ui/jobs/jobrunner.h"

#include "core/weights/model_report.h"
#include "core/weights/weights_analysis.h"
#include "core/weights/weights_io.h"

#include <QString>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ws::ui {

// The shipped example (scripts/make_example_weights.py): the 256 x 128 hidden layer of a small
// MLP trained on scikit-learn's digits, and every layer of it as .safetensors.
inline const QString kExampleNpy = QStringLiteral(":/weights/digits_mlp_hidden.npy");
inline const QString kExampleSafetensors = QStringLiteral(":/weights/digits_mlp.safetensors");

struct WeightsSource
{
    QString path;   // a file, or a Qt resource ":/..." (read into memory; small files only)
    QString tensor; // safetensors tensor / npz member ("" = the only readable one); else ""
    std::size_t memoryBudget = 0; // bytes for the matrix and the SVD; 0 = defaultMemoryBudget()
};

struct WeightsData
{
    WeightsSource source;
    std::string dtype; // as stored ("float32", ...)
    int rows = 0, cols = 0;
    std::vector<std::int64_t> storedShape; // {rows, cols}, or a 4-D kernel's (out, in, kh, kw)
    std::uint64_t fileBytes = 0;
    std::shared_ptr<const std::vector<double>> values; // row-major rows x cols
    std::vector<double> singular;                      // p = min(rows, cols), descending
    core::NoiseFit fit;
    double readSeconds = 0.0, svdSeconds = 0.0;
    int p() const { return static_cast<int>(singular.size()); }
};

// Every tensor of a file or resource (header only; InputError for unreadable files). Text files
// are not scanned (their shape is known only after reading): one entry with an empty shape.
std::vector<core::TensorInfo> listWeightTensors(const QString& path);

// Reads, computes the singular values and fits the noise. progress: fraction of the whole.
// Throws core::InputError / ResourceError / Cancelled.
WeightsData loadWeights(const WeightsSource& source, const std::atomic<bool>* cancel,
                        const std::function<void(double)>& progress);

// Keeping the top k singular values, from the singular values alone (what pruneTopK's matrices
// give up to rounding): retained energy sum_{i<k} s_i^2 / sum s_i^2, k (N + M) parameters
// against N M, relative error ||W - W_k||_F / ||W||_F = sqrt(sum_{i>=k} s_i^2 / sum s_i^2).
struct PrunePreview
{
    int k = 0;
    double retainedEnergy = 1.0, relativeError = 0.0;
    std::int64_t params = 0, originalParams = 0;
};
PrunePreview prunePreview(const WeightsData& d, int k); // k clamped to [0, p]

// pruneTopK's rank-k matrix written with writeNpy (atomic: the target is replaced only when
// complete). progress: fraction of the whole. Throws as pruneTopK / writeNpy, Cancelled.
void exportPruned(const WeightsData& d, int k, const QString& path, const std::atomic<bool>* cancel,
                  const std::function<void(double)>& progress);

// loadWeights as a job: its progress, then `onLoaded` with the data on the GUI thread (unless
// the job was cancelled or superseded by then). Fails with loadWeights' errors.
JobRunner::Work loadWeightsJob(const WeightsSource& source,
                               std::function<void(std::shared_ptr<const WeightsData>)> onLoaded);

// exportPruned as a job: its progress, then `onSaved` on the GUI thread once the file is
// written. Fails with exportPruned's errors (InputError without a matrix).
JobRunner::Work exportPrunedJob(std::shared_ptr<const WeightsData> d, int k, const QString& path,
                                std::function<void()> onSaved);

// The whole-model report (core/weights/model_report.h) of a .safetensors/.npz file or a
// directory, with every layer's singular values kept for the plots; a Qt resource (the example)
// is copied to a temporary file first and the report names the resource. Its progress counts
// layers; `onDone` on the GUI thread. Fails with analyseModel's errors.
JobRunner::Work
analyseModelJob(const QString& path, double falseRate, std::size_t memoryBudget,
                std::function<void(std::shared_ptr<const core::ModelReport>)> onDone);

// One analysed layer of a report as the data the plots show (singular values and fit; no matrix,
// so exporting needs the tensor opened on its own). Precondition: r.layers[index].analysed.
WeightsData layerData(const core::ModelReport& r, int index);

// A path for the core readers (local 8-bit encoding of the file name).
std::string localPath(const QString& path);

} // namespace ws::ui
