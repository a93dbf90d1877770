// wignerscope-cli animate: the error contract of the other commands (exit 2 and one "error:
// --option: ..." line before any work, 3 beyond the memory budget, 130 on Ctrl-C with nothing
// left behind, also while the file is being encoded), and the outputs it writes (decoded).
#include "clitest.h"
#include "support/dir_entries.h"
#include "../render/decoded.h"

#include "ui/cli/animate.h"
#include "ui/cli/cli.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <string>
#include <vector>

#include <sys/types.h>

using namespace clitest;

namespace {

Result animate(const Args& args)
{
    ws::cli::RunEnv env;
    env.animate = ws::cli::runAnimateCommand;
    return clitest::cli(args, env);
}

} // namespace

class TestCliAnimate : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void badInput_data();
    void badInput();
    void hostileStrings();
    void memoryBudget();
    void writesEachFormat();
    void notInThisBuild();
    void help();
    void interruptedWhileComputing();
    void interruptedWhileEncoding();

private:
    std::string p(const char* name) const { return (m_dir.path() + "/" + name).toStdString(); }
    QStringList entries() const { return ws::test::dirEntries(m_dir.path()); }
    // The real program, Ctrl-C once its stderr shows `marker`: exits 130 at once (under half a
    // second of CPU after the signal: clitest::cpuAfterSignal), leaving no file in the directory.
    void interruptAt(const Args& args, const QRegularExpression& marker);

    QTemporaryDir m_dir;
};

void TestCliAnimate::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(QDir(m_dir.path()).mkpath("notes"));
    QFile note(m_dir.path() + "/notes/lecture.txt");
    QVERIFY(note.open(QIODevice::WriteOnly));
    QVERIFY(QDir(m_dir.path()).mkpath("adir.gif"));
}

void TestCliAnimate::badInput_data()
{
    QTest::addColumn<Args>("args");
    QTest::addColumn<QString>("names");
    const Args base{"animate", "--n", "200", "--from", "0.5", "--to", "3"};
    auto with = [&base](Args more) {
        Args a = base;
        a.insert(a.end(), more.begin(), more.end());
        return a;
    };
    const std::string gif = p("x.gif");
    QTest::newRow("no param") << with({"--out", gif}) << "error: --param: required";
    QTest::newRow("bad param") << with({"--param", "rho", "--out", gif})
                               << "error: --param: must be theta, n, alpha, sigma";
    QTest::newRow("param value missing")
        << with({"--param", "spikes:2", "--out", gif}) << "error: --param: spikes:2 names value 2";
    QTest::newRow("no from") << Args{"animate", "--n", "200",   "--param", "theta",
                                     "--to",    "3",   "--out", gif}
                             << "error: --from: required";
    QTest::newRow("from nan") << Args{"animate", "--n",  "200", "--param", "theta", "--from",
                                      "nan",     "--to", "3",   "--out",   gif}
                              << "error: --from: must be a finite number";
    QTest::newRow("frames 0") << with({"--param", "theta", "--frames", "0", "--out", gif})
                              << "error: --frames: must be an integer in [1, 1000]";
    QTest::newRow("frames 1001") << with({"--param", "theta", "--frames", "1001", "--out", gif})
                                 << "error: --frames:";
    QTest::newRow("bins 0") << with({"--param", "theta", "--bins", "0", "--out", gif})
                            << "error: --bins:";
    QTest::newRow("size tiny") << with({"--param", "theta", "--size", "12x12", "--out", gif})
                               << "error: --size: must be WxH";
    QTest::newRow("size text") << with({"--param", "theta", "--size", "big", "--out", gif})
                               << "error: --size:";
    QTest::newRow("size odd mp4") << with({"--param", "theta", "--size", "1281x720", "--out",
                                           p("x.mp4")})
                                  << "error: --size: an MP4 needs an even width and height";
    QTest::newRow("fps 0") << with({"--param", "theta", "--fps", "0", "--out", gif})
                           << "error: --fps:";
    QTest::newRow("fps 61") << with({"--param", "theta", "--fps", "61", "--out", gif})
                            << "error: --fps:";
    QTest::newRow("fps gif 55") << with({"--param", "theta", "--fps", "55", "--out", gif})
                                << "error: --fps: a GIF plays at most 50";
    QTest::newRow("no out") << with({"--param", "theta"}) << "error: --out: required";
    QTest::newRow("out txt") << with({"--param", "theta", "--out", p("x.txt")})
                             << "error: --out: must end in .gif or .mp4";
    QTest::newRow("out missing dir")
        << with({"--param", "theta", "--out", p("none/x.gif")}) << "error: --out: cannot write";
    QTest::newRow("out dir of notes")
        << with({"--param", "theta", "--out", p("notes/")}) << "error: --out: cannot write";
    QTest::newRow("out a directory as gif")
        << with({"--param", "theta", "--out", p("adir.gif")}) << "error: --out: cannot write";
    QTest::newRow("n 1") << Args{"animate", "--n",  "1", "--param", "theta", "--from",
                                 "1",       "--to", "2", "--out",   gif}
                         << "error: --n: must be an integer >= 2";
    QTest::newRow("sigma grid") << Args{"animate", "--n",  "200", "--param", "sigma", "--from",
                                        "0",       "--to", "2",   "--out",   gif}
                                << "error: --from: sigma must be > 0";
    QTest::newRow("log from 0") << Args{"animate", "--n",  "200", "--param", "n",     "--from",
                                        "0",       "--to", "400", "--log",   "--out", gif}
                                << "error: --from:";
    QTest::newRow("alpha above 1") << Args{"animate", "--n",  "200", "--param", "alpha", "--from",
                                           "0",       "--to", "1.5", "--out",   gif}
                                   << "error: --to: alpha must be in [0, 1]";
    QTest::newRow("banded not exact")
        << with({"--param", "theta", "--noise", "uniform", "--sampler", "banded", "--out", gif})
        << "error: --sampler: banded does not apply";
    QTest::newRow("unknown option") << with({"--param", "theta", "--bogus", "1", "--out", gif})
                                    << "error: unknown option '--bogus' for 'animate'";
    QTest::newRow("sweep option") << with({"--param", "theta", "--rank-one", "--out", gif})
                                  << "error: --rank-one: not an option of 'animate'";
    QTest::newRow("twice") << with({"--param", "theta", "--param", "n", "--out", gif})
                           << "error: --param: given more than once";
}

