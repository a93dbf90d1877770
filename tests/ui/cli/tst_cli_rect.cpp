// wignerscope-cli rect: the theory numbers are computeRectTheory's (bit for bit through JSON),
// the sample JSON has its fields and the observed outliers sit at the predictions for strong
// spikes, invalid options exit 2 naming the option.
#include "clitest.h"
#include "ui/cli/cli.h"
#include "core/model/families.h"
#include "core/io/atomic_file.h"
#include "core/io/session.h"
#include "core/rectangular/rectangular.h"

#include <nlohmann/json.hpp>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <cmath>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using json = nlohmann::json;
using namespace clitest;

namespace {

// JSON null <-> nullopt, numbers exactly (nlohmann writes doubles in round-trip form).
bool sameOptional(const json& v, const std::optional<double>& expected)
{
    if (!expected)
        return v.is_null();
    return v.is_number() && v.get<double>() == *expected;
}

std::string num6(double v)
{
    return QString::number(v, 'g', 6).toStdString();
}

} // namespace

class TstCliRect : public QObject
{
    Q_OBJECT

private slots:
    void theoryMatchesCore_data();
    void theoryMatchesCore();
    void sampleJsonAndStrongSpikes_data();
    void sampleJsonAndStrongSpikes();
    void sampleDeterministic();
    void sampleSummary();
    void equalSpikesOneRow();
    void badInput_data();
    void badInput();
    void memoryBudget();
    void cancellation();
    void help();
    void sessionGivesTheModel();
    void sessionVersion1FromTheView();
    void sessionErrors();
};

void TstCliRect::theoryMatchesCore_data()
{
    QTest::addColumn<Args>("args");
    QTest::addColumn<bool>("squared");
    QTest::newRow("rank one c = 2") << Args{"--n", "400", "--m", "800"} << false;
    QTest::newRow("rank one c = 2 squared")
        << Args{"--n", "400", "--m", "800", "--squared"} << true;
    QTest::newRow("--c 0.5, list")
        << Args{"--n", "300", "--c", "0.5", "--spikes", "list:3,2,0.5"} << false;
    QTest::newRow("growing rank, uniform bulk, squared")
        << Args{"--n",        "400",    "--m",         "200",       "--alpha", "0.5", "--spikes",
                "linear:2,4", "--bulk", "uniform:0,1", "--squared", "--sigma", "1.5"}
        << true;
    QTest::newRow("equal spikes, haar, c = 1")
        << Args{"--n",      "200",       "--m",       "200",  "--rank",   "3",
                "--spikes", "equal:2.5", "--eigvecs", "haar", "--points", "300"}
        << false;
}

