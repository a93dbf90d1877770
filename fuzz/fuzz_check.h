// What every fuzz target shares: how a failed property is reported (message, the start of the
// input, abort so libFuzzer keeps the input), bitwise comparison of parsed values, and the one
// rule that bad input is a value: a parser may throw InputError or ResourceError, nothing else.
#pragma once

#include "core/model/families.h"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ws::fuzz {

[[noreturn]] inline void failed(const char* what, std::string_view input, std::size_t shown = 400)
{
    std::fprintf(stderr, "property failed: %s\ninput (%zu bytes): %.*s\n", what, input.size(),
                 static_cast<int>(std::min(input.size(), shown)), input.data());
    std::abort();
}

// True when a and b hold the same doubles bit for bit (so -0.0 != 0.0 and NaNs compare).
inline bool sameBits(const std::vector<double>& a, const std::vector<double>& b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t k = 0; k < a.size(); ++k)
        if (std::bit_cast<std::uint64_t>(a[k]) != std::bit_cast<std::uint64_t>(b[k]))
            return false;
    return true;
}

// libFuzzer's input as the bytes (or text) a parser reads.
inline std::string_view inputOf(const std::uint8_t* data, std::size_t size)
{
    return {reinterpret_cast<const char*>(data), size};
}

// parse()'s result, or nothing when it rejected the input the allowed way (an InputError or a
// ResourceError); any other exception escapes to libFuzzer as a crash.
template <typename Parse> auto parsedOrRejected(Parse parse) -> std::optional<decltype(parse())>
{
    try {
        return parse();
    } catch (const core::InputError&) {
        return std::nullopt;
    } catch (const core::ResourceError&) {
        return std::nullopt;
    }
}

// parse() of what the program itself wrote (a printer's or a writer's output, `written`): it must
// be accepted, else the property "<what>: <the error>" failed, showing `shown` bytes of it.
template <typename Parse>
auto reparsed(Parse parse, std::string_view written, const char* what, std::size_t shown = 400)
    -> decltype(parse())
{
    try {
        return parse();
    } catch (const core::InputError& e) {
        const std::string message = std::string(what) + ": " + e.what();
        failed(message.c_str(), written, shown);
    }
}

} // namespace ws::fuzz
