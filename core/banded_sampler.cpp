// Placeholder until issue 4 lands: the banded engineer replaces this file with the exact
// Gaussian banded sampler. Until then "banded" runs the dense sampler (same law, slower).

#include "banded.h"

namespace ws::core {

std::unique_ptr<Sampler> makeBandedSampler(const Model& m, std::uint64_t seed)
{
    return makeDenseSampler(m, seed);
}

} // namespace ws::core
