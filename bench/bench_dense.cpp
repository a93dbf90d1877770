// Dense sampler benchmark: one sample (generate H + all eigenvalues) at N = 2000 by default,
// median over repeats, per solver. The peer is numpy's eigvalsh (bench/numpy_eigvalsh.py), run
// side by side by bench/run_benchmarks.sh.
//
//   bench_dense [--n N] [--repeats R] [--noise gaussian|complex] [--all-solvers] [--warmup 0|1]
//
// Output: one "RESULT ..." line per measurement (times in seconds), parsed by the script.

#include "core/model/families.h"
#include "core/model/model.h"
#include "core/sampling/rng.h"
#include "core/sampling/sampler.h"

#include <tbb/info.h>

#include <algorithm>
#include <chrono>
#include <complex>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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

template <class F> std::vector<double> timeIt(int repeats, F&& f)
{
    std::vector<double> t;
    for (int r = 0; r < repeats; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        f(r);
        t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return t;
}

void report(const char* what, const std::string& extra, const std::vector<double>& t)
{
    std::printf("RESULT %s %s median=%.4f times=", what, extra.c_str(), median(t));
    for (std::size_t i = 0; i < t.size(); ++i)
        std::printf("%s%.4f", i ? "," : "", t[i]);
    std::printf("\n");
    std::fflush(stdout);
}

} // namespace

int main(int argc, char** argv)
{
    int n = 2000, repeats = 5;
    std::string noise = "gaussian";
    bool allSolvers = false, warmup = true;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--n" && i + 1 < argc)
            n = std::atoi(argv[++i]);
        else if (a == "--repeats" && i + 1 < argc)
            repeats = std::atoi(argv[++i]);
        else if (a == "--noise" && i + 1 < argc)
            noise = argv[++i];
        else if (a == "--warmup" && i + 1 < argc)
            warmup = std::atoi(argv[++i]) != 0;
        else if (a == "--all-solvers")
            allSolvers = true;
        else {
            std::fprintf(stderr,
                         "usage: bench_dense [--n N] [--repeats R] [--noise gaussian|complex] "
                         "[--all-solvers] [--warmup 0|1]\n");
            return 2;
        }
    }

    Model m;
    m.n = n;
    m.sigma = 1.0;
    m.noise = parseNoise(noise);
    m.spikes = parseSpikes("equal:3");
    validate(m);

    pinBlasToOneThread();
    std::printf("# bench_dense: N = %d, noise %s, %d repeats; TBB threads = %d, "
                "BLAS threads = 1 (pinned), Auto solver = %s\n",
                n, noise.c_str(), repeats, tbb::info::default_concurrency(),
                toString(autoDenseSolver(n, m.noise.isComplex())).c_str());

    std::vector<DenseSolver> solvers{DenseSolver::Auto};
    if (allSolvers)
        solvers = {DenseSolver::Auto, DenseSolver::Lapack, DenseSolver::LapackTwoStage,
                   DenseSolver::ParallelTwoStage, DenseSolver::Eigen};
    const std::string tag = "n=" + std::to_string(n) + " noise=" + noise;
    for (DenseSolver s : solvers) {
        const auto sampler = makeDenseSampler(m, 1, s);
        double sink = 0.0;
        if (warmup) // pages, thread pool; skipped at large N, where one run costs seconds
            sampler->sample(1000, nullptr);
        // Eigen is ~3x slower: fewer repeats keep the run short.
        const int reps = s == DenseSolver::Eigen ? std::max(1, std::min(repeats, 3)) : repeats;
        const auto t = timeIt(reps, [&](int r) {
            sink += sampler->sample(static_cast<std::uint64_t>(r), nullptr).back();
        });
        report("ws_dense_sample", tag + " solver=" + toString(s), t);
        if (sink == 0.0)
            std::printf("# (sink %g)\n", sink);
    }

    // The noise generation alone (full matrix: lower triangle + mirror), for scale.
    if (m.noise.isComplex()) {
        std::vector<std::complex<double>> x(static_cast<std::size_t>(n) * n);
        const auto t = timeIt(repeats, [&](int r) {
            Rng rng(1, static_cast<std::uint64_t>(r));
            fillNoiseComplex(m.noise, n, rng, x.data());
        });
        report("ws_noise_fill", tag, t);
    } else {
        std::vector<double> x(static_cast<std::size_t>(n) * n);
        const auto t = timeIt(repeats, [&](int r) {
            Rng rng(1, static_cast<std::uint64_t>(r));
            fillNoiseReal(m.noise, n, rng, x.data());
        });
        report("ws_noise_fill", tag, t);
    }
    return 0;
}
