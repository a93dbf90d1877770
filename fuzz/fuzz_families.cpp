// libFuzzer target: the family-string parsers and model validation (core/model/families.h).
// Input: up to six lines -- noise, spikes, bulk, eigvecs, N, rank rule ("alpha" number or
// "rank:R"); missing lines keep the defaults. Properties checked:
// - parsers and validate() throw nothing but InputError;
// - printer round trip: parse(toString(x)) == x for every family that parses;
// - a model that validates has a finite signal spectrum of size N, spikes descending and bulk
//   ascending (checked for N <= 4096 to keep executions fast).
#include "core/model/families.h"
#include "core/model/model.h"
#include "fuzz/fuzz_check.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

using namespace ws::core;
using ws::fuzz::failed;

namespace {

// Parses `text` with `parse`; if it parses, checks the printer round trip.
template <typename T, typename Parse>
bool parseAndRoundTrip(std::string_view text, Parse parse, T& out)
{
    try {
        out = parse(text);
    } catch (const InputError&) {
        return false;
    }
    const std::string printed = toString(out);
    const T again = ws::fuzz::reparsed([&] { return parse(printed); }, printed,
                                       "the printed family does not parse");
    if (!(again == out))
        failed("parse(toString(x)) != x", printed);
    return true;
}

void checkSpectrum(const Model& m, std::string_view input)
{
    const int r = rankOf(m);
    if (r < 1 || r > m.n)
        failed("rank outside [1, N] for a valid model", input);
    const std::vector<double> spikes = spikeValues(m);
    const std::vector<double> bulk = bulkValues(m);
    if (spikes.size() != static_cast<std::size_t>(r) ||
        bulk.size() != static_cast<std::size_t>(m.n - r))
        failed("spectrum sizes", input);
    if (!std::is_sorted(spikes.begin(), spikes.end(), [](double a, double b) { return a > b; }) ||
        !std::is_sorted(bulk.begin(), bulk.end()))
        failed("spectrum order", input);
    for (double v : spikes)
        if (!std::isfinite(v))
            failed("non-finite spike for a valid model", input);
    for (double v : bulk)
        if (!std::isfinite(v))
            failed("non-finite bulk value for a valid model", input);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view input = ws::fuzz::inputOf(data, size);
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (lines.size() < 6) {
        const auto nl = input.find('\n', start);
        lines.push_back(input.substr(start, nl == input.npos ? input.npos : nl - start));
        if (nl == input.npos)
            break;
        start = nl + 1;
    }

    Model m;
    m.n = 50;
    bool ok = true;
    if (lines.size() > 0)
        ok &= parseAndRoundTrip(lines[0], parseNoise, m.noise);
    if (lines.size() > 1)
        ok &= parseAndRoundTrip(lines[1], parseSpikes, m.spikes);
    if (lines.size() > 2)
        ok &= parseAndRoundTrip(lines[2], parseBulk, m.bulk);
    if (lines.size() > 3)
        ok &= parseAndRoundTrip(
            lines[3], [](std::string_view t) { return parseEigvecs(t); }, m.eigvecs);
    try {
        if (lines.size() > 4) {
            const long long n = parseInteger(lines[4], "n");
            if (n < -2147483647LL || n > 2147483647LL)
                return 0;
            m.n = static_cast<int>(n);
        }
        if (lines.size() > 5) {
            const std::string_view rule = lines[5];
            if (rule.substr(0, 5) == "rank:") {
                const long long r = parseInteger(rule.substr(5), "rank");
                if (r < -2147483647LL || r > 2147483647LL)
                    return 0;
                m.rank.isExplicit = true;
                m.rank.rank = static_cast<int>(r);
            } else {
                m.rank.alpha = parseFiniteDouble(rule, "alpha");
            }
        }
    } catch (const InputError&) {
        return 0;
    }
    if (!ok)
        return 0;
    try {
        validate(m);
    } catch (const InputError&) {
        return 0;
    }
    if (m.n <= 4096)
        checkSpectrum(m, input);
    return 0;
}
