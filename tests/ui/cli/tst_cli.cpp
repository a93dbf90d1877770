// wignerscope-cli: in-process through ws::cli::run, and a few runs of the real executable.
#include "support/file_size_limit.h"
#include "clitest.h"
#include "support/thread_cpu.h"
#include "ui/cli/args.h"
#include "ui/cli/cli.h"
#include "core/model/families.h"
#include "core/sampling/runner.h"
#include "core/io/atomic_file.h"
#include "core/io/session.h"

#include <nlohmann/json.hpp>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <limits>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using json = nlohmann::json;
using namespace clitest;

namespace {

bool isNumber(const json& v)
{
    return v.is_number();
}

void checkPrediction(const json& o, bool withObserved)
{
    QVERIFY(o.is_object());
    QVERIFY(o.at("theta").is_number());
    for (const char* key :
         {"finite_rank", "large_rank", "overlap_finite_rank", "overlap_large_rank", "predicted_sd"})
        QVERIFY2(o.at(key).is_number() || o.at(key).is_null(), key);
    // A reason exactly when there is no large-rank outlier; the overlap is a squared projection.
    QCOMPARE(o.at("absorbed").get<bool>(), o.at("large_rank").is_null());
    QCOMPARE(o.at("reason").is_string(), o.at("absorbed").get<bool>());
    if (o.at("overlap_large_rank").is_number()) {
        QVERIFY(o.at("overlap_large_rank").get<double>() > 0.0);
        QVERIFY(o.at("overlap_large_rank").get<double>() <= 1.0);
    }
    QVERIFY(o.at("flags").is_array());
    QVERIFY(o.at("interval").is_number_unsigned());
    if (withObserved) {
        QVERIFY(o.at("observed_mean").is_number() || o.at("observed_mean").is_null());
        QVERIFY(o.at("observed_sd").is_number() || o.at("observed_sd").is_null());
    } else {
        QVERIFY(!o.contains("observed_mean"));
        QVERIFY(!o.contains("observed_sd"));
    }
}

} // namespace

class TstCli : public QObject
{
    Q_OBJECT

private slots:
    void badInput_data();
    void badInput();
    void unwritableOutput();
    void memoryBudgetRefused();
    void helpAndVersion();
    void parseHelpers();
    void sampleJsonFields();
    void sampleJsonSubcriticalSpike();
    void sampleJsonToFileAndRange();
    void eigenvaluesCsv_data();
    void eigenvaluesCsv();
    void theoryJsonFields();
    void humanSummaries();
    void sessionWithOverrides();
    void failedWriteKeepsOldFile();
    void progressLine();
    void cancellation();
    void executableExitCodes();
    void executableInterrupted();
    void bandedFastPath();
    void tinySigmaOutliersStayInTheirClusters();
};

