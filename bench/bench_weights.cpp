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

#include "bench/bench_common.h"
#include "core/sampling/rng.h"
#include "core/weights/weights_analysis.h"

#include <tbb/info.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

using namespace ws::core;

namespace {

// numpy's medians for the same shape, from a child /usr/bin/python3; negative if unavailable.
std::pair<double, double> numpyTimes(int rows, int cols, int k, int repeats)
{
    const std::string top = std::to_string(k);
    const std::string script =
        ws::bench::pythonMedianFunction(repeats) + "import numpy as np\n" +
        "rng=np.random.default_rng(1)\n" + "W=rng.standard_normal((" + std::to_string(rows) + "," +
        std::to_string(cols) + "))/np.sqrt(" + std::to_string(rows) + ")\n" + "def prune():\n" +
        " U,s,Vt=np.linalg.svd(W,full_matrices=False)\n" + " return (U[:,:" + top + "]*s[:" + top +
        "])@Vt[:" + top + "]\n" +
        "print(med(lambda: np.linalg.svd(W,compute_uv=False)), med(prune))\n";
    const std::vector<double> t = ws::bench::pythonNumbers(script, 2);
    return t.empty() ? std::pair{-1.0, -1.0} : std::pair{t[0], t[1]};
}

} // namespace

int main(int argc, char** argv)
{
    int rows = 1024, cols = 2048, k = 32, repeats = 5;
    ws::bench::BenchArgs args("usage: bench_weights [--rows R] [--cols C] [--k K] [--repeats N]");
    args.option("--rows", rows)
        .option("--cols", cols)
        .option("--k", k)
        .option("--repeats", repeats);
    if (!args.parse(argc, argv))
        return 2;
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
    const double tSv = ws::bench::median(ws::bench::timeRepeats(
        repeats, [&](int) { sink += singularValues(rows, cols, w).front(); }));
    const double tPrune = ws::bench::median(ws::bench::timeRepeats(
        repeats, [&](int) { sink += pruneTopK(rows, cols, w, k).retainedEnergy; }));
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
