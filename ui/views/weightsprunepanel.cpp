#include "ui/views/weightsprunepanel.h"
#include "ui/widgets/progressstrip.h"

#include "ui/jobs/jobrunner.h"
#include "ui/plots/modelwords.h"
#include "ui/widgets/errorlabel.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace ws::ui {

namespace {

QString num(double v, int digits = 4)
{
    return QString::number(v, 'g', digits);
}

QString percent(double fraction)
{
    return QString::number(100.0 * fraction, 'f', fraction > 0.999 || fraction < 0.001 ? 3 : 1) +
           QStringLiteral(" %");
}

} // namespace

WeightsPrunePanel::WeightsPrunePanel(QWidget* parent)
    : QGroupBox(tr("Pruning preview"), parent),
      m_exporter(new JobRunner(JobRunner::Policy::Replace, this)), m_k(new QSpinBox),
      m_kSlider(new QSlider(Qt::Horizontal)), m_kAuto(new QPushButton(tr("auto"))),
      m_prune(new QLabel), m_export(new QPushButton(tr("Export pruned .npy…"))),
      m_exportProgress(new ProgressStrip(120)), m_exportStatus(new QLabel)
{
    m_k->setRange(0, 0);
    m_k->setKeyboardTracking(false);
    m_k->setToolTip(tr("Keep the k largest singular values: W_k is the best rank-k "
                       "approximation of W (Eckart–Young)."));
    m_kSlider->setRange(0, 0);
    m_kSlider->setToolTip(m_k->toolTip());
    m_kAuto->setToolTip(tr("k = the number of singular values above the fitted edge + margin "
                           "(what stands out of the noise)."));
    m_prune->setWordWrap(true);
    m_prune->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_export->setToolTip(tr("Write the rank-k matrix W_k (N × M, float64) as a NumPy .npy file "
                            "(atomically: an existing file is replaced only when complete)."));
    m_exportProgress->setHiddenWhenIdle(true);
    m_exportStatus->setObjectName("exportStatus");
    m_exportStatus->setWordWrap(true);
    m_exportStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* pl = new QVBoxLayout(this);
    auto* kRow = new QHBoxLayout;
    kRow->addWidget(new QLabel(tr("keep top k")));
    kRow->addWidget(m_k);
    kRow->addWidget(m_kAuto);
    kRow->addStretch(1);
    pl->addLayout(kRow);
    pl->addWidget(m_kSlider);
    pl->addWidget(m_prune);
    auto* exportRow = new QHBoxLayout;
    exportRow->addWidget(m_export);
    exportRow->addWidget(m_exportProgress);
    exportRow->addStretch(1);
    pl->addLayout(exportRow);
    pl->addWidget(m_exportStatus);

    connect(m_k, &QSpinBox::valueChanged, this, [this](int k) {
        {
            const QSignalBlocker b(m_kSlider);
            m_kSlider->setValue(k);
        }
        updateText();
        emit kChanged(k);
    });
    connect(m_kSlider, &QSlider::valueChanged, m_k, &QSpinBox::setValue);
    connect(m_kAuto, &QPushButton::clicked, this, [this] { setK(autoK()); });
    connect(m_export, &QPushButton::clicked, this, &WeightsPrunePanel::exportDialog);
    connect(m_exportProgress, &ProgressStrip::cancelRequested, this,
            &WeightsPrunePanel::cancelExport);
    connectExporter();
    setData(nullptr, 0);
}

WeightsPrunePanel::~WeightsPrunePanel()
{
    // Wait for the worker before the members it reports to go away.
    delete m_exporter;
}

// The export's progress and outcome beside the export button.
void WeightsPrunePanel::connectExporter()
{
    connect(m_exporter, &JobRunner::started, this, [this] {
        m_exportProgress->start();
        m_export->setEnabled(false);
    });
    connect(m_exporter, &JobRunner::progress, this,
            [this](quint64, double f) { m_exportProgress->setFraction(f); });
    auto exportEnded = [this] {
        m_exportProgress->setBusy(false);
        m_export->setEnabled(m_data != nullptr);
    };
    connect(m_exporter, &JobRunner::finished, this, [this, exportEnded] {
        exportEnded();
        emit exported(true);
    });
    connect(m_exporter, &JobRunner::cancelled, this, [this, exportEnded] {
        exportEnded();
        setExportStatus(tr("Export cancelled; no file was written."), false);
        emit exported(false);
    });
    connect(m_exporter, &JobRunner::failed, this, [this, exportEnded](quint64, const JobError& e) {
        exportEnded();
        setExportStatus(tr("Cannot export: %1").arg(e.message), true);
        emit exported(false);
    });
}

