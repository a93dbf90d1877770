#pragma once
// What the GUI tests share: a session from N and the spikes alone, reading a written file back
// whole, a private data directory for the app (WIGNERSCOPE_DATA_DIR), so that a test never
// reads or writes the user's sessions, lessons or settings, and the README's screenshots of the
// window (one size, both themes). Header-only, for the tests that link ws_ui.

#include "core/io/session.h"
#include "core/model/families.h"
#include "ui/widgets/mainwindow.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QString>
#include <QTemporaryDir>
#include <QTest>

#include <cstdint>
#include <memory>
#include <string>

namespace ws::test {

// N, the spikes (CLI syntax), samples and seed; every other setting at its default.
inline core::Session spikedSession(int n, const std::string& spikes, int samples,
                                   std::uint64_t seed)
{
    core::Session s;
    s.model.n = n;
    s.model.spikes = core::parseSpikes(spikes);
    s.samples = samples;
    s.seed = seed;
    return s;
}

// The file's bytes; empty if it cannot be read.
inline QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A temporary directory whose "data" folder is the app's data directory while the test runs.
// Call setUp() from initTestCase() (QVERIFY its result).
class DataDirFixture
{
public:
    bool setUp()
    {
        if (!m_dir.isValid() || !QDir().mkpath(dataDir()))
            return false;
        return qputenv("WIGNERSCOPE_DATA_DIR", dataDir().toUtf8());
    }
    QString dataDir() const { return m_dir.filePath("data"); }
    QString filePath(const QString& name) const { return m_dir.filePath(name); }
    QString path() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir;
};

// The window a test drives: Qt's test-mode standard paths, no session restored or saved on close,
// 1400 x 900, shown.
inline std::unique_ptr<ui::MainWindow> shownWindow()
{
    QStandardPaths::setTestModeEnabled(true);
    auto w = std::make_unique<ui::MainWindow>(ui::MainWindow::Options{false, false});
    w->resize(1400, 900);
    w->show();
    return w;
}

// The README's screenshots of the window: the folder the environment variable `dirVariable`
// names, and the window to grab (no session restored or saved on close, their size 1600 x 1000,
// shown), made only when the variable is set; no window otherwise (the test skips).
struct Screenshots
{
    QString dir;
    std::unique_ptr<ui::MainWindow> window;
};

inline Screenshots screenshotWindow(const char* dirVariable)
{
    Screenshots s{qEnvironmentVariable(dirVariable), nullptr};
    if (s.dir.isEmpty())
        return s;
    s.window = std::make_unique<ui::MainWindow>(ui::MainWindow::Options{false, false});
    s.window->resize(1600, 1000);
    s.window->show();
    return s;
}

// The window in the light and the dark theme, saved as dir/name.png and dir/name-dark.png.
inline bool saveLightAndDark(ui::MainWindow& w, const QString& dir, const QString& name)
{
    for (bool dark : {false, true}) {
        w.setDarkTheme(dark);
        QTest::qWait(500); // the replots the theme change queued
        if (!w.grab().save(dir + "/" + name + (dark ? "-dark.png" : ".png"), "PNG"))
            return false;
    }
    return true;
}

} // namespace ws::test
