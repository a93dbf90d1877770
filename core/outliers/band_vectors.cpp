// Eigenvectors of a band matrix by inverse iteration (see overlap.h, bandEigenvectors): the
// overlap solver's banded path, which never forms an N x N matrix.
#include "core/outliers/overlap.h"

#include "core/outliers/overlap_internal.h"
#include "core/sampling/banded/banded.h"
#include "core/sampling/rng.h"

// LAPACKE's complex type is std::complex<double> in this file (not C's double _Complex).
#define lapack_complex_float std::complex<float>
#define lapack_complex_double std::complex<double>
#include <lapacke.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <type_traits>

namespace ws::core {

using namespace overlaps;

namespace {

double norm2(const cplx* x, int n)
{
    double s = 0.0;
    for (int i = 0; i < n; ++i)
        s += std::norm(x[i]);
    return s;
}

// Inverse iteration on a general band LU (kl = ku = kd), templated over real / complex.
template <class T> T conjOf(T x)
{
    if constexpr (std::is_same_v<T, double>)
        return x;
    else
        return std::conj(x);
}

lapack_int gbtrf(int n, int kd, double* ab, int ldab, lapack_int* ipiv)
{
    return LAPACKE_dgbtrf_work(LAPACK_COL_MAJOR, n, n, kd, kd, ab, ldab, ipiv);
}
lapack_int gbtrf(int n, int kd, cplx* ab, int ldab, lapack_int* ipiv)
{
    return LAPACKE_zgbtrf_work(LAPACK_COL_MAJOR, n, n, kd, kd, ab, ldab, ipiv);
}
lapack_int gbtrs(int n, int kd, const double* ab, int ldab, const lapack_int* ipiv, double* x)
{
    return LAPACKE_dgbtrs_work(LAPACK_COL_MAJOR, 'N', n, kd, kd, 1, ab, ldab, ipiv, x, n);
}
lapack_int gbtrs(int n, int kd, const cplx* ab, int ldab, const lapack_int* ipiv, cplx* x)
{
    return LAPACKE_zgbtrs_work(LAPACK_COL_MAJOR, 'N', n, kd, kd, 1, ab, ldab, ipiv, x, n);
}

template <class T>
std::vector<cplx> bandInverseIteration(const BandMatrix& h, const std::vector<double>& lambdas)
{
    const int n = h.n;
    const int kd = std::max(h.kd, 1); // LAPACK's band routines need kd >= 0; 1 keeps it uniform
    const int ldab = 3 * kd + 1;
    const Interval g = gershgorinBounds(h);
    const double scale = std::max({std::abs(g.lo), std::abs(g.hi), 1e-300});
    auto elem = [&](int i, int j) -> T { // H(i, j), |i - j| <= h.kd
        if (std::abs(i - j) > h.kd)
            return T(0.0);
        const int a = std::min(i, j), b = std::max(i, j);
        const std::size_t idx = h.index(a, b);
        T v;
        if constexpr (std::is_same_v<T, double>)
            v = h.re[idx];
        else
            v = T(h.re[idx], h.isComplex() ? h.im[idx] : 0.0);
        return i <= j ? v : conjOf(v);
    };
    std::vector<T> base(static_cast<std::size_t>(ldab) * static_cast<std::size_t>(n), T(0.0));
    for (int j = 0; j < n; ++j)
        for (int i = std::max(0, j - kd); i <= std::min(n - 1, j + kd); ++i)
            base[static_cast<std::size_t>(2 * kd + i - j) +
                 static_cast<std::size_t>(j) * static_cast<std::size_t>(ldab)] = elem(i, j);

    std::vector<cplx> vectors(static_cast<std::size_t>(n) * lambdas.size());
    std::vector<T> ab(base.size());
    std::vector<lapack_int> ipiv(static_cast<std::size_t>(n));
    std::vector<T> x(static_cast<std::size_t>(n));
    const double eps = std::numeric_limits<double>::epsilon();
    for (std::size_t q = 0; q < lambdas.size(); ++q) {
        double shift = lambdas[q];
        lapack_int info = 1;
        for (int attempt = 0; attempt < 4 && info != 0; ++attempt) {
            ab = base;
            for (int j = 0; j < n; ++j)
                ab[static_cast<std::size_t>(2 * kd) +
                   static_cast<std::size_t>(j) * static_cast<std::size_t>(ldab)] -= shift;
            info = gbtrf(n, kd, ab.data(), ldab, ipiv.data());
            if (info > 0) // an exactly singular pivot: move the shift by a few ulps of ||H||
                shift += 4.0 * eps * scale * (attempt + 1);
            else if (info < 0)
                checkInfo(info, "gbtrf");
        }
        checkInfo(info, "gbtrf (singular after perturbation)");
        // A fixed start vector with components of every sign (the same for every sample).
        Rng start(0x0ddba11, q);
        for (auto& v : x)
            v = T(start.uniform01() - 0.5);
        cplx* out = vectors.data() + q * static_cast<std::size_t>(n);
        for (int it = 0; it < 3; ++it) {
            checkInfo(gbtrs(n, kd, ab.data(), ldab, ipiv.data(), x.data()), "gbtrs");
            for (int i = 0; i < n; ++i)
                out[i] = cplx(x[static_cast<std::size_t>(i)]);
            // Orthogonalize against earlier vectors of close eigenvalues (a cluster, e.g. a
            // group of equal spikes), twice for stability, as LAPACK's dstein does.
            for (int pass = 0; pass < 2; ++pass)
                for (std::size_t p = 0; p < q; ++p) {
                    if (std::abs(lambdas[p] - lambdas[q]) > 1e-3 * scale)
                        continue;
                    const cplx* u = vectors.data() + p * static_cast<std::size_t>(n);
                    cplx dot = 0.0;
                    for (int i = 0; i < n; ++i)
                        dot += std::conj(u[i]) * out[i];
                    for (int i = 0; i < n; ++i)
                        out[i] -= dot * u[i];
                }
            const double nrm = std::sqrt(norm2(out, n));
            if (!(nrm > 0.0) || !std::isfinite(nrm))
                throw std::runtime_error("overlaps: inverse iteration failed");
            for (int i = 0; i < n; ++i) {
                out[i] /= nrm;
                if constexpr (std::is_same_v<T, double>)
                    x[static_cast<std::size_t>(i)] = out[i].real();
                else
                    x[static_cast<std::size_t>(i)] = out[i];
            }
        }
    }
    return vectors;
}

} // namespace

std::vector<cplx> bandEigenvectors(const BandMatrix& h, const std::vector<double>& eigenvalues)
{
    if (h.isComplex())
        return bandInverseIteration<cplx>(h, eigenvalues);
    return bandInverseIteration<double>(h, eigenvalues);
}

} // namespace ws::core
