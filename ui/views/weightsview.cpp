#include "ui/views/weightsview.h"

#include "ui/jobs/jobrunner.h"
#include "ui/views/tensordialog.h"

#include "core/model/families.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QTextDocument>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ws::ui {

namespace {

QString num(double v, int digits = 4)
{
    return QString::number(v, 'g', digits);
}

// 1234567 -> "1 234 567" (narrow no-break spaces).
QString grouped(long long v)
{
    QString digits = QString::number(v < 0 ? -v : v);
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3)
        digits.insert(i, QChar(0x202F));
    return v < 0 ? "-" + digits : digits;
}

QString percent(double fraction)
{
    return QString::number(100.0 * fraction, 'f', fraction > 0.999 || fraction < 0.001 ? 3 : 1) +
           QStringLiteral(" %");
}

QString displayName(const WeightsSource& s)
{
    QString name = QFileInfo(s.path).fileName();
    if (s.path.startsWith(":/"))
        name += QObject::tr(" (example)");
    return name;
}

const char* rangeKey(WeightsPlot::Range r)
{
    switch (r) {
    case WeightsPlot::Range::Bulk:
        return "bulk";
    case WeightsPlot::Range::All:
        return "all";
    case WeightsPlot::Range::Log:
        return "log";
    }
    return "bulk";
}

} // namespace

WeightsView::WeightsView(QWidget* parent)
    : QWidget(parent), m_loader(new JobRunner(JobRunner::Policy::Replace, this)),
      m_exporter(new JobRunner(JobRunner::Policy::Replace, this)),
      m_modelLoader(new JobRunner(JobRunner::Policy::Replace, this)), m_plot(new WeightsPlot)
{
    auto* bar = buildTopBar();
    buildSidePanel();
    auto* body = new QHBoxLayout;
    body->addWidget(m_plot, 1);
    body->addWidget(m_side);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_status);
    m_modelSummary = new QLabel;
    m_modelSummary->setObjectName("weightsModelSummary");
    m_modelSummary->setWordWrap(true);
    m_modelSummary->setVisible(false);
    m_model = new WeightsModelTable;
    m_model->setMaximumHeight(180);
    m_model->setVisible(false);
    layout->addWidget(m_modelSummary);
    layout->addWidget(m_model);
    layout->addLayout(body, 1);
    m_plot->setMinimumHeight(250);

    connectControls();
    connectLoader();
    connectExporter();
    connectModelLoader();
    setPlotStyle(m_style);
    m_plot->setData(nullptr);
    updateInfo();
    updatePrune();
}

