// .npy header parsing (format: numpy/lib/format.py, versions 1.0-3.0). The header is a Python
// dict literal such as "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }" padded with
// spaces and '\n'. It is parsed by a small cursor parser (no eval of course): strict about the
// grammar, tolerant about spacing, quote style, key order and trailing commas.
#include "core/model/families.h"
#include "core/weights/weights_internal.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>
#include <cstring>
#include <optional>

namespace ws::core::detail {

namespace {

constexpr std::size_t kMaxDictBytes = 64 * 1024; // NumPy's own reader stops at 10 000

[[noreturn]] void fail(const std::string& why)
{
    throw InputError(why);
}

std::uint32_t le(std::string_view s, std::size_t at, std::size_t n)
{
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < n; ++i)
        v |= static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + i])) << (8 * i);
    return v;
}

struct Dim
{
    std::string text; // as written, for messages
    bool negative = false;
    bool tooLarge = false; // beyond int64
    std::int64_t value = 0;
};

struct Dict
{
    std::optional<std::string> descr;
    bool structured = false; // descr was a list
    std::optional<bool> fortran;
    std::optional<std::vector<Dim>> shape;
};

class DictParser
{
public:
    explicit DictParser(std::string_view s) : m_s(s) {}

    Dict parse()
    {
        Dict d;
        skipSpace();
        expect('{', "the header must start with '{'");
        skipSpace();
        while (!eat('}')) {
            const std::string key = string("a quoted key");
            skipSpace();
            expect(':', "expected ':' after key '" + excerpt(key, 40) + "'");
            skipSpace();
            if (key == "descr") {
                once(d.descr.has_value() || d.structured, key);
                if (peek() == '[') {
                    d.structured = true;
                    skipValue(0);
                } else {
                    d.descr = string("descr to be a quoted dtype string");
                }
            } else if (key == "fortran_order") {
                once(d.fortran.has_value(), key);
                d.fortran = boolean();
            } else if (key == "shape") {
                once(d.shape.has_value(), key);
                d.shape = tuple();
            } else {
                skipValue(0); // unknown keys are ignored
            }
            skipSpace();
            if (eat(',')) {
                skipSpace();
                continue;
            }
            skipSpace();
            if (peek() != '}')
                bad("expected ',' or '}' after the value of '" + excerpt(key, 40) + "'");
        }
        skipSpace();
        if (m_pos != m_s.size())
            bad("unexpected text after the closing '}'");
        return d;
    }

private:
    char peek() const { return m_pos < m_s.size() ? m_s[m_pos] : '\0'; }
    bool eat(char c)
    {
        if (peek() != c || m_pos >= m_s.size())
            return false;
        ++m_pos;
        return true;
    }
    void expect(char c, const std::string& why)
    {
        if (!eat(c))
            bad(why);
    }
    void skipSpace()
    {
        while (m_pos < m_s.size() && std::strchr(" \t\r\n", m_s[m_pos]) && m_s[m_pos] != '\0')
            ++m_pos;
    }
    [[noreturn]] void bad(const std::string& why) const
    {
        fail("malformed .npy header (" + why + " at offset " + std::to_string(m_pos) +
             "): " + excerpt(m_s, 120));
    }
    void once(bool seen, const std::string& key) const
    {
        if (seen)
            bad("key '" + key + "' appears twice");
    }

    std::string string(const char* what)
    {
        const char q = peek();
        if (q != '\'' && q != '"')
            bad(std::string("expected ") + what);
        ++m_pos;
        std::string out;
        while (m_pos < m_s.size() && m_s[m_pos] != q) {
            if (m_s[m_pos] == '\\' || m_s[m_pos] == '\n')
                bad("escapes and line breaks are not allowed in strings");
            out += m_s[m_pos++];
        }
        if (m_pos >= m_s.size())
            bad("unterminated string");
        ++m_pos;
        return out;
    }

    std::string_view word()
    {
        const std::size_t start = m_pos;
        while (m_pos < m_s.size() &&
               (std::isalnum(static_cast<unsigned char>(m_s[m_pos])) || m_s[m_pos] == '_'))
            ++m_pos;
        return m_s.substr(start, m_pos - start);
    }

