// Cluster runs (docs/cluster.md): `mpirun -np P wignerscope-cli sample|sweep|rect|animate ...`
// against the one-process run with the same seed. Outputs byte for byte identical for P = 2 and
// 3 (only the measured times differ: they are masked, the rest of each file is compared as
// bytes; the eigenvalue CSVs and the animations have no time in them and are compared whole); an
// error on one process ends every process with one message and the same status; the memory guard
// holds per process, rank 0's gather included; Ctrl-C stops every process (130, nothing written).
//
// How mpirun is started here (Open MPI 4.1, Debian 12, in a container as root):
// OMPI_ALLOW_RUN_AS_ROOT=1 and OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 (CI runs as root; without them
// mpirun refuses), --oversubscribe (more processes than the cores CTest or one_cpu.sh gives a
// test), --bind-to none (the sanitizer stage pins a test to one CPU: no binding to fight it) and
// -q (mpirun's own banners off: stderr holds what the program says). Nothing else was needed:
// OMPI_MCA_plm=isolated and btl_vader_single_copy_mechanism=none were not (shared memory works
// in this container).
#include "clitest.h"
#include "ui/cli/cluster.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <string>
#include <vector>

#include <sys/types.h>

namespace {

struct Run
{
    int code = -1;
    QByteArray out, err;
};

QString describe(const Run& r)
{
    return QString("exit %1\nstdout: %2\nstderr: %3")
        .arg(r.code)
        .arg(QString::fromUtf8(r.out.left(400)))
        .arg(QString::fromUtf8(r.err.left(800)));
}

QProcessEnvironment mpiEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("OMPI_ALLOW_RUN_AS_ROOT", "1");
    env.insert("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1");
    // The CSVs' "# date:" comment line from a fixed time, so that runs a second apart compare.
    env.insert("SOURCE_DATE_EPOCH", "1767225600");
    return env;
}

QStringList mpirunArgs(int processes, const QStringList& args)
{
    return QStringList{"-q",
                       "--oversubscribe",
                       "--bind-to",
                       "none",
                       "-np",
                       QString::number(processes),
                       QStringLiteral(WS_CLI_PATH)} +
           args;
}