void TstCliRect::theoryMatchesCore()
{
    QFETCH(Args, args);
    QFETCH(bool, squared);
    const Result r = cli(concat({"rect", "theory", "--json", "-"}, args));
    QVERIFY2(r.code == 0, describe(r).c_str());
    const json j = json::parse(r.out);

    // The same model and points through the core.
    const json& jm = j.at("model");
    ws::core::RectModel m;
    m.n = jm.at("n").get<int>();
    m.m = jm.at("m").get<int>();
    m.sigma = jm.at("sigma").get<double>();
    m.noise = ws::core::parseNoise(jm.at("noise").get<std::string>());
    m.spikes = ws::core::parseSpikes(jm.at("spikes").get<std::string>());
    m.bulk = ws::core::parseBulk(jm.at("bulk").get<std::string>());
    m.eigvecs = ws::core::parseEigvecs(jm.at("eigvecs").get<std::string>());
    m.rank.isExplicit = true;
    m.rank.rank = jm.at("rank").get<int>();
    int points = 800;
    for (std::size_t i = 0; i + 1 < args.size(); ++i)
        if (args[i] == "--points")
            points = std::stoi(args[i + 1]);
    const ws::core::RectTheory t = ws::core::computeRectTheory(m, points);
    QCOMPARE(jm.at("c").get<double>(), m.ratio());
    QCOMPARE(jm.at("p").get<int>(), t.p);
    QCOMPARE(j.at("units").get<std::string>(), std::string(squared ? "squared" : "singular"));

    const auto unitY = [&](double y) { return squared ? y * y : y; };
    const auto unitX = [&](double x) { return squared ? x : std::sqrt(std::max(x, 0.0)); };
    const ws::core::MpEdges mp = squared ? t.mpSquaredEdges : t.mpSingularEdges;
    QVERIFY(j.at("mp_edges").at(0).get<double>() == mp.lo);
    QVERIFY(j.at("mp_edges").at(1).get<double>() == mp.hi);
    QVERIFY(j.at("main_bulk").at(0).get<double>() == unitY(t.mainBulkLo));
    QVERIFY(j.at("main_bulk").at(1).get<double>() == unitY(t.mainBulkHi));
    QVERIFY(j.at("edge_margin_singular").get<double>() == t.edgeMargin);
    QVERIFY(j.at("bbp_threshold").get<double>() == m.sigma * std::pow(m.ratio(), 0.25));
    QCOMPARE(j.at("support").size(), t.equivalent.support.size());
    for (std::size_t i = 0; i < t.equivalent.support.size(); ++i) {
        const auto& s = t.equivalent.support[i];
        const json& js = j.at("support").at(i);
        QVERIFY(js.at("a").get<double>() == unitX(s.a));
        QVERIFY(js.at("b").get<double>() == unitX(s.b));
        QVERIFY(js.at("mass").get<double>() == s.mass);
        QVERIFY(js.at("count").get<double>() == s.mass * t.p);
    }
    const ws::core::Curve& density = squared ? t.equivalent.squared : t.equivalent.singular;
    QVERIFY(j.at("density").at("x").get<std::vector<double>>() == density.x);
    QVERIFY(j.at("density").at("y").get<std::vector<double>>() == density.y);
    const ws::core::Curve& mpCurve = squared ? t.mpSquared : t.mpSingular;
    QVERIFY(j.at("mp_density").at("x").get<std::vector<double>>() == mpCurve.x);
    QVERIFY(j.at("mp_density").at("y").get<std::vector<double>>() == mpCurve.y);

    QCOMPARE(j.at("outliers").size(), t.outliers.size());
    for (std::size_t i = 0; i < t.outliers.size(); ++i) {
        const auto& p = t.outliers[i];
        const json& o = j.at("outliers").at(i);
        QVERIFY(o.at("theta").get<double>() == p.theta);
        QCOMPARE(o.at("multiplicity").get<int>(), p.multiplicity);
        QVERIFY(sameOptional(o.at("finite_rank"), p.finiteRank
                                                      ? std::optional<double>(unitY(*p.finiteRank))
                                                      : std::nullopt));
        QVERIFY(sameOptional(o.at("large_rank"), squared ? p.largeRankSquared : p.largeRank));
        QVERIFY(sameOptional(o.at("overlap_left"), p.overlapLeft));
        QVERIFY(sameOptional(o.at("overlap_right"), p.overlapRight));
        QCOMPARE(o.at("in_main_bulk").get<bool>(), p.inMainBulk);
        QCOMPARE(o.at("side").get<int>(), p.side);
        QVERIFY(!o.contains("observed_mean"));
    }

    // The human summary prints the same numbers (6 digits).
    const Result h = cli(concat({"rect", "theory"}, args));
    QVERIFY2(h.code == 0, describe(h).c_str());
    QVERIFY2(h.out.find("[" + num6(mp.lo) + ", " + num6(mp.hi) + "]") != std::string::npos,
             h.out.c_str());
    if (!t.outliers.empty() && t.outliers[0].finiteRank)
        QVERIFY2(h.out.find(num6(unitY(*t.outliers[0].finiteRank))) != std::string::npos,
                 h.out.c_str());
    if (!t.outliers.empty() && t.outliers[0].largeRank)
        QVERIFY2(h.out.find(num6(squared ? *t.outliers[0].largeRankSquared
                                         : *t.outliers[0].largeRank)) != std::string::npos,
                 h.out.c_str());
    const auto& main = t.equivalent.support[t.equivalent.mainBulk];
    QVERIFY2(h.out.find("[" + num6(unitX(main.a)) + ", " + num6(unitX(main.b)) + "]") !=
                 std::string::npos,
             h.out.c_str());
}

