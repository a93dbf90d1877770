// Session files: JSON round trip, hostile input, atomic writes.
#include "support/file_size_limit.h"
#include "core/model/families.h"
#include "core/io/atomic_file.h"
#include "core/io/session.h"

#include <nlohmann/json.hpp>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cstdint>
#include <limits>
#include <string>

#include <sys/stat.h>

using namespace ws::core;
using json = nlohmann::json;

Q_DECLARE_METATYPE(std::string)

namespace {

std::string readAll(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return "<unreadable>";
    return f.readAll().toStdString();
}

// Temporary files left next to `dir`'s entries by writeFileAtomically (".name.tmp-XXXXXX").
QStringList leftovers(const QString& dir)
{
    return QDir(dir).entryList({"*.tmp-*"}, QDir::Files | QDir::Hidden | QDir::System);
}

std::string validSession(const std::string& modelBody, const std::string& extra = "")
{
    return R"({"format": "wignerscope-session", "version": 1, "model": {)" + modelBody + "}" +
           extra + "}";
}

} // namespace

class TstSession : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip_data();
    void roundTrip();
    void canonicalFamilyStrings();
    void minimalSessionGetsDefaults();
    void unknownKeysIgnored();
    void rectRoundTrip();
    void rectKeysNamedInErrors_data();
    void rectKeysNamedInErrors();
    void version1RectFromTheView();
    void version1InvalidRectIsLeftOut();
    void hostile_data();
    void hostile();
    void deeplyNested();
    void loadMissingFile();
    void atomicWriteCreatesAndReplaces();
    void atomicWriteFailureKeepsOldFile();
    void atomicWriteIntoMissingDirectory();
    void atomicWriteOverDirectory();
};

void TstSession::roundTrip_data()
{
    QTest::addColumn<std::string>("noise");
    QTest::addColumn<std::string>("spikes");
    QTest::addColumn<std::string>("bulk");
    QTest::addColumn<std::string>("eigvecs");
    QTest::addColumn<bool>("explicitRank");
    QTest::addColumn<double>("alphaOrRank");
    QTest::addColumn<double>("sigma");
    QTest::addColumn<quint64>("seed");

    QTest::newRow("defaults") << std::string("gaussian") << std::string("equal:3")
                              << std::string("zero") << std::string("basis") << false << 0.0 << 1.0
                              << quint64(1);
    // 0.1 + 0.2 and 1/3 are not short decimals: they only survive with round-trip printing.
    QTest::newRow("awkward doubles")
        << std::string("student-t:3.5")
        << std::string("linear:0.30000000000000004,3.3333333333333335")
        << std::string("uniform:-1,1") << std::string("haar") << false << (0.1 + 0.2) << (1.0 / 3.0)
        << std::numeric_limits<quint64>::max();
    QTest::newRow("explicit rank")
        << std::string("complex") << std::string("power:5,0.5") << std::string("twopoint:-1,2,0.25")
        << std::string("basis") << true << 7.0 << 2.5 << quint64(12345);
    QTest::newRow("lists") << std::string("sparse:0.05") << std::string("list:4,2.5,1.6")
                           << std::string("list:-1,0,0.5") << std::string("haar") << false << 1.0
                           << 1e-3 << quint64(0);
    QTest::newRow("semicircle bulk")
        << std::string("rademacher") << std::string("equal:-2.75") << std::string("semicircle:0.5")
        << std::string("basis") << true << 1.0 << 1.0 << quint64(99);
}

