// Output files (core/io/atomic_file.h): what happens at targets that are not regular files
// (character devices, FIFOs, links, /proc links, block devices, directories), names at the
// length limit, a set of outputs replaced together or not at all (also when a rename fails
// half-way), cancellation, and a process killed while writing. Device nodes are made in a
// temporary directory with the numbers of /dev/null (1, 3) and /dev/full (1, 7); that needs
// root, and those cases are skipped otherwise. The real /dev is never written to.
#include "support/core_checks.h"
#include "core/io/atomic_file.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <cerrno>
#include <string>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace ws::core;
using testsupport::errorMessage;

namespace {

std::string str(const QString& s)
{
    return s.toStdString();
}

std::string readAll(const std::string& path)
{
    QFile f(QString::fromStdString(path));
    if (!f.open(QIODevice::ReadOnly))
        return "<unreadable>";
    return f.readAll().toStdString();
}

void write(const std::string& path, const std::string& text)
{
    QFile f(QString::fromStdString(path));
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(text.data(), static_cast<qint64>(text.size())),
             static_cast<qint64>(text.size()));
}

// Every entry of `dir`, hidden ones included (temporaries start with a dot).
QStringList entries(const QString& dir)
{
    return QDir(dir).entryList(
        QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
}

mode_t typeOf(const std::string& path)
{
    struct stat st
    {
    };
    return ::lstat(path.c_str(), &st) == 0 ? (st.st_mode & S_IFMT) : 0;
}

// A character device node like /dev/null (1, 3) or /dev/full (1, 7), in `dir`.
bool makeCharDevice(const std::string& path, unsigned minor)
{
    return ::mknod(path.c_str(), S_IFCHR | 0666, makedev(1, minor)) == 0;
}

} // namespace

class TstAtomicFile : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void regularFileReplaced();
    void characterDevices();
    void fifoWrittenInPlace();
    void procLinkWrittenInPlace();
    void symlinkWrittenThrough();
    void refusedTargets();
    void longNames();
    void setReplacedTogether();
    void setFailsBeforeAnyRename();
    void setRollsBackAFailedRename();
    void cancelled();
    void killedWhileWritingLeavesNothing();
    void cleanupTestCase();

private:
    std::string path(const char* name) const { return str(m_dir->filePath(name)); }
    std::unique_ptr<QTemporaryDir> m_dir;
    int m_cases = 0; // hostile targets tried (printed at the end)
};

void TstAtomicFile::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TstAtomicFile::regularFileReplaced()
{
    const std::string p = path("a.json");
    write(p, "old");
    QVERIFY(::chmod(p.c_str(), 0640) == 0);
    writeFileAtomically(p, "new contents");
    QCOMPARE(readAll(p), std::string("new contents"));
    struct stat st
    {
    };
    QCOMPARE(::stat(p.c_str(), &st), 0);
    QCOMPARE(st.st_mode & 07777, mode_t(0640)); // the target's permissions are kept
    QCOMPARE(entries(m_dir->path()), QStringList{"a.json"});
}

// /dev/null and /dev/full look-alikes: written in place, the node stays a device; a full device
// reports the system's reason.
void TstAtomicFile::characterDevices()
{
    if (::geteuid() != 0)
        QSKIP("making device nodes needs root");
    const std::string null = path("null"), full = path("full");
    QVERIFY(makeCharDevice(null, 3));
    QVERIFY(makeCharDevice(full, 7));
    m_cases += 3;
    writeFileAtomically(null, std::string(3 << 20, 'x')); // several pieces
    QCOMPARE(typeOf(null), mode_t(S_IFCHR));
    checkOutputWritable(null);
    checkOutputWritable(full); // writable: only the write itself finds the device full
    const std::string err =
        errorMessage<std::runtime_error>([&] { writeFileAtomically(full, "data"); });
    QCOMPARE(err, "cannot write " + full + ": No space left on device");
    QCOMPARE(typeOf(full), mode_t(S_IFCHR));
    QCOMPARE(entries(m_dir->path()), (QStringList{"full", "null"}));
}

void TstAtomicFile::fifoWrittenInPlace()
{
    ++m_cases;
    const std::string fifo = path("pipe");
    QVERIFY(::mkfifo(fifo.c_str(), 0600) == 0);
    const std::string text(200000, 'y'); // more than a pipe holds: the writer waits for reads
    std::string got;
    std::thread reader([&] {
        const int fd = ::open(fifo.c_str(), O_RDONLY | O_CLOEXEC);
        char buf[4096];
        for (ssize_t n; fd >= 0 && (n = ::read(fd, buf, sizeof buf)) > 0;)
            got.append(buf, static_cast<std::size_t>(n));
        if (fd >= 0)
            ::close(fd);
    });
    writeFileAtomically(fifo, text);
    reader.join();
    QCOMPARE(got.size(), text.size());
    QCOMPARE(typeOf(fifo), mode_t(S_IFIFO));
    QCOMPARE(entries(m_dir->path()), QStringList{"pipe"});
}