    bool boolean()
    {
        const auto w = word();
        if (w == "True")
            return true;
        if (w == "False")
            return false;
        bad("fortran_order must be True or False");
    }

    Dim integer()
    {
        Dim d;
        const std::size_t start = m_pos;
        if (eat('-'))
            d.negative = true;
        const std::size_t digits = m_pos;
        while (m_pos < m_s.size() && m_s[m_pos] >= '0' && m_s[m_pos] <= '9')
            ++m_pos;
        if (m_pos == digits)
            bad("shape must be a tuple of integers");
        std::uint64_t v = 0;
        const auto [ptr, ec] = std::from_chars(m_s.data() + digits, m_s.data() + m_pos, v);
        (void)ptr;
        if (ec != std::errc() || v > static_cast<std::uint64_t>(INT64_MAX))
            d.tooLarge = true;
        else
            d.value = d.negative ? -static_cast<std::int64_t>(v) : static_cast<std::int64_t>(v);
        d.text = std::string(m_s.substr(start, m_pos - start));
        if (peek() == 'L' || peek() == 'l') // Python 2 long literal
            ++m_pos;
        return d;
    }

    std::vector<Dim> tuple()
    {
        expect('(', "shape must be a tuple such as (3, 4)");
        std::vector<Dim> dims;
        skipSpace();
        while (!eat(')')) {
            dims.push_back(integer());
            skipSpace();
            if (eat(',')) {
                skipSpace();
                continue;
            }
            if (peek() != ')')
                bad("expected ',' or ')' in shape");
        }
        return dims;
    }

    // Any Python literal of an unknown key (or a structured descr): strings, names, numbers,
    // and nested brackets up to a small depth.
    void skipValue(int depth)
    {
        if (depth > 16)
            bad("nested too deeply");
        const char c = peek();
        if (c == '\'' || c == '"') {
            string("a value");
        } else if (c == '(' || c == '[' || c == '{') {
            const char close = c == '(' ? ')' : (c == '[' ? ']' : '}');
            ++m_pos;
            skipSpace();
            while (!eat(close)) {
                skipValue(depth + 1);
                skipSpace();
                if (eat(',') || eat(':')) {
                    skipSpace();
                    continue;
                }
                if (peek() != close)
                    bad("unbalanced brackets");
            }
        } else {
            if (c == '-' || c == '+')
                ++m_pos;
            const std::size_t start = m_pos;
            while (m_pos < m_s.size() && (std::isalnum(static_cast<unsigned char>(m_s[m_pos])) ||
                                          m_s[m_pos] == '_' || m_s[m_pos] == '.'))
                ++m_pos;
            if (m_pos == start)
                bad("expected a value");
        }
    }

    std::string_view m_s;
    std::size_t m_pos = 0;
};

std::string shapeOf(const std::vector<Dim>& dims)
{
    std::string s = "(";
    for (std::size_t i = 0; i < dims.size(); ++i)
        s += (i ? ", " : "") + dims[i].text;
    return s + (dims.size() == 1 ? ",)" : ")");
}

} // namespace

NpyPrefix parseNpyPrefix(std::string_view head, std::uint64_t fileSize)
{
    if (head.size() < 6 || head.substr(0, 6) != "\x93NUMPY")
        fail("not a .npy file: it does not start with the magic \\x93NUMPY");
    if (head.size() < 10)
        fail("the file is too short for a .npy header (" + std::to_string(fileSize) + " bytes)");
    const int major = static_cast<unsigned char>(head[6]);
    const int minor = static_cast<unsigned char>(head[7]);
    if ((major != 1 && major != 2 && major != 3) || minor != 0)
        fail("unsupported .npy format version " + std::to_string(major) + "." +
             std::to_string(minor) + " (this program reads 1.0, 2.0 and 3.0)");
    NpyPrefix p;
    if (major == 1) {
        p.dictStart = 10;
        p.dictLength = le(head, 8, 2);
    } else {
        if (head.size() < 12)
            fail("the file is too short for a .npy version " + std::to_string(major) +
                 ".0 header (" + std::to_string(fileSize) + " bytes)");
        p.dictStart = 12;
        p.dictLength = le(head, 8, 4);
    }
    if (p.dictStart + static_cast<std::uint64_t>(p.dictLength) > fileSize)
        fail("the header length (" + std::to_string(p.dictLength) +
             " bytes) goes beyond the end of the file (" + std::to_string(fileSize) +
             " bytes): truncated or not a .npy file");
    if (p.dictLength > kMaxDictBytes)
        fail("the header is implausibly long (" + std::to_string(p.dictLength) +
             " bytes; a matrix header has about 100)");
    return p;
}

