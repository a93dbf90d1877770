#pragma once
// The shared part of the exploration views (the tabs beside the main plot): a grid of one
// parameter is sampled in the background (SweepRunner) around the model of the controls. This
// base owns what every view has -- the grid controls (from/to/steps/samples, N, rank one),
// Run/Cancel, the progress bar, the status line, the plot with its title row, the export of the
// plot (PNG/SVG/PDF) and of the data (CSV), and the settings saved in the session. A view
// (bbpview.h, convergenceview.h, overlapview.h, rankview.h) only says what it sweeps (Settings),
// adds its plot items, and maps the result onto them (draw) and onto CSV rows (csv).
//
// Honest about what it shows: before a run the plot frames the grid and the model of the
// controls and draws the grid's theory (sweeptheory.h, in the background while the tab is shown,
// restarted when the grid or the model changes), a note in it names the samples a run will add,
// and the status line estimates the run's time from a quick timing of one grid point
// (sweepestimate.h, also in the background while the tab is shown); after a run the title names the
// model that ran, and once the controls' model differs from it (controlsChanged) the result greys
// out under "model changed: rerun". A theta grid may follow the model (Settings::followThreshold,
// sweepgrid.h) until the user sets one.

#include "ui/jobs/sweepestimate.h"
#include "ui/jobs/sweeptheory.h"
#include "ui/widgets/theme.h"

#include "core/io/session.h"
#include "core/sweeps/sweep.h"

#include <QJsonObject>
#include <QWidget>

#include <functional>
#include <optional>

class QCheckBox;
class QCPTextElement;
class QCustomPlot;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;

class QTimer;

namespace ws::ui {

class ProgressStrip;

class SweepRunner;

class SweepView : public QWidget
{
    Q_OBJECT
public:
    // The model of the controls (nullopt while they are invalid).
    using SessionProvider = std::function<std::optional<core::Session>()>;
    // The provider's session; core::InputError while the controls are invalid (or no provider).
    static core::Session controlsSession(const SessionProvider& provider);

    // What a view sweeps and how its controls start; fixed per view.
    struct Settings
    {
        QString key;     // JSON key in the session's "sweeps" object; export file name
        QString title;   // tab title
        QString toolTip; // tab tooltip
        QString note;    // the explanation above the plot
        core::SweepParam param = core::SweepParam::Theta;
        bool log = false;      // geometric grid
        bool overlaps = false; // also measure squared eigenvector overlaps
        bool curves = false;   // also compute the prediction curves on a fine theta grid
        bool theory = true;    // draws theory before a run (grid points' theory, curves)
        bool nBox = true;      // an N box of its own (a sweep over N has none)
        bool rankOneBox = false;
        // The grid boxes: the parameter's symbol, their range, decimals and step.
        struct Box
        {
            QString symbol;
            double lo = 0.0, hi = 1.0;
            int decimals = 2;
            double step = 0.1;
        };
        // The grid the boxes start with.
        struct Grid
        {
            double from = 0.0, to = 1.0;
            int steps = 5, samples = 4;
        };
        Box box;
        Grid grid;
        bool rankOne = false;
        // A theta grid whose from/to count separation thresholds (sweepgrid.h): it follows the
        // model's threshold until the user sets a grid, and is taken as it is for a model
        // without a threshold.
        bool followThreshold = false;
    };

    ~SweepView() override;

    QString key() const { return m_settings.key; }
    QString title() const { return m_settings.title; }
    QString tabToolTip() const { return m_settings.toolTip; }

    // The sweep the current settings describe (InputError if the model is not valid).
    core::SweepSpec spec() const;
    // Starts the sweep (false with a message in the status line if the settings are invalid).
    bool run();
    void cancel();
    bool isRunning() const;

    // The model of the controls changed: the result greys out if it came from another model,
    // the estimate is renewed, a grid that follows the model follows it.
    void controlsChanged();
    bool isStale() const { return m_stale; }
    SweepEstimator* estimator() const { return m_estimator; }
    // The theory drawn before a run (null for a view without: Settings::theory).
    SweepTheory* theoryJob() const { return m_theory; }

    void setGrid(double from, double to, int steps);
    void setSamples(int samples);
    void setN(int n);         // 0 = the N of the controls (no effect without an N box)
    void setRankOne(bool on); // no effect without a rank-one box
    void setPlotStyle(const Style& s);

    bool exportPlot(const QString& path, QString* error = nullptr);
    bool exportCsv(const QString& path, QString* error = nullptr);
    QByteArray csv() const;

    QJsonObject toJson() const;
    void fromJson(const QJsonObject& o);

