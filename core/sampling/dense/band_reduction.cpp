// Parallel two-stage Hermitian eigensolver (eigenvalues only) for the dense sampler.
// Stage 1 (dense -> band of half-width kKd) is ~60% of the solve and made of BLAS-3 updates of
// the trailing matrix; they are split into fixed blocks of kBandBlock rows/columns, each a
// single-threaded BLAS call, so the rounding is the same for any thread count (unlike threaded
// OpenBLAS). Stage 2 (the bulge chasing of dsytrd_sb2st, parallel over sweeps: bulge_chase.cpp)
// gives the same bits as its serial order; dsterf runs sequentially.

#include "core/sampling/dense/dense_kernels.h"

#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cstddef>
#include <vector>

// LAPACK routines without a LAPACKE wrapper (Fortran interface, hidden string lengths last).
extern "C" {
void dsytrd_sb2st_(const char* stage1, const char* vect, const char* uplo, const lapack_int* n,
                   const lapack_int* kd, double* ab, const lapack_int* ldab, double* d, double* e,
                   double* hous, const lapack_int* lhous, double* work, const lapack_int* lwork,
                   lapack_int* info, std::size_t, std::size_t, std::size_t);
void zhetrd_hb2st_(const char* stage1, const char* vect, const char* uplo, const lapack_int* n,
                   const lapack_int* kd, std::complex<double>* ab, const lapack_int* ldab,
                   double* d, double* e, std::complex<double>* hous, const lapack_int* lhous,
                   std::complex<double>* work, const lapack_int* lwork, lapack_int* info,
                   std::size_t, std::size_t, std::size_t);
void dsterf_(const lapack_int* n, double* d, double* e, lapack_int* info);
}