// processes 1: the program itself, without mpirun (the reference).
Run runCli(int processes, const QStringList& args, const QString& dir)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    p.setProcessEnvironment(mpiEnvironment());
    if (processes == 1)
        p.start(QStringLiteral(WS_CLI_PATH), args);
    else
        p.start(QStandardPaths::findExecutable("mpirun"), mpirunArgs(processes, args));
    Run r;
    if (!p.waitForFinished(300000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

// The measured times of a JSON or CSV file replaced by "T": the only bytes that may differ.
QByteArray masked(const QByteArray& text, bool csv)
{
    QString s = QString::fromUtf8(text);
    // In-process runs (serialCluster) have no SOURCE_DATE_EPOCH: two runs a second apart differ
    // in the CSVs' "# date:" line (seen once in the asan stage).
    static const QRegularExpression date("^# date: .*$", QRegularExpression::MultilineOption);
    s.replace(date, "# date: T");
    if (csv) {
        // The sweep CSV's last column is `seconds`.
        QStringList lines = s.split('\n');
        for (int i = 1; i < lines.size(); ++i) {
            if (lines[i] == "# date: T")
                continue;
            const int comma = lines[i].lastIndexOf(',');
            if (comma >= 0)
                lines[i] = lines[i].left(comma) + ",T";
        }
        s = lines.join('\n');
    } else {
        static const QRegularExpression times("\"(total_s|per_sample_s|seconds)\": [-0-9.eE+]+");
        s.replace(times, "\"\\1\": T");
    }
    return s.toUtf8();
}

QByteArray readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

// Every entry of `dir` (output files, temporaries).
QStringList entries(const QString& dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
}

} // namespace

// The tests through mpirun need the program's MPI build; the split and the serial cluster do not.
#if WS_HAVE_MPI
#define REQUIRE_MPI()                                                                              \
    QVERIFY2(!QStandardPaths::findExecutable("mpirun").isEmpty(),                                  \
             "the build has MPI but mpirun is not on PATH (Debian: openmpi-bin)")
#else
#define REQUIRE_MPI()                                                                              \
    QSKIP("this build has no MPI (WS_MPI=OFF): wignerscope-cli cannot run on a cluster")
#endif

class TstCliMpi : public QObject
{
    Q_OBJECT

private slots:
    void split();
    void serialCluster();
    void identicalOutputs_data();
    void identicalOutputs();
    void errorOnOneProcess_data();
    void errorOnOneProcess();
    void gatherMemory();
    void interrupted();
};

void TstCliMpi::split()
{
    using ws::cli::splitWork;
    // Equal costs: round robin from the highest rank; every item has one owner.
    QCOMPARE(splitWork({1, 1, 1, 1, 1}, 3), std::vector<int>({2, 1, 0, 2, 1}));
    QCOMPARE(splitWork({1, 1}, 1), std::vector<int>({0, 0}));
    QCOMPARE(splitWork({}, 4), std::vector<int>());
    // An n sweep's costs (N^3): the first of the costliest items (sample 0 of the largest N) on
    // the highest rank, loads balanced: no
    // process above the mean load by more than the largest item.
    std::vector<double> cost;
    for (int n : {200, 400, 800, 1600})
        for (int k = 0; k < 3; ++k)
            cost.push_back(1e-9 * n * n * n);
    for (int p : {2, 3, 5}) {
        const std::vector<int> owner = splitWork(cost, p);
        QCOMPARE(owner[9], p - 1);
        std::vector<double> load(static_cast<std::size_t>(p), 0.0);
        double total = 0.0;
        for (std::size_t i = 0; i < cost.size(); ++i) {
            QVERIFY(owner[i] >= 0 && owner[i] < p);
            load[static_cast<std::size_t>(owner[i])] += cost[i];
            total += cost[i];
        }
        for (double l : load)
            QVERIFY(l <= total / p + cost.back() + 1e-9);
        QCOMPARE(splitWork(cost, p), owner); // deterministic
    }
    // The block codec reads back what was written and refuses a truncated block.
    ws::cli::BlockWriter w;
    w.putInt(-7);
    w.putDoubles({1.5, -0.0, 1e-300});
    w.putString("x\ny");
    const std::string block = w.take();
    ws::cli::BlockReader r(block);
    QCOMPARE(r.getInt(), std::int64_t(-7));
    QCOMPARE(r.getDoubles(), std::vector<double>({1.5, -0.0, 1e-300}));
    QCOMPARE(r.getString(), std::string("x\ny"));
    QVERIFY(r.atEnd());
    const std::string cut = block.substr(0, block.size() - 2);
    ws::cli::BlockReader t(cut);
    (void)t.getInt();
    (void)t.getDoubles();
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, t.getString());
}

void TstCliMpi::serialCluster()
{
    // The one-process cluster (what a build without MPI has): the same outputs as no cluster.
    ws::cli::SerialCluster one;
    ws::cli::RunEnv env;
    env.cluster = &one;
    const clitest::Args sample = {"sample", "--n", "60", "--samples", "3", "--eigenvalues", "-"};
    const clitest::Args sweep = {"sweep",  "--n",       "60",   "--param", "theta",
                                 "--from", "1",         "--to", "3",       "--steps",
                                 "3",      "--samples", "2",    "--csv",   "-"};
    for (const auto& args : {sample, sweep}) {
        const clitest::Result a = clitest::cli(args);
        const clitest::Result b = clitest::cli(args, env);
        QCOMPARE(b.code, 0);
        QCOMPARE(masked(QByteArray::fromStdString(b.out), args[0] == "sweep"),
                 masked(QByteArray::fromStdString(a.out), args[0] == "sweep"));
    }
    const clitest::Result bad = clitest::cli({"sample", "--n", "1"}, env);
    QCOMPARE(bad.code, 2);
    QVERIFY(bad.err.rfind("error: --n:", 0) == 0);
}

