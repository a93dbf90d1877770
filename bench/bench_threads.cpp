// Runner scaling: 16 dense samples at N = 600 on 1 thread vs 2 threads (the peer is the same
// run on one thread). Runs alternate 1/2 threads so that load from elsewhere hits both alike;
// medians over the runs and their ratio are printed. The results are also checked to be
// bit-identical (the runner's contract). Two references: the machine's ceiling for independent
// scalar work, and the same samples drawn on plain threads without the runner (what this
// memory-bound work allows on this machine's shared caches and memory).
//
//   bench_threads [--n 600] [--samples 16] [--runs 5] [--threads 2] [--timeline]
//
// --timeline: after the rounds, every run's samples per thread (from the runner's per-sample
// callback: count and median duration per thread), to tell the runner's losses (imbalance, a
// late thread) from the machine's (every sample slower on every thread).

#include "bench/bench_common.h"
#include "core/model/families.h"
#include "core/model/model.h"
#include "core/sampling/runner.h"
#include "core/sampling/sampler.h"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

using namespace ws::core;

namespace {

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
    const double t0 = ws::bench::wallSeconds();
    arena.execute([&] {
        tbb::parallel_for(0, kChunks, [&](int c) {
            double x = 1.0 + c;
            for (long i = 0; i < kIters; ++i)
                x = std::sqrt(x + 1e-9 * static_cast<double>(i));
            out[static_cast<std::size_t>(c)] = x;
        });
    });
    const double t = ws::bench::wallSeconds() - t0;
    return out[0] > 0.0 ? t : -t;
}

// The same samples without the runner: `threads` plain threads, each with a one-thread TBB arena,
// drawing every threads-th sample from one sampler. The ratio of its 1- and n-thread times is
// what the hardware allows for this memory-bound work (shared caches and memory bandwidth), so
// the runner's own loss is speed-up / this ratio.
double independentSeconds(const Sampler& sampler, int samples, int threads)
{
    std::vector<std::thread> pool;
    std::vector<double> sink(static_cast<std::size_t>(threads));
    const double t0 = ws::bench::wallSeconds();
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            tbb::task_arena one(1);
            one.execute([&] {
                for (int k = t; k < samples; k += threads)
                    sink[static_cast<std::size_t>(t)] +=
                        sampler.sample(static_cast<std::uint64_t>(k), nullptr).back();
            });
        });
    for (auto& th : pool)
        th.join();
    const double t = ws::bench::wallSeconds() - t0;
    return sink[0] != 0.0 ? t : -t;
}

// One runner run at `threads`: per thread (in order of first appearance), the samples it ran and
// the median time between its consecutive sample ends (the first from the run's start).
void printTimeline(const Model& m, RunOptions o, int run)
{
    std::vector<std::pair<std::thread::id, double>> ends; // serialized by the runner
    const double t0 = ws::bench::wallSeconds();
    const RunResult r = runSamples(m, o, nullptr, {}, [&](int, const std::vector<double>&) {
        ends.emplace_back(std::this_thread::get_id(), ws::bench::wallSeconds() - t0);
    });
    std::printf("TIMELINE run=%d total=%.4f", run, r.totalSeconds);
    std::vector<std::thread::id> seen;
    for (const auto& e : ends)
        if (std::find(seen.begin(), seen.end(), e.first) == seen.end())
            seen.push_back(e.first);
    for (std::size_t t = 0; t < seen.size(); ++t) {
        std::vector<double> durations;
        double last = 0.0;
        for (const auto& e : ends)
            if (e.first == seen[t]) {
                durations.push_back(e.second - last);
                last = e.second;
            }
        std::printf("  thread%zu: %zu samples, median %.4f s, last end %.4f s", t, durations.size(),
                    ws::bench::median(durations), last);
    }
    std::printf("\n");
}

} // namespace

int main(int argc, char** argv)
{
    int n = 600, samples = 16, runs = 5, threads = 2;
    bool timeline = false;
    ws::bench::BenchArgs args(
        "usage: bench_threads [--n 600] [--samples 16] [--runs 5] [--threads 2] [--timeline]");
    args.option("--n", n).option("--samples", samples).option("--runs", runs);
    args.option("--threads", threads).flag("--timeline", timeline);
    if (!args.parse(argc, argv))
        return 2;
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
                samples, n, threads, ws::bench::loadAverage().c_str());
    o.threads = 1;
    runSamples(m, o); // warm-up
    validate(m);
    pinBlasToOneThread();
    const auto sampler = makeSampler(m, o.sampler, o.seed); // for the runner-free reference
    // Runner, ceiling and the runner-free samples alternate within each round, so that load from
    // elsewhere on the machine hits them alike: the ratio of the speed-ups is what the runner
    // controls.
    std::vector<double> t1, t2, c1, c2, i1, i2;
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
        i1.push_back(independentSeconds(*sampler, samples, 1));
        i2.push_back(independentSeconds(*sampler, samples, threads));
    }
    const std::string one = "threads=1", many = "threads=" + std::to_string(threads);
    ws::bench::reportTimes("runner_1thread", one, t1);
    ws::bench::reportTimes("runner_nthreads", many, t2);
    ws::bench::reportTimes("ceiling_1thread", one, c1);
    ws::bench::reportTimes("ceiling_nthreads", many, c2);
    ws::bench::reportTimes("independent_1thread", one, i1);
    ws::bench::reportTimes("independent_nthreads", many, i2);
    using ws::bench::median;
    const double speedup = median(t1) / median(t2), ceiling = median(c1) / median(c2);
    std::printf("RESULT speedup threads=%d ratio=%.3f identical=%s\n", threads, speedup,
                identical ? "yes" : "NO");
    std::printf("RESULT ceiling threads=%d ratio=%.3f (independent scalar work: the most any "
                "runner can get on this machine)\n",
                threads, ceiling);
    const double independent = median(i1) / median(i2);
    std::printf("RESULT independent threads=%d ratio=%.3f (the same samples on plain threads, no "
                "runner: what this work allows; speedup / independent = %.3f)\n",
                threads, independent, speedup / independent);
    std::printf("RESULT speedup / ceiling = %.3f (target >= 0.97: %s)\n", speedup / ceiling,
                speedup >= 0.97 * ceiling ? "PASS" : "FAIL");
    if (timeline) {
        o.threads = threads;
        for (int r = 0; r < runs; ++r)
            printTimeline(m, o, r);
    }
    std::printf("# load average after: %s\n", ws::bench::loadAverage().c_str());
    return identical ? 0 : 1;
}
