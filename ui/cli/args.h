#pragma once
// Command-line parsing for wignerscope-cli: everything is checked here, before any long
// computation starts. Errors are core::InputError whose param() is the option, so what() starts
// with it ("--n: must be an integer >= 2, got '1'").

#include "core/model/families.h"
#include "core/model/model.h"
#include "core/sampling/sampler.h"
#include "core/sweeps/sweep.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ws::cli {

enum class Command { Sample, Theory, Sweep, Help, Version };

struct Options
{
    Command command = Command::Help;
    core::Model model;
    std::string sessionPath;
    std::size_t memoryBudget = 0; // 0 = default (half of physical RAM)

    // sample
    int samples = 1;
    std::uint64_t seed = 1;
    int threads = 0; // 0 = all cores
    core::SamplerChoice sampler = core::SamplerChoice::Auto;
    int bins = 100;
    std::optional<std::pair<double, double>> range;
    std::string eigenvaluesPath; // empty = none, "-" = stdout
    // both
    std::string jsonPath; // empty = human summary on stdout, "-" = JSON on stdout
    // theory
    int points = 800;
    // sweep (also uses samples, seed, threads, sampler, jsonPath); the grid and every model
    // along it are validated by parseArgs
    core::SweepParam sweepParam = core::SweepParam::Theta;
    double from = 0.0, to = 0.0;
    int steps = 11;
    bool log = false;
    bool rankOne = false;
    bool overlaps = false;
    std::string csvPath; // empty = none, "-" = stdout
};

// The core sweep specification of a parsed `sweep` command.
core::SweepSpec sweepSpecOf(const Options& o);
// The run the options ask for: samples, seed, threads, sampler and memory budget.
core::RunOptions runOptionsOf(const Options& o);

// Parses and validates; throws core::InputError naming the option (param() "--n"). Reads
// --session.
Options parseArgs(const std::vector<std::string>& args);

// The core's error about a parameter ("n") as the error about its option ("--n: ..."; the core
// names parameters without dashes). Other errors, and errors in a context (a file), unchanged.
core::InputError withOptionName(const core::InputError& e);

// Strict parsers with the CLI's messages (exposed for tests and the other commands).
double parseDoubleOption(const std::string& option, const std::string& text,
                         const std::string& expectation);
long long parseIntOption(const std::string& option, const std::string& text, long long lo,
                         long long hi, const std::string& expectation);
std::uint64_t parseSeed(const std::string& text);
std::size_t parseBytes(const std::string& option, const std::string& text);
std::pair<double, double> parseRange(const std::string& text);
// 'text' in quotes, cut to 60 characters (error lines stay short even for hostile input). Not
// named quoted(): argument-dependent lookup would pick std::quoted for a non-const string.
std::string quote(const std::string& text);

// A family parser of core/model/families.h (parseNoise, parseSpikes, ...) with "--" added to the
// parameter its errors name ("noise: ..." -> "--noise: ...").
template <typename F>
auto parseFamilyOption(const std::string& text, F parse) -> decltype(parse(std::string_view{}))
{
    try {
        return parse(text);
    } catch (const core::InputError& e) {
        throw withOptionName(e);
    }
}

// Generic option scanning for commands with their own option sets (weights, rect).
struct OptionDef
{
    const char* name;  // "--tensor"
    bool flag = false; // takes no value
};

struct CollectedArgs
{
    bool help = false;                          // --help or -h was among the arguments
    std::map<std::string, std::string> options; // name -> value ("" for flags)
    std::vector<std::string> positional;        // in order
    bool has(const std::string& name) const { return options.count(name) > 0; }
    const std::string& get(const std::string& name) const { return options.at(name); }
};

// Scans args[first..] for `command` (used in messages): "--name value" and "--name=value" of the
// options in `allowed`, each at most once (a following "--x" is never taken as a value), and up
// to maxPositional arguments that do not start with "--". Stops at --help/-h (help = true).
// Throws InputError with the same messages as parseArgs.
CollectedArgs collectOptions(const std::vector<std::string>& args, std::size_t first,
                             const std::string& command, const std::vector<OptionDef>& allowed,
                             std::size_t maxPositional);

} // namespace ws::cli