void TstCli::badInput_data()
{
    addRefusedColumns();

    const Args s = {"sample", "--n", "50"};
    const Args t = {"theory", "--n", "50"};
    QTest::newRow("no command") << Args{} << "command";
    QTest::newRow("unknown command") << Args{"frobnicate"} << "frobnicate";
    QTest::newRow("n missing") << Args{"sample", "--samples", "3"} << "--n";
    QTest::newRow("n missing value") << Args{"sample", "--n"} << "--n";
    QTest::newRow("n followed by option") << Args{"sample", "--n", "--sigma", "1"} << "--n";
    QTest::newRow("n twice") << Args{"sample", "--n", "50", "--n", "60"} << "--n";
    QTest::newRow("n = 1") << Args{"sample", "--n", "1"} << "--n";
    QTest::newRow("n negative") << Args{"sample", "--n", "-5"} << "--n";
    QTest::newRow("n fractional") << Args{"sample", "--n", "1.5"} << "--n";
    QTest::newRow("n garbage") << Args{"sample", "--n", "abc"} << "--n";
    QTest::newRow("n trailing garbage") << Args{"sample", "--n", "100x"} << "--n";
    QTest::newRow("n nan") << Args{"sample", "--n", "nan"} << "--n";
    QTest::newRow("n inf") << Args{"sample", "--n", "inf"} << "--n";
    QTest::newRow("n beyond int") << Args{"sample", "--n", "99999999999"} << "--n";
    QTest::newRow("n huge") << Args{"theory", "--n", "1e300"} << "--n";
    QTest::newRow("n empty") << Args{"sample", "--n="} << "--n";
    QTest::newRow("sigma zero") << concat(s, {"--sigma", "0"}) << "--sigma";
    QTest::newRow("sigma negative") << concat(s, {"--sigma", "-1"}) << "--sigma";
    QTest::newRow("sigma nan") << concat(s, {"--sigma", "nan"}) << "--sigma";
    QTest::newRow("sigma inf") << concat(s, {"--sigma", "inf"}) << "--sigma";
    QTest::newRow("sigma overflow") << concat(s, {"--sigma", "1e999"}) << "--sigma";
    QTest::newRow("sigma garbage") << concat(s, {"--sigma", "one"}) << "--sigma";
    QTest::newRow("noise unknown") << concat(s, {"--noise", "cauchy"}) << "--noise";
    QTest::newRow("noise nu") << concat(s, {"--noise", "student-t:2"}) << "--noise";
    QTest::newRow("noise p") << concat(s, {"--noise", "sparse:1.5"}) << "--noise";
    QTest::newRow("noise nan") << concat(s, {"--noise", "sparse:nan"}) << "--noise";
    QTest::newRow("alpha big") << concat(s, {"--alpha", "1.5"}) << "--alpha";
    QTest::newRow("alpha negative") << concat(s, {"--alpha", "-0.1"}) << "--alpha";
    QTest::newRow("alpha nan") << concat(s, {"--alpha", "nan"}) << "--alpha";
    QTest::newRow("alpha and rank") << concat(s, {"--alpha", "0.5", "--rank", "3"}) << "--alpha";
    QTest::newRow("rank zero") << concat(s, {"--rank", "0"}) << "--rank";
    QTest::newRow("rank above n") << concat(s, {"--rank", "51"}) << "--rank";
    QTest::newRow("rank garbage") << concat(s, {"--rank", "x"}) << "--rank";
    QTest::newRow("spikes malformed") << concat(s, {"--spikes", "power:3"}) << "--spikes";
    QTest::newRow("spikes empty list") << concat(s, {"--spikes", "list:"}) << "--spikes";
    QTest::newRow("spikes inf") << concat(s, {"--spikes", "equal:inf"}) << "--spikes";
    QTest::newRow("spikes unknown") << concat(s, {"--spikes", "banana"}) << "--spikes";
    QTest::newRow("bulk reversed") << concat(s, {"--bulk", "uniform:1,-1"}) << "--bulk";
    QTest::newRow("bulk rho") << concat(s, {"--bulk", "semicircle:0"}) << "--bulk";
    QTest::newRow("bulk p") << concat(s, {"--bulk", "twopoint:0,1,2"}) << "--bulk";
    QTest::newRow("eigvecs") << concat(s, {"--eigvecs", "random"}) << "--eigvecs";
    QTest::newRow("samples zero") << concat(s, {"--samples", "0"}) << "--samples";
    QTest::newRow("samples negative") << concat(s, {"--samples", "-1"}) << "--samples";
    QTest::newRow("samples fractional") << concat(s, {"--samples", "2.5"}) << "--samples";
    QTest::newRow("samples huge") << concat(s, {"--samples", "1e12"}) << "--samples";
    QTest::newRow("seed negative") << concat(s, {"--seed", "-1"}) << "--seed";
    QTest::newRow("seed fractional") << concat(s, {"--seed", "1.5"}) << "--seed";
    QTest::newRow("seed garbage") << concat(s, {"--seed", "x"}) << "--seed";
    QTest::newRow("seed beyond 64 bits")
        << concat(s, {"--seed", "18446744073709551616"}) << "--seed";
    QTest::newRow("threads negative") << concat(s, {"--threads", "-1"}) << "--threads";
    QTest::newRow("threads garbage") << concat(s, {"--threads", "all"}) << "--threads";
    QTest::newRow("sampler unknown") << concat(s, {"--sampler", "fast"}) << "--sampler";
    QTest::newRow("banded not exact")
        << concat(s, {"--sampler", "banded", "--noise", "rademacher"}) << "--sampler";
    QTest::newRow("bins zero") << concat(s, {"--bins", "0"}) << "--bins";
    QTest::newRow("bins negative") << concat(s, {"--bins", "-3"}) << "--bins";
    QTest::newRow("bins garbage") << concat(s, {"--bins", "many"}) << "--bins";
    QTest::newRow("range reversed") << concat(s, {"--range", "3:1"}) << "--range";
    QTest::newRow("range empty") << concat(s, {"--range", "1:1"}) << "--range";
    QTest::newRow("range no colon") << concat(s, {"--range", "1"}) << "--range";
    QTest::newRow("range three parts") << concat(s, {"--range", "1:2:3"}) << "--range";
    QTest::newRow("range half") << concat(s, {"--range", ":1"}) << "--range";
    QTest::newRow("range nan") << concat(s, {"--range", "nan:1"}) << "--range";
    QTest::newRow("range garbage") << concat(s, {"--range", "a:b"}) << "--range";
    QTest::newRow("points one") << concat(t, {"--points", "1"}) << "--points";
    QTest::newRow("points garbage") << concat(t, {"--points", "x"}) << "--points";
    QTest::newRow("budget zero") << concat(s, {"--memory-budget", "0"}) << "--memory-budget";
    QTest::newRow("budget negative") << concat(s, {"--memory-budget", "-5"}) << "--memory-budget";
    QTest::newRow("budget garbage") << concat(s, {"--memory-budget", "lots"}) << "--memory-budget";
    QTest::newRow("unknown option") << concat(s, {"--foo", "1"}) << "--foo";
    QTest::newRow("sample option to theory") << concat(t, {"--samples", "3"}) << "--samples";
    QTest::newRow("theory option to sample") << concat(s, {"--points", "10"}) << "--points";
    QTest::newRow("positional") << concat(s, {"extra"}) << "extra";
    QTest::newRow("json empty name") << concat(s, {"--json", ""}) << "--json";
    QTest::newRow("json missing value") << concat(s, {"--json"}) << "--json";
    QTest::newRow("both to stdout")
        << concat(s, {"--json", "-", "--eigenvalues", "-"}) << "--eigenvalues";
    QTest::newRow("same file") << concat(s, {"--json", "/tmp/x.out", "--eigenvalues",
                                             "/tmp/../tmp/x.out"})
                               << "--eigenvalues";
    QTest::newRow("session missing")
        << concat(s, {"--session", "/nonexistent/s.json"}) << "--session";
}

void TstCli::badInput()
{
    checkRefusedRow();
}

