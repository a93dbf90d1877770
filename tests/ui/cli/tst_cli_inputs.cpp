// Every input of wignerscope-cli outside its valid range (README "Valid input"): exit 2 and one
// line "error: ..." naming the parameter, exit 3 with the largest N that fits for runs beyond the
// memory budget, nothing written in either case. tst_cli's badInput covers the first value
// classes of each option; this file adds the rest: NaN/inf/overflow/underflow spellings, empty
// and malformed lists, values beyond the caps, hostile session files (wrong types, missing
// fields, deep nesting, huge arrays, invalid UTF-8), unreadable and unwritable paths, the memory
// guard of every sampler, plus a sweep of hostile strings through every option. Each test counts
// the inputs it tried (printed with qInfo) for the reliability report.
#include "clitest.h"
#include "support/hostile_session_rows.h"
#include "ui/cli/cli.h"
#include "core/io/session.h"

#include <nlohmann/json.hpp>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <csignal>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

using json = nlohmann::json;
using namespace clitest;

namespace {

void writeFile(const QString& path, const std::string& contents)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(contents.data(), static_cast<qint64>(contents.size())),
             static_cast<qint64>(contents.size()));
}

QStringList filesIn(const QString& dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::System);
}

// Every number in a JSON document is finite (nlohmann writes NaN/inf as null, so look for
// nulls where numbers belong is not enough; this checks the numbers that are there).
bool allFinite(const json& j)
{
    if (j.is_number_float())
        return std::isfinite(j.get<double>());
    if (j.is_structured())
        for (const auto& v : j)
            if (!allFinite(v))
                return false;
    return true;
}

std::string session(const std::string& model, const std::string& rest = "")
{
    return ws::testing::sessionText(model, rest);
}

const Args kSample{"sample", "--n", "20"};
const Args kTheory{"theory", "--n", "20"};

int g_tried = 0; // bad inputs tried by this executable (printed at the end)

} // namespace

class TstCliInputs : public QObject
{
    Q_OBJECT

private slots:
    void badValues_data();
    void badValues();
    void hostileStringsEveryOption();
    void extremeButValid_data();
    void extremeButValid();
    void memoryGuardEverySampler_data();
    void memoryGuardEverySampler();
    void hostileSession_data();
    void hostileSession();
    void sessionPaths();
    void sessionHugeButValid();
    void unwritablePaths();
    void executable();
    void interruptLatency();
    void cleanupTestCase();
};

