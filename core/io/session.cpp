// Session files (see session.h).
#include "core/io/session.h"

#include "core/io/read_file.h"
#include "core/model/families.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <climits>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <vector>

namespace ws::core {

namespace {

// Ordered, so that the opaque view keeps its key order through a load/save cycle.
using json = nlohmann::ordered_json;
using ojson = nlohmann::ordered_json;

constexpr const char* kFormat = "wignerscope-session";
// Version 2 added "rect" (before: the rectangular model in the view, see migrateRectV1).
constexpr int kVersion = 2;
// Far deeper than any real session; bounds the work a hostile file can cause.
constexpr int kMaxDepth = 64;

std::string typeName(const json& v)
{
    if (v.is_number_integer() || v.is_number_unsigned())
        return "integer " + v.dump();
    if (v.is_number_float())
        return "number " + v.dump();
    if (v.is_string()) {
        std::string s = v.get<std::string>();
        if (s.size() > 40) {
            // Cut at a UTF-8 character boundary: dump() throws on a split multi-byte sequence.
            std::size_t cut = 40;
            while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
                --cut;
            s = s.substr(0, cut) + "...";
        }
        return "string " + json(s).dump(-1, ' ', false, json::error_handler_t::replace);
    }
    return v.type_name();
}

[[noreturn]] void fail(const std::string& key, const std::string& why)
{
    throw InputError(key, why);
}

// A model parameter's error ("noise: ...") is, in a session, about the key "model.noise" (or
// "rect.model.noise"): `prefix` is the model's key.
[[noreturn]] void failModel(const std::string& prefix, const InputError& e)
{
    for (const char* k : {"n", "m", "sigma", "noise", "alpha", "rank", "spikes", "bulk", "eigvecs"})
        if (e.param() == k && e.context().empty())
            throw InputError(prefix + "." + e.param(), e.message());
    throw InputError(prefix, e.what());
}

const json* find(const json& obj, const char* key)
{
    auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
}

const json& require(const json& obj, const char* key, const std::string& name)
{
    const json* v = find(obj, key);
    if (!v)
        fail(name, "missing");
    return *v;
}

long long getInteger(const json& v, const std::string& name, long long lo, long long hi)
{
    long long x = 0;
    if (v.is_number_unsigned()) {
        const auto u = v.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(LLONG_MAX))
            fail(name, "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                           "], got " + v.dump());
        x = static_cast<long long>(u);
    } else if (v.is_number_integer()) {
        x = v.get<long long>();
    } else {
        fail(name, "must be an integer, got " + typeName(v));
    }
    if (x < lo || x > hi)
        fail(name, "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                       "], got " + std::to_string(x));
    return x;
}

double getNumber(const json& v, const std::string& name)
{
    if (!v.is_number())
        fail(name, "must be a number, got " + typeName(v));
    return v.get<double>();
}

std::string getString(const json& v, const std::string& name)
{
    if (!v.is_string())
        fail(name, "must be a string, got " + typeName(v));
    return v.get<std::string>();
}

// Parses a family string, naming the key in the error.
template <typename F>
auto parseFamily(const json& obj, const std::string& prefix, const char* key, F parse)
    -> decltype(parse(std::string_view{}))
{
    const std::string text = getString(*find(obj, key), prefix + "." + key);
    try {
        return parse(text);
    } catch (const InputError& e) {
        failModel(prefix, e);
    }
}

// The fields both models share (NoiseAndSignal), each optional, under `prefix` ("model").
void familiesFromJson(const json& j, const std::string& prefix, NoiseAndSignal& f)
{
    if (const json* v = find(j, "sigma"))
        f.sigma = getNumber(*v, prefix + ".sigma");
    if (find(j, "noise"))
        f.noise = parseFamily(j, prefix, "noise", parseNoise);
    const json* alpha = find(j, "alpha");
    const json* rank = find(j, "rank");
    if (alpha && rank)
        fail(prefix + ".rank", "give either " + prefix + ".alpha or " + prefix + ".rank, not both");
    if (alpha) {
        f.rank.isExplicit = false;
        f.rank.alpha = getNumber(*alpha, prefix + ".alpha");
    } else if (rank) {
        f.rank.isExplicit = true;
        f.rank.rank = static_cast<int>(getInteger(*rank, prefix + ".rank", 1, INT_MAX));
    }
    if (find(j, "spikes"))
        f.spikes = parseFamily(j, prefix, "spikes", parseSpikes);
    if (find(j, "bulk"))
        f.bulk = parseFamily(j, prefix, "bulk", parseBulk);
    if (find(j, "eigvecs"))
        f.eigvecs = parseFamily(j, prefix, "eigvecs", parseEigvecs);
}

void familiesToJson(const NoiseAndSignal& f, ojson& j)
{
    j["sigma"] = f.sigma;
    j["noise"] = toString(f.noise);
    // Only the active rank rule is stored (the file format has one of the two keys).
    if (f.rank.isExplicit)
        j["rank"] = f.rank.rank;
    else
        j["alpha"] = f.rank.alpha;
    j["spikes"] = toString(f.spikes);
    j["bulk"] = toString(f.bulk);
    j["eigvecs"] = toString(f.eigvecs);
}

const json& requireObject(const json& j, const char* key, const std::string& name)
{
    const json& v = require(j, key, name);
    if (!v.is_object())
        fail(name, "must be an object, got " + typeName(v));
    return v;
}

// A model (square or rectangular, its sizes read) completed by familiesFromJson and validated;
// errors name the key under `prefix`.
template <class M> M withFamiliesFromJson(const json& j, const std::string& prefix, M m)
{
    familiesFromJson(j, prefix, m);
    try {
        validate(m);
    } catch (const InputError& e) {
        failModel(prefix, e);
    }
    return m;
}

Model modelFromJson(const json& j)
{
    if (!j.is_object())
        fail("model", "must be an object, got " + typeName(j));
    Model m;
    m.n = static_cast<int>(getInteger(require(j, "n", "model.n"), "model.n", 2, INT_MAX));
    return withFamiliesFromJson(j, "model", m);
}

RectModel rectModelFromJson(const json& j)
{
    RectModel m;
    m.n = static_cast<int>(getInteger(require(j, "n", "rect.model.n"), "rect.model.n", 1, INT_MAX));
    m.m = static_cast<int>(getInteger(require(j, "m", "rect.model.m"), "rect.model.m", 1, INT_MAX));
    return withFamiliesFromJson(j, "rect.model", m);
}

// {"samples": K, "seed": S} under `prefix` ("run"), each optional.
void runFromJson(const json& run, const std::string& prefix, int& samples, std::uint64_t& seed)
{
    if (!run.is_object())
        fail(prefix, "must be an object, got " + typeName(run));
    if (const json* v = find(run, "samples"))
        samples = static_cast<int>(getInteger(*v, prefix + ".samples", 1, INT_MAX));
    if (const json* v = find(run, "seed")) {
        // nlohmann keeps every non-negative integer unsigned: what is left is negative or no
        // integer at all.
        if (v->is_number_unsigned())
            seed = v->get<std::uint64_t>();
        else if (v->is_number_integer())
            fail(prefix + ".seed",
                 "must be an integer in [0, 18446744073709551615], got " + v->dump());
        else
            seed = static_cast<std::uint64_t>(getInteger(*v, prefix + ".seed", 0, LLONG_MAX));
    }
}

RectSession rectFromJson(const json& j)
{
    if (!j.is_object())
        fail("rect", "must be an object, got " + typeName(j));
    RectSession r;
    r.model = rectModelFromJson(requireObject(j, "model", "rect.model"));
    if (const json* run = find(j, "run"))
        runFromJson(*run, "rect.run", r.samples, r.seed);
    return r;
}

// Version 1 kept the rectangular model in the GUI's view, as the Rectangular tab's control
// values: view.sweeps.rectangular = {"n", "c" (M = round(c N)), "sigma", "noise", "eigvecs",
// "alpha", "rank" (0: alpha sets it), "spikes", "bulk", "samples", "seed", ...}. Read leniently,
// as the tab did (a missing or mistyped key keeps its default); a model that does not validate
// is left out (the session loads without it), since the tab would only have shown why.
std::optional<RectSession> migrateRectV1(const json& view)
{
    const json* sweeps = find(view, "sweeps");
    const json* tab = sweeps && sweeps->is_object() ? find(*sweeps, "rectangular") : nullptr;
    if (!tab || !tab->is_object())
        return std::nullopt;
    auto number = [&](const char* key) -> std::optional<double> {
        const json* v = find(*tab, key);
        if (!v || !v->is_number())
            return std::nullopt;
        const double x = v->get<double>();
        return std::isfinite(x) ? std::optional<double>(x) : std::nullopt;
    };
    auto integer = [&](const char* key, double lo, double hi) -> std::optional<int> {
        const auto x = number(key);
        if (!x || !(*x >= lo && *x <= hi))
            return std::nullopt;
        return static_cast<int>(std::lround(*x));
    };
    auto text = [&](const char* key) -> std::optional<std::string> {
        const json* v = find(*tab, key);
        return v && v->is_string() ? std::optional<std::string>(v->get<std::string>())
                                   : std::nullopt;
    };
    try {
        RectSession r;
        RectModel& m = r.model;
        m.n = integer("n", 1, 1e8).value_or(m.n);
        const double c = number("c").value_or(m.ratio());
        m.m = static_cast<int>(std::clamp(std::round(c * m.n), 1.0, 1e8));
        m.sigma = number("sigma").value_or(m.sigma);
        if (const auto t = text("noise"))
            m.noise = parseNoise(*t);
        if (const auto t = text("eigvecs"))
            m.eigvecs = parseEigvecs(*t);
        const int rank = integer("rank", 0, INT_MAX).value_or(0);
        if (rank > 0)
            m.rank = RankRule{true, 0.0, rank};
        else
            m.rank = RankRule{false, number("alpha").value_or(0.0), 1};
        if (const auto t = text("spikes"))
            m.spikes = parseSpikes(*t);
        if (const auto t = text("bulk"))
            m.bulk = parseBulk(*t);
        validate(m);
        r.samples = integer("samples", 1, INT_MAX).value_or(r.samples);
        r.seed = static_cast<std::uint64_t>(integer("seed", 0, INT_MAX).value_or(1));
        return r;
    } catch (const InputError&) {
        return std::nullopt;
    }
}

} // namespace