void TstCli::unwritableOutput()
{
    QTemporaryDir dir;
    const QString missing = dir.path() + "/no/such/dir/out.json";
    for (const char* option : {"--json", "--eigenvalues"}) {
        const Result r = cli({"sample", "--n", "20", option, missing.toStdString()});
        QVERIFY2(r.code == 2, describe(r).c_str());
        checkOneErrorLine(r, "cannot write " + missing);
    }
    // A directory is not a file.
    const Result r = cli({"theory", "--n", "20", "--json", dir.path().toStdString()});
    QVERIFY2(r.code == 2, describe(r).c_str());
    checkOneErrorLine(r, "cannot write");
    QVERIFY(leftovers(dir.path()).isEmpty());

    // A hostile session file names the key.
    const QString session = dir.path() + "/bad.json";
    ws::core::writeFileAtomically(
        session.toStdString(),
        R"({"format": "wignerscope-session", "version": 1, "model": {"n": "many"}})");
    const Result s = cli({"sample", "--session", session.toStdString()});
    QVERIFY2(s.code == 2, describe(s).c_str());
    checkOneErrorLine(s, "model.n");
    QVERIFY(QString::fromStdString(s.err).contains("--session"));
}

void TstCli::memoryBudgetRefused()
{
    QTemporaryDir dir;
    const QString out = dir.path() + "/out.json";
    const Args runs[] = {
        {"sample", "--n", "2000", "--memory-budget", "1000", "--json", out.toStdString()},
        {"sample", "--n", "2000", "--memory-budget", "1000", "--eigenvalues", out.toStdString()},
        {"sample", "--n", "100", "--samples", "1000", "--memory-budget", "1M", "--eigenvalues",
         out.toStdString()},
        {"theory", "--n", "2000000", "--bulk", "uniform:-1,1", "--memory-budget", "10M", "--json",
         out.toStdString()}};
    for (const Args& args : runs) {
        const Result r = cli(args);
        QVERIFY2(r.code == 3, describe(r).c_str());
        checkOneErrorLine(r, "budget");
        QVERIFY2(r.err.find("largest N") != std::string::npos, r.err.c_str());
        QVERIFY(!QFile::exists(out));
    }
    // The same run with a sufficient budget works (suffixes accepted).
    const Result ok = cli({"sample", "--n", "50", "--memory-budget", "1G", "--json", "-"});
    QVERIFY2(ok.code == 0, describe(ok).c_str());
}

void TstCli::helpAndVersion()
{
    for (const Args& a : {Args{"--help"}, Args{"help"}, Args{"-h"}, Args{"sample", "--help"}}) {
        const Result r = cli(a);
        QCOMPARE(r.code, 0);
        QVERIFY(r.err.empty());
        for (const char* option :
             {"--n", "--sigma", "--noise", "--alpha", "--rank", "--spikes", "--bulk", "--eigvecs",
              "--session", "--memory-budget", "--samples", "--seed", "--threads", "--sampler",
              "--bins", "--range", "--eigenvalues", "--json", "--points"})
            QVERIFY2(r.out.find(option) != std::string::npos, option);
    }
    const Result v = cli({"--version"});
    QCOMPARE(v.code, 0);
    QCOMPARE(v.out, std::string("wignerscope-cli ") + WS_VERSION + "\n");
}

void TstCli::parseHelpers()
{
    using namespace ws::cli;
    QCOMPARE(parseBytes("--memory-budget", "1000"), std::size_t(1000));
    QCOMPARE(parseBytes("--memory-budget", "8G"), std::size_t(8) << 30);
    QCOMPARE(parseBytes("--memory-budget", "1.5k"), std::size_t(1536));
    QCOMPARE(parseSeed("18446744073709551615"), std::numeric_limits<std::uint64_t>::max());
    QCOMPARE(parseSeed("0"), std::uint64_t(0));
    QVERIFY_THROWS_EXCEPTION(ws::core::InputError, parseSeed(" 1"));
    QVERIFY_THROWS_EXCEPTION(ws::core::InputError, parseSeed("+1"));
    QCOMPARE(parseRange("-3:3"), std::make_pair(-3.0, 3.0));
    QCOMPARE(parseRange("1e-3:2.5"), std::make_pair(1e-3, 2.5));
    QCOMPARE(parseIntOption("--n", "1e4", 2, 1000000, "x"), 10000LL);
    const ws::core::InputError n = withOptionName(ws::core::InputError("n", "must be at least 2"));
    QCOMPARE(n.param(), std::string("--n"));
    QCOMPARE(std::string(n.what()), std::string("--n: must be at least 2"));
    QCOMPARE(std::string(withOptionName(ws::core::InputError("memory", "too big")).what()),
             std::string("memory: too big"));
    // A message that merely starts like a parameter is not one: no param, no option.
    QCOMPARE(std::string(withOptionName(ws::core::InputError("n: not a param")).what()),
             std::string("n: not a param"));
    // An error inside a file keeps its context.
    const ws::core::InputError inFile("f.json", ws::core::InputError("n", "must be at least 2"));
    QCOMPARE(std::string(withOptionName(inFile).what()),
             std::string("f.json: n: must be at least 2"));

    // The largest seed goes through to the JSON unchanged.
    const Result r = cli({"sample", "--n", "20", "--seed", "18446744073709551615", "--json", "-"});
    QVERIFY2(r.code == 0, describe(r).c_str());
    QCOMPARE(json::parse(r.out).at("seed").get<std::uint64_t>(),
             std::numeric_limits<std::uint64_t>::max());
}