void TstCliInputs::badValues_data()
{
    addRefusedColumns();
    const Args& s = kSample;
    const Args& t = kTheory;
    const std::string longWord(5000, 'a');
    std::string manyValues = "list:";
    for (int i = 0; i < 100000; ++i)
        manyValues.append(i ? "," : "").append(std::to_string(i % 7));

    // --n
    QTest::newRow("n above the cap") << Args{"theory", "--n", "100000001"} << "--n";
    QTest::newRow("n hex") << Args{"theory", "--n", "0x10"} << "--n";
    QTest::newRow("n decimal comma") << Args{"theory", "--n", "1,5"} << "--n";
    QTest::newRow("n blank") << Args{"theory", "--n", " "} << "--n";
    QTest::newRow("n sign only") << Args{"theory", "--n", "+"} << "--n";
    QTest::newRow("n minus zero") << Args{"theory", "--n", "-0"} << "--n";
    QTest::newRow("n -inf") << Args{"theory", "--n", "-inf"} << "--n";
    QTest::newRow("n arabic digits") << Args{"theory", "--n", "\xd9\xa1\xd9\xa0\xd9\xa0"} << "--n";
    QTest::newRow("n 1e16") << Args{"theory", "--n", "1e16"} << "--n";
    // --sigma
    QTest::newRow("sigma minus zero") << concat(t, {"--sigma", "-0"}) << "--sigma";
    QTest::newRow("sigma -inf") << concat(t, {"--sigma", "-inf"}) << "--sigma";
    QTest::newRow("sigma infinity") << concat(t, {"--sigma", "infinity"}) << "--sigma";
    QTest::newRow("sigma nan payload") << concat(t, {"--sigma", "nan(123)"}) << "--sigma";
    QTest::newRow("sigma underflow") << concat(t, {"--sigma", "1e-400"}) << "--sigma";
    QTest::newRow("sigma decimal comma") << concat(t, {"--sigma", "1,5"}) << "--sigma";
    QTest::newRow("sigma hex float") << concat(t, {"--sigma", "0x1p-3"}) << "--sigma";
    QTest::newRow("sigma empty") << concat(t, {"--sigma="}) << "--sigma";
    QTest::newRow("sigma two numbers") << concat(t, {"--sigma", "1 2"}) << "--sigma";
    // --noise
    QTest::newRow("noise empty") << concat(t, {"--noise="}) << "--noise";
    QTest::newRow("noise nu inf") << concat(t, {"--noise", "student-t:inf"}) << "--noise";
    QTest::newRow("noise nu missing") << concat(t, {"--noise", "student-t"}) << "--noise";
    QTest::newRow("noise nu empty") << concat(t, {"--noise", "student-t:"}) << "--noise";
    QTest::newRow("noise nu two values") << concat(t, {"--noise", "student-t:3,4"}) << "--noise";
    QTest::newRow("noise nu below 2") << concat(t, {"--noise", "student-t:-5"}) << "--noise";
    QTest::newRow("noise gaussian with value") << concat(t, {"--noise", "gaussian:1"}) << "--noise";
    QTest::newRow("noise p zero") << concat(t, {"--noise", "sparse:0"}) << "--noise";
    QTest::newRow("noise p negative") << concat(t, {"--noise", "sparse:-0.5"}) << "--noise";
    QTest::newRow("noise p huge") << concat(t, {"--noise", "sparse:1e300"}) << "--noise";
    QTest::newRow("noise long word") << concat(t, {"--noise", longWord}) << "--noise";
    QTest::newRow("noise newline") << concat(t, {"--noise", "gauss\nian"}) << "--noise";
    QTest::newRow("noise colon only") << concat(t, {"--noise", ":"}) << "--noise";
    // --alpha / --rank
    QTest::newRow("alpha inf") << concat(t, {"--alpha", "inf"}) << "--alpha";
    QTest::newRow("alpha empty") << concat(t, {"--alpha="}) << "--alpha";
    QTest::newRow("alpha two dots") << concat(t, {"--alpha", "0.5.5"}) << "--alpha";
    QTest::newRow("alpha just above 1") << concat(t, {"--alpha", "1.0000001"}) << "--alpha";
    QTest::newRow("rank huge") << concat(t, {"--rank", "1e100"}) << "--rank";
    QTest::newRow("rank fractional") << concat(t, {"--rank", "2.5"}) << "--rank";
    QTest::newRow("rank negative") << concat(t, {"--rank", "-3"}) << "--rank";
    QTest::newRow("rank beyond int") << concat(t, {"--rank", "3000000000"}) << "--rank";
    QTest::newRow("rank nan") << concat(t, {"--rank", "nan"}) << "--rank";
    // --spikes
    QTest::newRow("spikes empty") << concat(t, {"--spikes="}) << "--spikes";
    QTest::newRow("spikes empty item") << concat(t, {"--spikes", "list:1,,2"}) << "--spikes";
    QTest::newRow("spikes trailing comma") << concat(t, {"--spikes", "list:1,2,"}) << "--spikes";
    QTest::newRow("spikes comma only") << concat(t, {"--spikes", "list:,"}) << "--spikes";
    QTest::newRow("spikes equal empty") << concat(t, {"--spikes", "equal:"}) << "--spikes";
    QTest::newRow("spikes equal two") << concat(t, {"--spikes", "equal:1,2"}) << "--spikes";
    QTest::newRow("spikes linear one") << concat(t, {"--spikes", "linear:1"}) << "--spikes";
    QTest::newRow("spikes linear span overflow")
        << concat(t, {"--spikes", "linear:-1e308,1e308", "--rank", "3"}) << "--spikes";
    QTest::newRow("spikes list nan") << concat(t, {"--spikes", "list:1,nan"}) << "--spikes";
    QTest::newRow("spikes list -inf") << concat(t, {"--spikes", "list:-inf"}) << "--spikes";
    QTest::newRow("spikes list overflow") << concat(t, {"--spikes", "list:1e999"}) << "--spikes";
    QTest::newRow("spikes power negative decay")
        << concat(t, {"--spikes", "power:3,-1"}) << "--spikes";
    QTest::newRow("spikes no family") << concat(t, {"--spikes", ":3"}) << "--spikes";
    QTest::newRow("spikes space for colon") << concat(t, {"--spikes", "equal 3"}) << "--spikes";
    QTest::newRow("spikes list longer than N") << concat(t, {"--spikes", manyValues}) << "--spikes";
    QTest::newRow("spikes semicolons") << concat(t, {"--spikes", "list:1;2"}) << "--spikes";
    // --bulk
    QTest::newRow("bulk empty") << concat(t, {"--bulk="}) << "--bulk";
    QTest::newRow("bulk unknown") << concat(t, {"--bulk", "gaussian"}) << "--bulk";
    QTest::newRow("bulk uniform span overflow")
        << concat(t, {"--bulk", "uniform:-1e308,1e308"}) << "--bulk";
    QTest::newRow("bulk uniform one value") << concat(t, {"--bulk", "uniform:1"}) << "--bulk";
    QTest::newRow("bulk semicircle negative") << concat(t, {"--bulk", "semicircle:-1"}) << "--bulk";
    QTest::newRow("bulk semicircle inf") << concat(t, {"--bulk", "semicircle:inf"}) << "--bulk";
    QTest::newRow("bulk twopoint p negative")
        << concat(t, {"--bulk", "twopoint:0,1,-0.1"}) << "--bulk";
    QTest::newRow("bulk twopoint two values") << concat(t, {"--bulk", "twopoint:1,2"}) << "--bulk";
    QTest::newRow("bulk empty list") << concat(t, {"--bulk", "list:"}) << "--bulk";
    QTest::newRow("bulk list nan") << concat(t, {"--bulk", "list:0,nan"}) << "--bulk";
    QTest::newRow("bulk zero with value") << concat(t, {"--bulk", "zero:1"}) << "--bulk";
    // --eigvecs
    QTest::newRow("eigvecs empty") << concat(t, {"--eigvecs="}) << "--eigvecs";
    QTest::newRow("eigvecs with value") << concat(t, {"--eigvecs", "haar:1"}) << "--eigvecs";
    // --memory-budget
    QTest::newRow("budget beyond 64 bits")
        << concat(t, {"--memory-budget", "1e30"}) << "--memory-budget";
    QTest::newRow("budget inf") << concat(t, {"--memory-budget", "inf"}) << "--memory-budget";
    QTest::newRow("budget nan") << concat(t, {"--memory-budget", "nan"}) << "--memory-budget";
    QTest::newRow("budget bad suffix") << concat(t, {"--memory-budget", "1X"}) << "--memory-budget";
    QTest::newRow("budget suffix only") << concat(t, {"--memory-budget", "K"}) << "--memory-budget";
    QTest::newRow("budget negative with suffix")
        << concat(t, {"--memory-budget", "-1K"}) << "--memory-budget";
    QTest::newRow("budget below one byte")
        << concat(t, {"--memory-budget", "0.1"}) << "--memory-budget";
    QTest::newRow("budget empty") << concat(t, {"--memory-budget="}) << "--memory-budget";
    // --samples / --seed / --threads / --sampler
    QTest::newRow("samples beyond int") << concat(s, {"--samples", "2147483648"}) << "--samples";
    QTest::newRow("samples empty") << concat(s, {"--samples="}) << "--samples";
    QTest::newRow("samples inf") << concat(s, {"--samples", "inf"}) << "--samples";
    QTest::newRow("seed empty") << concat(s, {"--seed="}) << "--seed";
    QTest::newRow("seed 2^64") << concat(s, {"--seed", "18446744073709551616"}) << "--seed";
    QTest::newRow("seed hex") << concat(s, {"--seed", "0x10"}) << "--seed";
    QTest::newRow("seed exponent") << concat(s, {"--seed", "1e3"}) << "--seed";
    QTest::newRow("threads too many") << concat(s, {"--threads", "4097"}) << "--threads";
    QTest::newRow("threads huge") << concat(s, {"--threads", "1e9"}) << "--threads";
    QTest::newRow("threads empty") << concat(s, {"--threads="}) << "--threads";
    QTest::newRow("sampler empty") << concat(s, {"--sampler="}) << "--sampler";
    QTest::newRow("sampler capitalized") << concat(s, {"--sampler", "Dense"}) << "--sampler";
    QTest::newRow("banded with haar uniform bulk")
        << concat(s, {"--sampler", "banded", "--bulk", "uniform:-1,1"}) << "--sampler";
    // --bins / --range / --points
    QTest::newRow("bins above the cap") << concat(s, {"--bins", "10000001"}) << "--bins";
    QTest::newRow("bins inf") << concat(s, {"--bins", "inf"}) << "--bins";
    QTest::newRow("bins empty") << concat(s, {"--bins="}) << "--bins";
    QTest::newRow("range -inf") << concat(s, {"--range=-inf:0"}) << "--range";
    QTest::newRow("range overflow") << concat(s, {"--range", "1e999:2"}) << "--range";
    QTest::newRow("range nan end") << concat(s, {"--range", "0:nan"}) << "--range";
    QTest::newRow("range empty") << concat(s, {"--range="}) << "--range";
    QTest::newRow("range missing end") << concat(s, {"--range", "1:"}) << "--range";
    QTest::newRow("range comma") << concat(s, {"--range", "-3,3"}) << "--range";
    QTest::newRow("points above the cap") << concat(t, {"--points", "10000001"}) << "--points";
    QTest::newRow("points negative") << concat(t, {"--points", "-1"}) << "--points";
    QTest::newRow("points empty") << concat(t, {"--points="}) << "--points";
    QTest::newRow("points inf") << concat(t, {"--points", "inf"}) << "--points";
    // option syntax
    QTest::newRow("single dash option") << concat(t, {"-n", "20"}) << "-n";
    QTest::newRow("bare double dash") << concat(t, {"--"}) << "--";
    QTest::newRow("empty argument") << concat(t, {""}) << "''";
    QTest::newRow("session empty name") << concat(t, {"--session="}) << "--session";
    QTest::newRow("eigenvalues for theory")
        << concat(t, {"--eigenvalues", "x.csv"}) << "--eigenvalues";
}

