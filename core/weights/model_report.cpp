// The whole-model report (model_report.h).
#include "core/weights/model_report.h"

#include "core/model/families.h"
#include "core/sampling/runner.h" // defaultMemoryBudget
#include "core/util/bytes.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <numeric>

namespace ws::core {

PowerLawFit fitPowerLawTail(std::vector<double> lambda, int minTail)
{
    PowerLawFit best;
    if (minTail < 2)
        throw InputError("power-law fit: minTail must be >= 2");
    lambda.erase(std::remove_if(lambda.begin(), lambda.end(),
                                [](double v) { return !(v > 0.0) || !std::isfinite(v); }),
                 lambda.end());
    std::sort(lambda.begin(), lambda.end(), std::greater<>()); // descending
    const int n = static_cast<int>(lambda.size());
    if (n < minTail)
        return best;
    // Prefix sums of log lambda over the top k.
    std::vector<double> logs(static_cast<std::size_t>(n) + 1, 0.0);
    for (int i = 0; i < n; ++i)
        logs[static_cast<std::size_t>(i) + 1] =
            logs[static_cast<std::size_t>(i)] + std::log(lambda[static_cast<std::size_t>(i)]);
    for (int k = minTail; k <= n; ++k) {
        const double xmin = lambda[static_cast<std::size_t>(k - 1)];
        const double sumLog = logs[static_cast<std::size_t>(k)] - k * std::log(xmin);
        if (!(sumLog > 0.0))
            continue; // all of the tail at xmin
        const double alpha = 1.0 + k / sumLog;
        // KS distance; the tail in ascending order is lambda[k-1], ..., lambda[0].
        double d = 0.0;
        for (int j = 0; j < k; ++j) {
            const double x = lambda[static_cast<std::size_t>(k - 1 - j)];
            const double model = 1.0 - std::pow(x / xmin, 1.0 - alpha);
            d = std::max(
                {d, std::abs((j + 1.0) / k - model), std::abs(static_cast<double>(j) / k - model)});
        }
        if (!best.ok || d < best.ks) {
            best.ok = true;
            best.alpha = alpha;
            best.alphaSe = (alpha - 1.0) / std::sqrt(static_cast<double>(k));
            best.xmin = xmin;
            best.ks = d;
            best.tail = k;
        }
    }
    return best;
}

void describeLayer(LayerReport& layer, const std::vector<double>& s, double falseRate)
{
    const int rows = layer.tensor.rows, cols = layer.tensor.cols;
    NoiseFitOptions o;
    o.falseRate = falseRate;
    layer.fit = fitNoise(s, rows, cols, o);
    layer.aspect = static_cast<double>(cols) / rows;
    layer.detectedRank = autoRank(layer.fit);
    double total = 0.0, top = 0.0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        total += s[i] * s[i];
        if (static_cast<int>(i) < layer.detectedRank)
            top += s[i] * s[i];
    }
    layer.outlierEnergy = total > 0.0 ? top / total : 0.0;
    layer.stableRank = !s.empty() && s.front() > 0.0 ? total / (s.front() * s.front()) : 0.0;
    std::vector<double> lambda(s.size());
    std::transform(s.begin(), s.end(), lambda.begin(), [](double v) { return v * v; });
    layer.tail = fitPowerLawTail(std::move(lambda));
    layer.analysed = true;
}

ModelReport analyseModel(const std::string& path, const ModelReportOptions& options,
                         const std::atomic<bool>* cancel, const ModelProgress& progress)
{
    if (!(options.falseRate >= 1e-12 && options.falseRate <= 0.5))
        throw InputError("false-detection rate", "must be in [1e-12, 0.5]");
    ModelReport report;
    report.path = path;
    const std::vector<ModelTensor> tensors = listModelTensors(path, cancel);
    const std::size_t budget = options.memoryBudget ? options.memoryBudget : defaultMemoryBudget();
    report.layers.resize(tensors.size());
    std::vector<int> todo;
    std::vector<std::size_t> need(tensors.size(), 0);
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        LayerReport& l = report.layers[i];
        l.tensor = tensors[i];
        l.reason = tensors[i].reason;
        if (!l.reason.empty())
            continue;
        need[i] = readModelTensorPeakBytes(l.tensor) +
                  singularValuesPeakBytes(l.tensor.rows, l.tensor.cols) +
                  (options.permutedSeed ? static_cast<std::size_t>(l.tensor.rows) *
                                              static_cast<std::size_t>(l.tensor.cols) * 8
                                        : 0);
        if (need[i] > budget) {
            l.reason = "memory: needs about " + formatBytes(static_cast<double>(need[i])) +
                       ", the budget is " + formatBytes(static_cast<double>(budget));
            continue;
        }
        todo.push_back(static_cast<int>(i));
    }
    const int total = static_cast<int>(tensors.size());
    int done = total - static_cast<int>(todo.size());
    std::mutex mutex;
    if (progress)
        progress(done, total, std::string());
    // Waves of consecutive layers whose summed peak memory fits the budget.
    for (std::size_t start = 0; start < todo.size();) {
        std::size_t end = start, sum = 0;
        while (end < todo.size() &&
               (end == start || sum + need[static_cast<std::size_t>(todo[end])] <= budget))
            sum += need[static_cast<std::size_t>(todo[end++])];
        tbb::parallel_for(start, end, [&](std::size_t w) {
            if (cancel && cancel->load(std::memory_order_relaxed))
                return;
            LayerReport& l = report.layers[static_cast<std::size_t>(todo[w])];
            const auto t0 = std::chrono::steady_clock::now();
            try {
                const WeightsMatrix m = readModelTensor(l.tensor, cancel, budget);
                const std::vector<double> s =
                    singularValues(m.rows, m.cols, m.values, cancel, {}, budget);
                describeLayer(l, s, options.falseRate);
                if (options.keepSingular)
                    l.singular = s;
                if (options.permutedSeed) {
                    std::vector<double> ps = singularValues(
                        m.rows, m.cols, permutedCopy(m.values, *options.permutedSeed), cancel, {},
                        budget);
                    NoiseFitOptions fo;
                    fo.falseRate = options.falseRate;
                    l.permuted = fitNoise(ps, m.rows, m.cols, fo);
                    if (options.keepSingular)
                        l.permutedSingular = std::move(ps);
                }
            } catch (const Cancelled&) {
                return;
            } catch (const std::exception& e) {
                l.analysed = false;
                l.reason = e.what();
            }
            l.seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            std::lock_guard lock(mutex);
            ++done;
            if (progress)
                progress(done, total, l.tensor.name);
        });
        if (cancel && cancel->load(std::memory_order_relaxed))
            throw Cancelled("model report: cancelled");
        start = end;
    }
    for (const LayerReport& l : report.layers)
        report.analysed += l.analysed;
    report.expectedFalseLayers = report.analysed * options.falseRate;
    report.familyWiseRate = 1.0 - std::pow(1.0 - options.falseRate, report.analysed);
    return report;
}

} // namespace ws::core
