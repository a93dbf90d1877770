#pragma once
// Outputs of wignerscope-cli: JSON, CSV, human summaries, and the checks that every output can
// be written before a run starts.

#include "ui/cli/args.h"
#include "ui/cli/cli.h"

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

// An output file cannot be written, found before the run (exit status 2). Message: "cannot
// write FILE: reason".
class OutputError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// Writing the results failed after the run (exit status 1): "cannot write FILE: reason" (e.g.
// "No space left on device"); no output file was replaced.
class WriteError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// The run was interrupted (Ctrl-C, SIGTERM, SIGHUP) after its outputs had been written
// completely (exit status 130); what() says so.
class InterruptedAfterWrite : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// Throws OutputError unless `path` can be written as writeOutputs will (core/io/atomic_file.h:
// a file whose directory accepts the temporary, a writable device or FIFO, a link to either).
// "-" (stdout) always passes.
void checkWritable(const std::string& path);
// checkWritable for --json and --eigenvalues, and that they are not the same file.
void checkOutputs(const Options& o);

// --threads beyond the machine's cores is capped (core::usedThreads): noteThreads says so once
// on `err` ("note: ..."; nothing without a cap). The JSON records it (putThreads, format.h).
void noteThreads(int requested, std::ostream& err);

// One output of a result: a file, or "-" for `out`.
struct Output
{
    std::string path;
    const std::string* contents;
};

// Writes the outputs of one result together (core::OutputSet): every file is replaced or none
// is; "-" goes to `out` once every file's temporary copy is complete, before any file is
// replaced (a broken stdout then replaces nothing). Marks the phases in env.writing (1 while
// the temporaries and stdout are written, 2 while files are replaced) for the signal handler.
// Throws WriteError (a failed write; nothing replaced), core::WriteCancelled (interrupted
// before any file was replaced), InterruptedAfterWrite (the flag was set once all was written).
void writeOutputs(const std::vector<Output>& outputs, std::ostream& out, const RunEnv& env);

// The end of a square-model run: the outputs asked for (those with a path; stdout in the order
// given) written together by writeOutputs, then the model's theory warnings on `err` -- said once
// the outputs are written, so that an error stays the only line on stderr.
void writeResult(const std::vector<Output>& outputs, const core::Model& m, std::ostream& out,
                 std::ostream& err, const RunEnv& env);

// ResourceError if the theory's arrays (O(N) and O(points); sample: 800 points) would exceed the
// memory budget (core/theory/theory_budget.h), naming the largest N that fits.
void checkTheoryMemory(const Options& o);
// ResourceError("bins") if `bins` histogram bins and their JSON would exceed the budget
// (0 = default), naming how many fit.
void checkHistogramMemory(int bins, std::size_t memoryBudget);

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
// The provenance comment lines (core/io/provenance.h: version, model, seed, samples, date; the
// date is SOURCE_DATE_EPOCH's when set) and core::eigenvaluesCsvRows: header
// "sample,index,value", values in shortest round-trip form. The app writes the same bytes.
std::string eigenvaluesCsv(const Options& o, const core::RunResult& run);
// The provenance comment lines of the CSV files the CLI writes (the date: csvTime()).
std::int64_t csvTime();

std::string theoryJson(const Options& o, const core::Theory& t);
std::string theorySummary(const Options& o, const core::Theory& t);

} // namespace ws::cli
