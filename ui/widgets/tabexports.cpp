// Exports of the shown tab (see tabexports.h).
#include "ui/widgets/tabexports.h"

#include "ui/jobs/animationrunner.h"
#include "ui/jobs/rectrunner.h"
#include "ui/jobs/sweeprunner.h"
#include "ui/jobs/weightsjob.h"
#include "ui/plots/mainplot.h"
#include "ui/render/framerenderer.h"
#include "ui/views/animationview.h"
#include "ui/views/framewidget.h"
#include "ui/views/rectplot.h"
#include "ui/views/rectview.h"
#include "ui/views/viewtabs.h"
#include "ui/views/weightsplot.h"
#include "ui/views/weightsview.h"
#include "ui/widgets/fileactions.h"
#include "ui/widgets/theme.h"

#include "core/animation/describe.h"
#include "core/io/provenance.h"
#include "core/model/families.h"

#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QPainter>
#include <QSpinBox>

#include <stdexcept>

namespace ws::ui {

namespace {

std::int64_t now()
{
    return core::provenanceTime(qgetenv("SOURCE_DATE_EPOCH").constData());
}

QByteArray withProvenance(const core::Provenance& p, const QByteArray& rows)
{
    return QByteArray::fromStdString(core::csvProvenance(p)) + rows;
}

// The Animation tab's shown frame and the plan it belongs to; throws if none is shown yet.
std::pair<const core::AnimationFrame*, std::shared_ptr<const core::AnimationPlan>>
shownFrame(const AnimationView& a)
{
    const core::AnimationFrame* f = a.frameWidget()->frame();
    auto plan = a.runner()->plan();
    if (!f || !plan)
        throw std::runtime_error("no frame shown yet: compute the animation first");
    return {f, std::move(plan)};
}

// Size, DPI and font scale; false if cancelled. The pixel size is shown as it changes.
bool askFigure(QWidget* parent, FigureOptions& o)
{
    QDialog d(parent);
    d.setWindowTitle(QObject::tr("Figure"));
    auto* size = new QComboBox(&d);
    for (auto s : {FigureOptions::Size::Slide169, FigureOptions::Size::Slide43,
                   FigureOptions::Size::Column, FigureOptions::Size::Custom})
        size->addItem(FigureOptions::name(s), static_cast<int>(s));
    size->setCurrentIndex(static_cast<int>(o.size));
    auto inchBox = [&d](double v) {
        auto* b = new QDoubleSpinBox(&d);
        b->setRange(0.5, 40.0);
        b->setDecimals(2);
        b->setSuffix(QObject::tr(" in"));
        b->setValue(v);
        return b;
    };
    auto* width = inchBox(o.custom.width());
    auto* height = inchBox(o.custom.height());
    auto* dpi = new QSpinBox(&d);
    dpi->setRange(50, 1200);
    dpi->setValue(o.dpi);
    dpi->setToolTip(QObject::tr("Pixels per inch of a PNG (150 for slides, 300 or more for "
                                "print); SVG and PDF keep their size in inches."));
    auto* font = new QDoubleSpinBox(&d);
    font->setRange(0.5, 3.0);
    font->setSingleStep(0.1);
    font->setValue(o.fontScale);
    font->setToolTip(QObject::tr("Text and lines relative to the figure: 1.5 for a small column "
                                 "figure that must stay readable."));
    auto* pixels = new QLabel(&d);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &d);
    QObject::connect(buttons, &QDialogButtonBox::accepted, &d, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &d, &QDialog::reject);
    auto read = [&] {
        o.size = static_cast<FigureOptions::Size>(size->currentData().toInt());
        o.custom = QSizeF(width->value(), height->value());
        o.dpi = dpi->value();
        o.fontScale = font->value();
        const bool custom = o.size == FigureOptions::Size::Custom;
        width->setEnabled(custom);
        height->setEnabled(custom);
        const QSize px = o.pixels();
        pixels->setText(QObject::tr("PNG: %1 × %2 pixels").arg(px.width()).arg(px.height()));
    };
    QObject::connect(size, &QComboBox::currentIndexChanged, &d, read);
    for (QDoubleSpinBox* b : {width, height, font})
        QObject::connect(b, &QDoubleSpinBox::valueChanged, &d, read);
    QObject::connect(dpi, &QSpinBox::valueChanged, &d, read);
    read();
    auto* form = new QFormLayout(&d);
    form->addRow(QObject::tr("Size"), size);
    form->addRow(QObject::tr("Custom width"), width);
    form->addRow(QObject::tr("Custom height"), height);
    form->addRow(QObject::tr("DPI"), dpi);
    form->addRow(QObject::tr("Font scale"), font);
    form->addRow(pixels);
    form->addRow(buttons);
    if (d.exec() != QDialog::Accepted)
        return false;
    read();
    return true;
}

} // namespace

