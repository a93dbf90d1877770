#pragma once
// wignerscope-cli weights PATH --all: the whole-model report (core/weights/model_report.h) as a
// table on stdout, JSON (--json) and CSV (--csv); with --prune auto --out FILE.safetensors also
// the pruned model (every analysed layer at its detected rank, every other tensor copied).
//
//   wignerscope-cli weights MODEL.safetensors|MODEL.npz|DIR --all [--json FILE|-] [--csv FILE|-]
//                   [--false-rate P] [--memory-budget BYTES] [--prune auto --out FILE.safetensors]
//
// Exit status as cli.h: 2 for bad options and a PATH that is not a model (one "error:" line),
// 3 for the memory budget, 130 when interrupted (nothing is written then). A tensor that cannot
// be analysed is a row with its reason, not an error.

#include "ui/cli/cli.h"
#include "ui/cli/weights.h"

#include "core/weights/model_prune.h"
#include "core/weights/model_report.h"

#include <iosfwd>
#include <string>

namespace ws::cli {

// pruned: the --prune result, or null.
std::string modelSummary(const WeightsOptions& o, const core::ModelReport& r,
                         const core::PrunedModel* pruned = nullptr);
std::string modelJson(const WeightsOptions& o, const core::ModelReport& r,
                      const core::PrunedModel* pruned = nullptr);
std::string modelCsv(const core::ModelReport& r);

// The --all run (options already parsed and checked by parseWeightsArgs).
int runWeightsModel(const WeightsOptions& o, std::ostream& out, std::ostream& err,
                    const RunEnv& env);

} // namespace ws::cli