void TstCli::sampleJsonFields()
{
    const Result r = cli({"sample", "--n", "200", "--alpha", "0.2", "--spikes", "linear:2.5,4",
                          "--samples", "4", "--seed", "7", "--bins", "40", "--json", "-"});
    QVERIFY2(r.code == 0, describe(r).c_str());
    QVERIFY(r.err.empty());
    const json j = json::parse(r.out);

    const json& m = j.at("model");
    QVERIFY(m.at("n").is_number_integer());
    QCOMPARE(m.at("n").get<int>(), 200);
    QVERIFY(m.at("sigma").is_number());
    QCOMPARE(m.at("noise").get<std::string>(), std::string("gaussian"));
    QVERIFY(m.at("alpha").is_number());
    QCOMPARE(m.at("alpha").get<double>(), 0.2);
    // r = ceil(200^0.2) = ceil(2.886) = 3
    QCOMPARE(m.at("rank").get<int>(), 3);
    QCOMPARE(m.at("spikes").get<std::string>(), std::string("linear:2.5,4"));
    QCOMPARE(m.at("bulk").get<std::string>(), std::string("zero"));
    QCOMPARE(m.at("eigvecs").get<std::string>(), std::string("basis"));

    QVERIFY(j.at("sampler") == "dense" || j.at("sampler") == "banded");
    QCOMPARE(j.at("samples").get<int>(), 4);
    QVERIFY(j.at("seed").is_number_unsigned() || j.at("seed").is_number_integer());
    QCOMPARE(j.at("seed").get<long long>(), 7LL);

    const json& h = j.at("histogram");
    QCOMPARE(h.at("edges").size(), std::size_t(41));
    QCOMPARE(h.at("counts").size(), std::size_t(40));
    QCOMPARE(h.at("density").size(), std::size_t(40));
    long long total = 0;
    for (const auto& c : h.at("counts")) {
        QVERIFY(c.is_number_integer() || c.is_number_unsigned());
        total += c.get<long long>();
    }
    QCOMPARE(total, 200LL * 4); // the default range covers every eigenvalue
    double mass = 0.0;
    for (std::size_t i = 0; i < 40; ++i) {
        QVERIFY(isNumber(h.at("density")[i]));
        mass += h.at("density")[i].get<double>() *
                (h.at("edges")[i + 1].get<double>() - h.at("edges")[i].get<double>());
    }
    QVERIFY(std::abs(mass - 1.0) < 1e-9);

    // The labelled intervals: counts add up to N, predicted and observed (mean per sample).
    const json& intervals = j.at("intervals");
    QVERIFY(intervals.is_array() && !intervals.empty());
    long long predicted = 0;
    double observed = 0.0;
    for (const auto& iv : intervals) {
        QVERIFY(iv.at("a").get<double>() < iv.at("b").get<double>());
        QVERIFY(iv.at("label") == "bulk" || iv.at("label") == "cluster");
        predicted += iv.at("predicted_count").get<long long>();
        observed += iv.at("observed_count").get<double>();
        QVERIFY(iv.at("claim")[0].get<double>() < iv.at("a").get<double>());
        QVERIFY(iv.at("claim")[1].get<double>() > iv.at("b").get<double>());
        QVERIFY(iv.at("edges").at("hi").at("gamma").get<double>() > 0.0);
    }
    QCOMPARE(predicted, 200LL);
    // Every eigenvalue belongs to an interval here (no unexplained one in these samples).
    QVERIFY(std::abs(observed + j.at("unexplained").at("per_sample").get<double>() - 200.0) < 1e-9);
    QCOMPARE(j.at("validity").at("heavy_tails").get<bool>(), false);

    const json& outliers = j.at("outliers");
    QCOMPARE(outliers.size(), std::size_t(3));
    for (const auto& o : outliers)
        checkPrediction(o, true);
    // theta_1 = 4: BBP says 4 + 1/4; it separates, so it is observed in every sample.
    QCOMPARE(outliers[0].at("theta").get<double>(), 4.0);
    QCOMPARE(outliers[0].at("finite_rank").get<double>(), 4.25);
    QCOMPARE(outliers[0].at("overlap_finite_rank").get<double>(), 1.0 - 1.0 / 16.0);
    QVERIFY(outliers[0].at("large_rank").is_number());
    QVERIFY(outliers[0].at("observed_mean").is_number());
    QVERIFY(outliers[0].at("observed_sd").is_number());
    // Several standard errors of the top eigenvalue (fluctuations O(N^-1/2) ~ 0.07 here).
    QVERIFY(std::abs(outliers[0].at("observed_mean").get<double>() -
                     outliers[0].at("large_rank").get<double>()) < 0.3);

    const json& timing = j.at("timing");
    QVERIFY(timing.at("total_s").is_number() && timing.at("total_s").get<double>() >= 0.0);
    QVERIFY(timing.at("per_sample_s").is_number() &&
            timing.at("per_sample_s").get<double>() >= 0.0);
}

void TstCli::sampleJsonSubcriticalSpike()
{
    // theta = 0.5 < sigma: no BBP outlier, and none observed: nulls, not missing keys. Explicit
    // rank: alpha is null.
    const Result r = cli({"sample", "--n", "150", "--rank", "1", "--spikes", "equal:0.5",
                          "--samples", "3", "--json", "-"});
    QVERIFY2(r.code == 0, describe(r).c_str());
    const json j = json::parse(r.out);
    QVERIFY(j.at("model").at("alpha").is_null());
    QCOMPARE(j.at("model").at("rank").get<int>(), 1);
    const json& o = j.at("outliers").at(0);
    checkPrediction(o, true);
    QVERIFY(o.at("finite_rank").is_null());
    QVERIFY(o.at("overlap_finite_rank").is_null());
    QVERIFY(o.at("large_rank").is_null());
    QVERIFY(o.at("overlap_large_rank").is_null());
    QVERIFY(o.at("observed_mean").is_null());
    QVERIFY(o.at("observed_sd").is_null());
}

