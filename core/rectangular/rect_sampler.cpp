// Sampler and runner of the rectangular model (rectangular.h): W = (sigma/sqrt(N)) X + S built
// column-major in fixed column blocks, singular values from LAPACK dgesdd/zgesdd (jobz = 'N').
// Measured at N = 1000, M = 2000 on one thread: dgesdd 1.30 s (it reduces the wide matrix by an
// LQ factorization first), LQ + dgebrd + dbdsqr by hand 1.66 s, dgebrd + dbdsqr on W 6.0 s.
// Complex W goes through its Gram matrix instead (see sample(): zgesdd crashes in OpenBLAS).

#include "core/model/families.h"
#include "core/sampling/noise_draws.h"
#include "core/util/largest_fit.h"
#include "core/sampling/run_setup.h"
#include "core/sampling/sample_loop.h"
#include "core/rectangular/rectangular.h"
#include "core/sampling/rng.h"
#include "core/sampling/sampler.h"
#include "core/util/bytes.h"

#include <complex>
// LAPACKE's complex type is std::complex<double> in this file (as in dense_sampler.cpp).
#define lapack_complex_float std::complex<float>
#define lapack_complex_double std::complex<double>
#include <cblas.h>
#include <lapacke.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <stdexcept>

namespace ws::core {
namespace {

using cplx = std::complex<double>;

// Columns per generation substream: fixed, so the numbers never depend on the thread count.
constexpr int kColBlock = 32;
const double kInvSqrt2 = 1.0 / std::sqrt(2.0);

std::size_t elems(int rows, int cols)
{
    return static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols);
}

// U diag(s): column j of the rows x k column-major u times s[j] (real or complex U).
template <class T>
void scaleColumns(std::vector<T>& u, int rows, int k, const std::vector<double>& s)
{
    for (int j = 0; j < k; ++j)
        for (int i = 0; i < rows; ++i)
            u[elems(rows, j) + static_cast<std::size_t>(i)] *= s[static_cast<std::size_t>(j)];
}

// Runs body(j0, j1) over fixed column blocks in parallel, isolated (a waiting thread must not
// start another sample and keep a second W alive).
template <class Body> void forEachBlock(int cols, std::uint64_t base, const Body& body)
{
    const int blocks = (cols + kColBlock - 1) / kColBlock;
    tbb::this_task_arena::isolate([&] {
        tbb::parallel_for(0, blocks, [&](int b) {
            Rng r(base, static_cast<std::uint64_t>(b));
            body(r, b * kColBlock, std::min(cols, (b + 1) * kColBlock));
        });
    });
}

template <class Draw>
void fillReal(const Draw& draw, int n, int m, std::uint64_t base, double scale, const double* full,
              double* w)
{
    forEachBlock(m, base, [&](Rng& r, int j0, int j1) {
        for (std::size_t i = elems(n, j0); i < elems(n, j1); ++i)
            w[i] = scale * draw(r);
        if (full)
            for (std::size_t i = elems(n, j0); i < elems(n, j1); ++i)
                w[i] += full[i];
    });
}

// scale * X (+ S): X column-major N x M from `base`'s block substreams.
void generateReal(const NoiseFamily& f, int n, int m, std::uint64_t base, double scale,
                  const double* full, double* w)
{
    if (draws::visitReal(f, [&](const auto& draw) { fillReal(draw, n, m, base, scale, full, w); }))
        return;
    throw std::logic_error("rect sampler: complex noise in the real path");
}

// Complex noise: (a + ib)/sqrt(2), a, b ~ N(0, 1).
void generateComplex(int n, int m, std::uint64_t base, double scale, const cplx* full, cplx* w)
{
    const double s = scale * kInvSqrt2;
    forEachBlock(m, base, [&](Rng& r, int j0, int j1) {
        for (std::size_t i = elems(n, j0); i < elems(n, j1); ++i) {
            const double re = r.normal();
            const double im = r.normal();
            w[i] = cplx(s * re, s * im);
        }
        if (full)
            for (std::size_t i = elems(n, j0); i < elems(n, j1); ++i)
                w[i] += full[i];
    });
}

void checkInfo(lapack_int info, const char* routine)
{
    if (info != 0)
        throw std::runtime_error(std::string("rect sampler: LAPACK ") + routine +
                                 " failed, info = " + std::to_string(info));
}

// Workspace of dgesdd/zgesdd with jobz = 'N' (elements), by query.
// Complex W: the Gram matrix (p x p) and zheevd's workspace (lrwork, liwork) instead, see
// sample().
struct Workspace
{
    lapack_int lwork = 1, lrwork = 1, liwork = 1;
    std::size_t bytes(bool complex, int p) const
    {
        const auto ps = static_cast<std::size_t>(p);
        if (complex)
            return static_cast<std::size_t>(lwork) * sizeof(cplx) +
                   static_cast<std::size_t>(lrwork) * sizeof(double) +
                   static_cast<std::size_t>(liwork) * sizeof(lapack_int) + ps * ps * sizeof(cplx);
        return static_cast<std::size_t>(lwork) * sizeof(double) + 8 * ps * sizeof(lapack_int);
    }
};

Workspace queryWorkspace(int n, int m, bool complex)
{
    Workspace w;
    const int p = std::min(n, m);
    if (static_cast<double>(n) * static_cast<double>(m) > 1e12) {
        // Far beyond any budget; the query's 32-bit sizes could overflow. dgesdd 'N' needs about
        // 3p + max(N, M) + a panel (LQ path: a few p^2 at most).
        w.lwork = std::numeric_limits<lapack_int>::max();
        return w;
    }
    std::vector<lapack_int> iwork(8 * static_cast<std::size_t>(p));
    if (complex) {
        cplx q;
        double rq = 0.0;
        lapack_int iq = 0;
        checkInfo(LAPACKE_zheevd_work(LAPACK_COL_MAJOR, 'N', 'L', p, nullptr, p, nullptr, &q, -1,
                                      &rq, -1, &iq, -1),
                  "zheevd workspace query");
        w.lwork = std::max<lapack_int>(1, static_cast<lapack_int>(q.real()));
        w.lrwork = std::max<lapack_int>(1, static_cast<lapack_int>(rq));
        w.liwork = std::max<lapack_int>(1, iq);
    } else {
        double q = 0.0;
        checkInfo(LAPACKE_dgesdd_work(LAPACK_COL_MAJOR, 'N', n, m, nullptr, n, nullptr, nullptr, 1,
                                      nullptr, 1, &q, -1, iwork.data()),
                  "dgesdd workspace query");
        w.lwork = std::max<lapack_int>(1, static_cast<lapack_int>(q));
    }
    return w;
}

class RectSampler
{
public:
    RectSampler(const RectModel& m, std::uint64_t seed)
        : m_noise(m.noise), m_n(m.n), m_m(m.m), m_p(m.minDim()), m_seed(seed),
          m_complex(m.noise.isComplex()), m_scale(m.sigma / std::sqrt(static_cast<double>(m.n))),
          m_work(queryWorkspace(m.n, m.m, m_complex))
    {
        const std::vector<double> s = signalSingularValues(m); // descending
        // Only the non-zero singular values need columns of U and V.
        int k = 0;
        while (k < m_p && s[static_cast<std::size_t>(k)] != 0.0)
            ++k;
        if (k == 0)
            return;
        if (m.eigvecs == Eigvecs::Basis) {
            m_diag.assign(s.begin(), s.begin() + k); // S_ii = s_i, added after the noise
            return;
        }
        if (m_complex)
            m_fullComplex.assign(elems(m_n, m_m), cplx(0.0, 0.0));
        else
            m_full.assign(elems(m_n, m_m), 0.0);
        // U from stream (seed, kHaarStream), V from (seed, kHaarStream - 1): independent.
        constexpr std::uint64_t kU = Rng::kHaarStream, kV = Rng::kHaarStream - 1;
        if (m_complex) {
            std::vector<cplx> u = haarUnitaryColumns(m_n, k, seed, nullptr, kU);
            const std::vector<cplx> v = haarUnitaryColumns(m_m, k, seed, nullptr, kV);
            scaleColumns(u, m_n, k, s);
            const cplx one(1.0, 0.0), zero(0.0, 0.0);
            cblas_zgemm(CblasColMajor, CblasNoTrans, CblasConjTrans, m_n, m_m, k, &one, u.data(),
                        m_n, v.data(), m_m, &zero, m_fullComplex.data(), m_n);
        } else {
            std::vector<double> u = haarOrthogonalColumns(m_n, k, seed, nullptr, kU);
            const std::vector<double> v = haarOrthogonalColumns(m_m, k, seed, nullptr, kV);
            scaleColumns(u, m_n, k, s);
            cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, m_n, m_m, k, 1.0, u.data(), m_n,
                        v.data(), m_m, 0.0, m_full.data(), m_n);
        }
    }

