// wignerscope-cli sweep: every grid point equals the sample command's run of that model with the
// same seed (bit for bit, through the JSON), CSV/JSON outputs, and the error contract (exit 2 with
// one "error:" line naming the option, 3 for resources, 130 interrupted, nothing written).
#include "clitest.h"
#include "ui/cli/args.h"
#include "ui/cli/cli.h"
#include "core/model/families.h"

#include <nlohmann/json.hpp>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QRegularExpression>
#include <QtTest>

#include <atomic>
#include <sstream>
#include <string>
#include <vector>

using json = nlohmann::json;
using namespace clitest;

namespace {

// The point's outliers against `sample --json` for the same model: identical numbers.
void compareWithSample(const json& point, const Args& modelArgs, const Args& runArgs)
{
    const Result s =
        cli(concat(concat(Args{"sample"}, modelArgs), concat(runArgs, {"--json", "-"})));
    QVERIFY2(s.code == 0, describe(s).c_str());
    const json single = json::parse(s.out);
    QCOMPARE(point["sampler"].get<std::string>(), single["sampler"].get<std::string>());
    QCOMPARE(point["samples"].get<int>(), single["samples"].get<int>());
    const json& a = point["outliers"];
    const json& b = single["outliers"];
    QCOMPARE(a.size(), b.size());
    for (std::size_t j = 0; j < a.size(); ++j)
        for (const char* key : {"theta", "finite_rank", "large_rank", "observed_mean",
                                "observed_sd", "observed_in_samples"})
            QVERIFY2(a[j][key] == b[j][key],
                     qPrintable(QString("spike %1 %2: %3 vs %4")
                                    .arg(j)
                                    .arg(key)
                                    .arg(QString::fromStdString(a[j][key].dump()))
                                    .arg(QString::fromStdString(b[j][key].dump()))));
    QVERIFY(point["intervals"].size() == single["intervals"].size());
    for (std::size_t k = 0; k < point["intervals"].size(); ++k)
        for (const char* key : {"a", "b", "label", "predicted_count", "observed_count"})
            QVERIFY(point["intervals"][k][key] == single["intervals"][k][key]);
}

} // namespace

class TestCliSweep : public QObject
{
    Q_OBJECT
private slots:
    void thetaPointsEqualSampleRuns();
    void nPointsEqualSampleRuns();
    void alphaSweepWithOverlaps();
    void csvAndSummary();
    void badInput_data();
    void badInput();
    void unwritableOutputsWriteNothing();
    void memoryBudget();
    void interrupted();
    void help();
};

void TestCliSweep::thetaPointsEqualSampleRuns()
{
    // Dense (a full-rank bulk): theta scales list:3,2 (strongest 3) to 2 and 4.
    const Args base{"--n", "120", "--spikes", "list:3,2", "--bulk", "uniform:-0.5,0.5"};
    const Args run{"--samples", "3", "--seed", "41"};
    const Result r = cli(
        concat(concat(Args{"sweep"}, base), concat(run, {"--param", "theta", "--from", "2", "--to",
                                                         "4", "--steps", "2", "--json", "-"})));
    QVERIFY2(r.code == 0, describe(r).c_str());
    const json j = json::parse(r.out);
    QCOMPARE(j["points"].size(), std::size_t(2));
    QVERIFY(j["sweep"]["values"] == json::array({2.0, 4.0}));
    // The model of each point as the JSON prints it (round-trip precision) is what `sample` runs.
    for (std::size_t i = 0; i < 2; ++i)
        compareWithSample(j["points"][i],
                          {"--n", "120", "--spikes",
                           j["points"][i]["model"]["spikes"].get<std::string>(), "--bulk",
                           "uniform:-0.5,0.5"},
                          run);
    QCOMPARE(j["points"][1]["outliers"][0]["theta"].get<double>(), 4.0);

    // Rank one (banded sampler, zero bulk).
    const Result r1 =
        cli({"sweep", "--n", "200", "--param", "theta", "--from", "0.5", "--to", "2.5", "--steps",
             "3", "--rank-one", "--samples", "2", "--seed", "3", "--json", "-"});
    QVERIFY2(r1.code == 0, describe(r1).c_str());
    const json j1 = json::parse(r1.out);
    for (std::size_t i = 0; i < 3; ++i) {
        const double theta = j1["points"][i]["value"].get<double>();
        compareWithSample(
            j1["points"][i],
            {"--n", "200", "--rank", "1", "--spikes", "equal:" + ws::core::formatDouble(theta)},
            {"--samples", "2", "--seed", "3"});
    }
}

