#include "ui/widgets/fileactions.h"

#include "ui/jobs/controller.h"
#include "ui/plots/mainplot.h"
#include "ui/plots/spectrumplot.h"
#include "ui/widgets/exporter.h"
#include "ui/widgets/presets.h"
#include "ui/widgets/statuspanel.h"

#include <QAction>
#include <QFileDialog>
#include <QMenu>
#include <QMenuBar>

#include <algorithm>

namespace ws::ui {

FileActions::FileActions(SessionAccess session, Controller* controller, MainPlot* mainPlot,
                         SpectrumPlot* spectrumPlot, StatusPanel* status, QWidget* window)
    : QObject(window), m_session(std::move(session)), m_controller(controller),
      m_mainPlot(mainPlot), m_spectrumPlot(spectrumPlot), m_status(status), m_window(window)
{
}

void FileActions::addFileMenu(QMenuBar* bar, const std::function<void()>& openWeights)
{
    QMenu* file = bar->addMenu(tr("&File"));
    addSessionActions(file);
    file->addSeparator();
    // The file dialog of the "Real weights" tab.
    file->addAction(tr("Open &weights…"), QKeySequence(tr("Ctrl+Shift+O")), this, openWeights);
    file->addSeparator();
    addExportActions(file);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, m_window, &QWidget::close);
}

void FileActions::addSessionActions(QMenu* file)
{
    file->addAction(tr("&Open session…"), QKeySequence::Open, this,
                    &FileActions::openSessionDialog);
    file->addAction(tr("&Save session…"), QKeySequence::Save, this,
                    &FileActions::saveSessionDialog);
}

void FileActions::addExportActions(QMenu* file)
{
    // The shown tab's figure and data (TabExports, wired by the window).
    file->addAction(tr("&Export figure of this tab (PNG/SVG/PDF)…"), QKeySequence(tr("Ctrl+E")),
                    this, &FileActions::tabFigureRequested);
    file->addAction(tr("Export &data of this tab (CSV)…"), QKeySequence(tr("Ctrl+Shift+E")), this,
                    &FileActions::tabDataRequested);
    file->addAction(tr("Export &main plot (PNG/SVG/PDF)…"), this,
                    [this] { exportPlotDialog(false); });
    file->addAction(tr("Export s&ignal-spectrum plot (PNG/SVG/PDF)…"), this,
                    [this] { exportPlotDialog(true); });
    QMenu* csv = file->addMenu(tr("Export &CSV"));
    m_eigenvaluesCsv =
        csv->addAction(tr("Eigenvalues…"), this, [this] { exportCsvDialog(CsvKind::Eigenvalues); });
    csv->setToolTipsVisible(true);
    csv->addAction(tr("Histogram…"), this, [this] { exportCsvDialog(CsvKind::Histogram); });
    csv->addAction(tr("Theory curves…"), this, [this] { exportCsvDialog(CsvKind::Theory); });
    csv->addAction(tr("Outlier table…"), this, [this] { exportCsvDialog(CsvKind::Outliers); });
}

void FileActions::setTheory(const TheoryFrame& theory)
{
    if (!m_eigenvaluesCsv)
        return;
    const bool extremes = theory.plan == SamplerPlan::BandedCounts;
    m_eigenvaluesCsv->setText(extremes ? tr("Eigenvalues (located extremes only)…")
                                       : tr("Eigenvalues…"));
    m_eigenvaluesCsv->setToolTip(
        extremes ? tr("The banded fast path counts eigenvalues per histogram bin (inertia counts) "
                      "and locates only the outliers and the largest and smallest eigenvalue of "
                      "each sample: this exports those, with their rank among the N eigenvalues "
                      "in the index column.")
                 : tr("Every eigenvalue of every finished sample."));
}

bool FileActions::openSession(const QString& path, QString* error)
{
    return reportingErrors(error, [&] { m_session.apply(readSessionFile(path)); });
}

bool FileActions::saveSession(const QString& path, QString* error)
{
    return reportingErrors(error, [&] {
        writeFileAtomically(path,
                            QByteArray::fromStdString(core::sessionToJson(m_session.current())));
    });
}

bool FileActions::exportPlot(const QString& path, bool spectrum, QString* error)
{
    return reportingErrors(error, [&] {
        if (spectrum)
            writePlotFile(path, m_spectrumPlot, 900, 300);
        else
            writePlotFile(path, m_mainPlot, 900, 560);
    });
}

bool FileActions::exportCsv(const QString& path, CsvKind kind, QString* error)
{
    return reportingErrors(error, [&] {
        const auto theory = m_controller->theory();
        const auto samples = m_controller->samples();
        if (!theory)
            throw std::runtime_error("nothing computed yet");
        QByteArray bytes;
        switch (kind) {
        case CsvKind::Eigenvalues:
            if (m_controller->extremesOnly()) {
                bytes =
                    eigenvaluesCsv(m_controller->eigenvalues(), m_controller->eigenvalueRanks());
                m_status->showNotice(
                    tr("Banded fast path: only the located extreme eigenvalues were exported "
                       "(index = rank among the N eigenvalues of the sample)"),
                    8000);
            } else {
                bytes = eigenvaluesCsv(m_controller->eigenvalues());
            }
            break;
        case CsvKind::Histogram:
            if (!samples)
                throw std::runtime_error("no histogram yet");
            bytes = histogramCsv(samples->histogram);
            break;
        case CsvKind::Theory:
            bytes = theoryCsv(*theory);
            break;
        case CsvKind::Outliers:
            bytes = outliersCsv(*theory, samples.get());
            break;
        }
        // Which model, seed and samples made the table, and when (as the CLI's CSVs).
        writeFileAtomically(path, csvProvenance(theory->session,
                                                samples ? samples->done : theory->session.samples) +
                                      bytes);
    });
}

void FileActions::openSessionDialog()
{
    const QString path = QFileDialog::getOpenFileName(m_window, tr("Open session"), QString(),
                                                      tr("Wignerscope sessions (*.json)"));
    QString error;
    if (!path.isEmpty() && !openSession(path, &error))
        emit failed(tr("Cannot open the session"), error);
}

void FileActions::saveSessionDialog()
{
    const QString path = QFileDialog::getSaveFileName(m_window, tr("Save session"), "session.json",
                                                      tr("Wignerscope sessions (*.json)"));
    QString error;
    if (!path.isEmpty() && !saveSession(path, &error))
        emit failed(tr("Cannot save the session"), error);
}

void FileActions::exportPlotDialog(bool spectrum)
{
    const QString path = QFileDialog::getSaveFileName(
        m_window, spectrum ? tr("Export signal-spectrum plot") : tr("Export main plot"),
        spectrum ? "spectrum.png" : "eigenvalues.png",
        tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"));
    QString error;
    if (!path.isEmpty() && !exportPlot(path, spectrum, &error))
        emit failed(tr("Cannot export the plot"), error);
}

void FileActions::exportCsvDialog(CsvKind kind)
{
    const char* names[] = {"eigenvalues.csv", "histogram.csv", "theory.csv", "outliers.csv"};
    const QString path = QFileDialog::getSaveFileName(
        m_window, tr("Export CSV"), names[static_cast<int>(kind)], tr("CSV (*.csv)"));
    QString error;
    if (!path.isEmpty() && !exportCsv(path, kind, &error))
        emit failed(tr("Cannot export the CSV file"), error);
}

} // namespace ws::ui
