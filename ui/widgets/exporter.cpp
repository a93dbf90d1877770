#include "ui/widgets/exporter.h"

#include "core/io/atomic_file.h"
#include "core/io/provenance.h"
#include "core/model/families.h"

#include <QBuffer>
#include <QFileInfo>
#include <QPageLayout>
#include <QPdfWriter>
#include <QFile>
#include <QSvgGenerator>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string_view>

namespace ws::ui {

namespace {

QByteArray num(double v)
{
    return QByteArray::fromStdString(core::formatDouble(v));
}

QByteArray opt(const std::optional<double>& v)
{
    return v ? num(*v) : QByteArray();
}

void drawVector(QCustomPlot* plot, QPaintDevice* device, int width, int height)
{
    QCPPainter painter;
    if (!painter.begin(device))
        throw std::runtime_error("cannot start painting the plot");
    painter.setMode(QCPPainter::pmVectorized);
    painter.setMode(QCPPainter::pmNoCaching);
    painter.setWindow(QRect(0, 0, width, height));
    plot->toPainter(&painter, width, height);
    painter.end();
}

} // namespace

std::optional<ImageFormat> imageFormatFor(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == "png")
        return ImageFormat::Png;
    if (suffix == "svg")
        return ImageFormat::Svg;
    if (suffix == "pdf")
        return ImageFormat::Pdf;
    return std::nullopt;
}

ImageFormat requireImageFormat(const QString& path)
{
    const auto format = imageFormatFor(path);
    if (!format)
        throw std::runtime_error("unknown image type (use .png, .svg or .pdf): " +
                                 path.toStdString());
    return *format;
}

void writePlotFile(const QString& path, QCustomPlot* plot, int minWidth, int minHeight)
{
    const ImageFormat format = requireImageFormat(path);
    writeFileAtomically(path, renderPlot(plot, format, std::max(plot->width(), minWidth),
                                         std::max(plot->height(), minHeight)));
}

bool reportingErrors(QString* error, const std::function<void()>& action)
{
    try {
        action();
        return true;
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
}

QByteArray renderPlot(QCustomPlot* plot, ImageFormat format, int width, int height)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    switch (format) {
    case ImageFormat::Png: {
        const QPixmap pixmap = plot->toPixmap(width, height, 2.0); // 2x for sharp slides
        if (!pixmap.save(&buffer, "PNG"))
            throw std::runtime_error("cannot encode the PNG image");
        break;
    }
    case ImageFormat::Svg: {
        QSvgGenerator svg;
        svg.setOutputDevice(&buffer);
        svg.setSize(QSize(width, height));
        svg.setViewBox(QRect(0, 0, width, height));
        svg.setTitle("Wignerscope");
        drawVector(plot, &svg, width, height);
        break;
    }
    case ImageFormat::Pdf: {
        QPdfWriter pdf(&buffer);
        pdf.setCreator("Wignerscope");
        pdf.setResolution(72);
        QPageLayout layout(
            QPageSize(QSizeF(width, height), QPageSize::Point, QString(), QPageSize::ExactMatch),
            QPageLayout::Portrait, QMarginsF(0, 0, 0, 0));
        layout.setMode(QPageLayout::FullPageMode);
        pdf.setPageLayout(layout);
        drawVector(plot, &pdf, width, height);
        break;
    }
    }
    buffer.close();
    if (bytes.isEmpty())
        throw std::runtime_error("the rendered image is empty");
    return bytes;
}

void writeFileAtomically(const QString& path, const QByteArray& bytes)
{
    core::writeFileAtomically(
        QFile::encodeName(path).toStdString(),
        std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())));
}

QByteArray csvProvenance(const core::Session& s, int samples)
{
    core::Provenance p;
    p.model = core::modelArguments(s.model);
    p.seed = s.seed;
    p.samples = samples;
    p.time = core::provenanceTime(qgetenv("SOURCE_DATE_EPOCH").constData());
    return QByteArray::fromStdString(core::csvProvenance(p));
}

