// Sampler selection (docs/model.md#samplers): the exact Gaussian banded sampler where it applies
// and costs less per sample (sampler_plan.h, usesBandedSampler), the dense one everywhere else.

#include "core/sampling/sampler.h"

#include "core/sampling/banded/banded.h"
#include "core/model/families.h"
#include "core/sampling/sampler_plan.h"
#include "core/util/enum_names.h"

#include <algorithm>
#include <cmath>

namespace ws::core {

namespace {

constexpr EnumNames<SamplerChoice, 3> kSamplerChoiceNames{{{SamplerChoice::Auto, "auto"},
                                                           {SamplerChoice::Dense, "dense"},
                                                           {SamplerChoice::Banded, "banded"}}};
constexpr EnumNames<SamplerKind, 2> kSamplerKindNames{
    {{SamplerKind::Dense, "dense"}, {SamplerKind::Banded, "banded"}}};

} // namespace

SamplerChoice parseSamplerChoice(std::string_view text)
{
    return parseEnum(kSamplerChoiceNames, text, "sampler");
}

SamplerKind parseSamplerKind(std::string_view text)
{
    return parseEnum(kSamplerKindNames, text, "sampler");
}

std::string toString(SamplerKind k)
{
    return std::string(enumName(kSamplerKindNames, k));
}

std::string toString(SamplerChoice c)
{
    return std::string(enumName(kSamplerChoiceNames, c));
}

std::string bandedInapplicableReason(const Model& m)
{
    // The banded model relies on the orthogonal (unitary) invariance of Gaussian noise: H is
    // then similar to noise + diag(s) with s = spikes and a single bulk value, which the band
    // reduction turns into a band matrix of width r. Other noise laws are not invariant, and a
    // bulk with distinct values makes S - c I full rank.
    if (m.noise.kind != NoiseKind::Gaussian && m.noise.kind != NoiseKind::Complex)
        return "the banded sampler needs gaussian or complex noise (noise is " + toString(m.noise) +
               ")";
    if (!bulkIsConstant(m))
        return "the banded sampler needs a zero or constant bulk (bulk " + toString(m.bulk) +
               " has distinct values)";
    // Its reduction forms sums of squares of the entries without scaling (that keeps it fast
    // and its bits fixed): the values of S and sigma must stay below 1e150 in magnitude, so
    // that they cannot overflow. The dense solver scales and takes any finite spectrum.
    constexpr double kMaxMagnitude = 1e150;
    auto [lo, hi] = spikeRange(m);
    if (const auto bulk = bulkRange(m)) {
        lo = std::min(lo, bulk->first);
        hi = std::max(hi, bulk->second);
    }
    if (std::max({std::abs(lo), std::abs(hi), m.sigma}) > kMaxMagnitude)
        return "the banded sampler needs sigma and the values of S below 1e150 in magnitude "
               "(sigma = " +
               formatDouble(m.sigma) + ", S from " + formatDouble(lo) + " to " + formatDouble(hi) +
               "; its sums of squares would overflow)";
    return {};
}

std::unique_ptr<Sampler> makeSampler(const Model& m, SamplerChoice choice, std::uint64_t seed,
                                     const std::atomic<bool>* cancel)
{
    switch (choice) {
    case SamplerChoice::Dense:
        return makeDenseSampler(m, seed, cancel);
    case SamplerChoice::Banded: {
        const std::string why = bandedInapplicableReason(m);
        if (!why.empty())
            throw InputError("sampler", why);
        return makeBandedSampler(m, seed);
    }
    case SamplerChoice::Auto:
        break;
    }
    // The one rule (sampler_plan.h): banded where it applies and its sample is cheaper.
    if (usesBandedSampler(m, SamplerChoice::Auto))
        return makeBandedSampler(m, seed);
    return makeDenseSampler(m, seed, cancel);
}

} // namespace ws::core
