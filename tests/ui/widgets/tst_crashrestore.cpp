// Data safety: the window autosaves the session on every change, debounced, atomically,
// and a crash loses at most the last second. Checked in-process (debounce, one write per burst,
// no stray temporary files) and with the real app binary killed by SIGKILL and started again.
#include "ui/widgets/autosaver.h"
#include "ui/widgets/controlspanel.h"
#include "ui/widgets/mainwindow.h"
#include "ui/widgets/paramslider.h"
#include "ui/widgets/presets.h"

#include "core/model/families.h"
#include "core/io/atomic_file.h"
#include "core/io/session.h"

#include <QDir>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace ws;

namespace {

core::Session testSession()
{
    core::Session s;
    s.model.n = 321;
    s.model.sigma = 0.85;
    s.model.spikes = core::parseSpikes("list:4,2.5");
    s.samples = 3;
    s.seed = 99;
    return s;
}

QStringList filesIn(const QString& dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::System);
}

} // namespace

class TestCrashRestore : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void autosaveIsDebounced();
    void killedAppRestoresTheSession();

private:
    QTemporaryDir m_dir;
};

void TestCrashRestore::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void TestCrashRestore::autosaveIsDebounced()
{
    const QString data = m_dir.filePath("inprocess");
    qputenv("WIGNERSCOPE_DATA_DIR", data.toUtf8());
    QCOMPARE(ui::MainWindow::lastSessionPath(), data + "/last-session.json");
    ui::MainWindow w(ui::MainWindow::Options{false, true});
    w.applySession(testSession());
    QSignalSpy saved(&w, &ui::MainWindow::autosaved);
    QVERIFY(saved.wait(5000)); // the loaded session itself is saved once
    QCOMPARE(saved.count(), 1);
    QVERIFY(saved.at(0).at(1).toBool());

    // A burst of 10 changes 100 ms apart: nothing is written during it (each change restarts
    // the 1 s delay), then exactly one write with the last value.
    QElapsedTimer clock;
    clock.start();
    ui::ParamSlider* sigma = w.controls()->sigmaControl();
    qint64 lastChange = 0;
    for (int i = 1; i <= 10; ++i) {
        sigma->spinBox()->setValue(0.85 + 0.01 * i);
        lastChange = clock.elapsed();
        QTest::qWait(100);
    }
    QCOMPARE(saved.count(), 1);
    QVERIFY(w.autosaver()->pending());
    QVERIFY(saved.wait(3000));
    // (QTimer's coarse timers may fire up to 5% early.)
    QVERIFY2(clock.elapsed() - lastChange >= 900, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(saved.count(), 2);
    const core::Session onDisk = core::loadSession(ui::MainWindow::lastSessionPath().toStdString());
    QCOMPARE(onDisk.model.sigma, 0.95);
    QCOMPARE(onDisk.model.n, 321);
    QCOMPARE(filesIn(data), QStringList{"last-session.json"}); // no temporary left behind

    // A theme change is part of the session too.
    w.setDarkTheme(true);
    QVERIFY(saved.wait(3000));
    QCOMPARE(ui::viewOf(core::loadSession(ui::MainWindow::lastSessionPath().toStdString()))
                 .value("theme")
                 .toString(),
             QString("dark"));
    qunsetenv("WIGNERSCOPE_DATA_DIR");
}

void TestCrashRestore::killedAppRestoresTheSession()
{
    const QString app = QStringLiteral(WS_GUI_PATH);
    QVERIFY2(!app.isEmpty() && QFileInfo::exists(app), "the wignerscope binary is not built");
    const QString data = m_dir.filePath("app-data");
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("QT_QPA_PLATFORM", "offscreen");
    env.insert("WIGNERSCOPE_DATA_DIR", data);
    const QString sessionFile = m_dir.filePath("start.json");
    core::writeFileAtomically(sessionFile.toStdString(), core::sessionToJson(testSession()));

    // Start with a session, then change sigma through the controls as a user would.
    QProcess first;
    first.setProcessEnvironment(env);
    first.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    first.start(app, {"--session", sessionFile, "--test-set", "sigma=1.37"});
    QVERIFY(first.waitForStarted(10000));
    const QString last = data + "/last-session.json";
    // Wait until the change has been autosaved (debounce ~1 s after it).
    QVERIFY(QTest::qWaitFor(
        [&] {
            try {
                return QFileInfo::exists(last) &&
                       core::loadSession(last.toStdString()).model.sigma == 1.37;
            } catch (const std::exception&) {
                return false; // a half-written file would throw: must not happen (atomic)
            }
        },
        20000));
    QCOMPARE(first.state(), QProcess::Running);
    first.kill(); // SIGKILL: no close event, no save on exit
    QVERIFY(first.waitForFinished(10000));
    QCOMPARE(first.exitStatus(), QProcess::CrashExit);

    // Restart: the session comes back, with the change.
    const QString dump = m_dir.filePath("restored.json");
    QProcess second;
    second.setProcessEnvironment(env);
    second.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    second.start(app, {"--dump-session", dump});
    QVERIFY(second.waitForFinished(30000));
    QCOMPARE(second.exitStatus(), QProcess::NormalExit);
    QCOMPARE(second.exitCode(), 0);
    const core::Session restored = core::loadSession(dump.toStdString());
    core::Session expected = testSession();
    expected.model.sigma = 1.37;
    QCOMPARE(restored.model, expected.model);
    QCOMPARE(restored.samples, expected.samples);
    QCOMPARE(restored.seed, expected.seed);
    QCOMPARE(filesIn(data), QStringList{"last-session.json"});
}

QTEST_MAIN(TestCrashRestore)
#include "tst_crashrestore.moc"