// Open, example, progress, cancel, plot options.
QHBoxLayout* WeightsView::buildTopBar()
{
    m_open = new QPushButton(tr("Open weights…"));
    m_open->setToolTip(tr("Open a weight matrix: NumPy .npy (float16/32/64), .safetensors "
                          "(F32, F16, BF16, F64; pick a 2-D tensor) or CSV/TSV/text "
                          "(Ctrl+Shift+O)."));
    m_example = new QToolButton;
    m_example->setText(tr("Open example"));
    m_example->setPopupMode(QToolButton::MenuButtonPopup);
    m_example->setToolTip(
        tr("A small trained network shipped with Wignerscope: the 256 × 128 hidden layer of an "
           "MLP trained on scikit-learn's digits (scripts/make_example_weights.py)."));
    auto* exampleMenu = new QMenu(m_example);
    exampleMenu->addAction(tr("Hidden layer 256 × 128 (.npy)"), this,
                           [this] { openExample(false); });
    exampleMenu->addAction(tr("Every layer of the MLP (.safetensors)…"), this,
                           [this] { openExample(true); });
    m_example->setMenu(exampleMenu);
    m_openModel = new QToolButton;
    m_openModel->setText(tr("Whole model…"));
    m_openModel->setPopupMode(QToolButton::MenuButtonPopup);
    m_openModel->setToolTip(
        tr("Analyse every layer of a model (.safetensors, .npz, or a directory of them): one row "
           "per layer with the noise level, edge, detected rank, Frobenius share, stable rank "
           "and power-law α; select a row for its plots."));
    auto* modelMenu = new QMenu(m_openModel);
    modelMenu->addAction(tr("A model file…"), this, [this] { openModelDialog(false); });
    modelMenu->addAction(tr("A directory…"), this, [this] { openModelDialog(true); });
    modelMenu->addAction(tr("The example MLP"), this, [this] { openModel(kExampleSafetensors); });
    m_openModel->setMenu(modelMenu);
    connect(m_openModel, &QToolButton::clicked, this, [this] { openModelDialog(false); });
    m_progress = new QProgressBar;
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setTextVisible(false);
    m_progress->setMaximumWidth(160);
    m_progress->setToolTip(tr("Reading the file, then the singular values (a whole model: "
                              "the layers done)."));
    m_cancel = new QPushButton(tr("Cancel"));
    m_cancel->setEnabled(false);
    m_cancel->setToolTip(tr("Stop loading; the matrix shown stays."));
    // Shown only while loading: an idle full bar read as a blank blue button.
    m_progress->setVisible(false);
    m_cancel->setVisible(false);
    m_range = new QComboBox;
    m_range->addItem(tr("x: bulk"), "bulk");
    m_range->addItem(tr("x: all values"), "all");
    m_range->addItem(tr("x: log scale"), "log");
    m_range->setToolTip(tr("x range of the plot. Bulk: the Marchenko–Pastur bulk with bins "
                           "sized for it; values far beyond it are listed at the right edge. "
                           "All values: every singular value on a linear axis. Log scale: every "
                           "value on a log axis."));
    m_squared = new QCheckBox(tr("squared (s²)"));
    m_squared->setToolTip(tr("Plot the squared singular values s², the eigenvalues of WᵀW "
                             "(Marchenko–Pastur's own variable)."));
    auto* bar = new QHBoxLayout;
    bar->addWidget(m_open);
    bar->addWidget(m_example);
    bar->addWidget(m_openModel);
    bar->addWidget(m_progress);
    bar->addWidget(m_cancel);
    bar->addStretch(1);
    bar->addWidget(m_range);
    bar->addWidget(m_squared);
    m_status = new QLabel;
    m_status->setObjectName("weightsStatus");
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setVisible(false);
    return bar;
}

// The matrix and its fit, the pruning preview, the note; in a scroll area (m_side).
void WeightsView::buildSidePanel()
{
    m_info = new QLabel;
    m_info->setWordWrap(true);
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_info->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_fit = new QLabel;
    m_fit->setWordWrap(true);
    auto* infoBox = new QGroupBox(tr("Matrix and noise fit"));
    auto* il = new QVBoxLayout(infoBox);
    il->addWidget(m_info);
    il->addWidget(m_fit);

    m_k = new QSpinBox;
    m_k->setRange(0, 0);
    m_k->setKeyboardTracking(false);
    m_k->setToolTip(tr("Keep the k largest singular values: W_k is the best rank-k "
                       "approximation of W (Eckart–Young)."));
    m_kSlider = new QSlider(Qt::Horizontal);
    m_kSlider->setRange(0, 0);
    m_kSlider->setToolTip(m_k->toolTip());
    m_kAuto = new QPushButton(tr("auto"));
    m_kAuto->setToolTip(tr("k = the number of singular values above the fitted edge + margin "
                           "(what stands out of the noise)."));
    m_prune = new QLabel;
    m_prune->setWordWrap(true);
    m_prune->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_export = new QPushButton(tr("Export pruned .npy…"));
    m_export->setToolTip(tr("Write the rank-k matrix W_k (N × M, float64) as a NumPy .npy file "
                            "(atomically: an existing file is replaced only when complete)."));
    m_exportProgress = new QProgressBar;
    m_exportProgress->setRange(0, 1000);
    m_exportProgress->setTextVisible(false);
    m_exportProgress->setMaximumWidth(120);
    m_exportProgress->setVisible(false);
    m_exportCancel = new QPushButton(tr("Cancel"));
    m_exportCancel->setVisible(false);
    m_exportStatus = new QLabel;
    m_exportStatus->setObjectName("exportStatus");
    m_exportStatus->setWordWrap(true);
    m_exportStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* pruneBox = new QGroupBox(tr("Pruning preview"));
    auto* pl = new QVBoxLayout(pruneBox);
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
    exportRow->addWidget(m_exportCancel);
    exportRow->addStretch(1);
    pl->addLayout(exportRow);
    pl->addWidget(m_exportStatus);

    auto* note = new QLabel(
        tr("A weight matrix W (N × M) is modelled as noise + signal. The noise part gives the "
           "Marchenko–Pastur bulk of the singular values; the values above its edge (plus a "
           "Tracy–Widom margin, so that pure noise crosses it in only 1% of matrices) carry what "
           "training "
           "learned. Pruning keeps the top k singular values: W_k is the best rank-k "
           "approximation, stored as two factors with k(N + M) numbers."));
    note->setWordWrap(true);
    note->setObjectName("weightsNote");
    auto* side = new QWidget;
    auto* sl = new QVBoxLayout(side);
    sl->setContentsMargins(0, 0, 0, 0);
    sl->addWidget(infoBox);
    sl->addWidget(pruneBox);
    sl->addWidget(note);
    sl->addStretch(1);
    // Scrolls rather than clipping its text when the window is short (presentation fonts).
    m_side = new QScrollArea;
    m_side->setWidget(side);
    m_side->setWidgetResizable(true);
    m_side->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_side->setFrameShape(QFrame::NoFrame);
}