void WeightsPrunePanel::setData(std::shared_ptr<const WeightsData> d, int k)
{
    m_data = std::move(d);
    const int p = m_data ? m_data->p() : 0;
    {
        const QSignalBlocker b1(m_k), b2(m_kSlider);
        m_k->setRange(0, p);
        m_kSlider->setRange(0, p);
        m_k->setValue(std::clamp(k, 0, p));
        m_kSlider->setValue(m_k->value());
    }
    const bool have = m_data != nullptr;
    for (QWidget* w : std::initializer_list<QWidget*>{m_k, m_kSlider, m_kAuto})
        w->setEnabled(have);
    m_export->setEnabled(have && !m_exporter->isRunning());
    if (have)
        setExportStatus({}, false);
    updateText();
}

void WeightsPrunePanel::setK(int k)
{
    m_k->setValue(std::clamp(k, 0, m_k->maximum()));
}

int WeightsPrunePanel::k() const
{
    return m_k->value();
}

int WeightsPrunePanel::autoK() const
{
    return m_data ? core::autoRank(m_data->fit) : 0;
}

PrunePreview WeightsPrunePanel::preview() const
{
    return m_data ? prunePreview(*m_data, k()) : PrunePreview{};
}

QString WeightsPrunePanel::text() const
{
    return m_prune->text();
}

QString WeightsPrunePanel::exportText() const
{
    return m_exportStatus->text();
}

void WeightsPrunePanel::setExportStatus(const QString& text, bool error)
{
    showStatus(m_exportStatus, text, error);
}

void WeightsPrunePanel::updateText()
{
    if (!m_data) {
        m_prune->setText(tr("Load a matrix to preview pruning."));
        return;
    }
    const PrunePreview r = preview();
    m_prune->setText(
        tr("retained energy (top-k sᵢ² / ‖W‖²): %1\n"
           "parameters k(N + M) = %2 of N·M = %3 (%4)\n"
           "relative error ‖W − W_k‖ / ‖W‖ = %5")
            .arg(percent(r.retainedEnergy))
            .arg(words::grouped(r.params))
            .arg(words::grouped(r.originalParams))
            .arg(percent(r.originalParams > 0
                             ? static_cast<double>(r.params) / static_cast<double>(r.originalParams)
                             : 0.0))
            .arg(num(r.relativeError, 3)));
}

bool WeightsPrunePanel::exportPruned(const QString& path)
{
    if (!m_data) {
        setExportStatus(tr("Nothing to export: load a matrix first."), true);
        return false;
    }
    const std::shared_ptr<const WeightsData> d = m_data;
    const int k = this->k();
    setExportStatus(tr("Computing the rank-%1 matrix…").arg(k), false);
    auto done = [this, path, k, rows = d->rows, cols = d->cols] {
        setExportStatus(tr("Saved %1: rank %2, %3 × %4 float64.")
                            .arg(QFileInfo(path).fileName())
                            .arg(k)
                            .arg(rows)
                            .arg(cols),
                        false);
        m_exportStatus->setToolTip(path);
    };
    m_exporter->start(exportPrunedJob(d, k, path, done));
    return true;
}

bool WeightsPrunePanel::isExporting() const
{
    return m_exporter->isRunning();
}

void WeightsPrunePanel::cancelExport()
{
    m_exporter->cancel();
}

void WeightsPrunePanel::exportDialog()
{
    if (!m_data)
        return;
    const QString stem =
        QFileInfo(m_data->source.path).completeBaseName() +
        (m_data->source.tensor.isEmpty() ? QString() : "_" + m_data->source.tensor);
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export pruned matrix"), QStringLiteral("%1_rank%2.npy").arg(stem).arg(k()),
        tr("NumPy array (*.npy)"));
    if (!path.isEmpty())
        exportPruned(path);
}

} // namespace ws::ui
