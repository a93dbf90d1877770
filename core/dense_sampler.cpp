// Dense sampler (DESIGN.md section 3): H = (sigma/sqrt(N)) X + O diag(s) O^T built in the lower
// triangle only (all the solver reads), eigenvalues from LAPACK (OpenBLAS).

#include "families.h"
#include "noise_draws.h"
#include "rng.h"
#include "sampler.h"

#include <complex>
// LAPACKE's complex type is std::complex<double> in this file (not C's double _Complex).
#define lapack_complex_float std::complex<float>
#define lapack_complex_double std::complex<double>
#include <lapacke.h>
#include <cblas.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <Eigen/Eigenvalues>

#include <algorithm>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <cmath>
#include <limits>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <type_traits>

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

namespace ws::core {
namespace {

using cplx = std::complex<double>;

// Columns per generation substream: fixed, so the numbers never depend on the thread count.
constexpr int kColBlock = 32;
// Parallel two-stage solver: band half-width (what LAPACK's ilaenv2stage picks at N ~ 2000) and
// rows/columns per task of the trailing update (fixed, for the same reason).
constexpr int kKd = 32;
constexpr int kBandBlock = 128;
const double kSqrt2 = std::sqrt(2.0);
const double kInvSqrt2 = 1.0 / std::sqrt(2.0);

std::size_t sq(int n)
{
    return static_cast<std::size_t>(n) * static_cast<std::size_t>(n);
}

// Runs body(b) for each column block b, in parallel. isolate(): a thread waiting here must not
// pick up another *sample* of the runner (that would keep a second H alive on its stack).
template <class Body> void forEachBlock(int n, const Body& body)
{
    const int blocks = (n + kColBlock - 1) / kColBlock;
    tbb::this_task_arena::isolate([&] {
        tbb::parallel_for(0, blocks,
                          [&](int b) { body(b, b * kColBlock, std::min(n, (b + 1) * kColBlock)); });
    });
}

// Lower triangle of column-major `a` (leading dimension n): scale * X, plus addDiag on the
// diagonal and the lower triangle of addFull (column-major n x n) if given.
template <class Draw>
void generateLowerReal(const Draw& draw, int n, std::uint64_t base, double scale,
                       const double* addDiag, const double* addFull, double* a)
{
    const double diagScale = scale * kSqrt2;
    forEachBlock(n, [&](int b, int j0, int j1) {
        Rng r(base, static_cast<std::uint64_t>(b));
        for (int j = j0; j < j1; ++j) {
            double* col = a + static_cast<std::size_t>(j) * static_cast<std::size_t>(n);
            col[j] = diagScale * draw(r);
            for (int i = j + 1; i < n; ++i)
                col[i] = scale * draw(r);
            if (addFull) {
                const double* s =
                    addFull + static_cast<std::size_t>(j) * static_cast<std::size_t>(n);
                for (int i = j; i < n; ++i)
                    col[i] += s[i];
            }
            if (addDiag)
                col[j] += addDiag[j];
        }
    });
}

void generateLowerReal(const NoiseFamily& f, int n, Rng& rng, double scale, const double* addDiag,
                       const double* addFull, double* a)
{
    const std::uint64_t base = rng.next();
    if (draws::visitReal(f, [&](const auto& draw) {
            generateLowerReal(draw, n, base, scale, addDiag, addFull, a);
        }))
        return;
    throw InputError("noise: complex noise gives a complex Hermitian matrix, not a real one");
}

// Complex (GUE) analogue: off-diagonal scale (a + ib)/sqrt(2), diagonal scale * N(0,1).
void generateLowerComplex(const NoiseFamily& f, int n, Rng& rng, double scale,
                          const double* addDiag, const cplx* addFull, cplx* a)
{
    if (!f.isComplex())
        throw InputError("noise: only complex noise gives a complex Hermitian matrix");
    const std::uint64_t base = rng.next();
    const double off = scale * kInvSqrt2;
    forEachBlock(n, [&](int b, int j0, int j1) {
        Rng r(base, static_cast<std::uint64_t>(b));
        for (int j = j0; j < j1; ++j) {
            cplx* col = a + static_cast<std::size_t>(j) * static_cast<std::size_t>(n);
            col[j] = cplx(scale * r.normal(), 0.0);
            for (int i = j + 1; i < n; ++i) {
                const double re = r.normal();
                const double im = r.normal();
                col[i] = cplx(off * re, off * im);
            }
            if (addFull) {
                const cplx* s = addFull + static_cast<std::size_t>(j) * static_cast<std::size_t>(n);
                for (int i = j; i < n; ++i)
                    col[i] += s[i];
                col[j] = cplx(col[j].real(), 0.0); // S's diagonal is real up to rounding
            }
            if (addDiag)
                col[j] += addDiag[j];
        }
    });
}

void checkInfo(int info, const char* routine)
{
    if (info != 0)
        throw std::runtime_error(std::string("dense sampler: LAPACK ") + routine +
                                 " failed, info = " + std::to_string(info));
}

DenseSolver resolve(DenseSolver s, int n, bool complex)
{
    return s != DenseSolver::Auto ? s : autoDenseSolver(n, complex);
}

// LAPACK workspace sizes (in elements) for eigenvalues only, by workspace query.
struct Workspace
{
    lapack_int lwork = 0, lrwork = 0, liwork = 0;
    std::size_t bytes(bool complex) const
    {
        return static_cast<std::size_t>(lwork) * (complex ? sizeof(cplx) : sizeof(double)) +
               static_cast<std::size_t>(lrwork) * sizeof(double) +
               static_cast<std::size_t>(liwork) * sizeof(lapack_int);
    }
};

Workspace queryWorkspace(int n, bool complex, DenseSolver solver)
{
    Workspace ws;
    if (solver == DenseSolver::Eigen) {
        // Eigen copies H and keeps the tridiagonal (diag + subdiag) and Householder coefficients.
        // (Comparison path only; clamped so the 32-bit count cannot overflow.)
        ws.lwork = static_cast<lapack_int>(std::min<std::size_t>(
            sq(n) + 3 * static_cast<std::size_t>(n), std::numeric_limits<lapack_int>::max()));
        return ws;
    }
    if (n > 1'000'000) {
        // Far beyond any memory budget; LAPACK's 32-bit sizes could overflow in the query. The
        // queries below give about 105 N (real, two-stage) and 71 N (complex) elements.
        ws.lwork = static_cast<lapack_int>(std::min<std::size_t>(
            130 * static_cast<std::size_t>(n), std::numeric_limits<lapack_int>::max()));
        ws.lrwork = static_cast<lapack_int>(n);
        ws.liwork = 1;
        return ws;
    }
    if (solver == DenseSolver::ParallelTwoStage) {
        // Band (kKd + 1) N, V and W/X N kKd each, sb2st's work ~ 2 kKd N + hous: ~ 6 kKd N
        // elements (complex ones for complex H).
        ws.lwork = static_cast<lapack_int>(std::min<std::size_t>(
            6 * static_cast<std::size_t>(kKd + 1) * static_cast<std::size_t>(n) + 4096,
            std::numeric_limits<lapack_int>::max()));
        ws.liwork = 1;
        ws.lrwork = 1;
        return ws;
    }
    const bool two =
        solver == DenseSolver::LapackTwoStage || solver == DenseSolver::ParallelTwoStage;
    lapack_int iw = 0, info = 0;
    if (complex) {
        cplx w;
        double rw = 0.0;
        info = two ? LAPACKE_zheevd_2stage_work(LAPACK_COL_MAJOR, 'N', 'L', n, nullptr, n, nullptr,
                                                &w, -1, &rw, -1, &iw, -1)
                   : LAPACKE_zheevd_work(LAPACK_COL_MAJOR, 'N', 'L', n, nullptr, n, nullptr, &w, -1,
                                         &rw, -1, &iw, -1);
        checkInfo(info, "zheevd workspace query");
        ws.lwork = static_cast<lapack_int>(w.real());
        ws.lrwork = static_cast<lapack_int>(rw);
    } else {
        double w = 0.0;
        info = two ? LAPACKE_dsyevd_2stage_work(LAPACK_COL_MAJOR, 'N', 'L', n, nullptr, n, nullptr,
                                                &w, -1, &iw, -1)
                   : LAPACKE_dsyevd_work(LAPACK_COL_MAJOR, 'N', 'L', n, nullptr, n, nullptr, &w, -1,
                                         &iw, -1);
        checkInfo(info, "dsyevd workspace query");
        ws.lwork = static_cast<lapack_int>(w);
    }
    ws.liwork = std::max<lapack_int>(iw, 1);
    ws.lwork = std::max<lapack_int>(ws.lwork, 1);
    ws.lrwork = std::max<lapack_int>(ws.lrwork, 1);
    return ws;
}

// ---- Two-stage solver with a TBB-parallel first stage -------------------------------------
// Stage 1 (dense -> band of half-width kKd) is ~60% of the solve and made of BLAS-3 updates of
// the trailing matrix; they are split into fixed blocks of kBandBlock rows/columns, each a
// single-threaded BLAS call, so the rounding is the same for any thread count (unlike threaded
// OpenBLAS). Stage 2 (LAPACK's bulge chasing dsytrd_sb2st) and dsterf run sequentially.

std::size_t at(int i, int j, int ld)
{
    return static_cast<std::size_t>(j) * static_cast<std::size_t>(ld) + static_cast<std::size_t>(i);
}

// Thin BLAS/LAPACK overloads so that one band reduction serves real symmetric and complex
// Hermitian matrices. "H" is the transpose (real) or the conjugate transpose (complex).
constexpr CBLAS_TRANSPOSE kH = CblasConjTrans; // = CblasTrans for real data in OpenBLAS' dgemm

void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, double alpha,
          const double* a, int lda, const double* b, int ldb, double beta, double* c, int ldc)
{
    cblas_dgemm(CblasColMajor, ta == kH ? CblasTrans : ta, tb == kH ? CblasTrans : tb, m, n, k,
                alpha, a, lda, b, ldb, beta, c, ldc);
}
void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, double alpha, const cplx* a,
          int lda, const cplx* b, int ldb, double beta, cplx* c, int ldc)
{
    const cplx al(alpha, 0.0), be(beta, 0.0);
    cblas_zgemm(CblasColMajor, ta, tb, m, n, k, &al, a, lda, b, ldb, &be, c, ldc);
}
// C = A B, A Hermitian (lower stored), left side.
void hemm(int m, int n, const double* a, int lda, const double* b, int ldb, double* c, int ldc)
{
    cblas_dsymm(CblasColMajor, CblasLeft, CblasLower, m, n, 1.0, a, lda, b, ldb, 0.0, c, ldc);
}
void hemm(int m, int n, const cplx* a, int lda, const cplx* b, int ldb, cplx* c, int ldc)
{
    const cplx one(1.0, 0.0), zero(0.0, 0.0);
    cblas_zhemm(CblasColMajor, CblasLeft, CblasLower, m, n, &one, a, lda, b, ldb, &zero, c, ldc);
}
// C -= A B^H + B A^H on the lower triangle.
void her2kMinus(int n, int k, const double* a, int lda, const double* b, int ldb, double* c,
                int ldc)
{
    cblas_dsyr2k(CblasColMajor, CblasLower, CblasNoTrans, n, k, -1.0, a, lda, b, ldb, 1.0, c, ldc);
}
void her2kMinus(int n, int k, const cplx* a, int lda, const cplx* b, int ldb, cplx* c, int ldc)
{
    const cplx minusOne(-1.0, 0.0);
    cblas_zher2k(CblasColMajor, CblasLower, CblasNoTrans, n, k, &minusOne, a, lda, b, ldb, 1.0, c,
                 ldc);
}
void trmm(CBLAS_SIDE side, CBLAS_TRANSPOSE t, int m, int n, const double* a, int lda, double* b,
          int ldb)
{
    cblas_dtrmm(CblasColMajor, side, CblasUpper, t == kH ? CblasTrans : t, CblasNonUnit, m, n, 1.0,
                a, lda, b, ldb);
}
void trmm(CBLAS_SIDE side, CBLAS_TRANSPOSE t, int m, int n, const cplx* a, int lda, cplx* b,
          int ldb)
{
    const cplx one(1.0, 0.0);
    cblas_ztrmm(CblasColMajor, side, CblasUpper, t, CblasNonUnit, m, n, &one, a, lda, b, ldb);
}
lapack_int geqrf(int m, int n, double* a, int lda, double* tau, double* work, int lwork)
{
    return LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, m, n, a, lda, tau, work, lwork);
}
lapack_int geqrf(int m, int n, cplx* a, int lda, cplx* tau, cplx* work, int lwork)
{
    return LAPACKE_zgeqrf_work(LAPACK_COL_MAJOR, m, n, a, lda, tau, work, lwork);
}
lapack_int larft(int n, int k, const double* v, int ldv, const double* tau, double* t, int ldt)
{
    return LAPACKE_dlarft_work(LAPACK_COL_MAJOR, 'F', 'C', n, k, v, ldv, tau, t, ldt);
}
lapack_int larft(int n, int k, const cplx* v, int ldv, const cplx* tau, cplx* t, int ldt)
{
    return LAPACKE_zlarft_work(LAPACK_COL_MAJOR, 'F', 'C', n, k, v, ldv, tau, t, ldt);
}

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