void TstCliMpi::identicalOutputs_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QStringList>("files"); // written by the run, compared; *.csv: sweep CSV
    // Samples that do not divide evenly over 2 or 3 processes; the dense sampler, and the banded
    // fast path (histogram from inertia counts, a second pass when an eigenvalue falls outside).
    QTest::newRow("sample dense")
        << QStringList{"sample", "--n", "300",           "--bulk", "uniform:-1,1", "--samples", "7",
                       "--seed", "5",   "--eigenvalues", "ev.csv", "--json",       "s.json"}
        << QStringList{"ev.csv", "s.json"};
    QTest::newRow("sample banded fast path")
        << QStringList{"sample", "--n", "20000",  "--samples", "4",
                       "--seed", "5",   "--json", "s.json"}
        << QStringList{"s.json"};
    QTest::newRow("theta sweep") << QStringList{"sweep",  "--n",     "200",  "--param",
                                                "theta",  "--from",  "0.5",  "--to",
                                                "3",      "--steps", "5",    "--samples",
                                                "3",      "--seed",  "2",    "--json",
                                                "w.json", "--csv",   "w.csv"}
                                 << QStringList{"w.json", "w.csv"};
    QTest::newRow("n sweep dense")
        << QStringList{"sweep",   "--param", "n",      "--from", "100",          "--to",      "400",
                       "--steps", "4",       "--log",  "--bulk", "uniform:-1,1", "--samples", "2",
                       "--seed",  "2",       "--json", "w.json", "--csv",        "w.csv"}
        << QStringList{"w.json", "w.csv"};
    // The eigenvector overlaps, a second pass over each point's samples, split with them.
    QTest::newRow("theta sweep overlaps")
        << QStringList{"sweep",  "--n",    "150",   "--param",    "theta",    "--from",
                       "0.5",    "--to",   "3",     "--steps",    "3",        "--samples",
                       "3",      "--seed", "4",     "--overlaps", "--spikes", "list:3,-2",
                       "--json", "w.json", "--csv", "w.csv"}
        << QStringList{"w.json", "w.csv"};
    QTest::newRow("rect sample") << QStringList{"rect",   "sample", "--n",       "120",
                                                "--c",    "1.5",    "--samples", "5",
                                                "--seed", "3",      "--json",    "r.json"}
                                 << QStringList{"r.json"};
    // Frames x samples, the GIF compared whole: frames from all eigenvalues, and frames of the
    // banded inertia path (histogram from inertia counts).
    QTest::newRow("animate all eigenvalues")
        << QStringList{"animate", "--n",    "100",      "--param", "theta",     "--from", "0.5",
                       "--to",    "3",      "--frames", "3",       "--samples", "3",      "--seed",
                       "2",       "--size", "160x120",  "--out",   "a.gif"}
        << QStringList{"a.gif"};
    QTest::newRow("animate inertia")
        << QStringList{"animate", "--n",    "4000",     "--param", "theta",     "--from", "1",
                       "--to",    "3",      "--frames", "2",       "--samples", "3",      "--seed",
                       "2",       "--size", "160x120",  "--out",   "b.gif"}
        << QStringList{"b.gif"};
    QTest::newRow("n sweep banded")
        << QStringList{"sweep",  "--param", "n",      "--from", "1000",      "--to",
                       "100000", "--steps", "4",      "--log",  "--samples", "2",
                       "--seed", "2",       "--json", "w.json", "--csv",     "w.csv"}
        << QStringList{"w.json", "w.csv"};
}

