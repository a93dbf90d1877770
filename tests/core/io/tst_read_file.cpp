// Reading session files (core/io/read_file.h, loadSession): regular files only and at most the
// stated size. A FIFO is refused at once (opened without blocking), so is a device like
// /dev/zero (a node with its numbers, made here; needs root), a directory, and a file over the
// limit, whose size the message names. Nothing of a refused file is read.
#include "support/core_checks.h"
#include "core/io/read_file.h"
#include "core/io/session.h"
#include "core/model/families.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <string>

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

using namespace ws::core;

namespace {

// The InputError loading the session file at `path` gives ("" if none).
std::string errorOf(const std::string& path)
{
    return testsupport::errorMessage([&] { (void)loadSession(path); });
}

} // namespace

class TstReadFile : public QObject
{
    Q_OBJECT

private slots:
    void fifoRefusedAtOnce();
    void deviceRefused();
    void directoryRefused();
    void overTheLimitRefusedWithItsSize();
    void smallFileRead();
};

void TstReadFile::fifoRefusedAtOnce()
{
    QTemporaryDir dir;
    const std::string fifo = dir.filePath("s.json").toStdString();
    QVERIFY(::mkfifo(fifo.c_str(), 0600) == 0);
    // No writer: a blocking open would never return (the test would hang until ctest's timeout),
    // so returning with the reason is the property; no wall-clock bound (load has none).
    QCOMPARE(errorOf(fifo), "cannot read " + fifo + ": not a regular file (a FIFO (named pipe))");
}

void TstReadFile::deviceRefused()
{
    if (::geteuid() != 0)
        QSKIP("making a device node needs root");
    QTemporaryDir dir;
    const std::string zero = dir.filePath("zero").toStdString();
    QVERIFY(::mknod(zero.c_str(), S_IFCHR | 0666, makedev(1, 5)) == 0); // /dev/zero's numbers
    QCOMPARE(errorOf(zero), "cannot read " + zero + ": not a regular file (a character device)");
}

void TstReadFile::directoryRefused()
{
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString();
    QCOMPARE(errorOf(d), "cannot read " + d + ": Is a directory");
}

void TstReadFile::overTheLimitRefusedWithItsSize()
{
    QTemporaryDir dir;
    const std::string big = dir.filePath("big.json").toStdString();
    QFile f(QString::fromStdString(big));
    QVERIFY(f.open(QIODevice::WriteOnly));
    QVERIFY(f.resize(80ll << 20)); // sparse: 80 MiB without writing them
    f.close();
    QCOMPARE(errorOf(big),
             "cannot read " + big + ": it is 80.0 MiB, over the 64.0 MiB limit of a session file");
    // Exactly at the limit, the size is fine (the file is refused as JSON instead).
    QVERIFY(f.open(QIODevice::ReadWrite));
    QVERIFY(f.resize(static_cast<qint64>(kMaxSessionBytes)));
    f.close();
    QVERIFY(errorOf(big).find("limit") == std::string::npos);
}

void TstReadFile::smallFileRead()
{
    QTemporaryDir dir;
    const std::string p = dir.filePath("t.txt").toStdString();
    QFile f(QString::fromStdString(p));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("hello");
    f.close();
    QCOMPARE(readRegularFile(p, 5, "a test file"), std::string("hello"));
    bool refused = false;
    try {
        readRegularFile(p, 4, "a test file");
    } catch (const InputError& e) {
        refused =
            std::string(e.what()).find("over the 4 B limit of a test file") != std::string::npos;
    }
    QVERIFY(refused);
}

QTEST_GUILESS_MAIN(TstReadFile)
#include "tst_read_file.moc"
