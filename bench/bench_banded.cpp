// Benchmarks of the exact Gaussian banded sampler (docs/model.md#the-tridiagonal-model): the time
// of one sample against N at ranks 1, 10 and 100 with the fitted exponents, the rank targets, then
// single-core cases beside numpy's dense eigvalsh (bench/numpy_eigvalsh_4000.py, run by this
// program through /usr/bin/python3) and the N = 1e6 case's peak memory.
//
// The table: per row, the median of `runs` repeats (the machine is shared and noisy) of
// - draw: drawTridiagonal, O(N r^2), one thread;
// - counts: bandedSpectrum on it (100 bins over [-3, 4], the top and bottom eigenvalue and every
//   eigenvalue beyond the widened semicircle edges), its counts on all cores;
// - sample = draw + counts, what the exponent is fitted to (least squares of log t on log N);
// - cpu: the CPU seconds of all threads for the same (fitted too: it does not see the load);
// - cli: the whole process `wignerscope-cli sample --n N --rank r --spikes equal:3 --samples 1`
//   (theory and start-up included), if the program sits at ../app/wignerscope-cli.
//
//   bench_banded            the table up to N = 1e7 (r = 1, 10; 1e6 at r = 100), 3 runs, then
//                           the single-core cases
//   bench_banded --quick    the table up to N = 1e6, 1 run, then the single-core cases once
//   bench_banded --table    the table only (3 runs)
#include "bench/bench_common.h"
#include "core/sampling/banded/banded.h"
#include "core/model/families.h"
#include "core/model/model.h"
#include "core/sweeps/sweep.h"

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

using namespace ws::core;

