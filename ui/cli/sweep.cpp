// wignerscope-cli sweep (see sweep.h).
#include "ui/cli/sweep.h"

#include "ui/cli/distributed.h"
#include "ui/cli/format.h"
#include "ui/cli/output.h"
#include "ui/cli/spectrum_report.h"

#include "core/io/provenance.h"
#include "core/model/families.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <ostream>
#include <sstream>

namespace ws::cli {

namespace {

using Clock = std::chrono::steady_clock;

ojson modelJson(const core::Model& m)
{
    ojson j;
    j["n"] = m.n;
    putModelFields(j, m, core::rankOf(m));
    return j;
}

// Slopes of log(error) against log(N), for N sweeps.
std::pair<std::optional<double>, std::optional<double>> slopes(const core::SweepResult& r)
{
    std::vector<double> n, ef, el;
    for (const auto& p : r.points)
        if (p.errorFinite && p.errorLarge) {
            n.push_back(p.model.n);
            ef.push_back(*p.errorFinite);
            el.push_back(*p.errorLarge);
        }
    return {core::logLogSlope(n, ef), core::logLogSlope(n, el)};
}

// A "\r"-updated progress line, drawn from the progress callback (serialized by the runner) at
// most every interval once the delay has passed.
class SweepProgressLine
{
public:
    SweepProgressLine(std::ostream& err, const RunEnv& env)
        : m_err(err), m_enabled(env.showProgress), m_delay(env.progressDelaySeconds),
          m_interval(env.progressIntervalSeconds), m_start(Clock::now()), m_last(m_start)
    {
    }
    ~SweepProgressLine() { clear(); }
    SweepProgressLine(const SweepProgressLine&) = delete;
    SweepProgressLine& operator=(const SweepProgressLine&) = delete;

    void update(const core::SweepProgress& p)
    {
        if (!m_enabled)
            return;
        std::lock_guard lock(m_mutex);
        const auto now = Clock::now();
        const double t = std::chrono::duration<double>(now - m_start).count();
        if (t < m_delay || std::chrono::duration<double>(now - m_last).count() < m_interval)
            return;
        m_last = now;
        char buf[200];
        const int len = std::snprintf(
            buf, sizeof buf, "sweep: point %d/%d, %d/%d samples, %.0f%%, %.1f s elapsed",
            p.point + 1, p.points, p.samplesDone, p.samples, 100.0 * p.fraction, t);
        std::string line(buf, static_cast<std::size_t>(std::max(len, 0)));
        if (line.size() < m_width)
            line.append(m_width - line.size(), ' ');
        m_width = std::max(m_width, line.size());
        m_err << '\r' << line << std::flush;
    }

