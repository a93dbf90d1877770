// The GUI side of the README's "Valid input" table, files (support/gui_inputs.h): a refused
// session changes nothing and says why; a session beyond the controls' range runs as written
// or is refused; an export or save that cannot be written says why and leaves nothing behind;
// the dialogs show the reason; a failed autosave is reported; an unknown preset is refused.
#include "support/gui_inputs.h"
#include "support/hostile_session_rows.h"
#include "ui/widgets/autosaver.h"
#include "ui/widgets/lessons.h"
#include "ui/widgets/presets.h"

#include <QAction>
#include <QComboBox>
#include <QFileDialog>
#include <QMessageBox>
#include <QTimer>

using namespace ws;
using namespace ws::test;
using ws::testing::sessionText;

class TestGuiFiles : public QObject, private GuiInputsFixture
{
    Q_OBJECT
private slots:
    void initTestCase() { openWindow(); }
    void cleanupTestCase() { closeWindow("tst_guifiles"); }
    void sessionFiles_data();
    void sessionFiles();
    void sessionPaths_data();
    void sessionPaths();
    void sessionBeyondControls_data();
    void sessionBeyondControls();
    void sessionRunsAsWritten();
    void exports_data();
    void exports();
    void dialogsShowTheReason();
    void autosaveToUnwritableDir();
    void unknownPreset();
};

// ---- Session files -------------------------------------------------------------------------

void TestGuiFiles::sessionFiles_data()
{
    ws::testing::addHostileSessionRows();
}

void TestGuiFiles::sessionFiles()
{
    QFETCH(QByteArray, contents);
    QFETCH(QString, names);
    ++m_cases;
    startFrom("any");
    const std::string shownBefore = core::sessionToJson(m_w->currentSession());
    const QString path = m_dir.filePath("hostile.json");
    writeFile(path, contents);
    QString error;
    QVERIFY(!m_w->openSessionFile(path, &error));
    // (1) The reason names the key.
    QVERIFY(!error.isEmpty());
    QVERIFY2(error.contains(names), qPrintable(error));
    QVERIFY2(error.size() < 400, qPrintable(error));
    // (2) Nothing changed: controls, view settings, result.
    QCOMPARE(core::sessionToJson(m_w->currentSession()), shownBefore);
    checkNoRun();
    // (3) A good file opens and runs.
    const int n = m_w->controller()->theory()->session.model.n == 30 ? 31 : 30;
    writeFile(path, sessionText("{\"n\": " + std::to_string(n) + ", \"sigma\": 1.5}").c_str());
    QVERIFY2(m_w->openSessionFile(path, &error), qPrintable(error));
    checkRan();
    QCOMPARE(m_w->controller()->theory()->session.model.n, n);
}

void TestGuiFiles::sessionPaths_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("why");
    writeFile(m_dir.filePath("plain"), "x");
    QDir(m_dir.path()).mkpath("folder.json");
    auto row = [](const char* name, const QString& path, const char* why) {
        QTest::newRow(name) << path << QString(why);
    };
    row("missing", m_dir.filePath("missing.json"), "No such file");
    row("in a missing directory", m_dir.filePath("no/such/s.json"), "No such file");
    row("a directory", m_dir.filePath("folder.json"), "is a directory");
    row("a file used as a directory", m_dir.filePath("plain/s.json"), "Not a directory");
    row("name too long", m_dir.filePath(QString(300, 'x')), "cannot read");
    row("empty path", "", "No file name");
    row("/proc/self/mem (reads nothing)", "/proc/self/mem", "not valid JSON");
}

void TestGuiFiles::sessionPaths()
{
    QFETCH(QString, path);
    QFETCH(QString, why);
    ++m_cases;
    startFrom("any");
    const std::string shownBefore = core::sessionToJson(m_w->currentSession());
    QString error;
    QVERIFY(!m_w->openSessionFile(path, &error));
    QVERIFY(!error.isEmpty());
    QVERIFY2(error.contains(why), qPrintable(error));
    if (!path.startsWith("/proc"))
        QVERIFY2(error.startsWith("cannot read " + path + ": "), qPrintable(error));
    QCOMPARE(core::sessionToJson(m_w->currentSession()), shownBefore);
    checkNoRun();
}

