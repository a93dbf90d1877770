#pragma once
// Counter-based stream derivation + xoshiro256++: sample k of a run draws from its own stream
// derived from (seed, k) only, so results do not depend on the thread count or scheduling.
// Normals come from our own Marsaglia polar method (not std::normal_distribution, whose output
// is implementation-defined), so a seed gives the same numbers with any standard library.

#include <cmath>
#include <cstdint>
#include <limits>

namespace ws::core {

class Rng
{
public:
    // Stream `stream` of the run seeded with `seed`. Stream kHaarStream is reserved for the
    // eigenvectors of S (drawn once per seed).
    Rng(std::uint64_t seed, std::uint64_t stream);

    static constexpr std::uint64_t kHaarStream = std::numeric_limits<std::uint64_t>::max();

    std::uint64_t next();       // 64 random bits
    double uniform01();         // in [0, 1), 53 random bits
    double uniformOpen();       // in (0, 1)
    double normal();            // N(0, 1)
    double chi(double dof);     // sqrt of a chi-square with `dof` degrees of freedom (dof > 0)
    double gamma(double shape); // Gamma(shape, 1), Marsaglia-Tsang
    bool bernoulli(double p) { return uniform01() < p; }

private:
    std::uint64_t m_s[4];
    double m_spare = 0.0;
    bool m_hasSpare = false;
};

} // namespace ws::core
