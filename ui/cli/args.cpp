// Command-line parsing for wignerscope-cli (see args.h).
#include "ui/cli/args.h"

#include "core/model/families.h"
#include "core/io/session.h"

#include <algorithm>
#include <charconv>
#include <climits>
#include <cmath>
#include <map>

namespace ws::cli {

using core::InputError;

namespace {

// Which subcommands take an option; flags take no value.
struct OptionSpec
{
    const char* name;
    bool sample;
    bool theory;
    bool sweep;
    bool flag = false;
};

constexpr OptionSpec kOptions[] = {
    // MODEL (all)
    {"--n", true, true, true},
    {"--sigma", true, true, true},
    {"--noise", true, true, true},
    {"--alpha", true, true, true},
    {"--rank", true, true, true},
    {"--spikes", true, true, true},
    {"--bulk", true, true, true},
    {"--eigvecs", true, true, true},
    {"--session", true, true, true},
    {"--memory-budget", true, true, true},
    // sample (and sweep)
    {"--samples", true, false, true},
    {"--seed", true, false, true},
    {"--threads", true, false, true},
    {"--sampler", true, false, true},
    {"--bins", true, false, false},
    {"--range", true, false, false},
    {"--eigenvalues", true, false, false},
    // theory
    {"--points", false, true, false},
    // sweep
    {"--param", false, false, true},
    {"--from", false, false, true},
    {"--to", false, false, true},
    {"--steps", false, false, true},
    {"--log", false, false, true, true},
    {"--rank-one", false, false, true, true},
    {"--overlaps", false, false, true, true},
    {"--csv", false, false, true},
    // all
    {"--json", true, true, true},
};

[[noreturn]] void fail(const std::string& option, const std::string& why)
{
    throw InputError(option, why);
}

const OptionSpec* findOption(const std::string& name)
{
    for (const auto& o : kOptions)
        if (name == o.name)
            return &o;
    return nullptr;
}

} // namespace

std::string quote(const std::string& s)
{
    constexpr std::size_t kMax = 60;
    return "'" + (s.size() > kMax ? s.substr(0, kMax) + "..." : s) + "'";
}

double parseDoubleOption(const std::string& option, const std::string& text,
                         const std::string& expectation)
{
    try {
        return core::parseFiniteDouble(text, option);
    } catch (const InputError&) {
        fail(option, "must be " + expectation + ", got " + quote(text));
    }
}

CollectedArgs collectOptions(const std::vector<std::string>& args, std::size_t first,
                             const std::string& command, const std::vector<OptionDef>& allowed,
                             std::size_t maxPositional)
{
    CollectedArgs c;
    for (std::size_t i = first; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") {
            c.help = true;
            return c;
        }
        if (a.rfind("--", 0) != 0) {
            if (c.positional.size() >= maxPositional)
                throw InputError("unexpected argument " + quote(a) + " (options start with --)");
            c.positional.push_back(a);
            continue;
        }
        std::string name = a, value;
        bool hasValue = false;
        if (const auto eq = a.find('='); eq != std::string::npos) {
            name = a.substr(0, eq);
            value = a.substr(eq + 1);
            hasValue = true;
        }
        const auto spec = std::find_if(allowed.begin(), allowed.end(),
                                       [&](const OptionDef& d) { return name == d.name; });
        if (spec == allowed.end()) {
            if (findOption(name))
                fail(name, "not an option of '" + command + "'");
            throw InputError("unknown option " + quote(name) + " for '" + command +
                             "' (see wignerscope-cli --help)");
        }
        if (spec->flag) {
            if (hasValue)
                fail(name, "takes no value");
        } else if (!hasValue) {
            // A following "--option" is not taken as a value (negative numbers have one dash).
            if (i + 1 >= args.size() || (args[i + 1].rfind("--", 0) == 0 && args[i + 1].size() > 2))
                fail(name, "missing value");
            value = args[++i];
        }
        if (c.options.count(name))
            fail(name, "given more than once");
        c.options[name] = value;
    }
    return c;
}