void TstCli::sampleJsonToFileAndRange()
{
    QTemporaryDir dir;
    const QString path = dir.path() + "/run.json";
    const Result r = cli({"sample", "--n", "100", "--samples", "2", "--range=-3:4", "--bins=7",
                          "--json", path.toStdString()});
    QVERIFY2(r.code == 0, describe(r).c_str());
    QVERIFY(r.out.empty()); // results went to the file; no summary
    const json j = json::parse(readAll(path));
    const json& edges = j.at("histogram").at("edges");
    QCOMPARE(edges.size(), std::size_t(8));
    QCOMPARE(edges.front().get<double>(), -3.0);
    QCOMPARE(edges.back().get<double>(), 4.0);
    QVERIFY(leftovers(dir.path()).isEmpty());
}

void TstCli::eigenvaluesCsv_data()
{
    QTest::addColumn<Args>("model");
    QTest::newRow("banded gaussian") << Args{"--n", "60", "--alpha", "0.3"};
    QTest::newRow("dense rademacher haar") << Args{"--n",       "40",   "--noise", "rademacher",
                                                   "--eigvecs", "haar", "--bulk",  "uniform:-1,1"};
    QTest::newRow("dense complex") << Args{"--n", "30", "--noise", "complex", "--sampler", "dense"};
}

void TstCli::eigenvaluesCsv()
{
    QFETCH(Args, model);
    QTemporaryDir dir;
    const QString path = dir.path() + "/ev.csv";
    const int k = 3;
    Args args = concat({"sample"}, model);
    args.insert(args.end(), {"--samples", std::to_string(k), "--seed", "5", "--threads", "2",
                             "--eigenvalues", path.toStdString()});
    const Result r = cli(args);
    QVERIFY2(r.code == 0, describe(r).c_str());
    QVERIFY(r.out.find("timing") != std::string::npos); // no --json: the summary is printed

    // The same run directly through the core gives the reference eigenvalues.
    const int n = std::stoi(model[1]);
    ws::core::Model m;
    m.n = n;
    ws::core::RunOptions ro;
    ro.samples = k;
    ro.seed = 5;
    ro.threads = 1;
    for (std::size_t i = 2; i + 1 < model.size(); i += 2) {
        if (model[i] == "--alpha")
            m.rank.alpha = std::stod(model[i + 1]);
        else if (model[i] == "--noise")
            m.noise = ws::core::parseNoise(model[i + 1]);
        else if (model[i] == "--eigvecs")
            m.eigvecs = ws::core::parseEigvecs(model[i + 1]);
        else if (model[i] == "--bulk")
            m.bulk = ws::core::parseBulk(model[i + 1]);
        else if (model[i] == "--sampler")
            ro.sampler = ws::core::SamplerChoice::Dense;
    }
    const ws::core::RunResult ref = ws::core::runSamples(m, ro);
    QCOMPARE(ref.completed, k);

    std::istringstream csv(readAll(path));
    std::string line;
    QVERIFY(std::getline(csv, line));
    QVERIFY(line.starts_with("# wignerscope ")); // provenance lines, then the table
    while (line.starts_with("#"))
        QVERIFY(std::getline(csv, line));
    QCOMPARE(line, std::string("sample,index,value"));
    int rows = 0;
    std::vector<std::vector<double>> got(k);
    while (std::getline(csv, line)) {
        ++rows;
        const auto c1 = line.find(',');
        const auto c2 = line.find(',', c1 + 1);
        QVERIFY(c1 != std::string::npos && c2 != std::string::npos);
        const int sample = std::stoi(line.substr(0, c1));
        const int index = std::stoi(line.substr(c1 + 1, c2 - c1 - 1));
        QVERIFY(sample >= 0 && sample < k);
        QCOMPARE(index, static_cast<int>(got[sample].size()));
        got[sample].push_back(std::strtod(line.c_str() + c2 + 1, nullptr));
    }
    QCOMPARE(rows, n * k);
    for (int s = 0; s < k; ++s) {
        QCOMPARE(static_cast<int>(got[s].size()), n);
        for (int i = 1; i < n; ++i)
            QVERIFY(got[s][i - 1] <= got[s][i]);
        // Printed and read back, every value is bit-identical to the core's.
        QCOMPARE(static_cast<int>(ref.sampleIndex[s]), s);
        for (int i = 0; i < n; ++i)
            QVERIFY2(got[s][i] == ref.eigenvalues[s][i],
                     qPrintable(QString("sample %1 index %2: %3 vs %4")
                                    .arg(s)
                                    .arg(i)
                                    .arg(got[s][i], 0, 'g', 17)
                                    .arg(ref.eigenvalues[s][i], 0, 'g', 17)));
    }
}

void TstCli::theoryJsonFields()
{
    const Result r = cli({"theory", "--n", "500", "--spikes", "list:3,0.5", "--bulk",
                          "uniform:-0.5,0.5", "--points", "300", "--json", "-"});
    QVERIFY2(r.code == 0, describe(r).c_str());
    const json j = json::parse(r.out);
    for (const char* curve : {"semicircle", "density"}) {
        const json& c = j.at(curve);
        QVERIFY(c.at("x").is_array() && c.at("y").is_array());
        QCOMPARE(c.at("x").size(), c.at("y").size());
        QVERIFY(c.at("x").size() >= 2);
        for (const auto& y : c.at("y"))
            QVERIFY(y.is_number() && y.get<double>() >= 0.0);
    }
    double mass = 0.0;
    int count = 0;
    QVERIFY(j.at("support").is_array() && !j.at("support").empty());
    for (const auto& s : j.at("support")) {
        QVERIFY(s.at("a").is_number() && s.at("b").is_number() && s.at("mass").is_number());
        QVERIFY(s.at("a").get<double>() < s.at("b").get<double>());
        QVERIFY(s.at("label") == "bulk" || s.at("label") == "cluster");
        mass += s.at("mass").get<double>();
        count += s.at("predicted_count").get<int>();
    }
    QCOMPARE(count, j.at("model").at("n").get<int>());
    QVERIFY2(std::abs(mass - 1.0) < 1e-3, qPrintable(QString::number(mass)));
    const json& outliers = j.at("outliers");
    QCOMPARE(outliers.size(), std::size_t(2));
    for (const auto& o : outliers)
        checkPrediction(o, false);
    QCOMPARE(outliers[0].at("theta").get<double>(), 3.0);
    QCOMPARE(outliers[0].at("finite_rank").get<double>(), 3.0 + 1.0 / 3.0);
    QVERIFY(outliers[0].at("large_rank").is_number());
    QCOMPARE(outliers[1].at("theta").get<double>(), 0.5);
    QVERIFY(outliers[1].at("finite_rank").is_null());
    QVERIFY(outliers[1].at("overlap_finite_rank").is_null());
    QCOMPARE(j.at("model").at("rank").get<int>(), 2);
    QCOMPARE(j.at("model").at("bulk").get<std::string>(), std::string("uniform:-0.5,0.5"));
}

