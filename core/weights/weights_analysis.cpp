// Singular values and pruning of a weight matrix (formulas and method in weights_analysis.h,
// reasoning in docs/pruning.md); the noise fit is in weights_noise_fit.cpp.

#include "core/weights/weights_analysis.h"

#include "core/model/families.h"
#include "core/rectangular/marchenko_pastur.h"
#include "core/sampling/rng.h"
#include "core/sampling/runner.h"  // defaultMemoryBudget
#include "core/sampling/sampler.h" // pinBlasToOneThread
#include "core/util/bytes.h"
#include "core/util/column_major.h"
#include "core/util/tracy_widom.h"

#include <cblas.h>
#include <lapacke.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <numeric>
#include <string>

namespace ws::core {
namespace {

constexpr int kTile = 256;                 // Gram tile / projection block (fixed: determinism)
constexpr double kSmallWork = 134217728.0; // 2^27: p^2 max(rows, cols) below -> dgesdd
constexpr int kMaxLapackSide = 46340;      // p^2 must fit LAPACK's 32-bit indices
constexpr int kScaleExponent = 400;        // entries outside 2^-400..2^400 are rescaled

using Progress = std::function<void(double)>;

std::size_t sz(int v)
{
    return static_cast<std::size_t>(v);
}

using colmajor::at;

bool isCancelled(const std::atomic<bool>* cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}

void throwIfCancelled(const std::atomic<bool>* cancel, const char* what)
{
    if (isCancelled(cancel))
        throw Cancelled(std::string(what) + ": cancelled");
}

void checkInfo(lapack_int info, const char* routine)
{
    colmajor::checkLapackInfo(info, "weights analysis", routine);
}

std::size_t budgetOf(std::size_t memoryBudget)
{
    return memoryBudget > 0 ? memoryBudget : defaultMemoryBudget();
}

void checkBudget(std::size_t need, std::size_t memoryBudget, const char* what, int rows, int cols)
{
    const std::size_t budget = budgetOf(memoryBudget);
    if (need > budget)
        throw ResourceError(std::string("memory: ") + what + " of a " + std::to_string(rows) +
                            " x " + std::to_string(cols) + " matrix needs about " +
                            formatBytes(static_cast<double>(need)) + ", the budget is " +
                            formatBytes(static_cast<double>(budget)));
}

// Validates the matrix; returns the power-of-two exponent e such that W 2^-e is safe to square
// (0 when no scaling is needed).
int checkMatrix(int rows, int cols, const std::vector<double>& w, const char* what)
{
    if (rows < 1 || cols < 1)
        throw InputError(std::string(what) + ": rows and cols must be >= 1 (got " +
                         std::to_string(rows) + " x " + std::to_string(cols) + ")");
    if (w.size() != sz(rows) * sz(cols))
        throw InputError(std::string(what) + ": the matrix has " + std::to_string(w.size()) +
                         " values, rows x cols = " + std::to_string(sz(rows) * sz(cols)));
    if (std::min(rows, cols) > kMaxLapackSide)
        throw ResourceError(std::string(what) +
                            ": min(rows, cols) = " + std::to_string(std::min(rows, cols)) +
                            " exceeds the supported " + std::to_string(kMaxLapackSide));
    double maxAbs = 0.0;
    for (std::size_t i = 0; i < w.size(); ++i) {
        if (!std::isfinite(w[i]))
            throw InputError(std::string(what) + ": entry [" + std::to_string(i / sz(cols)) + ", " +
                             std::to_string(i % sz(cols)) + "] is not finite");
        maxAbs = std::max(maxAbs, std::abs(w[i]));
    }
    if (maxAbs == 0.0)
        return 0;
    int e = 0;
    std::frexp(maxAbs, &e);
    return (e > kScaleExponent || e < -kScaleExponent) ? e : 0;
}

// The matrix to work on: the caller's, or a copy scaled by 2^-e (exact).
struct Scaled
{
    const double* data = nullptr;
    std::vector<double> copy;
    int exponent = 0;
};

Scaled scaledView(const std::vector<double>& w, int e)
{
    Scaled s;
    s.exponent = e;
    if (e != 0) {
        s.copy = w; // (resize() here trips GCC 12's -Wnull-dereference false positive)
        for (double& v : s.copy)
            v = std::ldexp(v, -e);
    }
    s.data = e != 0 ? s.copy.data() : w.data();
    return s;
}

// body(t) for t in [0, count), one oneTBB task each on the caller's arena (isolated: a task
// waiting here runs none of the caller's other work); once *cancel is set the remaining tasks
// do nothing. progress(done, count) after each task, serialized.
template <class Body>
void parallelTasks(int count, const std::atomic<bool>* cancel,
                   const std::function<void(int, int)>& progress, Body body)
{
    std::mutex mutex;
    int done = 0;
    tbb::this_task_arena::isolate([&] {
        tbb::parallel_for(
            0, count,
            [&](int t) {
                if (isCancelled(cancel))
                    return;
                body(t);
                if (progress) {
                    std::lock_guard lock(mutex);
                    progress(++done, count);
                }
            },
            tbb::simple_partitioner());
    });
}

// Lower triangle of the Gram matrix of the smaller side (col-major p x p, ld p) of the row-major
// rows x cols matrix w: W W^T if rows <= cols, else W^T W. In column-major terms w is
// B = W^T (cols x rows, ld cols). Tiles (I >= J) are independent single-threaded BLAS calls.
// progress(doneTiles, totalTiles) is called serialized; returns false if cancelled.
bool buildGram(int rows, int cols, const double* w, double* g, const std::atomic<bool>* cancel,
               const std::function<void(int, int)>& progress)
{
    const bool rowSide = rows <= cols;
    const int p = rowSide ? rows : cols;
    const int blocks = (p + kTile - 1) / kTile;
    std::vector<std::pair<int, int>> tiles;
    for (int j = 0; j < blocks; ++j)
        for (int i = j; i < blocks; ++i)
            tiles.emplace_back(i, j);
    parallelTasks(static_cast<int>(tiles.size()), cancel, progress, [&](int t) {
        const int i0 = tiles[sz(t)].first * kTile, j0 = tiles[sz(t)].second * kTile;
        const int bi = std::min(kTile, p - i0), bj = std::min(kTile, p - j0);
        double* out = g + at(i0, j0, p);
        if (rowSide) { // G_IJ = B_{:,I}^T B_{:,J}, inner dimension cols
            if (i0 == j0)
                cblas_dsyrk(CblasColMajor, CblasLower, CblasTrans, bi, cols, 1.0,
                            w + sz(i0) * sz(cols), cols, 0.0, out, p);
            else
                cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, bi, bj, cols, 1.0,
                            w + sz(i0) * sz(cols), cols, w + sz(j0) * sz(cols), cols, 0.0, out, p);
        } else { // G_IJ = B_{I,:} B_{J,:}^T, inner dimension rows
            if (i0 == j0)
                cblas_dsyrk(CblasColMajor, CblasLower, CblasNoTrans, bi, rows, 1.0, w + i0, cols,
                            0.0, out, p);
            else
                cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, bi, bj, rows, 1.0, w + i0,
                            cols, w + j0, cols, 0.0, out, p);
        }
    });
    return !isCancelled(cancel);
}

