// Benchmarks of the exact Gaussian banded sampler (issue 4): one sample's histogram (200 bins)
// plus its outliers from inertia counts, single-threaded. Medians over repeats; the N = 4000
// case is timed side by side with numpy's dense eigvalsh (bench/numpy_eigvalsh_4000.py, run by
// this program through /usr/bin/python3), and the N = 1e6 case reports its peak memory.
//
//   bench_banded            all cases
//   bench_banded --quick    fewer repeats
#include "core/sampling/banded/banded.h"
#include "core/model/families.h"
#include "core/model/model.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace ws::core;

namespace {

double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

double cpuNow()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const std::size_t m = v.size() / 2;
    return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

// Peak resident set of this process so far (VmHWM), KiB.
long peakRssKiB()
{
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmHWM:", 0) == 0)
            return std::stol(line.substr(6));
    struct rusage ru
    {
    };
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

Model model(int n, double alpha)
{
    Model m;
    m.n = n;
    m.sigma = 1.0;
    m.noise = parseNoise("gaussian");
    m.rank.alpha = alpha;
    m.spikes = parseSpikes("equal:3");
    m.bulk = parseBulk("zero");
    validate(m);
    return m;
}

// 200 bins over [-3, 4] (bulk and the BBP outliers at 3 + 1/3); outliers are every eigenvalue
// beyond the semicircle edge widened by 3 sigma N^(-2/3) (DESIGN.md section 2), plus `top`.
BandedSpectrumRequest request(int n, int top)
{
    BandedSpectrumRequest req;
    for (int i = 0; i <= 200; ++i)
        req.edges.push_back(-3.0 + 7.0 * i / 200.0);
    const double edge = 2.0 + 3.0 * std::pow(static_cast<double>(n), -2.0 / 3.0);
    req.above = edge;
    req.below = -edge;
    req.topCount = top;
    return req;
}

struct CaseResult
{
    double draw = 0, spectrum = 0, total = 0; // medians, wall seconds
    double cpu = 0;                           // median thread CPU seconds, draw + spectrum
    BandedSpectrum last;
};

CaseResult timeCase(const Model& m, const BandedSpectrumRequest& req, int repeats)
{
    std::vector<double> td, ts, tt, tc;
    CaseResult res;
    for (int k = 0; k < repeats; ++k) {
        const double c0 = cpuNow();
        const double t0 = now();
        const BandMatrix h = drawBandMatrix(m, 2024, static_cast<std::uint64_t>(k));
        const double t1 = now();
        res.last = bandedSpectrum(h, req);
        const double t2 = now();
        tc.push_back(cpuNow() - c0);
        td.push_back(t1 - t0);
        ts.push_back(t2 - t1);
        tt.push_back(t2 - t0);
    }
    res.draw = median(td);
    res.spectrum = median(ts);
    res.total = median(tt);
    res.cpu = median(tc);
    return res;
}

void printOutliers(const BandedSpectrum& s)
{
    std::printf("  located: %zu top (", s.top.size());
    for (std::size_t i = 0; i < std::min<std::size_t>(s.top.size(), 4); ++i)
        std::printf("%s%.6f", i ? ", " : "", s.top[i]);
    std::printf("%s), %zu bottom\n", s.top.size() > 4 ? ", ..." : "", s.bottom.size());
}

struct PeerTimes
{
    double wall = std::nan(""), cpu = std::nan("");
};

double jsonNumber(const std::string& out, const std::string& key)
{
    const auto at = out.find("\"" + key + "\":");
    if (at == std::string::npos)
        return std::nan("");
    return std::stod(out.substr(at + key.size() + 3));
}

// Runs the numpy peer; median wall and CPU seconds (NaN if it failed).
PeerTimes numpyMedian(int n, int repeats, const char* threadsEnv)
{
    const std::filesystem::path script =
        std::filesystem::path(__FILE__).parent_path() / "numpy_eigvalsh_4000.py";
    std::string cmd = std::string(threadsEnv) + " /usr/bin/python3 '" + script.string() + "' " +
                      std::to_string(n) + " " + std::to_string(repeats);
    FILE* p = popen(cmd.c_str(), "r");
    if (!p)
        return {};
    std::string out;
    char buf[512];
    while (std::fgets(buf, sizeof buf, p))
        out += buf;
    if (pclose(p) != 0)
        return {};
    return {jsonNumber(out, "median_s"), jsonNumber(out, "cpu_median_s")};
}

void printTimes(const CaseResult& c, double target)
{
    std::printf("  median wall: draw %.4f s + counts/bisection %.4f s = %.4f s; CPU %.4f s", c.draw,
                c.spectrum, c.total, c.cpu);
    if (target > 0)
        std::printf(" (target < %.0f s: %s)", target, c.total < target ? "PASS" : "FAIL");
    std::printf("\n");
}

} // namespace

int main(int argc, char** argv)
{
    const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    bool ok = true;

    // N = 1e6, r = 1 first, so that the process high-water mark is this case's.
    {
        const Model m = model(1000000, 0.0);
        const long before = peakRssKiB();
        const CaseResult c = timeCase(m, request(m.n, 3), quick ? 2 : 5);
        const long after = peakRssKiB();
        std::printf("N = 1e6, r = %d: histogram (200 bins) + top 3 + outliers, one core\n",
                    rankOf(m));
        printTimes(c, 2.0);
        printOutliers(c.last);
        std::printf("  peak RSS (VmHWM) %.1f MiB -> %.1f MiB, delta %.1f MiB; band storage %.1f "
                    "MiB; bandedSpectrumBytes %.1f MiB\n",
                    static_cast<double>(before) / 1024.0, static_cast<double>(after) / 1024.0,
                    static_cast<double>(after - before) / 1024.0,
                    static_cast<double>(m.n) * 2 * sizeof(double) / 1048576.0,
                    static_cast<double>(bandedSpectrumBytes(m, 201)) / 1048576.0);
        ok = ok && c.total < 2.0;
    }

    // N = 20000, alpha = 0.3: r = ceil(20000^0.3) = 20.
    {
        const Model m = model(20000, 0.3);
        const CaseResult c = timeCase(m, request(m.n, 0), quick ? 2 : 5);
        std::printf("N = 20000, alpha = 0.3 (r = %d): histogram + outliers, one core\n", rankOf(m));
        printTimes(c, 5.0);
        printOutliers(c.last);
        ok = ok && c.total < 5.0;
    }

    // N = 4000, alpha = 0.3: r = ceil(4000^0.3) = 13 (the "12" is the floor).
    {
        const Model m = model(4000, 0.3);
        const CaseResult c = timeCase(m, request(m.n, 0), quick ? 5 : 21);
        std::printf("N = 4000, alpha = 0.3 (r = %d): histogram + outliers, one core\n", rankOf(m));
        printTimes(c, 0.0);
        printOutliers(c.last);

        std::vector<double> tFull;
        for (int k = 0; k < (quick ? 1 : 3); ++k) {
            BandMatrix h = drawBandMatrix(m, 2024, static_cast<std::uint64_t>(k));
            const double t0 = now();
            const std::vector<double> ev = bandEigenvalues(std::move(h));
            tFull.push_back(now() - t0);
        }
        std::printf("  all eigenvalues by LAPACK dsbev on the band: median %.3f s\n",
                    median(tFull));

        const int reps = quick ? 1 : 3;
        const PeerTimes np2 = numpyMedian(4000, reps, "");
        const PeerTimes np1 = numpyMedian(4000, reps, "OPENBLAS_NUM_THREADS=1");
        std::printf("  numpy eigvalsh N = 4000 (dense, same run): median %.3f s wall (OpenBLAS "
                    "default threads); %.3f s wall, %.3f s CPU (1 thread)\n",
                    np2.wall, np1.wall, np1.cpu);
        const double ratio2 = np2.wall / c.total, ratio1 = np1.wall / c.total;
        const double ratioCpu = np1.cpu / c.cpu;
        std::printf("  speed-up of histogram + outliers over numpy: %.0fx wall (vs default "
                    "threads), %.0fx wall and %.0fx CPU (vs 1 thread); target >= 30x: %s\n",
                    ratio2, ratio1, ratioCpu, ratio2 >= 30.0 ? "PASS" : "FAIL");
        std::printf("  speed-up of all eigenvalues (dsbev) over numpy: %.1fx\n",
                    np2.wall / median(tFull));
        ok = ok && ratio2 >= 30.0;
    }
    return ok ? 0 : 1;
}
