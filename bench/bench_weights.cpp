// Real-weights benchmark: the singular values of an R x C weight matrix (the Real weights tab's
// analysis) and the rank-k pruning (its export), median over repeats, against numpy measured in
// the same run on the same shape (Debian's /usr/bin/python3 with python3-numpy, same OpenBLAS):
//   singular values  vs  np.linalg.svd(W, compute_uv=False)
//   pruneTopK(k)     vs  U, s, Vt = np.linalg.svd(W, full_matrices=False); (U[:, :k] * s[:k]) @
//   Vt[:k]
// numpy uses all BLAS threads (its default); Wignerscope pins BLAS to one thread and runs its own
// blocks on TBB, so the ratio is end-to-end on the same cores.
//
//   bench_weights [--rows R] [--cols C] [--k K] [--repeats N]
//
// Output: "RESULT ..." lines (seconds) and "RATIO ..." lines (Wignerscope time / numpy time).

#include "core/sampling/rng.h"
#include "core/weights/weights_analysis.h"

#include <tbb/info.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
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

template <class F> double medianTime(int repeats, F&& f)
{
    std::vector<double> t;
    for (int r = 0; r < repeats; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return median(t);
}

// numpy's medians for the same shape, from a child /usr/bin/python3; negative if unavailable.
std::pair<double, double> numpyTimes(int rows, int cols, int k, int repeats)
{
    const std::string script =
        "import time,statistics,numpy as np\n"
        "rng=np.random.default_rng(1)\n"
        "W=rng.standard_normal((" +
        std::to_string(rows) + "," + std::to_string(cols) + "))/np.sqrt(" + std::to_string(rows) +
        ")\n"
        "def med(f):\n"
        " t=[]\n"
        " for _ in range(" +
        std::to_string(repeats) +
        "):\n"
        "  t0=time.perf_counter(); f(); t.append(time.perf_counter()-t0)\n"
        " return statistics.median(t)\n"
        "def prune():\n"
        " U,s,Vt=np.linalg.svd(W,full_matrices=False)\n"
        " return (U[:,:" +
        std::to_string(k) + "]*s[:" + std::to_string(k) + "])@Vt[:" + std::to_string(k) +
        "]\n"
        "print(med(lambda: np.linalg.svd(W,compute_uv=False)), med(prune))\n";
    const std::string cmd = "/usr/bin/python3 -c '" + script + "' 2>/dev/null";
    FILE* p = popen(cmd.c_str(), "r");
    if (!p)
        return {-1.0, -1.0};
    double sv = -1.0, pr = -1.0;
    if (std::fscanf(p, "%lf %lf", &sv, &pr) != 2)
        sv = pr = -1.0;
    pclose(p);
    return {sv, pr};
}

} // namespace

int main(int argc, char** argv)
{
    int rows = 1024, cols = 2048, k = 32, repeats = 5;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--rows" && i + 1 < argc)
            rows = std::atoi(argv[++i]);
        else if (a == "--cols" && i + 1 < argc)
            cols = std::atoi(argv[++i]);
        else if (a == "--k" && i + 1 < argc)
            k = std::atoi(argv[++i]);
        else if (a == "--repeats" && i + 1 < argc)
            repeats = std::atoi(argv[++i]);
        else {
            std::fprintf(stderr, "usage: bench_weights [--rows R] [--cols C] [--k K] "
                                 "[--repeats N]\n");
            return 2;
        }
    }
    if (rows < 2 || cols < 2 || k < 1 || k > std::min(rows, cols) || repeats < 1) {
        std::fprintf(stderr, "error: need rows, cols >= 2, 1 <= k <= min(rows, cols), "
                             "repeats >= 1\n");
        return 2;
    }
    std::printf("# bench_weights: %d x %d, k = %d, %d repeats; TBB threads = %d\n", rows, cols, k,
                repeats, tbb::info::default_concurrency());

    std::vector<double> w(static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols));
    Rng rng(1, 0);
    for (double& x : w)
        x = rng.normal() / std::sqrt(static_cast<double>(rows));

    double sink = 0.0;
    const double tSv = medianTime(repeats, [&] { sink += singularValues(rows, cols, w).front(); });
    const double tPrune =
        medianTime(repeats, [&] { sink += pruneTopK(rows, cols, w, k).retainedEnergy; });
    const std::string tag =
        "shape=" + std::to_string(rows) + "x" + std::to_string(cols) + " k=" + std::to_string(k);
    std::printf("RESULT ws_singular_values %s median=%.4f\n", tag.c_str(), tSv);
    std::printf("RESULT ws_prune_topk %s median=%.4f\n", tag.c_str(), tPrune);

    const auto [npSv, npPrune] = numpyTimes(rows, cols, k, repeats);
    if (npSv < 0.0) {
        std::printf("# numpy peer unavailable (/usr/bin/python3 with python3-numpy)\n");
    } else {
        std::printf("RESULT numpy_svd_values %s median=%.4f\n", tag.c_str(), npSv);
        std::printf("RESULT numpy_svd_prune %s median=%.4f\n", tag.c_str(), npPrune);
        std::printf("RATIO singular_values ws/numpy = %.2f\n", tSv / npSv);
        std::printf("RATIO prune_topk ws/numpy = %.2f\n", tPrune / npPrune);
    }
    if (sink == 0.0)
        std::printf("# (sink %g)\n", sink);
    return 0;
}
