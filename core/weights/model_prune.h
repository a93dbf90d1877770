#pragma once
// Pruning a whole .safetensors model (wignerscope-cli weights MODEL --all --prune auto --out):
// every analysed layer (model_report.h) with a detected rank k >= 1 replaced by its best rank-k
// approximation (pruneTopK, weights_analysis.h), stored densely in the layer's own dtype and
// shape (a 4-D kernel reshaped back), so the file loads wherever the original did; every other
// byte -- header, metadata, the other tensors -- copied unchanged.
//
// Layers with k = 0 are kept as they are: their rank-0 approximation is the zero matrix, which
// removes the layer rather than its noise (a classifier head of 10 rows, whose 10 singular values
// are too few to show an outlier, would predict nothing). The result says which were kept.
//
// Parameter counts: `before` is every element of every tensor; `after` counts a replaced layer as
// its two factors, k (rows + cols), which is what storing the low-rank form costs (the written
// file itself keeps the dense shape, as large as before).
//
// Errors: InputError if the report is not of a single .safetensors file; ResourceError if the
// file's bytes plus the largest layer's pruning exceed the budget (0 = defaultMemoryBudget());
// Cancelled. Memory: the whole output file in memory, plus one layer's pruning at a time.

#include "core/weights/model_report.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ws::core {

struct PrunedLayer
{
    std::string name;
    int rows = 0, cols = 0, k = 0;
    bool replaced = false;      // false: kept unchanged (k = 0)
    double relativeError = 0.0; // ||W - W_k||_F / ||W||_F (0 if kept)
    double retainedEnergy = 1.0;
};

struct PrunedModel
{
    std::string bytes; // the new .safetensors file
    std::vector<PrunedLayer> layers;
    std::int64_t paramsBefore = 0, paramsAfter = 0;
};

PrunedModel pruneModel(const ModelReport& report, const std::atomic<bool>* cancel = nullptr,
                       std::size_t memoryBudget = 0);

// Rounding to the stored formats (nearest, ties to even; beyond the largest finite value:
// that value, with its sign). Exposed for tests.
std::uint16_t toFloat16(double v);
std::uint16_t toBFloat16(double v);

} // namespace ws::core