void TestCliSweep::nPointsEqualSampleRuns()
{
    const Result r =
        cli({"sweep",     "--alpha", "0.5",    "--spikes", "equal:2.5", "--param", "n",
             "--from",    "100",     "--to",   "400",      "--steps",   "3",       "--log",
             "--samples", "2",       "--seed", "9",        "--json",    "-"});
    QVERIFY2(r.code == 0, describe(r).c_str());
    const json j = json::parse(r.out);
    QCOMPARE(j["points"].size(), std::size_t(3));
    for (const auto& p : j["points"]) {
        const int n = p["model"]["n"].get<int>();
        compareWithSample(p, {"--n", std::to_string(n), "--alpha", "0.5", "--spikes", "equal:2.5"},
                          {"--samples", "2", "--seed", "9"});
    }
    QVERIFY(j.contains("error_slopes"));
    QVERIFY(j["error_slopes"].contains("large_rank"));
    // The top-level model has no N of its own (each point's has), nor a rank that follows N.
    QVERIFY(j["model"]["n"].is_null());
    QVERIFY(j["model"]["rank"].is_null());
    QCOMPARE(j["model"]["alpha"].get<double>(), 0.5);
}

void TestCliSweep::alphaSweepWithOverlaps()
{
    const Result r =
        cli({"sweep", "--n", "150", "--spikes", "linear:2,4", "--param", "alpha", "--from", "0",
             "--to", "0.5", "--steps", "2", "--overlaps", "--samples", "2", "--json", "-"});
    QVERIFY2(r.code == 0, describe(r).c_str());
    const json j = json::parse(r.out);
    const json& p = j["points"][1];
    QCOMPARE(p["model"]["rank"].get<int>(), 13); // ceil(150^0.5)
    QCOMPARE(p["outliers"].size(), std::size_t(13));
    QVERIFY(p["outliers"][0]["overlap_mean"].is_number());
    const double o = p["outliers"][0]["overlap_mean"].get<double>();
    QVERIFY(o > 0.5 && o <= 1.0);
    QCOMPARE(p["predicted_outliers"]["large_rank"].get<int>() > 0, true);
    // Without --overlaps there are none.
    const Result q = cli({"sweep", "--n", "150", "--param", "alpha", "--from", "0", "--to", "0.5",
                          "--steps", "2", "--json", "-"});
    QVERIFY(!json::parse(q.out)["points"][0]["outliers"][0].contains("overlap_mean"));
}

