#pragma once
// What every benchmark needs and used to copy: the command line ("--name value" options and
// "--name" switches), wall and CPU clocks, repeated timings and their median, the "RESULT" line
// that bench/run_benchmarks.sh parses, the machine's load, and a numpy peer run by
// /usr/bin/python3 in the same process tree (same machine, same moment, same OpenBLAS).

#include <ctime>
#include <functional>
#include <string>
#include <vector>

namespace ws::bench {

// The options of one benchmark. parse() sets the bound variables from argv; an unknown argument
// or an option without its value prints `usage` to stderr and returns false (exit with 2).
class BenchArgs
{
public:
    explicit BenchArgs(std::string usage);
    BenchArgs& option(const char* name, int& value);         // "--n 600" (std::atoi)
    BenchArgs& option(const char* name, double& value);      // "--cap 2.5" (std::atof)
    BenchArgs& option(const char* name, std::string& value); // "--noise complex"
    BenchArgs& flag(const char* name, bool& value);          // "--all-solvers": true
    bool parse(int argc, char** argv) const;

private:
    struct Option
    {
        std::string name;
        bool takesValue = true;
        std::function<void(const char*)> set;
    };
    std::string m_usage;
    std::vector<Option> m_options;
};

// The median (the mean of the two middle values for an even count); NaN for none.
double median(std::vector<double> v);

double wallSeconds();               // a steady clock, seconds
double cpuSeconds(clockid_t clock); // CLOCK_THREAD_CPUTIME_ID, CLOCK_PROCESS_CPUTIME_ID, ...
std::string loadAverage();          // "1.02 0.87 0.55" from /proc/loadavg

// Wall seconds of `run(r)` for r = 0 .. repeats - 1.
std::vector<double> timeRepeats(int repeats, const std::function<void(int)>& run);

// "RESULT <what> <tag> median=M times=t0,t1,..." (seconds, 4 decimals), flushed.
void reportTimes(const std::string& what, const std::string& tag, const std::vector<double>& t);

// Python source defining med(f): the median wall seconds of f() over `repeats` calls, timed as
// timeRepeats does; the numpy peers' scripts start with it.
std::string pythonMedianFunction(int repeats);

// Runs `script` with /usr/bin/python3 and reads `count` numbers from what it prints; empty if
// python, numpy or the script failed (the peer is then reported unavailable).
std::vector<double> pythonNumbers(const std::string& script, std::size_t count);

} // namespace ws::bench