void TstCliRect::sampleJsonAndStrongSpikes_data()
{
    QTest::addColumn<Args>("args");
    QTest::addColumn<bool>("squared");
    QTest::addColumn<int>("samples");
    // Strong spikes (theta/sigma = 3 and 2 vs the threshold c^(1/4) = 1.19 or 0.84), one
    // subcritical (0.5); c = 2 and c = 0.5.
    QTest::newRow("c = 2") << Args{"--n", "300", "--m", "600", "--spikes", "list:3,2,0.5"} << false
                           << 16;
    QTest::newRow("c = 0.5 squared")
        << Args{"--n", "400", "--c", "0.5", "--spikes", "list:3,2,0.5", "--squared"} << true << 16;
    QTest::newRow("haar, sigma 2") << Args{"--n", "250",      "--m",      "500",       "--sigma",
                                           "2",   "--spikes", "list:6,4", "--eigvecs", "haar"}
                                   << false << 12;
}

void TstCliRect::sampleJsonAndStrongSpikes()
{
    QFETCH(Args, args);
    QFETCH(bool, squared);
    QFETCH(int, samples);
    const Result r = cli(concat(
        {"rect", "sample", "--samples", std::to_string(samples), "--seed", "7", "--json", "-"},
        args));
    QVERIFY2(r.code == 0, describe(r).c_str());
    const json j = json::parse(r.out);
    for (const char* key :
         {"program", "model", "units", "mp_edges", "bbp_threshold", "support", "main_bulk",
          "samples", "seed", "observed_range", "histogram", "outliers", "timing"})
        QVERIFY2(j.contains(key), key);
    QCOMPARE(j.at("samples").get<int>(), samples);
    QCOMPARE(j.at("seed").get<int>(), 7);
    const int p = j.at("model").at("p").get<int>();
    const auto counts = j.at("histogram").at("counts").get<std::vector<double>>();
    QCOMPARE(j.at("histogram").at("edges").size(), counts.size() + 1);
    double total = 0.0;
    for (double c : counts)
        total += c;
    QCOMPARE(total, double(p) * samples); // the range covers every value

    const double sigma = j.at("model").at("sigma").get<double>();
    const int n = j.at("model").at("n").get<int>();
    for (const json& o : j.at("outliers")) {
        for (const char* key :
             {"theta", "finite_rank", "large_rank", "overlap_left", "overlap_right",
              "observed_mean", "observed_sd", "observed_in_samples"})
            QVERIFY2(o.contains(key), key);
        const double theta = o.at("theta").get<double>();
        if (o.at("finite_rank").is_null()) {
            // Subcritical: neither predicted nor (at this N) observed.
            QVERIFY(theta / sigma < std::pow(j.at("model").at("c").get<double>(), 0.25));
            QVERIFY(o.at("observed_mean").is_null());
            continue;
        }
        QCOMPARE(o.at("observed_in_samples").get<int>(), samples);
        const double mean = o.at("observed_mean").get<double>();
        const double sd = o.at("observed_sd").get<double>();
        const double pred = o.at("finite_rank").get<double>();
        // Per-sample fluctuations are about sigma/sqrt(N) (x 2y in squared units): the mean of
        // K samples within 4 standard errors, plus the O(1/p) finite-size shift the large-rank
        // prediction quantifies (BBP + O(1/p), docs/rectangular.md).
        const double shift = std::abs(o.at("large_rank").get<double>() - pred);
        const double tol = 4.0 * sd / std::sqrt(samples) + 2.0 * shift + pred / p;
        QVERIFY2(std::abs(mean - pred) < tol,
                 qPrintable(QString("theta %1: observed %2 +- %3, predicted %4, tol %5")
                                .arg(theta)
                                .arg(mean)
                                .arg(sd)
                                .arg(pred)
                                .arg(tol)));
        // ... and the sd is of the predicted order (not a degenerate or exploding sample).
        const double scale = (squared ? 2.0 * std::sqrt(pred) : 1.0) * sigma / std::sqrt(n);
        QVERIFY2(sd > 0.2 * scale && sd < 3.0 * scale,
                 qPrintable(QString("sd %1 vs scale %2").arg(sd).arg(scale)));
    }
}