void WeightsView::connectControls()
{
    connect(m_open, &QPushButton::clicked, this, &WeightsView::openDialog);
    connect(m_example, &QToolButton::clicked, this, [this] { openExample(false); });
    connect(m_cancel, &QPushButton::clicked, this, &WeightsView::cancel);
    connect(m_range, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_plot->setRange(static_cast<WeightsPlot::Range>(i));
        emit settingsChanged();
    });
    connect(m_squared, &QCheckBox::toggled, this, [this](bool on) {
        m_plot->setSquared(on);
        emit settingsChanged();
    });
    connect(m_k, &QSpinBox::valueChanged, this, [this](int k) {
        {
            const QSignalBlocker b(m_kSlider);
            m_kSlider->setValue(k);
        }
        m_plot->setKept(k);
        updatePrune();
        emit settingsChanged();
    });
    connect(m_kSlider, &QSlider::valueChanged, m_k, &QSpinBox::setValue);
    connect(m_kAuto, &QPushButton::clicked, this, [this] { setK(autoK()); });
    connect(m_export, &QPushButton::clicked, this, &WeightsView::exportDialog);
    connect(m_exportCancel, &QPushButton::clicked, this, &WeightsView::cancelExport);
}

// The load job's progress and outcome in the top bar and the status line.
void WeightsView::connectLoader()
{
    connect(m_loader, &JobRunner::started, this, [this] {
        m_cancel->setEnabled(true);
        m_progress->setValue(0);
        m_progress->setVisible(true);
        m_cancel->setVisible(true);
        setStatus(tr("Loading %1…").arg(displayName(m_loading)), false);
    });
    connect(m_loader, &JobRunner::progress, this, [this](quint64, double f) {
        m_progress->setValue(static_cast<int>(std::lround(1000.0 * f)));
    });
    auto loadEnded = [this](bool cancelled) {
        m_cancel->setEnabled(false);
        m_progress->setVisible(false);
        m_cancel->setVisible(false);
        if (cancelled) {
            m_progress->setValue(0);
            setStatus(m_data ? tr("Loading %1 cancelled; the matrix shown stays.")
                                   .arg(displayName(m_loading))
                             : tr("Loading %1 cancelled.").arg(displayName(m_loading)),
                      false);
        } else {
            m_progress->setValue(1000);
            setStatus({}, false);
        }
        emit loaded(!cancelled);
    };
    connect(m_loader, &JobRunner::finished, this, [loadEnded] { loadEnded(false); });
    connect(m_loader, &JobRunner::cancelled, this, [loadEnded] { loadEnded(true); });
    connect(m_loader, &JobRunner::failed, this, [this](quint64, const JobError& error) {
        const QString& message = error.message;
        m_cancel->setEnabled(false);
        m_progress->setVisible(false);
        m_cancel->setVisible(false);
        m_progress->setValue(0);
        setStatus(tr("Cannot load %1: %2%3")
                      .arg(displayName(m_loading), message,
                           m_data ? tr(" — the matrix shown stays.") : QString()),
                  true);
        emit loaded(false);
    });
}

