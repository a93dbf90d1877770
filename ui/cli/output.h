#pragma once
// Outputs of wignerscope-cli: JSON, CSV, human summaries, and the checks that every output can
// be written before a run starts.

#include "ui/cli/args.h"

#include "core/sampling/banded/banded.h"
#include "core/util/histogram.h"
#include "core/outliers/outliers.h"
#include "core/sampling/runner.h"
#include "core/sampling/sampler_plan.h"
#include "core/theory/theory.h"

#include <iosfwd>
#include <stdexcept>
#include <string>
#include <vector>

namespace ws::cli {

// An output file cannot be written (exit status 2). Message: "cannot write FILE: reason".
class OutputError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// Throws OutputError unless `path` can be created/replaced (its directory exists and accepts a
// new file, and it is not a directory). "-" (stdout) always passes.
void checkWritable(const std::string& path);
// checkWritable for --json and --eigenvalues, and that they are not the same file.
void checkOutputs(const Options& o);
// Writes atomically, or to `out` for "-". Throws OutputError.
void writeOutput(const std::string& path, const std::string& contents, std::ostream& out);

// ResourceError if the theory's arrays (O(N)) would exceed the memory budget.
void checkTheoryMemory(const Options& o);

std::string formatCount(double count);

struct SampleReport
{
    const core::RunResult* run = nullptr;
    const core::Theory* theory = nullptr;
    int rank = 0;
    core::Histogram histogram;
    core::OutlierObservation observed;
    double minEigenvalue = 0.0, maxEigenvalue = 0.0;
    // All eigenvalues computed, or the banded fast path (histogram from inertia counts, extreme
    // eigenvalues by bisection; see core/sampling/banded/banded.h).
    core::SpectrumSource histogramSource = core::SpectrumSource::Eigenvalues;
};

SampleReport makeSampleReport(const Options& o, const core::RunResult& run,
                              const core::Theory& theory);
// The banded fast path's report: `extremes` holds, per sample, only the eigenvalues it located
// (the smallest, the largest and every one beyond the bulk's claim, core::outlierThresholds);
// the others are in the bulk (core::tallySample's `unlisted`); the histogram comes from `run`'s
// inertia counts.
SampleReport makeBandedReport(const Options& o, const core::RunResult& extremes,
                              const core::BandedRunResult& run, const core::Theory& theory);
std::string sampleJson(const Options& o, const SampleReport& r);
std::string sampleSummary(const Options& o, const SampleReport& r);
// Header "sample,index,value"; values in shortest round-trip form.
std::string eigenvaluesCsv(const core::RunResult& run);

std::string theoryJson(const Options& o, const core::Theory& t);
std::string theorySummary(const Options& o, const core::Theory& t);

} // namespace ws::cli