core::InputError withOptionName(const core::InputError& e)
{
    if (!e.context().empty())
        return e;
    for (const char* k :
         {"n",       "sigma",   "noise", "alpha",   "rank",          "spikes", "bulk", "eigvecs",
          "sampler", "samples", "seed",  "threads", "memory-budget", "param",  "from", "to",
          "steps",   "m",       "c",     "frames",  "bins",          "points"})
        if (e.param() == k)
            return core::InputError("--" + e.param(), e.message());
    return e;
}

long long parseIntOption(const std::string& option, const std::string& text, long long lo,
                         long long hi, const std::string& expectation)
{
    long long v = 0;
    try {
        v = core::parseInteger(text, option);
    } catch (const InputError&) {
        fail(option, "must be " + expectation + ", got " + quote(text));
    }
    if (v < lo || v > hi)
        fail(option, "must be " + expectation + ", got " + quote(text));
    return v;
}

std::uint64_t parseSeed(const std::string& text)
{
    // Seeds use the full unsigned 64-bit range, beyond parseInteger's.
    std::uint64_t v = 0;
    const char* first = text.data();
    const char* last = first + text.size();
    const auto [ptr, ec] = std::from_chars(first, last, v);
    if (text.empty() || ec != std::errc() || ptr != last)
        fail("--seed",
             "must be a non-negative integer (at most 18446744073709551615), got " + quote(text));
    return v;
}

std::size_t parseBytes(const std::string& option, const std::string& text)
{
    // A number of bytes, optionally with a binary suffix K, M, G or T (e.g. 8G).
    const std::string expectation =
        "a positive number of bytes, optionally with a suffix K, M, G or T (e.g. 8G)";
    std::string body = text;
    double scale = 1.0;
    if (!body.empty()) {
        const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(body.back())));
        const std::string suffixes = "KMGT";
        if (const auto pos = suffixes.find(c); pos != std::string::npos) {
            scale = std::pow(1024.0, static_cast<double>(pos + 1));
            body.pop_back();
        }
    }
    double v = 0.0;
    try {
        v = core::parseFiniteDouble(body, option);
    } catch (const InputError&) {
        fail(option, "must be " + expectation + ", got " + quote(text));
    }
    const double bytes = std::floor(v * scale);
    if (!(bytes >= 1.0) || bytes > 9.0e18)
        fail(option, "must be " + expectation + ", got " + quote(text));
    return static_cast<std::size_t>(bytes);
}

std::pair<double, double> parseRange(const std::string& text)
{
    const std::string expectation = "A:B with finite numbers A < B (e.g. -3:3)";
    const auto colon = text.find(':');
    if (colon == std::string::npos || text.find(':', colon + 1) != std::string::npos)
        fail("--range", "must be " + expectation + ", got " + quote(text));
    double a = 0.0, b = 0.0;
    try {
        a = core::parseFiniteDouble(text.substr(0, colon), "--range");
        b = core::parseFiniteDouble(text.substr(colon + 1), "--range");
    } catch (const InputError&) {
        fail("--range", "must be " + expectation + ", got " + quote(text));
    }
    if (!(a < b))
        fail("--range", "must be " + expectation + ", got " + quote(text) + " (A >= B)");
    return {a, b};
}

