// The tridiagonal model of the banded sampler (derivation in banded.h, drawTridiagonal): the
// Householder tridiagonalisation of H - cI carried out on the law, one row per step, with the
// spike part kept as an r-column matrix F in d = r + 1 slots.
#include "core/sampling/banded/banded.h"

#include "core/model/families.h"
#include "core/sampling/rng.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <cblas.h>
#include <lapacke.h>

// The lane-vector helpers below are internal and always inlined: the ABI note GCC gives for
// passing vectors wider than the baseline ISA does not concern them.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace ws::core {
namespace {

// Dot products keep kLanes partial sums, element i going to sum i mod kLanes, added up in a
// fixed order at the end. The kernel runs on native vectors of VW doubles (2 for SSE2, 4 for
// AVX2), kLanes / VW of them per group of kLanes rows, so every copy computes the same bits.
constexpr int kLanes = 8;

template <int VW> struct Vec
{
    typedef double D __attribute__((vector_size(sizeof(double) * VW)));
};

// A zero-filled array of doubles starting on a 64-byte boundary.
class Aligned
{
public:
    void assign(std::size_t count)
    {
        m_buf.assign(count + kLanes, 0.0);
        void* p = m_buf.data();
        std::size_t space = m_buf.size() * sizeof(double);
        m_data = static_cast<double*>(std::align(64, sizeof(double), p, space));
        if (!m_data) // cannot happen: kLanes spare doubles cover any misalignment
            throw std::logic_error("banded sampler: alignment failed");
    }
    double* data() { return m_data; }
    const double* data() const { return m_data; }
    double& operator[](std::size_t i) { return m_data[i]; }
    double operator[](std::size_t i) const { return m_data[i]; }

private:
    std::vector<double> m_buf;
    double* m_data = nullptr;
};

// The spike part Sigma = F Theta F^* of the matrix still to be reduced, in slot coordinates
// (slot 0 = the next pivot), and the vectors of one step. F is column-major d x r with leading
// dimension ld (d rounded up to whole lane groups; the padding rows stay zero). The imaginary
// parts are used only for complex noise.
struct SpikeState
{
    int d = 0, r = 0, ld = 0;
    Aligned fr, fi;            // F
    std::vector<double> theta; // theta_j - c, the nonzero ones
    Aligned sr, si;            // Sigma e_0 (slots 0..d-1): Sigma_00 and the column's head
    Aligned ur, ui;            // reflector u (slots 0..d-1)
};

template <int VW> [[gnu::always_inline]] inline typename Vec<VW>::D load(const double* p)
{
    return *reinterpret_cast<const typename Vec<VW>::D*>(p);
}
template <int VW> [[gnu::always_inline]] inline void store(double* p, typename Vec<VW>::D v)
{
    *reinterpret_cast<typename Vec<VW>::D*>(p) = v;
}

// The kLanes partial sums in w[0..M) (lane m * VW + v is w[m][v]), added in a fixed order.
template <int VW, int M> [[gnu::always_inline]] inline double lanesSum(const typename Vec<VW>::D* w)
{
    double p[kLanes];
    for (int m = 0; m < M; ++m)
        for (int v = 0; v < VW; ++v)
            p[m * VW + v] = w[m][v];
    return ((p[0] + p[4]) + (p[1] + p[5])) + ((p[2] + p[6]) + (p[3] + p[7]));
}

// Columns j0..j0+NB-1 of the reflection below: one pass for w = u^* F', one for the update and
// its share of Sigma' e_0.
template <bool Cplx, int NB, int VW>
[[gnu::always_inline]] inline void reflectColumns(SpikeState& st, int j0)
{
    using D = typename Vec<VW>::D;
    constexpr int M = kLanes / VW;
    const int ld = st.ld;
    const double* __restrict ur = st.ur.data();
    const double* __restrict ui = Cplx ? st.ui.data() : nullptr;
    double* __restrict sr = st.sr.data();
    double* __restrict si = Cplx ? st.si.data() : nullptr;
    double* fr[NB];
    double* fi[NB];
    for (int c = 0; c < NB; ++c) {
        const std::size_t off = static_cast<std::size_t>(j0 + c) * static_cast<std::size_t>(ld);
        fr[c] = st.fr.data() + off;
        fi[c] = Cplx ? st.fi.data() + off : nullptr;
        fr[c][0] = 0.0; // F': the old pivot leaves
        if constexpr (Cplx)
            fi[c][0] = 0.0;
    }
    // w_c = sum_i conj(u_i) F'(i, c)
    D wr[NB][M] = {}, wi[NB][M] = {};
    for (int i = 0; i < ld; i += kLanes)
        for (int m = 0; m < M; ++m) {
            const int at = i + m * VW;
            const D a = load<VW>(ur + at);
            if constexpr (Cplx) {
                const D b = load<VW>(ui + at);
                for (int c = 0; c < NB; ++c) {
                    const D x = load<VW>(fr[c] + at), y = load<VW>(fi[c] + at);
                    wr[c][m] += a * x + b * y;
                    wi[c][m] += a * y - b * x;
                }
            } else {
                for (int c = 0; c < NB; ++c)
                    wr[c][m] += a * load<VW>(fr[c] + at);
            }
        }
    // F(:, c) <- F'(:, c) - u a_c with a_c = 2 w_c; then Sigma' e_0 += F(:, c) z_c with
    // z_c = theta_c conj(F(0, c)), where F(0, c) = -u_0 a_c (u_0 is real).
    double ar[NB], ai[NB], zr[NB], zi[NB];
    for (int c = 0; c < NB; ++c) {
        const double th = st.theta[static_cast<std::size_t>(j0 + c)];
        ar[c] = 2.0 * lanesSum<VW, M>(wr[c]);
        ai[c] = Cplx ? 2.0 * lanesSum<VW, M>(wi[c]) : 0.0;
        zr[c] = th * -(ur[0] * ar[c]);
        zi[c] = Cplx ? th * (ur[0] * ai[c]) : 0.0;
    }
    for (int at = 0; at < ld; at += VW) {
        const D a = load<VW>(ur + at);
        D s = load<VW>(sr + at);
        if constexpr (Cplx) {
            const D b = load<VW>(ui + at);
            D t = load<VW>(si + at);
            for (int c = 0; c < NB; ++c) {
                const D x = load<VW>(fr[c] + at) - (a * ar[c] - b * ai[c]);
                const D y = load<VW>(fi[c] + at) - (a * ai[c] + b * ar[c]);
                store<VW>(fr[c] + at, x);
                store<VW>(fi[c] + at, y);
                s += x * zr[c] - y * zi[c];
                t += x * zi[c] + y * zr[c];
            }
            store<VW>(si + at, t);
        } else {
            for (int c = 0; c < NB; ++c) {
                const D x = load<VW>(fr[c] + at) - a * ar[c];
                store<VW>(fr[c] + at, x);
                s += x * zr[c];
            }
        }
        store<VW>(sr + at, s);
    }
}

// F <- V F' and s <- Sigma' e_0 for the reflected state, where F' is F with row 0 zeroed (the old
// pivot leaves), V = I - 2 u u^* and Sigma' = (V F') Theta (V F')^*. Columns in groups of NB
// (4 real, 2 complex: what the registers hold).
template <bool Cplx, int VW> [[gnu::always_inline]] inline void reflectBody(SpikeState& st)
{
    constexpr int NB = Cplx ? 2 : 4;
    const std::size_t ld = static_cast<std::size_t>(st.ld);
    std::fill(st.sr.data(), st.sr.data() + ld, 0.0);
    if constexpr (Cplx)
        std::fill(st.si.data(), st.si.data() + ld, 0.0);
    int j = 0;
    for (; j + NB <= st.r; j += NB)
        reflectColumns<Cplx, NB, VW>(st, j);
    for (; j < st.r; ++j)
        reflectColumns<Cplx, 1, VW>(st, j);
}

template <bool Cplx> void reflectPortable(SpikeState& st)
{
    reflectBody<Cplx, 2>(st);
}

#if defined(__x86_64__) || defined(__i386__)
// The same operations on wider registers (this file is compiled without floating-point
// contraction, so no fused multiply-add changes a rounding): the same bits.
template <bool Cplx> [[gnu::target("avx2")]] void reflectAvx2(SpikeState& st)
{
    reflectBody<Cplx, 4>(st);
}
template <bool Cplx> [[gnu::target("avx512f")]] void reflectAvx512(SpikeState& st)
{
    reflectBody<Cplx, 8>(st);
}
bool haveAvx2()
{
    static const bool yes = __builtin_cpu_supports("avx2");
    return yes;
}
bool haveAvx512()
{
    static const bool yes = __builtin_cpu_supports("avx512f");
    return yes;
}
#else
template <bool Cplx> void reflectAvx2(SpikeState& st)
{
    reflectBody<Cplx, 2>(st);
}
template <bool Cplx> void reflectAvx512(SpikeState& st)
{
    reflectBody<Cplx, 2>(st);
}
bool haveAvx2()
{
    return false;
}
bool haveAvx512()
{
    return false;
}
#endif

using ReflectFn = void (*)(SpikeState&);

ReflectFn pickReflect(bool cplx, bool portable)
{
    if (!portable && haveAvx512())
        return cplx ? &reflectAvx512<true> : &reflectAvx512<false>;
    if (!portable && haveAvx2())
        return cplx ? &reflectAvx2<true> : &reflectAvx2<false>;
    return cplx ? &reflectPortable<true> : &reflectPortable<false>;
}

// std::complex<double> and C's double _Complex share their layout (two doubles).
lapack_complex_double* asLapack(std::complex<double>* p)
{
    return reinterpret_cast<lapack_complex_double*>(p);
}

// Writes alpha_k (diagonal) and beta_k = |T(k, k+1)| into the kd = 1 band layout.
struct TridiagonalOut
{
    BandMatrix& h;
    void diag(int k, double a) { h.re[static_cast<std::size_t>(2 * k + 1)] = a; }
    void off(int k, double b) { h.re[static_cast<std::size_t>(2 * k + 2)] = b; }
};

// Sigma = F Theta F^* (d x d, column-major, leading dimension d) by one GEMM.
template <class T> std::vector<T> spikePart(const SpikeState& st, bool cplx)
{
    const std::size_t d = static_cast<std::size_t>(st.d), r = static_cast<std::size_t>(st.r);
    const std::size_t ld = static_cast<std::size_t>(st.ld);
    std::vector<T> f(d * r), g(d * r), sigma(d * d);
    for (std::size_t j = 0; j < r; ++j)
        for (std::size_t i = 0; i < d; ++i) {
            T v;
            if constexpr (std::is_same_v<T, double>)
                v = st.fr[j * ld + i];
            else
                v = T(st.fr[j * ld + i], cplx ? st.fi[j * ld + i] : 0.0);
            f[j * d + i] = v;
            g[j * d + i] = v * st.theta[j];
        }
    const int n = st.d, k = st.r;
    if constexpr (std::is_same_v<T, double>) {
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, n, n, k, 1.0, g.data(), n, f.data(), n,
                    0.0, sigma.data(), n);
    } else {
        const T one = 1.0, zero = 0.0;
        cblas_zgemm(CblasColMajor, CblasNoTrans, CblasConjTrans, n, n, k, &one, g.data(), n,
                    f.data(), n, &zero, sigma.data(), n);
    }
    return sigma;
}

