// Squared eigenvector overlaps of the outliers (see overlap.h).
#include "core/outliers/overlap.h"

#include "core/sampling/banded/banded.h"
#include "core/model/families.h"
#include "core/util/largest_fit.h"
#include "core/outliers/outliers.h"
#include "core/outliers/overlap_internal.h"
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
#include <numeric>
#include <stdexcept>

namespace ws::core {

using namespace overlaps;

namespace {

// The cluster intervals of a theory and what the overlaps need of each.
struct ClusterRef
{
    std::size_t interval = 0;
    double lo = 0.0, hi = 0.0; // its claim: the eigenvalues that belong to it
    int count = 0;             // predicted number of eigenvalues
    // Its spikes grouped by atom (equal theta), indices into theory.outliers.
    std::vector<std::vector<std::size_t>> atoms;
};

std::vector<ClusterRef> clustersOf(const Theory& t)
{
    std::vector<ClusterRef> out;
    const auto& sup = t.equivalent.support;
    std::vector<int> index(sup.size(), -1);
    for (std::size_t k = 0; k < sup.size(); ++k)
        if (sup[k].kind == IntervalKind::Cluster) {
            index[k] = static_cast<int>(out.size());
            ClusterRef c;
            c.interval = k;
            c.lo = sup[k].claimLo;
            c.hi = sup[k].claimHi;
            c.count = sup[k].count;
            out.push_back(std::move(c));
        }
    for (std::size_t j = 0; j < t.outliers.size(); ++j) {
        const OutlierPrediction& p = t.outliers[j];
        if (p.absorbed || p.interval >= sup.size() || index[p.interval] < 0)
            continue;
        ClusterRef& c = out[static_cast<std::size_t>(index[p.interval])];
        if (c.atoms.empty() || t.outliers[c.atoms.back().front()].theta != p.theta)
            c.atoms.emplace_back();
        c.atoms.back().push_back(j);
    }
    return out;
}

int pairsOf(const std::vector<ClusterRef>& clusters)
{
    int total = 0;
    for (const ClusterRef& c : clusters)
        total += c.count;
    return total;
}

// Householder tridiagonalization of the Hermitian matrix whose lower triangle is in `a`
// (overwritten by the reflectors): T = Q^H A Q with diagonal d and off-diagonal e.
void tridiagonalize(int n, double* a, std::vector<double>& d, std::vector<double>& e,
                    std::vector<double>& tau)
{
    checkInfo(LAPACKE_dsytrd(LAPACK_COL_MAJOR, 'L', n, a, n, d.data(), e.data(), tau.data()),
              "dsytrd");
}
void tridiagonalize(int n, cplx* a, std::vector<double>& d, std::vector<double>& e,
                    std::vector<cplx>& tau)
{
    checkInfo(LAPACKE_zhetrd(LAPACK_COL_MAJOR, 'L', n, a, n, d.data(), e.data(), tau.data()),
              "zhetrd");
}
// z (n x m) <- Q z.
void backTransform(int n, int m, const double* a, const std::vector<double>& tau, double* z)
{
    checkInfo(LAPACKE_dormtr(LAPACK_COL_MAJOR, 'L', 'L', 'N', n, m, a, n, tau.data(), z, n),
              "dormtr");
}
void backTransform(int n, int m, const cplx* a, const std::vector<cplx>& tau, cplx* z)
{
    checkInfo(LAPACKE_zunmtr(LAPACK_COL_MAJOR, 'L', 'L', 'N', n, m, a, n, tau.data(), z, n),
              "zunmtr");
}
lapack_int stein(int n, const double* d, const double* e, lapack_int m, const double* w,
                 const lapack_int* iblock, const lapack_int* isplit, double* z, lapack_int* ifail)
{
    return LAPACKE_dstein(LAPACK_COL_MAJOR, n, d, e, m, w, iblock, isplit, z, n, ifail);
}
lapack_int stein(int n, const double* d, const double* e, lapack_int m, const double* w,
                 const lapack_int* iblock, const lapack_int* isplit, cplx* z, lapack_int* ifail)
{
    return LAPACKE_zstein(LAPACK_COL_MAJOR, n, d, e, m, w, iblock, isplit, z, n, ifail);
}

// The eigenpairs of the dense Hermitian matrix (lower triangle in `a`, destroyed) with
// eigenvalues in [lo, hi] of each cluster: values ascending, vectors column-major n x count,
// as complex.
template <class T>
void clusterPairs(int n, std::vector<T>& a, const std::vector<ClusterRef>& clusters,
                  std::vector<std::vector<double>>& values, std::vector<std::vector<cplx>>& vectors)
{
    const auto nu = static_cast<std::size_t>(n);
    std::vector<double> d(nu), e(std::max<std::size_t>(nu, 1)), w(nu);
    std::vector<T> tau(std::max<std::size_t>(nu, 1));
    tridiagonalize(n, a.data(), d, e, tau);
    std::vector<lapack_int> iblock(nu), isplit(nu);
    values.assign(clusters.size(), {});
    vectors.assign(clusters.size(), {});
    for (std::size_t c = 0; c < clusters.size(); ++c) {
        lapack_int m = 0, nsplit = 0;
        // Range 'V' is (vl, vu]: step below lo to include it.
        const double vl = std::nextafter(clusters[c].lo, -std::numeric_limits<double>::infinity());
        checkInfo(LAPACKE_dstebz('V', 'B', n, vl, clusters[c].hi, 0, 0, 0.0, d.data(), e.data(), &m,
                                 &nsplit, w.data(), iblock.data(), isplit.data()),
                  "dstebz");
        if (m == 0)
            continue;
        const auto mu = static_cast<std::size_t>(m);
        std::vector<T> z(nu * mu);
        std::vector<lapack_int> ifail(mu);
        checkInfo(stein(n, d.data(), e.data(), m, w.data(), iblock.data(), isplit.data(), z.data(),
                        ifail.data()),
                  "stein");
        backTransform(n, m, a.data(), tau, z.data());
        // Ordered by split block: sort by value.
        std::vector<std::size_t> order(mu);
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t x, std::size_t y) { return w[x] < w[y]; });
        values[c].resize(mu);
        vectors[c].resize(nu * mu);
        for (std::size_t q = 0; q < mu; ++q) {
            values[c][q] = w[order[q]];
            for (std::size_t i = 0; i < nu; ++i)
                vectors[c][q * nu + i] = cplx(z[order[q] * nu + i]);
        }
    }
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

} // namespace

