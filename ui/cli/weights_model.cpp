// wignerscope-cli weights PATH --all (see weights_model.h).
#include "ui/cli/weights_model.h"

#include "ui/cli/format.h"
#include "ui/cli/output.h"
#include "ui/cli/printable.h"
#include "ui/cli/progress.h"

#include "core/io/provenance.h"
#include "core/model/families.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <optional>
#include <sstream>

namespace ws::cli {

namespace {

std::string shapeOf(const std::vector<std::int64_t>& shape)
{
    std::string s;
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i)
            s += 'x';
        s += std::to_string(shape[i]);
    }
    return s.empty() ? "-" : s;
}

// RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled.
std::string csvField(const std::string& s)
{
    if (s.find_first_of(",\"\r\n") == std::string::npos)
        return s;
    std::string q = "\"";
    for (char c : s)
        q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

std::string csvNum(double v)
{
    if (!std::isfinite(v))
        return "";
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

std::string rateText(double rate)
{
    return num(100.0 * rate, 4) + "%";
}

} // namespace

std::string modelSummary(const WeightsOptions& o, const core::ModelReport& r,
                         const core::PrunedModel* pruned)
{
    std::ostringstream s;
    const int n = static_cast<int>(r.layers.size());
    s << "model     " << printable(r.path) << ": " << n << " tensor" << (n == 1 ? "" : "s") << ", "
      << r.analysed << " analysed\n";
    s << "rate      false-detection rate " << rateText(o.falseRate) << " per layer: over "
      << r.analysed << " pure-noise layers " << num(r.expectedFalseLayers, 3)
      << " false detections expected, P(any) = " << rateText(r.familyWiseRate) << "\n";
    std::size_t w = 5;
    for (const auto& l : r.layers)
        w = std::max(w, printable(l.tensor.name).size());
    w = std::min<std::size_t>(w + 2, 60);
    s << pad("layer", w) << pad("shape", 16) << pad("c", 8) << pad("sigma", 11) << pad("edge", 11)
      << pad("out", 5) << pad("rank", 6) << pad("frob%", 8) << pad("stable", 9)
      << "alpha (KS D, tail)\n";
    for (const auto& l : r.layers) {
        if (!l.analysed)
            continue;
        const std::string shape = std::to_string(l.tensor.rows) + "x" +
                                  std::to_string(l.tensor.cols) +
                                  (l.tensor.reshape.empty() ? "" : "*");
        s << pad(printable(l.tensor.name), w) << pad(shape, 16) << pad(num(l.aspect, 4), 8)
          << pad(num(l.fit.sigma, 5), 11) << pad(num(l.fit.upperEdge, 5), 11)
          << pad(std::to_string(l.fit.above), 5) << pad(std::to_string(l.detectedRank), 6)
          << pad(num(100.0 * l.outlierEnergy, 3), 8) << pad(num(l.stableRank, 4), 9)
          << (l.tail.ok ? num(l.tail.alpha, 3) + " (" + num(l.tail.ks, 2) + ", " +
                              std::to_string(l.tail.tail) + ")"
                        : std::string("-"))
          << "\n";
    }
    if (o.permutedSeed) {
        s << "permuted  each layer's entries permuted with seed " << *o.permutedSeed
          << " (signal destroyed, entry distribution kept): sigma, outliers\n";
        for (const auto& l : r.layers)
            if (l.analysed && l.permuted)
                s << "          " << pad(printable(l.tensor.name), w)
                  << pad(num(l.permuted->sigma, 5), 11) << l.permuted->above << "\n";
    }
    bool reshaped = false;
    for (const auto& l : r.layers)
        reshaped = reshaped || (l.analysed && !l.tensor.reshape.empty());
    if (reshaped)
        s << "          * a 4-D convolution kernel (out, in, kh, kw) analysed as out x (in kh "
             "kw)\n";
    if (r.analysed < n) {
        s << "not analysed\n";
        for (const auto& l : r.layers)
            if (!l.analysed)
                s << "  " << pad(printable(l.tensor.name), w) << pad(shapeOf(l.tensor.shape), 16)
                  << printable(l.reason) << "\n";
    }
    if (pruned) {
        int replaced = 0;
        std::string kept;
        for (const auto& p : pruned->layers) {
            replaced += p.replaced;
            if (!p.replaced)
                kept += (kept.empty() ? "" : ", ") + printable(p.name);
        }
        s << "pruned    " << printable(o.outPath) << ": " << replaced << " layer"
          << (replaced == 1 ? "" : "s") << " replaced by the best rank-k approximation at the "
          << "detected rank (dense, same dtype and shape), everything else copied unchanged\n";
        if (!kept.empty())
            s << "kept      " << kept << " (detected rank 0, or no saving)\n";
        for (const auto& p : pruned->layers)
            if (p.replaced)
                s << "          " << pad(printable(p.name), 24)
                  << " k = " << pad(std::to_string(p.k), 5) << " relative Frobenius error "
                  << num(p.relativeError, 4) << "\n";
        s << "params    " << pruned->paramsBefore << " before, " << pruned->paramsAfter
          << " after (replaced layers counted as their factors k (N + M): "
          << num(100.0 * static_cast<double>(pruned->paramsAfter) /
                     static_cast<double>(std::max<std::int64_t>(pruned->paramsBefore, 1)),
                 4)
          << "%)\n";
    }
    return s.str();
}

std::string modelJson(const WeightsOptions& o, const core::ModelReport& r,
                      const core::PrunedModel* pruned)
{
    ojson j;
    j["program"] = versionText();
    j["path"] = r.path;
    j["false_rate"] = o.falseRate;
    j["false_rate_meaning"] =
        "per layer: the probability that a layer of pure noise reports an outlier";
    j["analysed"] = r.analysed;
    j["expected_false_layers"] = r.expectedFalseLayers;
    j["family_wise_rate"] = r.familyWiseRate;
    j["conv_reshape"] = "a 4-D kernel (out, in, kh, kw) is analysed as out x (in kh kw)";
    j["alpha_estimator"] = "Clauset-Shalizi-Newman: continuous power-law MLE of the density of "
                           "s^2 above xmin, xmin minimising the Kolmogorov-Smirnov distance";
    ojson layers = ojson::array();
    for (const auto& l : r.layers) {
        ojson e;
        e["name"] = l.tensor.name;
        e["file"] = l.tensor.file;
        e["dtype"] = l.tensor.dtype;
        e["shape"] = l.tensor.shape;
        e["analysed"] = l.analysed;
        if (!l.analysed) {
            e["reason"] = l.reason;
            layers.push_back(std::move(e));
            continue;
        }
        e["matrix"] = ojson::array({l.tensor.rows, l.tensor.cols});
        e["reshape"] = l.tensor.reshape.empty() ? ojson(nullptr) : ojson(l.tensor.reshape);
        e["aspect"] = l.aspect;
        e["sigma"] = l.fit.sigma;
        e["entry_std"] = l.fit.entryStd;
        e["mp_edge"] = l.fit.upperEdge;
        e["threshold"] = l.fit.upperEdge + l.fit.margin;
        e["tw_threshold"] = l.fit.twThreshold;
        e["outliers"] = l.fit.above;
        e["detected_rank"] = l.detectedRank;
        e["outlier_values"] = std::vector<double>(
            l.singular.begin(),
            l.singular.begin() + std::min<std::ptrdiff_t>(l.fit.above, std::ssize(l.singular)));
        e["outlier_scales"] = l.fit.outlierScales;
        e["outlier_energy"] = l.outlierEnergy;
        e["stable_rank"] = l.stableRank;
        e["alpha"] = l.tail.ok ? ojson{{"alpha", l.tail.alpha},
                                       {"se", l.tail.alphaSe},
                                       {"xmin", l.tail.xmin},
                                       {"ks_distance", l.tail.ks},
                                       {"tail", l.tail.tail}}
                               : ojson(nullptr);
        e["permuted"] = l.permuted ? ojson{{"seed", *o.permutedSeed},
                                           {"sigma", l.permuted->sigma},
                                           {"mp_edge", l.permuted->upperEdge},
                                           {"outliers", l.permuted->above}}
                                   : ojson(nullptr);
        e["seconds"] = l.seconds;
        layers.push_back(std::move(e));
    }
    j["layers"] = std::move(layers);
    if (pruned) {
        ojson pl = ojson::array();
        for (const auto& p : pruned->layers)
            pl.push_back(ojson{{"name", p.name},
                               {"k", p.k},
                               {"replaced", p.replaced},
                               {"relative_error", p.relativeError},
                               {"retained_energy", p.retainedEnergy}});
        j["prune"] = ojson{{"out", o.outPath},
                           {"rule", "auto: each analysed layer at its detected rank; rank 0 kept"},
                           {"params_before", pruned->paramsBefore},
                           {"params_after_factored", pruned->paramsAfter},
                           {"layers", std::move(pl)}};
    } else {
        j["prune"] = nullptr;
    }
    return j.dump(2) + "\n";
}

std::string modelCsv(const core::ModelReport& r)
{
    std::ostringstream s;
    s << "name,shape,rows,cols,reshape,aspect,sigma,mp_edge,threshold,outliers,detected_rank,"
         "outlier_energy,stable_rank,alpha,alpha_se,alpha_xmin,alpha_ks,alpha_tail,permuted_sigma,"
         "permuted_outliers,reason\n";
    for (const auto& l : r.layers) {
        s << csvField(l.tensor.name) << ',' << shapeOf(l.tensor.shape) << ',';
        if (!l.analysed) {
            s << ",,,,,,,,,,,,,,,,,," << csvField(l.reason) << "\n";
            continue;
        }
        s << l.tensor.rows << ',' << l.tensor.cols << ',' << csvField(l.tensor.reshape) << ','
          << csvNum(l.aspect) << ',' << csvNum(l.fit.sigma) << ',' << csvNum(l.fit.upperEdge) << ','
          << csvNum(l.fit.upperEdge + l.fit.margin) << ',' << l.fit.above << ',' << l.detectedRank
          << ',' << csvNum(l.outlierEnergy) << ',' << csvNum(l.stableRank) << ',';
        if (l.tail.ok)
            s << csvNum(l.tail.alpha) << ',' << csvNum(l.tail.alphaSe) << ',' << csvNum(l.tail.xmin)
              << ',' << csvNum(l.tail.ks) << ',' << l.tail.tail;
        else
            s << ",,,,";
        if (l.permuted)
            s << ',' << csvNum(l.permuted->sigma) << ',' << l.permuted->above;
        else
            s << ",,";
        s << ",\n";
    }
    return s.str();
}

int runWeightsModel(const WeightsOptions& o, std::ostream& out, std::ostream& err,
                    const RunEnv& env)
{
    if (!o.jsonPath.empty())
        checkWritable(o.jsonPath);
    if (!o.csvPath.empty())
        checkWritable(o.csvPath);
    if (o.prune) {
        try {
            checkWritable(o.outPath);
        } catch (const OutputError& e) {
            throw OutputError(std::string("--out: ") + e.what());
        }
    }

    ComputingSection computing(env);
    std::atomic<int> done{0}, total{0};
    std::mutex nameMutex;
    std::string current;
    ProgressLine progress(err, env, [&](double t) {
        std::string name;
        {
            std::lock_guard lock(nameMutex);
            name = printable(current);
        }
        if (name.size() > 40)
            name = "..." + name.substr(name.size() - 37);
        char buf[160];
        const int len =
            std::snprintf(buf, sizeof buf, "layers %d of %d%s%s, %.1f s elapsed", done.load(),
                          total.load(), name.empty() ? "" : ": ", name.c_str(), t);
        return std::string(buf,
                           std::min(static_cast<std::size_t>(std::max(len, 0)), sizeof buf - 1));
    });
    core::ModelReportOptions options;
    options.falseRate = o.falseRate;
    options.memoryBudget = o.memoryBudget;
    options.keepSingular = true;
    options.permutedSeed = o.permutedSeed;
    core::ModelReport report;
    try {
        report = core::analyseModel(o.file, options, env.cancel,
                                    [&](int d, int n, const std::string& name) {
                                        done.store(d);
                                        total.store(n);
                                        std::lock_guard lock(nameMutex);
                                        current = name;
                                    });
    } catch (const core::Cancelled&) {
        return kExitInterrupted;
    }
    std::optional<core::PrunedModel> pruned;
    if (o.prune) {
        try {
            pruned = core::pruneModel(report, env.cancel, o.memoryBudget);
        } catch (const core::Cancelled&) {
            return kExitInterrupted;
        } catch (const core::InputError& e) {
            throw core::InputError("--prune", e.what());
        }
    }
    progress.stop();
    computing.end();
    if (cancelled(env))
        return kExitInterrupted;

    const core::PrunedModel* p = pruned ? &*pruned : nullptr;
    const std::string json = o.jsonPath.empty() ? std::string() : modelJson(o, report, p);
    core::Provenance provenance; // no model, seed or samples: the file's weights
    provenance.model = "weights " + printable(o.file) + " --all";
    provenance.time = csvTime();
    const std::string csv =
        o.csvPath.empty() ? std::string() : core::csvProvenance(provenance) + modelCsv(report);
    const bool stdoutTaken = o.jsonPath == "-" || o.csvPath == "-";
    const std::string summary = stdoutTaken ? std::string() : modelSummary(o, report, p);
    std::vector<Output> outputs;
    if (p)
        outputs.push_back({o.outPath, &p->bytes});
    if (!o.jsonPath.empty())
        outputs.push_back({o.jsonPath, &json});
    if (!o.csvPath.empty())
        outputs.push_back({o.csvPath, &csv});
    if (!stdoutTaken)
        outputs.push_back({"-", &summary});
    writeOutputs(outputs, out, env);
    // Layers refused by the budget are rows of the report; the exit status still says so.
    int refused = 0;
    for (const auto& l : report.layers)
        refused += !l.analysed && l.tensor.reason.empty() && l.reason.rfind("memory:", 0) == 0;
    if (refused > 0)
        throw core::ResourceError("memory: " + std::to_string(refused) + " layer" +
                                  (refused == 1 ? " does" : "s do") +
                                  " not fit the memory budget (--memory-budget); the report "
                                  "lists them as not analysed");
    return kExitOk;
}

} // namespace ws::cli