    // Singular values of sample k, descending; empty if cancelled.
    std::vector<double> sample(std::uint64_t k, const std::atomic<bool>* cancel) const
    {
        auto cancelled = [cancel] { return cancel && cancel->load(std::memory_order_relaxed); };
        if (cancelled())
            return {};
        Rng rng(m_seed, k);
        const std::uint64_t base = rng.next();
        std::vector<double> s(static_cast<std::size_t>(m_p));
        std::vector<lapack_int> iwork(8 * static_cast<std::size_t>(m_p));
        if (m_complex) {
            auto w = std::make_unique_for_overwrite<cplx[]>(elems(m_n, m_m));
            generateComplex(m_n, m_m, base, m_scale,
                            m_fullComplex.empty() ? nullptr : m_fullComplex.data(), w.get());
            for (std::size_t i = 0; i < m_diag.size(); ++i)
                w[elems(m_n, static_cast<int>(i)) + i] += m_diag[i];
            if (cancelled())
                return {};
            // Not zgesdd: Debian's OpenBLAS 0.3.21 crashes in zgemv_n (Haswell/SkylakeX
            // kernels) called by zlarf with strided reflectors, i.e. in zgelqf/zgebrd and so in
            // zgesdd/zgesvd, from about 300 x 300 on (a plain LAPACKE_zgelqf on a random 300 x
            // 300 matrix segfaults). The eigenvalues of the p x p Gram matrix (zherk + zheevd)
            // give the squared singular values; absolute accuracy eps |W|^2, enough for
            // histograms and outliers (a singular value y is off by ~ eps |W|^2 / y).
            std::vector<cplx> gram(elems(m_p, m_p));
            if (m_n <= m_m)
                cblas_zherk(CblasColMajor, CblasLower, CblasNoTrans, m_n, m_m, 1.0, w.get(), m_n,
                            0.0, gram.data(), m_p);
            else
                cblas_zherk(CblasColMajor, CblasLower, CblasConjTrans, m_m, m_n, 1.0, w.get(), m_n,
                            0.0, gram.data(), m_p);
            w.reset();
            std::vector<cplx> work(static_cast<std::size_t>(m_work.lwork));
            std::vector<double> rwork(static_cast<std::size_t>(m_work.lrwork));
            std::vector<lapack_int> ziwork(static_cast<std::size_t>(m_work.liwork));
            checkInfo(LAPACKE_zheevd_work(LAPACK_COL_MAJOR, 'N', 'L', m_p, gram.data(), m_p,
                                          s.data(), work.data(), m_work.lwork, rwork.data(),
                                          m_work.lrwork, ziwork.data(), m_work.liwork),
                      "zheevd");
            for (double& v : s)
                v = std::sqrt(std::max(0.0, v));
        } else {
            auto w = std::make_unique_for_overwrite<double[]>(elems(m_n, m_m));
            generateReal(m_noise, m_n, m_m, base, m_scale, m_full.empty() ? nullptr : m_full.data(),
                         w.get());
            for (std::size_t i = 0; i < m_diag.size(); ++i)
                w[elems(m_n, static_cast<int>(i)) + i] += m_diag[i];
            if (cancelled())
                return {};
            std::vector<double> work(static_cast<std::size_t>(m_work.lwork));
            checkInfo(LAPACKE_dgesdd_work(LAPACK_COL_MAJOR, 'N', m_n, m_m, w.get(), m_n, s.data(),
                                          nullptr, 1, nullptr, 1, work.data(), m_work.lwork,
                                          iwork.data()),
                      "dgesdd");
        }
        std::sort(s.begin(), s.end(), std::greater<>()); // LAPACK's order already; made sure
        return s;
    }

private:
    NoiseFamily m_noise;
    int m_n, m_m, m_p;
    std::uint64_t m_seed;
    bool m_complex;
    double m_scale;
    Workspace m_work;
    std::vector<double> m_diag;      // basis: the non-zero s_i on the diagonal
    std::vector<double> m_full;      // haar: S (real noise), empty if S = 0
    std::vector<cplx> m_fullComplex; // haar: S (complex noise), empty if S = 0
};