void TestCliAnimate::badInput()
{
    QFETCH(Args, args);
    QFETCH(QString, names);
    const QStringList before = entries();
    const Result r = animate(args);
    QVERIFY2(r.code == 2, describe(r).c_str());
    QVERIFY2(r.out.empty(), describe(r).c_str());
    QVERIFY2(r.err.find('\n') == r.err.size() - 1, describe(r).c_str()); // one line
    QVERIFY2(QString::fromStdString(r.err).startsWith(names), describe(r).c_str());
    QCOMPARE(entries(), before);
}

void TestCliAnimate::hostileStrings()
{
    // Every option of animate's own with strings that break parsers: exit 0 (the value was
    // valid: a tiny animation, removed again), or 2/3 with one error line naming the option;
    // never a crash, never a file left behind.
    std::vector<std::string> values;
    for (const char* v :
         {"",         " ",       "-",        "--",         "=",           ":",
          ",",        "/",       "nan",      "-nan",       "inf",         "-inf",
          "1e999",    "-1e999",  "1e-999",   "0",          "-0",          "-1",
          "1e308",    "-1e308",  "4.9e-324", "2147483648", "-2147483649", "18446744073709551616",
          "0x10",     "1e",      "e5",       ".",          "x",           "1x",
          "x1",       "0x0",     "4:3:2",    "16:10",      "spikes:",     "spikes:1:2",
          "bulk:1e3", "theta,n", "a.gif",    ".gif",       "a.mp4/",      "\xff\xfe",
          "\xc3",     "a\tb"})
        values.emplace_back(v);
    values.push_back(std::string(1, '\0'));
    values.push_back(std::string(3000, '9'));
    values.push_back("1920x" + std::string(400, '1'));
    const std::string out = p("h.gif");
    const std::vector<std::pair<std::string, Args>> options = {
        {"--param", {"--from", "1", "--to", "2"}},
        {"--from", {"--param", "theta", "--to", "2"}},
        {"--to", {"--param", "theta", "--from", "1"}},
        {"--frames", {"--param", "sigma", "--from", "1", "--to", "2"}},
        {"--bins", {"--param", "theta", "--from", "1", "--to", "2"}},
        {"--size", {"--param", "theta", "--from", "1", "--to", "2"}},
        {"--fps", {"--param", "theta", "--from", "1", "--to", "2"}},
        {"--out", {"--param", "theta", "--from", "1", "--to", "2"}}};
    const QStringList before = entries();
    int tried = 0;
    for (const auto& [option, rest] : options)
        for (const std::string& v : values) {
            Args args{"animate", "--n", "20", "--samples", "1"};
            args.insert(args.end(), rest.begin(), rest.end());
            if (option != "--frames")
                args.insert(args.end(), {"--frames", "2"});
            if (option != "--size")
                args.insert(args.end(), {"--size", "160x120"});
            if (option != "--out")
                args.insert(args.end(), {"--out", out});
            args.push_back(option + "=" + v);
            const Result r = animate(args);
            ++tried;
            const std::string what = option + "=" + v.substr(0, 40) + ": " + describe(r);
            if (r.code == 0) {
                QFile::remove(QString::fromStdString(out));
                QDir(m_dir.path() + "/a.mp4").removeRecursively();
                continue;
            }
            QVERIFY2(r.code == 2 || r.code == 3, what.c_str());
            QVERIFY2(r.out.empty() && r.err.rfind("error: ", 0) == 0 &&
                         r.err.find('\n') == r.err.size() - 1,
                     what.c_str());
            if (r.code == 2)
                QVERIFY2(r.err.find(option) != std::string::npos, what.c_str());
        }
    QCOMPARE(entries(), before);
    qInfo("hostile strings: %d option values tried", tried);
}