// A -= V W^H + W V^H on the lower triangle of the m x m matrix A, by column blocks.
template <class T>
void her2kLowerBlocked(int m, int k, const T* v, int ldv, const T* w, int ldw, T* a, int lda)
{
    const int blocks = (m + kBandBlock - 1) / kBandBlock;
    tbb::parallel_for(0, blocks, [&](int b) {
        const int c0 = b * kBandBlock, c1 = std::min(m, c0 + kBandBlock), cb = c1 - c0;
        her2kMinus(cb, k, v + c0, ldv, w + c0, ldw, a + at(c0, c0, lda), lda);
        if (c1 < m) {
            gemm(CblasNoTrans, kH, m - c1, cb, k, -1.0, v + c1, ldv, w + c0, ldw, 1.0,
                 a + at(c1, c0, lda), lda);
            gemm(CblasNoTrans, kH, m - c1, cb, k, -1.0, w + c1, ldw, v + c0, ldv, 1.0,
                 a + at(c1, c0, lda), lda);
        }
    });
}

// Reduces the Hermitian n x n matrix (lower triangle of a; destroyed) to a band of half-width
// kd by a unitary similarity (block Householder, as LAPACK's dsytrd_sy2sb / zhetrd_he2hb); ab
// receives LAPACK's lower band storage, ldab = kd + 1. For each panel of kd columns: QR of the
// part below the band, Q = I - V T V^H, A22 := Q^H A22 Q = A22 - V W^H - W V^H with
// X = A22 V T, W = X - 1/2 V (T^H V^H X). Returns false (ab incomplete) if `cancel` was set:
// checked between panels (each ~4 n^2 kd flops at most, ~50 ms at n = 4000 real), so a
// cancelled solve stops promptly.
template <class T> bool reduceToBand(int n, int kd, T* a, T* ab, const std::atomic<bool>* cancel)
{
    const int ldab = kd + 1;
    const auto kds = static_cast<std::size_t>(kd);
    std::fill(ab, ab + static_cast<std::size_t>(ldab) * static_cast<std::size_t>(n), T(0.0));
    std::vector<T> tau(kds), t(kds * kds), mm(kds * kds), work(kds * 64), v, y;
    int i = 0;
    for (; i < n - kd; i += kd) {
        if (cancel && cancel->load(std::memory_order_relaxed))
            return false;
        for (int j = i; j < i + kd; ++j) // diagonal block -> band
            for (int r = j; r < i + kd; ++r)
                ab[at(r - j, j, ldab)] = a[at(r, j, n)];
        const int pn = n - i - kd;      // rows below the band
        const int k = std::min(pn, kd); // reflectors
        T* p = a + at(i + kd, i, n);
        checkInfo(geqrf(pn, kd, p, n, tau.data(), work.data(), static_cast<int>(work.size())),
                  "geqrf (band reduction)");
        for (int c = 0; c < kd; ++c) // R -> band
            for (int q = 0; q <= std::min(c, pn - 1); ++q)
                ab[at(kd + q - c, i + c, ldab)] = p[at(q, c, n)];
        const auto pns = static_cast<std::size_t>(pn);
        v.assign(pns * static_cast<std::size_t>(k), T(0.0)); // V: unit lower trapezoid
        for (int c = 0; c < k; ++c) {
            v[at(c, c, pn)] = T(1.0);
            for (int q = c + 1; q < pn; ++q)
                v[at(q, c, pn)] = p[at(q, c, n)];
        }
        checkInfo(larft(pn, k, v.data(), pn, tau.data(), t.data(), kd), "larft");
        T* a22 = a + at(i + kd, i + kd, n);
        y.resize(pns * static_cast<std::size_t>(k));
        hemmLowerBlocked(pn, k, a22, n, v.data(), pn, y.data(), pn);
        trmm(CblasRight, CblasNoTrans, pn, k, t.data(), kd, y.data(), pn); // X = A22 V T
        gemm(kH, CblasNoTrans, k, k, pn, 1.0, v.data(), pn, y.data(), pn, 0.0, mm.data(),
             kd);                                               // V^H X
        trmm(CblasLeft, kH, k, k, t.data(), kd, mm.data(), kd); // T^H V^H X
        gemm(CblasNoTrans, CblasNoTrans, pn, k, k, -0.5, v.data(), pn, mm.data(), kd, 1.0, y.data(),
             pn); // W
        her2kLowerBlocked(pn, k, v.data(), pn, y.data(), pn, a22, n);
    }
    for (int j = i; j < n; ++j) // last diagonal block -> band
        for (int r = j; r < n; ++r)
            ab[at(r - j, j, ldab)] = a[at(r, j, n)];
    return true;
}

