// Drawing the exact band model (derivation in banded.h) and its eigenvalues by LAPACK.
#include "core/sampling/banded/banded.h"

#include "core/model/families.h"
#include "core/sampling/rng.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <stdexcept>
#include <string>

#include <lapacke.h>

namespace ws::core {
namespace {

void checkApplicable(const Model& m)
{
    if (m.noise.kind != NoiseKind::Gaussian && m.noise.kind != NoiseKind::Complex)
        throw InputError("sampler", "the banded sampler needs gaussian or complex noise (the band "
                                    "form relies on orthogonal/unitary invariance)");
    if (!bulkIsConstant(m))
        throw InputError("sampler", "the banded sampler needs a zero or constant bulk (a bulk with "
                                    "distinct values breaks the invariance it relies on)");
    if (m.n < 1 || !(m.sigma > 0.0))
        throw InputError("sampler", "invalid model for the banded sampler");
}

// std::complex<double> and C's double _Complex share their layout (two doubles).
lapack_complex_double* asLapack(std::complex<double>* p)
{
    return reinterpret_cast<lapack_complex_double*>(p);
}

} // namespace

// It mirrors the quantile rule of bulkValues() without allocating N values.
double bulkConstantOf(const Model& m)
{
    const auto& p = m.bulk.params;
    switch (m.bulk.kind) {
    case BulkKind::Zero:
        return 0.0;
    case BulkKind::Uniform:
        return p.at(0);
    case BulkKind::Semicircle:
        break;
    case BulkKind::TwoPoint:
        // q < p ? a : b for every quantile q in (0, 1).
        if (p.at(2) >= 1.0)
            return p.at(0);
        if (p.at(2) <= 0.0)
            return p.at(1);
        return p.at(0); // a == b
    case BulkKind::List:
        return p.at(0);
    }
    throw InputError("sampler", "the banded sampler needs a zero or constant bulk");
}

int bandWidthOf(const Model& m)
{
    return std::max(0, std::min(rankOf(m), m.n - 1));
}

BandMatrix drawBandMatrix(const Model& m, std::uint64_t seed, std::uint64_t k, int dofOffset)
{
    checkApplicable(m);
    const int n = m.n;
    const int r = std::clamp(rankOf(m), 1, n);
    const int kd = bandWidthOf(m);
    const bool cplx = m.noise.isComplex();
    const int beta = cplx ? 2 : 1;

    BandMatrix h;
    h.n = n;
    h.kd = kd;
    const std::size_t size = static_cast<std::size_t>(n) * static_cast<std::size_t>(kd + 1);
    h.re.assign(size, 0.0);
    if (cplx && kd >= 1)
        h.im.assign(size, 0.0);

    const double scale = m.sigma / std::sqrt(static_cast<double>(n));
    const double c = bulkConstantOf(m);
    const std::vector<double> theta = spikeValues(m);
    // GOE: diagonal N(0,2), off-diagonal N(0,1). GUE: diagonal N(0,1), off-diagonal
    // (a + ib)/sqrt(2) (docs/model.md#noise-families).
    const double diagSd = cplx ? 1.0 : std::sqrt(2.0);
    const double offSd = cplx ? std::sqrt(0.5) : 1.0;
    const double chiScale = scale / std::sqrt(static_cast<double>(beta));

    Rng rng(seed, k);
    for (int b0 = 0; b0 < n; b0 += r) {
        const int bs = std::min(r, n - b0);
        // Diagonal block: a fresh bs x bs GOE/GUE (the upper triangle is stored; conjugating
        // a complex Gaussian does not change its law).
        for (int j = 0; j < bs; ++j) {
            const int gj = b0 + j;
            for (int i = 0; i < j; ++i) {
                const std::size_t idx = h.index(b0 + i, gj);
                h.re[idx] = scale * offSd * rng.normal();
                if (cplx)
                    h.im[idx] = scale * offSd * rng.normal();
            }
            const double s = b0 == 0 ? theta[static_cast<std::size_t>(j)] : c;
            h.re[h.index(gj, gj)] = scale * diagSd * rng.normal() + s;
        }
        const int below = n - b0 - bs; // rows of the Gaussian block under this diagonal block
        if (below <= 0)
            break;
        // R factor of the below x r Gaussian block, at rows b0 + r + i, columns b0 + j (j >= i)
        // of the lower triangle; stored as its conjugate at H(b0 + j, b0 + r + i).
        const int rows = std::min(below, r);
        for (int i = 0; i < rows; ++i) {
            const int gi = b0 + r + i;
            const double dof = static_cast<double>(beta * (below - i) + dofOffset);
            h.re[h.index(b0 + i, gi)] = chiScale * rng.chi(std::max(dof, 1.0));
            for (int j = i + 1; j < r; ++j) {
                const std::size_t idx = h.index(b0 + j, gi);
                h.re[idx] = scale * offSd * rng.normal();
                if (cplx)
                    h.im[idx] = scale * offSd * rng.normal();
            }
        }
    }

    if (cplx && kd == 1) {
        // Hermitian tridiagonal: a diagonal unitary similarity makes the off-diagonal |e_i|.
        for (int j = 1; j < n; ++j) {
            const std::size_t idx = h.index(j - 1, j);
            h.re[idx] = std::hypot(h.re[idx], h.im[idx]);
        }
        h.im.clear();
        h.im.shrink_to_fit();
    }
    return h;
}

std::vector<double> bandEigenvalues(BandMatrix h)
{
    const int n = h.n;
    const int kd = h.kd;
    if (n <= 0)
        return {};
    if (kd == 0) {
        std::vector<double> w(h.re.begin(), h.re.end());
        std::sort(w.begin(), w.end());
        return w;
    }
    std::vector<double> w(static_cast<std::size_t>(n));
    lapack_int info = 0;
    if (!h.isComplex() && kd == 1) {
        // Tridiagonal: Pal-Walker-Kahan QR (dsterf), eigenvalues only.
        std::vector<double> e(static_cast<std::size_t>(std::max(n - 1, 1)));
        for (int j = 0; j < n; ++j)
            w[static_cast<std::size_t>(j)] = h.re[h.index(j, j)];
        for (int j = 1; j < n; ++j)
            e[static_cast<std::size_t>(j - 1)] = h.re[h.index(j - 1, j)];
        h.re.clear();
        h.re.shrink_to_fit();
        info = LAPACKE_dsterf(n, w.data(), e.data());
    } else if (!h.isComplex()) {
        std::vector<double> work(static_cast<std::size_t>(std::max(1, 3 * n - 2)));
        info = LAPACKE_dsbev_work(LAPACK_COL_MAJOR, 'N', 'U', n, kd, h.re.data(), kd + 1, w.data(),
                                  nullptr, 1, work.data());
    } else {
        std::vector<std::complex<double>> ab(h.re.size());
        for (std::size_t i = 0; i < ab.size(); ++i)
            ab[i] = {h.re[i], h.im[i]};
        h.re.clear();
        h.re.shrink_to_fit();
        h.im.clear();
        h.im.shrink_to_fit();
        std::vector<std::complex<double>> work(static_cast<std::size_t>(n));
        std::vector<double> rwork(static_cast<std::size_t>(std::max(1, 3 * n - 2)));
        info = LAPACKE_zhbev_work(LAPACK_COL_MAJOR, 'N', 'U', n, kd, asLapack(ab.data()), kd + 1,
                                  w.data(), nullptr, 1, asLapack(work.data()), rwork.data());
    }
    if (info != 0)
        throw std::runtime_error("banded sampler: LAPACK eigenvalue solver failed (info " +
                                 std::to_string(info) + ")");
    return w; // LAPACK returns them ascending
}

Interval gershgorinBounds(const BandMatrix& h)
{
    const int n = h.n;
    const int kd = h.kd;
    if (n <= 0)
        return {};
    auto absAt = [&](std::size_t idx) {
        return h.isComplex() ? std::hypot(h.re[idx], h.im[idx]) : std::abs(h.re[idx]);
    };
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (int i = 0; i < n; ++i) {
        double rad = 0.0;
        for (int o = 1; o <= kd; ++o) {
            if (i - o >= 0)
                rad += absAt(h.index(i - o, i));
            if (i + o < n)
                rad += absAt(h.index(i, i + o));
        }
        const double d = h.re[h.index(i, i)];
        lo = std::min(lo, d - rad);
        hi = std::max(hi, d + rad);
    }
    return {lo, hi};
}

} // namespace ws::core