    void clear()
    {
        if (m_width > 0)
            m_err << '\r' << std::string(m_width, ' ') << '\r' << std::flush;
        m_width = 0;
    }

private:
    std::ostream& m_err;
    bool m_enabled;
    double m_delay, m_interval;
    Clock::time_point m_start, m_last;
    std::mutex m_mutex;
    std::size_t m_width = 0;
};

} // namespace

std::string sweepJson(const Options& o, const core::SweepResult& r)
{
    ojson j;
    j["program"] = versionText();
    j["model"] = modelJson(o.model);
    if (o.sweepParam == core::SweepParam::N) {
        // N is each point's (points[].model); so is a rank that grows with it.
        j["model"]["n"] = nullptr;
        if (std::string(rankRule(o.model)) == "alpha")
            j["model"]["rank"] = nullptr;
    }
    ojson grid;
    grid["param"] = core::toString(o.sweepParam);
    grid["from"] = o.from;
    grid["to"] = o.to;
    grid["steps"] = o.steps;
    grid["log"] = o.log;
    grid["rank_one"] = o.rankOne;
    grid["values"] = core::sweepGrid(sweepSpecOf(o));
    j["sweep"] = std::move(grid);
    j["samples"] = o.samples;
    j["seed"] = o.seed;
    putThreads(j, o.threads);
    j["seed_rule"] = "the same seed at every grid point (common random numbers)";
    ojson points = ojson::array();
    for (const core::SweepPoint& p : r.points) {
        ojson q;
        q["index"] = p.index;
        q["value"] = p.value;
        q["model"] = modelJson(p.model);
        q["sampler"] = core::toString(p.sampler);
        q["source"] = core::toString(p.source);
        q["samples"] = p.samples;
        q["bulk"] = ojson::array({p.bulkLo, p.bulkHi});
        q["bulk_claim"] = ojson::array({p.edgeLo, p.edgeHi});
        q["intervals"] = intervalsJson(p.intervals, &p.observedIntervals, false);
        if (!p.intervalOverlaps.empty())
            for (std::size_t k = 0; k < p.intervals.size() && k < p.intervalOverlaps.size(); ++k)
                if (p.intervals[k].kind == core::IntervalKind::Cluster) {
                    q["intervals"][k]["overlap_group_mean"] =
                        valueOrNull(p.intervalOverlaps[k].mean);
                    q["intervals"][k]["overlap_group_sd"] = valueOrNull(p.intervalOverlaps[k].sd);
                }
        q["top_mean"] = p.topMean;
        q["top_sd"] = p.topSd;
        q["top"] = p.top;
        if (!p.bottom.empty() && !p.bottom.front().empty())
            q["bottom"] = p.bottom;
        q["predicted_outliers"] =
            ojson{{"finite_rank", p.predictedFinite}, {"large_rank", p.predictedLarge}};
        q["observed_outliers"] = p.observedCount;
        q["unexplained"] = p.unexplained;
        q["error"] = ojson{{"finite_rank", valueOrNull(p.errorFinite)},
                           {"large_rank", valueOrNull(p.errorLarge)},
                           {"spikes", p.errorSpikes},
                           {"noise_floor", valueOrNull(p.errorFloor)}};
        ojson outliers = ojson::array();
        for (std::size_t i = 0; i < p.predictions.size(); ++i) {
            const auto& pr = p.predictions[i];
            const core::ObservedOutlier ob =
                i < p.observed.size() ? p.observed[i] : core::ObservedOutlier{};
            ojson s = predictionJson(p.intervals, pr);
            putObserved(s, ob);
            if (i < p.overlaps.size()) {
                s["overlap_mean"] = valueOrNull(p.overlaps[i].mean);
                s["overlap_sd"] = valueOrNull(p.overlaps[i].sd);
                s["overlap_in_samples"] = p.overlaps[i].samplesPresent;
            }
            outliers.push_back(std::move(s));
        }
        q["outliers"] = std::move(outliers);
        q["seconds"] = p.seconds;
        points.push_back(std::move(q));
    }
    j["points"] = std::move(points);
    if (o.sweepParam == core::SweepParam::N) {
        const auto [f, l] = slopes(r);
        j["error_slopes"] = ojson{{"finite_rank", valueOrNull(f)}, {"large_rank", valueOrNull(l)}};
    }
    bool heavy = false;
    for (const auto& p : r.points)
        heavy = heavy || p.heavyTails;
    j["validity"] = validityJson(o.model, heavy || core::heavyTailed(o.model.noise), false);
    j["timing"] = ojson{{"total_s", r.totalSeconds}};
    return j.dump(2) + "\n";
}

std::string sweepSummary(const Options& o, const core::SweepResult& r)
{
    std::ostringstream s;
    s << "sweep     " << core::toString(o.sweepParam) << " from " << num(o.from) << " to "
      << num(o.to) << ", " << r.points.size() << " points" << (o.log ? " (log grid)" : "") << ", "
      << o.samples << " sample" << (o.samples == 1 ? "" : "s") << " each, seed " << o.seed
      << " at every point\n";
    s << "          " << pad(core::toString(o.sweepParam), 10) << pad("N", 8) << pad("r", 6)
      << pad("top eigenvalue", 22) << pad("finite", 10) << pad("large", 10) << pad("observed", 10)
      << pad("#out F/L/obs", 16) << pad("err F", 11) << "err L"
      << (o.overlaps ? "       overlap obs (F / L)" : "") << "\n";
    for (const auto& p : r.points) {
        const bool has = !p.predictions.empty();
        std::string top =
            p.topMean.empty() ? "-" : num(p.topMean[0], 5) + " +- " + num(p.topSd[0], 2);
        std::string counts = std::to_string(p.predictedFinite) + "/" +
                             std::to_string(p.predictedLarge) + "/" + num(p.observedCount, 4);
        s << "          " << pad(num(p.value, 5), 10) << pad(std::to_string(p.model.n), 8)
          << pad(std::to_string(p.rank), 6) << pad(top, 22)
          << pad(has ? num(p.predictions[0].finiteRank, 5) : "-", 10)
          << pad(has ? num(p.predictions[0].largeRank, 5) : "-", 10)
          << pad(p.observed.empty() ? "-" : num(p.observed[0].mean, 5), 10) << pad(counts, 16)
          << pad(num(p.errorFinite, 3), 11) << num(p.errorLarge, 3);
        if (o.overlaps && has) {
            s << "   " << (p.overlaps.empty() ? "-" : num(p.overlaps[0].mean, 4)) << " ("
              << num(p.predictions[0].overlapFiniteRank, 4) << " / "
              << num(p.predictions[0].overlapLargeRank, 4) << ")";
        }
        s << "\n";
    }
    s << "          (leading spike; #out = number of outliers predicted by each theory and "
         "observed, mean over samples; err = mean |observed - predicted| over the spikes seen "
         "that both theories predict)\n";
    for (const auto& p : r.points) {
        s << "intervals " << core::toString(o.sweepParam) << " = " << num(p.value, 5) << ": ";
        for (std::size_t k = 0; k < p.intervals.size(); ++k) {
            const auto& iv = p.intervals[k];
            if (k == 6) {
                s << ", ... " << p.intervals.size() - k << " more";
                break;
            }
            s << (k ? ", " : "") << core::toString(iv.kind) << " [" << num(iv.a, 4) << ", "
              << num(iv.b, 4) << "] " << iv.count;
            if (k < p.observedIntervals.size())
                s << " (obs " << num(p.observedIntervals[k].meanCount, 5) << ")";
        }
        s << "\n";
    }
    if (o.sweepParam == core::SweepParam::N) {
        const auto [f, l] = slopes(r);
        s << "slopes    log(error) vs log(N): finite-rank " << num(f, 3) << ", large-rank "
          << num(l, 3) << "\n";
    }
    s << "timing    " << num(r.totalSeconds, 3) << " s total\n";
    return s.str();
}

int runSweepCommand(const Options& o, std::ostream& out, std::ostream& err, const RunEnv& env)
{
    // The outputs are checked by rank 0 of a cluster run, which writes them.
    clusterStep(env, "sweep", [&] {
        if (!isRoot(env))
            return 0;
        checkWritable(o.jsonPath.empty() ? "-" : o.jsonPath);
        checkWritable(o.csvPath.empty() ? "-" : o.csvPath);
        if (!o.jsonPath.empty() && !o.csvPath.empty() && o.jsonPath != "-" && o.csvPath != "-") {
            // Different spellings of one file (e.g. ./a.json and a.json).
            if (std::filesystem::weakly_canonical(o.jsonPath) ==
                std::filesystem::weakly_canonical(o.csvPath))
                throw core::InputError("--csv", "same file as --json");
        }
        return 0;
    });
    if (env.cancel && env.cancel->load())
        return kExitInterrupted;
    noteThreads(o.threads, err);
    core::SweepSpec spec = sweepSpecOf(o);
    spec.run.threads = clusterThreads(o.threads, env);
    core::SweepResult result;
    {
        SweepProgressLine line(err, env);
        std::optional<core::SweepResult> got =
            clusterRunSweep(spec, env, [&line](const core::SweepProgress& p) { line.update(p); });
        if (!got)
            return kExitOk; // this process's share is delivered; rank 0 reports
        result = std::move(*got);
    }
    if (result.cancelled || (env.cancel && env.cancel->load()))
        return kExitInterrupted;
    const std::string json = o.jsonPath.empty() ? std::string() : sweepJson(o, result);
    const std::string csv =
        o.csvPath.empty()
            ? std::string()
            : core::csvProvenance(core::sweepProvenance(spec, csvTime())) + core::sweepCsv(result);
    const bool summary = o.jsonPath.empty() && o.csvPath != "-";
    const std::string summaryText = summary ? sweepSummary(o, result) : std::string();
    // One result: the files are replaced together or not at all.
    writeResult({{o.csvPath, &csv}, {o.jsonPath, &json}, {summary ? "-" : "", &summaryText}},
                o.model, out, err, env);
    return kExitOk;
}

} // namespace ws::cli