// Band -> real symmetric tridiagonal (LAPACK's bulge chasing) -> eigenvalues (dsterf). Neither
// step can be interrupted: 0.45 s + 0.2 s at n = 4000 (real), 0.1 s + 0.05 s at n = 2000.
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
std::vector<double> solveParallelTwoStage(int n, T* a, const std::atomic<bool>* cancel)
{
    const int kd = std::max(1, std::min(kKd, n - 1));
    const int ldab = kd + 1;
    std::vector<T> ab(static_cast<std::size_t>(ldab) * static_cast<std::size_t>(n));
    bool complete = false;
    tbb::this_task_arena::isolate([&] { complete = reduceToBand(n, kd, a, ab.data(), cancel); });
    if (!complete)
        return {};
    std::vector<double> d(static_cast<std::size_t>(n));
    bandToEigenvalues(n, kd, ab.data(), d);
    return d;
}

// ---- Haar matrices: blocked Householder QR with cancel checks ------------------------------
// The same algorithm as LAPACK's dgeqrf + dorgqr (panels of kKd columns), but the trailing
// updates run as TBB tasks over fixed column blocks (same rounding for any thread count) and the
// cancel flag is checked between panels: an N = 4000 Haar draw no longer blocks a cancel for
// seconds.

bool isSet(const std::atomic<bool>* cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}

