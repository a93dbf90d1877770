#pragma once
// wignerscope-cli sweep: the core sweep engine (core/sweeps/sweep.h) headless, one record per grid
// point with the observed and predicted values, as JSON, CSV or a table.

#include "ui/cli/args.h"
#include "ui/cli/cli.h"

#include "core/sweeps/sweep.h"

#include <iosfwd>
#include <string>

namespace ws::cli {

// Runs a parsed `sweep` command. Returns kExitOk or kExitInterrupted (nothing written then);
// throws like the other commands (InputError, OutputError, ResourceError).
int runSweepCommand(const Options& o, std::ostream& out, std::ostream& err, const RunEnv& env);

std::string sweepJson(const Options& o, const core::SweepResult& r);
std::string sweepSummary(const Options& o, const core::SweepResult& r);

} // namespace ws::cli
