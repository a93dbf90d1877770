#pragma once
// Samplers draw one H for sample index k and return its eigenvalues (ascending).
// DESIGN.md section 3. A Sampler is built once per (model, seed) -- e.g. the Haar eigenvectors
// of S are drawn then -- and sample() is const and thread-safe, so TBB can call it from many
// threads at once.

#include "model.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ws::core {

enum class SamplerChoice { Auto, Dense, Banded };
SamplerChoice parseSamplerChoice(const std::string& text); // auto | dense | banded (InputError)
std::string toString(SamplerChoice c);

class Sampler
{
public:
    virtual ~Sampler() = default;
    // "dense" or "banded": the sampler that actually runs (shown by the CLI JSON and the GUI).
    virtual std::string name() const = 0;
    // Eigenvalues of sample k, ascending. Checks `cancel` at safe points; if it is set the
    // result is empty and must be discarded.
    virtual std::vector<double> sample(std::uint64_t k, const std::atomic<bool>* cancel) const = 0;
    // Peak bytes of the whole run with `concurrency` samples in flight at once.
    virtual std::size_t peakBytes(int concurrency) const = 0;
};

// Why the banded sampler does not apply to this model (empty if it does).
std::string bandedInapplicableReason(const Model& m);

// Builds the sampler for `choice` (Auto: banded where it applies, else dense). Throws
// InputError for Banded on a model it does not cover, saying why.
std::unique_ptr<Sampler> makeSampler(const Model& m, SamplerChoice choice, std::uint64_t seed);

// Dense sampler (any noise, any eigenvectors): builds H and computes all eigenvalues.
std::unique_ptr<Sampler> makeDenseSampler(const Model& m, std::uint64_t seed);

// Fills the N x N noise X (without the sigma/sqrt(N) factor) -- exposed for tests of the noise
// families' moments. Column-major, lower triangle (i >= j) filled, upper mirrored.
void fillNoiseReal(const NoiseFamily& f, int n, class Rng& rng, double* out);

} // namespace ws::core