// C := (I - V T V^H) C, or with T^H if `adjoint`; V m x k unit lower trapezoid (explicit).
template <class T>
void applyBlockReflector(bool adjoint, int m, int nc, int k, const T* v, int ldv, const T* t,
                         int ldt, T* c, int ldc)
{
    const int blocks = (nc + kBandBlock - 1) / kBandBlock;
    tbb::parallel_for(0, blocks, [&](int b) {
        const int c0 = b * kBandBlock, cb = std::min(nc, c0 + kBandBlock) - c0;
        std::vector<T> w(static_cast<std::size_t>(k) * static_cast<std::size_t>(cb));
        T* cc = c + at(0, c0, ldc);
        gemm(kH, CblasNoTrans, k, cb, m, 1.0, v, ldv, cc, ldc, 0.0, w.data(), k); // V^H C
        trmm(CblasLeft, adjoint ? kH : CblasNoTrans, k, cb, t, ldt, w.data(), k);
        gemm(CblasNoTrans, CblasNoTrans, m, cb, k, -1.0, v, ldv, w.data(), k, 1.0, cc, ldc);
    });
}

// V (explicit unit lower trapezoid, m x k) and T of the panel whose reflectors sit below the
// diagonal of the m x k block p (leading dimension ld).
template <class T>
void panelReflector(int m, int k, const T* p, int ld, const T* tau, std::vector<T>& v,
                    std::vector<T>& t)
{
    v.assign(static_cast<std::size_t>(m) * static_cast<std::size_t>(k), T(0.0));
    for (int c = 0; c < k; ++c) {
        v[at(c, c, m)] = T(1.0);
        for (int q = c + 1; q < m; ++q)
            v[at(q, c, m)] = p[at(q, c, ld)];
    }
    t.assign(static_cast<std::size_t>(k) * static_cast<std::size_t>(k), T(0.0));
    checkInfo(larft(m, k, v.data(), m, tau, t.data(), k), "larft");
}