void TstCliInputs::badValues()
{
    ++g_tried;
    checkRefusedRow();
}

// Hostile strings through every option: whatever the value, the answer is 0 (valid), 2 (one
// error line naming the option) or 3 (a resource limit) -- never an internal error or a crash.
void TstCliInputs::hostileStringsEveryOption()
{
    // Built by appending: a 45-string initializer list made GCC 12 warn falsely (-Warray-bounds).
    std::vector<std::string> values;
    for (const char* v : {"",
                          " ",
                          "-",
                          "--",
                          "=",
                          ":",
                          ",",
                          "nan",
                          "-nan",
                          "inf",
                          "-inf",
                          "1e999",
                          "-1e999",
                          "1e-999",
                          "0",
                          "-0",
                          "-1",
                          "1e308",
                          "-1e308",
                          "4.9e-324",
                          "2147483648",
                          "-2147483649",
                          "9223372036854775808",
                          "18446744073709551616",
                          "0x7fffffff",
                          "1e",
                          "e5",
                          ".",
                          "list:",
                          "list:1,",
                          "equal:",
                          "linear:",
                          "power:",
                          "twopoint:",
                          "uniform:",
                          ":::",
                          "list:1e308,-1e308",
                          "\xff\xfe\xfd",
                          "\xc3",
                          "a\tb"})
        values.emplace_back(v);
    values.push_back("+-1");
    values.push_back(std::string(1, '\0'));
    values.push_back(std::string(3000, '9'));
    values.push_back(std::string(3000, ','));
    values.push_back("list:" + std::string(2000, '1'));
    // Each option with the command it belongs to; values that are valid run a tiny model.
    const std::vector<std::pair<std::string, Args>> options = {
        {"--n", {"theory", "--points", "50"}},
        {"--sigma", kTheory},
        {"--noise", kTheory},
        {"--alpha", kTheory},
        {"--rank", kTheory},
        {"--spikes", kTheory},
        {"--bulk", kTheory},
        {"--eigvecs", kTheory},
        {"--memory-budget", kTheory},
        {"--points", kTheory},
        {"--samples", {"sample", "--n", "10", "--memory-budget", "64M"}},
        {"--seed", kSample},
        {"--threads", kSample},
        {"--sampler", kSample},
        {"--bins", kSample},
        {"--range", kSample}};
    int tried = 0;
    for (const auto& [option, base] : options) {
        for (const auto& v : values) {
            const Args args = concat(base, {option + "=" + v});
            const Result r = cli(args);
            ++tried;
            if (r.code == 0)
                continue;
            QVERIFY2(r.code == 2 || r.code == 3, describe(args, r).c_str());
            QVERIFY2(oneErrorLine(r), describe(args, r).c_str());
            // Named as the option, or as the parameter when the theory refuses the values
            // ("sigma/spikes: the spectrum reaches beyond the range of double precision").
            if (r.code == 2)
                QVERIFY2(r.err.find(option.substr(2)) != std::string::npos,
                         describe(args, r).c_str());
        }
    }
    g_tried += tried;
    qInfo("hostile strings: %d option values tried", tried);
}