// Largest N (>= 1) at the same aspect ratio whose estimate fits; 0 if none does.
int largestFittingN(const RectModel& m, int inFlight, int samples, std::size_t budget)
{
    const double c = m.ratio();
    auto fits = [&](int n) {
        RectModel t = m;
        t.n = n;
        t.m = std::max(1, static_cast<int>(std::lround(c * n)));
        return rectRunPeakBytes(t, inFlight, samples) <= budget;
    };
    return largestFitting(1, m.n, fits);
}

} // namespace

std::size_t rectRunPeakBytes(const RectModel& m, int inFlight, int samples)
{
    const bool complex = m.noise.isComplex();
    const std::size_t elem = complex ? sizeof(cplx) : sizeof(double);
    const std::size_t matrix = elems(m.n, m.m) * elem;
    const int p = std::min(m.n, m.m);
    const std::size_t ps = static_cast<std::size_t>(p);
    // The workspace query is cheap; estimate beyond 1e12 entries instead (never fits anyway).
    const std::size_t work = static_cast<double>(m.n) * static_cast<double>(m.m) > 1e12
                                 ? 4 * matrix
                                 : queryWorkspace(m.n, m.m, complex).bytes(complex, p);
    const std::size_t perSample = matrix + work + ps * sizeof(double);
    // haar: S is stored densely (shared); building it holds U, V (p columns each at most) and
    // S at once. basis: only the diagonal.
    const std::size_t shared =
        m.eigvecs == Eigvecs::Haar
            ? matrix + (static_cast<std::size_t>(m.n) + static_cast<std::size_t>(m.m)) * ps * elem
            : ps * sizeof(double);
    const std::size_t results = static_cast<std::size_t>(samples) * (ps * sizeof(double) + 64);
    return static_cast<std::size_t>(std::max(inFlight, 1)) * perSample + shared + results;
}

