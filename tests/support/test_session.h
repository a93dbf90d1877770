#pragma once
// A session for the GUI tests from the model's words: N, sigma, noise, bulk and spike families
// (CLI syntax), samples and seed. A spike family other than a list gets a fixed rank of 1.
#include "core/io/session.h"
#include "core/model/families.h"

#include <cstdint>

namespace testsupport {

inline ws::core::Session makeSession(int n, double sigma, const char* noise, const char* bulk,
                                     const char* spikes, int samples, std::uint64_t seed = 1)
{
    ws::core::Session s;
    s.model.n = n;
    s.model.sigma = sigma;
    s.model.noise = ws::core::parseNoise(noise);
    s.model.bulk = ws::core::parseBulk(bulk);
    s.model.spikes = ws::core::parseSpikes(spikes);
    if (s.model.spikes.kind != ws::core::SpikeKind::List)
        s.model.rank = ws::core::RankRule{true, 0.0, 1};
    s.samples = samples;
    s.seed = seed;
    return s;
}

} // namespace testsupport
