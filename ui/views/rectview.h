#pragma once
// The "Rectangular" tab: the rectangular model W = (sigma/sqrt N) X + S (N x M,
// c = M/N; core/rectangular/rectangular.h) with its own small control panel. Every parameter change
// restarts the sampling in the background (RectRunner: generation counter, progress, cancel;
// restarts debounced by 120 ms so a slider drag does not pile up solves). The plot (RectPlot) shows
// the histogram of the singular values (or their squares) with the Marchenko-Pastur density and the
// deterministic equivalent, the predicted outliers (finite-rank and large-rank) and the observed
// ones; a table lists them. An invalid parameter shows the reason next to its control and the
// last good result stays. Sampling runs only while the tab is visible (a hidden tab does not
// compete with the main plot for the cores). The model, samples and seed are saved in the
// session's "rect" part (core/io/session.h), which `wignerscope-cli rect ... --session` reads;
// the display setting (squared) in the session's view.

#include "ui/views/rectplot.h"

#include "ui/widgets/theme.h"

#include "core/io/session.h"
#include "core/rectangular/rectangular.h"

#include <QHash>
#include <QJsonObject>
#include <QWidget>

#include <optional>
#include <string>

class QCheckBox;
class QComboBox;
class QLabel;
class QVBoxLayout;
class QLineEdit;
class QScrollArea;
class QSpinBox;
class QTableWidget;
class QTimer;

namespace ws::ui {

class ProgressStrip;

class ParamSlider;

class RectView : public QWidget
{
    Q_OBJECT
public:
    explicit RectView(QWidget* parent = nullptr);
    ~RectView() override;

    // The model of the controls (InputError naming the parameter if invalid).
    core::RectModel model() const;
    int samples() const;
    std::optional<std::uint64_t> seed() const; // none while the seed field is empty
    // The model, samples and seed of the controls if valid, else the last valid ones (those of
    // the last run started, or the defaults): what a saved session holds.
    core::RectSession session() const;
    // Sets every control (emits nothing); runs when the tab is shown.
    void setSession(const core::RectSession& s);
    // Applies the controls now (no debounce): starts a run, or shows why not. False if invalid.
    bool apply();
    void cancel();
    bool isRunning() const;

    // Error text shown next to a control ("" if none): "size", "sigma", "noise", "rank", "spikes",
    // "bulk", "samples", "run" (failures of the run itself).
    QString errorText(const QString& control) const;
    QString statusText() const;

    ParamSlider* nControl() const { return m_n; }
    ParamSlider* cControl() const { return m_c; }
    ParamSlider* sigmaControl() const { return m_sigma; }
    ParamSlider* alphaControl() const { return m_alpha; }
    QSpinBox* rankBox() const { return m_rank; }
    QComboBox* noiseBox() const { return m_noise; }
    QComboBox* spikesBox() const { return m_spikes; }
    QComboBox* bulkBox() const { return m_bulk; }
    QComboBox* eigvecsBox() const { return m_eigvecs; }
    QSpinBox* samplesBox() const { return m_samples; }
    QLineEdit* seedEdit() const { return m_seed; }
    QCheckBox* squaredBox() const { return m_squared; }
    QTableWidget* outlierTable() const { return m_table; }
    RectPlot* plot() const { return m_plot; }
    RectRunner* runner() const { return m_runner; }

    void setPlotStyle(const Style& s);
    // The display settings for the session's view: {"squared": bool}. fromJson ignores other
    // keys (version 1 sessions kept the model there; the core reads it into the "rect" part).
    QJsonObject toJson() const;
    void fromJson(const QJsonObject& o);

signals:
    void finished(bool cancelled); // a run ended (or was cancelled)
    void settingsChanged();

protected:
    void showEvent(QShowEvent* e) override;

private:
    QScrollArea* buildControls();
    QVBoxLayout* buildResults();
    void applyDefaults();
    void connectControls();
    void connectRunner();
    void onEdited();
    QLabel* addErrorLabel(const QString& control);
    void clearErrors();
    void showError(const std::string& param, const QString& message);
    void updateTable();
    void updateStatus();
    void updateSizeNote();
    void updateRankControls();

    Style m_style = Style::make(false, false);
    RectRunner* m_runner = nullptr;
    RectPlot* m_plot = nullptr;
    QTimer* m_debounce = nullptr;
    bool m_dirty = true; // controls changed since the last run started
    QString m_runError;
    core::RectSession m_lastGood; // session() when the controls are not valid

    ParamSlider* m_n = nullptr;
    ParamSlider* m_c = nullptr;
    ParamSlider* m_sigma = nullptr;
    ParamSlider* m_alpha = nullptr;
    QSpinBox* m_rank = nullptr;
    QComboBox* m_noise = nullptr;
    QComboBox* m_eigvecs = nullptr;
    QComboBox* m_spikes = nullptr;
    QComboBox* m_bulk = nullptr;
    QSpinBox* m_samples = nullptr;
    QLineEdit* m_seed = nullptr;
    QCheckBox* m_squared = nullptr;
    // The error label of each control, by the names of errorText() ("run": under the plot).
    QHash<QString, QLabel*> m_errors;
    QLabel* m_status = nullptr;
    ProgressStrip* m_progress = nullptr;
    QTableWidget* m_table = nullptr;
    QScrollArea* m_panel = nullptr;
};

} // namespace ws::ui