void TstCli::humanSummaries()
{
    const Result s = cli({"sample", "--n", "100", "--samples", "2"});
    QVERIFY2(s.code == 0, describe(s).c_str());
    QVERIFY(s.err.empty());
    for (const char* word : {"model", "N = 100", "sampler", "rank 1", "support", "bulk", "cluster",
                             "count", "outliers", "finite-rank", "large-rank", "+-", "timing"})
        QVERIFY2(s.out.find(word) != std::string::npos,
                 (word + std::string(" in\n") + s.out).c_str());
    const Result t = cli({"theory", "--n", "100"});
    QVERIFY2(t.code == 0, describe(t).c_str());
    for (const char* word : {"model", "support", "bulk", "cluster", "outliers", "3.33333"})
        QVERIFY2(t.out.find(word) != std::string::npos,
                 (word + std::string(" in\n") + t.out).c_str());
    QVERIFY(t.out.find("bulk zero") != std::string::npos);
    // r = N: S has no bulk, whatever the bulk family says (square: N, rectangular: p).
    const Result full = cli({"theory", "--n", "100", "--alpha", "1"});
    QVERIFY2(full.code == 0, describe(full).c_str());
    QVERIFY2(full.out.find(", bulk none (r = N: every eigenvalue of S is a spike)") !=
                 std::string::npos,
             full.out.c_str());
    const Result rect = cli({"rect", "theory", "--n", "100", "--c", "2", "--rank", "100"});
    QVERIFY2(rect.code == 0, describe(rect).c_str());
    QVERIFY2(rect.out.find(", bulk none (r = p: ") != std::string::npos, rect.out.c_str());
}

void TstCli::sessionWithOverrides()
{
    QTemporaryDir dir;
    const QString path = dir.path() + "/session.json";
    ws::core::Session session;
    session.model.n = 80;
    session.model.sigma = 2.0;
    session.model.noise = ws::core::parseNoise("rademacher");
    session.model.spikes = ws::core::parseSpikes("equal:5");
    session.model.rank.alpha = 0.25;
    session.samples = 3;
    session.seed = 9;
    ws::core::writeFileAtomically(path.toStdString(), ws::core::sessionToJson(session));

    const Result a = cli({"sample", "--session", path.toStdString(), "--json", "-"});
    QVERIFY2(a.code == 0, describe(a).c_str());
    json j = json::parse(a.out);
    QCOMPARE(j.at("model").at("n").get<int>(), 80);
    QCOMPARE(j.at("model").at("sigma").get<double>(), 2.0);
    QCOMPARE(j.at("model").at("noise").get<std::string>(), std::string("rademacher"));
    QCOMPARE(j.at("model").at("alpha").get<double>(), 0.25);
    QCOMPARE(j.at("model").at("rank").get<int>(), 3); // ceil(80^0.25) = ceil(2.99) = 3
    QCOMPARE(j.at("model").at("spikes").get<std::string>(), std::string("equal:5"));
    QCOMPARE(j.at("samples").get<int>(), 3);
    QCOMPARE(j.at("seed").get<int>(), 9);

    const Result b = cli({"sample", "--session", path.toStdString(), "--n", "90", "--seed", "4",
                          "--rank", "2", "--spikes", "equal:6", "--json", "-"});
    QVERIFY2(b.code == 0, describe(b).c_str());
    j = json::parse(b.out);
    QCOMPARE(j.at("model").at("n").get<int>(), 90);
    QCOMPARE(j.at("model").at("sigma").get<double>(), 2.0); // kept from the session
    QCOMPARE(j.at("model").at("noise").get<std::string>(), std::string("rademacher"));
    QVERIFY(j.at("model").at("alpha").is_null()); // --rank replaced the session's alpha
    QCOMPARE(j.at("model").at("rank").get<int>(), 2);
    QCOMPARE(j.at("model").at("spikes").get<std::string>(), std::string("equal:6"));
    QCOMPARE(j.at("samples").get<int>(), 3);
    QCOMPARE(j.at("seed").get<int>(), 4);

    // theory reads the model from the same file.
    const Result t =
        cli({"theory", "--session", path.toStdString(), "--sigma", "1", "--json", "-"});
    QVERIFY2(t.code == 0, describe(t).c_str());
    j = json::parse(t.out);
    QCOMPARE(j.at("model").at("n").get<int>(), 80);
    QCOMPARE(j.at("model").at("sigma").get<double>(), 1.0);
    QCOMPARE(j.at("outliers").size(), std::size_t(3));
}

