#pragma once
// The explorer window: controls dock, main plot, signal-spectrum plot, outlier table, status
// bar; menus for sessions, exports, presets, view and help. Wiring only: the controller runs
// jobs, the views draw frames.

#include "ui/jobs/frames.h"
#include "ui/jobs/joberror.h"
#include "ui/widgets/fileactions.h"
#include "ui/widgets/theme.h"

#include "core/io/session.h"

#include <QMainWindow>

#include <memory>

class QAction;
class QComboBox;
class QDockWidget;
class QSplitter;

namespace ws::ui {

class Autosaver;
class Controller;
class CrashGuard;
class ControlsPanel;
class DemoMenus;
class HelpMenu;
class LessonPanel;
class LessonPlayer;
class MainPlot;
class OutlierTable;
class PresentationLayout;
class SpectrumPlot;
class StatusPanel;
class TabExports;
class ViewTabs;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    struct Options
    {
        bool restoreLastSession = true; // from the app data dir; off in tests
        bool saveOnClose = true;
    };
    explicit MainWindow(QWidget* parent = nullptr);
    explicit MainWindow(const Options& options, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Why the last session was not restored at start (set aside after a crash, or unreadable),
    // or empty. Also shown in the status bar and printed on stderr.
    QString startNotice() const { return m_startNotice; }
    // Loads parameters + view settings into the controls and starts a run.
    void applySession(const core::Session& s);
    core::Session currentSession() const;  // parameters of the controls + view settings
    bool loadPreset(const QString& name);  // false (and a message) if it cannot be read
    bool startLesson(const QString& file); // lessons.h; false (and a message) if unreadable
    bool openSessionFile(const QString& path, QString* error = nullptr);
    bool saveSessionFile(const QString& path, QString* error = nullptr);
    bool exportPlot(const QString& path, bool spectrum = false, QString* error = nullptr);
    using CsvKind = FileActions::CsvKind;
    bool exportCsv(const QString& path, CsvKind kind, QString* error = nullptr);

    void setPresentationMode(bool on);
    void setDarkTheme(bool on);
    bool presentationMode() const { return m_style.presentation; }
    bool darkTheme() const { return m_style.dark; }
    // Saves a PNG of the window once the current run has finished, then emits screenshotSaved.
    void screenshotWhenDone(const QString& path);
    // The session restored at start: $WIGNERSCOPE_DATA_DIR/last-session.json if that variable is
    // set (tests point it at a temporary directory), else in the AppDataLocation.
    static QString lastSessionPath();
    // Autosave (when Options::saveOnClose): every change of the session schedules a write of
    // lastSessionPath(), debounced by autosaver()->delay() ms (and at least every 5 s during a
    // continuous change, e.g. an animation); atomic, so a crash or a kill at any moment leaves
    // the previous or the new file, and the next start restores it -- unless that session had
    // not been shown yet when the app stopped (a session that crashes the app): it is then set
    // aside with a message (CrashGuard). A failed autosave is shown in the status bar until one
    // succeeds; a newer session saved by another window is not overwritten (Autosaver).
    Autosaver* autosaver() const { return m_autosaver; }

    Controller* controller() const { return m_controller; }
    ControlsPanel* controls() const { return m_controls; }
    MainPlot* mainPlot() const { return m_mainPlot; }
    SpectrumPlot* spectrumPlot() const { return m_spectrumPlot; }
    OutlierTable* outlierTable() const { return m_table; }
    StatusPanel* statusPanel() const { return m_status; }
    ViewTabs* viewTabs() const { return m_viewTabs; } // main plot + exploration views
    PresentationLayout* presentationLayout() const { return m_presentation; }
    HelpMenu* helpMenu() const { return m_help; }
    LessonPlayer* lessonPlayer() const { return m_lessons; }
    LessonPanel* lessonPanel() const { return m_lessonPanel; }
    DemoMenus* demoMenus() const { return m_demos; }
    TabExports* tabExports() const { return m_tabExports; }

signals:
    // A frame reached the views: generation and samples done (-1 for a theory frame).
    void frameDrawn(quint64 generation, int samplesDone);
    void screenshotSaved(const QString& path, bool ok);
    void autosaved(const QString& path, bool ok);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildCentralArea();
    void buildControlsDock();
    void buildMenus();
    QAction* buildRunMenu(); // returns the "new seed" action (also on the tool bar)
    void buildViewMenu();
    void connectJobs();
    // The last session if it is to be restored and readable, else the first preset.
    core::Session initialSession();
    void onControlsChanged();
    void onTheory(quint64 generation);
    void onSamples(quint64 generation);
    void onFailed(quint64 generation, const JobError& error);
    void onFinished(quint64 generation);
    void applyStyle();
    void updateDrawer();
    void saveSessionDialog();
    void openSessionDialog();
    void reportError(const QString& what, const QString& message);
    void scheduleAutosave();
    bool autosave(const QString& path, QString* error);
    void onAutosaved(const QString& path, bool ok, const QString& error);
    // The run of `generation` has shown itself (samples drawn, or it ended): see CrashGuard.
    void markShown(quint64 generation);

    Options m_options;
    Style m_style = Style::make(false, false);
    Controller* m_controller = nullptr;
    ControlsPanel* m_controls = nullptr;
    MainPlot* m_mainPlot = nullptr;
    SpectrumPlot* m_spectrumPlot = nullptr;
    OutlierTable* m_table = nullptr;
    StatusPanel* m_status = nullptr;
    FileActions* m_files = nullptr;
    TabExports* m_tabExports = nullptr; // Ctrl+E, Ctrl+Shift+E: the shown tab's figure, data
    DemoMenus* m_demos = nullptr;
    QWidget* m_controlsScroll = nullptr;
    QSplitter* m_splitter = nullptr;
    QDockWidget* m_dock = nullptr;
    QAction* m_drawerAction = nullptr;
    QAction* m_holdAction = nullptr;
    QAction* m_resetAction = nullptr;
    QAction* m_animateAction = nullptr; // Space: the Animation tab plays
    PresentationLayout* m_presentation = nullptr;
    HelpMenu* m_help = nullptr;
    LessonPanel* m_lessonPanel = nullptr;
    LessonPlayer* m_lessons = nullptr;
    QAction* m_presentationAction = nullptr;
    bool m_drawerBeforePresenting = true; // the drawer's state when presentation mode began
    QAction* m_darkAction = nullptr;
    QString m_screenshotPath;
    ViewTabs* m_viewTabs = nullptr;
    Autosaver* m_autosaver = nullptr;
    std::unique_ptr<CrashGuard> m_guard;
    quint64 m_shownGeneration = 0; // the last run that drew its samples or ended
    quint64 m_diskGeneration = 0;  // the run of the session in the last-session file
    bool m_autosaveFailing = false;
    QString m_startNotice; // why the last session was not restored, if it was not
};

} // namespace ws::ui
