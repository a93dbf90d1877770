// Outputs of wignerscope-cli (see output.h).
#include "ui/cli/output.h"

#include "ui/cli/cli.h"
#include "ui/cli/format.h"
#include "ui/cli/progress.h"
#include "ui/cli/spectrum_report.h"

#include "core/model/families.h"
#include "core/io/atomic_file.h"
#include "core/io/provenance.h"
#include "core/io/session.h"
#include "core/sampling/run_setup.h"
#include "core/theory/theory_budget.h"
#include "core/util/bytes.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <ostream>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

namespace ws::cli {

std::string num(double v, int precision)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    return buf;
}

std::string num(const std::optional<double>& v, int precision)
{
    return v ? num(*v, precision) : std::string("-");
}

const char* rankRule(const core::NoiseAndSignal& f)
{
    if (f.spikes.kind == core::SpikeKind::List)
        return "list";
    return f.rank.isExplicit ? "explicit" : "alpha";
}

void putModelFields(ojson& j, const core::NoiseAndSignal& f, int rank)
{
    j["sigma"] = f.sigma;
    j["noise"] = core::toString(f.noise);
    j["alpha"] = (!f.rank.isExplicit && f.spikes.kind != core::SpikeKind::List)
                     ? ojson(f.rank.alpha)
                     : ojson(nullptr);
    j["rank"] = rank;
    j["rank_rule"] = rankRule(f);
    j["spikes"] = core::toString(f.spikes);
    j["bulk"] = core::toString(f.bulk);
    j["eigvecs"] = core::toString(f.eigvecs);
}

std::string rankAndFamiliesText(const core::NoiseAndSignal& f, int r, int size,
                                const char* sizeName)
{
    std::string s;
    if (f.spikes.kind == core::SpikeKind::List)
        s = "rank " + std::to_string(r) + " (list)";
    else if (f.rank.isExplicit)
        s = "rank " + std::to_string(r);
    else
        s = "alpha = " + core::formatDouble(f.rank.alpha) + " (rank " + std::to_string(r) + ")";
    const std::string bulk =
        r >= size ? std::string("none (r = ") + sizeName + ": every eigenvalue of S is a spike)"
                  : core::toString(f.bulk);
    return s + ", spikes " + core::toString(f.spikes) + ", bulk " + bulk + ", eigvecs " +
           core::toString(f.eigvecs);
}

std::string pad(std::string s, std::size_t width)
{
    if (s.size() < width)
        s.append(width - s.size(), ' ');
    return s;
}

core::Histogram histogramOver(double lo, double hi,
                              const std::optional<std::pair<double, double>>& range, int bins)
{
    double a = lo, b = hi;
    if (range) {
        a = range->first;
        b = range->second;
    } else if (!(a < b)) {
        a -= 0.5;
        b += 0.5;
    }
    return core::makeHistogram(a, b, bins);
}

ojson valueOrNull(const std::optional<double>& v)
{
    return v ? ojson(*v) : ojson(nullptr);
}

namespace {

namespace fs = std::filesystem;

ojson modelJson(const core::Model& m)
{
    ojson j;
    j["n"] = m.n;
    putModelFields(j, m, core::rankOf(m));
    return j;
}

std::string modelLine(const core::Model& m)
{
    std::string s = "N = " + std::to_string(m.n) + ", sigma = " + core::formatDouble(m.sigma) +
                    ", noise " + core::toString(m.noise) + ", ";
    return s + rankAndFamiliesText(m, core::rankOf(m), m.n, "N");
}

ojson curveJson(const core::Curve& c)
{
    return ojson{{"x", c.x}, {"y", c.y}};
}

// Tables list at most this many rows; the JSON has them all.
constexpr std::size_t kMaxRows = 12;

} // namespace

std::string formatCount(double count)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.0f", count);
    return buf;
}

void checkWritable(const std::string& path)
{
    if (path == "-")
        return;
    try {
        core::checkOutputWritable(path);
    } catch (const std::runtime_error& e) {
        throw OutputError(e.what());
    }
}

void checkOutputs(const Options& o)
{
    checkWritable(o.jsonPath.empty() ? "-" : o.jsonPath);
    checkWritable(o.eigenvaluesPath.empty() ? "-" : o.eigenvaluesPath);
    if (!o.jsonPath.empty() && !o.eigenvaluesPath.empty() && o.jsonPath != "-" &&
        o.eigenvaluesPath != "-") {
        std::error_code e1, e2;
        const fs::path a = fs::weakly_canonical(o.jsonPath, e1);
        const fs::path b = fs::weakly_canonical(o.eigenvaluesPath, e2);
        if (!e1 && !e2 && a == b)
            throw core::InputError("--eigenvalues", "same file as --json");
    }
}

