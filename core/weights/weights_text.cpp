// Text matrices (CSV, TSV, whitespace separated), parsed incrementally so that readWeights can
// feed 8 MiB chunks. Rules in weights_io.h.
#include "core/model/families.h"
#include "core/weights/weights_internal.h"
#include "core/util/bytes.h"

#include <charconv>
#include <climits>
#include <cmath>
#include <new>

namespace ws::core::detail {

namespace {

bool isBlank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && isBlank(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isBlank(s.back()))
        s.remove_suffix(1);
    return s;
}

enum class Num { Ok, Empty, Bad, Range };

// The whole token must be a number (from_chars syntax, optionally with a leading '+').
Num parseNumber(std::string_view t, double& v)
{
    if (t.empty())
        return Num::Empty;
    if (t.front() == '+') {
        t.remove_prefix(1);
        if (t.empty() || t.front() == '-')
            return Num::Bad;
    }
    const char* end = t.data() + t.size();
    auto [ptr, ec] = std::from_chars(t.data(), end, v);
    if (ec == std::errc::invalid_argument || ptr != end)
        return Num::Bad;
    if (ec == std::errc::result_out_of_range) {
        // Underflow rounds to (signed) zero or a subnormal; overflow is an error. long double's
        // wider exponent range tells the two apart.
        long double w = 0;
        auto r = std::from_chars(t.data(), end, w);
        if (r.ec != std::errc() || r.ptr != end)
            return Num::Range;
        v = static_cast<double>(w);
        if (!std::isfinite(v))
            return Num::Range;
    }
    return Num::Ok;
}

std::string at(std::int64_t line, std::size_t field)
{
    return "line " + std::to_string(line) + ", field " + std::to_string(field + 1) + ": ";
}

} // namespace

TextParser::TextParser(bool countOnly, std::size_t budgetBytes)
    : m_countOnly(countOnly), m_budgetBytes(budgetBytes)
{
}

void TextParser::reserve(std::size_t values)
{
    try {
        m_values.reserve(values);
    } catch (const std::bad_alloc&) {
        throw ResourceError("out of memory allocating " +
                            formatBytes(static_cast<double>(values) * 8.0) + " for the values");
    } catch (const std::length_error&) {
        throw ResourceError("out of memory allocating " +
                            formatBytes(static_cast<double>(values) * 8.0) + " for the values");
    }
}

void TextParser::feed(std::string_view chunk)
{
    std::size_t start = 0;
    while (start <= chunk.size()) {
        const auto nl = chunk.find('\n', start);
        if (nl == std::string_view::npos) {
            m_carry.append(chunk.substr(start));
            return;
        }
        if (!m_carry.empty()) {
            m_carry.append(chunk.substr(start, nl - start));
            line(m_carry);
            m_carry.clear();
        } else {
            line(chunk.substr(start, nl - start));
        }
        start = nl + 1;
    }
}

void TextParser::finish()
{
    if (!m_carry.empty()) {
        line(m_carry);
        m_carry.clear();
    }
    if (!m_sawContent)
        throw InputError(m_lineNo == 0 ? "the file is empty"
                                       : "the file has no data, only blank or comment lines");
    if (m_rows == 0)
        throw InputError("the file has a header line but no data rows");
}

void TextParser::line(std::string_view text)
{
    // A line ends at '\n', "\r\n" or a lone '\r' (old Mac files would otherwise silently become
    // one long row).
    if (!text.empty() && text.back() == '\r')
        text.remove_suffix(1);
    for (auto cr = text.find('\r'); cr != std::string_view::npos; cr = text.find('\r')) {
        oneLine(text.substr(0, cr));
        text.remove_prefix(cr + 1);
    }
    oneLine(text);
}

