// wignerscope: the interactive explorer. Hidden options for documentation and checks:
//   --screenshot FILE   save a PNG of the window after the first complete result, then quit
//   --preset NAME       start with a preset (name as in the Presets menu, or its file stem)
//   --session FILE      start with a session file
//   --presentation      presentation mode;  --dark  dark theme
//   --fresh             ignore the last session (and do not save one on exit)
#include "ui/mainwindow.h"
#include "ui/presets.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>

#include <cstdio>

int main(int argc, char** argv)
{
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
    for (const auto& o : {screenshot, preset, session, presentation, dark, fresh})
        parser.addOption(o);
    parser.process(app);

    ws::ui::MainWindow::Options options;
    const bool scripted = parser.isSet(screenshot) || parser.isSet(fresh);
    options.restoreLastSession = !scripted && !parser.isSet(preset) && !parser.isSet(session);
    options.saveOnClose = !scripted;
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
    window.show();
    if (parser.isSet(screenshot)) {
        QObject::connect(&window, &ws::ui::MainWindow::screenshotSaved, &app,
                         [](const QString& path, bool ok) {
                             std::fprintf(ok ? stdout : stderr, "%s %s\n",
                                          ok ? "saved" : "cannot save", qPrintable(path));
                             QApplication::exit(ok ? 0 : 1);
                         });
        window.screenshotWhenDone(parser.value(screenshot));
    }
    return QApplication::exec();
}
