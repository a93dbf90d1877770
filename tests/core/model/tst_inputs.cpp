// Input robustness of the core (README "Valid input"): the family parsers, validate() and the
// session reader at the edges of the double range and on hostile values. Regression tests for
// what fuzz/ found: a session message that split a UTF-8 character (the JSON writer then threw
// an exception other than InputError), spans b - a beyond the double range that validated but
// gave NaN/inf eigenvalues of S, and the semicircle quantile overflowing near DBL_MAX.
#include "support/core_checks.h"
#include "core/model/families.h"
#include "core/model/model.h"
#include "core/io/session.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <algorithm>
#include <functional>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

using namespace ws::core;
using testsupport::errorMessage;

namespace {

constexpr double kMax = std::numeric_limits<double>::max();

bool allFinite(const std::vector<double>& v)
{
    return std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
}

std::string sessionText(const std::string& model, const std::string& rest = "")
{
    return R"({"format": "wignerscope-session", "version": 1, "model": )" + model + rest + "}";
}

// A model of size n with the fixed rank r; the test sets the families.
Model withFixedRank(int n, int r)
{
    Model m;
    m.n = n;
    m.rank = RankRule{true, 0.0, r};
    return m;
}

} // namespace

class TstInputs : public QObject
{
    Q_OBJECT

private slots:
    void spansBeyondDoubleRange();
    void widestValidSpans();
    void semicircleHugeRadius();
    void printerRoundTrip();
    void sessionMessageKeepsUtf8();
    void sessionWrongTypeForEveryKey();
    void errorsCarryTheirParameter();
};

void TstInputs::spansBeyondDoubleRange()
{
    Model m = withFixedRank(50, 3);
    m.spikes = parseSpikes("linear:-1e308,1e308");
    QVERIFY(errorMessage([&] { validate(m); }).rfind("spikes:", 0) == 0);
    m.spikes = parseSpikes("equal:3");
    m.bulk = parseBulk("uniform:-1e308,1e308");
    QVERIFY(errorMessage([&] { validate(m); }).rfind("bulk:", 0) == 0);
}

// Just inside the range: every value finite, sorted, endpoints exact.
void TstInputs::widestValidSpans()
{
    Model m = withFixedRank(200, 50);
    m.spikes = parseSpikes("linear:-8.9e307,8.9e307");
    m.bulk = parseBulk("uniform:-8.9e307,8.9e307");
    validate(m);
    const auto th = spikeValues(m);
    QVERIFY(allFinite(th));
    QCOMPARE(th.front(), 8.9e307);
    QCOMPARE(th.back(), -8.9e307);
    QVERIFY(std::is_sorted(th.rbegin(), th.rend()));
    const auto b = bulkValues(m);
    QVERIFY(allFinite(b));
    QVERIFY(b.front() > -8.9e307 && b.back() < 8.9e307);
}

void TstInputs::semicircleHugeRadius()
{
    Model m;
    m.n = 1000;
    m.bulk.kind = BulkKind::Semicircle;
    for (double rho : {kMax, 1e308, 1e-300}) {
        m.bulk.params = {rho};
        validate(m);
        const auto b = bulkValues(m);
        QVERIFY2(allFinite(b), qPrintable(QString::number(rho)));
        QVERIFY(b.front() >= -rho && b.back() <= rho);
        // Symmetric law: the quantiles are symmetric about 0 (to the bisection's resolution).
        QVERIFY(std::fabs(b.front() + b.back()) <= 1e-9 * rho);
    }
}

// parse(toString(x)) == x, bit for bit, at the awkward values of the double range.
void TstInputs::printerRoundTrip()
{
    const double values[] = {0.0,    -0.0,  0.1,  1.0 / 3.0, 5e-324, 2.2250738585072014e-308,
                             1e-300, 1e300, kMax, -kMax,     2.5,    -1e-5};
    for (double v : values) {
        const SpikeFamily s{SpikeKind::List, {v, 1.0, v}};
        QVERIFY(parseSpikes(toString(s)) == s);
        const SpikeFamily e{SpikeKind::Equal, {v}};
        QVERIFY(parseSpikes(toString(e)) == e);
        const BulkFamily b{BulkKind::TwoPoint, {v, -v, 0.5}};
        QVERIFY(parseBulk(toString(b)) == b);
        QVERIFY(std::signbit(parseSpikes(toString(e)).params[0]) == std::signbit(v));
    }
    for (double p : {1e-300, 0.5, 1.0}) {
        const NoiseFamily f{NoiseKind::Sparse, p};
        QVERIFY(parseNoise(toString(f)) == f);
    }
    const NoiseFamily t{NoiseKind::StudentT, std::nextafter(2.0, 3.0)};
    QVERIFY(parseNoise(toString(t)) == t);
}