QByteArray eigenvaluesCsv(const std::vector<std::pair<int, std::vector<double>>>& samples)
{
    return eigenvaluesCsv(samples, {});
}

QByteArray eigenvaluesCsv(const std::vector<std::pair<int, std::vector<double>>>& samples,
                          const std::vector<std::pair<int, std::vector<std::int64_t>>>& ranks)
{
    std::vector<int> index;
    std::vector<std::vector<double>> values;
    for (const auto& [k, v] : samples) {
        index.push_back(k);
        values.push_back(v);
    }
    std::vector<std::vector<std::int64_t>> r;
    for (const auto& [k, v] : ranks)
        r.push_back(v);
    return QByteArray::fromStdString(
        core::eigenvaluesCsvRows(index, values, ranks.empty() ? nullptr : &r));
}

QByteArray histogramCsv(const core::Histogram& h)
{
    QByteArray out = "bin_lo,bin_hi,count,density\n";
    const auto density = h.density();
    for (std::size_t i = 0; i < h.counts.size(); ++i)
        out += num(h.edges[i]) + ',' + num(h.edges[i + 1]) + ',' +
               QByteArray::number(static_cast<qulonglong>(h.counts[i])) + ',' +
               num(i < density.size() ? density[i] : 0.0) + '\n';
    return out;
}

QByteArray theoryCsv(const TheoryFrame& t)
{
    QByteArray out = "curve,x,density\n";
    const auto& de = t.theory.equivalent.density;
    for (std::size_t i = 0; i < de.x.size(); ++i)
        out += "deterministic_equivalent," + num(de.x[i]) + ',' + num(de.y[i]) + '\n';
    const auto& sc = t.theory.semicircle;
    for (std::size_t i = 0; i < sc.x.size(); ++i)
        out += "semicircle," + num(sc.x[i]) + ',' + num(sc.y[i]) + '\n';
    return out;
}

QByteArray outliersCsv(const TheoryFrame& t, const SampleFrame* s)
{
    QByteArray out = "k,theta,finite_rank,large_rank,observed_mean,observed_sd,samples_present,"
                     "error_finite_rank,error_large_rank,overlap_finite_rank,overlap_large_rank,"
                     "group_size,in_main_bulk\n";
    // One row per spike; equal spikes share group_size and the group's prediction/observation.
    std::vector<std::size_t> groupOf(t.theory.outliers.size(), 1);
    for (const auto& g : t.groups)
        for (std::size_t i = g.first; i < g.first + g.size && i < groupOf.size(); ++i)
            groupOf[i] = g.size;
    for (std::size_t k = 0; k < t.theory.outliers.size(); ++k) {
        const auto& p = t.theory.outliers[k];
        const core::ObservedOutlier* o = s && k < s->observed.size() ? &s->observed[k] : nullptr;
        // NaN marks a missing value (an optional here trips GCC 12's maybe-uninitialized).
        const double mean = o && o->mean ? *o->mean : std::numeric_limits<double>::quiet_NaN();
        auto err = [&](const std::optional<double>& pred) -> std::optional<double> {
            if (pred && !std::isnan(mean))
                return pred.value() - mean;
            return std::nullopt;
        };
        out += QByteArray::number(static_cast<qulonglong>(k + 1)) + ',' + num(p.theta) + ',' +
               opt(p.finiteRank) + ',' + opt(p.largeRank) + ',' +
               (std::isnan(mean) ? QByteArray() : num(mean)) + ',' + opt(o ? o->sd : std::nullopt) +
               ',' + QByteArray::number(o ? o->samplesPresent : 0) + ',' + opt(err(p.finiteRank)) +
               ',' + opt(err(p.largeRank)) + ',' + opt(p.overlapFiniteRank) + ',' +
               opt(p.overlapLargeRank) + ',' +
               QByteArray::number(static_cast<qulonglong>(groupOf[k])) + ',' +
               (p.absorbed ? "1" : "0") + '\n';
    }
    return out;
}

} // namespace ws::ui