void TstSession::roundTrip()
{
    QFETCH(std::string, noise);
    QFETCH(std::string, spikes);
    QFETCH(std::string, bulk);
    QFETCH(std::string, eigvecs);
    QFETCH(bool, explicitRank);
    QFETCH(double, alphaOrRank);
    QFETCH(double, sigma);
    QFETCH(quint64, seed);

    Session s;
    s.model.n = 321;
    s.model.sigma = sigma;
    s.model.noise = parseNoise(noise);
    s.model.spikes = parseSpikes(spikes);
    s.model.bulk = parseBulk(bulk);
    s.model.eigvecs = parseEigvecs(eigvecs);
    s.model.rank.isExplicit = explicitRank;
    if (explicitRank)
        s.model.rank.rank = static_cast<int>(alphaOrRank);
    else
        s.model.rank.alpha = alphaOrRank;
    s.samples = 17;
    s.seed = seed;
    s.viewJson = R"({"bins": 80, "overlay": {"semicircle": true, "label": "x"}})";

    const std::string text = sessionToJson(s);
    const Session back = sessionFromJson(text);
    QVERIFY(back.model == s.model);
    QCOMPARE(back.samples, s.samples);
    QCOMPARE(back.seed, s.seed);
    QCOMPARE(json::parse(back.viewJson), json::parse(s.viewJson));
    // And the printed form is stable: a second round gives the same text.
    QCOMPARE(sessionToJson(back), text);
}

void TstSession::canonicalFamilyStrings()
{
    Session s;
    s.model.n = 50;
    s.model.noise = parseNoise("  Student-T:4 ");
    s.model.spikes = parseSpikes("list: 4, 2.5");
    s.model.bulk = parseBulk("UNIFORM:-1,1");
    const json j = json::parse(sessionToJson(s));
    QCOMPARE(j.at("format").get<std::string>(), std::string("wignerscope-session"));
    QCOMPARE(j.at("version").get<int>(), 2);
    QVERIFY(!j.contains("rect")); // only written with a rectangular model
    const json& m = j.at("model");
    QCOMPARE(m.at("noise").get<std::string>(), toString(s.model.noise));
    QCOMPARE(m.at("noise").get<std::string>(), std::string("student-t:4"));
    QCOMPARE(m.at("spikes").get<std::string>(), std::string("list:4,2.5"));
    QCOMPARE(m.at("bulk").get<std::string>(), std::string("uniform:-1,1"));
    QCOMPARE(m.at("eigvecs").get<std::string>(), std::string("basis"));
    QVERIFY(m.at("n").is_number_integer());
    QVERIFY(m.contains("alpha"));
    QVERIFY(!m.contains("rank"));
    QVERIFY(j.at("view").is_object());
}

void TstSession::minimalSessionGetsDefaults()
{
    const Session s = sessionFromJson(validSession(R"("n": 50)"));
    Model expected;
    expected.n = 50;
    QVERIFY(s.model == expected);
    QCOMPARE(s.samples, 1);
    QCOMPARE(s.seed, std::uint64_t(1));
    QCOMPARE(json::parse(s.viewJson), json::object());
}

void TstSession::unknownKeysIgnored()
{
    const Session s = sessionFromJson(
        validSession(R"("n": 60, "future": [1, 2], "rank": 3)", R"(, "extra": {"a": null})"));
    QCOMPARE(s.model.n, 60);
    QVERIFY(s.model.rank.isExplicit);
    QCOMPARE(s.model.rank.rank, 3);
}

// The rectangular model and its run, with the square model's keys for the shared fields.
void TstSession::rectRoundTrip()
{
    Session s;
    s.model.n = 40;
    RectSession r;
    r.model.n = 300;
    r.model.m = 75;
    r.model.sigma = 1.0 / 3.0;
    r.model.noise = parseNoise("student-t:5");
    r.model.rank = {false, 0.37, 1};
    r.model.spikes = parseSpikes("list:5,2");
    r.model.bulk = parseBulk("uniform:0,0.5");
    r.model.eigvecs = Eigvecs::Haar;
    r.samples = 7;
    r.seed = std::numeric_limits<std::uint64_t>::max();
    s.rect = r;
    const std::string text = sessionToJson(s);
    const json j = json::parse(text);
    const json& m = j.at("rect").at("model");
    for (const char* key : {"sigma", "noise", "alpha", "spikes", "bulk", "eigvecs"})
        QCOMPARE(m.at(key).type_name(), j.at("model").at(key).type_name());
    QCOMPARE(m.at("m").get<int>(), 75);
    QCOMPARE(m.at("spikes").get<std::string>(), std::string("list:5,2"));
    const Session back = sessionFromJson(text);
    QVERIFY(back.rect);
    QVERIFY(*back.rect == r);
    QCOMPARE(sessionToJson(back), text);
    const Session square; // no rectangular model: none read back
    QVERIFY(!sessionFromJson(sessionToJson(square)).rect);
}

