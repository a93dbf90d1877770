#pragma once
// The Real weights tab's pruning preview (weightsview.h): keep the top k singular values (a box,
// a slider and "auto": what stands above the fitted edge + margin), the retained energy, the
// parameter count k(N + M) and the relative error of the rank-k matrix W_k, and the export of
// W_k as .npy on a job runner of its own, with progress and Cancel beside the button and the
// outcome under it.

#include "ui/jobs/weightsjob.h"

#include <QGroupBox>

#include <memory>

class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;

namespace ws::ui {

class JobRunner;
class ProgressStrip;

class WeightsPrunePanel : public QGroupBox
{
    Q_OBJECT
public:
    explicit WeightsPrunePanel(QWidget* parent = nullptr);
    ~WeightsPrunePanel() override; // waits for the export's worker

    // A new matrix (null: none) with k kept; emits nothing.
    void setData(std::shared_ptr<const WeightsData> d, int k);
    void setK(int k); // clamped to [0, p]
    int k() const;
    int autoK() const; // autoRank of the current fit (0 without a matrix)
    PrunePreview preview() const;

    // Starts the export of W_k in the background; false (reason shown) if there is no matrix.
    bool exportPruned(const QString& path);
    bool isExporting() const;
    void cancelExport();

    QString text() const;       // the preview's numbers
    QString exportText() const; // the export's outcome
    QSpinBox* kBox() const { return m_k; }
    JobRunner* exporter() const { return m_exporter; }

signals:
    void kChanged(int k); // by the user or setK
    void exported(bool ok);

private:
    void connectExporter();
    void exportDialog();
    void updateText();
    void setExportStatus(const QString& text, bool error);

    std::shared_ptr<const WeightsData> m_data;
    JobRunner* m_exporter;
    QSpinBox* m_k;
    QSlider* m_kSlider;
    QPushButton* m_kAuto;
    QLabel* m_prune;
    QPushButton* m_export;
    ProgressStrip* m_exportProgress;
    QLabel* m_exportStatus;
};

} // namespace ws::ui