TabExports::TabExports(ViewTabs* tabs, MainPlot* mainPlot, FileActions* files, QWidget* window)
    : QObject(window), m_tabs(tabs), m_mainPlot(mainPlot), m_files(files), m_window(window)
{
}

QByteArray TabExports::figureOfTab(ImageFormat format, const FigureOptions& o) const
{
    const QString key = m_tabs->currentKey();
    if (key == "main")
        return renderFigure(m_mainPlot, format, o);
    if (SweepView* v = m_tabs->view(key))
        return renderFigure(v->plot(), format, o);
    if (key == "rectangular")
        return renderFigure(m_tabs->rectView()->plot(), format, o);
    if (key == "weights")
        return renderFigure(m_tabs->weightsView()->plot(), format, o);
    if (key == "animation") {
        const auto [f, plan] = shownFrame(*m_tabs->animationView());
        // In the palette the panel shows, as a plot's figure is the plot as shown.
        const render::FrameRenderer r(
            *plan, framePalette(m_tabs->animationView()->frameWidget()->isDark()));
        return renderFigure([&](QPainter& p, QSize logical) { r.paint(p, logical, *f); }, format,
                            o);
    }
    throw std::runtime_error("this tab has no figure");
}

QByteArray TabExports::dataOfTab() const
{
    const QString key = m_tabs->currentKey();
    if (SweepView* v = m_tabs->view(key)) {
        if (v->runner()->result().points.empty())
            throw std::runtime_error("no grid point computed yet");
        return v->csv();
    }
    if (key == "animation") {
        const auto [f, plan] = shownFrame(*m_tabs->animationView());
        core::Provenance p;
        p.model = core::modelArguments(f->model);
        p.seed = plan->spec.run.seed;
        p.samples = f->samples;
        p.time = now();
        p.extra = "# frame: " + std::to_string(f->index + 1) + " of " +
                  std::to_string(plan->values.size()) + ", " + core::frameCaption(*plan, *f) + "\n";
        return withProvenance(p, histogramCsv(f->histogram));
    }
    if (key == "rectangular") {
        const RectRunner* r = m_tabs->rectView()->runner();
        const auto frame = r->frame();
        const auto snap = r->snapshot();
        if (!frame || !snap || snap->done == 0)
            throw std::runtime_error("no sample computed yet");
        core::Provenance p;
        p.model = "rect --n " + std::to_string(frame->model.n) + " --m " +
                  std::to_string(frame->model.m) + " " + core::signalArguments(frame->model);
        p.seed = frame->seed;
        p.samples = snap->done;
        p.time = now();
        p.extra = "# values: singular values s of W\n";
        return withProvenance(p, histogramCsv(snap->hist));
    }
    if (key == "weights") {
        const auto data = m_tabs->weightsView()->data();
        if (!data)
            throw std::runtime_error("no weight matrix loaded yet");
        core::Provenance p;
        p.model =
            "weights " + QFileInfo(data->source.path).fileName().toStdString() +
            (data->source.tensor.isEmpty() ? std::string()
                                           : " --tensor " + data->source.tensor.toStdString()) +
            " (" + std::to_string(data->rows) + "x" + std::to_string(data->cols) + " " +
            data->dtype + ")";
        p.time = now();
        QByteArray rows = "index,value\n";
        for (std::size_t i = 0; i < data->singular.size(); ++i)
            rows += QByteArray::number(static_cast<qulonglong>(i)) + ',' +
                    QByteArray::fromStdString(core::formatDouble(data->singular[i])) + '\n';
        return withProvenance(p, rows);
    }
    throw std::runtime_error("this tab has no data table");
}

bool TabExports::exportFigure(const QString& path, const FigureOptions& o, QString* error)
{
    return reportingErrors(
        error, [&] { writeFileAtomically(path, figureOfTab(requireImageFormat(path), o)); });
}

bool TabExports::exportData(const QString& path, QString* error)
{
    if (m_tabs->currentKey() == "main")
        return m_files->exportCsv(path, FileActions::CsvKind::Eigenvalues, error);
    return reportingErrors(error, [&] { writeFileAtomically(path, dataOfTab()); });
}

void TabExports::exportFigureDialog()
{
    FigureOptions o = FigureOptions::load();
    if (!askFigure(m_window, o))
        return;
    o.save();
    const QString path = QFileDialog::getSaveFileName(
        m_window, tr("Export figure"), m_tabs->currentKey() + ".png",
        tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"));
    QString error;
    if (!path.isEmpty() && !exportFigure(path, o, &error))
        emit failed(tr("Cannot export the figure"), error);
}

void TabExports::exportDataDialog()
{
    const QString path = QFileDialog::getSaveFileName(
        m_window, tr("Export data"), m_tabs->currentKey() + ".csv", tr("CSV (*.csv)"));
    QString error;
    if (!path.isEmpty() && !exportData(path, &error))
        emit failed(tr("Cannot export the data"), error);
}

} // namespace ws::ui
