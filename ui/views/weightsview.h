#pragma once
// The "Real weights" tab: open a trained weight matrix (.npy, .safetensors with a
// tensor picker, CSV/TSV/text) or the shipped example, and see its singular values against the
// fitted Marchenko-Pastur bulk (WeightsPlot), the fit (sigma, edge, Tracy-Widom threshold at a
// 1% false-detection rate, count above), a whole model's layer table (WeightsModelTable), and a
// pruning preview: keep the top k, retained energy, parameter count, relative
// error, and export of the rank-k matrix as .npy.
//
// Loading (read + singular values + fit) and the export run on JobRunners with a
// progress bar and Cancel; the GUI thread never blocks. A failed or cancelled load keeps the
// previous matrix; the reason is shown under the buttons. Settings saved in the session: the
// file path and tensor (never the weights), the plot options and k; a restored path is
// reloaded only if the file still exists.

#include "ui/jobs/weightsjob.h"
#include "ui/views/weightsplot.h"
#include "ui/views/weightsviewmodel.h"

#include "ui/widgets/theme.h"

#include <QJsonObject>
#include <QPointer>
#include <QWidget>

#include <memory>

class QCheckBox;
class QHBoxLayout;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace ws::ui {

class JobRunner;
class ProgressStrip;
class TensorDialog;
class WeightsPrunePanel;
class WeightsSidePanel;

class WeightsView : public QWidget
{
    Q_OBJECT
public:
    explicit WeightsView(QWidget* parent = nullptr);
    ~WeightsView() override;

    // The file dialog, then openFile.
    void openDialog();
    // A .safetensors file with several tensors opens the tensor picker (window-modal, not
    // blocking); anything else starts loading at once. False (and the reason shown) if the file
    // cannot be listed.
    bool openFile(const QString& path);
    // Starts loading in the background (cancels a running load).
    void load(const WeightsSource& source);
    void
    openExample(bool allLayers = false); // the hidden layer (.npy), or the picker (.safetensors)
    void cancel();                       // the running load or model analysis
    bool isLoading() const;

    // Whole model: analyses every layer of a .safetensors/.npz file or a directory (a Qt
    // resource too) in the background and shows the table above the plot; selecting a row shows
    // that layer's spectrum and fit (from the report: exporting a pruned layer needs the tensor
    // opened on its own). A failed or cancelled analysis keeps the table shown.
    void openModel(const QString& path);
    void openModelDialog(bool directory);
    void showLayer(int index); // a row of the table (analysed layers only)
    WeightsModelTable* modelTable() const { return m_model; }
    JobRunner* modelLoader() const { return m_modelLoader; }

    void setSquared(bool on);
    void setRange(WeightsPlot::Range r);
    void setK(int k); // clamped to [0, p]
    int k() const;
    int autoK() const; // autoRank of the current fit (0 without a matrix)

    // Starts the export of the pruned matrix (rank k) in the background; false (reason shown next
    // to the button) if there is nothing to export.
    bool exportPruned(const QString& path);
    bool isExporting() const;
    void cancelExport();

    std::shared_ptr<const WeightsData> data() const { return m_data; }
    PrunePreview preview() const;
    QString errorText() const;  // the load status line ("" when fine)
    QString exportText() const; // next to the export button
    QString infoText() const;   // the text panel, plain text
    QString pruneText() const;

    WeightsPlot* plot() const { return m_plot; }
    QProgressBar* progressBar() const;
    QSpinBox* kBox() const;
    JobRunner* loader() const { return m_loader; }
    JobRunner* exporter() const;
    TensorDialog* tensorDialog() const; // the open tensor picker, if any

    void setPlotStyle(const Style& s);
    QJsonObject toJson() const;
    void fromJson(const QJsonObject& o);

signals:
    void loaded(bool ok);      // a load ended: ok = new matrix shown; false = failed or cancelled
    void modelLoaded(bool ok); // a whole-model analysis ended: ok = new table shown
    void exported(bool ok);
    void settingsChanged();

private:
    QHBoxLayout* buildTopBar();
    void connectControls();
    void connectLoader();
    void connectModelLoader();
    void onLoaded(std::shared_ptr<const WeightsData> d);
    void setStatus(const QString& text, bool error);

    Style m_style = Style::make(false, false);
    std::shared_ptr<const WeightsData> m_data;
    WeightsSource m_loading; // what the running load reads
    int m_pendingK = -1;     // k to apply after the next load (restored session)
    JobRunner* m_loader = nullptr;
    JobRunner* m_modelLoader = nullptr;
    QString m_modelLoading; // what the running model analysis reads
    WeightsModelTable* m_model = nullptr;
    QLabel* m_modelSummary = nullptr;
    QToolButton* m_openModel = nullptr;
    QPointer<TensorDialog> m_dialog; // cleared by Qt when the dialog closes (deletes itself)

    WeightsPlot* m_plot = nullptr;
    QPushButton* m_open = nullptr;
    QToolButton* m_example = nullptr;
    ProgressStrip* m_progress = nullptr;
    QComboBox* m_range = nullptr;
    QCheckBox* m_squared = nullptr;
    QLabel* m_status = nullptr;
    WeightsPrunePanel* m_prune = nullptr;
    WeightsSidePanel* m_side = nullptr;
};

} // namespace ws::ui
