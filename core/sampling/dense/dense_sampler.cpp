// Dense sampler (docs/model.md#samplers): H = (sigma/sqrt(N)) X + O diag(s) O^T built in the lower
// triangle only (all the solver reads), eigenvalues from LAPACK (OpenBLAS).

#include "core/sampling/dense/dense_kernels.h"
#include "core/model/families.h"
#include "core/sampling/noise_draws.h"
#include "core/sampling/rng.h"
#include "core/sampling/sampler.h"
#include "core/util/enum_names.h"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <cmath>
#include <limits>
#include <memory>
#include <mutex>
#include <type_traits>
#include <stdexcept>
#include <string>

namespace ws::core {
namespace {

using namespace dense;

// Columns per generation substream: fixed, so the numbers never depend on the thread count.
constexpr int kColBlock = 32;
const double kSqrt2 = std::sqrt(2.0);
const double kInvSqrt2 = 1.0 / std::sqrt(2.0);

using colmajor::sq;

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
    if (draws::visitReal(f, [&](const auto& draw) {
            generateLowerReal(draw, n, base, scale, addDiag, addFull, a);
        }))
        return;
    throw InputError("noise", "complex noise gives a complex Hermitian matrix, not a real one");
}

// Complex (GUE) analogue: off-diagonal scale (a + ib)/sqrt(2), diagonal scale * N(0,1).
void generateLowerComplex(const NoiseFamily& f, int n, Rng& rng, double scale,
                          const double* addDiag, const cplx* addFull, cplx* a)
{
    if (!f.isComplex())
        throw InputError("noise", "only complex noise gives a complex Hermitian matrix");
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
    if (solver == DenseSolver::ParallelTwoStage) {
        // Band (kKd + 1) N, then [V W V] 3 N kKd (stage 1) or the bulge-chasing copy of the
        // band (2 kKd + 1) N and 2 N per thread (stage 2): under 6 (kKd + 1) N elements
        // (complex ones for complex H) with up to 48 threads.
        ws.lwork = static_cast<lapack_int>(std::min<std::size_t>(
            6 * static_cast<std::size_t>(kKd + 1) * static_cast<std::size_t>(n) + 4096,
            std::numeric_limits<lapack_int>::max()));
        ws.liwork = 1;
        ws.lrwork = 1;
        return ws;
    }
    const bool two =
        solver == DenseSolver::LapackTwoStage || solver == DenseSolver::ParallelTwoStage;
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

// All eigenvalues, ascending, of the n x n column-major Hermitian `a` (its lower triangle, which
// is destroyed) by a resolved `solver` (not Auto); LAPACK's work arrays sized by `wsz`.
template <class T>
std::vector<double> solveEigenvalues(int n, T* a, DenseSolver solver, const Workspace& wsz,
                                     const std::atomic<bool>* cancel)
{
    if (solver == DenseSolver::ParallelTwoStage)
        return solveParallelTwoStage(n, a, cancel);
    if (solver == DenseSolver::Eigen)
        return eigenSolverEigenvalues(n, a);
    const bool two = solver == DenseSolver::LapackTwoStage;
    std::vector<double> w(static_cast<std::size_t>(n));
    std::vector<T> work(static_cast<std::size_t>(wsz.lwork));
    std::vector<lapack_int> iwork(static_cast<std::size_t>(wsz.liwork));
    if constexpr (std::is_same_v<T, cplx>) {
        std::vector<double> rwork(static_cast<std::size_t>(wsz.lrwork));
        const lapack_int info =
            two ? LAPACKE_zheevd_2stage_work(LAPACK_COL_MAJOR, 'N', 'L', n, a, n, w.data(),
                                             work.data(), wsz.lwork, rwork.data(), wsz.lrwork,
                                             iwork.data(), wsz.liwork)
                : LAPACKE_zheevd_work(LAPACK_COL_MAJOR, 'N', 'L', n, a, n, w.data(), work.data(),
                                      wsz.lwork, rwork.data(), wsz.lrwork, iwork.data(),
                                      wsz.liwork);
        checkInfo(info, "zheevd");
    } else {
        const lapack_int info =
            two ? LAPACKE_dsyevd_2stage_work(LAPACK_COL_MAJOR, 'N', 'L', n, a, n, w.data(),
                                             work.data(), wsz.lwork, iwork.data(), wsz.liwork)
                : LAPACKE_dsyevd_work(LAPACK_COL_MAJOR, 'N', 'L', n, a, n, w.data(), work.data(),
                                      wsz.lwork, iwork.data(), wsz.liwork);
        checkInfo(info, "dsyevd");
    }
    return w;
}

// S = c I + O diag(s_j - c) O^H for the n x k column-major O (k <= n columns), n x n
// column-major, 2 n^2 k flops in fixed column blocks (TBB tasks, cancel checked per block).
// Empty if cancelled or if O is (a cancelled draw).
template <class T>
std::vector<T> buildSignal(const std::vector<T>& o, const std::vector<double>& s, int k, double c,
                           const std::atomic<bool>* cancel)
{
    const int n = static_cast<int>(s.size());
    if (o.empty() || isSet(cancel))
        return {};
    std::vector<T> os(o);
    for (int j = 0; j < k; ++j)
        for (int i = 0; i < n; ++i)
            os[at(i, j, n)] *= s[static_cast<std::size_t>(j)] - c;
    std::vector<T> out(sq(n));
    const int blocks = (n + kBandBlock - 1) / kBandBlock;
    tbb::this_task_arena::isolate([&] {
        tbb::parallel_for(0, blocks, [&](int b) {
            if (isSet(cancel))
                return;
            const int c0 = b * kBandBlock, cb = std::min(n, c0 + kBandBlock) - c0;
            gemm(CblasNoTrans, kH, n, cb, k, 1.0, os.data(), n, o.data() + c0, n, 0.0,
                 out.data() + at(0, c0, n), n);
        });
    });
    if (isSet(cancel))
        return {};
    for (int i = 0; i < n; ++i)
        out[at(i, i, n)] += c;
    return out;
}

// The matrices of the samples in flight, reused from one sample to the next when small. A fresh
// buffer per sample is a fresh mmap (allocations >= 1 MiB, see limitAllocatorRetention) whose
// page faults serialize the runner's threads on the process's memory map: at N = 600 that kept
// 16 samples on 2 threads ~5% below the machine's ceiling. Large matrices are not kept (an idle
// sampler would hold them); their O(N^3) solve dwarfs the faults.
template <class T> class MatrixPool
{
public:
    static constexpr std::size_t kMaxKeptBytes = std::size_t{64} << 20;

    explicit MatrixPool(std::size_t elements) : m_elements(elements) {}

    struct Lease
    {
        MatrixPool* pool;
        std::unique_ptr<T[]> buf;
        Lease(MatrixPool* p, std::unique_ptr<T[]> b) : pool(p), buf(std::move(b)) {}
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        ~Lease() { pool->giveBack(std::move(buf)); }
        T* get() const { return buf.get(); }
    };

    // Uninitialized: the sampler writes the lower triangle before reading it.
    Lease take()
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            if (!m_free.empty()) {
                auto b = std::move(m_free.back());
                m_free.pop_back();
                return Lease(this, std::move(b));
            }
        }
        return Lease(this, std::make_unique_for_overwrite<T[]>(m_elements));
    }

private:
    void giveBack(std::unique_ptr<T[]> b)
    {
        if (!b || m_elements * sizeof(T) > kMaxKeptBytes)
            return;
        std::lock_guard<std::mutex> lock(m_mutex);
        m_free.push_back(std::move(b));
    }