struct OverlapSolver::Impl
{
    Theory theory; // for intervalOf
    std::vector<ClusterRef> clusters;
    std::optional<OutlierThresholds> thresholds; // banded: what to locate
    DenseSignal signal;                          // dense runs with clusters only
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
    m_impl->theory = theory;
    m_impl->clusters = clustersOf(theory);
    m_impl->thresholds = outlierThresholds(theory);
    m_pairs = pairsOf(m_impl->clusters);
    if (banded || m_pairs == 0)
        return;
    pinBlasToOneThread();
    m_impl->signal = denseSignal(m, seed);
}

OverlapSolver::~OverlapSolver() = default;

std::size_t OverlapSolver::peakBytes(int concurrency) const
{
    const int n = m_model.n;
    const std::size_t elem = m_model.noise.isComplex() ? sizeof(cplx) : sizeof(double);
    const std::size_t k = static_cast<std::size_t>(m_pairs);
    const std::size_t c = static_cast<std::size_t>(std::max(concurrency, 1));
    if (m_banded) {
        const std::size_t kd = static_cast<std::size_t>(bandWidthOf(m_model) + 1);
        const std::size_t perSample =
            (5 * kd + 2) * static_cast<std::size_t>(n) * sizeof(cplx) + k * n * sizeof(cplx);
        return c * std::max(perSample, sq(n) * elem + 2 * k * n * sizeof(cplx));
    }
    // H, the vectors (twice while sorted) and O(N) work arrays; shared O and S for haar (3 N^2
    // while S is built).
    const std::size_t perSample =
        sq(n) * elem + 2 * k * n * sizeof(cplx) + 40 * static_cast<std::size_t>(n) * 8;
    const std::size_t shared = m_model.eigvecs == Eigvecs::Haar ? 3 * sq(n) * elem : 0;
    return c * perSample + shared;
}

