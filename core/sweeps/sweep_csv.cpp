// The sweep CSV (see sweep.h): one table of columns, each a header and the cell of a point, so
// that a column is added or moved in one place.
#include "core/sweeps/sweep.h"

#include <charconv>
#include <string>
#include <vector>

namespace ws::core {
namespace {

// Shortest round-trip text.
std::string num(double v)
{
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

// Empty when missing.
std::string opt(const std::optional<double>& v)
{
    return v ? num(*v) : std::string();
}

// f(the first element), or an empty cell for an empty list: the leading spike's values.
template <class T, class F> std::string first(const std::vector<T>& v, F&& f)
{
    return v.empty() ? std::string() : f(v.front());
}

struct Column
{
    const char* name;
    std::string (*cell)(const SweepPoint&);
};

const std::vector<Column>& columns()
{
    using P = const SweepPoint&;
    using Pred = const OutlierPrediction&;
    using Obs = const ObservedOutlier&;
    using Ov = const ObservedOverlap&;
    static const std::vector<Column> table = {
        {"value", [](P p) { return num(p.value); }},
        {"n", [](P p) { return std::to_string(p.model.n); }},
        {"rank", [](P p) { return std::to_string(p.rank); }},
        {"samples", [](P p) { return std::to_string(p.samples); }},
        {"sampler", [](P p) { return toString(p.sampler); }},
        {"source", [](P p) { return toString(p.source); }},
        {"bulk_lo", [](P p) { return num(p.bulkLo); }},
        {"bulk_hi", [](P p) { return num(p.bulkHi); }},
        {"intervals", [](P p) { return std::to_string(p.intervals.size()); }},
        {"clusters",
         [](P p) {
             int clusters = 0;
             for (const SupportInterval& iv : p.intervals)
                 clusters += iv.kind == IntervalKind::Cluster ? 1 : 0;
             return std::to_string(clusters);
         }},
        {"top_mean", [](P p) { return first(p.topMean, num); }},
        {"top_sd", [](P p) { return first(p.topSd, num); }},
        {"theta1", [](P p) { return first(p.predictions, [](Pred x) { return num(x.theta); }); }},
        {"finite_rank1",
         [](P p) { return first(p.predictions, [](Pred x) { return opt(x.finiteRank); }); }},
        {"large_rank1",
         [](P p) { return first(p.predictions, [](Pred x) { return opt(x.largeRank); }); }},
        {"predicted_sd1",
         [](P p) { return first(p.predictions, [](Pred x) { return opt(x.sd); }); }},
        {"observed_mean1",
         [](P p) { return first(p.observed, [](Obs x) { return opt(x.mean); }); }},
        {"observed_sd1", [](P p) { return first(p.observed, [](Obs x) { return opt(x.sd); }); }},
        {"observed_in_samples1",
         [](P p) {
             return std::to_string(p.observed.empty() ? 0 : p.observed.front().samplesPresent);
         }},
        {"overlap_finite_rank1",
         [](P p) { return first(p.predictions, [](Pred x) { return opt(x.overlapFiniteRank); }); }},
        {"overlap_large_rank1",
         [](P p) { return first(p.predictions, [](Pred x) { return opt(x.overlapLargeRank); }); }},
        {"overlap_mean1", [](P p) { return first(p.overlaps, [](Ov x) { return opt(x.mean); }); }},
        {"overlap_sd1", [](P p) { return first(p.overlaps, [](Ov x) { return opt(x.sd); }); }},
        {"predicted_outliers_finite", [](P p) { return std::to_string(p.predictedFinite); }},
        {"predicted_outliers_large", [](P p) { return std::to_string(p.predictedLarge); }},
        {"observed_outliers", [](P p) { return num(p.observedCount); }},
        {"observed_unexplained", [](P p) { return num(p.unexplained); }},
        {"error_finite", [](P p) { return opt(p.errorFinite); }},
        {"error_large", [](P p) { return opt(p.errorLarge); }},
        {"error_spikes", [](P p) { return std::to_string(p.errorSpikes); }},
        {"error_floor", [](P p) { return opt(p.errorFloor); }},
        {"seconds", [](P p) { return num(p.seconds); }},
    };
    return table;
}

} // namespace

std::string sweepCsv(const SweepResult& r)
{
    std::string s = "param";
    for (const Column& c : columns())
        s += std::string(",") + c.name;
    s += '\n';
    for (const SweepPoint& p : r.points) {
        s += toString(r.param);
        for (const Column& c : columns())
            s += ',' + c.cell(p);
        s += '\n';
    }
    return s;
}

} // namespace ws::core