void TstSession::rectKeysNamedInErrors_data()
{
    QTest::addColumn<std::string>("rect");
    QTest::addColumn<QString>("param");
    QTest::newRow("not an object") << std::string("5") << "rect";
    QTest::newRow("no model") << std::string("{}") << "rect.model";
    QTest::newRow("no m") << std::string(R"({"model": {"n": 10}})") << "rect.model.m";
    QTest::newRow("n zero") << std::string(R"({"model": {"n": 0, "m": 3}})") << "rect.model.n";
    QTest::newRow("bad spikes") << std::string(R"({"model": {"n": 9, "m": 3, "spikes": "x"}})")
                                << "rect.model.spikes";
    QTest::newRow("negative spike")
        << std::string(R"({"model": {"n": 9, "m": 3, "spikes": "list:-1"}})")
        << "rect.model.spikes";
    QTest::newRow("rank beyond p")
        << std::string(R"({"model": {"n": 9, "m": 3, "rank": 4}})") << "rect.model.rank";
    QTest::newRow("both rank rules")
        << std::string(R"({"model": {"n": 9, "m": 3, "rank": 1, "alpha": 0}})")
        << "rect.model.rank";
    QTest::newRow("samples") << std::string(R"({"model": {"n": 9, "m": 3}, "run": {"samples": 0}})")
                             << "rect.run.samples";
    QTest::newRow("seed") << std::string(R"({"model": {"n": 9, "m": 3}, "run": {"seed": -1}})")
                          << "rect.run.seed";
}

void TstSession::rectKeysNamedInErrors()
{
    QFETCH(std::string, rect);
    QFETCH(QString, param);
    try {
        sessionFromJson(validSession(R"("n": 50)", R"(, "rect": )" + rect));
        QFAIL("accepted");
    } catch (const InputError& e) {
        QCOMPARE(QString::fromStdString(e.param()), param);
        QVERIFY(std::string(e.what()).rfind(param.toStdString() + ": ", 0) == 0);
    }
}

// The Rectangular tab of version 1 kept its control values in the view; they load as the
// session's rectangular model (c -> M = round(c N), rank 0 -> alpha), and the view stays.
void TstSession::version1RectFromTheView()
{
    const std::string view = R"(, "view": {"sweeps": {"tab": "rectangular", "rectangular": {
        "n": 300, "c": 0.25, "sigma": 1.5, "noise": "complex", "eigvecs": "haar", "alpha": 0.4,
        "rank": 0, "spikes": "list:5,2", "bulk": "uniform:0,0.5", "samples": 7, "seed": 99,
        "squared": true}}})";
    const Session s = sessionFromJson(validSession(R"("n": 50)", view));
    QVERIFY(s.rect);
    const RectModel& m = s.rect->model;
    QCOMPARE(m.n, 300);
    QCOMPARE(m.m, 75);
    QCOMPARE(m.sigma, 1.5);
    QVERIFY(m.noise.isComplex());
    QVERIFY(m.eigvecs == Eigvecs::Haar);
    QVERIFY(!m.rank.isExplicit);
    QCOMPARE(m.rank.alpha, 0.4);
    QCOMPARE(toString(m.spikes), std::string("list:5,2"));
    QCOMPARE(toString(m.bulk), std::string("uniform:0,0.5"));
    QCOMPARE(s.rect->samples, 7);
    QCOMPARE(s.rect->seed, std::uint64_t(99));
    QVERIFY(json::parse(s.viewJson).at("sweeps").at("rectangular").at("squared").get<bool>());
    // An explicit rank, and a version 2 file with its own "rect" is not migrated.
    const std::string ranked = R"(, "view": {"sweeps": {"rectangular": {"n": 100, "c": 2,
        "rank": 3}}})";
    const Session r = sessionFromJson(validSession(R"("n": 50)", ranked));
    QVERIFY(r.rect && r.rect->model.rank.isExplicit && r.rect->model.rank.rank == 3);
    QCOMPARE(r.rect->model.m, 200);
    std::string v2 = validSession(R"("n": 50)", ranked);
    v2.replace(v2.find(R"("version": 1)"), 12, R"("version": 2)");
    QVERIFY(!sessionFromJson(v2).rect);
}

