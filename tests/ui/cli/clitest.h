#pragma once
// Shared helpers of the CLI tests: run ws::cli::run in-process and capture its outputs, describe
// a result for a failure message, and check the error contract (nothing on stdout, exactly one
// line "error: ..." on stderr naming what was wrong).
#include "ui/cli/cli.h"

#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QFile>
#include <QString>
#include <QStringList>
#include <QtTest>

#include <csignal>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

namespace clitest {

// A command line; usable as a QTest column as it is (Qt declares std::vector<T> a metatype).
using Args = std::vector<std::string>;

struct Result
{
    int code = -1;
    std::string out, err;
};

inline Result cli(const Args& args, const ws::cli::RunEnv& env = {})
{
    std::ostringstream out, err;
    Result r;
    r.code = ws::cli::run(args, out, err, env);
    r.out = out.str();
    r.err = err.str();
    return r;
}

inline std::string readAll(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return "<unreadable>";
    return f.readAll().toStdString();
}

// a followed by b.
inline Args concat(Args a, const Args& b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// The exit code and the first `limit` characters of each stream, for a failure message.
inline std::string describe(const Result& r, std::size_t limit = 800)
{
    return "exit " + std::to_string(r.code) + "\nstdout: " + r.out.substr(0, limit) +
           "\nstderr: " + r.err.substr(0, limit);
}

// The same, after the arguments (each cut at 80 characters).
inline std::string describe(const Args& args, const Result& r)
{
    std::string a;
    for (const auto& s : args)
        a += (s.size() > 80 ? s.substr(0, 80) + "..." : s) + ' ';
    return "args: " + a + '\n' + describe(r, 300);
}

// The error contract: nothing on stdout, exactly one short line "error: ..." on stderr.
inline bool oneErrorLine(const Result& r)
{
    return r.out.empty() && r.err.rfind("error: ", 0) == 0 && !r.err.empty() &&
           r.err.back() == '\n' && r.err.find('\n') == r.err.size() - 1 && r.err.size() < 600;
}

// The error contract, and the line names `mustContain` (a parameter, a file, a reason).
inline void checkOneErrorLine(const Result& r, const QString& mustContain)
{
    QVERIFY2(oneErrorLine(r), describe(r).c_str());
    QVERIFY2(QString::fromStdString(r.err).contains(mustContain),
             qPrintable("'" + QString::fromStdString(r.err) + "' does not name " + mustContain));
}

inline void checkOneErrorLine(const Result& r, const std::string& mustContain)
{
    checkOneErrorLine(r, QString::fromStdString(mustContain));
}

inline void checkOneErrorLine(const Result& r, const char* mustContain)
{
    checkOneErrorLine(r, QString::fromUtf8(mustContain));
}

// A table of command lines the CLI must refuse as usage errors: addRefusedColumns() in the _data
// function (the arguments, and what the error line must name), checkRefusedRow() in the test.
inline void addRefusedColumns()
{
    QTest::addColumn<Args>("args");
    QTest::addColumn<QString>("names");
}

// The current row's command line: exit 2 and the error contract, the line naming the row's names.
inline void checkRefusedRow()
{
    QFETCH(Args, args);
    QFETCH(QString, names);
    const Result r = cli(args);
    QVERIFY2(r.code == 2, describe(args, r).c_str());
    QVERIFY2(oneErrorLine(r), describe(args, r).c_str());
    QVERIFY2(QString::fromStdString(r.err).contains(names),
             qPrintable("'" + QString::fromStdString(r.err) + "' does not name " + names));
}

// Temporary files a writer may have left in `dir` (the atomic writer's and the probe's).
inline QStringList leftovers(const QString& dir)
{
    return QDir(dir).entryList({"*.tmp-*", ".wignerscope-probe-*"},
                               QDir::Files | QDir::Hidden | QDir::System);
}

// The fields of /proc/<pid>/stat after the command name, from the state (field 3) on; empty if
// the process is gone. The name is cut at the last ')': it may contain spaces and parentheses.
inline std::string procStatFields(qint64 pid)
{
    std::ifstream in(QStringLiteral("/proc/%1/stat").arg(pid).toStdString());
    std::string stat;
    std::getline(in, stat); // one line
    const auto paren = stat.rfind(')');
    return paren == std::string::npos || paren + 2 >= stat.size() ? std::string()
                                                                  : stat.substr(paren + 2);
}

// CPU seconds (user + system) a running process has used so far, from /proc/<pid>/stat; -1 if
// it cannot be read.
inline double cpuSeconds(qint64 pid)
{
    const std::string stat = procStatFields(pid);
    if (stat.empty())
        return -1.0;
    std::istringstream fields(stat);
    std::string f;
    double utime = 0.0, stime = 0.0;
    for (int i = 3; i <= 15 && fields >> f; ++i) { // fields 14 and 15: utime, stime (ticks)
        if (i == 14)
            utime = std::stod(f);
        if (i == 15)
            stime = std::stod(f);
    }
    return (utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// CPU seconds (user + system) of this process's children that have ended and been waited for
// (QProcess waits for its process before waitForFinished returns).
inline double childrenCpuSeconds()
{
    rusage u{};
    ::getrusage(RUSAGE_CHILDREN, &u);
    const auto secs = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) * 1e-6; };
    return secs(u.ru_utime) + secs(u.ru_stime);
}

// Waits (at most a minute) until the process, sent SIGSTOP, is stopped: state 'T' in
// /proc/<pid>/stat. Its CPU time then no longer grows.
inline bool waitForStopped(qint64 pid)
{
    QElapsedTimer wait;
    wait.start();
    while (wait.elapsed() < 60000) {
        if (procStatFields(pid).starts_with('T'))
            return true;
        QTest::qSleep(1);
    }
    return false;
}

// Waits until the process has used `seconds` of CPU (it is then past its start-up, signal
// handlers installed, and into its work, however loaded the machine is) or has ended; at most
// a minute of wall time. True if it is still running.
inline bool waitForCpu(QProcess& p, double seconds)
{
    QElapsedTimer wait;
    wait.start();
    while (cpuSeconds(p.processId()) < seconds && p.state() == QProcess::Running &&
           wait.elapsed() < 60000)
        QTest::qSleep(5);
    return p.state() == QProcess::Running;
}

// The CPU time the running process `p` uses from `signal` until its exit (seconds; +infinity if
// it could not be stopped or did not end within a minute). "Exits at once" measured this way
// does not depend on the machine's load, as a wall-clock bound would: the process is stopped
// (SIGSTOP) while its CPU time is read and the signal sent, then continued; its CPU time after
// that comes from the rusage of the children the test has waited for. A process that went on
// computing would use seconds.
inline double cpuAfterSignal(QProcess& p, int signal)
{
    const auto pid = static_cast<pid_t>(p.processId());
    const double children = childrenCpuSeconds();
    ::kill(pid, SIGSTOP);
    if (!waitForStopped(pid))
        return std::numeric_limits<double>::infinity();
    const double before = cpuSeconds(pid);
    ::kill(pid, signal);
    ::kill(pid, SIGCONT);
    if (!p.waitForFinished(60000))
        return std::numeric_limits<double>::infinity();
    return childrenCpuSeconds() - children - before;
}

} // namespace clitest
