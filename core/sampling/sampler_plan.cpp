// The sampler plan (see sampler_plan.h).
#include "core/sampling/sampler_plan.h"

#include "core/model/families.h"
#include "core/util/enum_names.h"

#include <algorithm>

namespace ws::core {

namespace {

constexpr EnumNames<SamplerPlan, 3> kSamplerPlanNames{
    {{SamplerPlan::BandedCounts, "banded (inertia counts)"},
     {SamplerPlan::Banded, "banded"},
     {SamplerPlan::Dense, "dense"}}};
constexpr EnumNames<SpectrumSource, 2> kSpectrumSourceNames{
    {{SpectrumSource::Eigenvalues, "eigenvalues"}, {SpectrumSource::InertiaCounts, "inertia"}}};

} // namespace

std::string toString(SamplerPlan p)
{
    return std::string(enumName(kSamplerPlanNames, p));
}

SpectrumSource parseSpectrumSource(std::string_view text)
{
    return parseEnum(kSpectrumSourceNames, text, "source");
}

std::string toString(SpectrumSource s)
{
    return std::string(enumName(kSpectrumSourceNames, s));
}

SamplerKind samplerKindOf(SamplerPlan p)
{
    return p == SamplerPlan::Dense ? SamplerKind::Dense : SamplerKind::Banded;
}

SpectrumSource spectrumSourceOf(SamplerPlan p)
{
    return p == SamplerPlan::BandedCounts ? SpectrumSource::InertiaCounts
                                          : SpectrumSource::Eigenvalues;
}

double denseSampleSeconds(const Model& m)
{
    const double n = std::max(m.n, 1);
    const double cube = m.n >= kTwoStageMinN ? kDenseCubeNs : kDenseSmallCubeNs;
    const double ns = kDenseSquareNs * n * n + cube * n * n * n;
    return (m.noise.isComplex() ? kComplexFactor : 1.0) * ns * 1e-9;
}

double bandedSampleSeconds(const Model& m)
{
    const double n = std::max(m.n, 1);
    const double r = std::clamp(rankOf(m), 1, std::max(m.n, 1));
    const double d = std::min(r + 1.0, n);
    const double draw = n * (kDrawNs + kDrawRankNs * r) +
                        kDrawStepNs * std::max(n - d, 0.0) * r * d + kTailNs * d * d * d;
    const double ns = draw + kDsterfNs * n * n;
    return (m.noise.isComplex() ? kComplexFactor : 1.0) * ns * 1e-9;
}

bool usesBandedSampler(const Model& m, SamplerChoice choice)
{
    if (choice != SamplerChoice::Auto)
        return choice == SamplerChoice::Banded;
    return bandedInapplicableReason(m).empty() && bandedSampleSeconds(m) < denseSampleSeconds(m);
}

bool bandedFastPathPays(const Model& m, int bins)
{
    if (!bandedInapplicableReason(m).empty())
        return false;
    const double n = m.n;
    const double r = rankOf(m);
    return n >= 1000 && std::max(bins, 0) + 50.0 * (r + 2.0) < 16.0 * n;
}

double bandedFastPathSeconds(const Model& m, int bins)
{
    const double n = m.n;
    const double r = std::max(rankOf(m), 1);
    const double counts = std::max(bins, 1) + 50.0 * (r + 2.0);
    return n * (100.0 + 15.0 * r + 0.4 * r * r + 0.8 * counts) * 1e-9;
}

SamplerPlan planSampler(const Model& m, SamplerChoice choice, int bins, bool needAllEigenvalues)
{
    if (!usesBandedSampler(m, choice))
        return SamplerPlan::Dense;
    if (!needAllEigenvalues && bandedFastPathPays(m, bins))
        return SamplerPlan::BandedCounts;
    return SamplerPlan::Banded;
}

} // namespace ws::core
