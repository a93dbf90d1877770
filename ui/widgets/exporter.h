#pragma once
// Exports: plots as PNG/SVG/PDF rendered in memory, CSV tables, all written atomically by the
// core's writer (core/io/atomic_file.h: a temporary file renamed over the target only once
// complete).

#include "ui/jobs/frames.h"

#include "core/io/session.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

class QCustomPlot;

namespace ws::ui {

enum class ImageFormat { Png, Svg, Pdf };

// By the file's suffix (png, svg, pdf; case-insensitive).
std::optional<ImageFormat> imageFormatFor(const QString& path);
// The same; throws std::runtime_error "unknown image type ..." for another suffix.
ImageFormat requireImageFormat(const QString& path);
QByteArray renderPlot(QCustomPlot* plot, ImageFormat format, int width, int height);
// The plot at its size on screen, at least minWidth x minHeight, written atomically to `path` in
// the format of its suffix. Throws std::runtime_error.
void writePlotFile(const QString& path, QCustomPlot* plot, int minWidth, int minHeight);

// Runs `action`; true if it returned, false with the exception's message in *error (if given)
// if it threw: for the file actions that report a failure rather than throw.
bool reportingErrors(QString* error, const std::function<void()>& action);

// core::writeFileAtomically for a Qt path and bytes. Throws std::runtime_error "cannot write PATH:
// REASON"; the target is untouched then.
void writeFileAtomically(const QString& path, const QByteArray& bytes);

// The comment lines every CSV of the app starts with (core/io/provenance.h): version, the model
// of `s` in the CLI's syntax, its seed, `samples`, the date (SOURCE_DATE_EPOCH's when set, as in
// the CLI). The rows after them are the CLI's for the same table.
QByteArray csvProvenance(const core::Session& s, int samples);

// Header "sample,index,value" (core::eigenvaluesCsvRows, the CLI's `sample --eigenvalues`).
QByteArray eigenvaluesCsv(const std::vector<std::pair<int, std::vector<double>>>& samples);
// With the rank of each value among the N eigenvalues of its sample in the index column (the
// banded fast path locates only some of them: index then jumps, e.g. 0, N-2, N-1).
QByteArray eigenvaluesCsv(const std::vector<std::pair<int, std::vector<double>>>& samples,
                          const std::vector<std::pair<int, std::vector<std::int64_t>>>& ranks);
QByteArray histogramCsv(const core::Histogram& h);
QByteArray theoryCsv(const TheoryFrame& t);
QByteArray outliersCsv(const TheoryFrame& t, const SampleFrame* s);

} // namespace ws::ui
