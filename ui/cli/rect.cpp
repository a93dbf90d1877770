// wignerscope-cli rect (see rect.h).
#include "ui/cli/rect.h"

#include "ui/cli/args.h"
#include "ui/cli/distributed.h"
#include "ui/cli/format.h"
#include "ui/cli/output.h"
#include "ui/cli/progress.h"
#include "ui/cli/spectrum_report.h"

#include "core/io/session.h"
#include "core/model/families.h"
#include "core/sampling/runner.h"
#include "core/theory/theory_budget.h"
#include "core/util/bytes.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <climits>
#include <cmath>
#include <iomanip>
#include <limits>
#include <ostream>
#include <sstream>

namespace ws::cli {

namespace {

using core::InputError;

constexpr long long kMaxDim = 100'000'000; // validate(RectModel)'s limit

const std::vector<OptionDef> kModelOptions = {
    {"--n"},       {"--m"},
    {"--c"},       {"--sigma"},
    {"--noise"},   {"--alpha"},
    {"--rank"},    {"--spikes"},
    {"--bulk"},    {"--eigvecs"},
    {"--session"}, {"--squared", true},
    {"--json"},    {"--memory-budget"},
};
const std::vector<OptionDef> kSampleOptions = {
    {"--samples"}, {"--seed"}, {"--threads"}, {"--bins"}, {"--range"}};
const std::vector<OptionDef> kTheoryOptions = {{"--points"}};

ojson modelJson(const core::RectModel& m)
{
    ojson j;
    j["n"] = m.n;
    j["m"] = m.m;
    j["c"] = m.ratio();
    j["p"] = m.minDim();
    putModelFields(j, m, m.effectiveRank());
    return j;
}

std::string modelLine(const core::RectModel& m)
{
    std::string s = "N = " + std::to_string(m.n) + ", M = " + std::to_string(m.m) +
                    ", c = M/N = " + num(m.ratio()) + " (p = " + std::to_string(m.minDim()) +
                    "), sigma = " + core::formatDouble(m.sigma) + ", noise " +
                    core::toString(m.noise) + ", ";
    return s + rankAndFamiliesText(m, m.effectiveRank(), m.minDim(), "p");
}

// Unit conversions: quantities in singular-value units y, support intervals in squared units x.
double fromSingular(const RectOptions& o, double y)
{
    return o.squared ? y * y : y;
}
double fromSquared(const RectOptions& o, double x)
{
    return o.squared ? x : std::sqrt(std::max(x, 0.0));
}
// A claim end (singular units, may be below 0): y |y| keeps the order when squared.
double fromClaim(const RectOptions& o, double y)
{
    return o.squared ? y * std::abs(y) : y;
}
const char* unitsName(const RectOptions& o)
{
    return o.squared ? "squared" : "singular";
}
std::string unitsLine(const RectOptions& o)
{
    return o.squared ? "squared singular values of W (eigenvalues of W W^T / W^T W), p of them"
                     : "singular values of W, p = min(N, M) of them";
}

std::optional<double> finiteRankIn(const RectOptions& o, const core::RectOutlierPrediction& p)
{
    if (!p.finiteRank)
        return std::nullopt;
    return fromSingular(o, *p.finiteRank);
}
std::optional<double> largeRankIn(const RectOptions& o, const core::RectOutlierPrediction& p)
{
    return o.squared ? p.largeRankSquared : p.largeRank;
}

ojson predictionJson(const RectOptions& o, const core::RectOutlierPrediction& p)
{
    ojson j;
    j["theta"] = p.theta;
    j["multiplicity"] = p.multiplicity;
    j["finite_rank"] = valueOrNull(finiteRankIn(o, p));
    j["large_rank"] = valueOrNull(largeRankIn(o, p));
    j["overlap_left"] = valueOrNull(p.overlapLeft);
    j["overlap_right"] = valueOrNull(p.overlapRight);
    j["separation"] = std::isfinite(p.separation) ? ojson(p.separation) : ojson(nullptr);
    j["in_main_bulk"] = p.inMainBulk;
    j["side"] = p.side;
    j["interval"] = p.interval;
    j["absorbed"] = p.absorbed;
    return j;
}

// observed: one per support interval (sample), or null (theory).
ojson supportJson(const RectOptions& o, const core::RectTheory& t,
                  const std::vector<core::ObservedInterval>* observed = nullptr)
{
    ojson support = ojson::array();
    for (std::size_t k = 0; k < t.equivalent.support.size(); ++k) {
        const auto& s = t.equivalent.support[k];
        ojson j{{"a", fromSquared(o, s.a)},
                {"b", fromSquared(o, s.b)},
                {"mass", s.mass},
                {"count", s.mass * t.p},
                {"label", core::toString(s.kind)},
                {"predicted_count", s.count},
                {"spikes", s.spikes},
                {"claim", ojson::array({fromClaim(o, s.claimLo), fromClaim(o, s.claimHi)})}};
        if (observed && k < observed->size()) {
            const core::ObservedInterval& oi = (*observed)[k];
            j["observed_count"] = oi.meanCount;
            j["observed_count_min"] = oi.minCount;
            j["observed_count_max"] = oi.maxCount;
        }
        support.push_back(std::move(j));
    }
    return support;
}

ojson curveJson(const core::Curve& c)
{
    return ojson{{"x", c.x}, {"y", c.y}};
}

// The shared head of both JSON documents.
ojson theoryHead(const RectOptions& o, const core::RectTheory& t,
                 const std::vector<core::ObservedInterval>* observed = nullptr)
{
    ojson j;
    j["program"] = versionText();
    j["model"] = modelJson(o.model);
    j["units"] = unitsName(o);
    const core::MpEdges mp = o.squared ? t.mpSquaredEdges : t.mpSingularEdges;
    j["mp_edges"] = ojson::array({mp.lo, mp.hi});
    j["bbp_threshold"] = o.model.sigma * std::pow(t.c, 0.25);
    j["support"] = supportJson(o, t, observed);
    j["main_bulk"] = ojson::array({fromSingular(o, t.mainBulkLo), fromSingular(o, t.mainBulkHi)});
    j["edge_margin_singular"] = t.edgeMargin;
    return j;
}

// Why a spike has no large-rank value although it may separate: its atom is in a bulk lump.
std::string absorbedNote(const RectOptions& o, const core::RectTheory& t,
                         const core::RectOutlierPrediction& p)
{
    if (p.inMainBulk)
        return "  (in the main bulk)";
    if (!p.absorbed || p.interval >= t.equivalent.support.size())
        return "";
    const auto& iv = t.equivalent.support[p.interval];
    return "  (in the bulk lump [" + num(fromSquared(o, iv.a)) + ", " + num(fromSquared(o, iv.b)) +
           "])";
}

void checkRectTheoryMemory(const RectOptions& o)
{
    core::checkRectTheoryBudget(o.model, o.points, o.memoryBudget);
    if (o.sample)
        checkHistogramMemory(o.bins, o.memoryBudget);
}

std::optional<core::RectTheory> theoryCancellable(const RectOptions& o, const RunEnv& env)
{
    const core::RectModel m = o.model;
    const int points = o.points;
    return abandonable<core::RectTheory>([m, points] { return core::computeRectTheory(m, points); },
                                         env);
}

// After the rows shown (spikeRows), the spikes left out, if any: "... 114 more spikes".
void moreSpikes(std::ostringstream& s, std::size_t spikes,
                const std::vector<std::pair<std::size_t, std::size_t>>& rows, std::size_t shown)
{
    if (rows.size() <= shown)
        return;
    const std::size_t left = spikes - rows[shown].first, groups = rows.size() - shown;
    s << "          ... " << left << " more spikes";
    if (groups != left)
        s << " in " << groups << " groups of equal spikes";
    s << " (see --json)\n";
}

} // namespace

RectOptions parseRectArgs(const std::vector<std::string>& args)
{
    RectOptions o;
    if (args.size() < 2)
        throw InputError("rect: missing subcommand (expected 'rect sample' or 'rect theory')");
    const std::string& sub = args[1];
    if (sub == "--help" || sub == "-h") {
        o.help = true;
        return o;
    }
    if (sub == "sample")
        o.sample = true;
    else if (sub == "theory")
        o.sample = false;
    else
        throw InputError("rect: unknown subcommand " + quote(sub) +
                         " (expected 'rect sample' or 'rect theory')");
    std::vector<OptionDef> allowed = kModelOptions;
    const auto& more = o.sample ? kSampleOptions : kTheoryOptions;
    allowed.insert(allowed.end(), more.begin(), more.end());
    const CollectedArgs a = collectOptions(args, 2, "rect " + sub, allowed, 0);
    if (a.help) {
        o.help = true;
        return o;
    }

    // The session gives the defaults (its rectangular model and run); options override them.
    core::RectModel& m = o.model;
    bool fromSession = false;
    if (a.has("--session")) {
        const std::string& path = a.get("--session");
        if (path.empty())
            throw InputError("--session", "empty file name");
        std::optional<core::RectSession> rect;
        try {
            rect = core::loadSession(path).rect;
        } catch (const InputError& e) {
            throw InputError("--session", e.what());
        }
        if (!rect)
            throw InputError("--session", path + ": rect: missing (the session has no rectangular "
                                                 "model; save one from the app's Rectangular tab)");
        m = rect->model;
        o.samples = rect->samples;
        o.seed = rect->seed;
        fromSession = true;
    }
    if (!a.has("--n") && !fromSession)
        throw InputError("--n", "required (the rows N of W), or give --session FILE");
    if (a.has("--n"))
        m.n = static_cast<int>(parseIntOption("--n", a.get("--n"), 1, kMaxDim,
                                              "an integer in [1, 100000000] (the rows N)"));
    if (a.has("--m") && a.has("--c"))
        throw InputError("--c", "give either --m or --c, not both");
    if (a.has("--m")) {
        m.m = static_cast<int>(parseIntOption("--m", a.get("--m"), 1, kMaxDim,
                                              "an integer in [1, 100000000] (the columns M)"));
    } else if (a.has("--c")) {
        const double c = parseDoubleOption("--c", a.get("--c"), "a finite number > 0 (M/N)");
        const double mm = std::round(c * m.n);
        if (!(c > 0.0) || !(mm >= 1.0 && mm <= static_cast<double>(kMaxDim)))
            throw InputError("--c",
                             "must be a number > 0 with M = round(c N) in [1, 100000000], got " +
                                 quote(a.get("--c")));
        m.m = static_cast<int>(mm);
    } else if (!fromSession) {
        throw InputError("--m", "required (the columns M of W), or give the ratio --c M/N");
    }
    if (a.has("--sigma")) {
        m.sigma = parseDoubleOption("--sigma", a.get("--sigma"), "a finite number > 0");
        if (!(m.sigma > 0.0))
            throw InputError("--sigma",
                             "must be a finite number > 0, got " + quote(a.get("--sigma")));
    }
    if (a.has("--noise"))
        m.noise = parseFamilyOption(a.get("--noise"), core::parseNoise);
    if (a.has("--alpha") && a.has("--rank"))
        throw InputError("--rank", "give either --alpha or --rank, not both");
    if (a.has("--alpha")) {
        const double al = parseDoubleOption("--alpha", a.get("--alpha"), "a number in [0, 1]");
        if (!(al >= 0.0 && al <= 1.0))
            throw InputError("--alpha",
                             "must be a number in [0, 1], got " + quote(a.get("--alpha")));
        m.rank.isExplicit = false;
        m.rank.alpha = al;
    }
    if (a.has("--rank")) {
        m.rank.isExplicit = true;
        m.rank.rank = static_cast<int>(parseIntOption("--rank", a.get("--rank"), 1, INT_MAX,
                                                      "an integer >= 1 (at most min(N, M))"));
    }
    if (a.has("--spikes"))
        m.spikes = parseFamilyOption(a.get("--spikes"), core::parseSpikes);
    if (a.has("--bulk"))
        m.bulk = parseFamilyOption(a.get("--bulk"), core::parseBulk);
    if (a.has("--eigvecs"))
        m.eigvecs = parseFamilyOption(a.get("--eigvecs"), core::parseEigvecs);
    try {
        core::validate(m);
    } catch (const InputError& e) {
        throw withOptionName(e);
    }
    o.squared = a.has("--squared");
    if (a.has("--memory-budget"))
        o.memoryBudget = parseBytes("--memory-budget", a.get("--memory-budget"));
    if (a.has("--json")) {
        o.jsonPath = a.get("--json");
        if (o.jsonPath.empty())
            throw InputError("--json", "empty file name");
    }
    if (a.has("--samples"))
        o.samples = static_cast<int>(
            parseIntOption("--samples", a.get("--samples"), 1, INT_MAX, "an integer >= 1"));
    if (a.has("--seed"))
        o.seed = parseSeed(a.get("--seed"));
    if (a.has("--threads"))
        o.threads = static_cast<int>(parseIntOption("--threads", a.get("--threads"), 0, 4096,
                                                    "an integer in [0, 4096] (0 = all cores)"));
    if (a.has("--bins"))
        o.bins = static_cast<int>(parseIntOption("--bins", a.get("--bins"), 1, 10'000'000,
                                                 "an integer in [1, 10000000]"));
    if (a.has("--range"))
        o.range = parseRange(a.get("--range"));
    if (a.has("--points"))
        o.points = static_cast<int>(parseIntOption("--points", a.get("--points"), 2, 10'000'000,
                                                   "an integer in [2, 10000000]"));
    return o;
}

std::string rectTheoryJson(const RectOptions& o, const core::RectTheory& t)
{
    ojson j = theoryHead(o, t);
    j["mp_density"] = curveJson(o.squared ? t.mpSquared : t.mpSingular);
    j["density"] = curveJson(o.squared ? t.equivalent.squared : t.equivalent.singular);
    ojson outliers = ojson::array();
    for (const auto& p : t.outliers)
        outliers.push_back(predictionJson(o, p));
    j["outliers"] = std::move(outliers);
    return j.dump(2) + "\n";
}

std::string rectTheorySummary(const RectOptions& o, const core::RectTheory& t)
{
    constexpr std::size_t kMaxRows = 12; // the JSON has them all
    std::ostringstream s;
    s << std::left;
    const core::MpEdges mp = o.squared ? t.mpSquaredEdges : t.mpSingularEdges;
    s << "model     " << modelLine(o.model) << "\n";
    s << "units     " << unitsLine(o) << "\n";
    s << "MP        [" << num(mp.lo) << ", " << num(mp.hi) << "] (S = 0: sigma"
      << (o.squared ? "^2 (1 -+ sqrt c)^2" : " |1 -+ sqrt c|") << ")\n";
    const auto& sup = t.equivalent.support;
    s << "support   of the deterministic equivalent, " << sup.size() << " interval"
      << (sup.size() == 1 ? "" : "s") << " (p x mass = predicted number of values):\n";
    for (std::size_t i = 0; i < std::min(sup.size(), kMaxRows); ++i) {
        // Built with append: GCC 12 warns falsely (-Wrestrict) on "[" + std::string.
        std::string iv(1, '[');
        iv.append(num(fromSquared(o, sup[i].a))).append(", ");
        iv.append(num(fromSquared(o, sup[i].b))).append("]");
        s << "          " << std::setw(28) << iv << "mass " << std::setw(10) << num(sup[i].mass, 4)
          << "p x mass " << num(sup[i].mass * t.p, 4) << "  " << core::toString(sup[i].kind)
          << (i == t.equivalent.mainBulk ? " (main bulk)" : "") << "\n";
    }
    if (sup.size() > kMaxRows)
        s << "          ... " << sup.size() - kMaxRows << " more intervals (see --json)\n";
    s << "threshold finite-rank BBP: theta > sigma c^(1/4) = "
      << num(o.model.sigma * std::pow(t.c, 0.25)) << "\n";
    s << "outliers  " << std::setw(12) << "theta" << std::setw(6) << "mult" << std::setw(14)
      << "finite-rank" << std::setw(20) << "overlap left/right"
      << "large-rank\n";
    const auto rows = spikeRows(t.outliers); // equal spikes share one prediction
    for (std::size_t g = 0; g < std::min(rows.size(), kMaxRows); ++g) {
        const auto& p = t.outliers[rows[g].first];
        s << "          " << std::setw(12) << num(p.theta) << std::setw(6) << rows[g].second
          << std::setw(14) << num(finiteRankIn(o, p)) << std::setw(20)
          << (num(p.overlapLeft, 4) + " / " + num(p.overlapRight, 4)) << num(largeRankIn(o, p))
          << absorbedNote(o, t, p) << "\n";
    }
    moreSpikes(s, t.outliers.size(), rows, kMaxRows);
    return s.str();
}

RectSampleReport makeRectSampleReport(const RectOptions& o, const core::RectRunResult& run,
                                      const core::RectTheory& theory)
{
    RectSampleReport r;
    r.run = &run;
    r.theory = &theory;
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const auto& sv : run.singularValues)
        for (double y : sv)
            if (std::isfinite(y)) {
                lo = std::min(lo, fromSingular(o, y));
                hi = std::max(hi, fromSingular(o, y));
            }
    if (!(lo <= hi))
        lo = hi = 0.0;
    r.minValue = lo;
    r.maxValue = hi;
    r.histogram = histogramOver(lo, hi, o.range, o.bins);
    for (const auto& sv : run.singularValues) {
        if (!o.squared) {
            r.histogram.add(sv);
            continue;
        }
        std::vector<double> x(sv.size());
        std::transform(sv.begin(), sv.end(), x.begin(), [](double y) { return y * y; });
        r.histogram.add(x);
    }
    r.observed = core::observeRectSpectrum(theory, run.singularValues, o.squared);
    return r;
}

