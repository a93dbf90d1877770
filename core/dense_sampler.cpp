// Dense sampler (DESIGN.md section 3): H = (sigma/sqrt(N)) X + O diag(s) O^T built in the lower
// triangle only (all the solver reads), eigenvalues from LAPACK (OpenBLAS).

#include "families.h"
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
#include <cmath>
#include <limits>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

namespace ws::core {
namespace {

using cplx = std::complex<double>;

// Columns per generation substream: fixed, so the numbers never depend on the thread count.
constexpr int kColBlock = 32;
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

// One off-diagonal draw of each real family (variance 1).
struct GaussianDraw
{
    double operator()(Rng& r) const { return r.normal(); }
};
struct RademacherDraw
{
    double operator()(Rng& r) const { return (r.next() >> 63) != 0 ? 1.0 : -1.0; }
};
struct UniformDraw
{
    double operator()(Rng& r) const { return std::sqrt(3.0) * (2.0 * r.uniform01() - 1.0); }
};
struct StudentTDraw
{
    // t_nu * sqrt((nu-2)/nu) with t_nu = Z / sqrt(chi2_nu / nu), chi2_nu = 2 Gamma(nu/2):
    // = Z * sqrt((nu - 2) / (2 Gamma(nu/2))).
    double nu;
    double operator()(Rng& r) const
    {
        const double z = r.normal();
        return z * std::sqrt((nu - 2.0) / (2.0 * r.gamma(0.5 * nu)));
    }
};
struct SparseDraw
{
    double p, scale; // scale = 1/sqrt(p)
    double operator()(Rng& r) const
    {
        if (!(r.uniform01() < p))
            return 0.0;
        return scale * r.normal();
    }
};

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
    switch (f.kind) {
    case NoiseKind::Gaussian:
        generateLowerReal(GaussianDraw{}, n, base, scale, addDiag, addFull, a);
        return;
    case NoiseKind::Rademacher:
        generateLowerReal(RademacherDraw{}, n, base, scale, addDiag, addFull, a);
        return;
    case NoiseKind::Uniform:
        generateLowerReal(UniformDraw{}, n, base, scale, addDiag, addFull, a);
        return;
    case NoiseKind::StudentT:
        generateLowerReal(StudentTDraw{f.param}, n, base, scale, addDiag, addFull, a);
        return;
    case NoiseKind::Sparse:
        generateLowerReal(SparseDraw{f.param, 1.0 / std::sqrt(f.param)}, n, base, scale, addDiag,
                          addFull, a);
        return;
    case NoiseKind::Complex:
        break;
    }
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
    const bool two = solver == DenseSolver::LapackTwoStage;
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

std::vector<double> solveReal(int n, double* a, DenseSolver solver, const Workspace& wsz)
{
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

std::vector<double> solveComplex(int n, cplx* a, DenseSolver solver, const Workspace& wsz)
{
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
        solver == DenseSolver::LapackTwoStage
            ? LAPACKE_zheevd_2stage_work(LAPACK_COL_MAJOR, 'N', 'L', n, la, n, w.data(), lw,
                                         wsz.lwork, rwork.data(), wsz.lrwork, iwork.data(),
                                         wsz.liwork)
            : LAPACKE_zheevd_work(LAPACK_COL_MAJOR, 'N', 'L', n, la, n, w.data(), lw, wsz.lwork,
                                  rwork.data(), wsz.lrwork, iwork.data(), wsz.liwork);
    checkInfo(info, "zheevd");
    return w;
}

class DenseSampler final : public Sampler
{
public:
    DenseSampler(const Model& m, std::uint64_t seed, DenseSolver solver)
        : m_noise(m.noise), m_n(m.n), m_seed(seed), m_complex(m.noise.isComplex()),
          m_scale(m.sigma / std::sqrt(static_cast<double>(m.n))),
          m_solver(resolve(solver, m.n, m.noise.isComplex())),
          m_work(queryWorkspace(m.n, m_complex, m_solver))
    {
        const std::vector<double> s = signalSpectrum(m);
        if (m.eigvecs == Eigvecs::Basis) {
            m_diag = s;
        } else if (m_complex) {
            // S = O diag(s) O^H, shared read-only by every sample.
            std::vector<cplx> o = haarUnitary(m_n, seed);
            std::vector<cplx> os(o);
            for (int j = 0; j < m_n; ++j)
                for (int i = 0; i < m_n; ++i)
                    os[static_cast<std::size_t>(j) * static_cast<std::size_t>(m_n) +
                       static_cast<std::size_t>(i)] *= s[static_cast<std::size_t>(j)];
            m_fullComplex.resize(sq(m_n));
            const cplx one(1.0, 0.0), zero(0.0, 0.0);
            cblas_zgemm(CblasColMajor, CblasNoTrans, CblasConjTrans, m_n, m_n, m_n, &one, os.data(),
                        m_n, o.data(), m_n, &zero, m_fullComplex.data(), m_n);
        } else {
            std::vector<double> o = haarOrthogonal(m_n, seed);
            std::vector<double> os(o);
            for (int j = 0; j < m_n; ++j)
                for (int i = 0; i < m_n; ++i)
                    os[static_cast<std::size_t>(j) * static_cast<std::size_t>(m_n) +
                       static_cast<std::size_t>(i)] *= s[static_cast<std::size_t>(j)];
            m_full.resize(sq(m_n));
            cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, m_n, m_n, m_n, 1.0, os.data(), m_n,
                        o.data(), m_n, 0.0, m_full.data(), m_n);
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
            // Only the lower triangle is written (and read by the solver): no zero fill needed.
            auto h = std::make_unique_for_overwrite<cplx[]>(sq(m_n));
            generateLowerComplex(m_noise, m_n, rng, m_scale, diag,
                                 m_fullComplex.empty() ? nullptr : m_fullComplex.data(), h.get());
            if (cancelled())
                return {};
            return solveComplex(m_n, h.get(), m_solver, m_work);
        }
        auto h = std::make_unique_for_overwrite<double[]>(sq(m_n));
        generateLowerReal(m_noise, m_n, rng, m_scale, diag,
                          m_full.empty() ? nullptr : m_full.data(), h.get());
        if (cancelled())
            return {};
        return solveReal(m_n, h.get(), m_solver, m_work);
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
    std::call_once(once, [] { openblas_set_num_threads(1); });
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

std::vector<double> haarOrthogonal(int n, std::uint64_t seed)
{
    pinBlasToOneThread(); // the QR's rounding must not depend on the thread count
    Rng rng(seed, Rng::kHaarStream);
    std::vector<double> q(sq(n));
    for (double& x : q)
        x = rng.normal();
    std::vector<double> tau(static_cast<std::size_t>(n));
    checkInfo(LAPACKE_dgeqrf(LAPACK_COL_MAJOR, n, n, q.data(), n, tau.data()), "dgeqrf");
    // A = QR = (Q D)(D R) with D = sign(diag R): Q D is the factor with R's diagonal > 0, whose
    // law is Haar (Q alone is not: Householder QR fixes the signs by the data).
    std::vector<double> sign(static_cast<std::size_t>(n));
    for (int j = 0; j < n; ++j)
        sign[static_cast<std::size_t>(j)] =
            q[static_cast<std::size_t>(j) * static_cast<std::size_t>(n) +
              static_cast<std::size_t>(j)] < 0.0
                ? -1.0
                : 1.0;
    checkInfo(LAPACKE_dorgqr(LAPACK_COL_MAJOR, n, n, n, q.data(), n, tau.data()), "dorgqr");
    for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i)
            q[static_cast<std::size_t>(j) * static_cast<std::size_t>(n) +
              static_cast<std::size_t>(i)] *= sign[static_cast<std::size_t>(j)];
    return q;
}

std::vector<std::complex<double>> haarUnitary(int n, std::uint64_t seed)
{
    pinBlasToOneThread();
    Rng rng(seed, Rng::kHaarStream);
    std::vector<cplx> q(sq(n));
    for (cplx& x : q) {
        const double re = rng.normal();
        const double im = rng.normal();
        x = cplx(re * kInvSqrt2, im * kInvSqrt2);
    }
    std::vector<cplx> tau(static_cast<std::size_t>(n));
    cplx* lq = q.data();
    cplx* lt = tau.data();
    checkInfo(LAPACKE_zgeqrf(LAPACK_COL_MAJOR, n, n, lq, n, lt), "zgeqrf");
    // Phase fix: multiply column j by R_jj / |R_jj| (see haarOrthogonal).
    std::vector<cplx> phase(static_cast<std::size_t>(n));
    for (int j = 0; j < n; ++j) {
        const cplx r = q[static_cast<std::size_t>(j) * static_cast<std::size_t>(n) +
                         static_cast<std::size_t>(j)];
        const double a = std::abs(r);
        phase[static_cast<std::size_t>(j)] = a > 0.0 ? r / a : cplx(1.0, 0.0);
    }
    checkInfo(LAPACKE_zungqr(LAPACK_COL_MAJOR, n, n, n, lq, n, lt), "zungqr");
    for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i)
            q[static_cast<std::size_t>(j) * static_cast<std::size_t>(n) +
              static_cast<std::size_t>(i)] *= phase[static_cast<std::size_t>(j)];
    return q;
}

DenseSolver autoDenseSolver(int n, bool complex)
{
    return n >= (complex ? kTwoStageMinNComplex : kTwoStageMinN) ? DenseSolver::LapackTwoStage
                                                                 : DenseSolver::Lapack;
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
    case DenseSolver::Eigen:
        return "eigen";
    }
    return "?";
}

std::unique_ptr<Sampler> makeDenseSampler(const Model& m, std::uint64_t seed, DenseSolver solver)
{
    pinBlasToOneThread();
    return std::make_unique<DenseSampler>(m, seed, solver);
}

std::unique_ptr<Sampler> makeDenseSampler(const Model& m, std::uint64_t seed)
{
    return makeDenseSampler(m, seed, DenseSolver::Auto);
}

std::size_t denseSamplerPeakBytes(const Model& m, int concurrency)
{
    const bool complex = m.noise.isComplex();
    const DenseSolver solver = autoDenseSolver(m.n, complex);
    return DenseSampler::peakBytesFor(m.n, complex, m.eigvecs == Eigvecs::Basis,
                                      queryWorkspace(m.n, complex, solver), concurrency);
}

} // namespace ws::core