std::vector<double> rectSample(const RectModel& m, std::uint64_t seed, std::uint64_t k)
{
    validate(m);
    pinBlasToOneThread();
    return RectSampler(m, seed).sample(k, nullptr);
}

RectRunResult runRectSamples(const RectModel& m, const RunOptions& opt,
                             const std::atomic<bool>* cancel, const ProgressCallback& progress,
                             const SampleCallback& onSample)
{
    const auto start = std::chrono::steady_clock::now();
    validate(m);
    const RunShape shape = runShape(opt);
    if (opt.sampler == SamplerChoice::Banded)
        throw InputError("sampler", "the rectangular model has only the dense sampler");
    const int threads = shape.threads;
    const int inFlight = shape.inFlight;
    const std::size_t budget = shape.budget;
    const int count = shape.count; // the samples drawn and kept (a subset's, if any)
    const std::size_t estimate = rectRunPeakBytes(m, inFlight, count);
    if (estimate > budget) {
        const int fitN = largestFittingN(m, inFlight, count, budget);
        throw ResourceError(
            "n", "memory: this run needs about " + formatBytes(static_cast<double>(estimate)) +
                     " (N = " + std::to_string(m.n) + ", M = " + std::to_string(m.m) + ", " +
                     std::to_string(inFlight) + " sample(s) in flight, " + std::to_string(count) +
                     " samples kept) but the budget is " +
                     formatBytes(static_cast<double>(budget)) +
                     (fitN > 0 ? "; the largest N that fits at the same aspect ratio c = M/N is " +
                                     std::to_string(fitN)
                               : "; not even N = 1 fits") +
                     " (fewer threads or samples also lower the need)");
    }

    pinBlasToOneThread(); // results must not depend on `threads` (see runner.h)
    tbb::task_arena arena(threads);
    std::unique_ptr<RectSampler> sampler;
    arena.execute([&] { sampler = std::make_unique<RectSampler>(m, opt.seed); });

    RectRunResult result;
    result.requested = count;
    // The loop runs over positions i in the subset; sample k = sampleAt(opt, i).
    SampleCallback reported;
    if (onSample)
        reported = [&](int i, const std::vector<double>& sv) { onSample(sampleAt(opt, i), sv); };
    auto samples = runSampleLoop<std::vector<double>>(
        arena, count, cancel,
        [&](int i) -> std::optional<std::vector<double>> {
            const auto k = static_cast<std::uint64_t>(sampleAt(opt, i));
            std::vector<double> sv = sampler->sample(k, cancel);
            if (sv.empty())
                return std::nullopt; // cancelled in between
            return sv;
        },
        reported, progress);
    result.singularValues = std::move(samples.values);
    for (int i : samples.index)
        result.sampleIndex.push_back(sampleAt(opt, i));
    result.completed = static_cast<int>(result.singularValues.size());
    result.cancelled = result.completed < result.requested;
    result.totalSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

} // namespace ws::core
