#pragma once
// Each enum's names written once. An enum that crosses an edge (a CLI option, a session key, a
// JSON field, a label) gets one table of {value, name} next to its toString and parse; both read
// the table, so what is printed and what is accepted cannot drift apart, and the error for an
// unknown name lists the valid ones from the same table (an InputError naming the parameter,
// docs/architecture.md#dependency-direction).
//
//   constexpr EnumNames<SamplerChoice, 3> kNames{{
//       {SamplerChoice::Auto, "auto"}, {SamplerChoice::Dense, "dense"}, {SamplerChoice::Banded,
//       "banded"}}};
//   toString: std::string(enumName(kNames, c))               "dense"
//   parse:    parseEnum(kNames, text, "sampler")             InputError "sampler: must be auto,
//                                                            dense or banded, got 'x'"
//
// The first row of a value gives its name; a later row of the same value is an alias that parse
// accepts and the lists do not show. Names are matched exactly (case and spaces count).

#include "core/model/families.h" // InputError, quoteInput

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ws::core {

template <class E> struct EnumName
{
    E value;
    std::string_view name;
};

template <class E, std::size_t N> using EnumNames = std::array<EnumName<E>, N>;

// The name of `value`: its first row; "?" for a value not in the table (a bad cast).
template <class E, std::size_t N>
constexpr std::string_view enumName(const EnumNames<E, N>& table, E value)
{
    for (const auto& row : table)
        if (row.value == value)
            return row.name;
    return "?";
}

// The value named `name` (aliases included), or nothing.
template <class E, std::size_t N>
constexpr std::optional<E> findEnum(const EnumNames<E, N>& table, std::string_view name)
{
    for (const auto& row : table)
        if (row.name == name)
            return row.value;
    return std::nullopt;
}

// The names of the table for a message, aliases left out: "auto, dense or banded".
template <class E, std::size_t N> std::string enumNameList(const EnumNames<E, N>& table)
{
    std::string out;
    std::size_t shown = 0, total = 0;
    for (std::size_t i = 0; i < N; ++i)
        total += enumName(table, table[i].value) == table[i].name ? 1 : 0;
    for (std::size_t i = 0; i < N; ++i) {
        if (enumName(table, table[i].value) != table[i].name)
            continue; // an alias
        if (shown > 0)
            out += shown + 1 == total ? " or " : ", ";
        out += table[i].name;
        ++shown;
    }
    return out;
}

// The value named `text`; throws InputError(param, "must be A, B or C, got 'text'").
template <class E, std::size_t N>
E parseEnum(const EnumNames<E, N>& table, std::string_view text, const std::string& param)
{
    if (const auto value = findEnum(table, text))
        return *value;
    throw InputError(param, "must be " + enumNameList(table) + ", got " + quoteInput(text));
}

} // namespace ws::core
