// The SIMD kernels of the inertia counts (see inertia_kernels.h and banded_inertia.cpp).
#include "core/sampling/banded/inertia_kernels.h"

#include <cmath>
#include <cstring>

// The lane-vector helpers below are internal and always inlined: the ABI note GCC gives for
// passing vectors wider than the baseline ISA does not concern them.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace ws::core::inertia {
namespace {

// A lane vector of VW doubles, the target's native SIMD width (4 for AVX2, 2 for SSE2): GCC
// compiles compares and selects on native widths to blends, but scalarizes them on wider ones.
// A kernel call factors L = VW * M shifts: M such vectors per matrix entry.
template <int VW> struct Lanes
{
    typedef double D __attribute__((vector_size(sizeof(double) * VW)));
    typedef long long I __attribute__((vector_size(sizeof(long long) * VW)));
};

template <int VW> [[gnu::always_inline]] inline typename Lanes<VW>::D splat(double v)
{
    typename Lanes<VW>::D r = {};
    return r + v;
}

template <int VW, int M>
[[gnu::always_inline]] inline void loadShifts(const double* x, typename Lanes<VW>::D* out)
{
    for (int m = 0; m < M; ++m)
        std::memcpy(&out[m], x + m * VW, sizeof out[m]);
}

// Real symmetric tridiagonal: the Sturm sequence q_j = (d_j - x) - e_{j-1}^2 / q_{j-1}, with
// tiny q replaced by -pivMin (Kahan; as LAPACK dstebz). Backward stable, so nothing is flagged.
template <int VW, int M> [[gnu::always_inline]] inline unsigned tridiagBody(const KernelArgs& a)
{
    using D = typename Lanes<VW>::D;
    using I = typename Lanes<VW>::I;
    const double* ab = a.h->re.data(); // ab[2j + 1] = d_j, ab[2j] = e_{j-1} = H(j-1, j)
    const D zero = splat<VW>(0.0);
    const D pivMin = splat<VW>(a.pivMin);
    D x[M], q[M];
    I cnt[M];
    loadShifts<VW, M>(a.x, x);
    int j = a.begin;
    if (j == 0) {
        for (int m = 0; m < M; ++m) {
            D t = ab[1] - x[m];
            t = ((t < pivMin) & (t > -pivMin)) ? -pivMin : t;
            q[m] = t;
            cnt[m] = -(t < zero);
        }
        j = 1;
    } else {
        loadShifts<VW, M>(a.q, q);
        for (int m = 0; m < M; ++m)
            for (int v = 0; v < VW; ++v)
                cnt[m][v] = static_cast<long long>(a.cnt[m * VW + v]);
    }
    for (; j < a.end; ++j) {
        const double e = ab[2 * j];
        const double e2 = e * e;
        const double d = ab[2 * j + 1];
        for (int m = 0; m < M; ++m) {
            D t = (d - x[m]) - e2 / q[m];
            t = ((t < pivMin) & (t > -pivMin)) ? -pivMin : t;
            q[m] = t;
            cnt[m] -= (t < zero);
        }
    }
    for (int m = 0; m < M; ++m) {
        std::memcpy(a.q + m * VW, &q[m], sizeof q[m]);
        for (int v = 0; v < VW; ++v)
            a.cnt[m * VW + v] = static_cast<double>(cnt[m][v]);
    }
    return 0;
}

// General band, real or complex. A (kd+1) x (kd+1) window holds the current Schur complement
// rows k..k+kd (lower triangle, column-major, M lane vectors per entry). Eliminating pivot k
// updates the window and shifts it up-left by one in place; row k+kd+1 of H enters untouched
// (pivot k has no entry in it).
template <bool Cplx, int VW, int M>
[[gnu::always_inline]] inline unsigned bandBody(const KernelArgs& a)
{
    using D = typename Lanes<VW>::D;
    using I = typename Lanes<VW>::I;
    const BandMatrix& h = *a.h;
    const int n = h.n;
    const int kd = h.kd;
    const int w = kd + 1;
    const std::size_t ww = static_cast<std::size_t>(w) * static_cast<std::size_t>(w);
    // a.buf is aligned for D (Counter allocates it so). Entry e, vector m is at [e * M + m].
    D* __restrict wr = reinterpret_cast<D*>(a.buf);
    D* __restrict wi = wr + ww * M; // used only if Cplx
    D* __restrict lr = wr + (Cplx ? 2 : 1) * ww * M;
    D* __restrict li = lr + static_cast<std::size_t>(w) * M;
    D* __restrict tr = li + static_cast<std::size_t>(w) * M;
    D* __restrict ti = tr + static_cast<std::size_t>(w) * M;
    const double* re = h.re.data();
    const double* im = Cplx ? h.im.data() : nullptr;
    auto at = [w](int i, int jj) {
        return (static_cast<std::size_t>(jj) * static_cast<std::size_t>(w) +
                static_cast<std::size_t>(i)) *
               M;
    };
    const D zero = splat<VW>(0.0);
    const D one = splat<VW>(1.0);
    const D pivMin = splat<VW>(a.pivMin);
    const D growthTol = splat<VW>(a.growthTol);
    D x[M], inv[M], ad[M], big[M];
    I cnt[M], flag[M];
    loadShifts<VW, M>(a.x, x);
    for (int m = 0; m < M; ++m) {
        cnt[m] = zero < zero; // all false
        flag[m] = cnt[m];
    }

    // Window at k = 0: H(0..kd, 0..kd); rows past n are padding with a positive unit pivot.
    for (int jj = 0; jj <= kd; ++jj) {
        for (int i = jj; i <= kd; ++i) {
            double vr = 0.0, vi = 0.0;
            if (i < n) {
                const std::size_t idx = h.index(jj, i); // H(i, jj) = conj(H(jj, i))
                vr = re[idx];
                vi = Cplx ? -im[idx] : 0.0;
            } else if (i == jj) {
                vr = 1.0;
            }
            for (int m = 0; m < M; ++m) {
                wr[at(i, jj) + m] = (i == jj && i < n) ? vr - x[m] : splat<VW>(vr);
                if constexpr (Cplx)
                    wi[at(i, jj) + m] = splat<VW>(i == jj ? 0.0 : vi);
            }
        }
    }

    for (int k = 0; k < n; ++k) {
        for (int m = 0; m < M; ++m) {
            D d = wr[m];
            ad[m] = d < zero ? -d : d;
            d = ad[m] < pivMin ? -pivMin : d;
            cnt[m] -= (d < zero);
            inv[m] = one / d;
            big[m] = zero;
        }
        // Column 0 (the multipliers times d) is overwritten by the shift: keep it.
        for (int i = 1; i <= kd; ++i) {
            const std::size_t s = static_cast<std::size_t>(i) * M;
            for (int m = 0; m < M; ++m) {
                const D v = wr[s + m];
                lr[s + m] = v;
                tr[s + m] = v * inv[m];
                D m2 = v * v;
                if constexpr (Cplx) {
                    const D u = wi[s + m];
                    li[s + m] = u;
                    ti[s + m] = -u * inv[m]; // conj(l_i) / d
                    m2 += u * u;
                }
                big[m] = m2 > big[m] ? m2 : big[m];
            }
        }
        // Growth of this step's update |l|^2 / |d| beyond growthTol: flag the lane. (A small
        // pivot with nothing left to update, e.g. the last one near an eigenvalue, is harmless.)
        for (int m = 0; m < M; ++m)
            flag[m] |= (big[m] > growthTol * ad[m]);
        // W(i-1, jj-1) = W(i, jj) - l_i conj(l_jj) / d, 1 <= jj <= i <= kd. Ascending jj and i
        // never overwrite a value still to be read.
        for (int jj = 1; jj <= kd; ++jj) {
            D tjr[M], tji[M];
            for (int m = 0; m < M; ++m) {
                tjr[m] = tr[static_cast<std::size_t>(jj) * M + m];
                if constexpr (Cplx)
                    tji[m] = ti[static_cast<std::size_t>(jj) * M + m];
            }
            D* __restrict dr = wr + at(jj - 1, jj - 1);
            const D* __restrict sr = wr + at(jj, jj);
            const D* __restrict lri = lr + static_cast<std::size_t>(jj) * M;
            const int len = (kd - jj + 1) * M;
            if constexpr (Cplx) {
                D* __restrict di = wi + at(jj - 1, jj - 1);
                const D* __restrict si = wi + at(jj, jj);
                const D* __restrict lii = li + static_cast<std::size_t>(jj) * M;
                for (int e = 0; e < len; e += M)
                    for (int m = 0; m < M; ++m) {
                        const D pr = lri[e + m] * tjr[m] - lii[e + m] * tji[m];
                        const D pi = lri[e + m] * tji[m] + lii[e + m] * tjr[m];
                        dr[e + m] = sr[e + m] - pr;
                        di[e + m] = si[e + m] - pi;
                    }
            } else {
                for (int e = 0; e < len; e += M)
                    for (int m = 0; m < M; ++m)
                        dr[e + m] = sr[e + m] - lri[e + m] * tjr[m];
            }
        }
        // Row k + kd + 1 of H enters as the last window row: it is column g of the upper band
        // storage, conjugated.
        const int g = k + w;
        if (g < n) {
            const std::size_t col = static_cast<std::size_t>(g) * static_cast<std::size_t>(w);
            for (int jj = 0; jj < kd; ++jj) {
                const D vr = splat<VW>(re[col + static_cast<std::size_t>(jj)]);
                const D vi = splat<VW>(Cplx ? -im[col + static_cast<std::size_t>(jj)] : 0.0);
                for (int m = 0; m < M; ++m) {
                    wr[at(kd, jj) + m] = vr;
                    if constexpr (Cplx)
                        wi[at(kd, jj) + m] = vi;
                }
            }
            const double dg = re[col + static_cast<std::size_t>(kd)];
            for (int m = 0; m < M; ++m) {
                wr[at(kd, kd) + m] = dg - x[m];
                if constexpr (Cplx)
                    wi[at(kd, kd) + m] = zero;
            }
        } else {
            for (int jj = 0; jj <= kd; ++jj)
                for (int m = 0; m < M; ++m) {
                    wr[at(kd, jj) + m] = jj == kd ? one : zero;
                    if constexpr (Cplx)
                        wi[at(kd, jj) + m] = zero;
                }
        }
    }
    unsigned mask = 0;
    for (int m = 0; m < M; ++m)
        for (int v = 0; v < VW; ++v) {
            a.cnt[m * VW + v] = static_cast<double>(cnt[m][v]);
            if (flag[m][v] != 0)
                mask |= 1u << (m * VW + v);
        }
    return mask;
}

// Portable (SSE2, 2 doubles per vector) and AVX2+FMA (4 per vector) instantiations of the
// always_inline bodies; the caller picks one at run time.
template <int L> unsigned tridiagGeneric(const KernelArgs& a)
{
    return tridiagBody<2, L / 2>(a);
}
template <bool Cplx, int L> unsigned bandGeneric(const KernelArgs& a)
{
    if constexpr (L == 1)
        return bandBody<Cplx, 1, 1>(a);
    else
        return bandBody<Cplx, 2, L / 2>(a);
}

#if defined(__x86_64__) || defined(__i386__)
template <int L> [[gnu::target("avx2,fma")]] unsigned tridiagAvx2(const KernelArgs& a)
{
    return tridiagBody<4, L / 4>(a);
}
template <bool Cplx, int L> [[gnu::target("avx2,fma")]] unsigned bandAvx2(const KernelArgs& a)
{
    if constexpr (L == 1)
        return bandBody<Cplx, 1, 1>(a);
    else
        return bandBody<Cplx, 4, L / 4>(a);
}
#else
// Not x86: the portable kernels only (the "AVX2" names alias them).
template <int L> unsigned tridiagAvx2(const KernelArgs& a)
{
    return tridiagGeneric<L>(a);
}
template <bool Cplx, int L> unsigned bandAvx2(const KernelArgs& a)
{
    return bandGeneric<Cplx, L>(a);
}
#endif

constexpr int kTridiagLanes = 16;

} // namespace