RawMatrix parseNpyDict(std::string_view dict, std::uint64_t dataOffset, std::uint64_t fileSize)
{
    const Dict d = DictParser(dict).parse();
    for (const char* key : {"descr", "fortran_order", "shape"}) {
        const bool have = std::strcmp(key, "descr") == 0           ? (d.descr || d.structured)
                          : std::strcmp(key, "fortran_order") == 0 ? d.fortran.has_value()
                                                                   : d.shape.has_value();
        if (!have)
            fail(std::string("the .npy header has no '") + key + "' key: " + excerpt(dict, 120));
    }
    RawMatrix raw;
    raw.offset = dataOffset;
    raw.fortran = *d.fortran;
    if (d.structured)
        fail("structured arrays (a list of fields as dtype) are not supported; save a plain "
             "float32 or float64 matrix");
    const std::string& descr = *d.descr;
    if (descr == "|O" || descr == "O" || descr == "<O" || descr == ">O")
        fail("object arrays (dtype '" + descr +
             "') are not supported: they hold pickled Python objects; save a float32 or float64 "
             "matrix");
    const bool floatDescr = descr.size() == 3 && descr[1] == 'f' &&
                            (descr[2] == '2' || descr[2] == '4' || descr[2] == '8');
    if (floatDescr && descr[0] == '|')
        fail("dtype '" + descr + "' has no byte order ('|'), which NumPy never writes for floats");
    if (!floatDescr || (descr[0] != '<' && descr[0] != '>'))
        fail("dtype '" + excerpt(descr, 40) + "' is not supported; use float32 or float64");
    raw.bigEndian = descr[0] == '>';
    raw.type = descr[2] == '2' ? Scalar::F16 : (descr[2] == '4' ? Scalar::F32 : Scalar::F64);

    const std::vector<Dim>& dims = *d.shape;
    const std::string shape = shapeOf(dims);
    if (dims.size() == 0)
        fail("shape () is 0-D (a scalar); a weight matrix needs 2 dimensions");
    if (dims.size() != 2 && dims.size() != 4)
        fail("shape " + shape + " is " + std::to_string(dims.size()) +
             "-D; a weight matrix needs 2 dimensions (or 4: a convolution kernel (out, in, kh, "
             "kw))");
    for (const Dim& dim : dims) {
        if (dim.negative)
            fail("shape " + shape + " has a negative dimension");
        if (dim.tooLarge || dim.value > INT_MAX)
            fail("shape " + shape + ": dimension " + dim.text + " is too large (at most " +
                 std::to_string(INT_MAX) + ")");
        if (dim.value == 0)
            fail("shape " + shape + " has a zero dimension: the matrix is empty");
    }
    std::uint64_t cols = 1;
    for (std::size_t k = 1; k < dims.size(); ++k)
        if (mulOverflows(cols, static_cast<std::uint64_t>(dims[k].value), cols) || cols > INT_MAX)
            fail("shape " + shape + ": in x kh x kw is too large (at most " +
                 std::to_string(INT_MAX) + " columns of the out x (in kh kw) matrix)");
    for (const Dim& dim : dims)
        raw.shape.push_back(dim.value);
    raw.rows = static_cast<int>(dims[0].value);
    raw.cols = static_cast<int>(cols);
    std::uint64_t need = 0;
    const bool overflow = mulOverflows(raw.elements(), scalarSize(raw.type), need);
    const std::uint64_t present = fileSize - std::min(fileSize, dataOffset);
    if (overflow || need > present)
        fail("the data is truncated: shape " + shape + " of " + scalarName(raw.type) + " needs " +
             (overflow ? std::string("more than 2^64") : std::to_string(need)) +
             " bytes, the file has " + std::to_string(present) + " after the header");
    return raw;
}

} // namespace ws::core::detail