// /dev/stdout is a link to /proc/self/fd/1: such links name an open file, which is written in
// place. Checked with a link of our own to a pipe's write end.
void TstAtomicFile::procLinkWrittenInPlace()
{
    ++m_cases;
    int fds[2];
    QCOMPARE(::pipe(fds), 0);
    const std::string link = path("stdout-like");
    const std::string procPath = "/proc/self/fd/" + std::to_string(fds[1]);
    QVERIFY(::symlink(procPath.c_str(), link.c_str()) == 0);
    const OutputTarget t = resolveOutput(link);
    QVERIFY(t.direct);
    writeFileAtomically(link, "through the pipe");
    ::close(fds[1]);
    char buf[64] = {};
    const ssize_t n = ::read(fds[0], buf, sizeof buf);
    ::close(fds[0]);
    QCOMPARE(std::string(buf, static_cast<std::size_t>(std::max<ssize_t>(n, 0))),
             std::string("through the pipe"));
    QCOMPARE(typeOf(link), mode_t(S_IFLNK));
}

// A link is followed to its file, which is replaced atomically in its own directory; the link
// stays a link. A dangling link creates its target; a loop is an error.
void TstAtomicFile::symlinkWrittenThrough()
{
    m_cases += 4;
    QVERIFY(QDir(m_dir->path()).mkdir("sub"));
    const std::string target = path("sub/target.json"), link = path("link.json");
    write(target, "old");
    QVERIFY(::symlink("sub/target.json", link.c_str()) == 0); // relative to the link
    const std::string second = path("link2.json");
    QVERIFY(::symlink(link.c_str(), second.c_str()) == 0); // a chain
    writeFileAtomically(second, "new");
    QCOMPARE(readAll(target), std::string("new"));
    QCOMPARE(typeOf(link), mode_t(S_IFLNK));
    QCOMPARE(typeOf(second), mode_t(S_IFLNK));
    QCOMPARE(entries(m_dir->filePath("sub")), QStringList{"target.json"}); // no temporary left

    const std::string dangling = path("dangling.json");
    QVERIFY(::symlink("sub/created.json", dangling.c_str()) == 0);
    writeFileAtomically(dangling, "created");
    QCOMPARE(readAll(path("sub/created.json")), std::string("created"));
    QCOMPARE(typeOf(dangling), mode_t(S_IFLNK));

    const std::string loop = path("loop");
    QVERIFY(::symlink("loop", loop.c_str()) == 0);
    QVERIFY(errorMessage<std::runtime_error>([&] {
                writeFileAtomically(loop, "x");
            }).find("Too many levels") != std::string::npos);
    QCOMPARE(typeOf(loop), mode_t(S_IFLNK));
}

// A directory and a block device are refused, before and at the write, and stay as they were.
void TstAtomicFile::refusedTargets()
{
    m_cases += 3;
    QVERIFY(QDir(m_dir->path()).mkdir("dir"));
    const std::string dir = path("dir");
    QCOMPARE(errorMessage<std::runtime_error>([&] { writeFileAtomically(dir, "x"); }),
             "cannot write " + dir + ": Is a directory");
    QCOMPARE(errorMessage<std::runtime_error>([&] { checkOutputWritable(dir); }),
             "cannot write " + dir + ": Is a directory");
    const std::string inMissing = path("missing/out.json");
    QCOMPARE(errorMessage<std::runtime_error>([&] { writeFileAtomically(inMissing, "x"); }),
             "cannot write " + inMissing + ": No such file or directory");
    if (::geteuid() != 0)
        QSKIP("making a block device node needs root");
    ++m_cases;
    const std::string blk = path("disk");
    QVERIFY(::mknod(blk.c_str(), S_IFBLK | 0600, makedev(7, 250)) == 0); // a loop device number
    QVERIFY(errorMessage<std::runtime_error>([&] {
                writeFileAtomically(blk, "x");
            }).find("a block device") != std::string::npos);
    QVERIFY(errorMessage<std::runtime_error>([&] {
                checkOutputWritable(blk);
            }).find("a block device") != std::string::npos);
    QCOMPARE(typeOf(blk), mode_t(S_IFBLK));
}

// Names of 244 to 255 bytes (the file-name limit) can be written: the temporary's name is cut
// to fit. One byte more is refused by the check, before anything runs.
void TstAtomicFile::longNames()
{
    for (int len : {244, 250, 254, 255}) {
        ++m_cases;
        const std::string p =
            str(m_dir->path()) + "/" + std::string(static_cast<std::size_t>(len), 'n');
        checkOutputWritable(p);
        writeFileAtomically(p, "long");
        writeFileAtomically(p, "longer"); // and replaced
        QCOMPARE(readAll(p), std::string("longer"));
    }
    ++m_cases;
    const std::string tooLong = str(m_dir->path()) + "/" + std::string(256, 'n');
    QVERIFY(errorMessage<std::runtime_error>([&] {
                checkOutputWritable(tooLong);
            }).find("File name too long") != std::string::npos);
    QCOMPARE(entries(m_dir->path()).size(), 4);
}