// The last m = d rows: no noise-only coordinate is left, so s X + Sigma + c I is drawn densely
// (lower triangle, column by column) and reduced by LAPACK from slot 0 (uplo 'L' keeps e_0).
// O(d^2 r + d^3) once; BLAS on one thread, so that its rounding never depends on a thread count.
void denseFinish(const SpikeState& st, bool cplx, double scale, double c, Rng& rng, int k0,
                 TridiagonalOut& out)
{
    pinBlasToOneThread();
    const int d = st.d;
    const std::size_t dd = static_cast<std::size_t>(d);
    const double diagSd = cplx ? 1.0 : std::sqrt(2.0);
    const double offSd = cplx ? std::sqrt(0.5) : 1.0;
    std::vector<double> dv(dd), ev(std::max<std::size_t>(dd, 1));
    lapack_int info = 0;
    if (cplx) {
        std::vector<std::complex<double>> a = spikePart<std::complex<double>>(st, true);
        std::vector<std::complex<double>> tau(std::max<std::size_t>(dd, 1));
        for (std::size_t j = 0; j < dd; ++j) {
            a[j * dd + j] = scale * diagSd * rng.normal() + a[j * dd + j].real() + c;
            for (std::size_t i = j + 1; i < dd; ++i) {
                const double re = rng.normal();
                const double im = rng.normal();
                a[j * dd + i] += scale * offSd * std::complex<double>(re, im);
            }
        }
        info = LAPACKE_zhetrd(LAPACK_COL_MAJOR, 'L', d, asLapack(a.data()), d, dv.data(), ev.data(),
                              asLapack(tau.data()));
    } else {
        std::vector<double> a = spikePart<double>(st, false);
        std::vector<double> tau(std::max<std::size_t>(dd, 1));
        for (std::size_t j = 0; j < dd; ++j) {
            a[j * dd + j] = scale * diagSd * rng.normal() + a[j * dd + j] + c;
            for (std::size_t i = j + 1; i < dd; ++i)
                a[j * dd + i] += scale * offSd * rng.normal();
        }
        info =
            LAPACKE_dsytrd(LAPACK_COL_MAJOR, 'L', d, a.data(), d, dv.data(), ev.data(), tau.data());
    }
    if (info != 0)
        throw std::runtime_error("banded sampler: LAPACK tridiagonal reduction failed (info " +
                                 std::to_string(info) + ")");
    for (int i = 0; i < d; ++i) {
        out.diag(k0 + i, dv[static_cast<std::size_t>(i)]);
        if (i + 1 < d)
            out.off(k0 + i, std::abs(ev[static_cast<std::size_t>(i)]));
    }
}

} // namespace