namespace {

void parseSweepOptions(Options& o, const std::map<std::string, std::string>& given)
{
    auto has = [&](const char* n) { return given.count(n) > 0; };
    auto get = [&](const char* n) -> const std::string& { return given.at(n); };
    if (!has("--param"))
        fail("--param", "required: the swept parameter, theta, n or alpha");
    try {
        o.sweepParam = core::parseSweepParam(get("--param"));
    } catch (const InputError&) {
        fail("--param", "must be theta, n or alpha, got " + quote(get("--param")));
    }
    for (const char* n : {"--from", "--to"})
        if (!has(n))
            fail(n, std::string("required: the ") + (n[2] == 'f' ? "first" : "last") +
                        " value of the grid");
    o.from = parseDoubleOption("--from", get("--from"), "a finite number");
    o.to = parseDoubleOption("--to", get("--to"), "a finite number");
    if (has("--steps"))
        o.steps = static_cast<int>(
            parseIntOption("--steps", get("--steps"), 1, 1000, "an integer in [1, 1000]"));
    o.log = has("--log");
    o.rankOne = has("--rank-one");
    o.overlaps = has("--overlaps");
    if (o.rankOne && o.sweepParam != core::SweepParam::Theta)
        fail("--rank-one", "only applies to --param theta");
    if (has("--csv")) {
        o.csvPath = get("--csv");
        if (o.csvPath.empty())
            fail("--csv", "empty file name");
        if (o.csvPath == o.jsonPath)
            fail("--csv", o.csvPath == "-" ? "stdout ('-') is already used by --json"
                                           : "same file as --json");
    }
    // The whole grid and every model on it, before anything runs.
    const core::SweepSpec spec = sweepSpecOf(o);
    try {
        for (double v : core::sweepGrid(spec))
            (void)core::sweepModel(spec, v);
        if (o.sampler == core::SamplerChoice::Banded)
            for (double v : core::sweepGrid(spec)) {
                const std::string why = core::bandedInapplicableReason(core::sweepModel(spec, v));
                if (!why.empty())
                    fail("--sampler", "banded does not apply at " + core::toString(o.sweepParam) +
                                          " = " + core::formatDouble(v) + ": " + why);
            }
    } catch (const InputError& e) {
        throw withOptionName(e);
    }
}

} // namespace

core::SweepSpec sweepSpecOf(const Options& o)
{
    core::SweepSpec s;
    s.base = o.model;
    s.param = o.sweepParam;
    s.from = o.from;
    s.to = o.to;
    s.steps = o.steps;
    s.log = o.log;
    s.rankOne = o.rankOne;
    s.overlaps = o.overlaps;
    s.run = runOptionsOf(o);
    return s;
}

core::RunOptions runOptionsOf(const Options& o)
{
    return {.samples = o.samples,
            .seed = o.seed,
            .threads = o.threads,
            .sampler = o.sampler,
            .memoryBudget = o.memoryBudget,
            .subset = {}};
}