// Valid session files whose values lie beyond the range or precision the controls were built
// with: the controls take them as they are (the CLI does), so the run is the file's model. Only
// N has a limit of its own (the note next to it), and a value beyond 12 decimals is refused with
// its reason rather than silently rounded to something else.
void TestGuiFiles::sessionBeyondControls_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("run");
    QTest::addColumn<QString>("note"); // "" = loaded exactly
    auto row = [](const char* name, const char* model, const char* run, const char* note) {
        QTest::newRow(name) << QString(model) << QString(run) << QString(note);
    };
    row("sigma below 0.001", R"({"n": 30, "sigma": 1e-5})", "", "");
    row("sigma above 1000", R"({"n": 30, "sigma": 5000})", "", "");
    row("sigma with 5 decimals", R"({"n": 30, "sigma": 1.23456})", "", "");
    row("alpha with 3 decimals", R"({"n": 30, "alpha": 0.333})", "", "");
    row("spike beyond 1e6", R"({"n": 30, "spikes": "equal:1e7"})", "", "");
    row("linear spikes beyond 1e6", R"({"n": 30, "rank": 3, "spikes": "linear:-2e6,3e6"})", "", "");
    row("power decay above 100", R"({"n": 30, "rank": 3, "spikes": "power:5,250"})", "", "");
    row("nu beyond 1e6", R"({"n": 30, "noise": "student-t:1e7"})", "", "");
    row("sparse p 1e-4", R"({"n": 30, "noise": "sparse:0.0001"})", "", "");
    row("bulk rho 1e-6", R"({"n": 30, "bulk": "semicircle:1e-6"})", "", "");
    row("bulk uniform beyond 1e6", R"({"n": 30, "bulk": "uniform:-5e6,5e6"})", "", "");
    row("samples above 100000", R"({"n": 30})", R"({"samples": 1000000})", "");
    row("seed 2^64 - 1", R"({"n": 30})", R"({"seed": 18446744073709551615})", "");
    row("sigma beyond 12 decimals", R"({"n": 30, "sigma": 1e-14})", "",
        "sigma: must be a finite number > 0");
    row("N and rank above the limit", R"({"n": 200000, "rank": 150000})", "",
        "N lowered from 200000 to 4000");
}

void TestGuiFiles::sessionBeyondControls()
{
    QFETCH(QString, model);
    QFETCH(QString, run);
    QFETCH(QString, note);
    ++m_cases;
    const std::string text = sessionText(
        model.toStdString(), run.isEmpty() ? std::string() : ", \"run\": " + run.toStdString());
    const core::Session file = core::sessionFromJson(text);
    ui::ControlsPanel panel;
    panel.show();
    panel.setSession(file);
    const auto shown = panel.session();
    if (note.isEmpty()) {
        QVERIFY(shown);
        QCOMPARE(core::sessionToJson(*shown), core::sessionToJson(file));
        for (QLabel* l : panel.findChildren<QLabel*>())
            if (l->objectName() == "errorLabel" || l->objectName() == "nLimitLabel")
                QVERIFY2(!l->isVisible(), qPrintable(l->text()));
    } else if (note.startsWith("N")) {
        QVERIFY(shown);
        QVERIFY(panel.nLimitLabel()->isVisible());
        QVERIFY2(panel.nLimitLabel()->text().startsWith(note),
                 qPrintable(panel.nLimitLabel()->text()));
        QCOMPARE(core::rankOf(shown->model), shown->model.n); // the rank follows N down
    } else {
        QVERIFY(!shown);
        QLabel* error = errorLabelOf(&panel);
        QVERIFY(error && error->isVisible());
        QVERIFY2(error->text().startsWith(note), qPrintable(error->text()));
    }
}

// The same through the window: the run is the file's model, not a rounded one.
void TestGuiFiles::sessionRunsAsWritten()
{
    ++m_cases;
    startFrom("any");
    const QString path = m_dir.filePath("precise.json");
    writeFile(path, sessionText(R"({"n": 30, "sigma": 1.23456, "alpha": 0.333})",
                                R"(, "run": {"seed": 18446744073709551615})")
                        .c_str());
    QString error;
    QVERIFY2(m_w->openSessionFile(path, &error), qPrintable(error));
    checkRan();
    const core::Session& ran = m_w->controller()->theory()->session;
    QCOMPARE(ran.model.sigma, 1.23456);
    QCOMPARE(ran.model.rank.alpha, 0.333);
    QCOMPARE(ran.seed, std::uint64_t(18446744073709551615ULL));
}

