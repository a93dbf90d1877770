#pragma once
// wignerscope-cli rect: the rectangular model W = (sigma/sqrt(N)) X + S (N x M, c = M/N;
// core/rectangular/rectangular.h, docs/rectangular.md) headless, designed like `sample`/`theory`:
//
//   wignerscope-cli rect sample RMODEL [--samples K] [--seed S] [--threads T] [--bins B]
//                               [--range A:B] [--squared] [--json FILE|-]
//   wignerscope-cli rect theory RMODEL [--points P] [--squared] [--json FILE|-]
//   RMODEL = --n N (--m M | --c C) [--sigma S] [--noise F] [--alpha A | --rank R] [--spikes F]
//            [--bulk F] [--eigvecs basis|haar] [--session FILE.json] [--memory-budget BYTES]
//
// --session reads the session's rectangular model and run (core/io/session.h, "rect"); the
// options given as well override it.
//
// Output: the Marchenko-Pastur edges, the support of the deterministic equivalent, the predicted
// outlier singular values (finite-rank BBP and large-rank) and, for `sample`, the observed ones
// (mean, sd over the samples). --squared reports everything for the squared singular values
// (the eigenvalues of W W^T or W^T W) instead. Exit status as cli.h.

#include "ui/cli/cli.h"

#include "core/util/histogram.h"
#include "core/rectangular/rectangular.h"

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ws::cli {

struct RectOptions
{
    bool help = false;
    bool sample = true; // false: theory
    core::RectModel model;
    std::size_t memoryBudget = 0;
    int samples = 1;
    std::uint64_t seed = 1;
    int threads = 0;
    int bins = 100;
    std::optional<std::pair<double, double>> range;
    bool squared = false;
    int points = 800;
    std::string jsonPath; // "" = human summary, "-" = JSON on stdout
};

// args[0] == "rect". Validates the model; throws InputError naming the option.
RectOptions parseRectArgs(const std::vector<std::string>& args);

struct RectSampleReport
{
    const core::RectRunResult* run = nullptr;
    const core::RectTheory* theory = nullptr;
    core::Histogram histogram;         // of the singular values (squared with --squared)
    core::OutlierObservation observed; // the square model's rule (observeRectSpectrum)
    double minValue = 0.0, maxValue = 0.0;
};

std::string rectTheoryJson(const RectOptions& o, const core::RectTheory& t);
std::string rectTheorySummary(const RectOptions& o, const core::RectTheory& t);
RectSampleReport makeRectSampleReport(const RectOptions& o, const core::RectRunResult& run,
                                      const core::RectTheory& theory);
std::string rectSampleJson(const RectOptions& o, const RectSampleReport& r);
std::string rectSampleSummary(const RectOptions& o, const RectSampleReport& r);

// The whole command; returns kExitOk or kExitInterrupted (nothing written then) and throws like
// the other commands.
int runRectCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                   const RunEnv& env);

} // namespace ws::cli
