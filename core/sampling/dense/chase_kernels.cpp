// The real bulge-chasing task (bulge_chase.cpp): types 1, 2 and 3 of LAPACK's dsb2st_kernels
// (lower band, eigenvalues only), written out for the small blocks (kd x kd) it works on.
// LAPACK's routine reaches them through ~10 BLAS-1/2 calls per task (dsymv, dsyr2 -- a daxpy per
// column in OpenBLAS --, dgemv, dger, dnrm2); here each is a few loops over a block in L1, four
// columns at a time. Real N = 2000 (bench/bench_dense_stages): the chase 0.094-0.10 s on one
// thread against 0.12-0.13 s with LAPACK's kernels, 0.053-0.056 s on two against 0.08-0.09 s.
//
// Rounding: every sum is taken in one fixed order (no reassociation; the file is compiled without
// floating-point contraction), so the portable (SSE2) copy and the AVX2 one picked at run time
// give the same bits, and so does any schedule of the tasks that respects their dependencies.
#include "core/sampling/dense/chase_kernels.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ws::core::dense {
namespace {

#define WS_CHASE_INLINE [[gnu::always_inline]] inline

// ||x||_2 without overflow or underflow (LAPACK's dnrm2 guarantees it): the plain sum of squares
// when it is safely inside the range, else a second pass scaled by the largest entry.
WS_CHASE_INLINE double nrm2(int n, const double* x)
{
    double s = 0.0;
    for (int i = 0; i < n; ++i)
        s += x[i] * x[i];
    constexpr double kTiny = 1e-290, kHuge = 1e290;
    if (s > kTiny && s < kHuge)
        return std::sqrt(s);
    double m = 0.0;
    for (int i = 0; i < n; ++i)
        m = std::max(m, std::fabs(x[i]));
    if (std::isnan(s)) // a NaN entry
        return s;
    if (m == 0.0 || !std::isfinite(m))
        return m;
    double t = 0.0;
    for (int i = 0; i < n; ++i) {
        const double y = x[i] / m;
        t += y * y;
    }
    return m * std::sqrt(t);
}

// LAPACK's dlarfg: H = I - tau [1; v][1; v]^T with H [alpha; x] = [beta; 0]; alpha := beta and
// x := v. Returns tau (0: H = I).
WS_CHASE_INLINE double larfg(int n, double& alpha, double* x)
{
    if (n <= 1)
        return 0.0;
    double xnorm = nrm2(n - 1, x);
    if (xnorm == 0.0)
        return 0.0;
    double beta = -std::copysign(std::hypot(alpha, xnorm), alpha);
    const double safmin =
        std::numeric_limits<double>::min() / std::numeric_limits<double>::epsilon();
    int knt = 0;
    if (std::fabs(beta) < safmin) { // rescale, as dlarfg does, so that tau stays accurate
        const double rsafmn = 1.0 / safmin;
        do {
            ++knt;
            for (int i = 0; i < n - 1; ++i)
                x[i] *= rsafmn;
            beta *= rsafmn;
            alpha *= rsafmn;
        } while (std::fabs(beta) < safmin && knt < 20);
        xnorm = nrm2(n - 1, x);
        beta = -std::copysign(std::hypot(alpha, xnorm), alpha);
    }
    const double tau = (beta - alpha) / beta;
    const double scale = 1.0 / (alpha - beta);
    for (int i = 0; i < n - 1; ++i)
        x[i] *= scale;
    for (int j = 0; j < knt; ++j)
        beta *= safmin;
    alpha = beta;
    return tau;
}

// s[q] = sum_i c_q[i] v[i] for the four columns c + q ldc, i from 0 to m - 1 in order.
WS_CHASE_INLINE void dot4(int m, const double* c, int ldc, const double* v, double s[4])
{
    const double* c0 = c;
    const double* c1 = c0 + ldc;
    const double* c2 = c1 + ldc;
    const double* c3 = c2 + ldc;
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    for (int i = 0; i < m; ++i) {
        const double vi = v[i];
        s0 += c0[i] * vi;
        s1 += c1[i] * vi;
        s2 += c2[i] * vi;
        s3 += c3[i] * vi;
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
}

// w[i] += c[i] x for i in [i0, i1).
WS_CHASE_INLINE void addColumn(int i0, int i1, const double* c, double x, double* w)
{
    for (int i = i0; i < i1; ++i)
        w[i] += c[i] * x;
}

// w[i] += c_0[i] v[0], then c_1[i] v[1], c_2[i] v[2], c_3[i] v[3] (c_q = c + q ldc) for i in
// [i0, i1): four columns per pass over w, each w[i] still adding them in column order.
WS_CHASE_INLINE void addColumns4(int i0, int i1, const double* c, int ldc, const double* v,
                                 double* w)
{
    const double* c1 = c + ldc;
    const double* c2 = c1 + ldc;
    const double* c3 = c2 + ldc;
    const double v0 = v[0], v1 = v[1], v2 = v[2], v3 = v[3];
    for (int i = i0; i < i1; ++i) {
        double x = w[i];
        x += c[i] * v0;
        x += c1[i] * v1;
        x += c2[i] * v2;
        x += c3[i] * v3;
        w[i] = x;
    }
}

// C := H C H for the symmetric n x n C (lower triangle stored), H = I - tau v v^T (dlarfy):
// w = tau C v - (tau^2 / 2) (v^T C v) v, C -= v w^T + w v^T.
WS_CHASE_INLINE void larfyLower(int n, const double* v, double tau, double* c, int ldc, double* w)
{
    if (tau == 0.0)
        return;
    // C v: the stored part as axpys down the columns, the part above the diagonal (the same
    // entries, transposed) as dot products, four columns at a time.
    for (int i = 0; i < n; ++i)
        w[i] = 0.0;
    {
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            // the rows above j + 3, which not all four columns reach, first
            const double* c0 = c + static_cast<std::ptrdiff_t>(j) * ldc;
            w[j] += c0[j] * v[j];
            w[j + 1] += c0[j + 1] * v[j];
            w[j + 1] += c0[ldc + j + 1] * v[j + 1];
            w[j + 2] += c0[j + 2] * v[j];
            w[j + 2] += c0[ldc + j + 2] * v[j + 1];
            w[j + 2] += c0[2 * ldc + j + 2] * v[j + 2];
            addColumns4(j + 3, n, c0, ldc, v + j, w);
        }
        for (; j < n; ++j)
            addColumn(j, n, c + static_cast<std::ptrdiff_t>(j) * ldc, v[j], w);
    }
    int j = 0;
    for (; j + 4 <= n; j += 4) {
        const double* cj = c + static_cast<std::ptrdiff_t>(j) * ldc;
        // the rows above j + 4 of the four columns first, then the common rows together
        double head[4] = {cj[j + 1] * v[j + 1], cj[ldc + j + 2] * v[j + 2],
                          cj[2 * ldc + j + 3] * v[j + 3], 0.0};
        head[0] += cj[j + 2] * v[j + 2];
        head[0] += cj[j + 3] * v[j + 3];
        head[1] += cj[ldc + j + 3] * v[j + 3];
        double s[4];
        dot4(n - j - 4, cj + j + 4, ldc, v + j + 4, s);
        for (int q = 0; q < 4; ++q)
            w[j + q] += head[q] + s[q];
    }
    for (; j < n; ++j) {
        const double* cj = c + static_cast<std::ptrdiff_t>(j) * ldc;
        double s = 0.0;
        for (int i = j + 1; i < n; ++i)
            s += cj[i] * v[i];
        w[j] += s;
    }
    double vw = 0.0;
    for (int i = 0; i < n; ++i) {
        w[i] *= tau;
        vw += w[i] * v[i];
    }
    const double alpha = -0.5 * tau * vw;
    for (int i = 0; i < n; ++i)
        w[i] += alpha * v[i];
    for (int jj = 0; jj < n; ++jj) {
        double* cj = c + static_cast<std::ptrdiff_t>(jj) * ldc;
        const double vj = v[jj], wj = w[jj];
        for (int i = jj; i < n; ++i)
            cj[i] -= v[i] * wj + w[i] * vj;
    }
}

// C := H C for the m x n C (dlarf, side L): C(:, j) -= tau (C(:, j)^T v) v.
WS_CHASE_INLINE void larfLeft(int m, int n, const double* v, double tau, double* c, int ldc)
{
    if (tau == 0.0)
        return;
    int j = 0;
    for (; j + 4 <= n; j += 4) {
        double* cj = c + static_cast<std::ptrdiff_t>(j) * ldc;
        double s[4];
        dot4(m, cj, ldc, v, s);
        for (int q = 0; q < 4; ++q) {
            double* cq = cj + static_cast<std::ptrdiff_t>(q) * ldc;
            const double t = tau * s[q];
            for (int i = 0; i < m; ++i)
                cq[i] -= t * v[i];
        }
    }
    for (; j < n; ++j) {
        double* cj = c + static_cast<std::ptrdiff_t>(j) * ldc;
        double s = 0.0;
        for (int i = 0; i < m; ++i)
            s += cj[i] * v[i];
        s *= tau;
        for (int i = 0; i < m; ++i)
            cj[i] -= s * v[i];
    }
}

// C := C H for the m x n C (dlarf, side R): w = C v, C(:, j) -= (tau v_j) w.
WS_CHASE_INLINE void larfRight(int m, int n, const double* v, double tau, double* c, int ldc,
                               double* w)
{
    if (tau == 0.0)
        return;
    for (int i = 0; i < m; ++i)
        w[i] = 0.0;
    int j = 0;
    for (; j + 4 <= n; j += 4)
        addColumns4(0, m, c + static_cast<std::ptrdiff_t>(j) * ldc, ldc, v + j, w);
    for (; j < n; ++j)
        addColumn(0, m, c + static_cast<std::ptrdiff_t>(j) * ldc, v[j], w);
    for (int jj = 0; jj < n; ++jj) {
        double* cj = c + static_cast<std::ptrdiff_t>(jj) * ldc;
        const double t = tau * v[jj];
        for (int i = 0; i < m; ++i)
            cj[i] -= w[i] * t;
    }
}

WS_CHASE_INLINE void taskBody(int type, int st, int ed, int n, int kd, double* a, int lda,
                              double* v, double* tau, double* work)
{
    // Element (i, j), 0-based, of the working band is at a[i + j (lda - 1)]: a block is a general
    // matrix of leading dimension lda - 1 (LAPACK's A(DPOS, ST) with LDA - 1).
    const int ld = lda - 1;
    auto at = [&](int i, int j) { return a + i + static_cast<std::ptrdiff_t>(j) * ld; };
    const int s0 = st - 1, e0 = ed - 1, len = ed - st + 1;
    if (type == 1) { // new reflector from column st - 1 (rows st..ed), applied to the block
        double* col = at(s0, s0 - 1);
        double* vv = v + st;
        vv[0] = 1.0;
        for (int i = 1; i < len; ++i) {
            vv[i] = col[i];
            col[i] = 0.0;
        }
        tau[st] = larfg(len, col[0], vv + 1);
    }
    if (type != 2) { // types 1 and 3: the two-sided update of the diagonal block
        larfyLower(len, v + st, tau[st], at(s0, s0), ld, work);
        return;
    }
    // type 2: the reflector of this sweep's previous task from the right on the block below, then
    // a new one annihilating that block's first column (the bulge), applied from the left.
    const int j1 = e0 + 1, j2 = std::min(e0 + kd, n - 1), lm = j2 - j1 + 1;
    if (lm <= 0)
        return;
    larfRight(lm, len, v + st, tau[st], at(j1, s0), ld, work);
    double* col = at(j1, s0);
    double* vv = v + j1 + 1;
    vv[0] = 1.0;
    for (int i = 1; i < lm; ++i) {
        vv[i] = col[i];
        col[i] = 0.0;
    }
    tau[j1 + 1] = larfg(lm, col[0], vv + 1);
    larfLeft(lm, len - 1, vv, tau[j1 + 1], at(j1, s0 + 1), ld);
}

void taskPortable(int type, int st, int ed, int n, int kd, double* a, int lda, double* v,
                  double* tau, double* work)
{
    taskBody(type, st, ed, n, kd, a, lda, v, tau, work);
}

#if defined(__x86_64__) || defined(__i386__)
[[gnu::target("avx2")]] void taskAvx2(int type, int st, int ed, int n, int kd, double* a, int lda,
                                      double* v, double* tau, double* work)
{
    taskBody(type, st, ed, n, kd, a, lda, v, tau, work);
}
bool haveAvx2()
{
    static const bool yes = __builtin_cpu_supports("avx2");
    return yes;
}
#else
void taskAvx2(int type, int st, int ed, int n, int kd, double* a, int lda, double* v, double* tau,
              double* work)
{
    taskBody(type, st, ed, n, kd, a, lda, v, tau, work);
}
bool haveAvx2()
{
    return false;
}
#endif

} // namespace

ChaseTaskFn pickChaseTask(bool portable)
{
    return !portable && haveAvx2() ? &taskAvx2 : &taskPortable;
}

} // namespace ws::core::dense