void TestCliAnimate::memoryBudget()
{
    // Dense N = 3000 frames do not fit 64 MiB: exit 3 before any frame, nothing written.
    const QStringList before = entries();
    const Result r =
        animate({"animate", "--n", "3000", "--sampler", "dense", "--param", "theta", "--from", "1",
                 "--to", "2", "--frames", "3", "--memory-budget", "64M", "--out", p("big.gif")});
    QVERIFY2(r.code == 3, describe(r).c_str());
    QVERIFY2(r.err.rfind("error: memory: the frame theta = 1 (N = 3000) needs about", 0) == 0,
             describe(r).c_str());
    QVERIFY(r.err.find("64.0 MiB") != std::string::npos);
    QCOMPARE(entries(), before);
    // The frame size counts too: 7680x4320 frames of an MP4 need more than 64 MiB even at N = 50.
    const Result big =
        animate({"animate", "--n", "50", "--param", "theta", "--from", "1", "--to", "2", "--frames",
                 "2", "--memory-budget", "64M", "--size", "7680x4320", "--out", p("big.mp4")});
    QVERIFY2(big.code == 3, describe(big).c_str());
    QCOMPARE(entries(), before);
}

void TestCliAnimate::writesEachFormat()
{
    // 6 frames at 480x270: the GIF and the MP4 decode to 6 frames of that size, the directory
    // holds 6 PNGs; the summary says what was written.
    const Args common{"animate", "--n",    "200",     "--param",  "theta", "--from",
                      "0.5",     "--to",   "3",       "--frames", "6",     "--samples",
                      "2",       "--size", "480x270", "--fps",    "12"};
    auto run = [&common](const std::string& out) {
        Args a = common;
        a.push_back("--out");
        a.push_back(out);
        return animate(a);
    };
    const Result g = run(p("talk.gif"));
    QVERIFY2(g.code == 0, describe(g).c_str());
    QVERIFY2(g.err.empty(), describe(g).c_str());
    QVERIFY(g.out.find("animation 6 frames, theta from 0.5 to 3, 2 samples per frame, seed 1") !=
            std::string::npos);
    QVERIFY(g.out.find("model     N = 200, rank-one spike, Gaussian noise") != std::string::npos);
    QVERIFY(g.out.find("GIF, 6 frames of 480x270 at 12 fps") != std::string::npos);
    const decoded::Gif gif = decoded::readGif(p("talk.gif"));
    QCOMPARE(gif.images, 6);
    QCOMPARE(gif.width, 480);
    QCOMPARE(gif.height, 270);
    const Result m = run(p("talk.mp4"));
    QVERIFY2(m.code == 0, describe(m).c_str());
    const decoded::Video video = decoded::readVideo(p("talk.mp4"));
    QCOMPARE(video.frames.size(), std::size_t(6));
    QCOMPARE(video.width, 480);
    const Result d = run(p("talk/"));
    QVERIFY2(d.code == 0, describe(d).c_str());
    QCOMPARE(QDir(m_dir.path() + "/talk").entryList(QDir::Files).size(), 6);
    for (const QString& e : entries())
        QVERIFY2(!e.startsWith('.'), qPrintable(e)); // no temporary left
}

