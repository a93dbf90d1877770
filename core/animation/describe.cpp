// Titles and captions of animation frames (see describe.h).
#include "core/animation/describe.h"

#include "core/model/families.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ws::core {
namespace {

// Four significant digits: a title is read, not parsed.
std::string num(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

std::string joined(const std::vector<std::string>& parts)
{
    std::string s;
    for (const std::string& p : parts) {
        if (p.empty())
            continue;
        if (!s.empty())
            s += ", ";
        s += p;
    }
    return s;
}

// Value i of a family: its number, or its letter when it is the animated one.
struct FamilyValues
{
    const std::vector<double>& params;
    int moving = -1; // index of the animated value, -1 if none
    std::string letter;
    std::string operator()(std::size_t i) const
    {
        return static_cast<int>(i) == moving ? letter : num(params.at(i));
    }
};

std::string noiseWords(const NoiseFamily& f)
{
    switch (f.kind) {
    case NoiseKind::Gaussian:
        return "Gaussian noise";
    case NoiseKind::Complex:
        return "complex Gaussian noise";
    case NoiseKind::Rademacher:
        return "Rademacher noise";
    case NoiseKind::Uniform:
        return "uniform noise";
    case NoiseKind::StudentT:
        return "Student-t noise (nu = " + num(f.param) + ")";
    case NoiseKind::Sparse:
        return "sparse noise (p = " + num(f.param) + ")";
    }
    return "noise";
}

// "rank-one spike theta = 3", "32 equal spikes theta = 3", "r = ceil(N^alpha) spikes ...".
std::string spikeWords(const AnimationPlan& plan)
{
    const AnimationSpec& spec = plan.spec;
    const Model& m = spec.base;
    const SpikeFamily& s = m.spikes;
    FamilyValues v{s.params, spec.param == SweepParam::Spikes ? spec.familyIndex : -1,
                   plan.valueName};
    const bool thetaMoves = spec.param == SweepParam::Theta;
    // How many: a number, unless the rank follows alpha while N or alpha moves.
    const bool rankMoves =
        s.kind != SpikeKind::List && !m.rank.isExplicit &&
        (spec.param == SweepParam::Alpha || (spec.param == SweepParam::N && m.rank.alpha > 0.0));
    const int r = rankOf(m);
    std::string count;
    if (rankMoves)
        count = spec.param == SweepParam::Alpha ? "r = ceil(N^alpha)"
                                                : "r = ceil(N^" + num(m.rank.alpha) + ")";
    else
        count = std::to_string(r);
    const bool one = !rankMoves && r == 1;
    if (one && thetaMoves)
        return "rank-one spike";
    switch (s.kind) {
    case SpikeKind::Equal:
        if (one)
            return "rank-one spike theta = " + v(0);
        return count + " equal spikes" + (thetaMoves ? "" : " theta = " + v(0));
    case SpikeKind::Linear:
        if (thetaMoves)
            return count + " spikes evenly spaced up to theta";
        return count + " spikes evenly spaced from " + v(0) + " to " + v(1);
    case SpikeKind::Power:
        if (thetaMoves)
            return count + " spikes theta k^-" + v(1);
        return count + " spikes " + v(0) + " k^-" + v(1);
    case SpikeKind::List: {
        if (thetaMoves)
            return count + " spikes scaled to the strongest theta";
        if (s.params.size() > 6)
            return count + " spikes from a list";
        std::vector<std::string> values;
        for (std::size_t i = 0; i < s.params.size(); ++i)
            values.push_back(v(i));
        std::string text = count + (r == 1 ? " spike " : " spikes ");
        for (std::size_t i = 0; i < values.size(); ++i)
            text += (i ? ", " : "") + values[i];
        return text;
    }
    }
    return "spikes";
}

std::string bulkWords(const AnimationPlan& plan)
{
    const AnimationSpec& spec = plan.spec;
    const BulkFamily& b = spec.base.bulk;
    FamilyValues v{b.params, spec.param == SweepParam::Bulk ? spec.familyIndex : -1,
                   plan.valueName};
    switch (b.kind) {
    case BulkKind::Zero:
        return "";
    case BulkKind::Uniform:
        return "uniform bulk on [" + v(0) + ", " + v(1) + "]";
    case BulkKind::Semicircle:
        return "semicircle bulk of radius " + v(0);
    case BulkKind::TwoPoint:
        return "bulk at " + v(0) + " (mass " + v(2) + ") and " + v(1);
    case BulkKind::List:
        return "bulk from a list of " + std::to_string(b.params.size()) + " values";
    }
    return "";
}

// Enough decimals to tell neighbouring frames apart (one digit where the step shows), and
// up to two more where they make the values exact (0.25 steps: 1.00, 1.25, ...).
int captionDecimals(const AnimationPlan& plan)
{
    const double step = std::abs(plan.values[1] - plan.values[0]);
    if (!(step > 0.0))
        return 3;
    const int least = std::clamp(static_cast<int>(std::ceil(-std::log10(step) - 1e-9)), 0, 6);
    auto exact = [](double v, int d) {
        const double scaled = v * std::pow(10.0, d);
        return std::abs(scaled - std::round(scaled)) < 1e-6 * std::max(1.0, std::abs(scaled));
    };
    for (int d = least; d <= least + 2; ++d)
        if (exact(step, d) && exact(plan.values.front(), d))
            return d;
    return least;
}

} // namespace

std::string describeAnimation(const AnimationPlan& plan)
{
    const AnimationSpec& spec = plan.spec;
    const Model& m = spec.base;
    std::vector<std::string> parts;
    if (spec.param != SweepParam::N)
        parts.push_back("N = " + std::to_string(m.n));
    if (spec.param != SweepParam::Sigma && m.sigma != 1.0)
        parts.push_back("sigma = " + num(m.sigma));
    parts.push_back(spikeWords(plan));
    parts.push_back(bulkWords(plan));
    parts.push_back(noiseWords(m.noise));
    // A named string, copied: GCC 12 reports a false -Warray-bounds on moving a temporary made
    // from a 17-character literal into the vector (with the precompiled headers).
    static const std::string kHaar = "Haar eigenvectors";
    if (m.eigvecs == Eigvecs::Haar)
        parts.push_back(kHaar);
    return joined(parts);
}

std::string frameCaption(const AnimationPlan& plan, const AnimationFrame& frame)
{
    const AnimationSpec& spec = plan.spec;
    const std::size_t k = plan.values.size();
    char buf[64];
    if (spec.param == SweepParam::N) {
        std::snprintf(buf, sizeof buf, "%d", frame.model.n);
    } else if (k >= 2 && !spec.log) {
        std::snprintf(buf, sizeof buf, "%.*f", captionDecimals(plan), frame.value);
    } else {
        std::snprintf(buf, sizeof buf, "%.3g", frame.value);
    }
    std::string text = plan.valueName + " = " + buf;
    if (spec.param == SweepParam::Alpha)
        text += " (r = " + std::to_string(frame.rank) + ")";
    return text;
}

} // namespace ws::core