// Accepted values at the edges of the ranges: exit 0 and finite numbers in the JSON.
void TstCliInputs::extremeButValid_data()
{
    QTest::addColumn<Args>("args");
    QTest::newRow("smallest N") << Args{"sample", "--n", "2", "--samples", "3", "--json", "-"};
    QTest::newRow("N as 1e3") << Args{"theory", "--n", "1e3", "--points", "20", "--json", "-"};
    QTest::newRow("rank N") << Args{"sample", "--n", "30", "--rank", "30", "--json", "-"};
    QTest::newRow("tiny sigma") << Args{"theory", "--n", "50", "--sigma", "1e-150", "--json", "-"};
    QTest::newRow("huge sigma") << Args{"theory", "--n", "50", "--sigma", "1e300", "--json", "-"};
    QTest::newRow("huge spike") << Args{"theory",      "--n",    "50", "--spikes",
                                        "equal:1e308", "--json", "-"};
    QTest::newRow("huge semicircle bulk")
        << Args{"theory", "--n", "50", "--bulk", "semicircle:1e308", "--json", "-"};
    QTest::newRow("widest linear spikes") << Args{
        "theory", "--n", "50", "--rank", "5", "--spikes", "linear:-8e307,8e307", "--json", "-"};
    QTest::newRow("widest range") << Args{"sample", "--n", "20", "--range=-1e308:1e308",
                                          "--json", "-"};
    QTest::newRow("one bin") << Args{"sample", "--n", "20", "--bins", "1", "--json", "-"};
    QTest::newRow("two points") << Args{"theory", "--n", "20", "--points", "2", "--json", "-"};
    QTest::newRow("nu just above 2")
        << Args{"sample", "--n", "40", "--noise", "student-t:2.0001", "--json", "-"};
    QTest::newRow("sparse tiny p")
        << Args{"sample", "--n", "40", "--noise", "sparse:1e-300", "--json", "-"};
    QTest::newRow("seed 2^64-1") << Args{"sample", "--n", "20", "--seed", "18446744073709551615",
                                         "--json", "-"};
    QTest::newRow("spaces and case")
        << Args{"theory",         "--n",       " 20 ", "--noise", " GUE ", "--spikes",
                " LIST: 3 , -2 ", "--eigvecs", "HAAR", "--json",  "-"};
}