// ---- Exports and session saves to paths that cannot be written -----------------------------

void TestGuiFiles::exports_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("why");
    const QString out = m_dir.filePath("out");
    QDir(out).mkpath(".");
    writeFile(m_dir.filePath("out/plain"), "x");
    QDir(out).mkpath("folder.png");
    QDir(out).mkpath("folder.csv");
    QDir(out).mkpath("folder.json");
    for (const char* kind : {"session", "png", "svg", "pdf", "spectrum png", "eigenvalues csv",
                             "histogram csv", "theory csv", "outliers csv"}) {
        const QString k = kind;
        const QString ext = k == "session"        ? "json"
                            : k.endsWith("csv")   ? "csv"
                            : k == "spectrum png" ? "png"
                                                  : k;
        const QString rows[][2] = {
            {"a filesystem without new files", "/proc/wignerscope-test." + ext},
            {"a missing directory", out + "/no/such/x." + ext},
            {"a file used as a directory", out + "/plain/x." + ext},
            {"a directory", out + "/folder." +
                                (ext == "json"  ? "json"
                                 : ext == "csv" ? "csv"
                                                : "png")},
            {"name too long", out + "/" + QString(300, 'x') + "." + ext},
        };
        for (const auto& r : rows) {
            if (r[0] == "a directory" && (ext == "svg" || ext == "pdf"))
                continue;
            QTest::addRow("%s to %s", kind, qPrintable(r[0])) << k << r[1] << "cannot write";
        }
    }
    QTest::newRow("png: unknown image type") << "png" << out + "/x.bmpx"
                                             << "unknown image type";
    QTest::newRow("png: no extension") << "png" << out + "/x"
                                       << "unknown image type";
}

void TestGuiFiles::exports()
{
    QFETCH(QString, kind);
    QFETCH(QString, path);
    QFETCH(QString, why);
    ++m_cases;
    startFrom("any");
    const QStringList before = filesIn(m_dir.filePath("out"));
    QString error;
    bool ok = true;
    using K = ui::MainWindow::CsvKind;
    if (kind == "session")
        ok = m_w->saveSessionFile(path, &error);
    else if (kind == "png" || kind == "svg" || kind == "pdf")
        ok = m_w->exportPlot(path, false, &error);
    else if (kind == "spectrum png")
        ok = m_w->exportPlot(path, true, &error);
    else if (kind == "eigenvalues csv")
        ok = m_w->exportCsv(path, K::Eigenvalues, &error);
    else if (kind == "histogram csv")
        ok = m_w->exportCsv(path, K::Histogram, &error);
    else if (kind == "theory csv")
        ok = m_w->exportCsv(path, K::Theory, &error);
    else
        ok = m_w->exportCsv(path, K::Outliers, &error);
    QVERIFY(!ok);
    QVERIFY2(error.contains(why), qPrintable(error));
    QVERIFY2(error.contains(QFileInfo(path).fileName().left(40)), qPrintable(error));
    // Nothing left behind, nothing else touched.
    QCOMPARE(filesIn(m_dir.filePath("out")), before);
    QVERIFY(!QFileInfo(path).isFile());
    checkNoRun();
}

// Through the menus as a user does it: the file dialog, then the message box and the status bar
// say why.
void TestGuiFiles::dialogsShowTheReason()
{
    startFrom("base");
    QAction* open = nullptr;
    QAction* save = nullptr;
    QAction* csv = nullptr;
    for (QAction* a : m_w->findChildren<QAction*>()) {
        const QString t = a->text().remove('&');
        if (t.startsWith("Open session"))
            open = a;
        else if (t.startsWith("Save session"))
            save = a;
        else if (t.startsWith("Theory curves"))
            csv = a;
    }
    QVERIFY(open && save && csv);
    const QString bad = m_dir.filePath("dialog-bad.json");
    writeFile(bad, sessionText(R"({"n": 20, "spikes": "list:1,,2"})").c_str());

    struct Case
    {
        QAction* action;
        QString path;
        QString title;
        QString why;
    } cases[] = {
        {open, bad, "Cannot open the session", "model.spikes"},
        {save, "/proc/wignerscope-dialog.json", "Cannot save the session", "cannot write"},
        {csv, m_dir.filePath("no/such/theory.csv"), "Cannot export the CSV file", "cannot write"},
    };
    for (const Case& c : cases) {
        ++m_cases;
        QStringList boxes;
        QTimer driver;
        driver.setInterval(20);
        connect(&driver, &QTimer::timeout, this, [&] {
            QWidget* modal = QApplication::activeModalWidget();
            if (auto* dialog = qobject_cast<QFileDialog*>(modal)) {
                auto* name = dialog->findChild<QLineEdit*>("fileNameEdit");
                QVERIFY(name);
                name->setText(c.path);
                QMetaObject::invokeMethod(dialog, "accept"); // protected
            } else if (auto* box = qobject_cast<QMessageBox*>(modal)) {
                boxes << box->windowTitle() + "\n" + box->text();
                box->accept();
            }
        });
        driver.start();
        c.action->trigger();
        driver.stop();
        QCOMPARE(boxes.size(), 1);
        QVERIFY2(boxes[0].startsWith(c.title) && boxes[0].contains(c.why), qPrintable(boxes[0]));
        QVERIFY(statusMessage());
        QVERIFY2(statusMessage()->text().contains(c.why), qPrintable(statusMessage()->text()));
        QVERIFY(!QFileInfo(c.path).exists() || c.path == bad);
        checkNoRun();
    }
}