struct Lwork
{
    lapack_int lwork = 1, liwork = 1;
    std::size_t bytes() const
    {
        return sz(lwork) * sizeof(double) + sz(liwork) * sizeof(lapack_int);
    }
};

bool useGesdd(int rows, int cols)
{
    const double p = std::min(rows, cols), n = std::max(rows, cols);
    return p * p * n <= kSmallWork;
}

Lwork gesddWork(int rows, int cols)
{
    // Column-major view: cols x rows.
    double w = 0.0;
    lapack_int iw = 0;
    checkInfo(LAPACKE_dgesdd_work(LAPACK_COL_MAJOR, 'N', cols, rows, nullptr, cols, nullptr,
                                  nullptr, 1, nullptr, 1, &w, -1, &iw),
              "dgesdd workspace query");
    Lwork l;
    l.lwork = std::max<lapack_int>(static_cast<lapack_int>(w), 1);
    l.liwork = 8 * std::min(rows, cols); // dgesdd: IWORK has 8 min(m, n) entries
    return l;
}

Lwork syevdWork(int p)
{
    double w = 0.0;
    lapack_int iw = 0;
    checkInfo(LAPACKE_dsyevd_2stage_work(LAPACK_COL_MAJOR, 'N', 'L', p, nullptr, p, nullptr, &w, -1,
                                         &iw, -1),
              "dsyevd_2stage workspace query");
    return {std::max<lapack_int>(static_cast<lapack_int>(w), 1), std::max<lapack_int>(iw, 1)};
}