std::optional<BandMatrix> drawTridiagonal(const Model& m, std::uint64_t seed, std::uint64_t k,
                                          const std::atomic<bool>* cancel, int dofOffset,
                                          bool portable)
{
    const std::string why = bandedInapplicableReason(m);
    if (!why.empty())
        throw InputError("sampler: " + why);
    if (m.n < 1 || !(m.sigma > 0.0))
        throw InputError("sampler: invalid model for the banded sampler");
    const int n = m.n;
    const bool cplx = m.noise.isComplex();
    const double beta = cplx ? 2.0 : 1.0;
    const double scale = m.sigma / std::sqrt(static_cast<double>(n));
    // GOE: diagonal N(0, 2), off-diagonal N(0, 1); GUE: diagonal N(0, 1), off-diagonal
    // (a + ib)/sqrt(2) (docs/model.md#noise-families).
    const double diagSd = cplx ? 1.0 : std::sqrt(2.0);
    const double offSd = cplx ? std::sqrt(0.5) : 1.0;
    const double chiScale = scale / std::sqrt(beta);
    const double c = bulkConstantOf(m);
    auto stop = [cancel] { return cancel && cancel->load(std::memory_order_relaxed); };

    // The spikes that differ from c (the others are part of c I); the first one is the start.
    const std::vector<double> all = spikeValues(m);
    const std::size_t rank = std::min(all.size(), static_cast<std::size_t>(n));
    SpikeState st;
    double start = c;
    for (std::size_t j = 0; j < rank; ++j)
        if (all[j] != c) {
            if (st.theta.empty())
                start = all[j];
            st.theta.push_back(all[j] - c);
        }
    st.r = static_cast<int>(st.theta.size());

    BandMatrix h;
    h.n = n;
    h.kd = n > 1 ? 1 : 0;
    h.re.assign(static_cast<std::size_t>(n) * static_cast<std::size_t>(h.kd + 1), 0.0);
    TridiagonalOut out{h};
    Rng rng(seed, k);

    if (st.r <= 1) {
        // Rank <= 1: F is gone after step 0 (e_0 is the spike's own vector), and every step is
        // Dumitriu-Edelman's: a normal on the diagonal, chi_{beta (m - 1)} below it. These are
        // the draws of drawBandMatrix with r = 1, in the same order.
        for (int j = 0; j < n; ++j) {
            if ((j & 0xffff) == 0 && stop())
                return std::nullopt;
            out.diag(j, scale * diagSd * rng.normal() + (j == 0 ? start : c));
            if (j + 1 < n) {
                const double dof = beta * static_cast<double>(n - j - 1) + dofOffset;
                out.off(j, chiScale * rng.chi(std::max(dof, 1.0)));
            }
        }
        return h;
    }

    // Slots 0..r-1 start as the spike coordinates (slot 0 the start), slot r as a noise-only
    // coordinate: F = [I_r; 0].
    st.d = std::min(st.r + 1, n);
    st.ld = (st.d + kLanes - 1) / kLanes * kLanes;
    const std::size_t ld = static_cast<std::size_t>(st.ld);
    st.fr.assign(ld * static_cast<std::size_t>(st.r));
    if (cplx)
        st.fi.assign(ld * static_cast<std::size_t>(st.r));
    for (int j = 0; j < std::min(st.r, st.d); ++j)
        st.fr[static_cast<std::size_t>(j) * ld + static_cast<std::size_t>(j)] = 1.0;
    st.sr.assign(ld);
    st.sr[0] = st.theta[0];
    st.ur.assign(ld);
    st.si.assign(ld);
    st.ui.assign(ld);
    std::vector<double> yr(ld, 0.0), yi(ld, 0.0);
    const ReflectFn reflect = pickReflect(cplx, portable);
    // About 2^22 multiply-adds (a few ms) between checks of the cancel flag.
    const int checkEvery = std::max(1, (1 << 22) / (st.d * st.r * (cplx ? 4 : 1)));

    int j = 0;
    for (; n - j >= st.d + 1; ++j) {
        if (j % checkEvery == 0 && stop())
            return std::nullopt;
        const int mRows = n - j; // rows still to reduce
        out.diag(j, scale * diagSd * rng.normal() + (j == 0 ? start : st.sr[0] + c));
        // The column below the pivot: its head (slots 1..d-1), then the norm of its noise-only
        // tail of mRows - d entries.
        double yy = 0.0;
        for (int i = 1; i < st.d; ++i) {
            const std::size_t ii = static_cast<std::size_t>(i);
            if (cplx) {
                const double a = rng.normal();
                const double b = rng.normal();
                yr[ii] = scale * offSd * a + st.sr[ii];
                yi[ii] = scale * offSd * b + st.si[ii];
                yy += yr[ii] * yr[ii] + yi[ii] * yi[ii];
            } else {
                yr[ii] = scale * offSd * rng.normal() + st.sr[ii];
                yy += yr[ii] * yr[ii];
            }
        }
        const double dof = beta * static_cast<double>(mRows - st.d) + dofOffset;
        const double tail = chiScale * rng.chi(std::max(dof, 1.0));
        const double b = std::sqrt(yy + tail * tail);
        out.off(j, b);
        // Next pivot v = (tail, y) / b; u = (e_0 - v) / |e_0 - v|, |e_0 - v|^2 = 2 (1 - tau),
        // with 1 - tau = (|y| / b)^2 / (1 + tau) free of cancellation.
        if (!(yy > 0.0)) {
            std::fill(st.ur.data(), st.ur.data() + ld, 0.0); // v = e_0: V = I
            std::fill(st.ui.data(), st.ui.data() + ld, 0.0);
        } else {
            const double tau = tail / b;
            const double omt = yy / (b * b) / (1.0 + tau);
            const double nrm = std::sqrt(2.0 * omt);
            st.ur[0] = omt / nrm;
            const double f = -1.0 / (b * nrm);
            for (int i = 1; i < st.d; ++i) {
                st.ur[static_cast<std::size_t>(i)] = yr[static_cast<std::size_t>(i)] * f;
                if (cplx)
                    st.ui[static_cast<std::size_t>(i)] = yi[static_cast<std::size_t>(i)] * f;
            }
        }
        reflect(st);
    }
    if (stop())
        return std::nullopt;
    denseFinish(st, cplx, scale, c, rng, j, out);
    return h;
}

} // namespace ws::core
