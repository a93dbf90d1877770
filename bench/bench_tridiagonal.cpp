// The last step of the dense solver: all eigenvalues of the real symmetric tridiagonal (N = 2000:
// ~15% of a real sample's wall time on 2 cores, and serial). Times LAPACK's dsterf (what the
// solver runs) against the candidates for a parallel or faster replacement, each on one thread:
// dqds (dstemr, all eigenvalues, no vectors) and bisection (dstebz) of one fixed half of the
// indices, the share of one thread in a 2-thread split that gives the same bits for any thread
// count. The tridiagonal is the GOE's (Dumitriu-Edelman: the same eigenvalue law as a dense GOE
// sample, so the iteration counts are representative). The CPU time of each call is printed.
//
//   bench_tridiagonal [--n 2000] [--repeats 5]

#include "bench/bench_common.h"

#include <lapacke.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace {

struct Tridiagonal
{
    std::vector<double> d, e;
};

// d_i ~ N(0, 2), e_i ~ chi_{n-1-i}, all over sqrt(2 n): spectrum ~ semicircle on [-sqrt2, sqrt2].
Tridiagonal goeTridiagonal(int n)
{
    std::mt19937_64 gen(1);
    std::normal_distribution<double> normal(0.0, std::sqrt(2.0));
    Tridiagonal t;
    const double s = 1.0 / std::sqrt(2.0 * n);
    for (int i = 0; i < n; ++i)
        t.d.push_back(s * normal(gen));
    for (int i = 0; i + 1 < n; ++i) {
        std::chi_squared_distribution<double> chi2(n - 1 - i);
        t.e.push_back(s * std::sqrt(chi2(gen)));
    }
    return t;
}

// Thread CPU seconds of run() over `repeats` calls, each on a fresh copy of `t`.
template <class Run> std::vector<double> cpuTimes(int repeats, const Tridiagonal& t, Run run)
{
    std::vector<double> out;
    for (int r = 0; r < repeats; ++r) {
        Tridiagonal c = t;
        const double t0 = ws::bench::cpuSeconds(CLOCK_THREAD_CPUTIME_ID);
        run(c);
        out.push_back(ws::bench::cpuSeconds(CLOCK_THREAD_CPUTIME_ID) - t0);
    }
    return out;
}

double maxAbsDiff(const std::vector<double>& a, const std::vector<double>& b, std::size_t count)
{
    double m = 0.0;
    for (std::size_t i = 0; i < count; ++i)
        m = std::max(m, std::abs(a[i] - b[i]));
    return m;
}

} // namespace

int main(int argc, char** argv)
{
    int n = 2000, repeats = 5;
    ws::bench::BenchArgs args("usage: bench_tridiagonal [--n 2000] [--repeats 5]");
    args.option("--n", n).option("--repeats", repeats);
    if (!args.parse(argc, argv) || n < 4 || repeats < 1)
        return 2;
    const Tridiagonal t = goeTridiagonal(n);
    const std::string tag = "n=" + std::to_string(n);

    std::vector<double> ref;
    const auto sterf = cpuTimes(repeats, t, [&](Tridiagonal& c) {
        LAPACKE_dsterf(n, c.d.data(), c.e.data());
        ref = c.d;
    });

    std::vector<double> dqds(static_cast<std::size_t>(n));
    const auto stemr = cpuTimes(repeats, t, [&](Tridiagonal& c) {
        lapack_int m = 0;
        lapack_logical tryrac = 0;
        std::vector<lapack_int> isuppz(2 * static_cast<std::size_t>(n));
        c.e.push_back(0.0); // dstemr's e has n entries
        LAPACKE_dstemr(LAPACK_COL_MAJOR, 'N', 'A', n, c.d.data(), c.e.data(), 0.0, 0.0, 0, 0, &m,
                       dqds.data(), nullptr, 1, n, isuppz.data(), &tryrac);
    });

    const int half = n / 2;
    std::vector<double> bis(static_cast<std::size_t>(n));
    const auto stebz = cpuTimes(repeats, t, [&](Tridiagonal& c) {
        lapack_int m = 0, nsplit = 0;
        std::vector<lapack_int> iblock(static_cast<std::size_t>(n)), isplit(iblock.size());
        LAPACKE_dstebz('I', 'E', n, 0.0, 0.0, 1, half, 0.0, c.d.data(), c.e.data(), &m, &nsplit,
                       bis.data(), iblock.data(), isplit.data());
    });

    ws::bench::reportTimes("tridiagonal_dsterf_cpu", tag, sterf);
    ws::bench::reportTimes("tridiagonal_dstemr_cpu", tag, stemr);
    ws::bench::reportTimes("tridiagonal_dstebz_half_cpu", tag, stebz);
    const double norm = std::max(std::abs(ref.front()), std::abs(ref.back()));
    const double eps = std::numeric_limits<double>::epsilon();
    std::printf("RESULT tridiagonal_accuracy %s dstemr_vs_dsterf_ulps_of_norm=%.1f "
                "dstebz_vs_dsterf_ulps_of_norm=%.1f\n",
                tag.c_str(), maxAbsDiff(dqds, ref, ref.size()) / norm / eps,
                maxAbsDiff(bis, ref, static_cast<std::size_t>(half)) / norm / eps);
    std::printf("RESULT tridiagonal_2thread_bisection_vs_dsterf %s ratio=%.2f (each of 2 threads "
                "bisects half the indices; > 1: slower than the serial dsterf)\n",
                tag.c_str(), ws::bench::median(stebz) / ws::bench::median(sterf));
    return 0;
}