void TstCliMpi::identicalOutputs()
{
    REQUIRE_MPI();
    QFETCH(QStringList, args);
    QFETCH(QStringList, files);
    QTemporaryDir one;
    const Run ref = runCli(1, args, one.path());
    if (args[0] == "animate" && ref.err.contains("not in this build"))
        QSKIP("this wignerscope-cli has no animate (a build without the GUI libraries)");
    QVERIFY2(ref.code == 0, qPrintable(describe(ref)));
    for (int processes : {2, 3}) {
        QTemporaryDir dir;
        const Run r = runCli(processes, args, dir.path());
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        QVERIFY2(r.err.isEmpty(), qPrintable(describe(r)));
        QCOMPARE(entries(dir.path()), entries(one.path())); // nothing else, no temporaries
        for (const QString& f : files) {
            const QByteArray a = readFile(one.path() + "/" + f);
            const QByteArray b = readFile(dir.path() + "/" + f);
            const bool sweepCsv = f == "w.csv";
            const QString what = QString("%1 differs with P = %2").arg(f).arg(processes);
            if (sweepCsv || f.endsWith(".json")) // times masked
                QVERIFY2(masked(a, sweepCsv) == masked(b, sweepCsv), qPrintable(what));
            else // eigenvalues, animations: no time in them at all
                QVERIFY2(a == b, qPrintable(what));
            QVERIFY(a.size() > 100);
        }
    }
}

void TstCliMpi::errorOnOneProcess_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("start"); // of the one stderr line
    // The largest N of an n sweep exceeds the budget (--threads 1, so the estimate is the same
    // in every process). The split puts the costliest points on the highest ranks (rank 0 also
    // sums up and writes): the point N = 1600 is drawn by rank P - 1, the only one that fails.
    QTest::newRow("memory of the largest N on the last rank")
        << QStringList{"sweep", "--param",   "n", "--from",          "200",          "--to",
                       "1600",  "--steps",   "4", "--bulk",          "uniform:-1,1", "--samples",
                       "1",     "--threads", "1", "--memory-budget", "20M",          "--csv",
                       "w.csv"}
        << 3 << "error: memory: the grid point N = 1600 needs about";
    // The memory guard per process: a sample run whose N fits no process.
    QTest::newRow("memory of every process")
        << QStringList{"sample",    "--n",    "3000",      "--sampler", "dense",
                       "--samples", "6",      "--threads", "1",         "--memory-budget",
                       "30M",       "--json", "s.json"}
        << 3 << "error: memory: this run needs about";
    QTest::newRow("memory of every process, rect") << QStringList{"rect",
                                                                  "sample",
                                                                  "--n",
                                                                  "3000",
                                                                  "--c",
                                                                  "1",
                                                                  "--samples",
                                                                  "4",
                                                                  "--threads",
                                                                  "1",
                                                                  "--memory-budget",
                                                                  "30M",
                                                                  "--json",
                                                                  "r.json"}
                                                   << 3 << "error: memory: this run needs about";
    QTest::newRow("unwritable animation (checked by rank 0)")
        << QStringList{"animate", "--n",       "50",   "--param", "theta",
                       "--from",  "1",         "--to", "2",       "--frames",
                       "2",       "--samples", "1",    "--out",   "no/such/dir/a.gif"}
        << 2 << "error: --out: cannot write no/such/dir/a.gif";
    QTest::newRow("bad input") << QStringList{"sweep", "--n",  "1", "--param", "theta", "--from",
                                              "1",     "--to", "2", "--csv",   "w.csv"}
                               << 2 << "error: --n: must be an integer >= 2";
    QTest::newRow("unwritable output (checked by rank 0)")
        << QStringList{"sample", "--n", "50", "--samples", "3", "--json", "no/such/dir/s.json"} << 2
        << "error: cannot write no/such/dir/s.json";
}

void TstCliMpi::errorOnOneProcess()
{
    REQUIRE_MPI();
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, start);
    for (int processes : {1, 2, 3}) {
        QTemporaryDir dir;
        const Run r = runCli(processes, args, dir.path());
        QVERIFY2(r.code == code, qPrintable(describe(r)));
        QVERIFY2(r.out.isEmpty(), qPrintable(describe(r)));
        // One line, rank 0's, whatever process failed.
        QVERIFY2(r.err.startsWith(start.toUtf8()), qPrintable(describe(r)));
        QVERIFY2(r.err.count('\n') == 1 && r.err.endsWith('\n'), qPrintable(describe(r)));
        QVERIFY2(entries(dir.path()).isEmpty(), qPrintable(entries(dir.path()).join(' ')));
    }
}