void TstCli::failedWriteKeepsOldFile()
{
    // The run succeeds but writing the results fails (EFBIG from a file-size limit, which works
    // even as root): exit 1 (a failed write, not bad input), one error line with the system's
    // reason, neither previous file replaced (one result), no temporary files.
    QTemporaryDir dir;
    const QString jsonPath = dir.path() + "/out.json";
    const QString csv = dir.path() + "/out.csv";
    ws::core::writeFileAtomically(jsonPath.toStdString(), "previous json\n");
    ws::core::writeFileAtomically(csv.toStdString(), "previous csv\n");

    testsupport::FileSizeLimit limit(1024);
    QVERIFY(limit.ok());
    const Result r = cli({"sample", "--n", "200", "--samples", "2", "--json",
                          jsonPath.toStdString(), "--eigenvalues", csv.toStdString()});
    limit.restore();

    QVERIFY2(r.code == 1, describe(r).c_str());
    checkOneErrorLine(r, "cannot write " + csv + ": File too large; no output file was replaced");
    QCOMPARE(readAll(jsonPath), std::string("previous json\n"));
    QCOMPARE(readAll(csv), std::string("previous csv\n"));
    QVERIFY2(leftovers(dir.path()).isEmpty(), qPrintable(leftovers(dir.path()).join(", ")));
}

void TstCli::progressLine()
{
    ws::cli::RunEnv env;
    env.showProgress = true;
    env.progressDelaySeconds = 0.0; // the first line at once: every run shows one, however fast
    env.progressIntervalSeconds = 0.01;
    const Args args = {"sample", "--n",       "300", "--sampler", "dense", "--samples",
                       "60",     "--threads", "1",   "--json",    "-"};
    const Result r = cli(args, env);
    QVERIFY2(r.code == 0, describe(r).c_str());
    QVERIFY2(r.err.find("\rsampling: ") != std::string::npos, r.err.c_str());
    QVERIFY2(r.err.find("/60 samples") != std::string::npos, r.err.c_str());
    QVERIFY(r.err.find('\n') == std::string::npos); // only "\r" updates, cleared at the end
    QVERIFY(json::accept(r.out));                   // stdout stays clean JSON

    // Without a terminal (the default), nothing on stderr.
    const Result quiet = cli({"sample", "--n", "300", "--samples", "2", "--json", "-"});
    QVERIFY(quiet.err.empty());
}

void TstCli::cancellation()
{
    QTemporaryDir dir;
    const QString out = dir.path() + "/out.json";
    std::atomic<bool> cancel{false};
    ws::cli::RunEnv env;
    env.cancel = &cancel;
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        cancel = true;
    });
    const double cpu0 = testsupport::processCpuMs();
    const Result r = cli({"sample", "--n", "400", "--sampler", "dense", "--samples", "100000",
                          "--json", out.toStdString()},
                         env);
    stopper.join();
    QVERIFY2(r.code == 130, describe(r).c_str());
    // Stopped soon after the flag: CPU time, not wall time (a loaded machine stretches the wall
    // time of the 300 ms wait and the samples before it without bound); all samples: minutes.
    const double cpuMs = testsupport::processCpuMs() - cpu0;
    QVERIFY2(cpuMs < 5000, qPrintable(QString::number(cpuMs) + " ms of CPU"));
    QVERIFY(r.out.empty());
    QVERIFY(r.err.find("interrupted") != std::string::npos);
    QVERIFY(!QFile::exists(out));
    QVERIFY(leftovers(dir.path()).isEmpty());

    // Already cancelled: nothing runs at all (theory too).
    const Result t = cli({"theory", "--n", "100", "--json", out.toStdString()}, env);
    QCOMPARE(t.code, 130);
    QVERIFY(!QFile::exists(out));
}

void TstCli::executableExitCodes()
{
    const QString exe = QStringLiteral(WS_CLI_PATH);
    QVERIFY2(QFile::exists(exe), qPrintable(exe));
    struct Case
    {
        QStringList args;
        int code;
    };
    const Case cases[] = {
        {{"--version"}, 0},
        {{"sample", "--n", "1"}, 2},
        {{"sample", "--n", "100", "--bogus"}, 2},
        {{"sample", "--n", "2000", "--memory-budget", "1000"}, 3},
    };
    for (const Case& c : cases) {
        QProcess p;
        p.start(exe, c.args);
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), c.code);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        if (c.code != 0) {
            QVERIFY2(err.startsWith("error: ") && err.count('\n') == 1, qPrintable(err));
            QVERIFY(p.readAllStandardOutput().isEmpty());
        }
    }
    for (const QStringList& args :
         {QStringList{"sample", "--n", "120", "--samples", "3", "--json", "-"},
          QStringList{"theory", "--n", "120", "--alpha", "0.5", "--json", "-"}}) {
        QProcess p;
        p.start(exe, args);
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        const json j = json::parse(p.readAllStandardOutput().toStdString());
        QVERIFY(j.at("model").at("n") == 120);
        QVERIFY(p.readAllStandardError().isEmpty()); // not a terminal: no progress line
    }
}

