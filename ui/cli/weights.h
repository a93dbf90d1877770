#pragma once
// wignerscope-cli weights: the real-weights view headless. Reads one 2-D tensor of a
// .npy, .safetensors or CSV/TSV file (core/weights/weights_io.h), computes its singular values,
// fits the Marchenko-Pastur noise level and bulk edge, counts the singular values above a
// Tracy-Widom threshold set for a stated false-detection rate (--false-rate, default 1% per
// matrix) and, with --prune, writes the best rank-k approximation as .npy
// (core/weights/weights_analysis.h; method notes in docs/pruning.md).
//
//   wignerscope-cli weights FILE [--tensor NAME] [--json FILE|-] [--bins B] [--range A:B]
//                   [--prune K|auto --out FILE.npy] [--false-rate P] [--memory-budget BYTES]
//   wignerscope-cli weights FILE --list [--json FILE|-]
//   wignerscope-cli weights MODEL|DIR --all ... (the whole-model report: weights_model.h)
//
// Exit status as cli.h: 2 for bad options and unreadable, corrupt or unsupported files, 3 for the
// memory budget, 130 when interrupted (nothing is written then).

#include "ui/cli/cli.h"

#include "core/util/histogram.h"
#include "core/weights/weights_analysis.h"
#include "core/weights/weights_io.h"

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ws::cli {

struct WeightsOptions
{
    bool help = false;
    std::string file;
    std::string tensor;   // --tensor ("" = the only 2-D tensor)
    std::string jsonPath; // "" = human summary on stdout, "-" = JSON on stdout
    bool list = false;
    bool all = false;    // --all: the whole-model report (weights_model.h)
    std::string csvPath; // --csv (with --all): the table as CSV, "-" = stdout
    bool prune = false;
    bool pruneAuto = false; // --prune auto: k = autoRank(fit)
    int pruneK = 0;         // --prune K (checked against min(N, M) once the shape is known)
    std::string outPath;    // --out, required with --prune
    int bins = 0;           // histogram bins of the JSON; 0 = automatic (2 sqrt(p), 10..200)
    std::optional<std::pair<double, double>> range; // histogram range; default [0, 1.02 s_1]
    std::size_t memoryBudget = 0;                   // 0 = default (half of physical RAM)
    double falseRate = 0.01; // --false-rate: per-matrix false-detection rate of the threshold
    std::optional<std::uint64_t> permutedSeed; // --permuted SEED: the noise reference
};

// --false-rate: a probability ("0.01") or a percentage ("1%") in [1e-12, 0.5]; InputError.
double parseFalseRate(const std::string& text);

// args[0] is "weights". Checks everything that does not need the file; throws InputError
// naming the option.
WeightsOptions parseWeightsArgs(const std::vector<std::string>& args);

struct WeightsReport
{
    std::string format; // "npy", "safetensors", "npz", "text"
    core::TensorInfo info;
    int rows = 0, cols = 0;
    std::vector<double> singular; // descending, min(rows, cols)
    core::NoiseFit fit;
    std::optional<core::PruneResult> prune; // lowRank emptied once written
    // --permuted: the same analysis of the entry-permuted copy (core::permutedCopy).
    struct Reference
    {
        std::uint64_t seed = 0;
        std::vector<double> singular;
        core::NoiseFit fit;
        core::Histogram histogram; // on the real spectrum's bins
    };
    std::optional<Reference> permuted;
    bool pruneAuto = false;
    core::Histogram histogram;
    double readSeconds = 0.0, svdSeconds = 0.0, pruneSeconds = 0.0;
};

std::string weightsSummary(const WeightsOptions& o, const WeightsReport& r);
std::string weightsJson(const WeightsOptions& o, const WeightsReport& r);
std::string tensorListSummary(const std::string& file, const std::string& format,
                              const std::vector<core::TensorInfo>& tensors);
std::string tensorListJson(const std::string& file, const std::string& format,
                           const std::vector<core::TensorInfo>& tensors);

// The whole command; returns kExitOk or kExitInterrupted (nothing written then) and throws like
// the other commands (InputError, OutputError, ResourceError).
int runWeightsCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                      const RunEnv& env);

} // namespace ws::cli