void TstCliInputs::extremeButValid()
{
    QFETCH(Args, args);
    const Result r = cli(args);
    QVERIFY2(r.code == 0, describe(args, r).c_str());
    json j;
    QVERIFY2(json::accept(r.out), describe(args, r).c_str());
    j = json::parse(r.out);
    QVERIFY2(allFinite(j), describe(args, r).c_str());
}

// The memory guard refuses up front, for every sampler and the eigenvector (Haar) path: exit 3,
// the budget, and the largest N that would fit.
void TstCliInputs::memoryGuardEverySampler_data()
{
    QTest::addColumn<Args>("args");
    QTest::newRow("dense real") << Args{"sample", "--n", "1000000", "--sampler", "dense"};
    QTest::newRow("dense complex")
        << Args{"sample", "--n", "1000000", "--noise", "complex", "--sampler", "dense"};
    QTest::newRow("dense heavy tails")
        << Args{"sample", "--n", "1000000", "--noise", "student-t:3"};
    QTest::newRow("haar eigenvectors")
        << Args{"sample", "--n", "1000000", "--noise", "rademacher", "--eigvecs", "haar"};
    QTest::newRow("full-rank bulk") << Args{"sample", "--n", "1000000", "--bulk", "uniform:-1,1"};
    QTest::newRow("banded, band solver")
        << Args{"sample", "--n", "100000", "--alpha", "0.9", "--memory-budget", "100M"};
    QTest::newRow("banded fast path")
        << Args{"sample", "--n", "100000000", "--memory-budget", "100M"};
    QTest::newRow("many samples kept")
        << Args{"sample",          "--n", "3000", "--samples", "100000", "--sampler", "dense",
                "--memory-budget", "1G"};
    QTest::newRow("csv text") << Args{"sample",    "--n",           "1000",
                                      "--samples", "1000",          "--memory-budget",
                                      "10M",       "--eigenvalues", "-"};
    QTest::newRow("theory") << Args{"theory",          "--n", "100000000", "--bulk", "uniform:-1,1",
                                    "--memory-budget", "10M"};
}