Lwork syevrWork(int p)
{
    double w = 0.0;
    lapack_int iw = 0, m = 0;
    checkInfo(LAPACKE_dsyevr_work(LAPACK_COL_MAJOR, 'V', 'I', 'L', p, nullptr, p, 0.0, 0.0, 1, 1,
                                  0.0, &m, nullptr, nullptr, p, nullptr, &w, -1, &iw, -1),
              "dsyevr workspace query");
    return {std::max<lapack_int>(static_cast<lapack_int>(w), 1), std::max<lapack_int>(iw, 1)};
}

std::vector<double> singularValuesGesdd(int rows, int cols, const double* w)
{
    const Lwork l = gesddWork(rows, cols);
    std::vector<double> a(w, w + sz(rows) * sz(cols)), s(sz(std::min(rows, cols)));
    std::vector<double> work(sz(l.lwork));
    std::vector<lapack_int> iwork(sz(l.liwork));
    checkInfo(LAPACKE_dgesdd_work(LAPACK_COL_MAJOR, 'N', cols, rows, a.data(), cols, s.data(),
                                  nullptr, 1, nullptr, 1, work.data(), l.lwork, iwork.data()),
              "dgesdd");
    return s; // descending
}

// Fraction of the run spent building the Gram matrix: p^2 n flops of BLAS-3 against ~(4/3) p^3 of
// the eigensolver, which runs ~2x slower per flop on one thread (measured at p = 2048-4096:
// Gram 0.41 and 0.33 of the time; this gives 0.44 and 0.29).
double gramShare(int rows, int cols)
{
    const double p = std::min(rows, cols), n = std::max(rows, cols);
    return n / (n + 2.5 * p);
}

std::function<void(int, int)> tileProgress(const Progress& progress, double from, double to)
{
    if (!progress)
        return {};
    return [=](int done, int total) {
        progress(from + (to - from) * static_cast<double>(done) / static_cast<double>(total));
    };
}

} // namespace

// ---- Singular values --------------------------------------------------------------------------

std::size_t singularValuesPeakBytes(int rows, int cols)
{
    if (rows < 1 || cols < 1 || std::min(rows, cols) > kMaxLapackSide)
        return std::numeric_limits<std::size_t>::max();
    if (useGesdd(rows, cols))
        return sz(rows) * sz(cols) * sizeof(double) + gesddWork(rows, cols).bytes() +
               sz(std::min(rows, cols)) * sizeof(double);
    const int p = std::min(rows, cols);
    return sz(p) * sz(p) * sizeof(double) + syevdWork(p).bytes() + 2 * sz(p) * sizeof(double);
}