void TstCliRect::sampleDeterministic()
{
    // Same seed -> the same singular values on any thread count.
    const Args base = {"rect",      "sample", "--n",    "120", "--m",    "200",
                       "--samples", "6",      "--seed", "42",  "--json", "-"};
    const Result a = cli(concat(base, {"--threads", "1"}));
    const Result b = cli(concat(base, {"--threads", "2"}));
    QVERIFY2(a.code == 0 && b.code == 0, describe(a).c_str());
    json ja = json::parse(a.out), jb = json::parse(b.out);
    // Timing differs, and so does the thread record where a request beyond the cores is capped
    // (a machine or a test pinned to one core): the results are what must agree.
    for (const char* key : {"timing", "threads"}) {
        ja.erase(key);
        jb.erase(key);
    }
    QVERIFY(ja == jb);
    const Result c = cli(concat(base, {"--seed", "43"}));
    QCOMPARE(c.code, 2); // --seed given twice
    Args other = base;
    other[9] = "43";
    const Result d = cli(other);
    QVERIFY2(d.code == 0, describe(d).c_str());
    json jd = json::parse(d.out);
    QVERIFY(jd.at("outliers") != ja.at("outliers"));
}

void TstCliRect::sampleSummary()
{
    const Result r = cli({"rect", "sample", "--n", "200", "--c", "2", "--samples", "4"});
    QVERIFY2(r.code == 0, describe(r).c_str());
    for (const char* key :
         {"model     N = 200, M = 400, c = M/N = 2", "units     singular", "sampler",
          "4 samples, seed 1", "bulk", "MP (S = 0)", "observed", "outliers", "(4/4)", "timing"})
        QVERIFY2(r.out.find(key) != std::string::npos, (std::string(key) + "\n" + r.out).c_str());
}

// Equal spikes share one prediction: one row per group in both summaries (not the same row
// once per spike up to the row limit), and the rows left out are counted in spikes.
void TstCliRect::equalSpikesOneRow()
{
    auto lines = [](const std::string& text, const std::string& start) {
        int n = 0;
        std::istringstream in(text);
        for (std::string l; std::getline(in, l);)
            n += l.rfind(start, 0) == 0 ? 1 : 0;
        return n;
    };
    // r = ceil(300^0.7) = 55 spikes at 3.
    const Args model{"--n", "300", "--c", "0.5", "--alpha", "0.7", "--spikes", "equal:3"};
    const Result t = cli(concat({"rect", "theory"}, model));
    QVERIFY2(t.code == 0, describe(t).c_str());
    QCOMPARE(lines(t.out, "          3           55 "), 1);
    QVERIFY2(t.out.find("more spikes") == std::string::npos, t.out.c_str());
    const Result s = cli(concat(concat({"rect", "sample"}, model), {"--samples", "2"}));
    QVERIFY2(s.code == 0, describe(s).c_str());
    QCOMPARE(lines(s.out, "          3 x55 "), 1);
    QCOMPARE(lines(s.out, "          3  "), 0); // no row of a single spike at 3
    // 20 distinct spikes: 12 rows, then the other 8 counted.
    const Result d = cli(
        {"rect", "theory", "--n", "300", "--c", "0.5", "--rank", "20", "--spikes", "linear:1,3"});
    QVERIFY2(d.code == 0, describe(d).c_str());
    QVERIFY2(d.out.find("... 8 more spikes (see --json)") != std::string::npos, d.out.c_str());
}