void TstCliInputs::memoryGuardEverySampler()
{
    QFETCH(Args, args);
    ++g_tried;
    QTemporaryDir dir;
    const std::string out = (dir.path() + "/out.json").toStdString();
    const Args full = concat(args, {"--json", out});
    const Result r = cli(full);
    QVERIFY2(r.code == 3, describe(full, r).c_str());
    QVERIFY2(oneErrorLine(r), describe(full, r).c_str());
    QVERIFY2(r.err.find("budget") != std::string::npos, r.err.c_str());
    QVERIFY2(r.err.find("largest N") != std::string::npos, r.err.c_str());
    QVERIFY(filesIn(dir.path()).isEmpty());
}

void TstCliInputs::hostileSession_data()
{
    ws::testing::addHostileSessionRows(); // names: besides --session
}

void TstCliInputs::hostileSession()
{
    QFETCH(QByteArray, contents);
    QFETCH(QString, names);
    ++g_tried;
    QTemporaryDir dir;
    const QString path = dir.path() + "/s.json";
    writeFile(path, contents.toStdString());
    for (const char* command : {"sample", "theory"}) {
        const Args args{command, "--session", path.toStdString(), "--json",
                        (dir.path() + "/out.json").toStdString()};
        const Result r = cli(args);
        QVERIFY2(r.code == 2, describe(args, r).c_str());
        QVERIFY2(oneErrorLine(r), describe(args, r).c_str());
        QVERIFY2(r.err.find("--session") != std::string::npos, r.err.c_str());
        QVERIFY2(QString::fromStdString(r.err).contains(names), r.err.c_str());
        QVERIFY(!QFile::exists(dir.path() + "/out.json"));
    }
}

// Paths that cannot be read as a session: exit 2 naming --session and the path.
void TstCliInputs::sessionPaths()
{
    QTemporaryDir dir;
    const std::string missing = (dir.path() + "/missing.json").toStdString();
    const std::string directory = dir.path().toStdString();
    const std::string inMissingDir = (dir.path() + "/no/such/dir/s.json").toStdString();
    const std::string notADirectory = (dir.path() + "/file/s.json").toStdString();
    writeFile(dir.path() + "/file", "x");
    for (const std::string& path :
         {missing, directory, inMissingDir, notADirectory, std::string("/proc/self/mem")}) {
        ++g_tried;
        const Args args{"theory", "--session", path};
        const Result r = cli(args);
        QVERIFY2(r.code == 2, describe(args, r).c_str());
        QVERIFY2(oneErrorLine(r), describe(args, r).c_str());
        QVERIFY2(r.err.find("--session") != std::string::npos, r.err.c_str());
        QVERIFY2(r.err.find(path) != std::string::npos, r.err.c_str());
    }
}

// Big but legal: a 2 MB opaque view array and a long spike list load fine.
void TstCliInputs::sessionHugeButValid()
{
    QTemporaryDir dir;
    const QString path = dir.path() + "/s.json";
    std::string view = "[";
    for (int i = 0; i < 300000; ++i)
        view.append(i ? ",1." : "1.").append(std::to_string(i % 10));
    view += "]";
    std::string spikes = "list:";
    for (int i = 0; i < 1000; ++i)
        spikes.append(i ? "," : "").append(std::to_string(1 + i % 5));
    writeFile(path, session(R"({"n": 2000, "spikes": ")" + spikes + R"("})",
                            R"(, "view": {"big": )" + view + "}"));
    const Result r =
        cli({"theory", "--session", path.toStdString(), "--points", "50", "--json", "-"});
    QVERIFY2(r.code == 0, describe({}, r).c_str());
    QCOMPARE(json::parse(r.out).at("model").at("rank").get<int>(), 1000);
}