// Q (n x k, the first k columns) of the QR of the n x k column-major `a`, each column scaled so
// that R's diagonal is positive: the Haar factor. Empty if cancelled.
template <class T>
std::vector<T> haarFactor(int n, int k, std::vector<T> a, const std::atomic<bool>* cancel)
{
    const int nb = kKd;
    std::vector<T> tau(static_cast<std::size_t>(k)), work(static_cast<std::size_t>(nb) * 64), v, t;
    bool complete = true;
    tbb::this_task_arena::isolate([&] {
        for (int j = 0; j < k && complete; j += nb) {
            if (isSet(cancel)) {
                complete = false;
                break;
            }
            const int jb = std::min(nb, k - j), m = n - j;
            T* p = a.data() + at(j, j, n);
            checkInfo(
                geqrf(m, jb, p, n, tau.data() + j, work.data(), static_cast<int>(work.size())),
                "geqrf (Haar)");
            if (j + jb < k) {
                panelReflector(m, jb, p, n, tau.data() + j, v, t);
                applyBlockReflector(true, m, k - j - jb, jb, v.data(), m, t.data(), jb,
                                    a.data() + at(j, j + jb, n), n); // Q_j^H A(j:, j+jb:)
            }
        }
        // Q = Q_1 ... Q_p applied to the first k columns of I, last panel first; panel j only
        // touches rows and columns >= j (the columns before it are still unit vectors there).
        std::vector<T> q;
        if (complete) {
            q.assign(static_cast<std::size_t>(n) * static_cast<std::size_t>(k), T(0.0));
            for (int c = 0; c < k; ++c)
                q[at(c, c, n)] = T(1.0);
            for (int j = ((k - 1) / nb) * nb; j >= 0 && complete; j -= nb) {
                if (isSet(cancel)) {
                    complete = false;
                    break;
                }
                const int jb = std::min(nb, k - j), m = n - j;
                panelReflector(m, jb, a.data() + at(j, j, n), n, tau.data() + j, v, t);
                applyBlockReflector(false, m, k - j, jb, v.data(), m, t.data(), jb,
                                    q.data() + at(j, j, n), n);
            }
        }
        if (complete) {
            // A = QR = (Q D)(D^H R), D = phase(diag R): Q D has R's diagonal > 0 and its law is
            // Haar (Q alone is not: Householder QR fixes the signs by the data).
            for (int c = 0; c < k; ++c) {
                const T d = a[at(c, c, n)];
                T phase(1.0);
                if constexpr (std::is_same_v<T, double>)
                    phase = d < 0.0 ? -1.0 : 1.0;
                else
                    phase = std::abs(d) > 0.0 ? d / std::abs(d) : T(1.0);
                for (int i = 0; i < n; ++i)
                    q[at(i, c, n)] *= phase;
            }
        }
        a = std::move(q);
    });
    if (!complete)
        return {};
    return a;
}

