// Where one dense sample's time goes (real symmetric, the parallel two-stage solver): the whole
// solve (dense -> band -> tridiagonal -> eigenvalues), the band -> tridiagonal bulge chasing
// alone (on a random band of the solver's half-width), dsterf alone (on that tridiagonal) and the
// noise generation, each on 1 thread and on all threads (TBB), BLAS pinned to one thread as in
// the sampler. The dense -> band stage is the solve minus the two others. Medians of repeats.
//
//   bench_dense_stages [--n 2000] [--repeats 7]

#include "bench/bench_common.h"
#include "core/model/families.h"
#include "core/sampling/dense/dense_kernels.h"
#include "core/sampling/rng.h"
#include "core/sampling/sampler.h"

#include <tbb/global_control.h>
#include <tbb/info.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

extern "C" void dsterf_(const lapack_int* n, double* d, double* e, lapack_int* info);

using namespace ws::core;

namespace {

void stages(int n, int repeats, int threads)
{
    tbb::global_control cap(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads));
    const NoiseFamily noise = parseNoise("gaussian");
    std::vector<double> h(static_cast<std::size_t>(n) * static_cast<std::size_t>(n)), a(h.size());
    Rng rng(1, 0);
    fillNoiseReal(noise, n, rng, h.data());
    const int kd = dense::kKd;
    std::vector<double> band(static_cast<std::size_t>(kd + 1) * static_cast<std::size_t>(n));
    std::mt19937_64 gen(1);
    std::normal_distribution<double> normal;
    for (double& x : band)
        x = normal(gen);
    std::vector<double> d(static_cast<std::size_t>(n)), e(static_cast<std::size_t>(n - 1)),
        d2(d.size()), e2(e.size());
    double sink = 0.0;

    const std::string tag = "n=" + std::to_string(n) + " threads=" + std::to_string(threads);
    std::vector<double> solve, chase, sterf, fill;
    for (int r = 0; r < repeats; ++r) {
        a = h; // untimed: the solver overwrites its input
        double t0 = ws::bench::wallSeconds();
        sink += dense::solveParallelTwoStage(n, a.data(), nullptr).back();
        solve.push_back(ws::bench::wallSeconds() - t0);
        t0 = ws::bench::wallSeconds();
        dense::bandToTridiagonal(n, kd, band.data(), d.data(), e.data());
        chase.push_back(ws::bench::wallSeconds() - t0);
        d2 = d;
        e2 = e;
        lapack_int nn = n, info = 0;
        t0 = ws::bench::wallSeconds();
        dsterf_(&nn, d2.data(), e2.data(), &info);
        sterf.push_back(ws::bench::wallSeconds() - t0);
        sink += d2.back();
        t0 = ws::bench::wallSeconds();
        Rng draw(2, static_cast<std::uint64_t>(r));
        fillNoiseReal(noise, n, draw, a.data()); // lower triangle + mirror (the sampler: lower)
        fill.push_back(ws::bench::wallSeconds() - t0);
    }
    ws::bench::reportTimes("solve", tag, solve);
    ws::bench::reportTimes("bulge_chase", tag, chase);
    ws::bench::reportTimes("dsterf", tag, sterf);
    ws::bench::reportTimes("noise_fill", tag, fill);
    const double rest =
        ws::bench::median(solve) - ws::bench::median(chase) - ws::bench::median(sterf);
    std::printf("RESULT dense_to_band %s median=%.4f (solve - bulge_chase - dsterf)\n", tag.c_str(),
                rest);
    if (sink == 0.0)
        std::printf("# (sink %g)\n", sink);
}

} // namespace

int main(int argc, char** argv)
{
    int n = 2000, repeats = 7;
    ws::bench::BenchArgs args("usage: bench_dense_stages [--n N] [--repeats R]");
    args.option("--n", n).option("--repeats", repeats);
    if (!args.parse(argc, argv))
        return 2;
    if (n < 64 || repeats < 1) {
        std::fprintf(stderr, "error: --n must be at least 64 and --repeats at least 1\n");
        return 2;
    }
    pinBlasToOneThread();
    const int all = tbb::info::default_concurrency();
    std::printf("# bench_dense_stages: N = %d, %d repeats, OpenBLAS kernels %s, load average %s\n",
                n, repeats, openblas_get_corename(), ws::bench::loadAverage().c_str());
    stages(n, repeats, 1);
    if (all > 1)
        stages(n, repeats, all);
    return 0;
}