// Outputs that cannot be written (even as root): exit 2 naming the file, nothing left behind.
void TstCliInputs::unwritablePaths()
{
    QTemporaryDir dir;
    writeFile(dir.path() + "/file", "x");
    const std::vector<std::string> paths = {
        "/proc/wignerscope-test.json",                          // a filesystem without new files
        (dir.path() + "/file/out.json").toStdString(),          // a file used as a directory
        (dir.path() + "/").toStdString(),                       // a directory
        dir.path().toStdString() + "/" + std::string(300, 'x'), // name too long
    };
    for (const std::string& path : paths) {
        for (const char* option : {"--json", "--eigenvalues"}) {
            ++g_tried;
            const Args args{"sample", "--n", "20", option, path};
            const Result r = cli(args);
            QVERIFY2(r.code == 2, describe(args, r).c_str());
            QVERIFY2(oneErrorLine(r), describe(args, r).c_str());
            QVERIFY2(r.err.find("cannot write") != std::string::npos, r.err.c_str());
        }
    }
    QCOMPARE(filesIn(dir.path()), QStringList{"file"});
}

// The same contract through the real executable, where argv bytes come from the OS.
void TstCliInputs::executable()
{
    const QString exe = QStringLiteral(WS_CLI_PATH);
    QVERIFY2(QFile::exists(exe), qPrintable(exe));
    const QStringList cases[] = {
        {"sample", "--n", "nan"},
        {"sample", "--n", "20", "--spikes", "list:1,,2"},
        {"theory", "--n", "20", "--noise", QString(4000, 'z')},
        {"theory", "--session", "/nonexistent/s.json"},
        {"sample", "--n", "20", "--json", "/proc/wignerscope-test.json"},
    };
    for (const QStringList& args : cases) {
        ++g_tried;
        QProcess p;
        p.start(exe, args);
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 2);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.startsWith("error: ") && err.count('\n') == 1, qPrintable(err));
        QVERIFY(p.readAllStandardOutput().isEmpty());
    }
    QProcess p;
    p.start(exe, {"sample", "--n", "1000000", "--sampler", "dense"});
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 3);
    QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains("largest N"));
}

// Ctrl-C during a dense N = 4000 run ends the executable at once, with status 130 and no output
// or temporary file -- also inside LAPACK's eigensolver, which cannot be interrupted: the CLI
// ends the process while it computes, since files are only written after the computation. The
// signal is sent once the process has used a given amount of CPU time: while the noise is drawn,
// and inside the eigensolver. "At once" is measured as the CPU time the process uses after the
// signal (it is stopped while its CPU time is read and the signal is sent), not as wall time:
// a loaded machine delays the exit by any amount of wall time but adds no CPU time, and a CLI
// that went on computing would use seconds.
void TstCliInputs::interruptLatency()
{
    const QString exe = QStringLiteral(WS_CLI_PATH);
    QTemporaryDir dir;
    const QString out = dir.path() + "/out.json";
    const QString csv = dir.path() + "/ev.csv";
    const QStringList args{"sample", "--n",       "4000", "--sampler", "dense", "--samples",
                           "3",      "--threads", "1",    "--json",    out,     "--eigenvalues",
                           csv};
    for (const double cpu : {0.2, 1.5}) {
        QProcess p;
        p.start(exe, args);
        QVERIFY(p.waitForStarted());
        QVERIFY(waitForCpu(p, cpu));
        const double after = cpuAfterSignal(p, SIGINT);
        qInfo("SIGINT after %.1f s of CPU at N = 4000: %.3f s of CPU until the exit", cpu, after);
        QVERIFY2(after < 0.15, qPrintable(QString::number(after) + " s"));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 130);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err == "error: interrupted; nothing written\n", qPrintable(err));
        QVERIFY(p.readAllStandardOutput().isEmpty());
        QVERIFY2(filesIn(dir.path()).isEmpty(), qPrintable(filesIn(dir.path()).join(", ")));
    }
}

void TstCliInputs::cleanupTestCase()
{
    qInfo("bad inputs tried: %d", g_tried);
}

QTEST_GUILESS_MAIN(TstCliInputs)
#include "tst_cli_inputs.moc"
