// wignerscope: the interactive explorer. Hidden options for documentation and checks:
//   --screenshot FILE   save a PNG of the window after the first complete result, then quit
//   --preset NAME       start with a preset (name as in the Presets menu, or its file stem)
//   --session FILE      start with a session file
//   --presentation      presentation mode;  --dark  dark theme
//   --fresh             ignore the last session (and do not save one on exit)
//   --dump-session FILE write the session the window starts with (after restoring the last one)
//                       to FILE and quit (crash-restore test)
//   --test-set K=V      test hook: 300 ms after start, set control K (sigma, n or samples) to V
//                       as a user would (the change is autosaved like any other)
//   --tab KEY           start on a view tab (main, residuals, bbp, convergence, overlaps, rank,
//                       weights, rectangular); with --screenshot, the shot waits for that tab's
//                       work too
//   --open-example      load the example weights into the "Real weights" tab
//   --lesson NAME       start a lesson (its file stem, e.g. story, or a lesson file)
//   --lesson-step K     with --lesson: go to step K (1-based) at once
// The last session lives in $WIGNERSCOPE_DATA_DIR if set (tests), else the app data dir; the
// window autosaves it (debounced) on every change, so it survives a crash.
#include "ui/widgets/controlspanel.h"
#include "ui/widgets/lessonplayer.h"
#include "ui/widgets/lessons.h"
#include "ui/widgets/mainwindow.h"
#include "ui/widgets/paramslider.h"
#include "ui/widgets/presets.h"
#include "ui/views/animationview.h"
#include "ui/views/rectview.h"
#include "ui/views/viewtabs.h"
#include "ui/views/weightsview.h"

#include "core/io/session.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileInfo>
#include <QSpinBox>
#include <QTimer>

#include <cstdio>