void TstAtomicFile::setReplacedTogether()
{
    const std::string a = path("a.json"), b = path("b.csv"), c = path("c.npy");
    write(a, "old a");
    write(b, "old b");
    OutputSet set;
    set.add(a, "new a");
    set.add(b, "new b");
    set.add(c, "new c");
    QCOMPARE(readAll(a), std::string("old a")); // nothing replaced before commit
    QVERIFY(!QFile::exists(QString::fromStdString(c)));
    set.commit();
    QCOMPARE(readAll(a), std::string("new a"));
    QCOMPARE(readAll(b), std::string("new b"));
    QCOMPARE(readAll(c), std::string("new c"));
    QCOMPARE(entries(m_dir->path()), (QStringList{"a.json", "b.csv", "c.npy"}));
}

// The second output cannot be written (a full device; a missing directory): the first file is
// not replaced.
void TstAtomicFile::setFailsBeforeAnyRename()
{
    const std::string a = path("a.json");
    write(a, "old a");
    {
        ++m_cases;
        OutputSet set;
        set.add(a, "new a");
        QVERIFY(
            !errorMessage<std::runtime_error>([&] { set.add(path("none/b.csv"), "b"); }).empty());
    }
    QCOMPARE(readAll(a), std::string("old a"));
    if (::geteuid() == 0) {
        ++m_cases;
        const std::string full = path("full");
        QVERIFY(makeCharDevice(full, 7));
        OutputSet set;
        set.add(a, "new a");
        set.add(full, "b");
        QVERIFY(errorMessage<std::runtime_error>([&] {
                    set.commit();
                }).find("No space left on device") != std::string::npos);
        QCOMPARE(readAll(a), std::string("old a"));
        QVERIFY(::unlink(full.c_str()) == 0);
    }
    QCOMPARE(entries(m_dir->path()), QStringList{"a.json"});
}

// A rename that fails after others succeeded (the last target became a directory meanwhile):
// the files already replaced get their old contents back, the new ones are removed.
void TstAtomicFile::setRollsBackAFailedRename()
{
    ++m_cases;
    const std::string a = path("a.json"), b = path("b.csv"), c = path("c.txt");
    write(a, "old a");
    OutputSet set;
    set.add(a, "new a");
    set.add(b, "new b"); // new file
    set.add(c, "new c");
    QVERIFY(QDir(m_dir->path()).mkdir("c.txt"));
    QCOMPARE(errorMessage<std::runtime_error>([&] { set.commit(); }),
             "cannot write " + c + ": Is a directory");
    QCOMPARE(readAll(a), std::string("old a"));
    QVERIFY(!QFile::exists(QString::fromStdString(b)));
    QCOMPARE(typeOf(c), mode_t(S_IFDIR));
    QCOMPARE(entries(m_dir->path()), (QStringList{"a.json", "c.txt"}));
}

void TstAtomicFile::cancelled()
{
    ++m_cases;
    const std::string a = path("a.json");
    write(a, "old");
    std::atomic<bool> cancel{true};
    bool threw = false;
    try {
        writeFileAtomically(a, std::string(1 << 20, 'z'), &cancel);
    } catch (const WriteCancelled& e) {
        threw = true;
        QCOMPARE(std::string(e.what()), std::string("nothing written"));
    }
    QVERIFY(threw);
    QCOMPARE(readAll(a), std::string("old"));
    QCOMPARE(entries(m_dir->path()), QStringList{"a.json"});
}

// The temporary is an unnamed file until commit: a process that dies while writing (killed,
// crashed, a second Ctrl-C) leaves nothing in the directory.
void TstAtomicFile::killedWhileWritingLeavesNothing()
{
    ++m_cases;
    const std::string a = path("a.json");
    write(a, "old");
    const pid_t child = ::fork();
    QVERIFY(child >= 0);
    if (child == 0) {
        OutputSet set;
        set.add(a, std::string(8 << 20, 'k'));
        ::_exit(0); // dies with the temporary complete but not committed
    }
    int status = 0;
    QCOMPARE(::waitpid(child, &status, 0), child);
    QVERIFY(WIFEXITED(status));
    QCOMPARE(readAll(a), std::string("old"));
    QCOMPARE(entries(m_dir->path()), QStringList{"a.json"});
}

void TstAtomicFile::cleanupTestCase()
{
    qInfo("hostile output targets tried: %d", m_cases);
}

QTEST_GUILESS_MAIN(TstAtomicFile)
#include "tst_atomic_file.moc"