void noteThreads(int requested, std::ostream& err)
{
    const int used = core::usedThreads(requested);
    if (requested > used)
        err << "note: --threads " << requested << " is more than the " << used
            << " cores of this machine; using " << used << " (the results are the same)\n"
            << std::flush;
}

void putThreads(ojson& j, int requested)
{
    const int used = core::usedThreads(requested);
    if (requested > used)
        j["threads"] = ojson{{"requested", requested}, {"used", used}};
}

namespace {

// Sets *phase for the signal handler while it lives; back to 0 at the end.
class Phase
{
public:
    explicit Phase(std::atomic<int>* phase) : m_phase(phase) {}
    ~Phase()
    {
        if (m_phase)
            m_phase->store(0);
    }
    Phase(const Phase&) = delete;
    Phase& operator=(const Phase&) = delete;
    void set(int v)
    {
        if (m_phase)
            m_phase->store(v);
    }

private:
    std::atomic<int>* m_phase;
};

} // namespace

void writeOutputs(const std::vector<Output>& outputs, std::ostream& out, const RunEnv& env)
{
    Phase phase(env.writing);
    phase.set(1);
    core::OutputSet set(env.cancel);
    const auto files = std::count_if(outputs.begin(), outputs.end(),
                                     [](const Output& o) { return o.path != "-"; });
    // With several files, say that the others were kept too.
    const std::string kept = files > 1 ? "; no output file was replaced" : "";
    try {
        for (const Output& o : outputs)
            if (o.path != "-")
                set.add(o.path, *o.contents);
    } catch (const core::Cancelled&) {
        throw;
    } catch (const std::runtime_error& e) {
        throw WriteError(e.what() + kept);
    }
    for (const Output& o : outputs)
        if (o.path == "-")
            out << *o.contents;
    out.flush();
    if (!out.good())
        throw WriteError("cannot write to stdout" +
                         std::string(files > 0 ? "; no output file was replaced" : ""));
    if (cancelled(env))
        throw core::WriteCancelled("nothing written");
    phase.set(2);
    try {
        set.commit();
    } catch (const core::Cancelled&) {
        throw;
    } catch (const std::runtime_error& e) {
        throw WriteError(e.what() + kept);
    }
    if (cancelled(env))
        throw InterruptedAfterWrite("interrupted after the output" +
                                    std::string(outputs.size() > 1 ? "s were" : " was") +
                                    " written completely");
}

void writeResult(const std::vector<Output>& outputs, const core::Model& m, std::ostream& out,
                 std::ostream& err, const RunEnv& env)
{
    std::vector<Output> asked;
    for (const Output& o : outputs)
        if (!o.path.empty())
            asked.push_back(o);
    writeOutputs(asked, out, env);
    printWarnings(err, theoryWarnings(m, core::heavyTailed(m.noise)));
}

void checkTheoryMemory(const Options& o)
{
    core::checkTheoryBudget(o.model, o.command == Command::Theory ? o.points : 800, o.memoryBudget);
}

void checkHistogramMemory(int bins, std::size_t memoryBudget)
{
    // Edges, counts and densities, and their JSON (document and text): measured 137 bytes a bin.
    constexpr double kBytesPerBin = 160.0;
    const std::size_t budget = memoryBudget ? memoryBudget : core::defaultMemoryBudget();
    const double need = kBytesPerBin * bins;
    if (need <= std::max(static_cast<double>(budget), core::kUncounted))
        return;
    const double most = std::floor(static_cast<double>(budget) / kBytesPerBin);
    throw core::ResourceError(
        "bins", "memory: " + std::to_string(bins) + " histogram bins and their JSON need about " +
                    core::formatBytes(need, core::ByteStyle::Significant) + " but the budget is " +
                    core::formatBytes(static_cast<double>(budget), core::ByteStyle::Significant) +
                    (most >= 1 ? "; at most " + formatCount(most) + " bins fit (--bins)"
                               : std::string("; not even one bin fits")));
}