    std::size_t m_elements;
    std::mutex m_mutex;
    std::vector<std::unique_ptr<T[]>> m_free;
};

class DenseSampler final : public Sampler
{
public:
    DenseSampler(const Model& m, std::uint64_t seed, DenseSolver solver,
                 const std::atomic<bool>* cancel)
        : m_noise(m.noise), m_n(m.n), m_seed(seed), m_complex(m.noise.isComplex()),
          m_scale(m.sigma / std::sqrt(static_cast<double>(m.n))),
          m_solver(resolve(solver, m.n, m.noise.isComplex())),
          m_work(queryWorkspace(m.n, m_complex, m_solver)), m_realPool(m_complex ? 0 : sq(m.n)),
          m_complexPool(m_complex ? sq(m.n) : 0)
    {
        const std::vector<double> s = signalSpectrum(m);
        if (m.eigvecs == Eigvecs::Basis) {
            m_diag = s;
        } else {
            // S = c I + O_k diag(s_j - c) O_k^T with k = r when the bulk is a constant c (only
            // the spikes' eigenvectors matter: O(N^2 r) instead of O(N^3)), else k = N.
            const int r = rankOf(m);
            const bool lowRank = bulkIsConstant(m) && r < m.n;
            const int k = lowRank ? r : m_n;
            const double c = lowRank ? s.back() : 0.0;
            // Cancelled (empty S): the runner sees the flag and never calls sample().
            if (m_complex)
                m_fullComplex =
                    buildSignal<cplx>(haarUnitaryColumns(m_n, k, seed, cancel), s, k, c, cancel);
            else
                m_full = buildSignal<double>(haarOrthogonalColumns(m_n, k, seed, cancel), s, k, c,
                                             cancel);
        }
    }