std::vector<double> solveReal(int n, double* a, DenseSolver solver, const Workspace& wsz,
                              const std::atomic<bool>* cancel)
{
    if (solver == DenseSolver::ParallelTwoStage)
        return solveParallelTwoStage(n, a, cancel);
    std::vector<double> w(static_cast<std::size_t>(n));
    if (solver == DenseSolver::Eigen) {
        Eigen::Map<const Eigen::MatrixXd> h(a, n, n);
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(h, Eigen::EigenvaluesOnly);
        if (es.info() != Eigen::Success)
            throw std::runtime_error("dense sampler: Eigen's eigenvalue solver did not converge");
        std::copy(es.eigenvalues().data(), es.eigenvalues().data() + n, w.begin());
        return w;
    }
    std::vector<double> work(static_cast<std::size_t>(wsz.lwork));
    std::vector<lapack_int> iwork(static_cast<std::size_t>(wsz.liwork));
    const lapack_int info =
        solver == DenseSolver::LapackTwoStage
            ? LAPACKE_dsyevd_2stage_work(LAPACK_COL_MAJOR, 'N', 'L', n, a, n, w.data(), work.data(),
                                         wsz.lwork, iwork.data(), wsz.liwork)
            : LAPACKE_dsyevd_work(LAPACK_COL_MAJOR, 'N', 'L', n, a, n, w.data(), work.data(),
                                  wsz.lwork, iwork.data(), wsz.liwork);
    checkInfo(info, "dsyevd");
    return w;
}

std::vector<double> solveComplex(int n, cplx* a, DenseSolver solver, const Workspace& wsz,
                                 const std::atomic<bool>* cancel)
{
    if (solver == DenseSolver::ParallelTwoStage)
        return solveParallelTwoStage(n, a, cancel);
    std::vector<double> w(static_cast<std::size_t>(n));
    if (solver == DenseSolver::Eigen) {
        Eigen::Map<const Eigen::MatrixXcd> h(a, n, n);
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd> es(h, Eigen::EigenvaluesOnly);
        if (es.info() != Eigen::Success)
            throw std::runtime_error("dense sampler: Eigen's eigenvalue solver did not converge");
        std::copy(es.eigenvalues().data(), es.eigenvalues().data() + n, w.begin());
        return w;
    }
    std::vector<cplx> work(static_cast<std::size_t>(wsz.lwork));
    std::vector<double> rwork(static_cast<std::size_t>(wsz.lrwork));
    std::vector<lapack_int> iwork(static_cast<std::size_t>(wsz.liwork));
    cplx* la = a;
    cplx* lw = work.data();
    const lapack_int info =
        solver != DenseSolver::Lapack
            ? LAPACKE_zheevd_2stage_work(LAPACK_COL_MAJOR, 'N', 'L', n, la, n, w.data(), lw,
                                         wsz.lwork, rwork.data(), wsz.lrwork, iwork.data(),
                                         wsz.liwork)
            : LAPACKE_zheevd_work(LAPACK_COL_MAJOR, 'N', 'L', n, la, n, w.data(), lw, wsz.lwork,
                                  rwork.data(), wsz.lrwork, iwork.data(), wsz.liwork);
    checkInfo(info, "zheevd");
    return w;
}

// S = c I + O diag(s_j - c) O^H for the n x k column-major O (k <= n columns), n x n
// column-major, 2 n^2 k flops in fixed column blocks (TBB tasks, cancel checked per block).
// Empty if cancelled or if O is (a cancelled draw).
template <class T>
std::vector<T> buildSignal(const std::vector<T>& o, const std::vector<double>& s, int k, double c,
                           const std::atomic<bool>* cancel)
{
    const int n = static_cast<int>(s.size());
    if (o.empty() || isSet(cancel))
        return {};
    std::vector<T> os(o);
    for (int j = 0; j < k; ++j)
        for (int i = 0; i < n; ++i)
            os[at(i, j, n)] *= s[static_cast<std::size_t>(j)] - c;
    std::vector<T> out(sq(n));
    const int blocks = (n + kBandBlock - 1) / kBandBlock;
    tbb::this_task_arena::isolate([&] {
        tbb::parallel_for(0, blocks, [&](int b) {
            if (isSet(cancel))
                return;
            const int c0 = b * kBandBlock, cb = std::min(n, c0 + kBandBlock) - c0;
            gemm(CblasNoTrans, kH, n, cb, k, 1.0, os.data(), n, o.data() + c0, n, 0.0,
                 out.data() + at(0, c0, n), n);
        });
    });
    if (isSet(cancel))
        return {};
    for (int i = 0; i < n; ++i)
        out[at(i, i, n)] += c;
    return out;
}

