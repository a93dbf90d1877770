#include "core/model/families.h"

#include "core/util/enum_names.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

namespace ws::core {

InputError::InputError(const std::string& param, const std::string& message)
    : std::invalid_argument(param.empty() ? message : param + ": " + message), m_param(param),
      m_message(message)
{
}

InputError::InputError(const std::string& message) : InputError(std::string(), message) {}

InputError::InputError(const std::string& context, const InputError& inner)
    : std::invalid_argument(context + ": " + inner.what()), m_param(inner.param()),
      m_message(inner.message()),
      m_context(inner.context().empty() ? context : context + ": " + inner.context())
{
}

ResourceError::ResourceError(const std::string& param, const std::string& message)
    : std::runtime_error(message), m_param(param)
{
}

ResourceError::ResourceError(const std::string& message) : ResourceError(std::string(), message) {}

namespace {

std::string_view trim(std::string_view s)
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

[[noreturn]] void fail(std::string_view what, const std::string& why)
{
    throw InputError(std::string(what), why);
}

// Splits "name:a,b,c" into name and the list of values (parsed as finite doubles).
struct Parsed
{
    std::string name;
    std::vector<double> values;
    bool hasColon = false;
};

Parsed splitFamily(std::string_view text, std::string_view what)
{
    text = trim(text);
    if (text.empty())
        fail(what, "empty value");
    Parsed p;
    const auto colon = text.find(':');
    p.name = std::string(trim(text.substr(0, colon)));
    std::transform(p.name.begin(), p.name.end(), p.name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (colon == std::string_view::npos)
        return p;
    p.hasColon = true;
    std::string_view rest = text.substr(colon + 1);
    if (trim(rest).empty())
        fail(what, quoteInput(text) + " has no values after ':'");
    std::size_t start = 0;
    for (;;) {
        const auto comma = rest.find(',', start);
        const auto item =
            trim(rest.substr(start, comma == std::string_view::npos ? rest.npos : comma - start));
        if (item.empty())
            fail(what, quoteInput(text) + " has an empty value in its list");
        p.values.push_back(parseFiniteDouble(item, what));
        if (comma == std::string_view::npos)
            break;
        start = comma + 1;
    }
    return p;
}

void expectCount(const Parsed& p, std::size_t n, std::string_view what, std::string_view text,
                 std::string_view names)
{
    if (p.values.size() != n)
        fail(what, quoteInput(text) + " needs " + std::to_string(n) + " value" +
                       (n == 1 ? "" : "s") + " (" + std::string(names) + "), got " +
                       std::to_string(p.values.size()));
}

std::string joinValues(const std::vector<double>& v)
{
    std::string s;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (i)
            s += ',';
        s += formatDouble(v[i]);
    }
    return s;
}

// A family's name and the values that follow its ':' (docs/model.md): the one table its parser,
// its printer, its error messages and validate() read. The first row of a kind gives its name;
// a later row of the same kind is an alias ("goe") that the parser accepts and messages omit.
constexpr int kListCount = -1; // "list:v1,...": one value or more
template <class K> struct FamilyName
{
    K kind;
    std::string_view name;
    int count;               // values after ':', 0 for none (no ':' either), or kListCount
    std::string_view params; // their names in messages ("a,b")
};

constexpr FamilyName<NoiseKind> kNoiseNames[] = {
    {NoiseKind::Gaussian, "gaussian", 0, ""},     {NoiseKind::Gaussian, "goe", 0, ""},
    {NoiseKind::Complex, "complex", 0, ""},       {NoiseKind::Complex, "gue", 0, ""},
    {NoiseKind::Rademacher, "rademacher", 0, ""}, {NoiseKind::Uniform, "uniform", 0, ""},
    {NoiseKind::StudentT, "student-t", 1, "nu"},  {NoiseKind::Sparse, "sparse", 1, "p"}};
constexpr FamilyName<SpikeKind> kSpikeNames[] = {
    {SpikeKind::Equal, "equal", 1, "t"},
    {SpikeKind::Linear, "linear", 2, "a,b"},
    {SpikeKind::Power, "power", 2, "t,g"},
    {SpikeKind::List, "list", kListCount, "v1,v2,..."}};
constexpr FamilyName<BulkKind> kBulkNames[] = {{BulkKind::Zero, "zero", 0, ""},
                                               {BulkKind::Uniform, "uniform", 2, "a,b"},
                                               {BulkKind::Semicircle, "semicircle", 1, "rho"},
                                               {BulkKind::TwoPoint, "twopoint", 3, "a,b,p"},
                                               {BulkKind::List, "list", kListCount, "..."}};

template <class K, std::size_t N>
const FamilyName<K>& rowOf(const FamilyName<K> (&table)[N], K kind)
{
    for (const auto& row : table)
        if (row.kind == kind)
            return row;
    return table[0]; // unreachable for a valid kind
}

// "equal:t, linear:a,b, power:t,g or list:v1,v2,...", aliases left out.
template <class K, std::size_t N> std::string usage(const FamilyName<K> (&table)[N])
{
    std::vector<std::string> shown;
    for (const auto& row : table)
        if (&rowOf(table, row.kind) == &row)
            shown.push_back(std::string(row.name) + (row.count == 0 ? "" : ":") +
                            std::string(row.params));
    std::string out;
    for (std::size_t i = 0; i < shown.size(); ++i)
        out += (i == 0 ? "" : i + 1 == shown.size() ? " or " : ", ") + shown[i];
    return out;
}

// Parses "name:v1,..." against `table`: the kind and the values, checked against its count.
template <class K, std::size_t N>
std::pair<K, std::vector<double>> parseFamily(const FamilyName<K> (&table)[N],
                                              std::string_view text, std::string_view what)
{
    const Parsed p = splitFamily(text, what);
    for (const auto& row : table) {
        if (row.name != p.name)
            continue;
        if (row.count == 0 && p.hasColon)
            fail(what, "'" + p.name + "' takes no parameters, got " + quoteInput(text));
        if (row.count == kListCount && p.values.empty())
            fail(what, "'" + p.name + ":' needs at least one value");
        if (row.count > 0)
            expectCount(p, static_cast<std::size_t>(row.count), what, text, row.params);
        return {row.kind, p.values};
    }
    fail(what, "unknown family " + quoteInput(p.name) + " (expected " + usage(table) + ")");
}

// "name" or "name:v1,...", the form parseFamily reads back.
template <class K, std::size_t N>
std::string printFamily(const FamilyName<K> (&table)[N], K kind, const std::vector<double>& values)
{
    const auto& row = rowOf(table, kind);
    return row.count == 0 ? std::string(row.name)
                          : std::string(row.name) + ":" + joinValues(values);
}

constexpr EnumNames<Eigvecs, 2> kEigvecsNames{{{Eigvecs::Basis, "basis"}, {Eigvecs::Haar, "haar"}}};

} // namespace

std::string quoteInput(std::string_view text)
{
    constexpr std::size_t kMax = 60;
    std::string t(text.substr(0, kMax));
    if (text.size() > kMax)
        t += "...";
    return "'" + t + "'";
}

double parseFiniteDouble(std::string_view text, std::string_view what)
{
    auto t = trim(text);
    std::string_view body = t;
    // from_chars takes no '+': drop one, but not in front of another sign ("+-1" is no number).
    if (body.size() > 1 && body.front() == '+' && body[1] != '-' && body[1] != '+')
        body.remove_prefix(1);
    double v = 0.0;
    const auto* first = body.data();
    const auto* last = body.data() + body.size();
    const auto [ptr, ec] = std::from_chars(first, last, v);
    if (body.empty() || ec == std::errc::invalid_argument || ptr != last)
        fail(what, "expected a number, got " + quoteInput(text));
    if (ec == std::errc::result_out_of_range || !std::isfinite(v))
        fail(what, "must be a finite number, got " + quoteInput(text));
    return v;
}

long long parseInteger(std::string_view text, std::string_view what)
{
    auto t = trim(text);
    std::string_view body = t;
    // from_chars takes no '+': drop one, but not in front of another sign ("+-1" is no number).
    if (body.size() > 1 && body.front() == '+' && body[1] != '-' && body[1] != '+')
        body.remove_prefix(1);
    long long v = 0;
    const auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), v);
    if (!body.empty() && ec == std::errc() && ptr == body.data() + body.size())
        return v;
    if (ec == std::errc::result_out_of_range)
        fail(what, "integer out of range, got " + quoteInput(text));
    // Accept integral values in floating notation ("1e5"), which people type for large N.
    double d = 0.0;
    try {
        d = parseFiniteDouble(text, what);
    } catch (const InputError&) {
        fail(what, "expected an integer, got " + quoteInput(text));
    }
    if (d != std::floor(d))
        fail(what, "expected an integer, got " + quoteInput(text));
    if (std::fabs(d) > 9.0e15)
        fail(what, "integer out of range, got " + quoteInput(text));
    return static_cast<long long>(d);
}

