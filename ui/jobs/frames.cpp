#include "ui/jobs/frames.h"

#include "core/model/families.h"
#include "core/model/model.h"
#include "core/sampling/sampler.h"
#include "core/theory/theory_budget.h"
#include "core/theory/threshold.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cmath>
#include <limits>
#include <numbers>

namespace ws::ui {

std::vector<SpikeGroup> spikeGroups(const std::vector<core::OutlierPrediction>& outliers)
{
    std::vector<SpikeGroup> out;
    for (std::size_t i = 0; i < outliers.size(); ++i) {
        if (!out.empty() && outliers[out.back().first].theta == outliers[i].theta)
            ++out.back().size;
        else
            out.push_back({i, 1});
    }
    return out;
}

OutlierPlace outlierPlace(const core::Theory& t, const core::OutlierPrediction& p)
{
    const auto& support = t.equivalent.support;
    if (p.absorbed || p.interval >= support.size())
        return OutlierPlace::Absorbed;
    bool bulkBelow = false, bulkAbove = false;
    for (std::size_t k = 0; k < support.size(); ++k)
        if (support[k].kind == core::IntervalKind::Bulk) {
            bulkBelow = bulkBelow || k < p.interval;
            bulkAbove = bulkAbove || k > p.interval;
        }
    if (bulkBelow && bulkAbove)
        return OutlierPlace::Gap;
    if (bulkBelow)
        return OutlierPlace::Above;
    if (bulkAbove)
        return OutlierPlace::Below;
    return OutlierPlace::Apart;
}

std::string countText(double count)
{
    if (!std::isfinite(count))
        return "—";
    const double r = std::round(count);
    char buf[64];
    if (std::abs(count - r) < 1e-9)
        std::snprintf(buf, sizeof buf, "%.0f", r);
    else
        std::snprintf(buf, sizeof buf, std::abs(count) < 10.0 ? "%.2f" : "%.1f", count);
    return buf;
}

int chooseBins(double lo, double hi, double bulkLo, double bulkHi, double values, int maxBins)
{
    const int bulkBins =
        std::clamp(static_cast<int>(std::sqrt(std::max(values, 1.0)) / 2.0), 20, 120);
    // In halves where hi - lo overflows (a range reaching both ends of the doubles).
    const double half = std::isfinite(hi - lo) && std::isfinite(bulkHi - bulkLo) ? 1.0 : 0.5;
    const double span = half * hi - half * lo;
    const double bulkWidth = std::max(half * bulkHi - half * bulkLo, 1e-9 * std::max(half, span));
    const double width = bulkWidth / bulkBins;
    const double bins = std::ceil(span / width);
    return static_cast<int>(std::clamp(bins, 10.0, static_cast<double>(std::max(maxBins, 10))));
}

namespace {

// The bulk of S for the frame, without materializing N values when it is constant (N up to 10^6
// on the banded path, where the bulk is always constant).
void summarizeBulk(const core::Model& m, TheoryFrame& f)
{
    const int count = std::max(m.n - f.rank, 0);
    f.bulkCount = static_cast<std::size_t>(count);
    f.bulkHistogram.clear();
    f.bulkAtoms.clear();
    f.thresholdLargeHi.reset();
    f.thresholdLargeLo.reset();
    if (count == 0)
        return;
    std::vector<core::Atom> atoms;
    if (core::bulkIsConstant(m)) {
        const double c = constantBulkValue(m);
        atoms.push_back({c, 1.0});
        f.bulkLo = f.bulkHi = c;
        f.bulkHistogram.push_back(static_cast<double>(count));
    } else {
        const std::vector<double> bulk = core::bulkValues(m); // ascending
        atoms = core::groupAtoms(bulk);
        f.bulkLo = bulk.front();
        f.bulkHi = bulk.back();
        if (atoms.size() <= TheoryFrame::kMaxBulkAtoms) {
            for (const core::Atom& a : atoms) {
                f.bulkAtoms.push_back(a.value);
                f.bulkHistogram.push_back(std::round(a.weight * static_cast<double>(bulk.size())));
            }
        } else {
            const int bins = std::clamp(static_cast<int>(std::sqrt(bulk.size())), 5, 80);
            f.bulkHistogram.assign(static_cast<std::size_t>(bins), 0.0);
            const double w = (f.bulkHi - f.bulkLo) / bins;
            for (double v : bulk) {
                const int i = w > 0.0 ? static_cast<int>((v - f.bulkLo) / w) : 0;
                f.bulkHistogram[static_cast<std::size_t>(std::clamp(i, 0, bins - 1))] += 1.0;
            }
        }
    }
    const double fraction = static_cast<double>(count) / m.n;
    f.thresholdLargeHi = core::largeRankThreshold(atoms, fraction, m.sigma, +1);
    f.thresholdLargeLo = core::largeRankThreshold(atoms, fraction, m.sigma, -1);
}

} // namespace

double constantBulkValue(const core::Model& m)
{
    core::Model small = m;
    small.n = 2;
    small.rank = {true, 0.0, 1};
    small.spikes = {core::SpikeKind::Equal, {0.0}};
    return core::bulkValues(small).front();
}

TheoryFrame makeTheoryFrame(const core::Session& s, std::uint64_t generation)
{
    const auto t0 = std::chrono::steady_clock::now();
    core::validate(s.model);
    // A session may hold an N beyond the controls' range: the theory's memory first.
    core::checkTheoryBudget(s.model, 800, 0);
    TheoryFrame f;
    f.generation = generation;
    f.session = s;
    const core::Model& m = s.model;
    f.rank = core::rankOf(m);
    f.theory = core::computeTheory(m);
    f.spikes = core::spikeValues(m);
    f.groups = spikeGroups(f.theory.outliers);
    summarizeBulk(m, f);
    f.thresholdFinite = m.sigma;

    double lo = -2.0 * m.sigma, hi = 2.0 * m.sigma;
    for (const auto& iv : f.theory.equivalent.support) {
        lo = std::min(lo, iv.a);
        hi = std::max(hi, iv.b);
    }
    for (const auto& p : f.theory.outliers) {
        for (const auto& v : {p.finiteRank, p.largeRank}) {
            if (v && std::isfinite(*v)) {
                lo = std::min(lo, *v);
                hi = std::max(hi, *v);
            }
        }
    }
    double margin = 0.06 * (hi - lo) + 0.05 * m.sigma;
    f.histLo = lo - margin;
    f.histHi = hi + margin;
    if (!std::isfinite(f.histLo) || !std::isfinite(f.histHi)) {
        // Values near the end of the double range (a spike of 1.7e308): the same margin from
        // half the span, and the range kept within the doubles.
        constexpr double kMax = std::numeric_limits<double>::max();
        margin = 0.12 * (0.5 * hi - 0.5 * lo) + 0.05 * m.sigma;
        f.histLo = lo > -kMax + margin ? lo - margin : -kMax;
        f.histHi = hi < kMax - margin ? hi + margin : kMax;
    }
    f.viewLo = f.histLo;
    f.viewHi = f.histHi;
    const double values = static_cast<double>(m.n) * s.samples;
    const core::Extent bulk = core::bulkHull(f.theory);
    f.bins = chooseBins(f.histLo, f.histHi, bulk.lo, bulk.hi, values);
    // The fast path pays one inertia count per edge and sample: fewer, wider bins there.
    if (core::bandedFastPathPays(m, std::min(f.bins, kBandedMaxBins)))
        f.bins = chooseBins(f.histLo, f.histHi, bulk.lo, bulk.hi, values, kBandedMaxBins);
    f.plan = planSampler(m, f.bins);
    f.predictedSampler = samplerLabel(f.plan);

    double ymax = 0.0;
    for (double y : f.theory.equivalent.density.y)
        ymax = std::max(ymax, y);
    for (double y : f.theory.semicircle.y)
        ymax = std::max(ymax, y);
    f.densityMax = ymax > 0.0 && std::isfinite(ymax) ? ymax : 1.0 / (std::numbers::pi * m.sigma);
    f.theorySeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return f;
}

} // namespace ws::ui