Options parseArgs(const std::vector<std::string>& args)
{
    Options o;
    if (args.empty())
        throw InputError(
            "missing command (expected sample, theory, sweep, animate, rect, weights, help or "
            "--version; "
            "see wignerscope-cli --help)");
    const std::string& cmd = args[0];
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
        o.command = Command::Help;
        return o;
    }
    if (cmd == "--version") {
        o.command = Command::Version;
        return o;
    }
    if (cmd == "sample")
        o.command = Command::Sample;
    else if (cmd == "theory")
        o.command = Command::Theory;
    else if (cmd == "sweep")
        o.command = Command::Sweep;
    else
        throw InputError("unknown command " + quote(cmd) +
                         " (expected sample, theory, sweep, animate, rect, weights, help or "
                         "--version; see wignerscope-cli --help)");

    // Collect "--name value" and "--name=value" of this command's options; every option at most
    // once.
    std::vector<OptionDef> allowed;
    for (const OptionSpec& spec : kOptions)
        if ((o.command == Command::Sample && spec.sample) ||
            (o.command == Command::Theory && spec.theory) ||
            (o.command == Command::Sweep && spec.sweep))
            allowed.push_back({spec.name, spec.flag});
    const CollectedArgs collected = collectOptions(args, 1, cmd, allowed, 0);
    if (collected.help) {
        o.command = Command::Help;
        return o;
    }
    const std::map<std::string, std::string>& given = collected.options;
    auto has = [&](const char* n) { return given.count(n) > 0; };
    auto get = [&](const char* n) -> const std::string& { return given.at(n); };

    // The session gives the defaults; flags override it.
    core::Model& m = o.model;
    bool haveN = false;
    if (has("--session")) {
        o.sessionPath = get("--session");
        if (o.sessionPath.empty())
            fail("--session", "empty file name");
        core::Session s;
        try {
            s = core::loadSession(o.sessionPath);
        } catch (const InputError& e) {
            fail("--session", e.what());
        }
        m = s.model;
        o.samples = s.samples;
        o.seed = s.seed;
        haveN = true;
    }

    if (has("--n")) {
        m.n = static_cast<int>(
            parseIntOption("--n", get("--n"), 2, INT_MAX, "an integer >= 2 (the matrix size N)"));
        haveN = true;
    }
    // An N sweep sets N at every point: --n is not needed then.
    const bool nSweep = o.command == Command::Sweep && has("--param") &&
                        (get("--param") == "n" || get("--param") == "N");
    if (!haveN && !nSweep)
        fail("--n", "required (the matrix size N), or give --session FILE");
    if (has("--sigma")) {
        m.sigma = parseDoubleOption("--sigma", get("--sigma"), "a finite number > 0");
        if (!(m.sigma > 0.0))
            fail("--sigma", "must be a finite number > 0, got " + quote(get("--sigma")));
    }
    if (has("--noise"))
        m.noise = parseFamilyOption(get("--noise"), core::parseNoise);
    if (has("--alpha") && has("--rank"))
        fail("--rank", "give either --alpha or --rank, not both");
    if (has("--alpha")) {
        const double a = parseDoubleOption("--alpha", get("--alpha"), "a number in [0, 1]");
        if (!(a >= 0.0 && a <= 1.0))
            fail("--alpha", "must be a number in [0, 1], got " + quote(get("--alpha")));
        m.rank.isExplicit = false;
        m.rank.alpha = a;
    }
    if (has("--rank")) {
        m.rank.isExplicit = true;
        m.rank.rank = static_cast<int>(
            parseIntOption("--rank", get("--rank"), 1, INT_MAX, "an integer >= 1 (at most N)"));
    }
    if (has("--spikes"))
        m.spikes = parseFamilyOption(get("--spikes"), core::parseSpikes);
    if (has("--bulk"))
        m.bulk = parseFamilyOption(get("--bulk"), core::parseBulk);
    if (has("--eigvecs"))
        m.eigvecs = parseFamilyOption(get("--eigvecs"), core::parseEigvecs);
    if (has("--memory-budget"))
        o.memoryBudget = parseBytes("--memory-budget", get("--memory-budget"));
    try {
        core::validate(m);
    } catch (const InputError& e) {
        throw withOptionName(e);
    }

    if (has("--samples"))
        o.samples = static_cast<int>(
            parseIntOption("--samples", get("--samples"), 1, INT_MAX, "an integer >= 1"));
    if (has("--seed"))
        o.seed = parseSeed(get("--seed"));
    if (has("--threads"))
        o.threads = static_cast<int>(parseIntOption("--threads", get("--threads"), 0, 4096,
                                                    "an integer in [0, 4096] (0 = all cores)"));
    if (has("--sampler")) {
        o.sampler = parseFamilyOption(get("--sampler"), core::parseSamplerChoice);
        if (o.sampler == core::SamplerChoice::Banded) {
            const std::string why = core::bandedInapplicableReason(m);
            if (!why.empty())
                fail("--sampler", "banded does not apply to this model: " + why);
        }
    }
    if (has("--bins"))
        o.bins = static_cast<int>(
            parseIntOption("--bins", get("--bins"), 1, 10'000'000, "an integer in [1, 10000000]"));
    if (has("--range"))
        o.range = parseRange(get("--range"));
    if (has("--points"))
        o.points = static_cast<int>(parseIntOption("--points", get("--points"), 2, 10'000'000,
                                                   "an integer in [2, 10000000]"));
    if (has("--eigenvalues")) {
        o.eigenvaluesPath = get("--eigenvalues");
        if (o.eigenvaluesPath.empty())
            fail("--eigenvalues", "empty file name");
    }
    if (has("--json")) {
        o.jsonPath = get("--json");
        if (o.jsonPath.empty())
            fail("--json", "empty file name");
    }
    if (o.command == Command::Sweep)
        parseSweepOptions(o, given);
    if (!o.eigenvaluesPath.empty() && o.eigenvaluesPath == o.jsonPath)
        fail("--eigenvalues",
             o.jsonPath == "-" ? "stdout ('-') is already used by --json" : "same file as --json");
    return o;
}

} // namespace ws::cli