void TstCliRect::badInput_data()
{
    addRefusedColumns();
    const Args s = {"rect", "sample", "--n", "50", "--m", "80"};
    const Args t = {"rect", "theory", "--n", "50", "--m", "80"};
    QTest::newRow("no subcommand") << Args{"rect"} << "rect";
    QTest::newRow("unknown subcommand") << Args{"rect", "simulate", "--n", "5"} << "simulate";
    QTest::newRow("option as subcommand") << Args{"rect", "--n", "5"} << "rect";
    QTest::newRow("n missing") << Args{"rect", "theory", "--m", "5"} << "--n";
    QTest::newRow("m and c missing") << Args{"rect", "theory", "--n", "5"} << "--m";
    QTest::newRow("m and c both") << concat(t, {"--c", "2"}) << "--c";
    QTest::newRow("n zero") << Args{"rect", "theory", "--n", "0", "--m", "5"} << "--n";
    QTest::newRow("n fractional") << Args{"rect", "theory", "--n", "2.5", "--m", "5"} << "--n";
    QTest::newRow("n huge") << Args{"rect", "theory", "--n", "1e9", "--m", "5"} << "--n";
    QTest::newRow("m negative") << Args{"rect", "theory", "--n", "5", "--m", "-5"} << "--m";
    QTest::newRow("1 x 1") << Args{"rect", "theory", "--n", "1", "--m", "1"} << "--n";
    QTest::newRow("c zero") << Args{"rect", "theory", "--n", "5", "--c", "0"} << "--c";
    QTest::newRow("c negative") << Args{"rect", "theory", "--n", "5", "--c", "-2"} << "--c";
    QTest::newRow("c nan") << Args{"rect", "theory", "--n", "5", "--c", "nan"} << "--c";
    QTest::newRow("c rounds to 0") << Args{"rect", "theory", "--n", "5", "--c", "0.01"} << "--c";
    QTest::newRow("c huge") << Args{"rect", "theory", "--n", "5", "--c", "1e300"} << "--c";
    QTest::newRow("sigma zero") << concat(t, {"--sigma", "0"}) << "--sigma";
    QTest::newRow("sigma garbage") << concat(t, {"--sigma", "x"}) << "--sigma";
    QTest::newRow("rank above min(N, M)") << concat(t, {"--rank", "51"}) << "--rank";
    QTest::newRow("alpha and rank") << concat(t, {"--alpha", "0.5", "--rank", "2"}) << "--rank";
    QTest::newRow("alpha big") << concat(t, {"--alpha", "2"}) << "--alpha";
    QTest::newRow("list too long")
        << Args{"rect", "theory", "--n", "2", "--m", "5", "--spikes", "list:1,2,3"} << "--spikes";
    QTest::newRow("negative singular value") << concat(t, {"--spikes", "list:-1"}) << "--spikes";
    QTest::newRow("spikes garbage") << concat(t, {"--spikes", "banana"}) << "--spikes";
    QTest::newRow("noise unknown") << concat(t, {"--noise", "cauchy"}) << "--noise";
    QTest::newRow("bulk reversed") << concat(t, {"--bulk", "uniform:1,0"}) << "--bulk";
    QTest::newRow("eigvecs") << concat(t, {"--eigvecs", "random"}) << "--eigvecs";
    QTest::newRow("samples zero") << concat(s, {"--samples", "0"}) << "--samples";
    QTest::newRow("seed negative") << concat(s, {"--seed", "-1"}) << "--seed";
    QTest::newRow("threads garbage") << concat(s, {"--threads", "all"}) << "--threads";
    QTest::newRow("bins zero") << concat(s, {"--bins", "0"}) << "--bins";
    QTest::newRow("range reversed") << concat(s, {"--range", "2:1"}) << "--range";
    QTest::newRow("points one") << concat(t, {"--points", "1"}) << "--points";
    QTest::newRow("points to sample") << concat(s, {"--points", "100"}) << "--points";
    QTest::newRow("samples to theory") << concat(t, {"--samples", "3"}) << "--samples";
    QTest::newRow("square-only option") << concat(s, {"--sampler", "dense"}) << "--sampler";
    QTest::newRow("unknown option") << concat(s, {"--frobnicate"}) << "--frobnicate";
    QTest::newRow("squared with value") << concat(t, {"--squared=yes"}) << "--squared";
    QTest::newRow("positional") << concat(t, {"extra"}) << "extra";
    QTest::newRow("json empty") << concat(t, {"--json="}) << "--json";
    QTest::newRow("json missing dir") << concat(t, {"--json", "/nonexistent/dir/x.json"})
                                      << "cannot write /nonexistent/dir/x.json";
    QTest::newRow("budget garbage") << concat(s, {"--memory-budget", "lots"}) << "--memory-budget";
}