std::string formatDouble(double v)
{
    char buf[64];
    const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, ptr) : std::string("nan");
}

NoiseFamily parseNoise(std::string_view text)
{
    auto [kind, values] = parseFamily(kNoiseNames, text, "noise");
    return NoiseFamily{kind, values.empty() ? 0.0 : values[0]};
}

SpikeFamily parseSpikes(std::string_view text)
{
    auto [kind, values] = parseFamily(kSpikeNames, text, "spikes");
    return SpikeFamily{kind, std::move(values)};
}

BulkFamily parseBulk(std::string_view text)
{
    auto [kind, values] = parseFamily(kBulkNames, text, "bulk");
    return BulkFamily{kind, std::move(values)};
}

Eigvecs parseEigvecs(std::string_view text)
{
    std::string t(trim(text));
    std::transform(t.begin(), t.end(), t.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (const auto e = findEnum(kEigvecsNames, t))
        return *e;
    fail("eigvecs", "expected " + enumNameList(kEigvecsNames) + ", got " + quoteInput(text));
}

std::string toString(const NoiseFamily& f)
{
    const bool hasParam = rowOf(kNoiseNames, f.kind).count > 0;
    return printFamily(kNoiseNames, f.kind,
                       hasParam ? std::vector{f.param} : std::vector<double>{});
}

std::string toString(const SpikeFamily& f)
{
    return printFamily(kSpikeNames, f.kind, f.params);
}

std::string toString(const BulkFamily& f)
{
    return printFamily(kBulkNames, f.kind, f.params);
}

std::string_view familyName(NoiseKind k)
{
    return rowOf(kNoiseNames, k).name;
}

std::string_view familyName(SpikeKind k)
{
    return rowOf(kSpikeNames, k).name;
}

std::string_view familyName(BulkKind k)
{
    return rowOf(kBulkNames, k).name;
}

std::string toString(Eigvecs e)
{
    return std::string(enumName(kEigvecsNames, e));
}

void validate(const Model& m)
{
    if (m.n < 2)
        fail("n", "must be at least 2, got " + std::to_string(m.n));
    if (m.n > kMaxN)
        fail("n", "must be at most " + std::to_string(kMaxN) + ", got " + std::to_string(m.n));
    if (!std::isfinite(m.sigma) || m.sigma <= 0.0)
        fail("sigma", "must be a finite number > 0, got " + formatDouble(m.sigma));

    switch (m.noise.kind) {
    case NoiseKind::StudentT:
        if (!std::isfinite(m.noise.param) || m.noise.param <= 2.0)
            fail("noise",
                 "student-t needs nu > 2 (finite variance), got " + formatDouble(m.noise.param));
        break;
    case NoiseKind::Sparse:
        if (!std::isfinite(m.noise.param) || m.noise.param <= 0.0 || m.noise.param > 1.0)
            fail("noise", "sparse needs p in (0, 1], got " + formatDouble(m.noise.param));
        break;
    default:
        break;
    }

    const auto& sp = m.spikes.params;
    for (double v : sp)
        if (!std::isfinite(v))
            fail("spikes", "values must be finite numbers, got " + formatDouble(v));
    if (m.spikes.kind == SpikeKind::List) {
        if (sp.empty())
            fail("spikes", "'list:' needs at least one value");
        if (sp.size() > static_cast<std::size_t>(m.n))
            fail("spikes", "the list has " + std::to_string(sp.size()) +
                               " values, more than N = " + std::to_string(m.n));
    } else {
        if (sp.size() != static_cast<std::size_t>(rowOf(kSpikeNames, m.spikes.kind).count))
            fail("spikes", "wrong number of parameters for " + toString(m.spikes));
        // The spikes lie between a and b, but the spacing b - a must be a double too.
        if (m.spikes.kind == SpikeKind::Linear && !std::isfinite(sp[1] - sp[0]))
            fail("spikes",
                 "linear:a,b needs b - a within the double range, got " + toString(m.spikes));
        if (m.spikes.kind == SpikeKind::Power && sp[1] < 0.0)
            fail("spikes", "power:t,g needs a decay g >= 0, got " + formatDouble(sp[1]));
        if (m.rank.isExplicit) {
            if (m.rank.rank < 1 || m.rank.rank > m.n)
                fail("rank", "must be between 1 and N = " + std::to_string(m.n) + ", got " +
                                 std::to_string(m.rank.rank));
        } else if (!std::isfinite(m.rank.alpha) || m.rank.alpha < 0.0 || m.rank.alpha > 1.0) {
            fail("alpha", "must be in [0, 1], got " + formatDouble(m.rank.alpha));
        }
    }

    const auto& bp = m.bulk.params;
    for (double v : bp)
        if (!std::isfinite(v))
            fail("bulk", "values must be finite numbers, got " + formatDouble(v));
    switch (m.bulk.kind) {
    case BulkKind::Zero:
        if (!bp.empty())
            fail("bulk", "'zero' takes no parameters");
        break;
    case BulkKind::Uniform:
        if (bp.size() != 2)
            fail("bulk", "uniform:a,b needs 2 values");
        if (bp[0] > bp[1])
            fail("bulk", "uniform:a,b needs a <= b, got " + toString(m.bulk));
        if (!std::isfinite(bp[1] - bp[0]))
            fail("bulk",
                 "uniform:a,b needs b - a within the double range, got " + toString(m.bulk));
        break;
    case BulkKind::Semicircle:
        if (bp.size() != 1)
            fail("bulk", "semicircle:rho needs 1 value");
        if (bp[0] <= 0.0)
            fail("bulk", "semicircle:rho needs rho > 0, got " + formatDouble(bp[0]));
        break;
    case BulkKind::TwoPoint:
        if (bp.size() != 3)
            fail("bulk", "twopoint:a,b,p needs 3 values");
        if (bp[2] < 0.0 || bp[2] > 1.0)
            fail("bulk", "twopoint:a,b,p needs p in [0, 1], got " + formatDouble(bp[2]));
        break;
    case BulkKind::List:
        if (bp.empty())
            fail("bulk", "'list:' needs at least one value");
        break;
    }
}

} // namespace ws::core
