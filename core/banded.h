#pragma once
// Exact Gaussian banded sampler (DESIGN.md section 3, issue 4): for gaussian/complex noise with
// a zero or constant bulk, H is similar to a band matrix of bandwidth r drawn with O(N r)
// random numbers (r = 1: Dumitriu-Edelman tridiagonal model).

#include "sampler.h"

namespace ws::core {

// Precondition: bandedInapplicableReason(m).empty().
std::unique_ptr<Sampler> makeBandedSampler(const Model& m, std::uint64_t seed);

} // namespace ws::core