void TestCliSweep::csvAndSummary()
{
    QTemporaryDir dir;
    const QString csv = dir.filePath("sweep.csv"), js = dir.filePath("sweep.json");
    const Result r = cli({"sweep", "--n", "100", "--param", "theta", "--from", "1", "--to", "3",
                          "--steps", "3", "--csv", csv.toStdString(), "--json", js.toStdString()});
    QVERIFY2(r.code == 0 && r.out.empty(), describe(r).c_str());
    QStringList lines = QString::fromStdString(readAll(csv)).split('\n', Qt::SkipEmptyParts);
    // Provenance first: version, model, seed, samples, date, the grid.
    QVERIFY(lines.front().startsWith("# wignerscope "));
    QCOMPARE(lines.filter(QRegularExpression("^# model: --n 100 --sigma ")).size(), 1);
    QCOMPARE(lines.filter(QRegularExpression("^# sweep: theta from 1 to 3, 3 steps")).size(), 1);
    QCOMPARE(
        lines.filter(QRegularExpression("^# date: \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$"))
            .size(),
        1);
    while (lines.front().startsWith('#'))
        lines.removeFirst();
    QCOMPARE(lines.size(), 4);
    QVERIFY(lines[0].startsWith("param,value,n,rank,samples"));
    QVERIFY(lines[1].startsWith("theta,1,100,1,1,"));
    QCOMPARE(json::parse(readAll(js))["points"].size(), std::size_t(3));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 2); // no leftovers

    // CSV on stdout; the table otherwise.
    const Result c = cli({"sweep", "--n", "100", "--param", "theta", "--from", "1", "--to", "3",
                          "--steps", "2", "--csv", "-"});
    QVERIFY(c.code == 0);
    QVERIFY(c.out.rfind("# wignerscope ", 0) == 0);
    QVERIFY(c.out.find("\nparam,value") != std::string::npos);
    const Result t =
        cli({"sweep", "--param", "n", "--from", "50", "--to", "200", "--steps", "3", "--log"});
    QVERIFY2(t.code == 0, describe(t).c_str());
    QVERIFY(t.out.find("slopes    log(error) vs log(N)") != std::string::npos);
    QVERIFY(t.out.find("3 points (log grid)") != std::string::npos);
    // An N sweep's provenance names no N of its own (the default 1000 here was never used).
    const Result n = cli({"sweep", "--param", "n", "--from", "50", "--to", "100", "--steps", "2",
                          "--samples", "1", "--csv", "-"});
    QVERIFY2(n.code == 0, describe(n).c_str());
    QVERIFY2(n.out.find("\n# model: --sigma 1 ") != std::string::npos, n.out.c_str());
    QVERIFY(n.out.find("--n 1000") == std::string::npos);
    QVERIFY(n.out.find("\n# sweep: n from 50 to 100, 2 steps\n") != std::string::npos);
}

void TestCliSweep::badInput_data()
{
    addRefusedColumns();
    const Args base{"sweep", "--n", "100"};
    QTest::newRow("no param") << concat(base, {"--from", "1", "--to", "2"}) << "--param";
    QTest::newRow("bad param") << concat(base, {"--param", "sigma", "--from", "1", "--to", "2"})
                               << "--param";
    QTest::newRow("no from") << concat(base, {"--param", "theta", "--to", "2"}) << "--from";
    QTest::newRow("no to") << concat(base, {"--param", "theta", "--from", "2"}) << "--to";
    QTest::newRow("from not a number")
        << concat(base, {"--param", "theta", "--from", "abc", "--to", "2"}) << "--from";
    QTest::newRow("to inf") << concat(base, {"--param", "theta", "--from", "1", "--to", "inf"})
                            << "--to";
    QTest::newRow("steps 0") << concat(base, {"--param", "theta", "--from", "1", "--to", "2",
                                              "--steps", "0"})
                             << "--steps";
    QTest::newRow("steps huge") << concat(base, {"--param", "theta", "--from", "1", "--to", "2",
                                                 "--steps", "100000"})
                                << "--steps";
    QTest::newRow("log from 0") << concat(base,
                                          {"--param", "theta", "--from", "0", "--to", "2", "--log"})
                                << "--from: a log grid";
    QTest::newRow("log with a value")
        << concat(base, {"--param", "theta", "--from", "1", "--to", "2", "--log=yes"})
        << "--log: takes no value";
    QTest::newRow("alpha out of range")
        << concat(base, {"--param", "alpha", "--from", "0", "--to", "2"}) << "--to: alpha";
    QTest::newRow("alpha with a list")
        << concat(base, {"--param", "alpha", "--from", "0", "--to", "1", "--spikes", "list:3,2"})
        << "--param: an alpha sweep";
    QTest::newRow("N below 2") << concat(base, {"--param", "n", "--from", "1", "--to", "100"})
                               << "--from: N must be";
    QTest::newRow("rank beyond N")
        << concat(base, {"--param", "n", "--from", "3", "--to", "100", "--rank", "5"})
        << "--from: at N = 3";
    // The middle point of 3 fails first, as far from both ends: --to is the end out of range.
    QTest::newRow("N beyond the limit")
        << concat(base, {"--param", "n", "--from", "100", "--to", "1e9", "--steps", "3"})
        << "--to: N must be in [2, 100000000], got 1e+09";
    QTest::newRow("rank-one with n")
        << concat(base, {"--param", "n", "--from", "10", "--to", "100", "--rank-one"})
        << "--rank-one";
    QTest::newRow("sample option")
        << concat(base, {"--param", "theta", "--from", "1", "--to", "2", "--bins", "10"})
        << "--bins: not an option of 'sweep'";
    QTest::newRow("csv and json on stdout")
        << concat(base,
                  {"--param", "theta", "--from", "1", "--to", "2", "--json", "-", "--csv", "-"})
        << "--csv";
    QTest::newRow("banded on a full-rank bulk")
        << concat(base, {"--param", "theta", "--from", "1", "--to", "2", "--bulk", "uniform:0,1",
                         "--sampler", "banded"})
        << "--sampler";
    QTest::newRow("zero spikes") << concat(base, {"--param", "theta", "--from", "1", "--to", "2",
                                                  "--spikes", "equal:0"})
                                 << "--spikes";
    QTest::newRow("theta option twice")
        << concat(base, {"--param", "theta", "--param", "n", "--from", "1", "--to", "2"})
        << "--param: given more than once";
}

