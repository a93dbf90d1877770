// wignerscope-cli weights (see weights.h).
#include "ui/cli/weights.h"

#include "ui/cli/args.h"
#include "ui/cli/format.h"
#include "ui/cli/output.h"
#include "ui/cli/printable.h"
#include "ui/cli/progress.h"
#include "ui/cli/weights_model.h"

#include "core/model/families.h"
#include "core/util/histogram.h"
#include "core/rectangular/marchenko_pastur.h"
#include "core/util/bytes.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <initializer_list>
#include <iomanip>
#include <ostream>
#include <sstream>

namespace ws::cli {

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

const std::vector<OptionDef> kWeightsOptions = {
    {"--tensor"},     {"--json"},      {"--prune"},         {"--out"},
    {"--bins"},       {"--range"},     {"--memory-budget"}, {"--false-rate"},
    {"--list", true}, {"--all", true}, {"--csv"},           {"--permuted"},
};

double secondsSince(Clock::time_point t0)
{
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::string shapeText(const std::vector<std::int64_t>& shape)
{
    if (shape.size() == 2)
        return std::to_string(shape[0]) + " x " + std::to_string(shape[1]);
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i)
        s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

bool sameFile(const std::string& a, const std::string& b)
{
    std::error_code e1, e2;
    const fs::path pa = fs::weakly_canonical(a, e1);
    const fs::path pb = fs::weakly_canonical(b, e2);
    return !e1 && !e2 && pa == pb;
}

bool endsWith(const std::string& path, const std::string& suffix)
{
    if (path.size() < suffix.size())
        return false;
    std::string ext = path.substr(path.size() - suffix.size());
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return ext == suffix;
}

bool endsWithNpy(const std::string& path)
{
    return endsWith(path, ".npy");
}

// The entry readWeights will read, if the header alone says so (else readWeights reports why).
const core::TensorInfo* selectedTensor(const std::vector<core::TensorInfo>& list,
                                       const std::string& tensor, bool named)
{
    if (!named)
        return tensor.empty() && list.size() == 1 ? &list.front() : nullptr;
    if (!tensor.empty()) {
        for (const auto& t : list)
            if (t.name == tensor)
                return &t;
        return nullptr;
    }
    const core::TensorInfo* only = nullptr;
    for (const auto& t : list)
        if (t.readable()) {
            if (only)
                return nullptr;
            only = &t;
        }
    return only;
}

// What the whole run holds at its peak: the matrix as doubles, then the larger of the singular
// value decomposition and the pruning (whose result is another matrix).
double workingBytes(int rows, int cols, int pruneK)
{
    const double matrix = 8.0 * rows * static_cast<double>(cols);
    const double svd = static_cast<double>(core::singularValuesPeakBytes(rows, cols));
    const double prune =
        pruneK >= 0 ? static_cast<double>(core::pruneTopKPeakBytes(rows, cols, pruneK)) : 0.0;
    return matrix + std::max(svd, prune);
}

void checkMemory(const WeightsOptions& o, int rows, int cols)
{
    const std::size_t budget = o.memoryBudget ? o.memoryBudget : core::defaultMemoryBudget();
    // --prune auto: the rank is known after the fit; pruneTopK checks its own need then.
    const int k = !o.prune ? -1 : (o.pruneAuto ? 0 : o.pruneK);
    const double need = workingBytes(rows, cols, k) +
                        (o.permutedSeed ? 8.0 * rows * static_cast<double>(cols) : 0.0);
    if (need <= static_cast<double>(budget))
        return;
    throw core::ResourceError(
        "memory: the " + std::to_string(rows) + " x " + std::to_string(cols) + " matrix of " +
        o.file + " needs about " + core::formatBytes(need, core::ByteStyle::Significant) +
        " (the matrix as doubles" +
        (o.prune ? ", the decomposition and the pruned copy)" : " and its decomposition)") +
        " but the budget is " +
        core::formatBytes(static_cast<double>(budget), core::ByteStyle::Significant) +
        " (--memory-budget)");
}

int defaultBins(int p)
{
    return std::clamp(static_cast<int>(std::lround(2.0 * std::sqrt(static_cast<double>(p)))), 10,
                      200);
}

core::Histogram singularHistogram(const WeightsOptions& o, const std::vector<double>& s)
{
    const int bins = o.bins > 0 ? o.bins : defaultBins(static_cast<int>(s.size()));
    double lo = 0.0, hi = 1.0;
    if (o.range) {
        lo = o.range->first;
        hi = o.range->second;
    } else if (!s.empty() && s.front() > 0.0) {
        hi = 1.02 * s.front();
    }
    core::Histogram h = core::makeHistogram(lo, hi, bins);
    h.add(s);
    return h;
}

// Phases of a run, for the progress line.
struct Phase
{
    std::atomic<int> index{0};
    std::atomic<double> fraction{0.0};
    void set(int i)
    {
        fraction.store(0.0);
        index.store(i);
    }
};

ProgressLine::Text phaseText(const Phase& phase)
{
    return [&phase](double t) {
        static const char* const kNames[] = {"reading", "singular values", "pruning"};
        const int i = std::clamp(phase.index.load(), 0, 2);
        char buf[120];
        const int len = std::snprintf(buf, sizeof buf, "%s: %.0f%%, %.1f s elapsed", kNames[i],
                                      100.0 * phase.fraction.load(), t);
        return std::string(buf,
                           std::min(static_cast<std::size_t>(std::max(len, 0)), sizeof buf - 1));
    };
}

ojson tensorJson(const core::TensorInfo& t)
{
    ojson j;
    j["name"] = t.name;
    j["dtype"] = t.dtype;
    j["shape"] = t.shape;
    j["bytes"] = t.bytes;
    j["is_2d"] = t.is2d();
    j["readable"] = t.readable();
    if (t.readable()) // the matrix analysed (a 4-D kernel: out x (in kh kw))
        j["matrix"] = ojson::array({t.matrixRows(), t.matrixCols()});
    return j;
}

int runList(const WeightsOptions& o, std::ostream& out, const RunEnv& env)
{
    checkWritable(o.jsonPath.empty() ? "-" : o.jsonPath);
    const std::string format = core::toString(core::detectWeightsFormat(o.file));
    const std::vector<core::TensorInfo> tensors = core::listTensors(o.file, env.cancel);
    const std::string text = o.jsonPath.empty() ? tensorListSummary(o.file, format, tensors)
                                                : tensorListJson(o.file, format, tensors);
    writeOutputs({{o.jsonPath.empty() ? "-" : o.jsonPath, &text}}, out, env);
    return kExitOk;
}

} // namespace

double parseFalseRate(const std::string& text)
{
    std::string v = text;
    double scale = 1.0;
    if (!v.empty() && v.back() == '%') {
        v.pop_back();
        scale = 0.01;
    }
    const double rate =
        scale * parseDoubleOption("--false-rate", v, "a probability such as 0.01 or 1%");
    if (!(rate >= 1e-12 && rate <= 0.5))
        throw core::InputError("--false-rate", "must be in [1e-12, 0.5] (a probability per "
                                               "matrix, such as 0.01 or 1%), got " +
                                                   ws::cli::quote(text));
    return rate;
}

namespace {

// Refuses any of `others` given with `option`: "--all: cannot be combined with --bins (why)".
void refuseWith(const CollectedArgs& a, const char* option,
                std::initializer_list<const char*> others, const char* why)
{
    for (const char* other : others)
        if (a.has(other))
            throw core::InputError(option, std::string("cannot be combined with ") + other + why);
}

// The value of `option`, refused when empty (`message` says what is missing).
std::string nonEmpty(const CollectedArgs& a, const char* option, const char* message)
{
    std::string value = a.get(option);
    if (value.empty())
        throw core::InputError(option, message);
    return value;
}

} // namespace

WeightsOptions parseWeightsArgs(const std::vector<std::string>& args)
{
    WeightsOptions o;
    const CollectedArgs a = collectOptions(args, 1, "weights", kWeightsOptions, 1);
    if (a.help) {
        o.help = true;
        return o;
    }
    if (a.positional.empty())
        throw core::InputError("weights: missing FILE (a .npy, .safetensors, .csv or .tsv file)");
    o.file = a.positional.front();
    if (o.file.empty())
        throw core::InputError("weights: empty file name");
    o.list = a.has("--list");
    o.all = a.has("--all");
    if (o.all) {
        refuseWith(a, "--all", {"--tensor", "--bins", "--range", "--list"},
                   " (--all analyses every tensor)");
        if (a.has("--csv"))
            o.csvPath = nonEmpty(a, "--csv", "empty file name");
    } else if (a.has("--csv")) {
        throw core::InputError("--csv", "needs --all (the CSV is the whole-model table)");
    }
    if (o.list)
        refuseWith(
            a, "--list",
            {"--tensor", "--prune", "--out", "--bins", "--range", "--false-rate", "--permuted"},
            " (--list only lists the tensors)");
    if (a.has("--tensor"))
        o.tensor = nonEmpty(a, "--tensor", "empty tensor name");
    if (a.has("--json"))
        o.jsonPath = nonEmpty(a, "--json", "empty file name");
    if (a.has("--prune")) {
        o.prune = true;
        const std::string& k = a.get("--prune");
        if (k == "auto")
            o.pruneAuto = true;
        else
            o.pruneK = static_cast<int>(parseIntOption(
                "--prune", k, 0, INT_MAX,
                "an integer K in [0, min(N, M)] or auto (the count above the edge)"));
    }
    if (a.has("--out") && o.all) {
        o.outPath = a.get("--out");
        if (o.outPath.empty() || o.outPath == "-" || !endsWith(o.outPath, ".safetensors"))
            throw core::InputError("--out", "with --all must be a file name ending in "
                                            ".safetensors (the pruned model), got " +
                                                ws::cli::quote(o.outPath));
    } else if (a.has("--out")) {
        o.outPath = a.get("--out");
        if (o.outPath.empty() || o.outPath == "-" || !endsWithNpy(o.outPath))
            throw core::InputError("--out", "must be a file name ending in .npy (the pruned matrix "
                                            "is written as NumPy .npy), got " +
                                                ws::cli::quote(o.outPath));
    }
    if (o.all && o.prune && !o.pruneAuto)
        throw core::InputError("--prune",
                               "with --all takes auto (each layer at its detected rank)");
    if (o.all && !o.jsonPath.empty() && o.jsonPath == o.csvPath && o.jsonPath != "-")
        throw core::InputError("--csv", "same file as --json");
    if (o.all && o.jsonPath == "-" && o.csvPath == "-")
        throw core::InputError("--csv", "--json and --csv cannot both go to stdout");
    if (o.prune && o.outPath.empty())
        throw core::InputError("--prune", o.all ? "needs --out FILE.safetensors (where to write "
                                                  "the pruned model)"
                                                : "needs --out FILE.npy (where to write the "
                                                  "pruned matrix)");
    if (!o.outPath.empty() && !o.prune)
        throw core::InputError("--out", "needs --prune K|auto (the rank to keep)");
    if (!o.outPath.empty()) {
        if (sameFile(o.outPath, o.file))
            throw core::InputError("--out", "same file as the input " + o.file +
                                                " (it would be replaced); choose another name");
        if (!o.jsonPath.empty() && o.jsonPath != "-" && sameFile(o.outPath, o.jsonPath))
            throw core::InputError("--out", "same file as --json");
        if (!o.csvPath.empty() && o.csvPath != "-" && sameFile(o.outPath, o.csvPath))
            throw core::InputError("--out", "same file as --csv");
    }
    if (a.has("--bins"))
        o.bins = static_cast<int>(
            parseIntOption("--bins", a.get("--bins"), 1, 1'000'000, "an integer in [1, 1000000]"));
    if (a.has("--range"))
        o.range = parseRange(a.get("--range"));
    if (a.has("--memory-budget"))
        o.memoryBudget = parseBytes("--memory-budget", a.get("--memory-budget"));
    if (a.has("--false-rate"))
        o.falseRate = parseFalseRate(a.get("--false-rate"));
    if (a.has("--permuted")) {
        try {
            o.permutedSeed = parseSeed(a.get("--permuted"));
        } catch (const core::InputError& e) {
            throw core::InputError("--permuted", e.what());
        }
    }
    return o;
}

std::string tensorListSummary(const std::string& file, const std::string& format,
                              const std::vector<core::TensorInfo>& tensors)
{
    // Names and dtypes come from the file: printed with control characters escaped.
    std::size_t nameWidth = 6, dtypeWidth = 7, shapeWidth = 7;
    for (const auto& t : tensors) {
        nameWidth = std::max(nameWidth, printable(t.name).size() + 2);
        dtypeWidth = std::max(dtypeWidth, printable(t.dtype).size() + 2);
        shapeWidth = std::max(shapeWidth, shapeText(t.shape).size() + 2);
    }
    std::ostringstream s;
    s << "file      " << printable(file) << " (" << format << ", " << tensors.size() << " tensor"
      << (tensors.size() == 1 ? "" : "s") << ")\n";
    s << std::left << "          " << std::setw(static_cast<int>(nameWidth)) << "name"
      << std::setw(static_cast<int>(dtypeWidth)) << "dtype"
      << std::setw(static_cast<int>(shapeWidth)) << "shape"
      << "readable\n";
    for (const auto& t : tensors) {
        const std::string why =
            t.readable()
                ? (t.isKernel() ? "yes, as " + std::to_string(t.matrixRows()) + " x " +
                                      std::to_string(t.matrixCols()) + " (out x (in kh kw))"
                                : std::string("yes"))
            : !t.is2d() && !t.isKernel() ? "no (not 2-D or a 4-D kernel)"
                                         : "no (dtype or empty shape)";
        s << "          " << std::setw(static_cast<int>(nameWidth))
          << (t.name.empty() ? "-" : printable(t.name)) << std::setw(static_cast<int>(dtypeWidth))
          << printable(t.dtype) << std::setw(static_cast<int>(shapeWidth)) << shapeText(t.shape)
          << why << "\n";
    }
    return s.str();
}

std::string tensorListJson(const std::string& file, const std::string& format,
                           const std::vector<core::TensorInfo>& tensors)
{
    ojson j;
    j["program"] = versionText();
    j["file"] = file;
    j["format"] = format;
    ojson list = ojson::array();
    for (const auto& t : tensors)
        list.push_back(tensorJson(t));
    j["tensors"] = std::move(list);
    return j.dump(2) + "\n";
}

std::string weightsSummary(const WeightsOptions& o, const WeightsReport& r)
{
    const core::NoiseFit& f = r.fit;
    const int p = static_cast<int>(r.singular.size());
    std::ostringstream s;
    s << "file      " << printable(o.file) << " (" << r.format << ")\n";
    s << "tensor    "
      << (r.info.name.empty() ? std::string("(the file's matrix)") : printable(r.info.name)) << ", "
      << r.info.dtype << ", " << r.rows << " x " << r.cols << " (N x M"
      << (r.info.isKernel() ? ": the 4-D kernel " + shapeText(r.info.shape) + " as out x (in kh kw)"
                            : std::string())
      << "), c = M/N = " << num(f.c) << "\n";
    s << "noise     sigma = " << num(f.sigma) << ", entry std sigma/sqrt(N) = " << num(f.entryStd)
      << "\n";
    s << "fit       " << f.method << "\n";
    s << "bulk      Marchenko-Pastur edges of the singular values [" << num(f.lowerEdge) << ", "
      << num(f.upperEdge) << "] = sigma |1 -+ sqrt c|\n";
    s << "margin    " << num(f.margin) << " (" << num(f.twThreshold, 4)
      << " Tracy-Widom scales above the edge: false-detection rate " << num(f.falseRate)
      << " per matrix): threshold " << num(f.upperEdge + f.margin) << "\n";
    s << "above     " << f.above << " of " << p
      << " singular values above the edge + margin (auto rank " << core::autoRank(f) << ")\n";
    constexpr int kShown = 20;
    if (f.above > 0) {
        s << "outliers ";
        for (int i = 0; i < std::min(f.above, kShown); ++i)
            s << ' ' << num(r.singular[static_cast<std::size_t>(i)], 5);
        if (f.above > kShown)
            s << " ... (" << f.above - kShown << " more, see --json)";
        s << "\n";
        s << "scales   ";
        for (int i = 0; i < std::min(f.above, kShown); ++i)
            s << ' ' << num(f.outlierScales[static_cast<std::size_t>(i)], 4);
        s << " (Tracy-Widom scales above the edge)\n";
    }
    if (f.above < p) {
        s << "bulk top ";
        for (int i = f.above; i < std::min(f.above + 3, p); ++i)
            s << ' ' << num(r.singular[static_cast<std::size_t>(i)], 5);
        s << " (largest singular values in the bulk)\n";
    }
    if (r.prune) {
        const core::PruneResult& q = *r.prune;
        s << "prune     k = " << q.k << (r.pruneAuto ? " (auto)" : "") << ": retained energy "
          << num(q.retainedEnergy, 4) << ", parameters " << q.params << " of " << q.originalParams
          << " ("
          << num(100.0 * static_cast<double>(q.params) / static_cast<double>(q.originalParams), 3)
          << "%, k (N + M)), relative Frobenius error " << num(q.relativeError, 4) << "\n";
        s << "written   " << printable(o.outPath) << " (best rank-" << q.k << " approximation, "
          << r.rows << " x " << r.cols << ", float64)\n";
    }
    if (r.permuted) {
        const core::NoiseFit& q = r.permuted->fit;
        s << "permuted  entries permuted with seed " << r.permuted->seed << " (signal destroyed, "
          << "entry distribution kept): sigma = " << num(q.sigma) << ", edge " << num(q.upperEdge)
          << ", " << q.above << " above its threshold; sigma / sigma_permuted = "
          << num(q.sigma > 0.0 ? f.sigma / q.sigma : 0.0, 4) << "\n";
    }
    s << "timing    read " << num(r.readSeconds, 3) << " s, singular values "
      << num(r.svdSeconds, 3) << " s"
      << (r.prune ? ", pruning " + num(r.pruneSeconds, 3) + " s" : std::string()) << "\n";
    return s.str();
}

std::string weightsJson(const WeightsOptions& o, const WeightsReport& r)
{
    const core::NoiseFit& f = r.fit;
    const int p = static_cast<int>(r.singular.size());
    ojson j;
    j["program"] = versionText();
    j["file"] = o.file;
    j["format"] = r.format;
    j["tensor"] = r.info.name;
    j["dtype"] = r.info.dtype;
    j["shape"] = ojson::array({r.rows, r.cols});
    j["stored_shape"] = r.info.shape; // a 4-D kernel's (out, in, kh, kw)
    j["c"] = f.c;
    j["noise_fit"] = ojson{{"sigma", f.sigma},
                           {"entry_std", f.entryStd},
                           {"method", f.method},
                           {"deflation", f.deflation}};
    j["bulk_edges"] = ojson{{"lower", f.lowerEdge}, {"upper", f.upperEdge}};
    j["false_rate"] = f.falseRate;
    j["tw_units"] = f.twThreshold;
    j["tw_margin"] = f.margin;
    j["threshold"] = f.upperEdge + f.margin;
    j["above"] = f.above;
    j["auto_rank"] = core::autoRank(f);
    j["bulk_count"] = f.bulkCount;
    j["outliers"] =
        std::vector<double>(r.singular.begin(), r.singular.begin() + std::clamp(f.above, 0, p));
    j["outlier_scales"] = f.outlierScales;
    j["singular_values"] = r.singular;

    // The histogram with the fitted law at the bin centres, scaled by the bulk's share so that it
    // overlays "density" (which integrates to 1 over all p values).
    const core::Histogram& h = r.histogram;
    std::vector<double> centres, mp, expected;
    const bool haveLaw = f.sigma > 0.0 && std::isfinite(f.sigma);
    const core::MarchenkoPastur law{haveLaw ? f.sigma : 1.0, f.c};
    const double share = p > 0 ? static_cast<double>(f.bulkCount) / p : 0.0;
    for (std::size_t i = 0; i + 1 < h.edges.size(); ++i) {
        const double a = h.edges[i], b = h.edges[i + 1];
        centres.push_back(0.5 * (a + b));
        if (haveLaw) {
            mp.push_back(share * law.singularDensity(centres.back()));
            // Exact expected count of bulk values in the bin, from the CDF of s^2.
            auto cdf = [&](double x) { return x <= 0.0 ? 0.0 : law.cdf(x * x); };
            expected.push_back(f.bulkCount * (cdf(b) - cdf(a)));
        }
    }
    ojson hist;
    hist["edges"] = h.edges;
    hist["centres"] = centres;
    hist["counts"] = h.counts;
    hist["density"] = h.density();
    hist["mp_density"] = haveLaw ? ojson(mp) : ojson(nullptr);
    hist["mp_expected_counts"] = haveLaw ? ojson(expected) : ojson(nullptr);
    hist["note"] = "density = counts / (p width); mp_density = (bulk_count / p) x the fitted "
                   "Marchenko-Pastur density of the singular values at the centres; "
                   "mp_expected_counts = bulk_count x the law's mass in each bin";
    j["histogram"] = std::move(hist);

    if (r.prune) {
        const core::PruneResult& q = *r.prune;
        j["prune"] = ojson{{"k", q.k},
                           {"rule", r.pruneAuto ? "auto" : "explicit"},
                           {"retained_energy", q.retainedEnergy},
                           {"params", q.params},
                           {"original_params", q.originalParams},
                           {"relative_error", q.relativeError},
                           {"out", o.outPath}};
    } else {
        j["prune"] = nullptr;
    }
    if (r.permuted) {
        const core::NoiseFit& q = r.permuted->fit;
        j["permuted"] = ojson{
            {"seed", r.permuted->seed},
            {"note", "the same analysis of a copy with the entries randomly permuted: the entry "
                     "distribution kept, the low-rank signal destroyed"},
            {"sigma", q.sigma},
            {"upper_edge", q.upperEdge},
            {"threshold", q.upperEdge + q.margin},
            {"above", q.above},
            {"singular_values", r.permuted->singular},
            {"histogram_counts", r.permuted->histogram.counts}};
    } else {
        j["permuted"] = nullptr;
    }
    j["timing"] = ojson{{"read_s", r.readSeconds},
                        {"singular_values_s", r.svdSeconds},
                        {"prune_s", r.pruneSeconds}};
    return j.dump(2) + "\n";
}

int runWeightsCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                      const RunEnv& env)
{
    const WeightsOptions o = parseWeightsArgs(args);
    if (o.help) {
        out << usage() << std::flush;
        return kExitOk;
    }
    if (cancelled(env))
        return kExitInterrupted;
    if (o.list)
        return runList(o, out, env);
    if (o.all)
        return runWeightsModel(o, out, err, env);

    // Every output is checked, and the header read, before the long part starts.
    checkWritable(o.jsonPath.empty() ? "-" : o.jsonPath);
    if (!o.jsonPath.empty() && o.bins > 0)
        checkHistogramMemory(o.bins, o.memoryBudget);
    if (!o.outPath.empty()) {
        try {
            checkWritable(o.outPath);
        } catch (const OutputError& e) {
            throw OutputError(std::string("--out: ") + e.what());
        }
    }
    WeightsReport r;
    const core::WeightsFormat format = core::detectWeightsFormat(o.file);
    r.format = core::toString(format);
    const std::vector<core::TensorInfo> tensors = core::listTensors(o.file, env.cancel);
    if (const core::TensorInfo* t = selectedTensor(tensors, o.tensor,
                                                   format == core::WeightsFormat::Safetensors ||
                                                       format == core::WeightsFormat::Npz);
        t && t->readable()) {
        const auto rows = static_cast<int>(t->matrixRows()); // readable: in [1, INT_MAX]
        const auto cols = static_cast<int>(t->matrixCols());
        const int p = std::min(rows, cols);
        if (o.prune && !o.pruneAuto && o.pruneK > p)
            throw core::InputError(
                "--prune", "K = " + std::to_string(o.pruneK) + " is outside [0, min(N, M)] = [0, " +
                               std::to_string(p) + "] for the " + std::to_string(rows) + " x " +
                               std::to_string(cols) + " matrix of " + o.file);
        checkMemory(o, rows, cols);
    }
    const std::size_t budget = o.memoryBudget ? o.memoryBudget : core::defaultMemoryBudget();

    ComputingSection computing(env);
    Phase phase;
    ProgressLine progress(err, env, phaseText(phase));
    auto report = [&phase](double x) { phase.fraction.store(x); };
    try {
        auto t0 = Clock::now();
        core::WeightsMatrix w = core::readWeights(o.file, o.tensor, env.cancel, report, budget);
        r.readSeconds = secondsSince(t0);
        r.info.name = w.tensor;
        r.info.dtype = w.dtype;
        r.info.shape = w.storedShape;
        r.rows = w.rows;
        r.cols = w.cols;
        const int p = std::min(w.rows, w.cols);
        if (o.prune && !o.pruneAuto && o.pruneK > p) // text files: the shape is known only now
            throw core::InputError(
                "--prune", "K = " + std::to_string(o.pruneK) + " is outside [0, min(N, M)] = [0, " +
                               std::to_string(p) + "] for the " + std::to_string(w.rows) + " x " +
                               std::to_string(w.cols) + " matrix of " + o.file);
        checkMemory(o, w.rows, w.cols);
        // The matrix is held from here on; the decompositions get the rest of the budget.
        const double held = 8.0 * w.rows * static_cast<double>(w.cols);
        const auto rest =
            static_cast<std::size_t>(std::max(1.0, static_cast<double>(budget) - held));
        if (cancelled(env))
            return kExitInterrupted;

        phase.set(1);
        progress.redraw();
        t0 = Clock::now();
        try {
            r.singular = core::singularValues(w.rows, w.cols, w.values, env.cancel, report, rest);
        } catch (const core::InputError& e) {
            // About this matrix: say which (e.g. entries too large to decompose).
            throw core::InputError(
                o.file + (w.tensor.empty() ? std::string() : ": tensor '" + w.tensor + "'"), e);
        }
        r.svdSeconds = secondsSince(t0);
        core::NoiseFitOptions fitOptions;
        fitOptions.falseRate = o.falseRate;
        r.fit = core::fitNoise(r.singular, w.rows, w.cols, fitOptions);
        r.histogram = singularHistogram(o, r.singular);
        if (cancelled(env))
            return kExitInterrupted;
        if (o.permutedSeed) {
            WeightsReport::Reference ref;
            ref.seed = *o.permutedSeed;
            ref.singular = core::singularValues(
                w.rows, w.cols, core::permutedCopy(w.values, ref.seed), env.cancel, report, rest);
            ref.fit = core::fitNoise(ref.singular, w.rows, w.cols, fitOptions);
            ref.histogram = core::makeHistogram(r.histogram.edges.front(), r.histogram.edges.back(),
                                                static_cast<int>(r.histogram.counts.size()));
            ref.histogram.add(ref.singular);
            r.permuted = std::move(ref);
        }

        if (o.prune) {
            phase.set(2);
            progress.redraw();
            t0 = Clock::now();
            const int k = o.pruneAuto ? core::autoRank(r.fit) : o.pruneK;
            r.prune = core::pruneTopK(w.rows, w.cols, w.values, k, env.cancel, report, rest);
            r.pruneAuto = o.pruneAuto;
            r.pruneSeconds = secondsSince(t0);
        }
    } catch (const core::Cancelled&) {
        return kExitInterrupted;
    }
    const std::string json = o.jsonPath.empty() ? std::string() : weightsJson(o, r);
    const std::string summary = o.jsonPath.empty() ? weightsSummary(o, r) : std::string();
    progress.stop();
    computing.end();
    if (cancelled(env))
        return kExitInterrupted;

    // Everything succeeded: now the outputs, as one result (both files or neither).
    const std::string npy =
        r.prune ? core::encodeNpy(r.rows, r.cols, r.prune->lowRank) : std::string();
    if (r.prune)
        std::vector<double>().swap(r.prune->lowRank); // encoded: the matrix is not needed twice
    std::vector<Output> outputs;
    if (r.prune)
        outputs.push_back({o.outPath, &npy});
    outputs.push_back(
        {o.jsonPath.empty() ? "-" : o.jsonPath, o.jsonPath.empty() ? &summary : &json});
    try {
        writeOutputs(outputs, out, env);
    } catch (const WriteError& e) {
        const std::string what = e.what();
        throw WriteError(r.prune && what.rfind("cannot write " + o.outPath + ":", 0) == 0
                             ? "--out: " + what
                             : what);
    }
    return kExitOk;
}

} // namespace ws::cli
