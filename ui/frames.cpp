#include "frames.h"

#include "core/families.h"
#include "core/model.h"
#include "core/sampler.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numbers>

namespace ws::ui {

std::optional<double> largeRankThreshold(const std::vector<double>& bulk, int n, double sigma,
                                         int sign)
{
    if (bulk.empty() || n <= 0)
        return std::nullopt;
    const auto atoms = core::groupAtoms(bulk); // weights relative to the bulk size
    const double scale = static_cast<double>(bulk.size()) / n;
    const double edge = sign > 0 ? bulk.back() : bulk.front();
    // f(theta) = sigma^2 (1/N) sum_bulk 1/(theta - s)^2 decreases away from the bulk and is
    // <= sigma^2/(theta - edge)^2, so the root lies within sigma of the edge.
    auto f = [&](double theta) {
        double sum = 0.0;
        for (const auto& a : atoms) {
            const double d = theta - a.value;
            sum += a.weight / (d * d);
        }
        return sigma * sigma * scale * sum;
    };
    double near = 0.0, far = sigma; // distances from the edge
    for (int i = 0; i < 80; ++i) {
        const double mid = 0.5 * (near + far);
        if (f(edge + sign * mid) > 1.0)
            near = mid;
        else
            far = mid;
    }
    return edge + sign * far;
}

int chooseBins(double lo, double hi, double bulkLo, double bulkHi, double values)
{
    const int bulkBins =
        std::clamp(static_cast<int>(std::sqrt(std::max(values, 1.0)) / 2.0), 20, 120);
    const double bulkWidth = std::max(bulkHi - bulkLo, 1e-9 * std::max(1.0, hi - lo));
    const double width = bulkWidth / bulkBins;
    const double bins = std::ceil((hi - lo) / width);
    return static_cast<int>(std::clamp(bins, 10.0, 4000.0));
}

TheoryFrame makeTheoryFrame(const core::Session& s, std::uint64_t generation)
{
    const auto t0 = std::chrono::steady_clock::now();
    core::validate(s.model);
    TheoryFrame f;
    f.generation = generation;
    f.session = s;
    const core::Model& m = s.model;
    f.rank = core::rankOf(m);
    f.theory = core::computeTheory(m);
    f.spikes = core::spikeValues(m);
    f.bulk = core::bulkValues(m);
    f.thresholdFinite = m.sigma;
    f.thresholdLargeHi = largeRankThreshold(f.bulk, m.n, m.sigma, +1);
    f.thresholdLargeLo = largeRankThreshold(f.bulk, m.n, m.sigma, -1);
    f.predictedSampler = core::bandedInapplicableReason(m).empty() ? "banded" : "dense";

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
    const double margin = 0.06 * (hi - lo) + 0.05 * m.sigma;
    f.histLo = lo - margin;
    f.histHi = hi + margin;
    f.viewLo = f.histLo;
    f.viewHi = f.histHi;
    f.bins = chooseBins(f.histLo, f.histHi, f.theory.mainBulkLo, f.theory.mainBulkHi,
                        static_cast<double>(m.n) * s.samples);

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