// A long non-ASCII value in an error message: cut at a character boundary, valid UTF-8.
void TstInputs::sessionMessageKeepsUtf8()
{
    for (int prefix = 0; prefix < 4; ++prefix) {
        std::string value(static_cast<std::size_t>(prefix), 'a');
        for (int i = 0; i < 40; ++i)
            value += "\xc3\xa9"; // é
        const std::string message =
            errorMessage([&] { sessionFromJson(sessionText(R"({"n": ")" + value + R"("})")); });
        QVERIFY2(message.rfind("model.n:", 0) == 0, message.c_str());
        // The JSON writer rejects invalid UTF-8: the message must survive it.
        const std::string dumped = nlohmann::json(message).dump();
        QVERIFY(!dumped.empty());
    }
}

// Every key with every wrong JSON type: InputError naming the key, nothing else.
void TstInputs::sessionWrongTypeForEveryKey()
{
    const std::string wrong[] = {"[]", "{}", "true", "null", "\"x\"", "1.5", "-1", "1e308"};
    // The session text with value v at the key: before + v + after.
    struct Key
    {
        std::string name, before, after;
    };
    const std::string session = R"({"format": "wignerscope-session", "version": 1, "model": )";
    const std::string model = session + R"({"n": 20)";
    std::vector<Key> keys = {
        {"format", R"({"format": )", R"(, "version": 1, "model": {"n": 20}})"},
        {"version", R"({"format": "wignerscope-session", "version": )", R"(, "model": {"n": 20}})"},
        {"model", session, "}"},
        {"model.n", session + R"({"n": )", "}}"},
    };
    for (const char* key : {"sigma", "noise", "alpha", "rank", "spikes", "bulk", "eigvecs"})
        keys.push_back({std::string("model.") + key, model + ", \"" + key + "\": ", "}}"});
    keys.push_back({"run", model + R"(}, "run": )", "}"});
    for (const char* key : {"samples", "seed"})
        keys.push_back({std::string("run.") + key, model + R"(}, "run": {")" + key + "\": ", "}}"});
    keys.push_back({"view", model + R"(}, "view": )", "}"});
    int tried = 0, refused = 0;
    for (const Key& k : keys) {
        for (const std::string& v : wrong) {
            const std::string text = k.before + v + k.after;
            ++tried;
            const std::string message = errorMessage([&] { sessionFromJson(text); });
            if (message.empty())
                continue; // a valid value for this key (e.g. an object for "view")
            ++refused;
            // The key is named (the alpha-only value "1e308" is refused by model.alpha etc.).
            QVERIFY2(message.find(k.name) != std::string::npos, (text + " -> " + message).c_str());
        }
    }
    QVERIFY(refused > tried / 2);
    qInfo("session key/type combinations: %d tried, %d refused", tried, refused);
}

// Every refusal of a model names its parameter as a field (the GUI places the message by it),
// and what() is "param: message", the text the CLI prints after the option's dashes.
void TstInputs::errorsCarryTheirParameter()
{
    struct Row
    {
        const char* param;
        std::function<void()> f;
    };
    auto withModel = [](auto edit) {
        return [edit] {
            Model m;
            m.n = 50;
            edit(m);
            validate(m);
        };
    };
    const Row rows[] = {
        {"n", withModel([](Model& m) { m.n = 1; })},
        {"sigma", withModel([](Model& m) { m.sigma = 0.0; })},
        {"noise", withModel([](Model& m) {
             m.noise = {NoiseKind::StudentT, 2.0};
         })},
        {"alpha", withModel([](Model& m) { m.rank.alpha = 1.5; })},
        {"rank", withModel([](Model& m) {
             m.rank = {true, 0.0, 51};
         })},
        {"spikes", withModel([](Model& m) {
             m.spikes = {SpikeKind::Power, {3.0, -1.0}};
         })},
        {"bulk", withModel([](Model& m) {
             m.bulk = {BulkKind::Semicircle, {0.0}};
         })},
        {"noise", [] { parseNoise("cauchy"); }},
        {"spikes", [] { parseSpikes("list:1,,2"); }},
        {"bulk", [] { parseBulk("uniform:1"); }},
        {"eigvecs", [] { parseEigvecs("random"); }},
        {"model.n", [] { sessionFromJson(sessionText(R"({"n": 1})")); }},
        {"model.spikes", [] { sessionFromJson(sessionText(R"({"n": 5, "spikes": "x"})")); }},
        {"run.samples",
         [] { sessionFromJson(sessionText(R"({"n": 5})", R"(, "run": {"samples": 0})")); }},
        {"", [] { sessionFromJson("[1"); }},
    };
    for (const Row& r : rows) {
        try {
            r.f();
            QFAIL(r.param);
        } catch (const InputError& e) {
            QCOMPARE(e.param(), std::string(r.param));
            const std::string want =
                e.param().empty() ? e.message() : e.param() + ": " + e.message();
            QCOMPARE(std::string(e.what()), want);
            QVERIFY(!e.message().empty());
        }
    }
    // In a file: the context comes first, the parameter stays.
    const InputError inner("model.n", "missing");
    const InputError inFile("s.json", inner);
    QCOMPARE(inFile.param(), std::string("model.n"));
    QCOMPARE(inFile.context(), std::string("s.json"));
    QCOMPARE(std::string(inFile.what()), std::string("s.json: model.n: missing"));
}

QTEST_GUILESS_MAIN(TstInputs)
#include "tst_inputs.moc"
