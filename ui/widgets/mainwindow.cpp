#include "ui/widgets/mainwindow.h"

#include "ui/widgets/animationplayer.h"
#include "ui/widgets/autosaver.h"
#include "ui/widgets/crashguard.h"
#include "ui/jobs/controller.h"
#include "ui/widgets/controlspanel.h"
#include "ui/widgets/demomenus.h"
#include "ui/widgets/fileactions.h"
#include "ui/widgets/helpdialog.h"
#include "ui/widgets/lessonpanel.h"
#include "ui/widgets/lessonplayer.h"
#include "ui/widgets/paramslider.h"
#include "ui/plots/mainplot.h"
#include "ui/widgets/outliertable.h"
#include "ui/widgets/presentationlayout.h"
#include "ui/widgets/presets.h"
#include "ui/plots/spectrumplot.h"
#include "ui/widgets/statuspanel.h"
#include "ui/widgets/tabexports.h"
#include "ui/views/animationview.h"
#include "ui/views/rectview.h"
#include "ui/views/residualview.h"
#include "ui/views/viewtabs.h"
#include "ui/views/weightsview.h"

#include "core/model/families.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QHeaderView>
#include <QJsonObject>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QScrollBar>
#include <QSlider>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

namespace ws::ui {

MainWindow::MainWindow(QWidget* parent) : MainWindow(Options{}, parent) {}

MainWindow::MainWindow(const Options& options, QWidget* parent)
    : QMainWindow(parent), m_options(options), m_controller(new Controller(this)),
      m_controls(new ControlsPanel), m_mainPlot(new MainPlot), m_spectrumPlot(new SpectrumPlot),
      m_table(new OutlierTable), m_status(new StatusPanel),
      m_files(new FileActions({[this] { return currentSession(); },
                               [this](const core::Session& s) { applySession(s); }},
                              m_controller, m_mainPlot, m_spectrumPlot, m_status, this))
{
    ensureResources();
    setWindowTitle(tr("Wignerscope — deformed Wigner matrices with growing rank"));
    setWindowIcon(QIcon(":/icons/wignerscope.svg"));
    buildCentralArea();
    buildControlsDock();
    statusBar()->addPermanentWidget(m_status, 1);
    m_autosaver = new Autosaver(
        [this](const QString& path, QString* error) { return autosave(path, error); }, this);
    connect(m_autosaver, &Autosaver::saved, this, &MainWindow::onAutosaved);
    m_presentation = new PresentationLayout(this, m_splitter);
    connect(m_autosaver, &Autosaver::kept, this, [this](const QString&, const QString& reason) {
        m_status->showNotice(tr("Autosave: %1").arg(reason), 8000);
    });
    m_guard = std::make_unique<CrashGuard>(lastSessionPath());
    buildMenus();
    connectJobs();
    m_spectrumPlot->followXAxisOf(m_mainPlot);
    connect(m_presentation, &PresentationLayout::scaleChanged, this, [this](double scale) {
        m_style = Style::make(m_style.dark, m_style.presentation, scale);
        applyStyle();
        m_presentation->fit();
    });
    applyStyle();
    // The central splitter's sizes follow the window (presentationlayout.h).
    m_presentation->setTableHeight([this](int rows) { return m_table->heightForRows(rows); });
    m_presentation->fitToScreen({1500, 950});
    const bool restoring = m_options.restoreLastSession;
    applySession(initialSession());
    if (restoring && m_startNotice.isEmpty() && m_guard->armed())
        m_diskGeneration = m_controller->generation(); // the restored session's run
    if (!m_startNotice.isEmpty()) {
        m_status->showError(m_startNotice);
        qWarning("wignerscope: %s", qPrintable(m_startNotice));
    }
}

void MainWindow::buildCentralArea()
{
    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setObjectName("centralSplitter");
    // The main plot shares its place with the exploration views (tabs, ui/views).
    m_viewTabs = new ViewTabs(m_mainPlot, [this] { return m_controls->session(); });
    m_splitter->addWidget(m_viewTabs);
    // Settings of the weights / rectangular tabs are part of the session: autosave them too.
    connect(m_viewTabs, &ViewTabs::settingsChanged, this, &MainWindow::scheduleAutosave);
    m_splitter->addWidget(m_spectrumPlot);
    m_splitter->addWidget(m_table);
    m_splitter->setChildrenCollapsible(false);
    m_mainPlot->setMinimumHeight(220);
    m_spectrumPlot->setMinimumHeight(90);
    m_table->setMinimumHeight(70);
    // The caption of a lesson step or a preset, on screen above the plots.
    m_lessonPanel = new LessonPanel;
    auto* central = new QWidget;
    auto* column = new QVBoxLayout(central);
    column->setContentsMargins(0, 0, 0, 0);
    column->addWidget(m_lessonPanel);
    column->addWidget(m_splitter, 1);
    setCentralWidget(central);
    // The spectrum plot and the outlier table belong to the eigenvalue tab; the parameters
    // drawer to the tabs that use the model of the controls.
    connect(m_viewTabs, &QTabWidget::currentChanged, this, [this](int index) {
        m_spectrumPlot->setVisible(index == 0);
        m_table->setVisible(index == 0);
        m_status->setRunShown(m_viewTabs->showsMainRun());
        if (index == 0 && m_presentation)
            m_presentation->fit(); // sized while hidden, perhaps for another window size
        updateDrawer();
    });
}

void MainWindow::buildControlsDock()
{
    auto* scroll = new QScrollArea;
    m_controlsScroll = scroll;
    scroll->setWidget(m_controls);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    scroll->setMinimumWidth(360);
    auto* dock = new QDockWidget(tr("Parameters"), this);
    m_dock = dock;
    dock->setObjectName("parametersDock");
    dock->setWidget(scroll);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
}

void MainWindow::connectJobs()
{
    connect(m_controls, &ControlsPanel::changed, this, &MainWindow::onControlsChanged);
    connect(m_controller, &Controller::theoryReady, this, &MainWindow::onTheory);
    connect(m_controller, &Controller::samplesUpdated, this, &MainWindow::onSamples);
    connect(m_controller, &Controller::failed, this, &MainWindow::onFailed);
    connect(m_controller, &Controller::started, this, [this] { m_status->setRunning(true); });
    connect(m_controller, &Controller::finished, this, &MainWindow::onFinished);
    connect(m_controller, &Controller::cancelled, this, &MainWindow::onFinished);
    connect(m_status, &StatusPanel::cancelRequested, m_controller, &Controller::cancel);
    connect(m_files, &FileActions::failed, this, &MainWindow::reportError);
    m_tabExports = new TabExports(m_viewTabs, m_mainPlot, m_files, this);
    connect(m_files, &FileActions::tabFigureRequested, m_tabExports,
            &TabExports::exportFigureDialog);
    connect(m_files, &FileActions::tabDataRequested, m_tabExports, &TabExports::exportDataDialog);
    connect(m_tabExports, &TabExports::failed, this, &MainWindow::reportError);
}

core::Session MainWindow::initialSession()
{
    if (m_options.restoreLastSession) {
        // The last start with this session stopped before it was shown (a crash?): not again.
        const QString crashed = m_guard->setAsideIfUnshown();
        if (!crashed.isEmpty()) {
            m_startNotice = tr("The last session was not restored: the app stopped before it had "
                               "shown it (a crash?). It is kept as %1 (File > Open session).")
                                .arg(crashed);
        } else if (QFileInfo::exists(lastSessionPath()) ||
                   QFileInfo(lastSessionPath()).isSymLink()) {
            try {
                core::Session s = readSessionFile(lastSessionPath());
                m_autosaver->adopt();
                if (m_options.saveOnClose)
                    m_guard->arm(); // until the restored run has shown itself
                return s;
            } catch (const std::exception& e) {
                // Unreadable (damaged, or from a newer version): kept aside, not overwritten.
                const QString moved = m_guard->setAsideUnreadable();
                m_startNotice =
                    tr("The last session could not be restored (%1)")
                        .arg(QString::fromStdString(e.what())) +
                    (moved.isEmpty() ? QString(".") : tr("; it is kept as %1.").arg(moved));
            }
        }
    }
    try {
        return ws::ui::loadPreset(presets().front().name);
    } catch (const std::exception& e) {
        m_status->showError(QString::fromStdString(e.what())); // defaults then
    }
    return {};
}

MainWindow::~MainWindow() = default;

QString MainWindow::lastSessionPath()
{
    return Autosaver::path();
}

void MainWindow::scheduleAutosave()
{
    if (m_options.saveOnClose)
        m_autosaver->schedule();
}

bool MainWindow::autosave(const QString& path, QString* error)
{
    // The marker says whether the session about to be on disk has been shown (CrashGuard).
    const quint64 gen = m_controller->generation();
    if (gen != m_shownGeneration)
        m_guard->arm();
    const bool ok = saveSessionFile(path, error);
    if (ok) {
        m_diskGeneration = gen;
        if (gen == m_shownGeneration)
            m_guard->disarm();
    }
    return ok;
}

void MainWindow::markShown(quint64 generation)
{
    if (generation != m_controller->generation() || generation == m_shownGeneration)
        return;
    m_shownGeneration = generation;
    if (generation == m_diskGeneration)
        m_guard->disarm();
}

void MainWindow::onAutosaved(const QString& path, bool ok, const QString& error)
{
    // In the status panel: a status-bar message would be drawn under it (it spans the bar).
    // A failure stays visible (each new attempt shows it again); the first success after
    // failures says that autosave works again.
    if (!ok)
        m_status->showError(tr("Autosave failed: %1").arg(error));
    else if (m_autosaveFailing)
        m_status->showNotice(tr("Autosave works again: %1").arg(path), 8000);
    m_autosaveFailing = !ok;
    emit autosaved(path, ok);
}

void MainWindow::buildMenus()
{
    m_files->addFileMenu(menuBar(), [this] {
        m_viewTabs->selectTab("weights");
        m_viewTabs->weightsView()->openDialog();
    });
    m_lessons = new LessonPlayer(
        m_lessonPanel, m_viewTabs, [this](const core::Session& s) { applySession(s); }, this);
    m_demos = new DemoMenus(menuBar(), m_lessons->lessonAction(), this);
    connect(m_demos, &DemoMenus::presetChosen, this, &MainWindow::loadPreset);
    connect(m_demos, &DemoMenus::lessonChosen, this, &MainWindow::startLesson);
    QAction* reseed = buildRunMenu();
    buildViewMenu();
    m_help = new HelpMenu(
        menuBar(), [this] { return m_viewTabs->currentKey(); }, this);

    QToolBar* tools = addToolBar(tr("Tools"));
    tools->setObjectName("toolsBar");
    tools->addWidget(m_demos->presetBox());
    tools->addSeparator();
    tools->addAction(m_holdAction); // Reset view: a double click on the plot, Ctrl+0
    tools->addAction(m_drawerAction);
    tools->addAction(m_presentationAction);
    tools->addAction(m_darkAction);
    tools->addAction(reseed);
    QToolBar* animate = addToolBar(tr("Animate"));
    animate->setObjectName("animateBar");
    animate->addAction(m_animateAction);
    m_presentation->setToolBars(tools, animate);
}

QAction* MainWindow::buildRunMenu()
{
    QMenu* run = menuBar()->addMenu(tr("&Run"));
    QAction* reseed = run->addAction(tr("&Resample with a new seed"), QKeySequence(tr("Ctrl+R")),
                                     this, [this] { m_controls->newSeedButton()->click(); });
    reseed->setToolTip(tr("Draw a fresh seed and resample."));
    reseed->setIconText(tr("New seed"));
    run->addAction(tr("&Cancel sampling"), QKeySequence(Qt::Key_Escape), m_controller,
                   &Controller::cancel);
    // Presenting without a mouse: then the arrow and page keys move the slider.
    run->addAction(tr("&Focus the main slider"), QKeySequence(tr("Ctrl+T")), this, [this] {
        if (!m_viewTabs->usesControls())
            m_viewTabs->selectTab("main");
        m_drawerAction->setChecked(true);
        m_controls->mainSlider()->slider()->setFocus(Qt::ShortcutFocusReason);
    });
    // The Animation tab: its frames are computed first (Compute), then played.
    m_animateAction =
        run->addAction(tr("&Play / pause animation"), QKeySequence(Qt::Key_Space), this, [this] {
            m_viewTabs->selectTab("animation");
            m_viewTabs->animationView()->togglePlay();
        });
    m_animateAction->setShortcutContext(Qt::WindowShortcut);
    m_animateAction->setIconText(tr("Animate"));
    m_animateAction->setToolTip(tr("Show the Animation tab and play its frames, computing them "
                                   "first if needed (Space)."));
    return reseed;
}

void MainWindow::buildViewMenu()
{
    QMenu* view = menuBar()->addMenu(tr("&View"));
    m_presentationAction = view->addAction(tr("&Presentation mode"));
    m_presentationAction->setIconText(tr("Present"));
    m_presentationAction->setCheckable(true);
    m_presentationAction->setShortcuts({QKeySequence(Qt::Key_F5), QKeySequence(tr("Ctrl+P"))});
    m_presentationAction->setToolTip(tr("Larger fonts and thicker lines for a projector (F5)."));
    connect(m_presentationAction, &QAction::toggled, this, &MainWindow::setPresentationMode);
    m_darkAction = view->addAction(tr("&Dark theme"));
    m_darkAction->setIconText(tr("Dark"));
    m_darkAction->setCheckable(true);
    m_darkAction->setShortcut(QKeySequence(tr("Ctrl+D")));
    connect(m_darkAction, &QAction::toggled, this, &MainWindow::setDarkTheme);
    m_resetAction = view->addAction(tr("&Reset plot view"), QKeySequence(tr("Ctrl+0")), m_mainPlot,
                                    &MainPlot::resetView);
    m_resetAction->setIconText(tr("Reset view"));
    m_resetAction->setToolTip(tr("Back to the automatic view (Ctrl+0, or a double click on the "
                                 "plot)."));
    m_holdAction = view->addAction(tr("&Hold axes"));
    m_holdAction->setCheckable(true);
    m_holdAction->setShortcut(QKeySequence(tr("Ctrl+H")));
    m_holdAction->setToolTip(tr("Keep the current x and y ranges while the parameters change, so "
                                "the eye can follow an outlier (Ctrl+H)."));
    connect(m_holdAction, &QAction::toggled, m_mainPlot, &MainPlot::setHoldAxes);
    // The parameters drawer: shown on the tabs that use the model of the controls, unless
    // closed to give the plot the whole width.
    m_drawerAction = view->addAction(tr("P&arameters panel"));
    m_drawerAction->setIconText(tr("Parameters"));
    m_drawerAction->setCheckable(true);
    m_drawerAction->setChecked(true);
    m_drawerAction->setShortcut(QKeySequence(Qt::Key_F9));
    m_drawerAction->setToolTip(tr("Show or hide the parameters panel (F9)."));
    connect(m_drawerAction, &QAction::toggled, this, &MainWindow::updateDrawer);
}

void MainWindow::updateDrawer()
{
    if (m_dock && m_drawerAction && m_viewTabs)
        m_dock->setVisible(m_drawerAction->isChecked() && m_viewTabs->usesControls());
}

void MainWindow::onControlsChanged()
{
    if (auto s = m_controls->session()) {
        m_controller->request(*s);
        m_viewTabs->controlsChanged();
        scheduleAutosave();
    }
}

void MainWindow::onTheory(quint64 generation)
{
    const auto theory = m_controller->theory();
    m_mainPlot->setTheory(theory);
    m_spectrumPlot->setTheory(theory);
    m_table->setTheory(theory);
    m_viewTabs->residualView()->setTheory(theory);
    m_files->setTheory(*theory);
    m_status->setTheory(*theory);
    m_status->setRunning(m_controller->isRunning());
    emit frameDrawn(generation, -1);
}

void MainWindow::onSamples(quint64 generation)
{
    const auto samples = m_controller->samples();
    m_mainPlot->setSamples(samples);
    m_table->setSamples(samples);
    m_viewTabs->residualView()->setSamples(samples);
    m_status->setSamples(*samples);
    if (samples->done > 0)
        markShown(generation);
    emit frameDrawn(generation, samples->done);
}

void MainWindow::onFailed(quint64 generation, const JobError& error)
{
    m_status->setRunning(m_controller->isRunning());
    m_status->showError(error.message);
    markShown(generation); // handled: a refused model is no crash
}

void MainWindow::applyStyle()
{
    applyApplicationStyle(m_style);
    // The application font reaches existing widgets only through the event loop's font
    // propagation, which does not run before exec(): set it on the window itself, at once.
    setFont(QApplication::font());
    // The drawer is as wide as the controls need at this font: no horizontal scroll bar.
    if (auto* scroll = qobject_cast<QScrollArea*>(m_controlsScroll))
        scroll->setMinimumWidth(m_controls->minimumSizeHint().width() +
                                scroll->verticalScrollBar()->sizeHint().width() +
                                2 * scroll->frameWidth());
    PresentationLayout::fitHeader(m_table->view()->horizontalHeader());
    m_presentation->wrapToolBars();
    m_mainPlot->setPlotStyle(m_style);
    m_spectrumPlot->setPlotStyle(m_style);
    if (m_viewTabs)
        m_viewTabs->setPlotStyle(m_style);
    if (auto t = m_controller->theory()) {
        // Re-apply the data so style-dependent items (labels) pick up the new look.
        m_spectrumPlot->setTheory(t);
    }
}

void MainWindow::setPresentationMode(bool on)
{
    if (m_style.presentation == on)
        return;
    if (on) {
        m_presentation->enter();
        // The drawer at presentation fonts takes a quarter to a third of the width, which the
        // plot's legend needs to stay in two or three rows: closed (F9 or Parameters opens it),
        // reopened at the end.
        m_drawerBeforePresenting = m_drawerAction->isChecked();
        m_drawerAction->setChecked(false);
    } else {
        m_drawerAction->setChecked(m_drawerBeforePresenting);
    }
    m_style = Style::make(m_style.dark, on, m_presentation->scale());
    const QSignalBlocker b(m_presentationAction);
    m_presentationAction->setChecked(on);
    applyStyle();
    if (on)
        m_presentation->arrange();
    else
        m_presentation->leave();
    updateDrawer();
    scheduleAutosave();
}

void MainWindow::setDarkTheme(bool on)
{
    if (m_style.dark == on)
        return;
    m_style = Style::make(on, m_style.presentation, m_style.scale);
    const QSignalBlocker b(m_darkAction);
    m_darkAction->setChecked(on);
    applyStyle();
    scheduleAutosave();
}

void MainWindow::applySession(const core::Session& s)
{
    m_controls->setSession(s);
    const QJsonObject view = viewOf(s);
    if (view.contains("theme"))
        setDarkTheme(view.value("theme").toString() == "dark");
    if (view.contains("presentation"))
        setPresentationMode(view.value("presentation").toBool());
    m_viewTabs->animationView()->fromJson(view.value("animate").toObject());
    m_viewTabs->fromJson(view.value("sweeps").toObject());
    m_viewTabs->controlsChanged();
    if (s.rect)
        m_viewTabs->rectView()->setSession(*s.rect);
    if (auto valid = m_controls->session())
        m_controller->restart(*valid);
    scheduleAutosave();
}

core::Session MainWindow::currentSession() const
{
    core::Session s;
    if (auto v = m_controls->session())
        s = *v;
    else if (auto t = m_controller->theory())
        s = t->session; // the last good parameters
    s.rect = m_viewTabs->rectView()->session();
    setView(s, {{"theme", m_style.dark ? "dark" : "light"},
                {"presentation", m_style.presentation},
                {"animate", m_viewTabs->animationView()->toJson()},
                {"sweeps", m_viewTabs->toJson()}});
    return s;
}

bool MainWindow::loadPreset(const QString& name)
{
    try {
        applySession(ws::ui::loadPreset(name));
        m_status->showNotice(tr("Preset: %1").arg(name), 4000);
        m_lessons->showPresetNote(name); // its lesson line, on screen
        return true;
    } catch (const std::exception& e) {
        reportError(tr("Cannot load the preset"), QString::fromStdString(e.what()));
        return false;
    }
}

bool MainWindow::startLesson(const QString& file)
{
    QString error;
    const bool ok = m_lessons->startFile(file, &error);
    if (!ok)
        reportError(tr("Cannot start the lesson"), error);
    return ok;
}

bool MainWindow::openSessionFile(const QString& path, QString* error)
{
    return m_files->openSession(path, error);
}

bool MainWindow::saveSessionFile(const QString& path, QString* error)
{
    return m_files->saveSession(path, error);
}

bool MainWindow::exportPlot(const QString& path, bool spectrum, QString* error)
{
    return m_files->exportPlot(path, spectrum, error);
}

bool MainWindow::exportCsv(const QString& path, CsvKind kind, QString* error)
{
    return m_files->exportCsv(path, kind, error);
}

void MainWindow::reportError(const QString& what, const QString& message)
{
    m_status->showError(what + ": " + message);
    QMessageBox::warning(this, what, message);
}

void MainWindow::onFinished(quint64 generation)
{
    m_status->setRunning(false);
    markShown(generation);
    if (m_screenshotPath.isEmpty() || generation != m_controller->generation())
        return;
    const QString path = m_screenshotPath;
    m_screenshotPath.clear();
    // Let the queued replots happen before grabbing.
    QTimer::singleShot(400, this, [this, path] {
        const bool ok = grab().save(path, "PNG");
        emit screenshotSaved(path, ok);
    });
}

void MainWindow::screenshotWhenDone(const QString& path)
{
    m_screenshotPath = path;
    const auto samples = m_controller->samples();
    if (!m_controller->isRunning() && samples && samples->finished &&
        samples->generation == m_controller->generation())
        onFinished(m_controller->generation());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    m_viewTabs->animationView()->player()->pause();
    m_autosaver->stop();
    if (m_options.saveOnClose) {
        // Best effort: a failure must not block quitting. (Not over a newer session of
        // another window, as every autosave.)
        m_autosaver->saveNow();
        m_guard->disarm(); // a clean exit: nothing crashed
    }
    QMainWindow::closeEvent(event);
}

} // namespace ws::ui