int main(int argc, char** argv)
{
    // QGuiApplication takes "-session NAME" (X11 session management) out of argv: parse a copy
    // made before it does, or our --session would be silently dropped.
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    QApplication app(argc, argv);
    QApplication::setApplicationName("wignerscope");
    QApplication::setOrganizationName("wignerscope");
    QApplication::setApplicationVersion(WS_VERSION);

    QCommandLineParser parser;
    parser.setApplicationDescription("Eigenvalues of deformed Wigner matrices with growing rank.");
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshot("screenshot", "Save a PNG of the window and quit.", "file");
    const QCommandLineOption preset("preset", "Start with a preset.", "name");
    const QCommandLineOption session("session", "Start with a session file.", "file");
    const QCommandLineOption presentation("presentation", "Presentation mode.");
    const QCommandLineOption dark("dark", "Dark theme.");
    const QCommandLineOption fresh("fresh", "Ignore and do not save the last session.");
    QCommandLineOption dump("dump-session", "Write the starting session to a file and quit.",
                            "file");
    QCommandLineOption testSet("test-set", "Test hook: set a control (sigma, n, samples).", "k=v");
    QCommandLineOption tab(
        "tab", "Start on a view tab (main, bbp, ..., animation, weights, rectangular).", "key");
    QCommandLineOption openExample("open-example", "Load the example weights (Real weights tab).");
    QCommandLineOption animate("animate", "Compute and play the Animation tab (its settings).");
    const QCommandLineOption lesson("lesson", "Start a lesson (file stem, e.g. story, or file).",
                                    "name");
    QCommandLineOption lessonStep("lesson-step", "With --lesson: go to step K.", "k");
    lessonStep.setFlags(QCommandLineOption::HiddenFromHelp);
    dump.setFlags(QCommandLineOption::HiddenFromHelp);
    testSet.setFlags(QCommandLineOption::HiddenFromHelp);
    tab.setFlags(QCommandLineOption::HiddenFromHelp);
    openExample.setFlags(QCommandLineOption::HiddenFromHelp);
    animate.setFlags(QCommandLineOption::HiddenFromHelp);
    for (const auto& o : {screenshot, preset, session, presentation, dark, fresh, dump, testSet,
                          tab, openExample, animate, lesson, lessonStep})
        parser.addOption(o);
    parser.process(args);

    ws::ui::MainWindow::Options options;
    const bool scripted = parser.isSet(screenshot) || parser.isSet(fresh);
    options.restoreLastSession = !scripted && !parser.isSet(preset) && !parser.isSet(session);
    options.saveOnClose = !scripted && !parser.isSet(dump);
    ws::ui::MainWindow window(options);

    if (parser.isSet(preset)) {
        const QString wanted = parser.value(preset);
        QString name;
        for (const auto& p : ws::ui::presets())
            if (p.name == wanted || QFileInfo(p.resource).completeBaseName() == wanted)
                name = p.name;
        if (name.isEmpty() || !window.loadPreset(name)) {
            std::fprintf(stderr, "wignerscope: unknown preset '%s'\n", qPrintable(wanted));
            return 2;
        }
    }
    if (parser.isSet(session)) {
        QString error;
        if (!window.openSessionFile(parser.value(session), &error)) {
            std::fprintf(stderr, "wignerscope: %s\n", qPrintable(error));
            return 2;
        }
    }
    if (parser.isSet(dark))
        window.setDarkTheme(true);
    if (parser.isSet(presentation))
        window.setPresentationMode(true);
    ws::ui::ViewTabs* tabs = window.viewTabs();
    if (parser.isSet(tab) && !tabs->selectTab(parser.value(tab))) {
        std::fprintf(stderr, "wignerscope: unknown tab '%s'\n", qPrintable(parser.value(tab)));
        return 2;
    }
    if (parser.isSet(openExample))
        tabs->weightsView()->openExample();
    if (parser.isSet(animate)) {
        tabs->selectTab("animation");
        tabs->animationView()->togglePlay();
    }
    if (parser.isSet(lesson)) {
        QString file = parser.value(lesson);
        for (const auto& l : ws::ui::lessons())
            if (QFileInfo(l.file).completeBaseName() == file)
                file = l.file;
        QString error;
        if (!window.lessonPlayer()->startFile(file, &error)) {
            std::fprintf(stderr, "wignerscope: --lesson: %s\n", qPrintable(error));
            return 2;
        }
        if (parser.isSet(lessonStep))
            window.lessonPlayer()->showStep(parser.value(lessonStep).toInt() - 1);
    }
    window.show();
    if (parser.isSet(dump)) {
        QFile out(parser.value(dump));
        const QByteArray json =
            QByteArray::fromStdString(ws::core::sessionToJson(window.currentSession()));
        if (!out.open(QIODevice::WriteOnly) || out.write(json) != json.size()) {
            std::fprintf(stderr, "wignerscope: cannot write %s\n", qPrintable(out.fileName()));
            return 1;
        }
        return 0;
    }
    if (parser.isSet(testSet)) {
        const QStringList kv = parser.value(testSet).split('=');
        bool ok = kv.size() == 2;
        const double v = ok ? kv[1].toDouble(&ok) : 0.0;
        if (!ok || (kv[0] != "sigma" && kv[0] != "n" && kv[0] != "samples")) {
            std::fprintf(stderr, "wignerscope: --test-set expects sigma=X, n=X or samples=X\n");
            return 2;
        }
        QTimer::singleShot(300, &window, [&window, key = kv[0], v] {
            ws::ui::ControlsPanel* c = window.controls();
            if (key == "sigma")
                c->sigmaControl()->spinBox()->setValue(v);
            else if (key == "n")
                c->nControl()->spinBox()->setValue(v);
            else
                c->samplesBox()->setValue(static_cast<int>(v));
        });
    }
    if (parser.isSet(screenshot)) {
        QObject::connect(&window, &ws::ui::MainWindow::screenshotSaved, &app,
                         [](const QString& path, bool ok) {
                             std::fprintf(ok ? stdout : stderr, "%s %s\n",
                                          ok ? "saved" : "cannot save", qPrintable(path));
                             QApplication::exit(ok ? 0 : 1);
                         });
        const QString path = parser.value(screenshot);
        auto shoot = [&window, path] { window.screenshotWhenDone(path); };
        // The shot waits for the shown tab's own background work as well.
        if (tabs->currentKey() == "weights" && tabs->weightsView()->isLoading())
            QObject::connect(tabs->weightsView(), &ws::ui::WeightsView::loaded, &window, shoot,
                             Qt::SingleShotConnection);
        else if (tabs->currentKey() == "rectangular")
            QObject::connect(tabs->rectView(), &ws::ui::RectView::finished, &window, shoot,
                             Qt::SingleShotConnection);
        else
            shoot();
    }
    return QApplication::exec();
}
