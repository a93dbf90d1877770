// Session files (see session.h).
#include "core/io/session.h"

#include "core/model/families.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <climits>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace ws::core {

namespace {

// Ordered, so that the opaque view keeps its key order through a load/save cycle.
using json = nlohmann::ordered_json;
using ojson = nlohmann::ordered_json;

constexpr const char* kFormat = "wignerscope-session";
constexpr int kVersion = 1;
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

// A model parameter's error ("noise: ...") is, in a session, about the key "model.noise".
[[noreturn]] void failModel(const InputError& e)
{
    for (const char* k : {"n", "sigma", "noise", "alpha", "rank", "spikes", "bulk", "eigvecs"})
        if (e.param() == k && e.context().empty())
            throw InputError("model." + e.param(), e.message());
    throw InputError("model", e.what());
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
auto parseFamily(const json& obj, const char* key, F parse) -> decltype(parse(std::string_view{}))
{
    const std::string text = getString(*find(obj, key), std::string("model.") + key);
    try {
        return parse(text);
    } catch (const InputError& e) {
        failModel(e);
    }
}

Model modelFromJson(const json& j)
{
    if (!j.is_object())
        fail("model", "must be an object, got " + typeName(j));
    Model m;
    m.n = static_cast<int>(getInteger(require(j, "n", "model.n"), "model.n", 2, INT_MAX));
    if (const json* v = find(j, "sigma"))
        m.sigma = getNumber(*v, "model.sigma");
    if (find(j, "noise"))
        m.noise = parseFamily(j, "noise", parseNoise);
    const json* alpha = find(j, "alpha");
    const json* rank = find(j, "rank");
    if (alpha && rank)
        fail("model.rank", "give either model.alpha or model.rank, not both");
    if (alpha) {
        m.rank.isExplicit = false;
        m.rank.alpha = getNumber(*alpha, "model.alpha");
    } else if (rank) {
        m.rank.isExplicit = true;
        m.rank.rank = static_cast<int>(getInteger(*rank, "model.rank", 1, INT_MAX));
    }
    if (find(j, "spikes"))
        m.spikes = parseFamily(j, "spikes", parseSpikes);
    if (find(j, "bulk"))
        m.bulk = parseFamily(j, "bulk", parseBulk);
    if (find(j, "eigvecs"))
        m.eigvecs = parseFamily(j, "eigvecs", parseEigvecs);
    try {
        validate(m);
    } catch (const InputError& e) {
        failModel(e);
    }
    return m;
}

} // namespace

std::string sessionToJson(const Session& s)
{
    const Model& m = s.model;
    ojson model;
    model["n"] = m.n;
    model["sigma"] = m.sigma;
    model["noise"] = toString(m.noise);
    // Only the active rank rule is stored (the file format has one of the two keys).
    if (m.rank.isExplicit)
        model["rank"] = m.rank.rank;
    else
        model["alpha"] = m.rank.alpha;
    model["spikes"] = toString(m.spikes);
    model["bulk"] = toString(m.bulk);
    model["eigvecs"] = toString(m.eigvecs);

    ojson j;
    j["format"] = kFormat;
    j["version"] = kVersion;
    j["model"] = std::move(model);
    j["run"] = ojson{{"samples", s.samples}, {"seed", s.seed}};
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
    if (const json* run = find(j, "run")) {
        if (!run->is_object())
            fail("run", "must be an object, got " + typeName(*run));
        if (const json* v = find(*run, "samples"))
            s.samples = static_cast<int>(getInteger(*v, "run.samples", 1, INT_MAX));
        if (const json* v = find(*run, "seed")) {
            if (v->is_number_unsigned())
                s.seed = v->get<std::uint64_t>();
            else
                s.seed = static_cast<std::uint64_t>(getInteger(*v, "run.seed", 0, LLONG_MAX));
        }
    }
    if (const json* view = find(j, "view")) {
        if (!view->is_object())
            fail("view", "must be an object, got " + typeName(*view));
        s.viewJson = view->dump();
    }
    return s;
}

Session loadSession(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError("cannot read " + path + ": " + std::strerror(errno));
    std::ostringstream buf;
    buf << in.rdbuf();
    if (in.bad())
        throw InputError("cannot read " + path + ": " + std::strerror(errno));
    try {
        return sessionFromJson(buf.str());
    } catch (const InputError& e) {
        throw InputError(path, e);
    }
}

} // namespace ws::core
