// Dense sampler benchmark: one sample (generate H + all eigenvalues) at N = 2000 by default,
// median over repeats, per solver. The peer is numpy's eigvalsh (bench/numpy_eigvalsh.py), run
// side by side by bench/run_benchmarks.sh.
//
//   bench_dense [--n N] [--repeats R] [--noise gaussian|complex] [--all-solvers] [--warmup 0|1]
//
// Output: one "RESULT ..." line per measurement (times in seconds), parsed by the script.

#include "bench/bench_common.h"
#include "core/model/families.h"
#include "core/model/model.h"
#include "core/sampling/rng.h"
#include "core/sampling/sampler.h"

#include <tbb/info.h>

#include <cblas.h>

#include <algorithm>
#include <complex>
#include <cstdio>
#include <string>
#include <vector>

using namespace ws::core;

int main(int argc, char** argv)
{
    int n = 2000, repeats = 5, warmup = 1;
    std::string noise = "gaussian";
    bool allSolvers = false;
    ws::bench::BenchArgs args("usage: bench_dense [--n N] [--repeats R] [--noise gaussian|complex] "
                              "[--all-solvers] [--warmup 0|1]");
    args.option("--n", n).option("--repeats", repeats).option("--noise", noise);
    args.option("--warmup", warmup).flag("--all-solvers", allSolvers);
    if (!args.parse(argc, argv))
        return 2;

    Model m;
    m.n = n;
    m.sigma = 1.0;
    m.noise = parseNoise(noise);
    m.spikes = parseSpikes("equal:3");
    validate(m);

    pinBlasToOneThread();
    std::printf("# bench_dense: N = %d, noise %s, %d repeats; TBB threads = %d, "
                "BLAS threads = 1 (pinned), OpenBLAS kernels %s, Auto solver = %s\n",
                n, noise.c_str(), repeats, tbb::info::default_concurrency(),
                openblas_get_corename(), toString(autoDenseSolver(n, m.noise.isComplex())).c_str());

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
        const auto t = ws::bench::timeRepeats(reps, [&](int r) {
            sink += sampler->sample(static_cast<std::uint64_t>(r), nullptr).back();
        });
        ws::bench::reportTimes("ws_dense_sample", tag + " solver=" + toString(s), t);
        if (sink == 0.0)
            std::printf("# (sink %g)\n", sink);
    }

    // The noise generation alone (full matrix: lower triangle + mirror), for scale.
    if (m.noise.isComplex()) {
        std::vector<std::complex<double>> x(static_cast<std::size_t>(n) * n);
        const auto t = ws::bench::timeRepeats(repeats, [&](int r) {
            Rng rng(1, static_cast<std::uint64_t>(r));
            fillNoiseComplex(m.noise, n, rng, x.data());
        });
        ws::bench::reportTimes("ws_noise_fill", tag, t);
    } else {
        std::vector<double> x(static_cast<std::size_t>(n) * n);
        const auto t = ws::bench::timeRepeats(repeats, [&](int r) {
            Rng rng(1, static_cast<std::uint64_t>(r));
            fillNoiseReal(m.noise, n, rng, x.data());
        });
        ws::bench::reportTimes("ws_noise_fill", tag, t);
    }
    return 0;
}
