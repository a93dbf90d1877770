// Runner scaling: 16 dense samples at N = 600 on 1 thread vs 2 threads (the peer is the same
// run on one thread). Runs alternate 1/2 threads so that load from elsewhere hits both alike;
// medians over the runs and their ratio are printed. The results are also checked to be
// bit-identical (the runner's contract).
//
//   bench_threads [--n 600] [--samples 16] [--runs 5] [--threads 2]

#include "core/model/families.h"
#include "core/model/model.h"
#include "core/sampling/runner.h"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

using namespace ws::core;

namespace {

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const std::size_t h = v.size() / 2;
    return v.size() % 2 ? v[h] : 0.5 * (v[h - 1] + v[h]);
}

std::string loadAverage()
{
    std::ifstream f("/proc/loadavg");
    std::string a, b, c;
    f >> a >> b >> c;
    return a + " " + b + " " + c;
}

void report(const char* what, int threads, const std::vector<double>& t)
{
    std::printf("RESULT %s threads=%d median=%.4f times=", what, threads, median(t));
    for (std::size_t i = 0; i < t.size(); ++i)
        std::printf("%s%.4f", i ? "," : "", t[i]);
    std::printf("\n");
}

// The machine's own ceiling: the same total amount of independent scalar work (no memory
// traffic, no synchronization) on 1 thread and on `threads` threads. If this is far below
// `threads`x, the cores are not independent (SMT siblings, an oversubscribed VM host) and no
// runner can do better.
double ceilingSeconds(int threads)
{
    constexpr int kChunks = 16;
    constexpr long kIters = 6'000'000;
    std::vector<double> out(kChunks);
    tbb::task_arena arena(threads);
    const auto t0 = std::chrono::steady_clock::now();
    arena.execute([&] {
        tbb::parallel_for(0, kChunks, [&](int c) {
            double x = 1.0 + c;
            for (long i = 0; i < kIters; ++i)
                x = std::sqrt(x + 1e-9 * static_cast<double>(i));
            out[static_cast<std::size_t>(c)] = x;
        });
    });
    const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return out[0] > 0.0 ? t : -t;
}

} // namespace

int main(int argc, char** argv)
{
    int n = 600, samples = 16, runs = 5, threads = 2;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        const int v = std::atoi(argv[i + 1]);
        if (a == "--n")
            n = v;
        else if (a == "--samples")
            samples = v;
        else if (a == "--runs")
            runs = v;
        else if (a == "--threads")
            threads = v;
    }
    Model m;
    m.n = n;
    m.noise = parseNoise("gaussian");
    m.spikes = parseSpikes("equal:3");
    m.bulk = parseBulk("uniform:-1,1"); // dense sampler (banded does not apply)
    RunOptions o;
    o.samples = samples;
    o.seed = 7;
    o.sampler = SamplerChoice::Dense;

    std::printf("# bench_threads: %d samples, N = %d, dense; 1 vs %d threads (BLAS pinned to 1 "
                "thread per sample); load average before: %s\n",
                samples, n, threads, loadAverage().c_str());
    o.threads = 1;
    runSamples(m, o); // warm-up
    // Runner and ceiling alternate within each round, so that load from elsewhere on the
    // machine hits both alike: the ratio of the two speed-ups is what the runner controls.
    std::vector<double> t1, t2, c1, c2;
    bool identical = true;
    for (int r = 0; r < runs; ++r) {
        o.threads = 1;
        const RunResult a = runSamples(m, o);
        o.threads = threads;
        const RunResult b = runSamples(m, o);
        t1.push_back(a.totalSeconds);
        t2.push_back(b.totalSeconds);
        identical = identical && a.eigenvalues == b.eigenvalues;
        c1.push_back(ceilingSeconds(1));
        c2.push_back(ceilingSeconds(threads));
    }
    report("runner_1thread", 1, t1);
    report("runner_nthreads", threads, t2);
    report("ceiling_1thread", 1, c1);
    report("ceiling_nthreads", threads, c2);
    const double speedup = median(t1) / median(t2), ceiling = median(c1) / median(c2);
    std::printf("RESULT speedup threads=%d ratio=%.3f identical=%s\n", threads, speedup,
                identical ? "yes" : "NO");
    std::printf("RESULT ceiling threads=%d ratio=%.3f (independent scalar work: the most any "
                "runner can get on this machine)\n",
                threads, ceiling);
    std::printf("RESULT speedup / ceiling = %.3f (target >= 0.97: %s)\n", speedup / ceiling,
                speedup >= 0.97 * ceiling ? "PASS" : "FAIL");
    std::printf("# load average after: %s\n", loadAverage().c_str());
    return identical ? 0 : 1;
}
