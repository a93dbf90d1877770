// The banded Sampler: draws the exact band model (banded_matrix.cpp) and solves it with LAPACK;
// its histogram fast path uses inertia counts (banded_inertia.cpp).
#include "core/sampling/banded/banded.h"

#include "core/model/families.h"

#include <algorithm>
#include <complex>

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
    auto stop = [cancel] { return cancel && cancel->load(std::memory_order_relaxed); };
    if (stop())
        return {};
    BandMatrix h = draw(k);
    if (stop())
        return {};
    return bandEigenvalues(std::move(h));
}

namespace {

// Bytes of one sample() call: the band, LAPACK's copy/workspace and the eigenvalues.
std::size_t sampleBytes(const Model& m)
{
    const auto n = static_cast<std::size_t>(std::max(m.n, 1));
    const auto w = static_cast<std::size_t>(bandWidthOf(m)) + 1;
    const std::size_t d = sizeof(double);
    if (!m.noise.isComplex() || w <= 2) {
        // Band (n w), then either d and e for dsterf (band freed first) or dsbev's 3n work.
        return n * w * d + 3 * n * d + n * d;
    }
    // Real and imaginary parts and the interleaved copy for zhbev at once (the parts are freed
    // after the copy), its complex work (n) and real work (3n), the eigenvalues.
    return 2 * n * w * d + n * w * sizeof(std::complex<double>) + n * sizeof(std::complex<double>) +
           3 * n * d + n * d;
}

} // namespace

std::size_t BandedSampler::peakBytes(int concurrency) const
{
    return static_cast<std::size_t>(std::max(concurrency, 1)) * sampleBytes(m_model);
}

BandedSpectrum BandedSampler::spectrum(std::uint64_t k, const BandedSpectrumRequest& req,
                                       const std::atomic<bool>* cancel) const
{
    if (cancel && cancel->load(std::memory_order_relaxed)) {
        BandedSpectrum s;
        s.cancelled = true;
        return s;
    }
    return bandedSpectrum(draw(k), req, cancel);
}

std::size_t BandedSampler::spectrumPeakBytes(int concurrency, std::size_t edgeCount) const
{
    return static_cast<std::size_t>(std::max(concurrency, 1)) *
           bandedSpectrumBytes(m_model, edgeCount);
}

std::size_t bandedSpectrumBytes(const Model& m, std::size_t edgeCount)
{
    const auto n = static_cast<std::size_t>(std::max(m.n, 1));
    const auto w = static_cast<std::size_t>(bandWidthOf(m)) + 1;
    const std::size_t d = sizeof(double);
    const std::size_t parts = (m.noise.isComplex() && w > 2) ? 2 : 1;
    // Band, plus the lane windows (at most 8 lanes x parts x w^2 + multipliers), plus probes.
    return parts * n * w * d + (parts * w * w + 4 * w) * 16 * d + 4 * edgeCount * d;
}

std::unique_ptr<Sampler> makeBandedSampler(const Model& m, std::uint64_t seed)
{
    return std::make_unique<BandedSampler>(m, seed);
}

} // namespace ws::core