// The pruned export's progress and outcome beside the export button.
void WeightsView::connectExporter()
{
    connect(m_exporter, &JobRunner::started, this, [this] {
        m_exportProgress->setValue(0);
        m_exportProgress->setVisible(true);
        m_exportCancel->setVisible(true);
        m_export->setEnabled(false);
    });
    connect(m_exporter, &JobRunner::progress, this, [this](quint64, double f) {
        m_exportProgress->setValue(static_cast<int>(std::lround(1000.0 * f)));
    });
    auto exportEnded = [this] {
        m_exportProgress->setVisible(false);
        m_exportCancel->setVisible(false);
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

WeightsView::~WeightsView()
{
    // Wait for the workers before the members they report to go away.
    delete m_loader;
    delete m_exporter;
}

TensorDialog* WeightsView::tensorDialog() const
{
    return m_dialog.data();
}

void WeightsView::setStatus(const QString& text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? "color: #d62728; font-weight: bold;" : QString());
    m_status->setVisible(!text.isEmpty());
}

void WeightsView::setExportStatus(const QString& text, bool error)
{
    m_exportStatus->setText(text);
    m_exportStatus->setStyleSheet(error ? "color: #d62728; font-weight: bold;" : QString());
}

QString WeightsView::errorText() const
{
    return m_status->text();
}

QString WeightsView::exportText() const
{
    return m_exportStatus->text();
}

QString WeightsView::infoText() const
{
    QTextDocument doc;
    doc.setHtml(m_info->text());
    return doc.toPlainText() + "\n" + m_fit->text();
}

QString WeightsView::pruneText() const
{
    return m_prune->text();
}

void WeightsView::openDialog()
{
    const QString dir = m_data && !m_data->source.path.startsWith(":/")
                            ? QFileInfo(m_data->source.path).path()
                            : QString();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open weights"), dir,
        tr("Weight matrices (*.npy *.safetensors *.csv *.tsv *.txt);;NumPy (*.npy);;"
           "safetensors (*.safetensors);;Text (*.csv *.tsv *.txt);;All files (*)"));
    if (!path.isEmpty())
        openFile(path);
}

bool WeightsView::openFile(const QString& path)
{
    std::vector<core::TensorInfo> tensors;
    try {
        tensors = listWeightTensors(path);
    } catch (const std::exception& e) {
        setStatus(tr("Cannot open %1: %2%3")
                      .arg(QFileInfo(path).fileName(), QString::fromStdString(e.what()),
                           m_data ? tr(" — the matrix shown stays.") : QString()),
                  true);
        return false;
    }
    if (tensors.size() <= 1) {
        load({path, tensors.empty() ? QString() : QString::fromStdString(tensors[0].name)});
        return true;
    }
    if (m_dialog)
        m_dialog->close();
    m_dialog = new TensorDialog(displayName({path, {}}), tensors, this);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_dialog->setWindowModality(Qt::WindowModal);
    if (m_data && m_data->source.path == path)
        m_dialog->selectTensor(m_data->source.tensor);
    TensorDialog* dialog = m_dialog;
    connect(dialog, &QDialog::accepted, this, [this, dialog, path] {
        const QString tensor = dialog->selectedTensor();
        if (!tensor.isEmpty())
            load({path, tensor});
    });
    dialog->open();
    return true;
}

void WeightsView::load(const WeightsSource& source)
{
    m_loading = source;
    auto onLoaded = [this](std::shared_ptr<const WeightsData> d) { this->onLoaded(std::move(d)); };
    m_loader->start(loadWeightsJob(source, onLoaded));
}

void WeightsView::openExample(bool allLayers)
{
    if (allLayers)
        openFile(kExampleSafetensors);
    else
        load({kExampleNpy, {}});
}

void WeightsView::cancel()
{
    m_loader->cancel();
    m_modelLoader->cancel();
}

void WeightsView::openModelDialog(bool directory)
{
    const QString path =
        directory ? QFileDialog::getExistingDirectory(this, tr("Open a model directory"))
                  : QFileDialog::getOpenFileName(this, tr("Open a whole model"), QString(),
                                                 tr("Models (*.safetensors *.npz);;All files (*)"));
    if (!path.isEmpty())
        openModel(path);
}

void WeightsView::openModel(const QString& path)
{
    m_modelLoading = path;
    m_modelLoader->start(
        analyseModelJob(path, 0.01, 0, [this](std::shared_ptr<const core::ModelReport> r) {
            m_model->setReport(std::move(r));
            m_modelSummary->setText(m_model->summaryText());
            m_modelSummary->setVisible(true);
            m_model->setVisible(true);
        }));
}