void TestCliSweep::badInput()
{
    checkRefusedRow();
}

void TestCliSweep::unwritableOutputsWriteNothing()
{
    QTemporaryDir dir;
    const std::string js = dir.filePath("ok.json").toStdString();
    const Result r = cli({"sweep", "--n", "100", "--param", "theta", "--from", "1", "--to", "2",
                          "--json", js, "--csv", dir.filePath("missing/x.csv").toStdString()});
    QCOMPARE(r.code, 2);
    checkOneErrorLine(r, "cannot write");
    QVERIFY(!QFile::exists(QString::fromStdString(js)));
    const Result same = cli({"sweep", "--n", "100", "--param", "theta", "--from", "1", "--to", "2",
                             "--json", js, "--csv", dir.path().toStdString() + "/./ok.json"});
    QCOMPARE(same.code, 2);
    checkOneErrorLine(same, "--csv: same file as --json");
}

void TestCliSweep::memoryBudget()
{
    // Checked for every grid point before the first runs: exit 3, the point named.
    const Result r = cli({"sweep", "--param", "n", "--from", "100", "--to", "20000", "--steps", "2",
                          "--bulk", "uniform:-1,1", "--memory-budget", "512M"});
    QCOMPARE(r.code, 3);
    checkOneErrorLine(r, "N = 20000");
}

void TestCliSweep::interrupted()
{
    QTemporaryDir dir;
    const QString js = dir.filePath("never.json");
    std::atomic<bool> cancel{true};
    ws::cli::RunEnv env;
    env.cancel = &cancel;
    const Result r = cli({"sweep", "--n", "100", "--param", "theta", "--from", "1", "--to", "2",
                          "--json", js.toStdString()},
                         env);
    QCOMPARE(r.code, 130);
    QVERIFY(!QFile::exists(js));
    QVERIFY(r.err.find("interrupted") != std::string::npos);
}

void TestCliSweep::help()
{
    const Result r = cli({"--help"});
    QVERIFY(r.out.find("wignerscope-cli sweep   MODEL --param theta|n|alpha") != std::string::npos);
    const Result s = cli({"sweep", "--help"});
    QCOMPARE(s.code, 0);
}

QTEST_APPLESS_MAIN(TestCliSweep)
#include "tst_cli_sweep.moc"