SampleOverlaps OverlapSolver::sample(std::uint64_t k, const std::atomic<bool>* cancel) const
{
    auto cancelled = [cancel] { return cancel && cancel->load(std::memory_order_relaxed); };
    const Impl& im = *m_impl;
    SampleOverlaps out;
    out.perSpike.assign(im.theory.outliers.size(), std::nullopt);
    out.perInterval.assign(im.theory.equivalent.support.size(), std::nullopt);
    if (m_pairs == 0)
        return out;
    if (cancelled()) {
        out.cancelled = true;
        return out;
    }
    const int n = m_model.n;
    const auto nu = static_cast<std::size_t>(n);

    // Per cluster: its eigenvalues (ascending) and vectors (column-major n x count).
    std::vector<std::vector<double>> values;
    std::vector<std::vector<cplx>> vectors;
    bool bandCoordinates = m_banded; // spike j is coordinate j (band, or dense basis)
    auto dense = [&](auto& a) { clusterPairs(n, a, im.clusters, values, vectors); };
    if (m_banded) {
        const BandMatrix h = drawBandMatrix(m_model, m_seed, k);
        const double kd = h.kd;
        if (!im.thresholds ||
            static_cast<double>(m_pairs) * kd * kd > static_cast<double>(n) * n / 3.0) {
            // Wide band (r close to N): one dense reduction is cheaper than an LU per outlier.
            if (h.isComplex()) {
                std::vector<cplx> a = bandToDense<cplx>(h);
                dense(a);
            } else {
                std::vector<double> a = bandToDense<double>(h);
                dense(a);
            }
        } else {
            BandedSpectrumRequest req;
            req.above = im.thresholds->above;
            req.below = im.thresholds->below;
            req.maxOutliers = im.thresholds->maxOutliers;
            const BandedSpectrum sp = bandedSpectrum(h, req, cancel);
            if (sp.cancelled || cancelled()) {
                out.cancelled = true;
                return out;
            }
            // The located eigenvalues of each cluster, then their vectors in one go.
            std::vector<double> located = sp.bottom;
            located.insert(located.end(), sp.top.begin(), sp.top.end());
            std::sort(located.begin(), located.end());
            located.erase(std::unique(located.begin(), located.end()), located.end());
            values.assign(im.clusters.size(), {});
            std::vector<double> want;
            for (std::size_t c = 0; c < im.clusters.size(); ++c) {
                for (double x : located)
                    if (intervalOf(im.theory, x) == static_cast<int>(im.clusters[c].interval))
                        values[c].push_back(x);
                want.insert(want.end(), values[c].begin(), values[c].end());
            }
            const std::vector<cplx> z = bandEigenvectors(h, want);
            vectors.assign(im.clusters.size(), {});
            std::size_t at = 0;
            for (std::size_t c = 0; c < im.clusters.size(); ++c) {
                const std::size_t len = values[c].size() * nu;
                vectors[c].assign(z.begin() + static_cast<std::ptrdiff_t>(at),
                                  z.begin() + static_cast<std::ptrdiff_t>(at + len));
                at += len;
            }
        }
    } else {
        bandCoordinates = m_model.eigvecs == Eigvecs::Basis;
        // H of sample k as the dense sampler builds it (dense_matrix.cpp), then its clusters.
        bool stopped = false;
        auto denseSample = [&](auto a) {
            buildLower(m_model, m_seed, k, im.signal, a);
            stopped = cancelled();
            if (!stopped)
                dense(a);
        };
        if (m_model.noise.isComplex())
            denseSample(std::vector<cplx>{});
        else
            denseSample(std::vector<double>{});
        if (stopped) {
            out.cancelled = true;
            return out;
        }
    }

    // |<v_j, u>|^2 for spike j and the unit eigenvector u.
    auto overlap = [&](std::size_t j, const cplx* u) {
        if (bandCoordinates)
            return std::norm(u[j]);
        cplx dot = 0.0;
        if (!im.signal.o.empty()) {
            const double* v = im.signal.o.data() + j * nu;
            for (std::size_t i = 0; i < nu; ++i)
                dot += v[i] * u[i];
        } else {
            const cplx* v = im.signal.oc.data() + j * nu;
            for (std::size_t i = 0; i < nu; ++i)
                dot += std::conj(v[i]) * u[i];
        }
        return std::norm(dot);
    };
    for (std::size_t c = 0; c < im.clusters.size(); ++c) {
        out.eigenvalues.insert(out.eigenvalues.end(), values[c].begin(), values[c].end());
        const ClusterRef& cl = im.clusters[c];
        const std::size_t m = values[c].size();
        if (static_cast<int>(m) != cl.count || vectors[c].size() < m * nu)
            continue; // incomplete in this sample
        double clusterSum = 0.0;
        int spikes = 0;
        for (const auto& atom : cl.atoms) {
            double sum = 0.0;
            for (std::size_t j : atom)
                for (std::size_t q = 0; q < m; ++q)
                    sum += overlap(j, vectors[c].data() + q * nu);
            for (std::size_t j : atom)
                out.perSpike[j] = sum / static_cast<double>(atom.size());
            clusterSum += sum;
            spikes += static_cast<int>(atom.size());
        }
        if (spikes > 0)
            out.perInterval[cl.interval] = clusterSum / spikes;
    }
    std::sort(out.eigenvalues.begin(), out.eigenvalues.end());
    return out;
}