void TstCli::executableInterrupted()
{
    // Ctrl-C (SIGINT) on a long run: prompt exit 130, no output file, no temporary file. Once
    // while sampling, once inside the theory (which has no cancel flag of its own: a
    // distinct-valued bulk at N = 10^6 takes seconds). SIGTERM and SIGHUP end a run the same
    // way, with 128 + the signal as the shell reports it.
    const QString exe = QStringLiteral(WS_CLI_PATH);
    QTemporaryDir dir;
    const QString out = dir.path() + "/out.json";
    const QStringList sample = {"sample",    "--n",    "500",    "--sampler", "dense",
                                "--samples", "100000", "--json", out};
    const QStringList theory = {"theory",       "--n",    "1000000", "--bulk",
                                "uniform:-1,1", "--json", out};
    const struct
    {
        QStringList args;
        int signal;
    } runs[] = {{sample, SIGINT}, {theory, SIGINT}, {sample, SIGTERM}, {sample, SIGHUP}};
    for (const auto& run : runs) {
        QProcess p;
        p.start(exe, run.args);
        QVERIFY(p.waitForStarted());
        // Into the run by its own CPU time, not by a fixed wait (start-up under load can take
        // longer than any fixed wait, and a signal before the handlers are in place kills).
        QVERIFY(waitForCpu(p, 0.3));
        const double after = cpuAfterSignal(p, run.signal);
        QVERIFY2(after < 0.3, qPrintable(QString::number(after) + " s of CPU after the signal"));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 128 + run.signal);
        QVERIFY(!QFile::exists(out));
        QVERIFY(leftovers(dir.path()).isEmpty());
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.startsWith("error: interrupted") && err.count('\n') == 1, qPrintable(err));
    }
}

// The banded fast path (inertia counts + bisection) must give exactly the histogram and outliers
// that all eigenvalues of the same matrices give (--eigenvalues forces the full path).
void TstCli::bandedFastPath()
{
    QTemporaryDir dir;
    const std::string csv = (dir.path() + "/ev.csv").toStdString();
    const Args common{"sample",    "--n",     "3000",     "--spikes", "list:3,-2.5",
                      "--samples", "3",       "--seed",   "11",       "--bins",
                      "40",        "--range", "-3.5:3.8", "--json",   "-"};
    const Result fast = cli(common);
    QVERIFY2(fast.code == 0, describe(fast).c_str());
    Args fullArgs = common;
    fullArgs.insert(fullArgs.end(), {"--eigenvalues", csv});
    const Result full = cli(fullArgs);
    QVERIFY2(full.code == 0, describe(full).c_str());
    const json a = json::parse(fast.out), b = json::parse(full.out);
    QCOMPARE(a["sampler"], json("banded"));
    QCOMPARE(b["sampler"], json("banded"));
    QCOMPARE(a["histogram_source"], json("inertia"));
    QCOMPARE(b["histogram_source"], json("eigenvalues"));
    QCOMPARE(a["histogram"]["edges"], b["histogram"]["edges"]);
    QCOMPARE(a["histogram"]["counts"], b["histogram"]["counts"]);
    std::uint64_t total = 0;
    for (const auto& c : a["histogram"]["counts"])
        total += c.get<std::uint64_t>();
    QCOMPARE(total, std::uint64_t(3000 * 3));
    for (int i = 0; i < 2; ++i) {
        const auto& oa = a["outliers"][static_cast<std::size_t>(i)];
        const auto& ob = b["outliers"][static_cast<std::size_t>(i)];
        QCOMPARE(oa["observed_in_samples"], ob["observed_in_samples"]);
        // Bisection locates eigenvalues to 1e-13 relative; means agree far below any SE.
        QVERIFY(std::fabs(oa["observed_mean"].get<double>() - ob["observed_mean"].get<double>()) <
                1e-9);
    }

    // Default range: covers every eigenvalue, found without computing them all.
    const Result big = cli({"sample", "--n", "200000", "--spikes", "equal:3", "--json", "-"});
    QVERIFY2(big.code == 0, describe(big).c_str());
    const json j = json::parse(big.out);
    QCOMPARE(j["histogram_source"], json("inertia"));
    std::uint64_t inRange = 0;
    for (const auto& c : j["histogram"]["counts"])
        inRange += c.get<std::uint64_t>();
    QCOMPARE(inRange, std::uint64_t(200000));
    // Top eigenvalue: 3 + 1/3 with O(N^-1/2) Gaussian fluctuations (sd ~ sqrt(2(1-1/9))/sqrt(N)).
    const double top = j["outliers"][0]["observed_mean"].get<double>();
    QVERIFY2(std::fabs(top - (3.0 + 1.0 / 3.0)) < 6.0 * std::sqrt(2.0 * 8.0 / 9.0 / 200000.0),
             std::to_string(top).c_str());
}

// sigma far below the spikes (+-1): the windows from the theory are narrower than the
// eigenvalues' accuracy (banded bisection: 1e-13 of the scale; dense: N eps |H|). Each spike's
// eigenvalue must still be observed in its cluster and the rest in the bulk, nothing
// unexplained (the review saw 2 unexplained per sample at 1e-14 banded, 32 at 1e-150 dense).
void TstCli::tinySigmaOutliersStayInTheirClusters()
{
    for (const Args& extra : {Args{"--sigma", "1e-14"}, Args{"--sigma", "1e-13"},
                              Args{"--sigma", "1e-150", "--sampler", "dense"}}) {
        Args args{"sample",    "--n", "1000",   "--spikes", "list:1,-1",
                  "--samples", "2",   "--json", "-"};
        args.insert(args.end(), extra.begin(), extra.end());
        const Result r = cli(args);
        QVERIFY2(r.code == 0, describe(r).c_str());
        const json j = json::parse(r.out);
        QCOMPARE(j["unexplained"]["per_sample"].get<double>(), 0.0);
        const auto& iv = j["intervals"];
        QCOMPARE(iv.size(), std::size_t{3});
        QCOMPARE(iv[0]["observed_count"].get<double>(), 1.0);
        QCOMPARE(iv[1]["observed_count"].get<double>(), 998.0);
        QCOMPARE(iv[2]["observed_count"].get<double>(), 1.0);
    }
}

QTEST_GUILESS_MAIN(TstCli)
#include "tst_cli.moc"
