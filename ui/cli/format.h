#pragma once
// Formatting shared by the CLI commands (output.cpp, sweep.cpp, rect.cpp): numbers for people,
// and the model's fields, which core::Model and core::RectModel share (core::NoiseAndSignal).

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
// "threads": {"requested", "used"} when --threads was capped at the machine's cores (nothing
// otherwise).
void putThreads(ojson& j, int requested);
// The value, or JSON null for none.
ojson valueOrNull(const std::optional<double>& v);

// The histogram of values in [lo, hi] (their finite minimum and maximum; lo > hi when there is
// none): over --range if given, else [lo, hi], widened by 0.5 on each side when it is a point.
core::Histogram histogramOver(double lo, double hi,
                              const std::optional<std::pair<double, double>>& range, int bins);

// The noise and signal fields the square and the rectangular model share (core::NoiseAndSignal),
// printed by the same code for both.
// How the rank was set: "list" (a spike list), "explicit" (--rank) or "alpha" (ceil(N^alpha)).
const char* rankRule(const core::NoiseAndSignal& f);
// The JSON fields from sigma on, in output order; alpha is null unless it set the rank.
void putModelFields(ojson& j, const core::NoiseAndSignal& f, int rank);
// "rank r (list)", "rank r" or "alpha = a (rank r)", then the families.
// `size` values of S in all (N square, p = min(N, M) rectangular, named by `sizeName`): with
// r = size S is all spikes and the bulk family has nothing to describe, which the text says.
std::string rankAndFamiliesText(const core::NoiseAndSignal& f, int r, int size,
                                const char* sizeName);

} // namespace ws::cli