void TstSession::version1InvalidRectIsLeftOut()
{
    for (const char* tab : {R"({"spikes": "list:1,nan"})", R"({"sigma": -5})",
                            R"({"rank": 0, "alpha": 2})", R"({"spikes": "list:-2"})", R"(7)"}) {
        const Session s = sessionFromJson(validSession(
            R"("n": 50)", std::string(R"(, "view": {"sweeps": {"rectangular": )") + tab + "}}"));
        QVERIFY2(!s.rect, tab);
        QCOMPARE(s.model.n, 50);
    }
}

void TstSession::hostile_data()
{
    QTest::addColumn<std::string>("text");
    QTest::addColumn<QString>("key"); // must appear in the message

    QTest::newRow("empty file") << std::string("") << "not valid JSON";
    QTest::newRow("whitespace") << std::string("  \n ") << "not valid JSON";
    QTest::newRow("not json") << std::string("n = 1000") << "not valid JSON";
    QTest::newRow("truncated") << validSession(R"("n": 50)").substr(0, 40) << "not valid JSON";
    QTest::newRow("NaN literal") << validSession(R"("n": 50, "sigma": NaN)") << "not valid JSON";
    QTest::newRow("array") << std::string("[1, 2]") << "JSON object";
    QTest::newRow("missing format")
        << std::string(R"({"version": 1, "model": {"n": 50}})") << "format";
    QTest::newRow("wrong format") << std::string(
                                         R"({"format": "other", "version": 1, "model": {"n": 50}})")
                                  << "format";
    QTest::newRow("format not string")
        << std::string(R"({"format": 1, "version": 1, "model": {"n": 50}})") << "format";
    QTest::newRow("missing version")
        << std::string(R"({"format": "wignerscope-session", "model": {"n": 50}})") << "version";
    QTest::newRow("version string")
        << std::string(R"({"format": "wignerscope-session", "version": "1", "model": {"n": 50}})")
        << "version";
    QTest::newRow("future version")
        << std::string(R"({"format": "wignerscope-session", "version": 3, "model": {"n": 50}})")
        << "version";
    QTest::newRow("missing model")
        << std::string(R"({"format": "wignerscope-session", "version": 1})") << "model";
    QTest::newRow("model not object")
        << std::string(R"({"format": "wignerscope-session", "version": 1, "model": 5})") << "model";
    QTest::newRow("missing n") << validSession(R"("sigma": 1)") << "model.n";
    QTest::newRow("n string") << validSession(R"("n": "1000")") << "model.n";
    QTest::newRow("n fractional") << validSession(R"("n": 10.5)") << "model.n";
    QTest::newRow("n bool") << validSession(R"("n": true)") << "model.n";
    QTest::newRow("n null") << validSession(R"("n": null)") << "model.n";
    QTest::newRow("n too small") << validSession(R"("n": 1)") << "model.n";
    QTest::newRow("n negative") << validSession(R"("n": -5)") << "model.n";
    QTest::newRow("n beyond int") << validSession(R"("n": 3000000000)") << "model.n";
    QTest::newRow("n huge") << validSession(R"("n": 1e300)") << "model.n";
    QTest::newRow("n beyond uint64")
        << validSession(R"("n": 99999999999999999999999)") << "model.n";
    QTest::newRow("sigma string") << validSession(R"("n": 50, "sigma": "1")") << "model.sigma";
    QTest::newRow("sigma zero") << validSession(R"("n": 50, "sigma": 0)") << "model.sigma";
    QTest::newRow("sigma negative") << validSession(R"("n": 50, "sigma": -1)") << "model.sigma";
    QTest::newRow("sigma overflow") << validSession(R"("n": 50, "sigma": 1e999)") << "1e999";
    QTest::newRow("noise number") << validSession(R"("n": 50, "noise": 3)") << "model.noise";
    QTest::newRow("noise unknown")
        << validSession(R"("n": 50, "noise": "cauchy")") << "model.noise";
    QTest::newRow("noise bad nu") << validSession(R"("n": 50, "noise": "student-t:2")")
                                  << "model.noise";
    QTest::newRow("noise bad p") << validSession(R"("n": 50, "noise": "sparse:0")")
                                 << "model.noise";
    QTest::newRow("alpha too big") << validSession(R"("n": 50, "alpha": 1.5)") << "model.alpha";
    QTest::newRow("alpha string") << validSession(R"("n": 50, "alpha": "0.5")") << "model.alpha";
    QTest::newRow("alpha and rank")
        << validSession(R"("n": 50, "alpha": 0.5, "rank": 3)") << "model.rank";
    QTest::newRow("rank zero") << validSession(R"("n": 50, "rank": 0)") << "model.rank";
    QTest::newRow("rank above n") << validSession(R"("n": 50, "rank": 51)") << "model.rank";
    QTest::newRow("rank fractional") << validSession(R"("n": 50, "rank": 2.5)") << "model.rank";
    QTest::newRow("spikes malformed")
        << validSession(R"("n": 50, "spikes": "power:3")") << "model.spikes";
    QTest::newRow("spikes empty list")
        << validSession(R"("n": 50, "spikes": "list:")") << "model.spikes";
    QTest::newRow("spikes nan") << validSession(R"("n": 50, "spikes": "equal:nan")")
                                << "model.spikes";
    QTest::newRow("spikes array") << validSession(R"("n": 50, "spikes": [3])") << "model.spikes";
    QTest::newRow("bulk reversed")
        << validSession(R"("n": 50, "bulk": "uniform:1,-1")") << "model.bulk";
    QTest::newRow("bulk inf") << validSession(R"("n": 50, "bulk": "uniform:-inf,1")")
                              << "model.bulk";
    QTest::newRow("eigvecs unknown")
        << validSession(R"("n": 50, "eigvecs": "random")") << "model.eigvecs";
    QTest::newRow("run not object") << validSession(R"("n": 50)", R"(, "run": [1])") << "run";
    QTest::newRow("samples zero") << validSession(R"("n": 50)", R"(, "run": {"samples": 0})")
                                  << "run.samples";
    QTest::newRow("samples string")
        << validSession(R"("n": 50)", R"(, "run": {"samples": "9"})") << "run.samples";
    QTest::newRow("seed negative")
        << validSession(R"("n": 50)", R"(, "run": {"seed": -1})") << "run.seed";
    // The range named is the one accepted (every uint64, as the CLI's --seed).
    QTest::newRow("seed negative names the range")
        << validSession(R"("n": 50)", R"(, "run": {"seed": -1})") << "[0, 18446744073709551615]";
    QTest::newRow("seed fractional")
        << validSession(R"("n": 50)", R"(, "run": {"seed": 1.5})") << "run.seed";
    QTest::newRow("view not object") << validSession(R"("n": 50)", R"(, "view": "x")") << "view";
}