namespace {

std::vector<ObservedOverlap> summarize(const std::vector<SampleOverlaps>& samples,
                                       std::size_t count,
                                       std::vector<std::optional<double>> SampleOverlaps::*field)
{
    std::vector<ObservedOverlap> out(count);
    for (std::size_t j = 0; j < count; ++j) {
        double mean = 0.0, m2 = 0.0;
        int seen = 0;
        for (const auto& s : samples) {
            const auto& v = s.*field;
            if (j >= v.size() || !v[j])
                continue;
            ++seen;
            const double x = *v[j];
            const double d = x - mean;
            mean += d / seen;
            m2 += d * (x - mean);
        }
        out[j].samplesPresent = seen;
        if (seen >= 1)
            out[j].mean = mean;
        if (seen >= 2)
            out[j].sd = std::sqrt(m2 / (seen - 1));
    }
    return out;
}

} // namespace

std::vector<ObservedOverlap> summarizeOverlaps(const std::vector<SampleOverlaps>& samples,
                                               std::size_t spikes)
{
    return summarize(samples, spikes, &SampleOverlaps::perSpike);
}

std::vector<ObservedOverlap> summarizeIntervalOverlaps(const std::vector<SampleOverlaps>& samples,
                                                       std::size_t intervals)
{
    return summarize(samples, intervals, &SampleOverlaps::perInterval);
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
        const std::size_t elem = m.noise.isComplex() ? sizeof(cplx) : sizeof(double);
        const std::size_t k = static_cast<std::size_t>(pairsOf(clustersOf(theory)));
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
                       : c * (n * n * elem + 2 * k * n * sizeof(cplx) + 320 * n) +
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
    result.requested = shape.count;
    // Over the run's samples (RunOptions::subset in a cluster run): sample k = sampleAt(opt, i).
    auto samples = runSubsetLoop<SampleOverlaps>(
        arena, opt, shape.count, cancel,
        [&](std::uint64_t k) -> std::optional<SampleOverlaps> {
            SampleOverlaps s = solver->sample(k, cancel);
            if (s.cancelled)
                return std::nullopt;
            return s;
        },
        {}, progress);
    recordSamples(result, result.samples, std::move(samples), start);
    result.observed = summarizeOverlaps(result.samples, theory.outliers.size());
    for (std::size_t j = 0; j < result.observed.size(); ++j)
        result.observed[j].groupSize = std::max(theory.outliers[j].multiplicity, 1);
    result.intervals = summarizeIntervalOverlaps(result.samples, theory.equivalent.support.size());
    return result;
}

} // namespace ws::core