void TstCliRect::badInput()
{
    checkRefusedRow();
}

void TstCliRect::memoryBudget()
{
    const Result r = cli({"rect", "sample", "--n", "3000", "--m", "3000", "--samples", "4",
                          "--memory-budget", "1M"});
    QVERIFY2(r.code == 3, describe(r).c_str());
    checkOneErrorLine(r, "memory");
    // The theory holds p values of S (160 bytes each with their atoms and copies): refused
    // before any is allocated, naming the largest N that fits at the same c: (10 MiB - 800
    // curve points x 256 bytes) / 160.
    const Result t = cli({"rect", "theory", "--n", "300000", "--m", "600000", "--bulk",
                          "uniform:0,1", "--memory-budget", "10M"});
    QVERIFY2(t.code == 3, describe(t).c_str());
    checkOneErrorLine(t, "the largest N that fits at the same aspect ratio c = M/N is 64256");
}

void TstCliRect::cancellation()
{
    QTemporaryDir dir;
    const std::string out = (dir.path() + "/out.json").toStdString();
    std::atomic<bool> cancel{true};
    ws::cli::RunEnv env;
    env.cancel = &cancel;
    for (const char* sub : {"sample", "theory"}) {
        const Result r = cli({"rect", sub, "--n", "100", "--m", "200", "--json", out}, env);
        QCOMPARE(r.code, 130);
        QVERIFY(r.err.find("interrupted") != std::string::npos);
        QVERIFY(!QFile::exists(QString::fromStdString(out)));
    }
    // Cancelled while sampling: 130, nothing written.
    cancel = false;
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        cancel = true;
    });
    const Result r = cli({"rect", "sample", "--n", "300", "--m", "400", "--samples", "100000",
                          "--threads", "1", "--json", out},
                         env);
    stopper.join();
    QVERIFY2(r.code == 130, describe(r).c_str());
    QVERIFY(!QFile::exists(QString::fromStdString(out)));
    QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
}

void TstCliRect::help()
{
    for (const Args& a : {Args{"--help"}, Args{"rect", "--help"}, Args{"rect", "sample", "-h"}}) {
        const Result r = cli(a);
        QCOMPARE(r.code, 0);
        for (const char* key : {"wignerscope-cli rect sample RMODEL", "wignerscope-cli rect theory",
                                "--m M", "--c C", "--squared", "RMODEL = --n N"})
            QVERIFY2(r.out.find(key) != std::string::npos, key);
    }
}