bool haveAvx2()
{
#if defined(__x86_64__) || defined(__i386__)
    static const bool yes = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return yes;
#else
    return false;
#endif
}

// Lanes per kernel call: as many as keep the window in L1 (about 48 KiB).
int lanesFor(const BandMatrix& h)
{
    if (!h.isComplex() && h.kd == 1)
        return kTridiagLanes;
    const std::size_t w = static_cast<std::size_t>(h.kd) + 1;
    const std::size_t perLane = w * w * (h.isComplex() ? 2 : 1) * sizeof(double);
    if (perLane * 8 <= 48 * 1024)
        return 8;
    if (perLane * 4 <= 64 * 1024)
        return 4;
    return 1;
}

KernelFn pickKernel(const BandMatrix& h, int lanes, bool avx)
{
    if (!h.isComplex() && h.kd == 1)
        return avx ? &tridiagAvx2<kTridiagLanes> : &tridiagGeneric<kTridiagLanes>;
    if (h.isComplex()) {
        if (lanes == 8)
            return avx ? &bandAvx2<true, 8> : &bandGeneric<true, 8>;
        if (lanes == 4)
            return avx ? &bandAvx2<true, 4> : &bandGeneric<true, 4>;
        return avx ? &bandAvx2<true, 1> : &bandGeneric<true, 1>;
    }
    if (lanes == 8)
        return avx ? &bandAvx2<false, 8> : &bandGeneric<false, 8>;
    if (lanes == 4)
        return avx ? &bandAvx2<false, 4> : &bandGeneric<false, 4>;
    return avx ? &bandAvx2<false, 1> : &bandGeneric<false, 1>;
}

} // namespace ws::core::inertia