void TestCliAnimate::notInThisBuild()
{
    const Result r = clitest::cli({"animate", "--n", "100"});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.rfind("error: animate: not in this build", 0) == 0);
}

void TestCliAnimate::help()
{
    const Result r = animate({"animate", "--help"});
    QCOMPARE(r.code, 0);
    QVERIFY(
        r.out.find("wignerscope-cli animate MODEL --param theta|n|alpha|sigma|spikes:K|bulk:K") !=
        std::string::npos);
}

void TestCliAnimate::interruptAt(const Args& args, const QRegularExpression& marker)
{
    const QString exe = QStringLiteral(WS_CLI_PATH);
    if (exe.isEmpty())
        QSKIP("wignerscope-cli not built");
    QTemporaryDir dir;
    QProcess proc;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("WIGNERSCOPE_PROGRESS", "1");
    proc.setProcessEnvironment(environment);
    proc.setWorkingDirectory(dir.path());
    proc.setReadChannel(QProcess::StandardError);
    QStringList qargs;
    for (const std::string& a : args)
        qargs << QString::fromStdString(a);
    proc.start(exe, qargs);
    QVERIFY(proc.waitForStarted());
    QString err;
    while (!marker.match(err).hasMatch() && proc.waitForReadyRead(30000))
        err += QString::fromUtf8(proc.readAllStandardError());
    QVERIFY2(marker.match(err).hasMatch(), qPrintable(err));
    const double after = cpuAfterSignal(proc, SIGINT);
    qInfo("%.3f s of CPU after the signal", after);
    // The frames in flight are finished (the encoder's own threads included): well under the
    // seconds that computing or encoding the rest would take.
    QVERIFY2(after < 0.5, qPrintable(QString::number(after) + " s of CPU after the signal"));
    QCOMPARE(proc.exitStatus(), QProcess::NormalExit);
    QCOMPARE(proc.exitCode(), 130);
    err += QString::fromUtf8(proc.readAllStandardError());
    QVERIFY2(err.contains("error: interrupted; nothing written"), qPrintable(err));
    QVERIFY(proc.readAllStandardOutput().isEmpty());
    const QStringList left = ws::test::dirEntries(dir.path());
    QVERIFY2(left.isEmpty(), qPrintable(left.join(", ")));
}

void TestCliAnimate::interruptedWhileComputing()
{
    // Dense frames at N = 1200 take seconds: Ctrl-C once the frames' progress line shows.
    interruptAt({"animate", "--n", "1200", "--sampler", "dense", "--param", "theta", "--from",
                 "0.5", "--to", "3", "--frames", "40", "--samples", "2", "--out", "demo.gif"},
                QRegularExpression("frames: "));
}

void TestCliAnimate::interruptedWhileEncoding()
{
    // 300 quick frames (banded), then seconds of 1080p H.264 encoding: Ctrl-C once frames are
    // in the encoder (the line shows a frame number from 1 on). The temporary MP4 is removed.
    interruptAt({"animate", "--n", "1000", "--param", "theta", "--from", "0.5", "--to", "3",
                 "--frames", "300", "--size", "1920x1080", "--out", "demo.mp4"},
                QRegularExpression("encoding: frame [1-9]"));
}

QTEST_MAIN(TestCliAnimate)
#include "tst_cli_animate.moc"