// A session as the app saves it (core::sessionToJson of the window's session, whose "rect" is
// the Rectangular tab's model and run): `rect sample --session` runs exactly that model, with
// that seed, as the same options would; options override it.
void TstCliRect::sessionGivesTheModel()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("s.json").toStdString();
    ws::core::Session s;
    s.model.n = 60; // the main view's model: not what rect runs
    ws::core::RectSession r;
    r.model.n = 120;
    r.model.m = 90;
    r.model.sigma = 0.8;
    r.model.rank = {false, 0.3, 1};
    r.model.spikes = ws::core::parseSpikes("linear:2,4");
    r.model.bulk = ws::core::parseBulk("uniform:0,0.5");
    r.model.eigvecs = ws::core::Eigvecs::Haar;
    r.samples = 3;
    r.seed = 18446744073709551615ULL;
    s.rect = r;
    s.viewJson = R"({"sweeps": {"tab": "rectangular", "rectangular": {"squared": false}}})";
    ws::core::writeFileAtomically(path, ws::core::sessionToJson(s));

    const Result fromFile = cli({"rect", "sample", "--session", path, "--json", "-"});
    const Result fromOptions =
        cli({"rect",     "sample",     "--n",    "120",           "--m",
             "90",       "--sigma",    "0.8",    "--alpha",       "0.3",
             "--spikes", "linear:2,4", "--bulk", "uniform:0,0.5", "--eigvecs",
             "haar",     "--samples",  "3",      "--seed",        "18446744073709551615",
             "--json",   "-"});
    QVERIFY2(fromFile.code == 0, describe(fromFile).c_str());
    QVERIFY2(fromOptions.code == 0, describe(fromOptions).c_str());
    json a = json::parse(fromFile.out), b = json::parse(fromOptions.out);
    a.erase("timing");
    b.erase("timing");
    QVERIFY(a == b);
    QCOMPARE(a.at("seed").get<std::uint64_t>(), r.seed);

    // Options override the session; theory reads it too.
    const Result over = cli({"rect", "theory", "--session", path, "--c", "2", "--json", "-"});
    QVERIFY2(over.code == 0, describe(over).c_str());
    const json o = json::parse(over.out);
    QCOMPARE(o.at("model").at("n").get<int>(), 120);
    QCOMPARE(o.at("model").at("m").get<int>(), 240);
    QCOMPARE(o.at("model").at("spikes").get<std::string>(), std::string("linear:2,4"));
}

// A version 1 session (the rectangular model in the view, as the old app wrote it) runs too.
void TstCliRect::sessionVersion1FromTheView()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("v1.json");
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"format": "wignerscope-session", "version": 1, "model": {"n": 50},
        "run": {"samples": 1, "seed": 1}, "view": {"sweeps": {"tab": "rectangular",
        "rectangular": {"n": 100, "c": 1.5, "sigma": 1, "noise": "gaussian", "eigvecs": "basis",
        "alpha": 0.4, "rank": 0, "spikes": "list:4,3", "bulk": "zero", "samples": 2, "seed": 7,
        "squared": false}}}})");
    f.close();
    const Result r = cli({"rect", "sample", "--session", path.toStdString(), "--json", "-"});
    QVERIFY2(r.code == 0, describe(r).c_str());
    const json j = json::parse(r.out);
    QCOMPARE(j.at("model").at("n").get<int>(), 100);
    QCOMPARE(j.at("model").at("m").get<int>(), 150);
    QCOMPARE(j.at("model").at("spikes").get<std::string>(), std::string("list:4,3"));
    QCOMPARE(j.at("samples").get<int>(), 2);
    QCOMPARE(j.at("seed").get<int>(), 7);
}

void TstCliRect::sessionErrors()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("square.json").toStdString();
    ws::core::Session s;
    s.model.n = 40;
    ws::core::writeFileAtomically(path, ws::core::sessionToJson(s));
    checkOneErrorLine(cli({"rect", "theory", "--session", path}),
                      "--session: " + path + ": rect: missing");
    checkOneErrorLine(cli({"rect", "theory", "--session", dir.filePath("none.json").toStdString()}),
                      "--session: cannot read");
    const std::string bad = dir.filePath("bad.json").toStdString();
    ws::core::writeFileAtomically(
        bad, R"({"format": "wignerscope-session", "version": 2, "model": {"n": 5},
                 "rect": {"model": {"n": 9, "m": 3, "spikes": "list:-1"}}})");
    checkOneErrorLine(cli({"rect", "theory", "--session", bad}),
                      "--session: " + bad + ": rect.model.spikes: singular values must be >= 0");
    checkOneErrorLine(cli({"rect", "theory", "--session", ""}), "--session: empty file name");
    checkOneErrorLine(cli({"rect", "theory"}), "--n: required");
}

QTEST_APPLESS_MAIN(TstCliRect)
#include "tst_cli_rect.moc"
