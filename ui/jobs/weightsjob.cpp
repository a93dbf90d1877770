#include "ui/jobs/weightsjob.h"

#include "core/model/families.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string_view>

namespace ws::ui {

namespace {

bool isResource(const QString& path)
{
    return path.startsWith(":/") || path.startsWith("qrc:");
}

QByteArray resourceBytes(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        throw core::InputError(path.toStdString() + ": cannot open the resource");
    return f.readAll();
}

bool isSafetensors(const QString& path)
{
    return QFileInfo(path).suffix().compare("safetensors", Qt::CaseInsensitive) == 0;
}

double secondsSince(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

std::string localPath(const QString& path)
{
    return QFile::encodeName(path).toStdString();
}

std::vector<core::TensorInfo> listWeightTensors(const QString& path)
{
    if (isResource(path)) {
        const QByteArray bytes = resourceBytes(path);
        const std::string_view view(bytes.constData(), static_cast<std::size_t>(bytes.size()));
        if (isSafetensors(path))
            return core::parseSafetensorsHeader(view);
        const core::WeightsMatrix w = core::parseNpy(view);
        core::TensorInfo t;
        t.dtype = w.dtype;
        t.shape = {w.rows, w.cols};
        t.bytes = static_cast<std::uint64_t>(bytes.size());
        return {t};
    }
    const std::string p = localPath(path);
    // A text file's shape needs a scan of the whole file: not worth it before reading.
    if (core::detectWeightsFormat(p) == core::WeightsFormat::Text) {
        core::TensorInfo t;
        t.dtype = "text";
        t.bytes = static_cast<std::uint64_t>(QFileInfo(path).size());
        return {t};
    }
    return core::listTensors(p);
}

WeightsData loadWeights(const WeightsSource& source, const std::atomic<bool>* cancel,
                        const std::function<void(double)>& progress)
{
    using Clock = std::chrono::steady_clock;
    auto t0 = Clock::now();
    const auto cancelled = [cancel] { return cancel && cancel->load(); };
    WeightsData d;
    d.source = source;
    core::WeightsMatrix w;
    const std::string tensor = source.tensor.toStdString();
    // Share of the progress bar for reading: reading runs at ~0.5 GB/s, the singular values
    // at a few GFlop/s (p^2 n for the Gram matrix + ~(4/3) p^3 for the solver).
    double readShare = 0.3;
    if (isResource(source.path)) {
        const QByteArray bytes = resourceBytes(source.path);
        const std::string_view view(bytes.constData(), static_cast<std::size_t>(bytes.size()));
        w = isSafetensors(source.path) ? core::parseSafetensors(view, tensor)
                                       : core::parseNpy(view);
        d.fileBytes = static_cast<std::uint64_t>(bytes.size());
    } else {
        const std::string path = localPath(source.path);
        d.fileBytes = static_cast<std::uint64_t>(QFileInfo(source.path).size());
        // Before the header is read the shape is unknown: guess e = bytes/4 entries, square.
        const double e = static_cast<double>(d.fileBytes) / 4.0;
        const double readTime = static_cast<double>(d.fileBytes) / 5e8;
        const double svdTime = 2.3 * e * std::sqrt(e) / 3e9;
        readShare = std::clamp(readTime / (readTime + svdTime), 0.05, 0.9);
        w = core::readWeights(
            path, tensor, cancel,
            [&](double f) {
                if (progress)
                    progress(readShare * f);
            },
            source.memoryBudget);
    }
    if (cancelled())
        throw core::Cancelled("cancelled");
    d.readSeconds = secondsSince(t0);
    d.dtype = w.dtype;
    d.rows = w.rows;
    d.cols = w.cols;
    d.storedShape = w.storedShape;
    t0 = Clock::now();
    d.singular = core::singularValues(
        w.rows, w.cols, w.values, cancel,
        [&](double f) {
            if (progress)
                progress(readShare + (1.0 - readShare) * f);
        },
        source.memoryBudget);
    if (cancelled())
        throw core::Cancelled("cancelled");
    d.fit = core::fitNoise(d.singular, w.rows, w.cols);
    d.svdSeconds = secondsSince(t0);
    d.values = std::make_shared<const std::vector<double>>(std::move(w.values));
    if (progress)
        progress(1.0);
    return d;
}

PrunePreview prunePreview(const WeightsData& d, int k)
{
    PrunePreview r;
    r.k = std::clamp(k, 0, d.p());
    r.params = static_cast<std::int64_t>(r.k) * (static_cast<std::int64_t>(d.rows) + d.cols);
    r.originalParams = static_cast<std::int64_t>(d.rows) * d.cols;
    // Sums of (s_i / s_1)^2 (no overflow for entries near the double range), from the smallest
    // up; the tail is summed on its own for an accurate small error.
    const double scale = d.singular.empty() ? 0.0 : d.singular.front();
    double kept = 0.0, dropped = 0.0;
    for (int i = d.p() - 1; i >= 0 && scale > 0.0; --i) {
        const double x = d.singular[static_cast<std::size_t>(i)] / scale;
        (i < r.k ? kept : dropped) += x * x;
    }
    const double total = kept + dropped;
    r.retainedEnergy = total > 0.0 ? kept / total : 1.0;
    r.relativeError = total > 0.0 ? std::sqrt(dropped / total) : 0.0;
    return r;
}

void exportPruned(const WeightsData& d, int k, const QString& path, const std::atomic<bool>* cancel,
                  const std::function<void(double)>& progress)
{
    if (!d.values)
        throw core::InputError("no weight matrix loaded");
    core::PruneResult r = core::pruneTopK(d.rows, d.cols, *d.values, k, cancel, [&](double f) {
        if (progress)
            progress(0.9 * f);
    });
    if (cancel && cancel->load())
        throw core::Cancelled("cancelled");
    core::writeNpy(localPath(path), d.rows, d.cols, r.lowRank);
    if (progress)
        progress(1.0);
}

JobRunner::Work loadWeightsJob(const WeightsSource& source,
                               std::function<void(std::shared_ptr<const WeightsData>)> onLoaded)
{
    return [source, onLoaded = std::move(onLoaded)](const JobContext& ctx) {
        auto d = std::make_shared<const WeightsData>(
            loadWeights(source, ctx.cancelFlag(), [&ctx](double f) { ctx.progress(f); }));
        ctx.post([onLoaded, d] { onLoaded(d); });
    };
}

JobRunner::Work exportPrunedJob(std::shared_ptr<const WeightsData> d, int k, const QString& path,
                                std::function<void()> onSaved)
{
    return [d = std::move(d), k, path, onSaved = std::move(onSaved)](const JobContext& ctx) {
        if (!d)
            throw core::InputError("no weight matrix loaded");
        exportPruned(*d, k, path, ctx.cancelFlag(), [&ctx](double f) { ctx.progress(f); });
        ctx.post(onSaved);
    };
}

JobRunner::Work
analyseModelJob(const QString& path, double falseRate, std::size_t memoryBudget,
                std::function<void(std::shared_ptr<const core::ModelReport>)> onDone)
{
    return [path, falseRate, memoryBudget, onDone = std::move(onDone)](const JobContext& ctx) {
        core::ModelReportOptions o;
        o.falseRate = falseRate;
        o.memoryBudget = memoryBudget;
        o.keepSingular = true;
        QTemporaryDir tmp; // holds a copy of a resource for the length of the analysis
        QString file = path;
        if (isResource(path)) {
            if (!tmp.isValid())
                throw core::InputError("cannot create a temporary directory for " +
                                       path.toStdString());
            file = tmp.filePath(QFileInfo(path).fileName());
            QFile out(file);
            if (!out.open(QIODevice::WriteOnly) || out.write(resourceBytes(path)) < 0)
                throw core::InputError("cannot copy " + path.toStdString());
        }
        core::ModelReport r = core::analyseModel(
            localPath(file), o, ctx.cancelFlag(), [&ctx](int done, int total, const std::string&) {
                ctx.progress(total > 0 ? static_cast<double>(done) / total : 1.0, done, total);
            });
        r.path = path.toStdString();
        auto report = std::make_shared<const core::ModelReport>(std::move(r));
        ctx.post([onDone, report] { onDone(report); });
    };
}

WeightsData layerData(const core::ModelReport& r, int index)
{
    const core::LayerReport& l = r.layers.at(static_cast<std::size_t>(index));
    WeightsData d;
    d.source.path = QString::fromStdString(r.path);
    d.source.tensor = QString::fromStdString(l.tensor.name);
    d.dtype = l.tensor.dtype;
    d.rows = l.tensor.rows;
    d.cols = l.tensor.cols;
    d.singular = l.singular;
    d.fit = l.fit;
    d.svdSeconds = l.seconds;
    return d;
}

} // namespace ws::ui
