#include "core/model/families.h"

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

std::string quote(std::string_view s)
{
    constexpr std::size_t kMax = 60; // keep error lines short even for hostile input
    std::string t(s.substr(0, kMax));
    if (s.size() > kMax)
        t += "...";
    return "'" + t + "'";
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
        fail(what, quote(text) + " has no values after ':'");
    std::size_t start = 0;
    for (;;) {
        const auto comma = rest.find(',', start);
        const auto item =
            trim(rest.substr(start, comma == std::string_view::npos ? rest.npos : comma - start));
        if (item.empty())
            fail(what, quote(text) + " has an empty value in its list");
        p.values.push_back(parseFiniteDouble(item, what));
        if (comma == std::string_view::npos)
            break;
        start = comma + 1;
    }
    return p;
}

void expectCount(const Parsed& p, std::size_t n, std::string_view what, std::string_view text,
                 const char* names)
{
    if (p.values.size() != n)
        fail(what, quote(text) + " needs " + std::to_string(n) + " value" + (n == 1 ? "" : "s") +
                       " (" + names + "), got " + std::to_string(p.values.size()));
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

} // namespace

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
        fail(what, "expected a number, got " + quote(text));
    if (ec == std::errc::result_out_of_range || !std::isfinite(v))
        fail(what, "must be a finite number, got " + quote(text));
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
        fail(what, "integer out of range, got " + quote(text));
    // Accept integral values in floating notation ("1e5"), which people type for large N.
    double d = 0.0;
    try {
        d = parseFiniteDouble(text, what);
    } catch (const InputError&) {
        fail(what, "expected an integer, got " + quote(text));
    }
    if (d != std::floor(d))
        fail(what, "expected an integer, got " + quote(text));
    if (std::fabs(d) > 9.0e15)
        fail(what, "integer out of range, got " + quote(text));
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
    constexpr std::string_view what = "noise";
    const Parsed p = splitFamily(text, what);
    NoiseFamily f;
    auto noValues = [&] {
        if (p.hasColon)
            fail(what, "'" + p.name + "' takes no parameters, got " + quote(text));
    };
    if (p.name == "gaussian" || p.name == "goe") {
        noValues();
        f.kind = NoiseKind::Gaussian;
    } else if (p.name == "complex" || p.name == "gue") {
        noValues();
        f.kind = NoiseKind::Complex;
    } else if (p.name == "rademacher") {
        noValues();
        f.kind = NoiseKind::Rademacher;
    } else if (p.name == "uniform") {
        noValues();
        f.kind = NoiseKind::Uniform;
    } else if (p.name == "student-t") {
        expectCount(p, 1, what, text, "nu");
        f.kind = NoiseKind::StudentT;
        f.param = p.values[0];
    } else if (p.name == "sparse") {
        expectCount(p, 1, what, text, "p");
        f.kind = NoiseKind::Sparse;
        f.param = p.values[0];
    } else {
        fail(what,
             "unknown family " + quote(p.name) +
                 " (expected gaussian, complex, rademacher, uniform, student-t:nu or sparse:p)");
    }
    return f;
}

SpikeFamily parseSpikes(std::string_view text)
{
    constexpr std::string_view what = "spikes";
    const Parsed p = splitFamily(text, what);
    SpikeFamily f;
    f.params = p.values;
    if (p.name == "equal") {
        expectCount(p, 1, what, text, "t");
        f.kind = SpikeKind::Equal;
    } else if (p.name == "linear") {
        expectCount(p, 2, what, text, "a,b");
        f.kind = SpikeKind::Linear;
    } else if (p.name == "power") {
        expectCount(p, 2, what, text, "t,g");
        f.kind = SpikeKind::Power;
    } else if (p.name == "list") {
        if (p.values.empty())
            fail(what, "'list:' needs at least one value");
        f.kind = SpikeKind::List;
    } else {
        fail(what, "unknown family " + quote(p.name) +
                       " (expected equal:t, linear:a,b, power:t,g or list:v1,v2,...)");
    }
    return f;
}

BulkFamily parseBulk(std::string_view text)
{
    constexpr std::string_view what = "bulk";
    const Parsed p = splitFamily(text, what);
    BulkFamily f;
    f.params = p.values;
    if (p.name == "zero") {
        if (p.hasColon)
            fail(what, "'zero' takes no parameters, got " + quote(text));
        f.kind = BulkKind::Zero;
    } else if (p.name == "uniform") {
        expectCount(p, 2, what, text, "a,b");
        f.kind = BulkKind::Uniform;
    } else if (p.name == "semicircle") {
        expectCount(p, 1, what, text, "rho");
        f.kind = BulkKind::Semicircle;
    } else if (p.name == "twopoint") {
        expectCount(p, 3, what, text, "a,b,p");
        f.kind = BulkKind::TwoPoint;
    } else if (p.name == "list") {
        if (p.values.empty())
            fail(what, "'list:' needs at least one value");
        f.kind = BulkKind::List;
    } else {
        fail(what, "unknown family " + quote(p.name) +
                       " (expected zero, uniform:a,b, semicircle:rho, twopoint:a,b,p or list:...)");
    }
    return f;
}

Eigvecs parseEigvecs(std::string_view text)
{
    std::string t(trim(text));
    std::transform(t.begin(), t.end(), t.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (t == "basis")
        return Eigvecs::Basis;
    if (t == "haar")
        return Eigvecs::Haar;
    fail("eigvecs", "expected basis or haar, got " + quote(text));
}

std::string toString(const NoiseFamily& f)
{
    switch (f.kind) {
    case NoiseKind::Gaussian:
        return "gaussian";
    case NoiseKind::Complex:
        return "complex";
    case NoiseKind::Rademacher:
        return "rademacher";
    case NoiseKind::Uniform:
        return "uniform";
    case NoiseKind::StudentT:
        return "student-t:" + formatDouble(f.param);
    case NoiseKind::Sparse:
        return "sparse:" + formatDouble(f.param);
    }
    return "gaussian";
}

std::string toString(const SpikeFamily& f)
{
    static constexpr const char* names[] = {"equal", "linear", "power", "list"};
    return std::string(names[static_cast<int>(f.kind)]) + ":" + joinValues(f.params);
}

std::string toString(const BulkFamily& f)
{
    static constexpr const char* names[] = {"zero", "uniform", "semicircle", "twopoint", "list"};
    const std::string name = names[static_cast<int>(f.kind)];
    return f.kind == BulkKind::Zero ? name : name + ":" + joinValues(f.params);
}

std::string toString(Eigvecs e)
{
    return e == Eigvecs::Haar ? "haar" : "basis";
}

void validate(const Model& m)
{
    // N is capped so that N and N*N-sized index arithmetic stay far from overflow in 64 bits.
    constexpr int kMaxN = 100'000'000;
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
    const std::size_t want[] = {1, 2, 2, 0};
    const auto kind = static_cast<std::size_t>(m.spikes.kind);
    if (m.spikes.kind == SpikeKind::List) {
        if (sp.empty())
            fail("spikes", "'list:' needs at least one value");
        if (sp.size() > static_cast<std::size_t>(m.n))
            fail("spikes", "the list has " + std::to_string(sp.size()) +
                               " values, more than N = " + std::to_string(m.n));
    } else {
        if (sp.size() != want[kind])
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
