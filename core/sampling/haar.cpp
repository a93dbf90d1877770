// Haar-distributed orthogonal / unitary columns (sampler.h): blocked Householder QR in TBB
// tasks with cancel checks.

#include "core/sampling/dense/dense_kernels.h"
#include "core/sampling/rng.h"
#include "core/sampling/sampler.h"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <vector>

namespace ws::core {
namespace {

using namespace dense;

const double kInvSqrt2 = 1.0 / std::sqrt(2.0);

// ---- Haar matrices: blocked Householder QR with cancel checks ------------------------------
// The same algorithm as LAPACK's dgeqrf + dorgqr (panels of kKd columns), but the trailing
// updates run as TBB tasks over fixed column blocks (same rounding for any thread count) and the
// cancel flag is checked between panels: an N = 4000 Haar draw no longer blocks a cancel for
// seconds.

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

} // namespace

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

} // namespace ws::core