void TstCliMpi::gatherMemory()
{
    REQUIRE_MPI();
    // 3000 samples of N = 40: one process keeps their eigenvalues once (about 1.2 MB, and its
    // sampler's little), so 2 MB is enough; rank 0 of a cluster run holds them twice while it
    // sums up (the blocks received, the results in sample order), 2.3 MB: refused up front, with
    // exit 3 and what to lower, whatever the number of processes.
    const QStringList args = {"sample",    "--n",    "40",        "--sampler", "dense",
                              "--samples", "3000",   "--threads", "1",         "--memory-budget",
                              "2M",        "--json", "s.json"};
    QTemporaryDir one;
    const Run ref = runCli(1, args, one.path());
    QVERIFY2(ref.code == 0, qPrintable(describe(ref)));
    for (int processes : {2, 3}) {
        QTemporaryDir dir;
        const Run r = runCli(processes, args, dir.path());
        QVERIFY2(r.code == 3, qPrintable(describe(r)));
        QVERIFY2(r.err.startsWith("error: memory: rank 0 gathers every sample's results, about "),
                 qPrintable(describe(r)));
        QVERIFY2(r.err.contains("lower N or --samples, or raise --memory-budget"),
                 qPrintable(describe(r)));
        QVERIFY2(r.err.count('\n') == 1, qPrintable(describe(r)));
        QVERIFY2(entries(dir.path()).isEmpty(), qPrintable(entries(dir.path()).join(' ')));
    }
}

void TstCliMpi::interrupted()
{
    REQUIRE_MPI();
    // Ctrl-C in a terminal sends SIGINT to every process of the foreground group: mpirun and
    // the program's processes. Here it goes to the processes (mpirun's children), as soon as
    // rank 0 says the computation has begun: every process stops at once, mpirun reports 130,
    // rank 0's one line, nothing written.
    QTemporaryDir dir;
    QProcess p;
    p.setWorkingDirectory(dir.path());
    QProcessEnvironment env = mpiEnvironment();
    env.insert("WIGNERSCOPE_PROGRESS", "1");
    p.setProcessEnvironment(env);
    QSignalSpy started(&p, &QProcess::readyReadStandardError);
    p.start(QStandardPaths::findExecutable("mpirun"),
            mpirunArgs(3, {"sweep", "--param", "n", "--from", "1000", "--to", "3000", "--steps",
                           "6", "--samples", "4", "--bulk", "uniform:-1,1", "--threads", "1",
                           "--csv", "w.csv"}));
    QVERIFY(p.waitForStarted());
    QVERIFY(started.wait(60000)); // rank 0's progress line: the processes are computing
    // The program's processes: mpirun's children.
    std::vector<pid_t> ranks;
    const QString mpirun = QString::number(p.processId());
    for (const QString& pid : QDir("/proc").entryList(QDir::Dirs)) {
        QFile stat("/proc/" + pid + "/stat");
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QString s = QString::fromUtf8(stat.readAll());
        const QStringList fields = s.mid(s.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 1 && fields[1] == mpirun)
            ranks.push_back(static_cast<pid_t>(pid.toLong()));
    }
    QCOMPARE(static_cast<int>(ranks.size()), 3);
    for (pid_t pid : ranks)
        ::kill(pid, SIGINT);
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 130);
    const QByteArray err = p.readAllStandardError();
    const QByteArray last = err.mid(err.lastIndexOf('\r') + 1).trimmed();
    QVERIFY2(last.endsWith("error: interrupted; nothing written"), err.constData());
    QCOMPARE(err.count("error:"), 1);
    QVERIFY2(entries(dir.path()).isEmpty(), qPrintable(entries(dir.path()).join(' ')));
}

QTEST_GUILESS_MAIN(TstCliMpi)
#include "tst_cli_mpi.moc"