// The autosave directory cannot be written: the window says so (and keeps working).
void TestGuiFiles::autosaveToUnwritableDir()
{
    ++m_cases;
    const QByteArray saved = qgetenv("WIGNERSCOPE_DATA_DIR");
    qputenv("WIGNERSCOPE_DATA_DIR", "/proc/wignerscope-test");
    {
        ui::MainWindow w(ui::MainWindow::Options{false, true});
        w.controller()->setThrottleInterval(1);
        w.show();
        w.applySession(baseSession("base"));
        QVERIFY(waitFinished(w));
        // The save comes after the run (as with the default 1 s delay): a new run's status
        // replaces the message.
        w.autosaver()->setDelay(60000);
        QSignalSpy autosaved(&w, &ui::MainWindow::autosaved);
        paste(w.controls()->sigmaControl()->spinBox(), "1.5");
        QTest::keyClick(w.controls()->sigmaControl()->spinBox(), Qt::Key_Return);
        QVERIFY(waitFinished(w));
        QVERIFY(w.autosaver()->pending());
        w.autosaver()->setDelay(1); // restarts the pending save
        QVERIFY(autosaved.count() > 0 || autosaved.wait(5000));
        QCOMPARE(autosaved.back().at(1).toBool(), false);
        QLabel* message = nullptr;
        for (QLabel* l : w.statusPanel()->findChildren<QLabel*>())
            if (l->textInteractionFlags() & Qt::TextSelectableByMouse)
                message = l;
        QVERIFY(message && message->isVisible());
        QVERIFY2(message->text().startsWith("Autosave failed: cannot write /proc/wignerscope-test"),
                 qPrintable(message->text()));
        QCOMPARE(w.controller()->theory()->session.model.sigma, 1.5); // the run is unaffected
    }
    QVERIFY(!QFileInfo::exists("/proc/wignerscope-test"));
    if (saved.isNull())
        qunsetenv("WIGNERSCOPE_DATA_DIR");
    else
        qputenv("WIGNERSCOPE_DATA_DIR", saved);
}

void TestGuiFiles::unknownPreset()
{
    ++m_cases;
    startFrom("base");
    QStringList boxes;
    QTimer driver;
    driver.setInterval(20);
    connect(&driver, &QTimer::timeout, this, [&] {
        if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
            boxes << box->text();
            box->accept();
        }
    });
    driver.start();
    QVERIFY(!m_w->loadPreset("No such preset"));
    driver.stop();
    QCOMPARE(boxes.size(), 1);
    QVERIFY2(boxes[0].contains("unknown preset"), qPrintable(boxes[0]));
    checkNoRun();
    // The preset box offers only the presets and lessons found (a separator between them).
    QComboBox* presetBox = nullptr;
    for (QComboBox* c : m_w->findChildren<QComboBox*>())
        if (c->count() > 0 && c->itemText(0).startsWith("Presets"))
            presetBox = c;
    QVERIFY(presetBox && !presetBox->isEditable());
    const int lessons = static_cast<int>(ui::lessons().size());
    QCOMPARE(presetBox->count(), 1 + int(ui::presets().size()) + (lessons > 0 ? 1 + lessons : 0));
}

QTEST_MAIN(TestGuiFiles)
#include "tst_guifiles.moc"
