// The banded Sampler: draws the tridiagonal model (banded_tridiagonal.cpp) and solves it with
// LAPACK's dsterf; its histogram fast path uses Sturm counts on it (banded_inertia.cpp).
#include "core/sampling/banded/banded.h"

#include "core/model/families.h"

#include <algorithm>
#include <optional>

namespace ws::core {

BandedSampler::BandedSampler(const Model& m, std::uint64_t seed) : m_model(m), m_seed(seed)
{
    // Fails early with the reason (InputError) rather than on the first sample.
    const std::string why = bandedInapplicableReason(m);
    if (!why.empty())
        throw InputError("sampler", why);
}

std::vector<double> BandedSampler::sample(std::uint64_t k, const std::atomic<bool>* cancel) const
{
    if (cancel && cancel->load(std::memory_order_relaxed))
        return {};
    std::optional<BandMatrix> t = draw(k, cancel);
    if (!t || (cancel && cancel->load(std::memory_order_relaxed)))
        return {};
    return bandEigenvalues(std::move(*t));
}

namespace {

// Bytes of drawing the tridiagonal model: T (2 N), F and the step vectors (d r + 4 d per part,
// d = r + 1 slots), and the last d x d block densely with the GEMM operands F and F Theta
// (2 d r) and LAPACK's blocked workspace (complex: two parts an entry).
std::size_t drawBytes(const Model& m)
{
    const auto n = static_cast<std::size_t>(std::max(m.n, 1));
    const auto r = static_cast<std::size_t>(std::clamp(rankOf(m), 0, std::max(m.n, 1)));
    const std::size_t d = std::min(r + 1, n);
    const std::size_t dbl = sizeof(double);
    const std::size_t parts = m.noise.isComplex() ? 2 : 1;
    const std::size_t state = r > 1 ? parts * (d * r + 4 * d) * dbl : 0;
    const std::size_t finish = r > 1 ? parts * (d * d + 2 * d * r + 66 * d) * dbl : 0;
    return 2 * n * dbl + state + finish;
}

} // namespace

std::size_t BandedSampler::peakBytes(int concurrency) const
{
    // The draw, then dsterf's copies of the diagonals (2 N) and the eigenvalues (N).
    const std::size_t n = static_cast<std::size_t>(std::max(m_model.n, 1));
    return static_cast<std::size_t>(std::max(concurrency, 1)) *
           (drawBytes(m_model) + 3 * n * sizeof(double));
}

BandedSpectrum BandedSampler::spectrum(std::uint64_t k, const BandedSpectrumRequest& req,
                                       const std::atomic<bool>* cancel) const
{
    BandedSpectrum s;
    s.cancelled = true;
    if (cancel && cancel->load(std::memory_order_relaxed))
        return s;
    const std::optional<BandMatrix> t = draw(k, cancel);
    if (!t)
        return s;
    return bandedSpectrum(*t, req, cancel);
}

std::size_t BandedSampler::spectrumPeakBytes(int concurrency, std::size_t edgeCount) const
{
    return static_cast<std::size_t>(std::max(concurrency, 1)) *
           bandedSpectrumBytes(m_model, edgeCount);
}

std::size_t bandedSpectrumBytes(const Model& m, std::size_t edgeCount)
{
    // The draw, the Sturm kernel's lanes, and the probes of the counts and the bisection.
    return drawBytes(m) + 1024 * sizeof(double) + 4 * edgeCount * sizeof(double);
}

std::unique_ptr<Sampler> makeBandedSampler(const Model& m, std::uint64_t seed)
{
    return std::make_unique<BandedSampler>(m, seed);
}

} // namespace ws::core