void TstSession::hostile()
{
    QFETCH(std::string, text);
    QFETCH(QString, key);
    try {
        sessionFromJson(text);
        QFAIL("accepted a hostile session");
    } catch (const InputError& e) {
        const QString msg = QString::fromStdString(e.what());
        QVERIFY2(msg.contains(key), qPrintable("message '" + msg + "' does not name " + key));
    } catch (const std::exception& e) {
        QFAIL(qPrintable(QString("wrong exception type: ") + e.what()));
    }
}

void TstSession::deeplyNested()
{
    // Deep nesting anywhere (here in the opaque view, and as the whole document) is refused
    // without exhausting the stack.
    const int depth = 200000;
    const std::string nested = std::string(depth, '[') + std::string(depth, ']');
    for (const std::string& text :
         {validSession(R"("n": 50)", R"(, "view": {"a": )" + nested + "}"), nested}) {
        try {
            sessionFromJson(text);
            QFAIL("accepted a deeply nested session");
        } catch (const InputError& e) {
            QVERIFY2(std::string(e.what()).find("nested") != std::string::npos, e.what());
        }
    }
}

void TstSession::loadMissingFile()
{
    QTemporaryDir dir;
    const std::string path = (dir.path() + "/nope.json").toStdString();
    try {
        loadSession(path);
        QFAIL("loaded a missing file");
    } catch (const InputError& e) {
        QVERIFY(std::string(e.what()).find(path) != std::string::npos);
    }
    // And a valid file loads, with errors naming the file.
    const QString good = dir.path() + "/s.json";
    writeFileAtomically(good.toStdString(), validSession(R"("n": 77)"));
    QCOMPARE(loadSession(good.toStdString()).model.n, 77);
    writeFileAtomically(good.toStdString(), validSession(R"("n": "x")"));
    try {
        loadSession(good.toStdString());
        QFAIL("loaded a bad file");
    } catch (const InputError& e) {
        const std::string msg = e.what();
        QVERIFY2(msg.find(good.toStdString()) != std::string::npos, e.what());
        QVERIFY2(msg.find("model.n") != std::string::npos, e.what());
    }
}

