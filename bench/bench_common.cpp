// The benchmarks' shared parts (see bench_common.h).
#include "bench/bench_common.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace ws::bench {

BenchArgs::BenchArgs(std::string usage) : m_usage(std::move(usage)) {}

BenchArgs& BenchArgs::option(const char* name, int& value)
{
    m_options.push_back({name, true, [&value](const char* v) { value = std::atoi(v); }});
    return *this;
}

BenchArgs& BenchArgs::option(const char* name, double& value)
{
    m_options.push_back({name, true, [&value](const char* v) { value = std::atof(v); }});
    return *this;
}

BenchArgs& BenchArgs::option(const char* name, std::string& value)
{
    m_options.push_back({name, true, [&value](const char* v) { value = v; }});
    return *this;
}

BenchArgs& BenchArgs::flag(const char* name, bool& value)
{
    m_options.push_back({name, false, [&value](const char*) { value = true; }});
    return *this;
}

bool BenchArgs::parse(int argc, char** argv) const
{
    for (int i = 1; i < argc; ++i) {
        const auto known = std::find_if(m_options.begin(), m_options.end(),
                                        [&](const Option& o) { return o.name == argv[i]; });
        if (known == m_options.end() || (known->takesValue && i + 1 >= argc)) {
            std::fprintf(stderr, "%s\n", m_usage.c_str());
            return false;
        }
        known->set(known->takesValue ? argv[++i] : nullptr);
    }
    return true;
}

double median(std::vector<double> v)
{
    if (v.empty())
        return std::numeric_limits<double>::quiet_NaN();
    std::sort(v.begin(), v.end());
    const std::size_t h = v.size() / 2;
    return v.size() % 2 ? v[h] : 0.5 * (v[h - 1] + v[h]);
}

double wallSeconds()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

double cpuSeconds(clockid_t clock)
{
    timespec ts{};
    clock_gettime(clock, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

std::string loadAverage()
{
    double l[3] = {0, 0, 0};
    if (FILE* f = std::fopen("/proc/loadavg", "r")) {
        if (std::fscanf(f, "%lf %lf %lf", &l[0], &l[1], &l[2]) != 3)
            l[0] = l[1] = l[2] = std::numeric_limits<double>::quiet_NaN();
        std::fclose(f);
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f %.2f %.2f", l[0], l[1], l[2]);
    return buf;
}

std::vector<double> timeRepeats(int repeats, const std::function<void(int)>& run)
{
    std::vector<double> t;
    for (int r = 0; r < repeats; ++r) {
        const double t0 = wallSeconds();
        run(r);
        t.push_back(wallSeconds() - t0);
    }
    return t;
}

void reportTimes(const std::string& what, const std::string& tag, const std::vector<double>& t)
{
    std::printf("RESULT %s %s median=%.4f times=", what.c_str(), tag.c_str(), median(t));
    for (std::size_t i = 0; i < t.size(); ++i)
        std::printf("%s%.4f", i ? "," : "", t[i]);
    std::printf("\n");
    std::fflush(stdout);
}

std::string pythonMedianFunction(int repeats)
{
    return "import time,statistics\n"
           "def med(f):\n"
           " t=[]\n"
           " for _ in range(" +
           std::to_string(repeats) +
           "):\n"
           "  t0=time.perf_counter(); f(); t.append(time.perf_counter()-t0)\n"
           " return statistics.median(t)\n";
}

std::vector<double> pythonNumbers(const std::string& script, std::size_t count)
{
    // The script as one single-quoted shell word: each ' becomes '\''.
    std::string quoted = "'";
    for (char c : script)
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    quoted += "'";
    const std::string cmd = "/usr/bin/python3 -c " + quoted + " 2>/dev/null";
    FILE* p = popen(cmd.c_str(), "r");
    if (!p)
        return {};
    std::vector<double> out(count);
    bool ok = true;
    for (double& x : out)
        ok = ok && std::fscanf(p, "%lf", &x) == 1;
    pclose(p);
    return ok ? out : std::vector<double>{};
}

} // namespace ws::bench