class DenseSampler final : public Sampler
{
public:
    DenseSampler(const Model& m, std::uint64_t seed, DenseSolver solver,
                 const std::atomic<bool>* cancel)
        : m_noise(m.noise), m_n(m.n), m_seed(seed), m_complex(m.noise.isComplex()),
          m_scale(m.sigma / std::sqrt(static_cast<double>(m.n))),
          m_solver(resolve(solver, m.n, m.noise.isComplex())),
          m_work(queryWorkspace(m.n, m_complex, m_solver))
    {
        const std::vector<double> s = signalSpectrum(m);
        if (m.eigvecs == Eigvecs::Basis) {
            m_diag = s;
        } else {
            // S = c I + O_k diag(s_j - c) O_k^T with k = r when the bulk is a constant c (only
            // the spikes' eigenvectors matter: O(N^2 r) instead of O(N^3)), else k = N.
            const int r = rankOf(m);
            const bool lowRank = bulkIsConstant(m) && r < m.n;
            const int k = lowRank ? r : m_n;
            const double c = lowRank ? s.back() : 0.0;
            // Cancelled (empty S): the runner sees the flag and never calls sample().
            if (m_complex)
                m_fullComplex =
                    buildSignal<cplx>(haarUnitaryColumns(m_n, k, seed, cancel), s, k, c, cancel);
            else
                m_full = buildSignal<double>(haarOrthogonalColumns(m_n, k, seed, cancel), s, k, c,
                                             cancel);
        }
    }

    std::string name() const override { return "dense"; }

    std::vector<double> sample(std::uint64_t k, const std::atomic<bool>* cancel) const override
    {
        auto cancelled = [cancel] { return cancel && cancel->load(std::memory_order_relaxed); };
        if (cancelled())
            return {};
        Rng rng(m_seed, k);
        const double* diag = m_diag.empty() ? nullptr : m_diag.data();
        if (m_complex) {
            // Only the lower triangle is written (and read by the solver).
            auto h = std::make_unique_for_overwrite<cplx[]>(sq(m_n));
            generateLowerComplex(m_noise, m_n, rng, m_scale, diag,
                                 m_fullComplex.empty() ? nullptr : m_fullComplex.data(), h.get());
            if (cancelled())
                return {};
            return solveComplex(m_n, h.get(), m_solver, m_work, cancel);
        }
        // Uninitialized: only the lower triangle is written and read (no N^2 zero fill).
        auto h = std::make_unique_for_overwrite<double[]>(sq(m_n));
        generateLowerReal(m_noise, m_n, rng, m_scale, diag,
                          m_full.empty() ? nullptr : m_full.data(), h.get());
        if (cancelled())
            return {};
        return solveReal(m_n, h.get(), m_solver, m_work, cancel);
    }

    std::size_t peakBytes(int concurrency) const override
    {
        return peakBytesFor(m_n, m_complex, !m_diag.empty(), m_work, concurrency);
    }

    static std::size_t peakBytesFor(int n, bool complex, bool basis, const Workspace& work,
                                    int concurrency)
    {
        const std::size_t elem = complex ? sizeof(cplx) : sizeof(double);
        const std::size_t matrix = sq(n) * elem;
        const std::size_t nd = static_cast<std::size_t>(n) * sizeof(double);
        // In flight: H, LAPACK workspace and the eigenvalue vector per sample.
        const std::size_t perSample = matrix + work.bytes(complex) + nd;
        const std::size_t run =
            static_cast<std::size_t>(std::max(concurrency, 1)) * perSample + (basis ? nd : matrix);
        // Building S for haar holds the Gaussian/O matrix, O diag(s) and S at once (+ QR work).
        const std::size_t build = basis ? nd : 3 * matrix + 64 * static_cast<std::size_t>(n) * elem;
        return std::max(run, build);
    }

private:
    NoiseFamily m_noise;
    int m_n;
    std::uint64_t m_seed;
    bool m_complex;
    double m_scale;
    DenseSolver m_solver;
    Workspace m_work;
    std::vector<double> m_diag;      // s on the diagonal (eigvecs = basis)
    std::vector<double> m_full;      // S (eigvecs = haar, real noise)
    std::vector<cplx> m_fullComplex; // S (eigvecs = haar, complex noise)
};

} // namespace