SampleReport makeSampleReport(const Options& o, const core::RunResult& run,
                              const core::Theory& theory)
{
    SampleReport r;
    r.run = &run;
    r.theory = &theory;
    r.rank = core::rankOf(o.model);
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (const auto& ev : run.eigenvalues)
        for (double x : ev)
            if (std::isfinite(x)) {
                lo = std::min(lo, x);
                hi = std::max(hi, x);
            }
    if (!(lo <= hi)) // no finite value at all
        lo = hi = 0.0;
    r.minEigenvalue = lo;
    r.maxEigenvalue = hi;
    r.histogram = histogramOver(lo, hi, o.range, o.bins);
    for (const auto& ev : run.eigenvalues)
        r.histogram.add(ev);
    r.observed = core::observeOutliers(theory, run.eigenvalues);
    return r;
}

SampleReport makeBandedReport(const Options& o, const core::RunResult& extremes,
                              const core::BandedRunResult& run, const core::Theory& theory)
{
    SampleReport r;
    r.run = &extremes;
    r.theory = &theory;
    r.rank = core::rankOf(o.model);
    r.histogramSource = core::SpectrumSource::InertiaCounts;
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (const auto& ev : extremes.eigenvalues)
        if (!ev.empty()) {
            lo = std::min(lo, ev.front());
            hi = std::max(hi, ev.back());
        }
    if (!(lo <= hi))
        lo = hi = 0.0;
    r.minEigenvalue = lo;
    r.maxEigenvalue = hi;
    r.histogram.edges = run.edges;
    r.histogram.counts = run.counts;
    r.histogram.total = run.total;
    std::vector<core::SampleTally> tallies;
    for (const auto& ev : extremes.eigenvalues)
        tallies.push_back(core::tallySample(theory, ev,
                                            static_cast<std::int64_t>(o.model.n) -
                                                static_cast<std::int64_t>(ev.size())));
    r.observed = core::summarizeTallies(theory, tallies);
    return r;
}

std::string sampleJson(const Options& o, const SampleReport& r)
{
    const core::Theory& t = *r.theory;
    ojson j;
    j["program"] = versionText();
    j["model"] = modelJson(o.model);
    j["sampler"] = core::toString(r.run->sampler);
    j["histogram_source"] = core::toString(r.histogramSource);
    j["samples"] = r.run->completed;
    j["seed"] = o.seed;
    putThreads(j, o.threads);
    j["histogram"] = ojson{{"edges", r.histogram.edges},
                           {"counts", r.histogram.counts},
                           {"density", r.histogram.density()}};
    const auto& sup = t.equivalent.support;
    j["intervals"] = intervalsJson(sup, &r.observed.intervals, false);
    ojson outliers = ojson::array();
    for (std::size_t i = 0; i < t.outliers.size(); ++i) {
        ojson p = predictionJson(sup, t.outliers[i]);
        putObserved(p,
                    i < r.observed.spikes.size() ? r.observed.spikes[i] : core::ObservedOutlier{});
        outliers.push_back(std::move(p));
    }
    j["outliers"] = std::move(outliers);
    j["observed_outliers"] = r.observed.meanOutliers;
    j["unexplained"] =
        ojson{{"per_sample", r.observed.meanUnexplained}, {"values", r.observed.unexplained}};
    j["validity"] = validityJson(o.model, t.heavyTails, t.nonGaussian);
    const double total = r.run->totalSeconds;
    j["timing"] = ojson{{"total_s", total},
                        {"per_sample_s", r.run->completed > 0 ? total / r.run->completed : 0.0}};
    return j.dump(2) + "\n";
}

std::int64_t csvTime()
{
    return core::provenanceTime(std::getenv("SOURCE_DATE_EPOCH"));
}

std::string eigenvaluesCsv(const Options& o, const core::RunResult& run)
{
    core::Provenance p;
    p.model = core::modelArguments(o.model);
    p.seed = o.seed;
    p.samples = run.completed;
    p.time = csvTime();
    return core::csvProvenance(p) + core::eigenvaluesCsvRows(run.sampleIndex, run.eigenvalues);
}