namespace {

using ws::bench::median;

double now()
{
    return ws::bench::wallSeconds();
}

double cpuNow()
{
    return ws::bench::cpuSeconds(CLOCK_THREAD_CPUTIME_ID);
}

// CPU seconds of the whole process (every thread) so far.
double processCpuNow()
{
    return ws::bench::cpuSeconds(CLOCK_PROCESS_CPUTIME_ID);
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

Model model(int n, int rank)
{
    Model m;
    m.n = n;
    m.sigma = 1.0;
    m.noise = parseNoise("gaussian");
    m.rank.isExplicit = true;
    m.rank.rank = rank;
    m.spikes = parseSpikes("equal:3");
    m.bulk = parseBulk("zero");
    validate(m);
    return m;
}

Model modelAlpha(int n, double alpha)
{
    Model m = model(n, 1);
    m.rank.isExplicit = false;
    m.rank.alpha = alpha;
    validate(m);
    return m;
}

// `bins` bins over [-3, 4] (bulk and the BBP outliers at 3 + 1/3); outliers are every eigenvalue
// beyond the semicircle edge widened by 3 sigma N^(-2/3) (docs/model.md#observed-outliers),
// plus the `top` largest and the smallest.
BandedSpectrumRequest request(int n, int top, int bins = 200)
{
    BandedSpectrumRequest req;
    for (int i = 0; i <= bins; ++i)
        req.edges.push_back(-3.0 + 7.0 * i / bins);
    const double edge = 2.0 + 3.0 * std::pow(static_cast<double>(n), -2.0 / 3.0);
    req.above = edge;
    req.below = -edge;
    req.topCount = top;
    req.bottomCount = 1;
    return req;
}

struct CaseResult
{
    double draw = 0, spectrum = 0, total = 0; // medians, wall seconds
    double cpu = 0;                           // median thread CPU seconds, draw + spectrum
    double processCpu = 0;                    // median CPU seconds of all threads, the same
    BandedSpectrum last;
};

CaseResult timeCase(const Model& m, const BandedSpectrumRequest& req, int repeats)
{
    std::vector<double> td, ts, tt, tc, tp;
    CaseResult res;
    const BandedSampler sampler(m, 2024);
    for (int k = 0; k < repeats; ++k) {
        const double p0 = processCpuNow();
        const double c0 = cpuNow();
        const double t0 = now();
        const std::optional<BandMatrix> t = sampler.draw(static_cast<std::uint64_t>(k));
        const double t1 = now();
        res.last = bandedSpectrum(*t, req);
        const double t2 = now();
        tc.push_back(cpuNow() - c0);
        tp.push_back(processCpuNow() - p0);
        td.push_back(t1 - t0);
        ts.push_back(t2 - t1);
        tt.push_back(t2 - t0);
    }
    res.draw = median(td);
    res.spectrum = median(ts);
    res.total = median(tt);
    res.cpu = median(tc);
    res.processCpu = median(tp);
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
    // __FILE__ may be relative to the build directory (ccache's base dir): then it is taken
    // from this program's directory, build/<preset>/bench/.
    std::filesystem::path script =
        std::filesystem::path(__FILE__).parent_path() / "numpy_eigvalsh_4000.py";
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (script.is_relative() && !ec)
        script = self.parent_path() / script;
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

// The CLI next to this program's build directory, if built.
std::optional<std::filesystem::path> cliPath()
{
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec)
        return std::nullopt;
    const auto cli = self.parent_path().parent_path() / "app" / "wignerscope-cli";
    if (!std::filesystem::exists(cli))
        return std::nullopt;
    return cli;
}

// Median wall seconds of the whole CLI process for one sample (NaN if it failed).
double cliMedian(const std::filesystem::path& cli, int n, int rank, int runs)
{
    // Built piece by piece: GCC 12's -Wrestrict misfires on "'" + std::string.
    std::string cmd = "'";
    cmd += cli.string();
    cmd += "' sample --n ";
    cmd += std::to_string(n);
    cmd += " --rank ";
    cmd += std::to_string(rank);
    cmd += " --spikes equal:3 --samples 1 >/dev/null 2>&1";
    std::vector<double> t;
    for (int k = 0; k < runs; ++k) {
        const double t0 = now();
        if (std::system(cmd.c_str()) != 0)
            return std::nan("");
        t.push_back(now() - t0);
    }
    return median(t);
}

struct Row
{
    int n = 0, rank = 0;
    double draw = 0, counts = 0, sample = 0, cpu = 0, cli = std::nan("");
};

// Least-squares slope of log t against log N (t: the wall or CPU seconds of a sample).
double exponent(const std::vector<Row>& rows, int rank, double Row::*t)
{
    std::vector<double> n, y;
    for (const Row& r : rows)
        if (r.rank == rank) {
            n.push_back(static_cast<double>(r.n));
            y.push_back(r.*t);
        }
    return logLogSlope(n, y).value_or(std::nan(""));
}

const Row* find(const std::vector<Row>& rows, int n, int rank)
{
    for (const Row& r : rows)
        if (r.n == n && r.rank == rank)
            return &r;
    return nullptr;
}

// The scaling table, its fits and the targets; false if a target failed.
bool scalingTable(bool quick)
{
    const int runs = quick ? 1 : 3;
    const int maxN = quick ? 1000000 : 10000000;
    const std::optional<std::filesystem::path> cli = cliPath();
    std::printf("Banded sampler, one sample (median of %d): draw (1 thread) + counts (all cores), "
                "100 bins, equal:3 spikes\n",
                runs);
    std::printf("%10s %5s %10s %10s %10s %10s %10s\n", "N", "rank", "draw s", "counts s",
                "sample s", "cpu s", "cli s");
    std::vector<Row> rows;
    for (const int rank : {1, 10, 100})
        for (int n = 10000; n <= maxN; n *= 10) {
            if (rank == 100 && n > 1000000)
                continue; // ~70 s a run: outside this benchmark's budget
            const Model m = model(n, rank);
            const CaseResult c = timeCase(m, request(n, 1, 100), runs);
            Row row{n, rank, c.draw, c.spectrum, c.total, c.processCpu, std::nan("")};
            if (cli)
                row.cli = cliMedian(*cli, n, rank, runs);
            rows.push_back(row);
            std::printf("%10d %5d %10.4f %10.4f %10.4f %10.4f %10.3f\n", n, rank, row.draw,
                        row.counts, row.sample, row.cpu, row.cli);
            std::fflush(stdout);
        }
    bool ok = true;
    for (const int rank : {1, 10, 100}) {
        const double e = exponent(rows, rank, &Row::sample);
        const double ec = exponent(rows, rank, &Row::cpu);
        const bool pass = std::abs(e - 1.0) <= 0.1;
        std::printf("rank %3d: wall time ~ N^%.3f over N = 1e4..%.0e (target 1.0 +- 0.1: %s); "
                    "CPU time ~ N^%.3f\n",
                    rank, e, static_cast<double>(rank == 100 ? std::min(maxN, 1000000) : maxN),
                    pass ? "PASS" : "FAIL", ec);
        ok = ok && pass;
    }
    const Row* r10 = find(rows, 100000, 10);
    const Row* r100 = find(rows, 100000, 100);
    const Row* big = find(rows, 1000000, 100);
    if (!r10 || !r100 || !big)
        return false;
    const bool haveCli = r10 && r100 && big && !std::isnan(r10->cli) && !std::isnan(big->cli);
    // Whole process where the CLI was found, else the per-sample times.
    const double t10 = haveCli ? r10->cli : r10->sample, t100 = haveCli ? r100->cli : r100->sample;
    const double tBig = haveCli ? big->cli : big->sample;
    const bool ratioOk = t100 < 10.0 * t10, bigOk = tBig < 60.0;
    std::printf("N = 1e5, rank 100 vs rank 10 (%s): %.3f s / %.3f s = %.1fx (target < 10x: %s)\n",
                haveCli ? "whole process" : "per sample", t100, t10, t100 / t10,
                ratioOk ? "PASS" : "FAIL");
    std::printf("N = 1e6, rank 100 (%s): %.2f s (target < 60 s: %s)\n",
                haveCli ? "whole process" : "per sample", tBig, bigOk ? "PASS" : "FAIL");
    return ok && ratioOk && bigOk;
}

} // namespace

int main(int argc, char** argv)
{
    const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    const bool tableOnly = argc > 1 && std::strcmp(argv[1], "--table") == 0;
    bool ok = true;

    // N = 1e6, r = 1 first, so that the process high-water mark is this case's.
    if (!tableOnly) {
        const Model m = model(1000000, 1);
        const long before = peakRssKiB();
        const CaseResult c = timeCase(m, request(m.n, 3), quick ? 2 : 5);
        const long after = peakRssKiB();
        std::printf("N = 1e6, r = %d: histogram (200 bins) + top 3 + outliers\n", rankOf(m));
        printTimes(c, 2.0);
        printOutliers(c.last);
        std::printf("  peak RSS (VmHWM) %.1f MiB -> %.1f MiB, delta %.1f MiB; tridiagonal %.1f "
                    "MiB; bandedSpectrumBytes %.1f MiB\n\n",
                    static_cast<double>(before) / 1024.0, static_cast<double>(after) / 1024.0,
                    static_cast<double>(after - before) / 1024.0,
                    static_cast<double>(m.n) * 2 * sizeof(double) / 1048576.0,
                    static_cast<double>(bandedSpectrumBytes(m, 201)) / 1048576.0);
        ok = ok && c.total < 2.0;
    }

    ok = scalingTable(quick) && ok;
    if (tableOnly)
        return ok ? 0 : 1;
    std::printf("\n");

    // N = 20000, alpha = 0.3: r = ceil(20000^0.3) = 20.
    {
        const Model m = modelAlpha(20000, 0.3);
        const CaseResult c = timeCase(m, request(m.n, 0), quick ? 2 : 5);
        std::printf("N = 20000, alpha = 0.3 (r = %d): histogram + outliers\n", rankOf(m));
        printTimes(c, 5.0);
        printOutliers(c.last);
        ok = ok && c.total < 5.0;
    }

    // N = 4000, alpha = 0.3: r = ceil(4000^0.3) = 13.
    {
        const Model m = modelAlpha(4000, 0.3);
        const CaseResult c = timeCase(m, request(m.n, 0), quick ? 5 : 21);
        std::printf("N = 4000, alpha = 0.3 (r = %d): histogram + outliers\n", rankOf(m));
        printTimes(c, 0.0);
        printOutliers(c.last);

        std::vector<double> tFull;
        const BandedSampler sampler(m, 2024);
        for (int k = 0; k < (quick ? 1 : 3); ++k) {
            const double t0 = now();
            const std::vector<double> ev = sampler.sample(static_cast<std::uint64_t>(k), nullptr);
            tFull.push_back(now() - t0);
        }
        std::printf("  all eigenvalues (draw + dsterf): median %.3f s\n", median(tFull));

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
        std::printf("  speed-up of all eigenvalues over numpy: %.1fx\n", np2.wall / median(tFull));
        ok = ok && ratio2 >= 30.0;
    }
    return ok ? 0 : 1;
}