void pinBlasToOneThread()
{
    static std::once_flag once;
    std::call_once(once, [] {
        openblas_set_num_threads(1);
        limitAllocatorRetention();
    });
}

void limitAllocatorRetention()
{
#if defined(__GLIBC__)
    static std::once_flag once;
    std::call_once(once, [] { mallopt(M_MMAP_THRESHOLD, 1 << 20); });
#endif
}

void fillNoiseReal(const NoiseFamily& f, int n, Rng& rng, double* out)
{
    generateLowerReal(f, n, rng, 1.0, nullptr, nullptr, out);
    for (int j = 0; j < n; ++j)
        for (int i = j + 1; i < n; ++i)
            out[static_cast<std::size_t>(i) * static_cast<std::size_t>(n) +
                static_cast<std::size_t>(j)] =
                out[static_cast<std::size_t>(j) * static_cast<std::size_t>(n) +
                    static_cast<std::size_t>(i)];
}

void fillNoiseComplex(const NoiseFamily& f, int n, Rng& rng, std::complex<double>* out)
{
    generateLowerComplex(f, n, rng, 1.0, nullptr, nullptr, out);
    for (int j = 0; j < n; ++j)
        for (int i = j + 1; i < n; ++i)
            out[static_cast<std::size_t>(i) * static_cast<std::size_t>(n) +
                static_cast<std::size_t>(j)] =
                std::conj(out[static_cast<std::size_t>(j) * static_cast<std::size_t>(n) +
                              static_cast<std::size_t>(i)]);
}

std::vector<double> haarOrthogonalColumns(int n, int r, std::uint64_t seed,
                                          const std::atomic<bool>* cancel, std::uint64_t stream)
{
    pinBlasToOneThread(); // the QR's rounding must not depend on the thread count
    Rng rng(seed, stream);
    // Column-major: the first n r draws of the n x n Gaussian, so the columns are those of
    // haarOrthogonal(n, seed) (column j of a QR depends on the first j + 1 columns only).
    std::vector<double> g(static_cast<std::size_t>(n) * static_cast<std::size_t>(r));
    for (double& x : g)
        x = rng.normal();
    return haarFactor(n, r, std::move(g), cancel);
}

std::vector<double> haarOrthogonal(int n, std::uint64_t seed)
{
    return haarOrthogonalColumns(n, n, seed, nullptr);
}

std::vector<std::complex<double>> haarUnitaryColumns(int n, int r, std::uint64_t seed,
                                                     const std::atomic<bool>* cancel,
                                                     std::uint64_t stream)
{
    pinBlasToOneThread();
    Rng rng(seed, stream);
    std::vector<cplx> g(static_cast<std::size_t>(n) * static_cast<std::size_t>(r));
    for (cplx& x : g) {
        const double re = rng.normal();
        const double im = rng.normal();
        x = cplx(re * kInvSqrt2, im * kInvSqrt2);
    }
    return haarFactor(n, r, std::move(g), cancel);
}

std::vector<std::complex<double>> haarUnitary(int n, std::uint64_t seed)
{
    return haarUnitaryColumns(n, n, seed, nullptr);
}

DenseSolver autoDenseSolver(int n, bool complex)
{
    if (complex)
        return n >= kTwoStageMinNComplex ? DenseSolver::ParallelTwoStage : DenseSolver::Lapack;
    return n >= kTwoStageMinN ? DenseSolver::ParallelTwoStage : DenseSolver::Lapack;
}

std::string toString(DenseSolver s)
{
    switch (s) {
    case DenseSolver::Auto:
        return "auto";
    case DenseSolver::Lapack:
        return "lapack";
    case DenseSolver::LapackTwoStage:
        return "lapack-2stage";
    case DenseSolver::ParallelTwoStage:
        return "parallel-2stage";
    case DenseSolver::Eigen:
        return "eigen";
    }
    return "?";
}

std::unique_ptr<Sampler> makeDenseSampler(const Model& m, std::uint64_t seed, DenseSolver solver,
                                          const std::atomic<bool>* cancel)
{
    pinBlasToOneThread();
    return std::make_unique<DenseSampler>(m, seed, solver, cancel);
}

std::unique_ptr<Sampler> makeDenseSampler(const Model& m, std::uint64_t seed,
                                          const std::atomic<bool>* cancel)
{
    return makeDenseSampler(m, seed, DenseSolver::Auto, cancel);
}

std::size_t denseSamplerPeakBytes(const Model& m, int concurrency)
{
    const bool complex = m.noise.isComplex();
    const DenseSolver solver = autoDenseSolver(m.n, complex);
    return DenseSampler::peakBytesFor(m.n, complex, m.eigvecs == Eigvecs::Basis,
                                      queryWorkspace(m.n, complex, solver), concurrency);
}

} // namespace ws::core