void TstSession::atomicWriteCreatesAndReplaces()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.path() + "/out.json";
    writeFileAtomically(path.toStdString(), "first\n");
    QCOMPARE(readAll(path), std::string("first\n"));
    const std::string big(1 << 20, 'x');
    writeFileAtomically(path.toStdString(), big);
    QCOMPARE(readAll(path), big);
    writeFileAtomically(path.toStdString(), "");
    QCOMPARE(readAll(path), std::string(""));
    QVERIFY(leftovers(dir.path()).isEmpty());

    // A new file gets the usual permissions (0666 minus umask), not mkstemp's 0600.
    const mode_t mask = ::umask(022);
    ::umask(mask);
    struct stat st
    {
    };
    QCOMPARE(::stat(path.toLocal8Bit().constData(), &st), 0);
    QCOMPARE(st.st_mode & 0777, 0666 & ~mask);

    // A relative name (no directory part) works too.
    const QString cwd = QDir::currentPath();
    QVERIFY(QDir::setCurrent(dir.path()));
    writeFileAtomically("relative.txt", "r");
    QDir::setCurrent(cwd);
    QCOMPARE(readAll(dir.path() + "/relative.txt"), std::string("r"));
}

void TstSession::atomicWriteFailureKeepsOldFile()
{
    // Make write() itself fail halfway (EFBIG from a file-size limit): this works even as root,
    // where permission tricks do not.
    QTemporaryDir dir;
    const QString path = dir.path() + "/data.csv";
    writeFileAtomically(path.toStdString(), "old contents\n");

    testsupport::FileSizeLimit limit(4096);
    QVERIFY(limit.ok());
    bool threw = false;
    std::string message;
    try {
        writeFileAtomically(path.toStdString(), std::string(100000, 'y'));
    } catch (const std::runtime_error& e) {
        threw = true;
        message = e.what();
    }
    limit.restore();

    QVERIFY(threw);
    QVERIFY2(message.find("cannot write " + path.toStdString()) == 0, message.c_str());
    QCOMPARE(readAll(path), std::string("old contents\n"));
    QVERIFY2(leftovers(dir.path()).isEmpty(), qPrintable(leftovers(dir.path()).join(", ")));
}

void TstSession::atomicWriteIntoMissingDirectory()
{
    QTemporaryDir dir;
    const QString path = dir.path() + "/no/such/dir/out.json";
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, writeFileAtomically(path.toStdString(), "x"));
    try {
        writeFileAtomically(path.toStdString(), "x");
    } catch (const std::runtime_error& e) {
        QVERIFY2(std::string(e.what()).find("No such file or directory") != std::string::npos,
                 e.what());
    }
    QVERIFY(!QFile::exists(path));
}

void TstSession::atomicWriteOverDirectory()
{
    // rename() over a non-empty directory fails after the temporary file was written: the
    // directory and its contents must survive and the temporary file must be gone.
    QTemporaryDir dir;
    const QString target = dir.path() + "/target";
    QVERIFY(QDir().mkpath(target));
    writeFileAtomically((target + "/inside.txt").toStdString(), "keep");
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, writeFileAtomically(target.toStdString(), "x"));
    QCOMPARE(readAll(target + "/inside.txt"), std::string("keep"));
    QVERIFY(leftovers(dir.path()).isEmpty());
}

QTEST_APPLESS_MAIN(TstSession)
#include "tst_session.moc"
