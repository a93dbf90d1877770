#include "ui/views/weightsview.h"

#include "ui/jobs/jobrunner.h"
#include "ui/plots/modelwords.h"
#include "ui/views/tensordialog.h"
#include "ui/views/weightsprunepanel.h"
#include "ui/views/weightssidepanel.h"
#include "ui/widgets/errorlabel.h"
#include "ui/widgets/progressstrip.h"

#include "core/model/families.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace ws::ui {

namespace {

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
      m_modelLoader(new JobRunner(JobRunner::Policy::Replace, this)), m_plot(new WeightsPlot)
{
    auto* bar = buildTopBar();
    m_side = new WeightsSidePanel;
    m_prune = m_side->prune();
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
    connectModelLoader();
    setPlotStyle(m_style);
    m_plot->setData(nullptr);
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
    m_progress = new ProgressStrip(160);
    m_progress->setBarToolTip(tr("Reading the file, then the singular values (a whole model: "
                                 "the layers done)."));
    m_progress->setCancelToolTip(tr("Stop loading; the matrix shown stays."));
    // Shown only while loading: an idle full bar read as a blank blue button.
    m_progress->setHiddenWhenIdle(true);
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

QProgressBar* WeightsView::progressBar() const
{
    return m_progress->bar();
}

void WeightsView::connectControls()
{
    connect(m_open, &QPushButton::clicked, this, &WeightsView::openDialog);
    connect(m_example, &QToolButton::clicked, this, [this] { openExample(false); });
    connect(m_progress, &ProgressStrip::cancelRequested, this, &WeightsView::cancel);
    connect(m_range, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_plot->setRange(static_cast<WeightsPlot::Range>(i));
        emit settingsChanged();
    });
    connect(m_squared, &QCheckBox::toggled, this, [this](bool on) {
        m_plot->setSquared(on);
        emit settingsChanged();
    });
    connect(m_prune, &WeightsPrunePanel::kChanged, this, [this](int k) {
        m_plot->setKept(k);
        emit settingsChanged();
    });
    connect(m_prune, &WeightsPrunePanel::exported, this, &WeightsView::exported);
}

// The load job's progress and outcome in the top bar and the status line.
void WeightsView::connectLoader()
{
    connect(m_loader, &JobRunner::started, this, [this] {
        m_progress->start();
        setStatus(tr("Loading %1…").arg(weightsDisplayName(m_loading)), false);
    });
    connect(m_loader, &JobRunner::progress, this,
            [this](quint64, double f) { m_progress->setFraction(f); });
    auto loadEnded = [this](bool cancelled) {
        m_progress->setBusy(false);
        if (cancelled) {
            m_progress->setFraction(0.0);
            setStatus(m_data ? tr("Loading %1 cancelled; the matrix shown stays.")
                                   .arg(weightsDisplayName(m_loading))
                             : tr("Loading %1 cancelled.").arg(weightsDisplayName(m_loading)),
                      false);
        } else {
            m_progress->setFraction(1.0);
            setStatus({}, false);
        }
        emit loaded(!cancelled);
    };
    connect(m_loader, &JobRunner::finished, this, [loadEnded] { loadEnded(false); });
    connect(m_loader, &JobRunner::cancelled, this, [loadEnded] { loadEnded(true); });
    connect(m_loader, &JobRunner::failed, this, [this](quint64, const JobError& error) {
        const QString& message = error.message;
        m_progress->setBusy(false);
        m_progress->setFraction(0.0);
        setStatus(tr("Cannot load %1: %2%3")
                      .arg(weightsDisplayName(m_loading), message,
                           m_data ? tr(" — the matrix shown stays.") : QString()),
                  true);
        emit loaded(false);
    });
}

WeightsView::~WeightsView()
{
    // Wait for the workers before the members they report to go away.
    delete m_loader;
}

QSpinBox* WeightsView::kBox() const
{
    return m_prune->kBox();
}

JobRunner* WeightsView::exporter() const
{
    return m_prune->exporter();
}

TensorDialog* WeightsView::tensorDialog() const
{
    return m_dialog.data();
}

void WeightsView::setStatus(const QString& text, bool error)
{
    showStatus(m_status, text, error);
    m_status->setVisible(!text.isEmpty());
}

QString WeightsView::errorText() const
{
    return m_status->text();
}

QString WeightsView::exportText() const
{
    return m_prune->exportText();
}

QString WeightsView::infoText() const
{
    return m_side->infoText();
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
        tr("Weight matrices (*.npy *.npz *.safetensors *.csv *.tsv *.txt);;NumPy (*.npy *.npz);;"
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
    m_dialog = new TensorDialog(weightsDisplayName({path, {}}), tensors, this);
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
        m_progress->start();
        setStatus(tr("Analysing every layer of %1…").arg(QFileInfo(m_modelLoading).fileName()),
                  false);
    });
    connect(m_modelLoader, &JobRunner::progress, this,
            [this](quint64, double f) { m_progress->setFraction(f); });
    auto ended = [this](bool ok, const QString& text, bool error) {
        m_progress->setBusy(false);
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
    m_side->setData(m_data, m_pendingK >= 0 ? m_pendingK : core::autoRank(m_data->fit));
    m_pendingK = -1;
    m_plot->setData(m_data);
    m_plot->setKept(m_prune->k());
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
    m_prune->setK(k);
}

int WeightsView::k() const
{
    return m_prune->k();
}

int WeightsView::autoK() const
{
    return m_prune->autoK();
}

PrunePreview WeightsView::preview() const
{
    return m_prune->preview();
}

bool WeightsView::exportPruned(const QString& path)
{
    return m_prune->exportPruned(path);
}

bool WeightsView::isExporting() const
{
    return m_prune->isExporting();
}

void WeightsView::cancelExport()
{
    m_prune->cancelExport();
}

void WeightsView::setPlotStyle(const Style& s)
{
    m_style = s;
    m_plot->setPlotStyle(s);
    fitSidePanel(m_side, s, 350, 420);
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
