#pragma once
// Formatting shared by the CLI commands (output.cpp, sweep.cpp, rect.cpp): numbers for people,
// and the model's fields, which core::Model and core::RectModel share.

#include "core/model/families.h"
#include "core/util/histogram.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <utility>
#include <string>

namespace ws::cli {

using ojson = nlohmann::ordered_json;

// Numbers for people: `precision` significant digits ("%g"; the JSON keeps them all).
std::string num(double v, int precision = 6);
std::string num(const std::optional<double>& v, int precision = 6); // "-" for none
// s padded with spaces to `width` characters (tables).
std::string pad(std::string s, std::size_t width);
// The value, or JSON null for none.
ojson valueOrNull(const std::optional<double>& v);

// The histogram of values in [lo, hi] (their finite minimum and maximum; lo > hi when there is
// none): over --range if given, else [lo, hi], widened by 0.5 on each side when it is a point.
core::Histogram histogramOver(double lo, double hi,
                              const std::optional<std::pair<double, double>>& range, int bins);

// How the rank was set: "list" (a spike list), "explicit" (--rank) or "alpha" (ceil(N^alpha)).
template <class M> const char* rankRule(const M& m)
{
    if (m.spikes.kind == core::SpikeKind::List)
        return "list";
    return m.rank.isExplicit ? "explicit" : "alpha";
}

// The JSON fields from sigma on, in output order; alpha is null unless it set the rank.
template <class M> void putModelFields(ojson& j, const M& m, int rank)
{
    j["sigma"] = m.sigma;
    j["noise"] = core::toString(m.noise);
    j["alpha"] = (!m.rank.isExplicit && m.spikes.kind != core::SpikeKind::List)
                     ? ojson(m.rank.alpha)
                     : ojson(nullptr);
    j["rank"] = rank;
    j["rank_rule"] = rankRule(m);
    j["spikes"] = core::toString(m.spikes);
    j["bulk"] = core::toString(m.bulk);
    j["eigvecs"] = core::toString(m.eigvecs);
}

// "rank r (list)", "rank r" or "alpha = a (rank r)", then the families.
template <class M> std::string rankAndFamiliesText(const M& m, int r)
{
    std::string s;
    if (m.spikes.kind == core::SpikeKind::List)
        s = "rank " + std::to_string(r) + " (list)";
    else if (m.rank.isExplicit)
        s = "rank " + std::to_string(r);
    else
        s = "alpha = " + core::formatDouble(m.rank.alpha) + " (rank " + std::to_string(r) + ")";
    return s + ", spikes " + core::toString(m.spikes) + ", bulk " + core::toString(m.bulk) +
           ", eigvecs " + core::toString(m.eigvecs);
}

} // namespace ws::cli
