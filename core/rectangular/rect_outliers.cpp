// Observed outliers of the rectangular model (rectangular.h): the square model's rule
// (core/outliers) applied to a view of the rectangular theory, so that several lumps, gaps and
// clusters are handled as there.
#include "core/rectangular/rectangular.h"

#include <cmath>
#include <cstdint>

namespace ws::core {

namespace {

// Singular value -> the units of the observation. Claims may reach below 0 (the lowest
// interval's window): y |y| keeps them below every squared value and keeps the order.
double toUnits(double y, bool squared)
{
    return squared ? y * std::abs(y) : y;
}

} // namespace

Theory rectOutlierView(const RectTheory& theory, bool squared)
{
    Theory v;
    v.n = theory.p;
    const auto& sup = theory.equivalent.support;
    v.equivalent.support.resize(sup.size());
    for (std::size_t k = 0; k < sup.size(); ++k) {
        const RectSupportInterval& r = sup[k];
        SupportInterval& s = v.equivalent.support[k];
        s.a = squared ? r.a : std::sqrt(r.a);
        s.b = squared ? r.b : std::sqrt(r.b);
        s.mass = r.mass;
        s.firstAtom = r.firstAtom;
        s.lastAtom = r.lastAtom;
        s.kind = r.kind;
        s.count = r.count;
        s.spikes = r.spikes;
        s.claimLo = toUnits(r.claimLo, squared);
        s.claimHi = toUnits(r.claimHi, squared);
        for (double y : r.locations)
            s.locations.push_back(toUnits(y, squared));
    }
    v.outliers.resize(theory.outliers.size());
    for (std::size_t j = 0; j < theory.outliers.size(); ++j) {
        const RectOutlierPrediction& p = theory.outliers[j];
        OutlierPrediction& o = v.outliers[j];
        o.theta = p.theta;
        o.interval = p.interval;
        o.rank = p.rank;
        o.multiplicity = p.multiplicity;
        o.absorbed = p.absorbed;
        o.largeRank = squared ? p.largeRankSquared : p.largeRank;
        // A cluster of one atom is matched to its centre: the group's predicted value (mean
        // of the squares over the component, or its square root).
        if (p.interval < sup.size() && o.largeRank && !p.absorbed &&
            v.equivalent.support[p.interval].locations.empty())
            v.equivalent.support[p.interval].centre = *o.largeRank;
    }
    return v;
}

OutlierObservation observeRectSpectrum(const RectTheory& theory,
                                       const std::vector<std::vector<double>>& samples,
                                       bool squared)
{
    const Theory view = rectOutlierView(theory, squared);
    std::vector<SampleTally> tallies;
    tallies.reserve(samples.size());
    std::vector<double> values;
    for (const auto& sv : samples) {
        values.resize(sv.size());
        for (std::size_t i = 0; i < sv.size(); ++i)
            values[i] = squared ? sv[i] * sv[i] : sv[i];
        tallies.push_back(tallySample(view, values));
    }
    // Singular values: the root mean square of a group, the square root of what its
    // large-rank value predicts (the mean of the squares).
    return summarizeTallies(view, tallies,
                            squared ? GroupAverage::Mean : GroupAverage::RootMeanSquare);
}

std::vector<ObservedOutlier> observeRectOutliers(const RectTheory& theory,
                                                 const std::vector<std::vector<double>>& samples,
                                                 bool squared)
{
    return observeRectSpectrum(theory, samples, squared).spikes;
}

} // namespace ws::core