namespace ws::core::dense {
namespace {

// Y = A V: A (m x m) Hermitian, lower triangle stored; V m x k. Row block b of Y reads the
// stored lower part only: A(b, <b) V(<b) + A(b, b) V(b) + A(>b, b)^H V(>b).
template <class T>
void hemmLowerBlocked(int m, int k, const T* a, int lda, const T* v, int ldv, T* y, int ldy)
{
    const int blocks = (m + kBandBlock - 1) / kBandBlock;
    tbb::parallel_for(0, blocks, [&](int b) {
        const int r0 = b * kBandBlock, r1 = std::min(m, r0 + kBandBlock), rb = r1 - r0;
        hemm(rb, k, a + at(r0, r0, lda), lda, v + r0, ldv, y + r0, ldy);
        if (r0 > 0)
            gemm(CblasNoTrans, CblasNoTrans, rb, k, r0, 1.0, a + at(r0, 0, lda), lda, v, ldv, 1.0,
                 y + r0, ldy);
        if (r1 < m)
            gemm(kH, CblasNoTrans, rb, k, m - r1, 1.0, a + at(r1, r0, lda), lda, v + r1, ldv, 1.0,
                 y + r0, ldy);
    });
}

// A -= V W^H + W V^H on the lower triangle of the m x m matrix A, by column blocks. vwv holds
// the m x 3k matrix [V W V] (leading dimension m), so that below the diagonal blocks the update
// is one GEMM of inner dimension 2k, [V W] [W V]^H: A is read and written once instead of twice.
// afterFirst() runs as soon as block 0 (the first kBandBlock >= kd columns: the next panel) is
// updated, alongside the other blocks: the next panel's serial QR overlaps this update.
static_assert(kBandBlock >= kKd, "the next panel must lie within block 0 of the update");
template <class T, class After>
void her2kLowerBlocked(int m, int k, const T* vwv, T* a, int lda, const After& afterFirst)
{
    const T* v = vwv;
    const T* w = vwv + static_cast<std::size_t>(m) * static_cast<std::size_t>(k);
    const int blocks = (m + kBandBlock - 1) / kBandBlock;
    auto block = [&](int b) {
        const int c0 = b * kBandBlock, c1 = std::min(m, c0 + kBandBlock), cb = c1 - c0;
        her2kMinus(cb, k, v + c0, m, w + c0, m, a + at(c0, c0, lda), lda);
        if (c1 < m)
            gemm(CblasNoTrans, kH, m - c1, cb, 2 * k, -1.0, v + c1, m, w + c0, m, 1.0,
                 a + at(c1, c0, lda), lda);
    };
    tbb::parallel_invoke(
        [&] {
            block(0);
            afterFirst();
        },
        [&] { tbb::parallel_for(1, blocks, block); });
}

// One panel of the band reduction: its reflectors V (unit lower trapezoid, pn x k) in the
// first third of [V W V], their tau and the triangular factor T of Q = I - V T V^H.
template <class T> struct Panel
{
    int pn = 0, k = 0;
    std::vector<T> tau, t, work, vwv;
    explicit Panel(int kd)
        : tau(static_cast<std::size_t>(kd)), t(static_cast<std::size_t>(kd) * kd),
          work(static_cast<std::size_t>(kd) * 64)
    {
    }
};

// The panel of columns [i, i + kd) of a (already updated by the previous panels): its diagonal
// block and R into the band ab, its reflectors into `p`. Reads and writes those columns only.
template <class T> void factorPanel(int n, int kd, int i, T* a, T* ab, Panel<T>& p)
{
    const int ldab = kd + 1;
    for (int j = i; j < i + kd; ++j) // diagonal block -> band
        for (int r = j; r < i + kd; ++r)
            ab[at(r - j, j, ldab)] = a[at(r, j, n)];
    p.pn = n - i - kd;        // rows below the band
    p.k = std::min(p.pn, kd); // reflectors
    T* q = a + at(i + kd, i, n);
    checkInfo(geqrf(p.pn, kd, q, n, p.tau.data(), p.work.data(), static_cast<int>(p.work.size())),
              "geqrf (band reduction)");
    for (int c = 0; c < kd; ++c) // R -> band
        for (int r = 0; r <= std::min(c, p.pn - 1); ++r)
            ab[at(kd + r - c, i + c, ldab)] = q[at(r, c, n)];
    const std::size_t panel = static_cast<std::size_t>(p.pn) * static_cast<std::size_t>(p.k);
    p.vwv.assign(3 * panel, T(0.0)); // [V W V]
    T* v = p.vwv.data();
    for (int c = 0; c < p.k; ++c) {
        v[at(c, c, p.pn)] = T(1.0);
        for (int r = c + 1; r < p.pn; ++r)
            v[at(r, c, p.pn)] = q[at(r, c, n)];
    }
    std::copy(v, v + panel, v + 2 * panel);
    checkInfo(larft(p.pn, p.k, v, p.pn, p.tau.data(), p.t.data(), kd), "larft");
}

// Reduces the Hermitian n x n matrix (lower triangle of a; destroyed) to a band of half-width
// kd by a unitary similarity (block Householder, as LAPACK's dsytrd_sy2sb / zhetrd_he2hb); ab
// receives LAPACK's lower band storage, ldab = kd + 1. For each panel of kd columns: QR of the
// part below the band, Q = I - V T V^H, A22 := Q^H A22 Q = A22 - V W^H - W V^H with
// X = A22 V T, W = X - 1/2 V (T^H V^H X). The next panel is factored (look-ahead) while the rest
// of A22 is updated; every block sees the same operations in the same order as without it, so the
// bits are unchanged. Returns false (ab incomplete) if `cancel` was set: checked between panels
// (each ~4 n^2 kd flops at most, ~50 ms at n = 4000 real), so a cancelled solve stops promptly.
template <class T> bool reduceToBand(int n, int kd, T* a, T* ab, const std::atomic<bool>* cancel)
{
    const int ldab = kd + 1;
    const auto kds = static_cast<std::size_t>(kd);
    std::fill(ab, ab + static_cast<std::size_t>(ldab) * static_cast<std::size_t>(n), T(0.0));
    std::vector<T> mm(kds * kds);
    Panel<T> cur(kd), next(kd);
    int i = 0;
    if (i < n - kd)
        factorPanel(n, kd, i, a, ab, cur);
    for (; i < n - kd; i += kd) {
        if (cancel && cancel->load(std::memory_order_relaxed))
            return false;
        const int pn = cur.pn, k = cur.k;
        const std::size_t panel = static_cast<std::size_t>(pn) * static_cast<std::size_t>(k);
        T* v = cur.vwv.data();
        T* y = v + panel;
        T* a22 = a + at(i + kd, i + kd, n);
        hemmLowerBlocked(pn, k, a22, n, v, pn, y, pn);
        trmm(CblasRight, CblasNoTrans, pn, k, cur.t.data(), kd, y, pn); // X = A22 V T
        gemm(kH, CblasNoTrans, k, k, pn, 1.0, v, pn, y, pn, 0.0, mm.data(),
             kd);                                                   // V^H X
        trmm(CblasLeft, kH, k, k, cur.t.data(), kd, mm.data(), kd); // T^H V^H X
        gemm(CblasNoTrans, CblasNoTrans, pn, k, k, -0.5, v, pn, mm.data(), kd, 1.0, y,
             pn); // W
        const bool more = i + kd < n - kd;
        her2kLowerBlocked(pn, k, cur.vwv.data(), a22, n, [&] {
            if (more)
                factorPanel(n, kd, i + kd, a, ab, next);
        });
        std::swap(cur, next);
    }
    for (int j = i; j < n; ++j) // last diagonal block -> band
        for (int r = j; r < n; ++r)
            ab[at(r - j, j, ldab)] = a[at(r, j, n)];
    return true;
}

// Band -> real symmetric tridiagonal (LAPACK's serial bulge chasing) -> eigenvalues (dsterf), for
// kd < 2, where dsytrd_sb2st only copies (bulge_chase.cpp does the general case in parallel).
void bandToEigenvalues(int n, int kd, double* ab, std::vector<double>& d)
{
    const int ldab = kd + 1;
    std::vector<double> e(static_cast<std::size_t>(std::max(n - 1, 1)));
    lapack_int nn = n, kk = kd, ld = ldab, info = 0, lh = -1, lw = -1;
    double hq = 0.0, wq = 0.0;
    dsytrd_sb2st_("N", "N", "L", &nn, &kk, ab, &ld, d.data(), e.data(), &hq, &lh, &wq, &lw, &info,
                  1, 1, 1);
    checkInfo(info, "dsytrd_sb2st workspace query");
    lh = std::max<lapack_int>(static_cast<lapack_int>(hq), 1);
    lw = std::max<lapack_int>(static_cast<lapack_int>(wq), 1);
    std::vector<double> hous(static_cast<std::size_t>(lh)), work(static_cast<std::size_t>(lw));
    dsytrd_sb2st_("N", "N", "L", &nn, &kk, ab, &ld, d.data(), e.data(), hous.data(), &lh,
                  work.data(), &lw, &info, 1, 1, 1);
    checkInfo(info, "dsytrd_sb2st");
    dsterf_(&nn, d.data(), e.data(), &info); // ascending
    checkInfo(info, "dsterf");
}

void bandToEigenvalues(int n, int kd, cplx* ab, std::vector<double>& d)
{
    const int ldab = kd + 1;
    std::vector<double> e(static_cast<std::size_t>(std::max(n - 1, 1)));
    lapack_int nn = n, kk = kd, ld = ldab, info = 0, lh = -1, lw = -1;
    cplx hq, wq;
    zhetrd_hb2st_("N", "N", "L", &nn, &kk, ab, &ld, d.data(), e.data(), &hq, &lh, &wq, &lw, &info,
                  1, 1, 1);
    checkInfo(info, "zhetrd_hb2st workspace query");
    lh = std::max<lapack_int>(static_cast<lapack_int>(hq.real()), 1);
    lw = std::max<lapack_int>(static_cast<lapack_int>(wq.real()), 1);
    std::vector<cplx> hous(static_cast<std::size_t>(lh)), work(static_cast<std::size_t>(lw));
    zhetrd_hb2st_("N", "N", "L", &nn, &kk, ab, &ld, d.data(), e.data(), hous.data(), &lh,
                  work.data(), &lw, &info, 1, 1, 1);
    checkInfo(info, "zhetrd_hb2st");
    dsterf_(&nn, d.data(), e.data(), &info);
    checkInfo(info, "dsterf");
}

// Empty if cancelled during the dense -> band stage.
template <class T>
std::vector<double> solveParallelTwoStageT(int n, T* a, const std::atomic<bool>* cancel)
{
    const int kd = std::max(1, std::min(kKd, n - 1));
    const int ldab = kd + 1;
    std::vector<T> ab(static_cast<std::size_t>(ldab) * static_cast<std::size_t>(n));
    bool complete = false;
    tbb::this_task_arena::isolate([&] { complete = reduceToBand(n, kd, a, ab.data(), cancel); });
    if (!complete)
        return {};
    std::vector<double> d(static_cast<std::size_t>(n));
    if (kd < 2) { // already tridiagonal (n <= 2): LAPACK's quick path
        bandToEigenvalues(n, kd, ab.data(), d);
        return d;
    }
    std::vector<double> e(static_cast<std::size_t>(n - 1));
    tbb::this_task_arena::isolate([&] { bandToTridiagonal(n, kd, ab.data(), d.data(), e.data()); });
    lapack_int nn = n, info = 0;
    dsterf_(&nn, d.data(), e.data(), &info); // ascending
    checkInfo(info, "dsterf");
    return d;
}

} // namespace

std::vector<double> solveParallelTwoStage(int n, double* a, const std::atomic<bool>* cancel)
{
    return solveParallelTwoStageT(n, a, cancel);
}

std::vector<double> solveParallelTwoStage(int n, cplx* a, const std::atomic<bool>* cancel)
{
    return solveParallelTwoStageT(n, a, cancel);
}

} // namespace ws::core::dense