void WeightsView::showLayer(int index)
{
    const auto r = m_model->report();
    if (!r || index < 0 || index >= static_cast<int>(r->layers.size()) ||
        !r->layers[static_cast<std::size_t>(index)].analysed)
        return;
    m_loader->cancel();
    onLoaded(std::make_shared<const WeightsData>(layerData(*r, index)));
    setStatus(
        tr("Layer %1 of the model: spectrum and fit from the whole-model report (open the "
           "tensor itself to export its pruned matrix).")
            .arg(QString::fromStdString(r->layers[static_cast<std::size_t>(index)].tensor.name)),
        false);
}

// The whole-model analysis: the same progress bar and Cancel as a load; the table on success.
void WeightsView::connectModelLoader()
{
    connect(m_model, &WeightsModelTable::layerChosen, this, &WeightsView::showLayer);
    connect(m_modelLoader, &JobRunner::started, this, [this] {
        m_cancel->setEnabled(true);
        m_progress->setValue(0);
        m_progress->setVisible(true);
        m_cancel->setVisible(true);
        setStatus(tr("Analysing every layer of %1…").arg(QFileInfo(m_modelLoading).fileName()),
                  false);
    });
    connect(m_modelLoader, &JobRunner::progress, this, [this](quint64, double f) {
        m_progress->setValue(static_cast<int>(std::lround(1000.0 * f)));
    });
    auto ended = [this](bool ok, const QString& text, bool error) {
        m_cancel->setEnabled(false);
        m_progress->setVisible(false);
        m_cancel->setVisible(false);
        setStatus(text, error);
        emit modelLoaded(ok);
    };
    connect(m_modelLoader, &JobRunner::finished, this, [ended] { ended(true, {}, false); });
    connect(m_modelLoader, &JobRunner::cancelled, this, [this, ended] {
        ended(false, tr("Analysing %1 cancelled.").arg(QFileInfo(m_modelLoading).fileName()),
              false);
    });
    connect(m_modelLoader, &JobRunner::failed, this, [this, ended](quint64, const JobError& e) {
        ended(false,
              tr("Cannot analyse %1: %2").arg(QFileInfo(m_modelLoading).fileName(), e.message),
              true);
    });
}

bool WeightsView::isLoading() const
{
    return m_loader->isRunning();
}

void WeightsView::onLoaded(std::shared_ptr<const WeightsData> d)
{
    m_data = std::move(d);
    const int p = m_data->p();
    const int k = std::clamp(m_pendingK >= 0 ? m_pendingK : autoK(), 0, p);
    m_pendingK = -1;
    {
        const QSignalBlocker b1(m_k), b2(m_kSlider);
        m_k->setRange(0, p);
        m_kSlider->setRange(0, p);
        m_k->setValue(k);
        m_kSlider->setValue(k);
    }
    m_plot->setData(m_data);
    m_plot->setKept(k);
    m_export->setEnabled(!m_exporter->isRunning());
    setExportStatus({}, false);
    updateInfo();
    updatePrune();
    emit settingsChanged();
}

void WeightsView::setSquared(bool on)
{
    m_squared->setChecked(on);
}

void WeightsView::setRange(WeightsPlot::Range r)
{
    m_range->setCurrentIndex(static_cast<int>(r));
}

void WeightsView::setK(int k)
{
    m_k->setValue(std::clamp(k, 0, m_k->maximum()));
}

int WeightsView::k() const
{
    return m_k->value();
}

int WeightsView::autoK() const
{
    return m_data ? core::autoRank(m_data->fit) : 0;
}

PrunePreview WeightsView::preview() const
{
    return m_data ? prunePreview(*m_data, k()) : PrunePreview{};
}

