#pragma once
// The exploration views of issue 5, each a tab beside the main plot: a grid of one parameter is
// sampled in the background (SweepRunner: worker thread, progress bar, cancel) around the model
// of the controls, and drawn as
//   Bbp          top eigenvalue vs theta (mean +- sd band, the samples as faint points), both
//                predictions, the bulk edge and the thresholds: the BBP transition;
//   Convergence  error of each prediction vs N on log-log axes, with fitted slopes;
//   Overlaps     squared eigenvector overlaps vs theta_j, observed (mean +- sd) against
//                1 - sigma^2/theta^2 and 1 - sigma^2 D_j;
//   Rank         vs alpha: predicted and observed number of outliers, mean error of each
//                prediction.
// Exports the plot (PNG/SVG/PDF) and the data (CSV); the grid settings are saved in the session.

#include "ui/widgets/theme.h"

#include "core/io/session.h"
#include "core/sweeps/sweep.h"

#include <QJsonObject>
#include <QWidget>

#include <functional>
#include <optional>

class QCheckBox;
class QCustomPlot;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace ws::ui {

class SweepRunner;

class SweepView : public QWidget
{
    Q_OBJECT
public:
    enum class Kind { Bbp, Convergence, Overlaps, Rank };
    // The model of the controls (nullopt while they are invalid).
    using SessionProvider = std::function<std::optional<core::Session>()>;

    SweepView(Kind kind, SessionProvider provider, QWidget* parent = nullptr);
    ~SweepView() override;

    Kind kind() const { return m_kind; }
    static QString title(Kind kind); // tab title
    static QString key(Kind kind);   // JSON key

    // The sweep the current settings describe (InputError if the model is not valid).
    core::SweepSpec spec() const;
    // Starts the sweep (false with a message in the status line if the settings are invalid).
    bool run();
    void cancel();
    bool isRunning() const;

    void setGrid(double from, double to, int steps);
    void setSamples(int samples);
    void setN(int n); // 0 = the N of the controls
    void setRankOne(bool on);
    void setPlotStyle(const Style& s);

    bool exportPlot(const QString& path, QString* error = nullptr);
    bool exportCsv(const QString& path, QString* error = nullptr);
    QByteArray csv() const;

    QJsonObject toJson() const;
    void fromJson(const QJsonObject& o);

    QCustomPlot* plot() const { return m_plot; }
    SweepRunner* runner() const { return m_runner; }
    QString statusText() const;
    QProgressBar* progressBar() const { return m_progress; }

signals:
    void finished(bool cancelled);

private:
    void setupPlot();
    void redraw();
    void drawBbp();
    void drawConvergence();
    void drawOverlaps();
    void drawRank();
    void updateStatus();
    void exportPlotDialog();
    void exportCsvDialog();

    Kind m_kind;
    SessionProvider m_provider;
    Style m_style = Style::make(false, false);
    SweepRunner* m_runner = nullptr;
    QCustomPlot* m_plot = nullptr;
    QDoubleSpinBox* m_from = nullptr;
    QDoubleSpinBox* m_to = nullptr;
    QSpinBox* m_steps = nullptr;
    QSpinBox* m_samples = nullptr;
    QSpinBox* m_n = nullptr;
    QCheckBox* m_rankOne = nullptr;
    QPushButton* m_runButton = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_note = nullptr;
    QString m_error;
};

} // namespace ws::ui
