#include "hostile_sessions.h"

namespace ws::testing {

std::string sessionText(const std::string& model, const std::string& rest)
{
    return R"({"format": "wignerscope-session", "version": 1, "model": )" + model + rest + "}";
}

std::vector<HostileSession> hostileSessions()
{
    const std::string ok = R"({"n": 20})";
    std::vector<HostileSession> out;
    auto row = [&out](const char* name, const std::string& text, const char* key) {
        out.push_back({name, text, key});
    };
    row("empty file", "", "JSON");
    row("whitespace", "  \n\t ", "JSON");
    row("truncated", sessionText(ok).substr(0, 50), "JSON");
    row("truncated string", R"({"format": "wignerscope-ses)", "JSON");
    row("not an object", "[1, 2, 3]", "object");
    row("a number", "42", "object");
    row("null", "null", "object");
    row("binary", std::string("\x00\x01\xff\xfe{", 5), "JSON");
    row("NaN literal", sessionText(R"({"n": 20, "sigma": NaN})"), "JSON");
    row("number overflow", sessionText(R"({"n": 20, "sigma": 1e999})"), "JSON");
    row("comments", "// session\n" + sessionText(ok), "JSON");
    row("trailing garbage", sessionText(ok) + "x", "JSON");
    row("missing format", R"({"version": 1, "model": {"n": 20}})", "format");
    row("wrong format", R"({"format": "other", "version": 1, "model": {"n": 20}})", "format");
    row("format number", R"({"format": 1, "version": 1, "model": {"n": 20}})", "format");
    row("missing version", R"({"format": "wignerscope-session", "model": {"n": 20}})", "version");
    row("version string", R"({"format": "wignerscope-session", "version": "1", "model": {}})",
        "version");
    row("version from the future",
        R"({"format": "wignerscope-session", "version": 99, "model": {"n": 20}})", "version");
    row("version zero", R"({"format": "wignerscope-session", "version": 0, "model": {"n": 20}})",
        "version");
    row("missing model", R"({"format": "wignerscope-session", "version": 1})", "model");
    row("model array", sessionText("[20]"), "model");
    row("model null", sessionText("null"), "model");
    row("missing n", sessionText(R"({"sigma": 1})"), "model.n");
    row("n string", sessionText(R"({"n": "20"})"), "model.n");
    row("n float", sessionText(R"({"n": 20.5})"), "model.n");
    row("n bool", sessionText(R"({"n": true})"), "model.n");
    row("n one", sessionText(R"({"n": 1})"), "model.n");
    row("n negative", sessionText(R"({"n": -20})"), "model.n");
    row("n beyond int", sessionText(R"({"n": 4294967296})"), "model.n");
    row("n beyond 64 bits", sessionText(R"({"n": 18446744073709551616})"), "model.n");
    row("n above the cap", sessionText(R"({"n": 100000001})"), "model.n");
    row("sigma string", sessionText(R"({"n": 20, "sigma": "1"})"), "model.sigma");
    row("sigma zero", sessionText(R"({"n": 20, "sigma": 0})"), "model.sigma");
    row("sigma negative", sessionText(R"({"n": 20, "sigma": -1})"), "model.sigma");
    row("sigma null", sessionText(R"({"n": 20, "sigma": null})"), "model.sigma");
    row("noise number", sessionText(R"({"n": 20, "noise": 3})"), "model.noise");
    row("noise unknown", sessionText(R"({"n": 20, "noise": "cauchy"})"), "model.noise");
    row("noise nu 2", sessionText(R"({"n": 20, "noise": "student-t:2"})"), "model.noise");
    row("noise p zero", sessionText(R"({"n": 20, "noise": "sparse:0"})"), "model.noise");
    row("alpha string", sessionText(R"({"n": 20, "alpha": "0.5"})"), "model.alpha");
    row("alpha out of range", sessionText(R"({"n": 20, "alpha": 2})"), "model.alpha");
    row("alpha and rank", sessionText(R"({"n": 20, "alpha": 0.5, "rank": 2})"), "model.rank");
    row("rank zero", sessionText(R"({"n": 20, "rank": 0})"), "model.rank");
    row("rank float", sessionText(R"({"n": 20, "rank": 2.5})"), "model.rank");
    row("rank above n", sessionText(R"({"n": 20, "rank": 21})"), "model.rank");
    row("spikes array", sessionText(R"({"n": 20, "spikes": [3]})"), "model.spikes");
    row("spikes malformed", sessionText(R"({"n": 20, "spikes": "list:1,,2"})"), "model.spikes");
    row("spikes nan", sessionText(R"({"n": 20, "spikes": "list:1,nan"})"), "model.spikes");
    row("spikes unknown family", sessionText(R"({"n": 20, "spikes": "gauss:1"})"), "model.spikes");
    row("spikes list longer than n", sessionText(R"({"n": 3, "spikes": "list:1,2,3,4"})"),
        "model.spikes");
    std::string huge = "list:";
    for (int i = 0; i < 200000; ++i)
        huge.append(i ? ",1" : "1");
    row("huge spike list", sessionText(R"({"n": 20, "spikes": ")" + huge + R"("})"),
        "model.spikes");
    row("bulk object", sessionText(R"({"n": 20, "bulk": {"kind": "zero"}})"), "model.bulk");
    row("bulk reversed", sessionText(R"({"n": 20, "bulk": "uniform:1,-1"})"), "model.bulk");
    row("bulk rho zero", sessionText(R"({"n": 20, "bulk": "semicircle:0"})"), "model.bulk");
    row("bulk p above 1", sessionText(R"({"n": 20, "bulk": "twopoint:-1,1,2"})"), "model.bulk");
    row("eigvecs unknown", sessionText(R"({"n": 20, "eigvecs": "random"})"), "model.eigvecs");
    row("run array", sessionText(ok, R"(, "run": [1])"), "run");
    row("samples zero", sessionText(ok, R"(, "run": {"samples": 0})"), "run.samples");
    row("samples string", sessionText(ok, R"(, "run": {"samples": "3"})"), "run.samples");
    row("seed negative", sessionText(ok, R"(, "run": {"seed": -1})"), "run.seed");
    row("seed float", sessionText(ok, R"(, "run": {"seed": 1.5})"), "run.seed");
    row("seed 2^64", sessionText(ok, R"(, "run": {"seed": 18446744073709551616})"), "run.seed");
    row("view array", sessionText(ok, R"(, "view": [])"), "view");
    row("view string", sessionText(ok, R"(, "view": "x")"), "view");
    const std::string deep = std::string(100, '[') + std::string(100, ']');
    row("deep nesting in view", sessionText(ok, R"(, "view": {"a": )" + deep + "}"), "deeper");
    const std::string veryDeep = std::string(200000, '[') + std::string(200000, ']');
    row("very deep nesting", sessionText(ok, R"(, "view": )" + veryDeep), "deeper");
    row("unclosed deep nesting", std::string(100000, '{'), "");
    // A long non-ASCII string: the message quotes the first 40 bytes without splitting a
    // character (a split one made the JSON writer throw -- found by fuzz/fuzz_session).
    std::string accents = "a";
    for (int i = 0; i < 30; ++i)
        accents += "\xc3\xa9";
    row("long non-ASCII value", sessionText(R"({"n": ")" + accents + R"("})"), "model.n");
    row("invalid UTF-8 in a string",
        sessionText(R"({"n": 20, "noise": "gauss)" + std::string("\xff") + R"(ian"})"), "JSON");
    return out;
}

} // namespace ws::testing
