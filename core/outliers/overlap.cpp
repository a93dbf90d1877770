// Squared eigenvector overlaps of the outliers (see overlap.h).
#include "core/outliers/overlap.h"

#include "core/sampling/banded/banded.h"
#include "core/model/families.h"
#include "core/util/largest_fit.h"
#include "core/outliers/outliers.h"
#include "core/outliers/window.h"
#include "core/sampling/rng.h"
#include "core/sampling/run_setup.h"
#include "core/sampling/sample_loop.h"
#include "core/sampling/sampler.h"
#include "core/sampling/sampler_plan.h"
#include "core/util/bytes.h"

#include <complex>
// LAPACKE's complex type is std::complex<double> in this file (not C's double _Complex).
#define lapack_complex_float std::complex<float>
#define lapack_complex_double std::complex<double>
#include <lapacke.h>
#include <cblas.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>

namespace ws::core {

using cplx = std::complex<double>;

namespace {

std::size_t sq(int n)
{
    return static_cast<std::size_t>(n) * static_cast<std::size_t>(n);
}

std::size_t at(int i, int j, int n)
{
    return static_cast<std::size_t>(j) * static_cast<std::size_t>(n) + static_cast<std::size_t>(i);
}

// observeOutliers' matching (outliers.cpp): positive spikes largest first, negative ones most
// negative first, consecutive equal thetas form one group.
struct Matching
{
    std::vector<std::vector<std::size_t>> up, down; // spike indices per group, matching order
    int top = 0, bottom = 0;                        // eigenvalues needed from each end
};

Matching matchingOf(const Theory& t)
{
    const SpikeGroups g = matchSpikeGroups(t);
    Matching m;
    m.up = g.up;
    m.down = g.down;
    for (const auto& group : g.up)
        m.top += static_cast<int>(group.size());
    for (const auto& group : g.down)
        m.bottom += static_cast<int>(group.size());
    return m;
}

void checkInfo(lapack_int info, const char* routine)
{
    if (info != 0)
        throw std::runtime_error(std::string("overlaps: LAPACK ") + routine +
                                 " failed, info = " + std::to_string(info));
}

// Eigenpairs il..iu (1-based, ascending) of the Hermitian matrix whose lower triangle is in `a`
// (destroyed). Values ascending; vectors column-major n x (iu - il + 1), as complex.
void eigenpairs(int n, double* a, int il, int iu, std::vector<double>& w, std::vector<cplx>& z)
{
    const int k = iu - il + 1;
    std::vector<double> wv(static_cast<std::size_t>(n));
    std::vector<double> zv(static_cast<std::size_t>(n) * static_cast<std::size_t>(k));
    std::vector<lapack_int> isuppz(2 * static_cast<std::size_t>(k));
    lapack_int found = 0;
    checkInfo(LAPACKE_dsyevr(LAPACK_COL_MAJOR, 'V', 'I', 'L', n, a, n, 0.0, 0.0, il, iu, 0.0,
                             &found, wv.data(), zv.data(), n, isuppz.data()),
              "dsyevr");
    w.assign(wv.begin(), wv.begin() + found);
    z.assign(zv.begin(), zv.begin() + static_cast<std::ptrdiff_t>(found) * n);
}

void eigenpairs(int n, cplx* a, int il, int iu, std::vector<double>& w, std::vector<cplx>& z)
{
    const int k = iu - il + 1;
    std::vector<double> wv(static_cast<std::size_t>(n));
    z.assign(static_cast<std::size_t>(n) * static_cast<std::size_t>(k), cplx());
    std::vector<lapack_int> isuppz(2 * static_cast<std::size_t>(k));
    lapack_int found = 0;
    checkInfo(LAPACKE_zheevr(LAPACK_COL_MAJOR, 'V', 'I', 'L', n, a, n, 0.0, 0.0, il, iu, 0.0,
                             &found, wv.data(), z.data(), n, isuppz.data()),
              "zheevr");
    w.assign(wv.begin(), wv.begin() + found);
    z.resize(static_cast<std::size_t>(found) * static_cast<std::size_t>(n));
}

// Top `top` (descending) and bottom `bottom` (ascending) eigenpairs of a dense lower triangle.
template <class T>
void extremePairs(int n, std::vector<T>& a, int top, int bottom, std::vector<double>& wTop,
                  std::vector<cplx>& zTop, std::vector<double>& wBot, std::vector<cplx>& zBot)
{
    top = std::min(top, n);
    bottom = std::min(bottom, n);
    std::vector<T> copy;
    if (top > 0 && bottom > 0)
        copy = a;
    if (top > 0) {
        std::vector<double> w;
        std::vector<cplx> z;
        eigenpairs(n, a.data(), n - top + 1, n, w, z);
        const int k = static_cast<int>(w.size());
        wTop.assign(w.rbegin(), w.rend());
        zTop.resize(z.size());
        for (int q = 0; q < k; ++q) // reverse the column order: largest first
            std::copy_n(z.begin() + static_cast<std::ptrdiff_t>(k - 1 - q) * n, n,
                        zTop.begin() + static_cast<std::ptrdiff_t>(q) * n);
    }
    if (bottom > 0)
        eigenpairs(n, top > 0 ? copy.data() : a.data(), 1, bottom, wBot, zBot);
}

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

// The band matrix as a dense lower triangle (for bandwidths where a dense solve is cheaper).
template <class T> std::vector<T> bandToDense(const BandMatrix& h)
{
    const int n = h.n;
    std::vector<T> a(sq(n), T(0.0));
    for (int j = 0; j < n; ++j)
        for (int i = j; i <= std::min(n - 1, j + h.kd); ++i) {
            const std::size_t idx = h.index(j, i); // upper element H(j, i); lower = conj
            if constexpr (std::is_same_v<T, double>)
                a[at(i, j, n)] = h.re[idx];
            else
                a[at(i, j, n)] = std::conj(cplx(h.re[idx], h.isComplex() ? h.im[idx] : 0.0));
        }
    return a;
}

// The signal part of H, shared by every sample of a (model, seed): S's diagonal for basis
// eigenvectors, else the Haar O (the spikes' eigenvectors, for the overlaps) and S = O diag(s) O^H
// as one dense N x N product. The dense sampler builds S from the first r columns of O when the
// bulk is constant (dense_sampler.cpp), so its S differs from this one in the last bits only.
struct DenseSignal
{
    std::vector<double> diag; // basis: s
    std::vector<double> o, s; // haar, real noise: O and S
    std::vector<cplx> oc, sc; // haar, complex noise
};

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

// O from the stream (seed, Rng::kHaarStream), as the sampler draws it. Needs pinBlasToOneThread().
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

} // namespace

struct OverlapSolver::Impl
{
    Matching match;
    std::size_t spikes = 0; // theory.outliers.size()
    double edgeLo = 0.0, edgeHi = 0.0;
    DenseSignal signal; // dense runs with outliers to match only
};

OverlapSolver::OverlapSolver(const Model& m, const Theory& theory, std::uint64_t seed, bool banded)
    : m_model(m), m_seed(seed), m_banded(banded), m_impl(std::make_unique<Impl>())
{
    validate(m);
    if (banded) {
        const std::string why = bandedInapplicableReason(m);
        if (!why.empty())
            throw InputError("sampler", why);
    }
    m_impl->match = matchingOf(theory);
    m_impl->spikes = theory.outliers.size();
    m_top = m_impl->match.top;
    m_bottom = m_impl->match.bottom;
    const WidenedBulk edges = widenedMainBulk(theory, m.sigma, m.n);
    m_impl->edgeLo = edges.lo;
    m_impl->edgeHi = edges.hi;
    if (banded || (m_top == 0 && m_bottom == 0))
        return;
    pinBlasToOneThread();
    m_impl->signal = denseSignal(m, seed);
}

OverlapSolver::~OverlapSolver() = default;

std::size_t OverlapSolver::peakBytes(int concurrency) const
{
    const int n = m_model.n;
    const std::size_t elem = m_model.noise.isComplex() ? sizeof(cplx) : sizeof(double);
    const std::size_t k = static_cast<std::size_t>(m_top + m_bottom);
    const std::size_t c = static_cast<std::size_t>(std::max(concurrency, 1));
    if (m_banded) {
        const std::size_t kd = static_cast<std::size_t>(bandWidthOf(m_model) + 1);
        const std::size_t perSample =
            (5 * kd + 2) * static_cast<std::size_t>(n) * sizeof(cplx) + k * n * sizeof(cplx);
        return c * std::max(perSample, sq(n) * elem * 2 + k * n * sizeof(cplx));
    }
    // H (and a copy when both ends are needed), the vectors and LAPACK's O(N) workspace; shared
    // O and S for haar (3 N^2 while S is built).
    const std::size_t perSample = sq(n) * elem * (m_top > 0 && m_bottom > 0 ? 2 : 1) +
                                  k * n * sizeof(cplx) + 40 * static_cast<std::size_t>(n) * 8;
    const std::size_t shared = m_model.eigvecs == Eigvecs::Haar ? 3 * sq(n) * elem : 0;
    return c * perSample + shared;
}

namespace {

// Lower triangle of H for sample k, as the dense sampler builds it (the noise through the
// exported fillNoise*, then scaled; the diagonal may differ from the sampler's in the last bit).
void buildLower(const Model& m, std::uint64_t seed, std::uint64_t k, const DenseSignal& sig,
                std::vector<double>& a)
{
    const std::vector<double>& diag = sig.diag;
    const std::vector<double>& s = sig.s;
    const int n = m.n;
    a.resize(sq(n));
    Rng rng(seed, k);
    fillNoiseReal(m.noise, n, rng, a.data());
    const double scale = m.sigma / std::sqrt(static_cast<double>(n));
    for (int j = 0; j < n; ++j) {
        for (int i = j; i < n; ++i) {
            double v = scale * a[at(i, j, n)];
            if (!s.empty())
                v += s[at(i, j, n)];
            a[at(i, j, n)] = v;
        }
        if (!diag.empty())
            a[at(j, j, n)] += diag[static_cast<std::size_t>(j)];
    }
}

void buildLower(const Model& m, std::uint64_t seed, std::uint64_t k, const DenseSignal& sig,
                std::vector<cplx>& a)
{
    const std::vector<double>& diag = sig.diag;
    const std::vector<cplx>& s = sig.sc;
    const int n = m.n;
    a.resize(sq(n));
    Rng rng(seed, k);
    fillNoiseComplex(m.noise, n, rng, a.data());
    const double scale = m.sigma / std::sqrt(static_cast<double>(n));
    for (int j = 0; j < n; ++j) {
        for (int i = j; i < n; ++i) {
            cplx v = scale * a[at(i, j, n)];
            if (!s.empty())
                v += s[at(i, j, n)];
            a[at(i, j, n)] = v;
        }
        a[at(j, j, n)] = cplx(a[at(j, j, n)].real(), 0.0);
        if (!diag.empty())
            a[at(j, j, n)] += diag[static_cast<std::size_t>(j)];
    }
}

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

std::vector<double> denseMatrixReal(const Model& m, std::uint64_t seed, std::uint64_t k)
{
    validate(m);
    if (m.noise.isComplex())
        throw InputError("noise", "complex noise gives a complex matrix (use denseMatrixComplex)");
    pinBlasToOneThread();
    std::vector<double> a;
    buildLower(m, seed, k, denseSignal(m, seed), a);
    mirror(a, m.n);
    return a;
}

std::vector<cplx> denseMatrixComplex(const Model& m, std::uint64_t seed, std::uint64_t k)
{
    validate(m);
    if (!m.noise.isComplex())
        throw InputError("noise", "only complex noise gives a complex matrix");
    pinBlasToOneThread();
    std::vector<cplx> a;
    buildLower(m, seed, k, denseSignal(m, seed), a);
    mirror(a, m.n);
    return a;
}

std::vector<cplx> bandEigenvectors(const BandMatrix& h, const std::vector<double>& eigenvalues)
{
    if (h.isComplex())
        return bandInverseIteration<cplx>(h, eigenvalues);
    return bandInverseIteration<double>(h, eigenvalues);
}

SampleOverlaps OverlapSolver::sample(std::uint64_t k, const std::atomic<bool>* cancel) const
{
    auto cancelled = [cancel] { return cancel && cancel->load(std::memory_order_relaxed); };
    SampleOverlaps out;
    out.perSpike.assign(m_impl->spikes, std::nullopt);
    if (m_top == 0 && m_bottom == 0)
        return out;
    if (cancelled()) {
        out.cancelled = true;
        return out;
    }
    const int n = m_model.n;
    const Impl& im = *m_impl;

    // Vectors of the top (descending) and bottom (ascending) eigenvalues, column-major.
    std::vector<cplx> zTop, zBot;
    bool bandCoordinates = m_banded; // spike j is coordinate j (band, or dense basis)
    if (m_banded) {
        const BandMatrix h = drawBandMatrix(m_model, m_seed, k);
        const double count = m_top + m_bottom;
        const double kd = h.kd;
        if (count * kd * kd > static_cast<double>(n) * n / 3.0) {
            // Wide band (r close to N): one dense solve is cheaper than an LU per outlier.
            if (h.isComplex()) {
                std::vector<cplx> a = bandToDense<cplx>(h);
                extremePairs(n, a, m_top, m_bottom, out.top, zTop, out.bottom, zBot);
            } else {
                std::vector<double> a = bandToDense<double>(h);
                extremePairs(n, a, m_top, m_bottom, out.top, zTop, out.bottom, zBot);
            }
        } else {
            BandedSpectrumRequest req;
            req.topCount = m_top;
            req.bottomCount = m_bottom;
            const BandedSpectrum sp = bandedSpectrum(h, req, cancel);
            if (sp.cancelled || cancelled()) {
                out.cancelled = true;
                return out;
            }
            out.top = sp.top;
            out.bottom = sp.bottom;
            // Vectors only for the eigenvalues beyond the widened edges (the others are never
            // matched).
            std::vector<double> want;
            for (double x : out.top)
                if (x > im.edgeHi)
                    want.push_back(x);
            const std::size_t nTop = want.size();
            for (double x : out.bottom)
                if (x < im.edgeLo)
                    want.push_back(x);
            const std::vector<cplx> z = bandEigenvectors(h, want);
            zTop.assign(z.begin(), z.begin() + static_cast<std::ptrdiff_t>(nTop * n));
            zBot.assign(z.begin() + static_cast<std::ptrdiff_t>(nTop * n), z.end());
        }
    } else {
        bandCoordinates = m_model.eigvecs == Eigvecs::Basis;
        if (m_model.noise.isComplex()) {
            std::vector<cplx> a;
            buildLower(m_model, m_seed, k, im.signal, a);
            if (cancelled()) {
                out.cancelled = true;
                return out;
            }
            extremePairs(n, a, m_top, m_bottom, out.top, zTop, out.bottom, zBot);
        } else {
            std::vector<double> a;
            buildLower(m_model, m_seed, k, im.signal, a);
            if (cancelled()) {
                out.cancelled = true;
                return out;
            }
            extremePairs(n, a, m_top, m_bottom, out.top, zTop, out.bottom, zBot);
        }
    }

    // |<v_j, u>|^2 for spike j and the unit eigenvector u.
    auto overlap = [&](std::size_t j, const cplx* u) {
        if (bandCoordinates)
            return std::norm(u[j]);
        cplx dot = 0.0;
        if (!im.signal.o.empty()) {
            const double* v = im.signal.o.data() + j * static_cast<std::size_t>(n);
            for (int i = 0; i < n; ++i)
                dot += v[i] * u[i];
        } else {
            const cplx* v = im.signal.oc.data() + j * static_cast<std::size_t>(n);
            for (int i = 0; i < n; ++i)
                dot += std::conj(v[i]) * u[i];
        }
        return std::norm(dot);
    };
    // Groups take consecutive ranks among the eigenvalues beyond the edge; a group counts only
    // if all its members are found (observeOutliers' rule).
    auto assign = [&](const std::vector<std::vector<std::size_t>>& groups,
                      const std::vector<double>& w, const std::vector<cplx>& z, bool upper) {
        std::size_t beyond = 0;
        while (beyond < w.size() && (upper ? w[beyond] > im.edgeHi : w[beyond] < im.edgeLo))
            ++beyond;
        std::size_t rank = 0;
        for (const auto& g : groups) {
            const std::size_t end = rank + g.size();
            if (end > beyond || end * static_cast<std::size_t>(n) > z.size())
                break;
            double sum = 0.0;
            for (std::size_t q = rank; q < end; ++q)
                for (std::size_t j : g)
                    sum += overlap(j, z.data() + q * static_cast<std::size_t>(n));
            const double value = sum / static_cast<double>(g.size());
            for (std::size_t j : g)
                out.perSpike[j] = value;
            rank = end;
        }
    };
    assign(im.match.up, out.top, zTop, true);
    assign(im.match.down, out.bottom, zBot, false);
    return out;
}

std::vector<ObservedOverlap> summarizeOverlaps(const std::vector<SampleOverlaps>& samples,
                                               std::size_t spikes)
{
    std::vector<ObservedOverlap> out(spikes);
    for (std::size_t j = 0; j < spikes; ++j) {
        double mean = 0.0, m2 = 0.0;
        int count = 0;
        for (const auto& s : samples) {
            if (j >= s.perSpike.size() || !s.perSpike[j])
                continue;
            ++count;
            const double x = *s.perSpike[j];
            const double d = x - mean;
            mean += d / count;
            m2 += d * (x - mean);
        }
        out[j].samplesPresent = count;
        if (count >= 1)
            out[j].mean = mean;
        if (count >= 2)
            out[j].sd = std::sqrt(m2 / (count - 1));
    }
    return out;
}

OverlapRun runOverlaps(const Model& m, const Theory& theory, const RunOptions& opt,
                       const std::atomic<bool>* cancel, const ProgressCallback& progress)
{
    const auto start = std::chrono::steady_clock::now();
    const RunShape shape = runSetup(m, opt);
    const bool banded = usesBandedSampler(m, opt.sampler);
    const int threads = shape.threads;
    const int inFlight = shape.inFlight;
    {
        // Refuse before the Haar O is drawn (same estimate as OverlapSolver::peakBytes).
        const std::size_t budget = shape.budget;
        const Matching match = matchingOf(theory);
        const std::size_t elem = m.noise.isComplex() ? sizeof(cplx) : sizeof(double);
        const std::size_t k = static_cast<std::size_t>(match.top + match.bottom);
        const std::size_t c = static_cast<std::size_t>(inFlight);
        // Bytes at size `size`. For a smaller N the number of matched outliers k is at most
        // today's, so the largest N reported below is on the safe side.
        auto needAt = [&](int size) {
            Model t = m;
            t.n = size;
            const std::size_t n = static_cast<std::size_t>(size);
            return banded
                       ? c * ((5 * static_cast<std::size_t>(bandWidthOf(t) + 1) + 2) * n + k * n) *
                             sizeof(cplx)
                       : c * (2 * n * n * elem + k * n * sizeof(cplx) + 320 * n) +
                             (m.eigvecs == Eigvecs::Haar ? 3 * n * n * elem : 0);
        };
        const std::size_t need = needAt(m.n);
        if (need > budget) {
            const int fitN = largestFitting(2, m.n, [&](int n) { return needAt(n) <= budget; });
            throw ResourceError(
                "n", "memory: the eigenvector overlaps need about " +
                         formatBytes(static_cast<double>(need)) + " (N = " + std::to_string(m.n) +
                         ", " + std::to_string(inFlight) +
                         " sample(s) in flight) but the budget is " +
                         formatBytes(static_cast<double>(budget)) +
                         (fitN > 0 ? "; the largest N that fits is " + std::to_string(fitN)
                                   : std::string("; not even N = 2 fits")) +
                         " (fewer threads also lower the need)");
        }
    }
    tbb::task_arena arena(threads);
    std::unique_ptr<OverlapSolver> solver;
    pinBlasToOneThread();
    arena.execute([&] { solver = std::make_unique<OverlapSolver>(m, theory, opt.seed, banded); });

    OverlapRun result;
    result.sampler = banded ? SamplerKind::Banded : SamplerKind::Dense;
    result.requested = opt.samples;
    auto samples = runSampleLoop<SampleOverlaps>(
        arena, opt.samples, cancel,
        [&](int k) -> std::optional<SampleOverlaps> {
            SampleOverlaps s = solver->sample(static_cast<std::uint64_t>(k), cancel);
            if (s.cancelled)
                return std::nullopt;
            return s;
        },
        {}, progress);
    result.samples = std::move(samples.values);
    result.sampleIndex = std::move(samples.index);
    result.completed = static_cast<int>(result.samples.size());
    result.cancelled = result.completed < result.requested;
    result.observed = summarizeOverlaps(result.samples, theory.outliers.size());
    for (std::size_t j = 0; j < result.observed.size(); ++j) {
        // Group sizes as observeOutliers reports them.
        int size = 0;
        for (const auto& p : theory.outliers)
            size += p.theta == theory.outliers[j].theta ? 1 : 0;
        result.observed[j].groupSize = size;
    }
    result.totalSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

} // namespace ws::core