std::vector<double> singularValues(int rows, int cols, const std::vector<double>& rowMajor,
                                   const std::atomic<bool>* cancel, const Progress& progress,
                                   std::size_t memoryBudget)
{
    const int e = checkMatrix(rows, cols, rowMajor, "singular values");
    checkBudget(singularValuesPeakBytes(rows, cols) +
                    (e != 0 ? rowMajor.size() * sizeof(double) : 0),
                memoryBudget, "the singular values", rows, cols);
    pinBlasToOneThread();
    throwIfCancelled(cancel, "singular values");
    const Scaled w = scaledView(rowMajor, e);
    const int p = std::min(rows, cols);
    std::vector<double> s;
    if (useGesdd(rows, cols)) {
        s = singularValuesGesdd(rows, cols, w.data);
        throwIfCancelled(cancel, "singular values");
    } else {
        std::vector<double> g(sz(p) * sz(p));
        const double share = gramShare(rows, cols);
        if (!buildGram(rows, cols, w.data, g.data(), cancel, tileProgress(progress, 0.0, share)))
            throwIfCancelled(cancel, "singular values");
        const Lwork l = syevdWork(p);
        std::vector<double> lambda(sz(p)), work(sz(l.lwork));
        std::vector<lapack_int> iwork(sz(l.liwork));
        checkInfo(LAPACKE_dsyevd_2stage_work(LAPACK_COL_MAJOR, 'N', 'L', p, g.data(), p,
                                             lambda.data(), work.data(), l.lwork, iwork.data(),
                                             l.liwork),
                  "dsyevd_2stage");
        throwIfCancelled(cancel, "singular values");
        s.resize(sz(p));
        for (int i = 0; i < p; ++i) // ascending eigenvalues -> descending singular values
            s[sz(i)] = std::sqrt(std::max(lambda[sz(p - 1 - i)], 0.0));
    }
    if (e != 0)
        for (double& v : s)
            v = std::ldexp(v, e);
    if (!s.empty() && !std::isfinite(s.front())) {
        // The scaled decomposition worked, but the largest value itself is beyond the double
        // range: name the entry that makes it so.
        std::size_t at = 0;
        for (std::size_t i = 1; i < rowMajor.size(); ++i)
            if (std::abs(rowMajor[i]) > std::abs(rowMajor[at]))
                at = i;
        throw InputError("the largest singular value is beyond the range of double precision "
                         "numbers: the weights are too large (the largest, element [" +
                         std::to_string(at / sz(cols)) + ", " + std::to_string(at % sz(cols)) +
                         "], is " + formatDouble(rowMajor[at]) + "); scale the matrix down");
    }
    if (progress)
        progress(1.0);
    return s;
}

// ---- Pruning ----------------------------------------------------------------------------------

std::size_t pruneTopKPeakBytes(int rows, int cols, int k)
{
    if (rows < 1 || cols < 1 || std::min(rows, cols) > kMaxLapackSide)
        return std::numeric_limits<std::size_t>::max();
    const int p = std::min(rows, cols);
    const std::size_t result = sz(rows) * sz(cols) * sizeof(double);
    if (k <= 0)
        return result;
    if (k >= p)
        return result + singularValuesPeakBytes(rows, cols);
    const std::size_t perBlock =
        sz(kTile) * sz(k) * sizeof(double) * sz(tbb::this_task_arena::max_concurrency());
    return result + sz(p) * sz(p) * sizeof(double) + sz(p) * sz(k) * sizeof(double) +
           syevrWork(p).bytes() + 2 * sz(p) * sizeof(lapack_int) + sz(p) * sizeof(double) +
           perBlock;
}