void TextParser::oneLine(std::string_view text)
{
    ++m_lineNo;
    if (m_lineNo == 1 && text.substr(0, 3) == "\xEF\xBB\xBF") // UTF-8 byte order mark
        text.remove_prefix(3);
    if (const auto hash = text.find('#'); hash != std::string_view::npos)
        text = text.substr(0, hash);
    text = trim(text);
    if (text.empty())
        return;
    if (m_countOnly && m_rows > 0) {
        ++m_rows; // the shape only: fields are checked when the values are read
        return;
    }
    if (m_delim == 0)
        m_delim = text.find(',') != std::string_view::npos
                      ? ','
                      : (text.find('\t') != std::string_view::npos ? '\t' : ' ');
    m_fields.clear();
    if (m_delim == ' ') {
        std::size_t i = 0;
        while (i < text.size()) {
            const std::size_t start = i;
            while (i < text.size() && !isBlank(text[i]))
                ++i;
            m_fields.push_back(text.substr(start, i - start));
            while (i < text.size() && isBlank(text[i]))
                ++i;
        }
    } else {
        std::size_t start = 0;
        while (true) {
            const auto d = text.find(m_delim, start);
            m_fields.push_back(
                trim(text.substr(start, d == std::string_view::npos ? d : d - start)));
            if (d == std::string_view::npos)
                break;
            start = d + 1;
        }
    }
    const bool first = !m_sawContent;
    m_sawContent = true;
    if (first) {
        bool anyNumber = false;
        for (const auto f : m_fields) {
            double v = 0;
            anyNumber = anyNumber || parseNumber(f, v) == Num::Ok;
        }
        if (!anyNumber) {
            m_header = true;
            m_headerFields = static_cast<std::int64_t>(m_fields.size());
            m_headerLine = m_lineNo;
            return;
        }
    }
    dataLine();
}

void TextParser::dataLine()
{
    const auto n = static_cast<std::int64_t>(m_fields.size());
    if (m_rows == 0) {
        if (m_header && m_headerFields != n)
            throw InputError("line " + std::to_string(m_headerLine) + " (header) has " +
                             std::to_string(m_headerFields) + " names, but line " +
                             std::to_string(m_lineNo) + " has " + std::to_string(n) + " values");
        if (n > INT_MAX)
            throw InputError("line " + std::to_string(m_lineNo) + " has too many fields");
        m_cols = n;
        m_firstDataLine = m_lineNo;
    } else if (n != m_cols) {
        throw InputError("line " + std::to_string(m_lineNo) + " has " + std::to_string(n) +
                         " field" + (n == 1 ? "" : "s") + ", but line " +
                         std::to_string(m_firstDataLine) + " has " + std::to_string(m_cols) +
                         ": every row needs the same number of values");
    }
    if (m_rows >= INT_MAX)
        throw InputError("more than " + std::to_string(INT_MAX) + " rows");
    ++m_rows;
    if (m_countOnly)
        return;

    const std::size_t need = m_values.size() + m_fields.size();
    if (need > m_values.capacity()) {
        // Grow geometrically, but never past the budget (a doubling would overshoot it).
        const std::size_t limit = m_budgetBytes ? m_budgetBytes / sizeof(double) : SIZE_MAX / 16;
        if (need > limit)
            throw ResourceError(
                "the matrix needs more than " + formatBytes(static_cast<double>(need) * 8.0) +
                " as float64 (at line " + std::to_string(m_lineNo) +
                "), over the memory budget of " + formatBytes(static_cast<double>(m_budgetBytes)));
        try {
            m_values.reserve(std::min(limit, std::max(need, 2 * m_values.capacity())));
        } catch (const std::bad_alloc&) {
            throw ResourceError("out of memory at line " + std::to_string(m_lineNo) + " (" +
                                formatBytes(static_cast<double>(need) * 8.0) + " of values)");
        }
    }
    for (std::size_t k = 0; k < m_fields.size(); ++k) {
        double v = 0;
        switch (parseNumber(m_fields[k], v)) {
        case Num::Ok:
            break;
        case Num::Empty:
            throw InputError(at(m_lineNo, k) + "empty field");
        case Num::Bad:
            throw InputError(
                at(m_lineNo, k) + "'" + excerpt(m_fields[k], 40) + "' is not a number" +
                (m_rows == 1 && !m_header ? " (a header line must have names only)" : ""));
        case Num::Range:
            throw InputError(at(m_lineNo, k) + "'" + excerpt(m_fields[k], 40) +
                             "' is beyond the range of double");
        }
        if (!std::isfinite(v)) {
            try {
                throwNonFinite(v, static_cast<std::uint64_t>(m_rows - 1), k);
            } catch (const InputError& e) {
                throw InputError(at(m_lineNo, k) + e.what());
            }
        }
        m_values.push_back(v);
    }
}

} // namespace ws::core::detail
