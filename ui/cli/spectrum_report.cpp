// Support intervals, predictions and validity as JSON and text (see spectrum_report.h).
#include "ui/cli/spectrum_report.h"

#include "core/model/families.h"

#include <cmath>
#include <ostream>
#include <sstream>

namespace ws::cli {

namespace {

ojson edgeJson(const core::EdgeScale& e)
{
    ojson j;
    j["gamma"] = e.gamma;
    j["window"] = e.window;
    j["regularity"] = std::isfinite(e.regularity) ? ojson(e.regularity) : ojson(nullptr);
    j["tracy_widom"] = e.tracyWidom;
    return j;
}

std::string interval(double a, double b)
{
    std::string s(1, '[');
    s.append(num(a)).append(", ").append(num(b)).append("]");
    return s;
}

} // namespace

ojson intervalJson(const core::SupportInterval& iv, const core::ObservedInterval* observed,
                   bool withLocations)
{
    ojson j;
    j["a"] = iv.a;
    j["b"] = iv.b;
    j["mass"] = iv.mass;
    j["label"] = core::toString(iv.kind);
    j["predicted_count"] = iv.count;
    j["spikes"] = iv.spikes;
    j["claim"] = ojson::array({iv.claimLo, iv.claimHi});
    j["edges"] = ojson{{"lo", edgeJson(iv.lo)}, {"hi", edgeJson(iv.hi)}};
    if (iv.centre)
        j["centre"] = *iv.centre;
    if (iv.spread)
        j["spread"] = *iv.spread;
    if (iv.sdMean)
        j["sd_mean"] = *iv.sdMean;
    if (iv.overlapGroup)
        j["overlap_group"] = *iv.overlapGroup;
    if (withLocations && !iv.locations.empty())
        j["locations"] = iv.locations;
    if (observed) {
        j["observed_count"] = observed->meanCount;
        j["observed_count_min"] = observed->minCount;
        j["observed_count_max"] = observed->maxCount;
        if (iv.kind == core::IntervalKind::Cluster) {
            j["observed_complete_samples"] = observed->samplesComplete;
            j["observed_mean"] = valueOrNull(observed->mean);
            j["observed_sd"] = valueOrNull(observed->sd);
            j["observed_spread"] = valueOrNull(observed->spread);
        }
    }
    return j;
}

ojson intervalsJson(const std::vector<core::SupportInterval>& support,
                    const std::vector<core::ObservedInterval>* observed, bool withLocations)
{
    ojson out = ojson::array();
    for (std::size_t k = 0; k < support.size(); ++k)
        out.push_back(intervalJson(support[k],
                                   observed && k < observed->size() ? &(*observed)[k] : nullptr,
                                   withLocations));
    return out;
}

ojson predictionJson(const std::vector<core::SupportInterval>& support,
                     const core::OutlierPrediction& p)
{
    ojson j;
    j["theta"] = p.theta;
    j["finite_rank"] = valueOrNull(p.finiteRank);
    j["large_rank"] = valueOrNull(p.largeRank);
    j["overlap_finite_rank"] = valueOrNull(p.overlapFiniteRank);
    j["overlap_large_rank"] = valueOrNull(p.overlapLargeRank);
    j["separation"] = p.separation;
    j["interval"] = p.interval;
    j["absorbed"] = p.absorbed;
    j["reason"] = p.reason == core::NoOutlierReason::None ? ojson(nullptr)
                                                          : ojson(core::reasonText(support, p));
    j["predicted_sd"] = valueOrNull(p.sd);
    j["flags"] = core::flagNames(p.flags);
    return j;
}

void putObserved(ojson& j, const core::ObservedOutlier& o)
{
    j["observed_mean"] = valueOrNull(o.mean);
    j["observed_sd"] = valueOrNull(o.sd);
    j["observed_in_samples"] = o.samplesPresent;
    j["observed_count"] = o.meanCount;
    j["observed_spread"] = valueOrNull(o.spread);
}

std::vector<std::string> theoryWarnings(const core::Model& m, bool heavyTails)
{
    std::vector<std::string> out;
    if (heavyTails)
        out.push_back("noise " + core::toString(m.noise) +
                      " has no finite fourth moment: the outlier, fluctuation and edge "
                      "predictions do not hold for it");
    return out;
}

ojson validityJson(const core::Model& m, bool heavyTails, bool nonGaussian)
{
    ojson j;
    j["heavy_tails"] = heavyTails;
    j["non_gaussian"] = nonGaussian;
    j["kappa4"] = valueOrNull(core::fourthCumulant(m.noise));
    j["warnings"] = theoryWarnings(m, heavyTails);
    return j;
}

void printWarnings(std::ostream& err, const std::vector<std::string>& warnings)
{
    for (const std::string& w : warnings)
        err << "warning: " << w << '\n';
    err << std::flush;
}

std::string intervalsText(const std::vector<core::SupportInterval>& support,
                          const std::vector<core::ObservedInterval>* observed, std::size_t maxRows)
{
    std::ostringstream s;
    const std::size_t rows = std::min(support.size(), maxRows);
    for (std::size_t k = 0; k < rows; ++k) {
        const core::SupportInterval& iv = support[k];
        s << "          " << pad(interval(iv.a, iv.b), 28) << pad(core::toString(iv.kind), 9)
          << "count " << pad(std::to_string(iv.count), 8);
        if (observed && k < observed->size())
            s << "observed " << pad(num((*observed)[k].meanCount, 6), 10);
        if (iv.kind == core::IntervalKind::Cluster && iv.centre)
            s << "centre " << num(*iv.centre, 5) << ", spread " << num(iv.spread, 3);
        const bool irregular = (iv.count > 3) && (!iv.lo.tracyWidom || !iv.hi.tracyWidom);
        if (irregular)
            s << (iv.kind == core::IntervalKind::Cluster && iv.centre ? "; " : "")
              << "edge not in the Tracy-Widom regime at this N";
        s << "\n";
    }
    if (support.size() > rows)
        s << "          ... " << support.size() - rows << " more intervals (see --json)\n";
    return s.str();
}

std::string trimLines(const std::string& text)
{
    std::string out;
    out.reserve(text.size());
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        const bool newline = end != std::string::npos;
        if (!newline)
            end = text.size();
        std::size_t last = end;
        while (last > start && text[last - 1] == ' ')
            --last;
        out.append(text, start, last - start);
        if (newline)
            out += '\n';
        start = end + 1;
    }
    return out;
}

std::string thetaText(double theta, std::size_t multiplicity)
{
    return multiplicity > 1 ? num(theta) + " x" + std::to_string(multiplicity) : num(theta);
}

std::string predictionNote(const std::vector<core::SupportInterval>& support,
                           const core::OutlierPrediction& p)
{
    if (p.reason != core::NoOutlierReason::None)
        return core::reasonText(support, p);
    std::string s;
    for (const std::string& f : core::flagNames(p.flags))
        s += (s.empty() ? "" : ", ") + f;
    return s;
}

} // namespace ws::cli