std::string rectSampleJson(const RectOptions& o, const RectSampleReport& r)
{
    const core::RectTheory& t = *r.theory;
    ojson j = theoryHead(o, t, &r.observed.intervals);
    j["samples"] = r.run->completed;
    j["seed"] = o.seed;
    putThreads(j, o.threads);
    j["observed_range"] = ojson::array({r.minValue, r.maxValue});
    j["histogram"] = ojson{{"edges", r.histogram.edges},
                           {"counts", r.histogram.counts},
                           {"density", r.histogram.density()}};
    ojson outliers = ojson::array();
    for (std::size_t i = 0; i < t.outliers.size(); ++i) {
        ojson p = predictionJson(o, t.outliers[i]);
        const core::ObservedOutlier obs =
            i < r.observed.spikes.size() ? r.observed.spikes[i] : core::ObservedOutlier{};
        p["observed_mean"] = valueOrNull(obs.mean);
        p["observed_sd"] = valueOrNull(obs.sd);
        p["observed_in_samples"] = obs.samplesPresent;
        outliers.push_back(std::move(p));
    }
    j["outliers"] = std::move(outliers);
    j["outliers_per_sample"] = r.observed.meanOutliers;
    j["unexplained"] =
        ojson{{"per_sample", r.observed.meanUnexplained}, {"values", r.observed.unexplained}};
    const double total = r.run->totalSeconds;
    j["timing"] = ojson{{"total_s", total},
                        {"per_sample_s", r.run->completed > 0 ? total / r.run->completed : 0.0}};
    return j.dump(2) + "\n";
}

