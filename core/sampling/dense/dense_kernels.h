#pragma once
// Internal to ws_core: the pieces the dense solvers share (dense_sampler.cpp, band_reduction.cpp,
// haar.cpp). Column-major indexing, thin BLAS/LAPACK overloads for real and complex data, the
// fixed block sizes, and the entry points of the parallel two-stage solver and the Haar QR.

#include <atomic>
#include <complex>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>
// LAPACKE's complex type is std::complex<double> here (not C's double _Complex).
#define lapack_complex_float std::complex<float>
#define lapack_complex_double std::complex<double>
#include <lapacke.h>
#include <cblas.h>

#include "core/util/column_major.h"

namespace ws::core::dense {

using cplx = std::complex<double>;

// Band half-width of the parallel two-stage solver (what LAPACK's ilaenv2stage picks at N ~ 2000)
// and panel width of the Haar QR; rows/columns per TBB task of the trailing updates. Fixed, so
// the rounding never depends on the thread count.
constexpr int kKd = 32;
constexpr int kBandBlock = 128;

using colmajor::at;

inline void checkInfo(int info, const char* routine)
{
    colmajor::checkLapackInfo(info, "dense sampler", routine);
}

inline bool isSet(const std::atomic<bool>* cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}

// Thin BLAS/LAPACK overloads so that one band reduction serves real symmetric and complex
// Hermitian matrices. "H" is the transpose (real) or the conjugate transpose (complex).
constexpr CBLAS_TRANSPOSE kH = CblasConjTrans; // = CblasTrans for real data in OpenBLAS' dgemm

inline void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, double alpha,
                 const double* a, int lda, const double* b, int ldb, double beta, double* c,
                 int ldc)
{
    cblas_dgemm(CblasColMajor, ta == kH ? CblasTrans : ta, tb == kH ? CblasTrans : tb, m, n, k,
                alpha, a, lda, b, ldb, beta, c, ldc);
}
inline void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, double alpha,
                 const cplx* a, int lda, const cplx* b, int ldb, double beta, cplx* c, int ldc)
{
    const cplx al(alpha, 0.0), be(beta, 0.0);
    cblas_zgemm(CblasColMajor, ta, tb, m, n, k, &al, a, lda, b, ldb, &be, c, ldc);
}
// C = A B, A Hermitian (lower stored), left side.
inline void hemm(int m, int n, const double* a, int lda, const double* b, int ldb, double* c,
                 int ldc)
{
    cblas_dsymm(CblasColMajor, CblasLeft, CblasLower, m, n, 1.0, a, lda, b, ldb, 0.0, c, ldc);
}
inline void hemm(int m, int n, const cplx* a, int lda, const cplx* b, int ldb, cplx* c, int ldc)
{
    const cplx one(1.0, 0.0), zero(0.0, 0.0);
    cblas_zhemm(CblasColMajor, CblasLeft, CblasLower, m, n, &one, a, lda, b, ldb, &zero, c, ldc);
}
// C -= A B^H + B A^H on the lower triangle.
inline void her2kMinus(int n, int k, const double* a, int lda, const double* b, int ldb, double* c,
                       int ldc)
{
    cblas_dsyr2k(CblasColMajor, CblasLower, CblasNoTrans, n, k, -1.0, a, lda, b, ldb, 1.0, c, ldc);
}
inline void her2kMinus(int n, int k, const cplx* a, int lda, const cplx* b, int ldb, cplx* c,
                       int ldc)
{
    const cplx minusOne(-1.0, 0.0);
    cblas_zher2k(CblasColMajor, CblasLower, CblasNoTrans, n, k, &minusOne, a, lda, b, ldb, 1.0, c,
                 ldc);
}
inline void trmm(CBLAS_SIDE side, CBLAS_TRANSPOSE t, int m, int n, const double* a, int lda,
                 double* b, int ldb)
{
    cblas_dtrmm(CblasColMajor, side, CblasUpper, t == kH ? CblasTrans : t, CblasNonUnit, m, n, 1.0,
                a, lda, b, ldb);
}
inline void trmm(CBLAS_SIDE side, CBLAS_TRANSPOSE t, int m, int n, const cplx* a, int lda, cplx* b,
                 int ldb)
{
    const cplx one(1.0, 0.0);
    cblas_ztrmm(CblasColMajor, side, CblasUpper, t, CblasNonUnit, m, n, &one, a, lda, b, ldb);
}
inline lapack_int geqrf(int m, int n, double* a, int lda, double* tau, double* work, int lwork)
{
    return LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, m, n, a, lda, tau, work, lwork);
}
inline lapack_int geqrf(int m, int n, cplx* a, int lda, cplx* tau, cplx* work, int lwork)
{
    return LAPACKE_zgeqrf_work(LAPACK_COL_MAJOR, m, n, a, lda, tau, work, lwork);
}
inline lapack_int larft(int n, int k, const double* v, int ldv, const double* tau, double* t,
                        int ldt)
{
    return LAPACKE_dlarft_work(LAPACK_COL_MAJOR, 'F', 'C', n, k, v, ldv, tau, t, ldt);
}
inline lapack_int larft(int n, int k, const cplx* v, int ldv, const cplx* tau, cplx* t, int ldt)
{
    return LAPACKE_zlarft_work(LAPACK_COL_MAJOR, 'F', 'C', n, k, v, ldv, tau, t, ldt);
}

// Eigenvalues (ascending) of the Hermitian n x n column-major `a` (lower triangle read and
// overwritten): dense -> band of half-width kKd in TBB tasks over fixed blocks (cancel checked
// between panels), then the bulge chasing (parallel over sweeps) and dsterf, which cannot be
// interrupted. Empty if cancelled. band_reduction.cpp.
std::vector<double> solveParallelTwoStage(int n, double* a, const std::atomic<bool>* cancel);
std::vector<double> solveParallelTwoStage(int n, cplx* a, const std::atomic<bool>* cancel);

// Band (LAPACK lower band storage, ldab = kd + 1, kd >= 2) -> real symmetric tridiagonal: d (n)
// diagonal, e (n - 1) subdiagonal. The bulge chasing of dsytrd_sb2st / zhetrd_hb2st in parallel
// over sweeps in the current TBB arena; the same bits as the serial order (sweep after sweep)
// for any thread count. Complex: LAPACK's tasks (zhetrd_hb2st's bits); real: chase_kernels.h's
// (dsytrd_sb2st's tridiagonal to rounding). bulge_chase.cpp.
struct ChaseOptions
{
    bool serial = false;   // test hook: the serial order on the calling thread
    bool portable = false; // test hook: the real kernel's portable copy, not the AVX2 one
};
void bandToTridiagonal(int n, int kd, const double* ab, double* d, double* e, ChaseOptions o = {});
void bandToTridiagonal(int n, int kd, const cplx* ab, double* d, double* e, ChaseOptions o = {});

// Eigen's SelfAdjointEigenSolver, eigenvalues only (ascending), the comparison path of
// DenseSolver::Eigen. eigen_solver.cpp (kept apart: it is the slowest code to compile).
std::vector<double> eigenSolverEigenvalues(int n, const double* a);
std::vector<double> eigenSolverEigenvalues(int n, const cplx* a);

} // namespace ws::core::dense
