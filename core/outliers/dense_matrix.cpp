// The dense H of one sample, as the dense sampler builds it (see overlap.h, denseMatrixReal, and
// overlap_internal.h): the overlap solver's dense path factors this matrix.
#include "core/outliers/overlap.h"

#include "core/model/families.h"
#include "core/outliers/overlap_internal.h"
#include "core/sampling/rng.h"
#include "core/sampling/sampler.h"

// LAPACKE's complex type is std::complex<double> in this file (not C's double _Complex).
#define lapack_complex_float std::complex<float>
#define lapack_complex_double std::complex<double>
#include <cblas.h>

#include <cmath>
#include <type_traits>

namespace ws::core {

namespace overlaps {

// S = O diag(spec) O^H for the N x N column-major O.
template <class T>
std::vector<T> signalProduct(const std::vector<T>& o, const std::vector<double>& spec, int n)
{
    std::vector<T> os(o);
    for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i)
            os[at(i, j, n)] *= spec[static_cast<std::size_t>(j)];
    std::vector<T> s(sq(n));
    if constexpr (std::is_same_v<T, double>) {
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, n, n, n, 1.0, os.data(), n, o.data(),
                    n, 0.0, s.data(), n);
    } else {
        const cplx one(1.0, 0.0), zero(0.0, 0.0);
        cblas_zgemm(CblasColMajor, CblasNoTrans, CblasConjTrans, n, n, n, &one, os.data(), n,
                    o.data(), n, &zero, s.data(), n);
    }
    return s;
}

DenseSignal denseSignal(const Model& m, std::uint64_t seed)
{
    DenseSignal sig;
    const std::vector<double> spec = signalSpectrum(m);
    if (m.eigvecs == Eigvecs::Basis) {
        sig.diag = spec;
    } else if (m.noise.isComplex()) {
        sig.oc = haarUnitary(m.n, seed);
        sig.sc = signalProduct(sig.oc, spec, m.n);
    } else {
        sig.o = haarOrthogonal(m.n, seed);
        sig.s = signalProduct(sig.o, spec, m.n);
    }
    return sig;
}

namespace {

template <class T>
void buildLowerOf(const Model& m, std::uint64_t seed, std::uint64_t k, const DenseSignal& sig,
                  std::vector<T>& a)
{
    constexpr bool real = std::is_same_v<T, double>;
    const std::vector<double>& diag = sig.diag;
    const std::vector<T>* signal = nullptr;
    if constexpr (real)
        signal = &sig.s;
    else
        signal = &sig.sc;
    const std::vector<T>& s = *signal;
    const int n = m.n;
    a.resize(sq(n));
    Rng rng(seed, k);
    if constexpr (real)
        fillNoiseReal(m.noise, n, rng, a.data());
    else
        fillNoiseComplex(m.noise, n, rng, a.data());
    const double scale = m.sigma / std::sqrt(static_cast<double>(n));
    for (int j = 0; j < n; ++j) {
        for (int i = j; i < n; ++i) {
            T v = scale * a[at(i, j, n)];
            if (!s.empty())
                v += s[at(i, j, n)];
            a[at(i, j, n)] = v;
        }
        if constexpr (!real) // a Hermitian diagonal is real
            a[at(j, j, n)] = cplx(a[at(j, j, n)].real(), 0.0);
        if (!diag.empty())
            a[at(j, j, n)] += diag[static_cast<std::size_t>(j)];
    }
}

// The upper triangle from the lower one: H(j, i) = conj(H(i, j)).
template <class T> void mirror(std::vector<T>& a, int n)
{
    for (int j = 0; j < n; ++j)
        for (int i = j + 1; i < n; ++i) {
            if constexpr (std::is_same_v<T, double>)
                a[at(j, i, n)] = a[at(i, j, n)];
            else
                a[at(j, i, n)] = std::conj(a[at(i, j, n)]);
        }
}

} // namespace

void buildLower(const Model& m, std::uint64_t seed, std::uint64_t k, const DenseSignal& sig,
                std::vector<double>& a)
{
    buildLowerOf(m, seed, k, sig, a);
}

void buildLower(const Model& m, std::uint64_t seed, std::uint64_t k, const DenseSignal& sig,
                std::vector<cplx>& a)
{
    buildLowerOf(m, seed, k, sig, a);
}

} // namespace overlaps

using namespace overlaps;

namespace {

template <class T> std::vector<T> denseMatrix(const Model& m, std::uint64_t seed, std::uint64_t k)
{
    pinBlasToOneThread();
    std::vector<T> a;
    buildLower(m, seed, k, denseSignal(m, seed), a);
    mirror(a, m.n);
    return a;
}

} // namespace

std::vector<double> denseMatrixReal(const Model& m, std::uint64_t seed, std::uint64_t k)
{
    validate(m);
    if (m.noise.isComplex())
        throw InputError("noise", "complex noise gives a complex matrix (use denseMatrixComplex)");
    return denseMatrix<double>(m, seed, k);
}

std::vector<cplx> denseMatrixComplex(const Model& m, std::uint64_t seed, std::uint64_t k)
{
    validate(m);
    if (!m.noise.isComplex())
        throw InputError("noise", "only complex noise gives a complex matrix");
    return denseMatrix<cplx>(m, seed, k);
}

} // namespace ws::core