PruneResult pruneTopK(int rows, int cols, const std::vector<double>& rowMajor, int k,
                      const std::atomic<bool>* cancel, const Progress& progress,
                      std::size_t memoryBudget)
{
    const int e = checkMatrix(rows, cols, rowMajor, "pruning");
    const int p = std::min(rows, cols);
    if (k < 0 || k > p)
        throw InputError("pruning: k must be in [0, min(rows, cols)] = [0, " + std::to_string(p) +
                         "] (got " + std::to_string(k) + ")");
    checkBudget(pruneTopKPeakBytes(rows, cols, k) + (e != 0 ? rowMajor.size() * sizeof(double) : 0),
                memoryBudget, "the pruning", rows, cols);
    pinBlasToOneThread();
    throwIfCancelled(cancel, "pruning");

    PruneResult r;
    r.k = k;
    r.originalParams = static_cast<std::int64_t>(rows) * cols;
    r.params = static_cast<std::int64_t>(k) * (static_cast<std::int64_t>(rows) + cols);
    if (k == p) { // W_k = W exactly; the singular values for topSingular
        r.topSingular = singularValues(rows, cols, rowMajor, cancel, progress, memoryBudget);
        r.lowRank = rowMajor;
        r.retainedEnergy = 1.0;
        r.relativeError = 0.0;
        return r;
    }

    const Scaled w = scaledView(rowMajor, e);
    const bool rowSide = rows <= cols;
    std::vector<double> z; // top-k eigenvectors of the Gram matrix, p x k, descending order
    if (k > 0) {
        std::vector<double> g(sz(p) * sz(p));
        if (!buildGram(rows, cols, w.data, g.data(), cancel, tileProgress(progress, 0.0, 0.5)))
            throwIfCancelled(cancel, "pruning");
        const Lwork l = syevrWork(p);
        std::vector<double> lambda(sz(p)), zAsc(sz(p) * sz(k)), work(sz(l.lwork));
        std::vector<lapack_int> iwork(sz(l.liwork)), isuppz(2 * sz(p));
        lapack_int found = 0;
        checkInfo(LAPACKE_dsyevr_work(LAPACK_COL_MAJOR, 'V', 'I', 'L', p, g.data(), p, 0.0, 0.0,
                                      p - k + 1, p, LAPACKE_dlamch('S'), &found, lambda.data(),
                                      zAsc.data(), p, isuppz.data(), work.data(), l.lwork,
                                      iwork.data(), l.liwork),
                  "dsyevr");
        if (found != k)
            throw std::runtime_error("weights analysis: dsyevr returned " + std::to_string(found) +
                                     " eigenvectors, expected " + std::to_string(k));
        throwIfCancelled(cancel, "pruning");
        g = {};
        z.resize(sz(p) * sz(k));
        r.topSingular.resize(sz(k));
        for (int j = 0; j < k; ++j) {
            std::copy_n(zAsc.data() + at(0, k - 1 - j, p), p, z.data() + at(0, j, p));
            r.topSingular[sz(j)] = std::ldexp(std::sqrt(std::max(lambda[sz(k - 1 - j)], 0.0)), e);
        }
        if (progress)
            progress(0.8);
    }

    // W_k = U U^T W (rowSide) or W V V^T, in blocks of kTile columns (rowSide) or rows of W;
    // each block also sums ||W||^2 and ||W - W_k||^2 over its entries (fixed order).
    r.lowRank.assign(sz(rows) * sz(cols), 0.0);
    double* out = r.lowRank.data();
    const int longSide = rowSide ? cols : rows;
    const int blocks = (longSide + kTile - 1) / kTile;
    std::vector<double> normW(sz(blocks)), normE(sz(blocks));
    parallelTasks(blocks, cancel, tileProgress(progress, 0.8, 1.0), [&](int b) {
        const int b0 = b * kTile, bn = std::min(kTile, longSide - b0);
        std::vector<double> t(sz(bn) * sz(k));
        double sw = 0.0, se = 0.0;
        if (rowSide) { // columns b0.. of W = rows b0.. of B (cols x rows, ld cols)
            if (k > 0) {
                cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, bn, k, rows, 1.0,
                            w.data + b0, cols, z.data(), p, 0.0, t.data(), bn);
                cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, bn, rows, k, 1.0, t.data(), bn,
                            z.data(), p, 0.0, out + b0, cols);
            }
            for (int i = 0; i < rows; ++i)
                for (int j = b0; j < b0 + bn; ++j) {
                    const std::size_t ix = sz(i) * sz(cols) + sz(j);
                    sw += w.data[ix] * w.data[ix];
                    se += (w.data[ix] - out[ix]) * (w.data[ix] - out[ix]);
                }
        } else { // rows b0.. of W = columns b0.. of B
            if (k > 0) {
                cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, k, bn, cols, 1.0, z.data(), p,
                            w.data + sz(b0) * sz(cols), cols, 0.0, t.data(), k);
                cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, cols, bn, k, 1.0, z.data(),
                            p, t.data(), k, 0.0, out + sz(b0) * sz(cols), cols);
            }
            for (std::size_t ix = sz(b0) * sz(cols); ix < sz(b0 + bn) * sz(cols); ++ix) {
                sw += w.data[ix] * w.data[ix];
                se += (w.data[ix] - out[ix]) * (w.data[ix] - out[ix]);
            }
        }
        normW[sz(b)] = sw;
        normE[sz(b)] = se;
    });
    throwIfCancelled(cancel, "pruning");
    const double total = std::accumulate(normW.begin(), normW.end(), 0.0);
    const double err = std::accumulate(normE.begin(), normE.end(), 0.0);
    if (e != 0)
        for (double& v : r.lowRank)
            v = std::ldexp(v, e);
    if (total > 0.0) {
        double kept = 0.0;
        for (double v : r.topSingular) {
            const double scaled = std::ldexp(v, -e);
            kept += scaled * scaled;
        }
        r.retainedEnergy = std::min(1.0, kept / total);
        r.relativeError = std::sqrt(err / total);
    } else {
        r.retainedEnergy = 1.0;
        r.relativeError = 0.0;
    }
    return r;
}

} // namespace ws::core
