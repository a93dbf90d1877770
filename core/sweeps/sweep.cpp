// Parameter sweeps on the core's runner (see sweep.h).
#include "core/sweeps/sweep.h"

#include "core/sampling/banded/banded.h"
#include "core/model/families.h"
#include "core/sweeps/located.h"
#include "core/sweeps/point_loop.h"
#include "core/outliers/window.h"
#include "core/sampling/run_setup.h"
#include "core/sampling/sampler.h"
#include "core/sampling/sampler_plan.h"
#include "core/util/bytes.h"
#include "core/util/enum_names.h"
#include "core/util/largest_fit.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <climits>
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>

namespace ws::core {
namespace {

using Clock = std::chrono::steady_clock;

std::string fmt(double v)
{
    return formatDouble(v);
}

// The letters of a family string's values (families.h), "v<k>" for a list.
std::string familyValueName(SweepParam p, const Model& base, int index)
{
    static const std::vector<std::string> kSpikes[] = {{"t"}, {"a", "b"}, {"t", "g"}, {}};
    static const std::vector<std::string> kBulk[] = {{}, {"a", "b"}, {"rho"}, {"a", "b", "p"}, {}};
    const std::vector<std::string>& names = p == SweepParam::Spikes
                                                ? kSpikes[static_cast<int>(base.spikes.kind)]
                                                : kBulk[static_cast<int>(base.bulk.kind)];
    if (index >= 0 && static_cast<std::size_t>(index) < names.size())
        return names[static_cast<std::size_t>(index)];
    std::string name = "v"; // not "v" + to_string(): GCC 12 warns falsely (-Wrestrict) there
    name += std::to_string(index + 1);
    return name;
}

// Sets value `index` of a family's values, or says that the family has no such value.
void setFamilyValue(std::vector<double>& params, int index, double value, const char* what,
                    const std::string& family)
{
    if (index < 0 || static_cast<std::size_t>(index) >= params.size())
        throw InputError("param", std::string(what) + ":" + std::to_string(index + 1) +
                                      " names value " + std::to_string(index + 1) + " of the " +
                                      what + " '" + family + "', which has " +
                                      std::to_string(params.size()) +
                                      (params.size() == 1 ? " value" : " values"));
    params[static_cast<std::size_t>(index)] = value;
}

// Scales every spike value of the family by f.
SpikeFamily scaled(const SpikeFamily& s, double f)
{
    SpikeFamily out = s;
    switch (s.kind) {
    case SpikeKind::Equal:
    case SpikeKind::Power:
        out.params.at(0) *= f; // t (power: the exponent g stays)
        break;
    case SpikeKind::Linear:
    case SpikeKind::List:
        for (double& v : out.params)
            v *= f;
        break;
    }
    return out;
}

Model modelFor(const SweepSpec& spec, double value)
{
    Model m = spec.base;
    switch (spec.param) {
    case SweepParam::Theta:
        if (spec.rankOne) {
            m.rank = RankRule{true, 0.0, 1};
            m.spikes = SpikeFamily{SpikeKind::Equal, {value}};
        } else {
            const std::vector<double> theta = spikeValues(spec.base);
            double ref = 0.0;
            for (double t : theta)
                if (std::abs(t) > std::abs(ref))
                    ref = t;
            if (ref == 0.0)
                throw InputError("spikes", "a theta sweep scales the spikes, but they are all 0 "
                                           "(choose non-zero spikes, or rank one)");
            if (spec.base.spikes.kind == SpikeKind::Equal)
                m.spikes.params.at(0) = value; // exact
            else
                m.spikes = scaled(spec.base.spikes, value / ref);
        }
        break;
    case SweepParam::N:
        m.n = static_cast<int>(value);
        break;
    case SweepParam::Alpha:
        if (spec.base.spikes.kind == SpikeKind::List)
            throw InputError("param", "an alpha sweep needs a spike family whose rank follows "
                                      "alpha; a list of spikes fixes the rank");
        m.rank.isExplicit = false;
        m.rank.alpha = value;
        break;
    case SweepParam::Sigma:
        m.sigma = value;
        break;
    case SweepParam::Spikes:
        setFamilyValue(m.spikes.params, spec.familyIndex, value, "spikes",
                       toString(spec.base.spikes));
        break;
    case SweepParam::Bulk:
        setFamilyValue(m.bulk.params, spec.familyIndex, value, "bulk", toString(spec.base.bulk));
        break;
    }
    return m;
}

// Estimated cost of one point (arbitrary units ~ flops), for the progress fraction.
double costOf(const SweepSpec& spec, const Model& m)
{
    // In units of ~0.13 ns (the dense solve's n^3): the banded draw ~N (100 + 15 r + 0.4 r^2)
    // ns, then either ~50 (r + 2) counts of ~0.75 N ns or dsterf's ~12 N^2 ns.
    const double n = m.n;
    const double r = std::max(rankOf(m), 1);
    const double draw = n * (100.0 + 15.0 * r + 0.4 * r * r);
    double c = 0.0;
    if (sweepUsesFastPath(spec, m))
        c = 8.0 * (draw + 0.75 * n * 50.0 * (r + 2.0));
    else if (usesBandedSampler(m, spec.run.sampler))
        c = 8.0 * (draw + 12.0 * n * n);
    else
        c = n * n * n * (m.noise.isComplex() ? 4.0 : 1.0);
    return std::max(c, 1.0) * (spec.overlaps ? 2.0 : 1.0) * spec.run.samples;
}

// The runner's own estimate (runner.cpp) for the up-front check of the whole grid.
std::size_t pointBytes(const SweepSpec& spec, const Model& m, int inFlight)
{
    // The samples kept: a subset's only (RunOptions::subset).
    const std::size_t kept = spec.run.subset.empty() ? static_cast<std::size_t>(spec.run.samples)
                                                     : spec.run.subset.size();
    const std::size_t results = kept * (static_cast<std::size_t>(m.n) * sizeof(double) + 64);
    const bool banded = usesBandedSampler(m, spec.run.sampler);
    std::size_t bytes = 0;
    if (sweepUsesFastPath(spec, m)) {
        bytes = BandedSampler(m, spec.run.seed).spectrumPeakBytes(inFlight, 0);
    } else if (banded) {
        Model b = m;
        b.eigvecs = Eigvecs::Basis;
        bytes = BandedSampler(b, spec.run.seed).peakBytes(inFlight) + results;
    } else {
        bytes = denseSamplerPeakBytes(m, inFlight) + results;
    }
    if (spec.overlaps && !banded) {
        const std::size_t elem = m.noise.isComplex() ? 16 : 8;
        const std::size_t n2 = static_cast<std::size_t>(m.n) * static_cast<std::size_t>(m.n);
        bytes = std::max(bytes, static_cast<std::size_t>(inFlight) * 2 * n2 * elem +
                                    (m.eigvecs == Eigvecs::Haar ? 3 * n2 * elem : 0));
    }
    return bytes;
}

} // namespace

// A family parameter (sigma, spikes, bulk) is named by its family and index ("spikes:0"), see
// parseSweepTarget; the last row is an alias parse accepts.
constexpr EnumNames<SweepParam, 7> kSweepParamNames{{{SweepParam::Theta, "theta"},
                                                     {SweepParam::N, "n"},
                                                     {SweepParam::Alpha, "alpha"},
                                                     {SweepParam::Sigma, "sigma"},
                                                     {SweepParam::Spikes, "spikes"},
                                                     {SweepParam::Bulk, "bulk"},
                                                     {SweepParam::N, "N"}}};

// The parameter as messages and column headers show it: the table's name, N capitalised.
namespace {
std::string paramLabel(SweepParam p)
{
    return p == SweepParam::N ? "N" : std::string(enumName(kSweepParamNames, p));
}
} // namespace

SweepParam parseSweepParam(std::string_view text)
{
    const std::optional<SweepParam> p = findEnum(kSweepParamNames, text);
    if (p && (*p == SweepParam::Theta || *p == SweepParam::N || *p == SweepParam::Alpha))
        return *p;
    const std::string shown(text.substr(0, 40));
    throw InputError("param", "must be theta, n or alpha, got '" + shown + "'");
}

std::string toString(SweepParam p)
{
    return std::string(enumName(kSweepParamNames, p));
}

SweepTarget parseSweepTarget(std::string_view text)
{
    const std::string shown(text.substr(0, 40));
    const auto bad = [&shown]() {
        return InputError("param", "must be theta, n, alpha, sigma, spikes:K or bulk:K (K = the "
                                   "position of the value in the family, e.g. spikes:2 for b of "
                                   "linear:a,b), got '" +
                                       shown + "'");
    };
    if (text == "theta" || text == "n" || text == "N" || text == "alpha")
        return {parseSweepParam(text), 0};
    if (text == "sigma")
        return {SweepParam::Sigma, 0};
    for (const auto& [prefix, param] : {std::pair{std::string_view("spikes:"), SweepParam::Spikes},
                                        std::pair{std::string_view("bulk:"), SweepParam::Bulk}}) {
        if (text.substr(0, prefix.size()) != prefix)
            continue;
        const std::string_view k = text.substr(prefix.size());
        int index = 0;
        const auto [ptr, ec] = std::from_chars(k.data(), k.data() + k.size(), index);
        if (k.empty() || ec != std::errc() || ptr != k.data() + k.size() || index < 1)
            throw bad();
        return {param, index - 1};
    }
    throw bad();
}

std::string sweepValueName(SweepParam p, int familyIndex, const Model& base)
{
    if (p == SweepParam::Spikes || p == SweepParam::Bulk)
        return familyValueName(p, base, familyIndex);
    return paramLabel(p);
}

std::vector<double> sweepGrid(const SweepSpec& spec)
{
    if (spec.steps < 1 || spec.steps > 1000)
        throw InputError("steps",
                         "must be an integer in [1, 1000], got " + std::to_string(spec.steps));
    if (!std::isfinite(spec.from))
        throw InputError("from", "must be a finite number");
    if (!std::isfinite(spec.to))
        throw InputError("to", "must be a finite number");
    if (spec.log) {
        if (!(spec.from > 0.0))
            throw InputError("from", "a log grid needs from > 0, got " + fmt(spec.from));
        if (!(spec.to > 0.0))
            throw InputError("to", "a log grid needs to > 0, got " + fmt(spec.to));
    }
    switch (spec.param) {
    case SweepParam::N:
        for (auto [name, v] : {std::pair{"from", spec.from}, std::pair{"to", spec.to}})
            if (!(v >= 1.5 && v < kMaxN + 0.5))
                throw InputError(name,
                                 "N must be in [2, " + std::to_string(kMaxN) + "], got " + fmt(v));
        break;
    case SweepParam::Alpha:
        for (auto [name, v] : {std::pair{"from", spec.from}, std::pair{"to", spec.to}})
            if (!(v >= 0.0 && v <= 1.0))
                throw InputError(name, "alpha must be in [0, 1], got " + fmt(v));
        break;
    case SweepParam::Sigma:
        for (auto [name, v] : {std::pair{"from", spec.from}, std::pair{"to", spec.to}})
            if (!(v > 0.0))
                throw InputError(name, "sigma must be > 0, got " + fmt(v));
        break;
    case SweepParam::Theta:
    case SweepParam::Spikes:
    case SweepParam::Bulk:
        break;
    }
    std::vector<double> values;
    const int k = spec.steps;
    for (int i = 0; i < k; ++i) {
        double v = spec.from;
        if (i == k - 1 && k > 1)
            v = spec.to; // exact end point
        else if (i > 0) {
            const double t = static_cast<double>(i) / (k - 1);
            v = spec.log
                    ? std::exp(std::log(spec.from) + t * (std::log(spec.to) - std::log(spec.from)))
                    : spec.from + t * (spec.to - spec.from);
        }
        if (spec.param == SweepParam::N)
            v = std::round(v);
        if (spec.param == SweepParam::N && !values.empty() && values.back() == v)
            continue; // rounding merged two N values
        values.push_back(v);
    }
    return values;
}

Model sweepModel(const SweepSpec& spec, double value)
{
    Model m = modelFor(spec, value);
    try {
        validate(m);
    } catch (const InputError& e) {
        // Name the grid end that is itself out of range if only one is, else the end the
        // failing point is nearer to, since the option is what the user gave (e.g. "from: at
        // N = 4: rank: ..."; a middle point of --from 100 --to 1e9 blames --to).
        const auto fails = [&spec](double v) {
            try {
                validate(modelFor(spec, v));
                return false;
            } catch (const InputError&) {
                return true;
            }
        };
        const bool fromFails = fails(spec.from), toFails = fails(spec.to);
        const bool nearFrom = fromFails != toFails
                                  ? fromFails
                                  : std::abs(value - spec.from) <= std::abs(value - spec.to);
        throw InputError(nearFrom ? "from" : "to",
                         "at " + sweepValueName(spec.param, spec.familyIndex, spec.base) + " = " +
                             fmt(value) + ": " + e.what());
    }
    return m;
}

bool sweepUsesFastPath(const SweepSpec& spec, const Model& m)
{
    // As the CLI's sample command, without a histogram (0 bins): only the extremes are located.
    return spec.fastPath && planSampler(m, spec.run.sampler, 0) == SamplerPlan::BandedCounts;
}

namespace {

// How many extremes a point keeps from each end: keepTop from the top, as many from the bottom
// when a spike is negative (its outlier sits below the bulk).
std::pair<int, int> keptExtremes(const SweepSpec& spec, const Model& m, const Theory& theory)
{
    const int keep = std::clamp(spec.keepTop, 1, m.n);
    bool negative = false;
    for (const auto& pr : theory.outliers)
        negative = negative || pr.theta < 0.0;
    return {keep, negative ? keep : 0};
}

} // namespace

SweepSamples runSweepPointSamples(const SweepSpec& spec, const Model& m, const Theory& theory,
                                  const std::atomic<bool>* cancel, const ProgressCallback& progress)
{
    const auto [keep, keepBottom] = keptExtremes(spec, m, theory);
    SweepSamples out;
    const std::optional<OutlierThresholds> thresholds = outlierThresholds(theory);
    if (sweepUsesFastPath(spec, m) && thresholds) {
        const BandedSpectrumRequest req = outlierSpectrumRequest(theory, {}, keep, keepBottom);
        const BandedRunResult run = runBandedSpectra(m, spec.run, req, cancel, progress);
        out.sampler = SamplerKind::Banded;
        out.source = SpectrumSource::InertiaCounts;
        out.cancelled = run.cancelled;
        out.sampleIndex = run.sampleIndex;
        for (const auto& s : run.spectra) {
            SweepSample x;
            x.eigenvalues = locatedEigenvalues(s); // as the CLI's banded report
            x.unlisted =
                static_cast<std::int64_t>(m.n) - static_cast<std::int64_t>(x.eigenvalues.size());
            x.top.assign(s.top.begin(),
                         s.top.begin() + std::min<std::ptrdiff_t>(
                                             keep, static_cast<std::ptrdiff_t>(s.top.size())));
            x.bottom.assign(s.bottom.begin(),
                            s.bottom.begin() +
                                std::min<std::ptrdiff_t>(
                                    keepBottom, static_cast<std::ptrdiff_t>(s.bottom.size())));
            out.samples.push_back(std::move(x));
        }
        return out;
    }
    RunResult run = runSamples(m, spec.run, cancel, progress);
    out.sampler = run.sampler;
    out.source = SpectrumSource::Eigenvalues;
    out.cancelled = run.cancelled;
    out.sampleIndex = std::move(run.sampleIndex);
    for (auto& ev : run.eigenvalues) { // ascending
        SweepSample x;
        const std::size_t n = ev.size();
        const std::size_t kt = std::min<std::size_t>(static_cast<std::size_t>(keep), n);
        const std::size_t kb = std::min<std::size_t>(static_cast<std::size_t>(keepBottom), n);
        x.top.assign(ev.rbegin(), ev.rbegin() + static_cast<std::ptrdiff_t>(kt));
        x.bottom.assign(ev.begin(), ev.begin() + static_cast<std::ptrdiff_t>(kb));
        x.eigenvalues = std::move(ev);
        out.samples.push_back(std::move(x));
    }
    return out;
}

SweepPoint sweepPointFromSamples(const SweepSpec& spec, int index, double value,
                                 const Theory& theory, SweepSamples samples,
                                 const std::atomic<bool>* cancel, const ProgressCallback& progress)
{
    const auto start = Clock::now();
    SweepPoint p;
    p.index = index;
    p.value = value;
    p.model = sweepModel(spec, value);
    const Model& m = p.model;
    p.rank = rankOf(m);
    p.predictions = theory.outliers;
    p.intervals = theory.equivalent.support;
    p.heavyTails = theory.heavyTails;
    reportBulkClaim(p, theory);
    const int keep = keptExtremes(spec, m, theory).first;
    p.sampler = samples.sampler;
    p.source = samples.source;

    std::vector<SampleTally> tallies; // per completed sample, in sample order
    tallies.reserve(samples.samples.size());
    for (SweepSample& x : samples.samples) {
        tallies.push_back(tallySample(theory, x.eigenvalues, x.unlisted));
        p.top.push_back(std::move(x.top));
        p.bottom.push_back(std::move(x.bottom));
    }
    samples.samples.clear();
    p.samples = static_cast<int>(tallies.size());
    if (samples.cancelled || p.samples < spec.run.samples) {
        p.seconds = std::chrono::duration<double>(Clock::now() - start).count();
        return p;
    }

    OutlierObservation obs = summarizeTallies(theory, tallies);
    p.observed = std::move(obs.spikes);
    p.observedIntervals = std::move(obs.intervals);
    p.observedCount = obs.meanOutliers;
    p.unexplained = obs.meanUnexplained;
    for (std::size_t i = 0; i < static_cast<std::size_t>(keep); ++i) {
        double mean = 0.0, m2 = 0.0;
        int c = 0;
        for (const auto& t : p.top) {
            if (i >= t.size())
                continue;
            ++c;
            const double d = t[i] - mean;
            mean += d / c;
            m2 += d * (t[i] - mean);
        }
        if (c == 0)
            break;
        p.topMean.push_back(mean);
        p.topSd.push_back(c >= 2 ? std::sqrt(m2 / (c - 1)) : 0.0);
    }
    double errF = 0.0, errL = 0.0, floor = 0.0;
    int floorTerms = 0;
    for (std::size_t j = 0; j < p.predictions.size(); ++j) {
        const auto& pr = p.predictions[j];
        p.predictedFinite += pr.finiteRank ? 1 : 0;
        p.predictedLarge += pr.largeRank ? 1 : 0;
        const ObservedOutlier& o = p.observed[j];
        if (!o.mean || !pr.finiteRank || !pr.largeRank)
            continue;
        ++p.errorSpikes;
        errF += std::abs(*o.mean - *pr.finiteRank);
        errL += std::abs(*o.mean - *pr.largeRank);
        if (o.sd) {
            floor += *o.sd / std::sqrt(static_cast<double>(o.samplesPresent));
            ++floorTerms;
        }
    }
    if (p.errorSpikes > 0) {
        p.errorFinite = errF / p.errorSpikes;
        p.errorLarge = errL / p.errorSpikes;
    }
    if (floorTerms > 0)
        p.errorFloor = floor / floorTerms;

    if (spec.overlaps) {
        // Drawn apart (a cluster run's processes), or here on all samples.
        if (samples.overlaps.empty()) {
            OverlapRun ov = runOverlaps(m, theory, spec.run, cancel, progress);
            if (ov.cancelled) {
                p.samples = std::min(p.samples, ov.completed);
                p.seconds = std::chrono::duration<double>(Clock::now() - start).count();
                return p;
            }
            samples.overlaps = std::move(ov.samples);
        }
        if (samples.overlaps.size() != static_cast<std::size_t>(p.samples))
            throw std::logic_error("sweepPointFromSamples: one overlap sample per sample");
        // As runOverlaps sums them up, in sample order.
        p.overlaps = summarizeOverlaps(samples.overlaps, theory.outliers.size());
        for (std::size_t j = 0; j < p.overlaps.size(); ++j)
            p.overlaps[j].groupSize = std::max(theory.outliers[j].multiplicity, 1);
        p.intervalOverlaps =
            summarizeIntervalOverlaps(samples.overlaps, theory.equivalent.support.size());
    }
    p.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return p;
}

SweepPoint runSweepPoint(const SweepSpec& spec, int index, double value,
                         const std::atomic<bool>* cancel, const ProgressCallback& progress)
{
    const auto start = Clock::now();
    const Model m = sweepModel(spec, value);
    const Theory theory = computeTheory(m, 800); // as the CLI's sample command
    const int phases = spec.overlaps ? 2 : 1;
    const int total = spec.run.samples;
    auto phaseProgress = [&](int phase) -> ProgressCallback {
        if (!progress)
            return {};
        return [&progress, phase, total, phases](int done, int) {
            progress(phase * total + done, phases * total);
        };
    };
    SweepSamples samples = runSweepPointSamples(spec, m, theory, cancel, phaseProgress(0));
    SweepPoint p = sweepPointFromSamples(spec, index, value, theory, std::move(samples), cancel,
                                         phaseProgress(1));
    p.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return p;
}

std::vector<Model> sweepModels(const SweepSpec& spec, const std::vector<double>& grid)
{
    std::vector<Model> models;
    models.reserve(grid.size());
    for (double v : grid) {
        models.push_back(sweepModel(spec, v));
        if (spec.run.sampler == SamplerChoice::Banded) {
            const std::string why = bandedInapplicableReason(models.back());
            if (!why.empty())
                throw InputError("sampler", why);
        }
    }
    return models;
}

void checkSweepPointMemory(const SweepSpec& spec, double value, const Model& at)
{
    const RunShape shape = runShape(spec.run);
    const int inFlight = shape.inFlight;
    const std::size_t budget = shape.budget;
    const std::size_t need = pointBytes(spec, at, inFlight);
    if (need <= budget)
        return;
    // The largest N that fits with this point's other parameters, as sample names it.
    const bool fixedRank = at.rank.isExplicit || at.spikes.kind == SpikeKind::List;
    const int fitN = largestFitting(fixedRank ? std::max(2, rankOf(at)) : 2, at.n, [&](int n) {
        Model t = at;
        t.n = n;
        return pointBytes(spec, t, inFlight) <= budget;
    });
    throw ResourceError(
        "n",
        "memory: the grid point " + std::string(paramLabel(spec.param)) + " = " + fmt(value) +
            (spec.param == SweepParam::N ? std::string() : " (N = " + std::to_string(at.n) + ")") +
            " needs about " + formatBytes(static_cast<double>(need)) + " but the budget is " +
            formatBytes(static_cast<double>(budget)) +
            (fitN > 0 ? "; the largest N that fits is " + std::to_string(fitN)
                      : std::string("; not even the smallest N fits")) +
            " (lower N, fewer samples or threads)");
}

double sweepSampleCost(const SweepSpec& spec, const Model& m)
{
    return costOf(spec, m) / std::max(spec.run.samples, 1);
}

std::vector<Model> checkedSweepModels(const SweepSpec& spec, const std::vector<double>& grid)
{
    // The sampler is checked at every grid point (sweepModels), after the grid itself.
    validate(spec.base);
    (void)runShape(spec.run);
    const std::vector<Model> models = sweepModels(spec, grid);
    // Every point's memory is checked before the first one runs (an N sweep would otherwise
    // fail at its last, largest point after all the others).
    for (std::size_t i = 0; i < models.size(); ++i)
        checkSweepPointMemory(spec, grid[i], models[i]);
    return models;
}

SweepResult runSweep(const SweepSpec& spec, const std::atomic<bool>* cancel,
                     const SweepProgressCallback& progress, const SweepPointCallback& onPoint)
{
    const auto start = Clock::now();
    const std::vector<double> grid = sweepGrid(spec);
    const std::vector<Model> models = checkedSweepModels(spec, grid);

    std::vector<double> cost;
    for (const Model& m : models)
        cost.push_back(costOf(spec, m));

    SweepResult result;
    result.param = spec.param;
    result.requested = static_cast<int>(grid.size());
    result.cancelled = runPointsInOrder(
        cost, spec.run.samples, cancel,
        [&](int i, const ProgressCallback& pointProgress) {
            return runSweepPoint(spec, i, grid[static_cast<std::size_t>(i)], cancel, pointProgress);
        },
        progress, onPoint, result.points);
    result.totalSeconds = std::chrono::duration<double>(Clock::now() - start).count();
    return result;
}

std::size_t sweepPointBytes(const SweepSpec& spec, const Model& m, int inFlight)
{
    return pointBytes(spec, m, inFlight);
}

std::optional<double> logLogSlope(const std::vector<double>& x, const std::vector<double>& y)
{
    double sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0;
    int n = 0;
    for (std::size_t i = 0; i < std::min(x.size(), y.size()); ++i) {
        if (!(x[i] > 0.0 && y[i] > 0.0) || !std::isfinite(x[i]) || !std::isfinite(y[i]))
            continue;
        const double lx = std::log(x[i]), ly = std::log(y[i]);
        sx += lx;
        sy += ly;
        sxx += lx * lx;
        sxy += lx * ly;
        ++n;
    }
    if (n < 2)
        return std::nullopt;
    const double den = n * sxx - sx * sx;
    if (!(std::abs(den) > 1e-300))
        return std::nullopt;
    return (n * sxy - sx * sy) / den;
}

} // namespace ws::core