void WeightsView::updateInfo()
{
    const bool have = m_data != nullptr;
    for (QWidget* w : std::initializer_list<QWidget*>{m_k, m_kSlider, m_kAuto, m_export})
        w->setEnabled(have && (w != m_export || !m_exporter->isRunning()));
    if (!have) {
        m_info->setText(tr("No matrix loaded. Open a weight matrix (File ▸ Open weights…, "
                           "Ctrl+Shift+O) or the shipped example."));
        m_fit->clear();
        m_fit->setToolTip({});
        return;
    }
    const WeightsData& d = *m_data;
    const core::NoiseFit& f = d.fit;
    auto row = [](const QString& k, const QString& v) {
        return QStringLiteral("<tr><td style='padding-right:8px'>%1</td><td>%2</td></tr>")
            .arg(k, v);
    };
    QString html = QStringLiteral("<table cellspacing='0'>");
    html += row(tr("file"), displayName(d.source).toHtmlEscaped());
    html +=
        row(tr("tensor"), d.source.tensor.isEmpty() ? tr("—") : d.source.tensor.toHtmlEscaped());
    html += row(tr("shape"), tr("N × M = %1 × %2 (%3)")
                                 .arg(grouped(d.rows))
                                 .arg(grouped(d.cols))
                                 .arg(QString::fromStdString(d.dtype)));
    html += row(tr("aspect ratio"), tr("c = M/N = %1").arg(num(f.c)));
    html += row(tr("fitted σ"),
                tr("<b>%1</b> (entry std σ/√N = %2)").arg(num(f.sigma)).arg(num(f.entryStd)));
    html += row(tr("bulk edge"), tr("σ(1 + √c) = %1").arg(num(f.upperEdge)));
    html += row(tr("TW margin"), tr("%1 (%2 Tracy–Widom scales, false-detection rate %3) → %4")
                                     .arg(num(f.margin, 3))
                                     .arg(num(f.twThreshold, 3))
                                     .arg(num(f.falseRate))
                                     .arg(num(f.upperEdge + f.margin)));
    html += row(tr("above edge + margin"),
                tr("<b>%1</b> of %2 singular values").arg(f.above).arg(d.p()));
    html += row(tr("time"), tr("read %1 s, singular values + fit %2 s")
                                .arg(d.readSeconds, 0, 'f', 2)
                                .arg(d.svdSeconds, 0, 'f', 2));
    html += QStringLiteral("</table>");
    m_info->setText(html);
    m_info->setToolTip(d.source.path);
    m_fit->setText(tr("Fit: σ by least squares of the 10–70 % quantiles of the lowest %1 "
                      "singular values against Marchenko–Pastur (%2 outliers deflated).")
                       .arg(d.p() - f.deflation)
                       .arg(f.deflation));
    m_fit->setToolTip(QString::fromStdString(f.method));
}

void WeightsView::updatePrune()
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
            .arg(grouped(r.params))
            .arg(grouped(r.originalParams))
            .arg(percent(r.originalParams > 0
                             ? static_cast<double>(r.params) / static_cast<double>(r.originalParams)
                             : 0.0))
            .arg(num(r.relativeError, 3)));
}

bool WeightsView::exportPruned(const QString& path)
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

bool WeightsView::isExporting() const
{
    return m_exporter->isRunning();
}

void WeightsView::cancelExport()
{
    m_exporter->cancel();
}

void WeightsView::exportDialog()
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

void WeightsView::setPlotStyle(const Style& s)
{
    m_style = s;
    m_plot->setPlotStyle(s);
    m_side->setMinimumWidth(s.presentation ? 420 : 350);
    m_side->setMaximumWidth(s.presentation ? 480 : 410);
}

QJsonObject WeightsView::toJson() const
{
    QJsonObject o;
    o["squared"] = m_squared->isChecked();
    o["range"] = rangeKey(m_plot->range());
    if (m_data) {
        o["path"] = m_data->source.path;
        if (!m_data->source.tensor.isEmpty())
            o["tensor"] = m_data->source.tensor;
        o["k"] = k();
        o["kAuto"] = k() == autoK();
    }
    return o;
}

void WeightsView::fromJson(const QJsonObject& o)
{
    // Wrong types and unknown values keep the current settings.
    if (o.value("squared").isBool())
        setSquared(o.value("squared").toBool());
    const QString range = o.value("range").toString();
    for (auto r : {WeightsPlot::Range::Bulk, WeightsPlot::Range::All, WeightsPlot::Range::Log})
        if (range == rangeKey(r))
            setRange(r);
    const QString path = o.value("path").toString();
    if (path.isEmpty())
        return;
    const int k = o.value("kAuto").toBool(true) ? -1 : o.value("k").toInt(-1);
    const QString tensor = o.value("tensor").toString();
    if (m_data && m_data->source.path == path && m_data->source.tensor == tensor) {
        setK(k >= 0 ? k : autoK());
        return;
    }
    // Reloaded only if it is still there (a missing file is not an error of the session).
    const QFileInfo info(path);
    if (!info.exists() || !info.isFile()) {
        setStatus(tr("The weights file of the session, %1, does not exist any more; nothing "
                     "was loaded.")
                      .arg(path),
                  false);
        return;
    }
    m_pendingK = k;
    load({path, tensor});
}

} // namespace ws::ui