std::string sampleSummary(const Options& o, const SampleReport& r)
{
    const core::Theory& t = *r.theory;
    const core::RunResult& run = *r.run;
    std::ostringstream s;
    s << "model     " << modelLine(o.model) << "\n";
    s << "sampler   " << core::toString(run.sampler) << ", " << run.completed << " sample"
      << (run.completed == 1 ? "" : "s") << ", seed " << o.seed
      << (r.histogramSource == core::SpectrumSource::InertiaCounts
              ? " (histogram from inertia counts, outliers by bisection)"
              : "")
      << "\n";
    const auto& sup = t.equivalent.support;
    s << "support   of mu_N, " << sup.size() << " interval" << (sup.size() == 1 ? "" : "s")
      << " (count = N x mass; observed: mean count per sample):\n"
      << intervalsText(sup, &r.observed.intervals, kMaxRows);
    s << "observed  eigenvalues in [" << num(r.minEigenvalue) << ", " << num(r.maxEigenvalue)
      << "]; " << num(r.observed.meanOutliers, 6) << " outliers per sample ("
      << num(r.observed.meanUnexplained, 4) << " unexplained)\n";
    s << "outliers  " << pad("theta", 12) << pad("finite-rank", 14) << pad("large-rank", 14)
      << pad("+- sd", 12) << pad("observed mean +- sd (samples)", 36) << "note\n";
    const auto spikeRowList = spikeRows(t.outliers);
    const std::size_t rows = std::min(spikeRowList.size(), kMaxRows);
    for (std::size_t row = 0; row < rows; ++row) {
        const auto [i, size] = spikeRowList[row];
        const auto& p = t.outliers[i];
        const core::ObservedOutlier obs =
            i < r.observed.spikes.size() ? r.observed.spikes[i] : core::ObservedOutlier{};
        std::string observed = "-";
        if (obs.mean)
            observed = num(obs.mean) + " +- " + num(obs.sd, 3) + " (" +
                       std::to_string(obs.samplesPresent) + "/" + std::to_string(run.completed) +
                       ")";
        s << "          " << pad(thetaText(p.theta, size), 12) << pad(num(p.finiteRank), 14)
          << pad(num(p.largeRank), 14) << pad(num(p.sd, 3), 12) << pad(observed, 36)
          << predictionNote(sup, p) << "\n";
    }
    if (spikeRowList.size() > rows)
        s << "          ... " << spikeRowList.size() - rows << " more rows (see --json)\n";
    const double total = run.totalSeconds;
    s << "timing    " << num(total, 3) << " s total, "
      << num(run.completed > 0 ? total / run.completed : 0.0, 3) << " s per sample\n";
    return trimLines(s.str());
}

std::string theoryJson(const Options& o, const core::Theory& t)
{
    ojson j;
    j["program"] = versionText();
    j["model"] = modelJson(o.model);
    j["semicircle"] = curveJson(t.semicircle);
    j["density"] = curveJson(t.equivalent.density);
    j["support"] = intervalsJson(t.equivalent.support, nullptr, true);
    ojson outliers = ojson::array();
    for (const auto& p : t.outliers)
        outliers.push_back(predictionJson(t.equivalent.support, p));
    j["outliers"] = std::move(outliers);
    j["validity"] = validityJson(o.model, t.heavyTails, t.nonGaussian);
    return j.dump(2) + "\n";
}

std::string theorySummary(const Options& o, const core::Theory& t)
{
    std::ostringstream s;
    s << "model     " << modelLine(o.model) << "\n";
    s << "semicircle [" << num(-2.0 * o.model.sigma) << ", " << num(2.0 * o.model.sigma)
      << "] (the limit when r/N -> 0)\n";
    const auto& sup = t.equivalent.support;
    s << "support   of mu_N, " << sup.size() << " interval" << (sup.size() == 1 ? "" : "s")
      << " (count = N x mass, the predicted number of eigenvalues):\n"
      << intervalsText(sup, nullptr, kMaxRows);
    s << "outliers  " << pad("theta", 12) << pad("finite-rank", 14) << pad("overlap", 10)
      << pad("large-rank", 14) << pad("overlap", 10) << pad("+- sd", 12) << "note\n";
    const auto spikeRowList = spikeRows(t.outliers);
    const std::size_t orows = std::min(spikeRowList.size(), kMaxRows);
    for (std::size_t row = 0; row < orows; ++row) {
        const auto [i, size] = spikeRowList[row];
        const auto& p = t.outliers[i];
        s << "          " << pad(thetaText(p.theta, size), 12) << pad(num(p.finiteRank), 14)
          << pad(num(p.overlapFiniteRank, 4), 10) << pad(num(p.largeRank), 14)
          << pad(num(p.overlapLargeRank, 4), 10) << pad(num(p.sd, 3), 12) << predictionNote(sup, p)
          << "\n";
    }
    if (spikeRowList.size() > orows)
        s << "          ... " << spikeRowList.size() - orows << " more rows (see --json)\n";
    return trimLines(s.str());
}

} // namespace ws::cli