    QCustomPlot* plot() const { return m_plot; }
    SweepRunner* runner() const { return m_runner; }
    QString statusText() const;

signals:
    void finished(bool cancelled);

protected:
    SweepView(Settings settings, SessionProvider provider, QWidget* parent);
    // Each view's constructor starts with this: the plot, its axes named.
    QCustomPlot* setUpAxes(const QString& xLabel, const QString& yLabel);
    // ... and ends with this, after it added its plot items: the legend in `legendCorner` of the
    // plot (none: where the view placed it), the style applied and the empty plot drawn.
    void finishSetup(Qt::Alignment legendCorner = {});

    // Maps the runner's result (and curves) onto the plot items; called on every change, so it
    // also re-applies the pens of the current style. Clears the plot's items first.
    virtual void draw() = 0;
    // The CSV of the result; by default core::sweepCsv (one row per grid point).
    virtual QByteArray csvOf(const core::SweepResult& r) const;

    const core::SweepResult& result() const;
    // The run's curves; before a run (or while a run of the same grid has none yet) those of
    // the theory job.
    const SweepCurves& curves() const;
    // The theory of the grid points to draw when the runner has no point yet: the theory job's,
    // before a run or while a run of the same grid starts; null otherwise.
    const std::vector<GridTheory>* gridTheory() const;
    const core::SweepSpec& runSpec() const; // the spec of the last sweep started
    // What the plot frames: the last sweep's spec once one has started, before that the spec
    // of the current settings (the model of the controls).
    const core::SweepSpec& shownSpec() const;
    const Style& style() const { return m_style; }
    // The title's parts (modelwords.h), on one line or wrapped between parts to fit the plot.
    void setTitle(const QStringList& parts);
    // "one spike θ over a uniform bulk on [−1, 1]" or "spikes scaled so that the strongest is
    // θ: 3 spikes 4, 2.5, 2" for the titles of the theta sweeps.
    static QString thetaSignal(const core::SweepSpec& spec, const core::Model& base);
    // What every sweep of the spike strength theta starts from: the theta boxes, a rank-one box,
    // the prediction curves on a fine grid, a grid that follows the threshold.
    static Settings thetaSettings();

private:
    void buildControls();
    void buildLayout();
    void connectRunner();
    void redraw();
    void addEmptyNote(); // what the plot will show, before anything is sampled
    void updateStatus();
    void exportPlotDialog();
    void exportCsvDialog();
    bool eventFilter(QObject* watched, QEvent* event) override; // the plot's resizes
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;
    void settingsEdited();  // a grid box changed
    void updateRunButton(); // enabled unless running or m_problem
    void scheduleEstimate();
    void startEstimate();
    void applyModelGrid();
    void startTheory();       // if shown and the theory drawn is not that of the settings
    bool theoryShown() const; // the theory job's result is what the plot draws
    QString estimateText() const;

    const Settings m_settings;
    SessionProvider m_provider;
    Style m_style = Style::make(false, false);
    SweepRunner* m_runner = nullptr;
    QCustomPlot* m_plot = nullptr;
    QCPTextElement* m_title = nullptr;
    QStringList m_titleParts;
    QDoubleSpinBox* m_from = nullptr;
    QDoubleSpinBox* m_to = nullptr;
    QSpinBox* m_steps = nullptr;
    QSpinBox* m_samples = nullptr;
    QSpinBox* m_n = nullptr;        // null without an N box
    QCheckBox* m_rankOne = nullptr; // null without a rank-one box
    QPushButton* m_runButton = nullptr;
    QPushButton* m_exportPlot = nullptr;
    QPushButton* m_exportCsv = nullptr;
    ProgressStrip* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_note = nullptr; // the explanation above the plot
    QString m_error;          // the last run's failure (until the settings change)
    QString m_problem;        // why the settings cannot run (sweepProblem), checked at every edit
    // From the runner's signals (its public API is only start/cancel, the signals and the data).
    bool m_running = false;
    double m_fraction = 0.0;
    bool m_hasRun = false;   // a sweep has started: the plot shows the runner's spec
    bool m_stale = false;    // the controls' model differs from the one that ran
    bool m_autoGrid = false; // the grid follows the model (Settings::followThreshold, untouched)
    bool m_settingGrid = false;
    core::SweepSpec m_preview; // the spec of the settings, before a run
    SweepEstimator* m_estimator = nullptr;
    SweepTheory* m_theory = nullptr; // null without Settings::theory
    QTimer* m_estimateDelay = nullptr;
    std::optional<double> m_estimate; // seconds, for m_estimated
    SweepTiming m_timing;
    bool m_estimating = false;
};

} // namespace ws::ui