std::string rectSampleSummary(const RectOptions& o, const RectSampleReport& r)
{
    constexpr std::size_t kMaxRows = 12;
    const core::RectTheory& t = *r.theory;
    const core::RectRunResult& run = *r.run;
    const core::MpEdges mp = o.squared ? t.mpSquaredEdges : t.mpSingularEdges;
    std::ostringstream s;
    s << std::left;
    s << "model     " << modelLine(o.model) << "\n";
    s << "units     " << unitsLine(o) << "\n";
    s << "sampler   LAPACK SVD, " << run.completed << " sample" << (run.completed == 1 ? "" : "s")
      << ", seed " << o.seed << "\n";
    s << "bulk      main bulk of the deterministic equivalent ["
      << num(fromSingular(o, t.mainBulkLo)) << ", " << num(fromSingular(o, t.mainBulkHi))
      << "]; MP (S = 0) [" << num(mp.lo) << ", " << num(mp.hi) << "]\n";
    const auto& sup = t.equivalent.support;
    s << "support   " << sup.size() << " interval" << (sup.size() == 1 ? "" : "s")
      << " (count = p x mass; observed: mean count per sample):\n";
    for (std::size_t k = 0; k < std::min(sup.size(), kMaxRows); ++k) {
        std::string iv(1, '[');
        iv.append(num(fromSquared(o, sup[k].a))).append(", ");
        iv.append(num(fromSquared(o, sup[k].b))).append("]");
        s << "          " << std::setw(28) << iv << std::setw(9) << core::toString(sup[k].kind)
          << "count " << std::setw(8) << sup[k].count << "observed "
          << (k < r.observed.intervals.size() ? num(r.observed.intervals[k].meanCount, 6) : "-")
          << "\n";
    }
    if (sup.size() > kMaxRows)
        s << "          ... " << sup.size() - kMaxRows << " more intervals (see --json)\n";
    s << "observed  values in [" << num(r.minValue) << ", " << num(r.maxValue) << "]; "
      << num(r.observed.meanOutliers, 6) << " outliers per sample ("
      << num(r.observed.meanUnexplained, 4) << " unexplained)\n";
    s << "outliers  " << std::setw(12) << "theta" << std::setw(14) << "finite-rank" << std::setw(14)
      << "large-rank"
      << "observed mean +- sd (samples)\n";
    const auto rows = spikeRows(t.outliers);
    for (std::size_t g = 0; g < std::min(rows.size(), kMaxRows); ++g) {
        const std::size_t i = rows[g].first;
        const auto& p = t.outliers[i];
        const core::ObservedOutlier obs =
            i < r.observed.spikes.size() ? r.observed.spikes[i] : core::ObservedOutlier{};
        std::string observed = "-";
        if (obs.mean)
            observed = num(obs.mean) + " +- " + num(obs.sd, 3) + " (" +
                       std::to_string(obs.samplesPresent) + "/" + std::to_string(run.completed) +
                       ")";
        s << "          " << std::setw(12) << thetaText(p.theta, rows[g].second) << std::setw(14)
          << num(finiteRankIn(o, p)) << std::setw(14) << num(largeRankIn(o, p)) << observed << "\n";
    }
    moreSpikes(s, t.outliers.size(), rows, kMaxRows);
    const double total = run.totalSeconds;
    s << "timing    " << num(total, 3) << " s total, "
      << num(run.completed > 0 ? total / run.completed : 0.0, 3) << " s per sample\n";
    return s.str();
}

int runRectCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                   const RunEnv& env)
{
    // Nothing is written while the options (and a session) are read: Ctrl-C ends it at once.
    // In a cluster run every process reads them (a session unreadable on one node fails all).
    const RectOptions o = [&] {
        ComputingSection parsing(env);
        return clusterStep(env, "rect", [&] { return parseRectArgs(args); });
    }();
    if (o.help) {
        if (isRoot(env))
            out << usage() << std::flush;
        return kExitOk;
    }
    // The output is checked by rank 0, which writes it; the theory is computed there alone.
    clusterStep(env, "rect", [&] {
        if (isRoot(env)) {
            checkWritable(o.jsonPath.empty() ? "-" : o.jsonPath);
            checkRectTheoryMemory(o);
        }
        return 0;
    });
    if (cancelled(env))
        return kExitInterrupted;
    if (!o.sample && !isRoot(env))
        return kExitOk; // the theory alone: rank 0's
    if (o.sample)
        noteThreads(o.threads, err);

    ComputingSection computing(env);
    std::string text;
    if (!o.sample) {
        const std::optional<core::RectTheory> theory = theoryCancellable(o, env);
        if (!theory || cancelled(env))
            return kExitInterrupted;
        text = o.jsonPath.empty() ? rectTheorySummary(o, *theory) : rectTheoryJson(o, *theory);
    } else {
        core::RunOptions ro;
        ro.samples = o.samples;
        ro.seed = o.seed;
        ro.threads = clusterThreads(o.threads, env);
        ro.memoryBudget = o.memoryBudget;
        std::optional<core::RectRunResult> got =
            withSamplingProgress(err, env, o.samples, [&](const auto& onProgress) {
                return clusterRunRectSamples(o.model, ro, env, onProgress);
            });
        if (!got)
            return kExitOk; // this process's share is delivered; rank 0 reports
        const core::RectRunResult run = std::move(*got);
        if (run.cancelled || cancelled(env))
            return kExitInterrupted;
        const std::optional<core::RectTheory> theory = theoryCancellable(o, env);
        if (!theory || cancelled(env))
            return kExitInterrupted;
        const RectSampleReport report = makeRectSampleReport(o, run, *theory);
        text = o.jsonPath.empty() ? rectSampleSummary(o, report) : rectSampleJson(o, report);
    }
    computing.end();
    if (cancelled(env))
        return kExitInterrupted;
    writeOutputs({{o.jsonPath.empty() ? "-" : o.jsonPath, &text}}, out, env);
    return kExitOk;
}

} // namespace ws::cli