std::string sessionToJson(const Session& s)
{
    ojson model;
    model["n"] = s.model.n;
    familiesToJson(s.model, model);

    ojson j;
    j["format"] = kFormat;
    j["version"] = kVersion;
    j["model"] = std::move(model);
    j["run"] = ojson{{"samples", s.samples}, {"seed", s.seed}};
    if (s.rect) {
        ojson rect;
        rect["n"] = s.rect->model.n;
        rect["m"] = s.rect->model.m;
        familiesToJson(s.rect->model, rect);
        j["rect"] = ojson{{"model", std::move(rect)},
                          {"run", ojson{{"samples", s.rect->samples}, {"seed", s.rect->seed}}}};
    }
    // The view is opaque to the core; anything that is not a JSON object is dropped.
    ojson view = ojson::parse(s.viewJson, nullptr, /*allow_exceptions=*/false);
    j["view"] = view.is_object() ? view : ojson::object();
    return j.dump(2) + "\n";
}

Session sessionFromJson(const std::string& text)
{
    json j;
    try {
        j = json::parse(text, [](int depth, json::parse_event_t, json&) {
            if (depth > kMaxDepth)
                throw InputError("nested deeper than " + std::to_string(kMaxDepth) + " levels");
            return true;
        });
    } catch (const json::exception& e) {
        // parse_error, or out_of_range for numbers like 1e999. e.what() is
        // "[json.exception.parse_error.101] parse error at line 1, ...": keep the tail.
        std::string what = e.what();
        const auto pos = what.find("] ");
        throw InputError("not valid JSON: " +
                         (pos == std::string::npos ? what : what.substr(pos + 2)));
    }
    if (!j.is_object())
        throw InputError("must be a JSON object, got " + typeName(j));

    const std::string format = getString(require(j, "format", "format"), "format");
    if (format != kFormat)
        fail("format", "must be \"" + std::string(kFormat) + "\", got " + json(format).dump());
    const long long version = getInteger(require(j, "version", "version"), "version", 1, INT_MAX);
    if (version > kVersion)
        fail("version", "this program reads version " + std::to_string(kVersion) + ", got " +
                            std::to_string(version));

    Session s;
    s.model = modelFromJson(require(j, "model", "model"));
    if (const json* run = find(j, "run"))
        runFromJson(*run, "run", s.samples, s.seed);
    if (const json* rect = find(j, "rect"))
        s.rect = rectFromJson(*rect);
    if (const json* view = find(j, "view")) {
        if (!view->is_object())
            fail("view", "must be an object, got " + typeName(*view));
        s.viewJson = view->dump();
        if (version == 1 && !s.rect)
            s.rect = migrateRectV1(*view);
    }
    return s;
}

Session loadSession(const std::string& path)
{
    const std::string text = readRegularFile(path, kMaxSessionBytes, "a session file");
    try {
        return sessionFromJson(text);
    } catch (const InputError& e) {
        throw InputError(path, e);
    }
}

} // namespace ws::core