    SamplerKind kind() const override { return SamplerKind::Dense; }

    std::vector<double> sample(std::uint64_t k, const std::atomic<bool>* cancel) const override
    {
        auto cancelled = [cancel] { return cancel && cancel->load(std::memory_order_relaxed); };
        if (cancelled())
            return {};
        Rng rng(m_seed, k);
        const double* diag = m_diag.empty() ? nullptr : m_diag.data();
        return m_complex ? solveSample(m_complexPool, m_fullComplex, rng, diag, cancel)
                         : solveSample(m_realPool, m_full, rng, diag, cancel);
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
    // H of one sample in a pooled buffer, then its eigenvalues; empty if cancelled in between.
    // Only the lower triangle is written and read by the solver: the buffer stays uninitialized
    // elsewhere (no N^2 zero fill).
    template <class T>
    std::vector<double> solveSample(MatrixPool<T>& pool, const std::vector<T>& full, Rng& rng,
                                    const double* diag, const std::atomic<bool>* cancel) const
    {
        const auto h = pool.take();
        const T* addFull = full.empty() ? nullptr : full.data();
        if constexpr (std::is_same_v<T, cplx>)
            generateLowerComplex(m_noise, m_n, rng, m_scale, diag, addFull, h.get());
        else
            generateLowerReal(m_noise, m_n, rng, m_scale, diag, addFull, h.get());
        if (cancel && cancel->load(std::memory_order_relaxed))
            return {};
        return solveEigenvalues(m_n, h.get(), m_solver, m_work, cancel);
    }

    NoiseFamily m_noise;
    int m_n;
    std::uint64_t m_seed;
    bool m_complex;
    double m_scale;
    DenseSolver m_solver;
    Workspace m_work;
    std::vector<double> m_diag;            // s on the diagonal (eigvecs = basis)
    std::vector<double> m_full;            // S (eigvecs = haar, real noise)
    std::vector<cplx> m_fullComplex;       // S (eigvecs = haar, complex noise)
    mutable MatrixPool<double> m_realPool; // H of the samples in flight
    mutable MatrixPool<cplx> m_complexPool;
};

} // namespace

void pinBlasToOneThread()
{
    static std::once_flag once;
    std::call_once(once, [] {
        openblas_set_num_threads(1);
        limitAllocatorRetention();
    });
}

void limitAllocatorRetention()
{
#if defined(__GLIBC__)
    static std::once_flag once;
    std::call_once(once, [] { mallopt(M_MMAP_THRESHOLD, 1 << 20); });
#endif
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

DenseSolver autoDenseSolver(int n, bool complex)
{
    if (complex)
        return n >= kTwoStageMinNComplex ? DenseSolver::ParallelTwoStage : DenseSolver::Lapack;
    return n >= kTwoStageMinN ? DenseSolver::ParallelTwoStage : DenseSolver::Lapack;
}

std::string toString(DenseSolver s)
{
    static constexpr EnumNames<DenseSolver, 5> kNames{
        {{DenseSolver::Auto, "auto"},
         {DenseSolver::Lapack, "lapack"},
         {DenseSolver::LapackTwoStage, "lapack-2stage"},
         {DenseSolver::ParallelTwoStage, "parallel-2stage"},
         {DenseSolver::Eigen, "eigen"}}};
    return std::string(enumName(kNames, s));
}

std::unique_ptr<Sampler> makeDenseSampler(const Model& m, std::uint64_t seed, DenseSolver solver,
                                          const std::atomic<bool>* cancel)
{
    pinBlasToOneThread();
    return std::make_unique<DenseSampler>(m, seed, solver, cancel);
}

std::unique_ptr<Sampler> makeDenseSampler(const Model& m, std::uint64_t seed,
                                          const std::atomic<bool>* cancel)
{
    return makeDenseSampler(m, seed, DenseSolver::Auto, cancel);
}

std::size_t denseSamplerPeakBytes(const Model& m, int concurrency)
{
    const bool complex = m.noise.isComplex();
    const DenseSolver solver = autoDenseSolver(m.n, complex);
    return DenseSampler::peakBytesFor(m.n, complex, m.eigvecs == Eigvecs::Basis,
                                      queryWorkspace(m.n, complex, solver), concurrency);
}

} // namespace ws::core
