// Weight-matrix elements (see weights_internal.h): the scalar types' sizes and names, and the
// converter from a file's raw elements (any byte order, float16, bfloat16, Fortran order) to
// row-major doubles, which every binary reader (weights_io.cpp, model_tensors.cpp) feeds.
#include "core/model/families.h"
#include "core/weights/weights_internal.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

namespace ws::core {

namespace detail {

namespace {

// Each element type once: its name in WeightsMatrix::dtype, its safetensors dtype, its size.
struct ScalarType
{
    Scalar type;
    const char* name;
    std::string_view safetensors;
    std::size_t size;
};

constexpr ScalarType kScalars[] = {{Scalar::F16, "float16", "F16", 2},
                                   {Scalar::BF16, "bfloat16", "BF16", 2},
                                   {Scalar::F32, "float32", "F32", 4},
                                   {Scalar::F64, "float64", "F64", 8}};

const ScalarType& scalarType(Scalar s)
{
    for (const ScalarType& t : kScalars)
        if (t.type == s)
            return t;
    return kScalars[3]; // unreachable for a valid Scalar
}

} // namespace

std::size_t scalarSize(Scalar s)
{
    return scalarType(s).size;
}

const char* scalarName(Scalar s)
{
    return scalarType(s).name;
}

std::optional<Scalar> scalarOfSafetensors(std::string_view dtype)
{
    for (const ScalarType& t : kScalars)
        if (t.safetensors == dtype)
            return t.type;
    return std::nullopt;
}

bool mulOverflows(std::uint64_t a, std::uint64_t b, std::uint64_t& out)
{
    return __builtin_mul_overflow(a, b, &out);
}

std::string shapeText(const std::vector<std::int64_t>& shape, char open, char close)
{
    std::string s(1, open);
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i)
            s += ", ";
        s += std::to_string(shape[i]);
    }
    if (open == '(' && shape.size() == 1)
        s += ','; // Python's 1-tuple
    s += close;
    return s;
}

std::string excerpt(std::string_view text, std::size_t maxChars)
{
    std::string s;
    for (std::size_t i = 0; i < text.size() && s.size() < maxChars; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7f) {
            s += static_cast<char>(c);
        } else {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02X", c);
            s += buf;
        }
    }
    if (s.size() >= maxChars && text.size() > maxChars)
        s += "...";
    return s;
}

[[noreturn]] void throwNonFinite(double v, std::uint64_t row, std::uint64_t col)
{
    const char* what = std::isnan(v) ? "NaN" : (v > 0 ? "+Inf" : "-Inf");
    throw InputError("element [" + std::to_string(row) + ", " + std::to_string(col) + "] is " +
                     what + " (row, column counted from 0); every weight must be finite");
}

namespace {

// float16 -> double for all 65536 bit patterns (exact): 512 KiB, built once.
const double* halfTable()
{
    static const std::vector<double> table = [] {
        std::vector<double> t(65536);
        for (std::uint32_t h = 0; h < 65536; ++h) {
            const std::uint32_t e = (h >> 10) & 0x1fu;
            const std::uint32_t m = h & 0x3ffu;
            double v = 0.0;
            if (e == 0)
                v = std::ldexp(static_cast<double>(m), -24); // zero and subnormals
            else if (e == 31)
                v = m ? std::numeric_limits<double>::quiet_NaN()
                      : std::numeric_limits<double>::infinity();
            else
                v = std::ldexp(static_cast<double>(m | 0x400u), static_cast<int>(e) - 25);
            t[h] = (h & 0x8000u) ? -v : v;
        }
        return t;
    }();
    return table.data();
}

template <class U> U loadBits(const unsigned char* p, bool swap)
{
    U u;
    std::memcpy(&u, p, sizeof u);
    if (swap) {
        if constexpr (sizeof(U) == 2)
            u = __builtin_bswap16(u);
        else if constexpr (sizeof(U) == 4)
            u = __builtin_bswap32(u);
        else
            u = __builtin_bswap64(u);
    }
    return u;
}

} // namespace

Converter::Converter(const RawMatrix& raw, double* out) : m_raw(raw), m_out(out)
{
    const auto& s = raw.shape;
    if (!raw.fortran || s.size() != 4 || s[2] * s[3] == 1)
        return;
    // Stored column i + in (h + kh w) holds the matrix column i kh kw + h kw + w. At most 4
    // bytes per column, much less than the matrix (a row of doubles per column).
    m_columns.reserve(static_cast<std::size_t>(raw.cols));
    for (std::int64_t w = 0; w < s[3]; ++w)
        for (std::int64_t h = 0; h < s[2]; ++h)
            for (std::int64_t i = 0; i < s[1]; ++i)
                m_columns.push_back(static_cast<std::uint32_t>(i * s[2] * s[3] + h * s[3] + w));
}

// Converts `count` elements in storage order into dst (contiguous); a non-finite one is named
// by its matrix position.
template <class Load>
void Converter::putWith(const unsigned char* src, std::size_t count, double* dst, Load load)
{
    const std::size_t size = scalarSize(m_raw.type);
    for (std::size_t k = 0; k < count; ++k) {
        const double v = load(src + k * size);
        if (!std::isfinite(v)) {
            const std::uint64_t idx = m_next + k;
            const auto rows = static_cast<std::uint64_t>(m_raw.rows);
            const auto cols = static_cast<std::uint64_t>(m_raw.cols);
            if (m_raw.fortran)
                throwNonFinite(v, idx % rows, column(idx / rows));
            throwNonFinite(v, idx / cols, idx % cols);
        }
        dst[k] = v;
    }
}

// Column-major elements [m_next, m_next + count) from m_tmp into the row-major output. Whole
// columns are copied row by row, so that the writes are runs of consecutive doubles: element-wise
// scattering (a cache line and often a TLB entry per element) was 6x slower on 5000 x 10000.
void Converter::scatter(std::size_t count)
{
    const auto rows = static_cast<std::uint64_t>(m_raw.rows);
    const auto cols = static_cast<std::uint64_t>(m_raw.cols);
    const double* t = m_tmp.data();
    std::uint64_t k = m_next;
    const std::uint64_t end = m_next + count;
    if (k % rows != 0) { // the rest of a column begun in the previous chunk
        const std::uint64_t i0 = k % rows, j = k / rows;
        const std::uint64_t n = std::min(rows - i0, end - k);
        const std::uint64_t c = column(j);
        for (std::uint64_t q = 0; q < n; ++q)
            m_out[(i0 + q) * cols + c] = t[q];
        t += n;
        k += n;
    }
    if (const std::uint64_t full = (end - k) / rows) {
        const std::uint64_t j0 = k / rows;
        for (std::uint64_t i = 0; i < rows; ++i) {
            double* o = m_out + i * cols;
            const double* in = t + i;
            if (m_columns.empty())
                for (std::uint64_t c = 0; c < full; ++c)
                    o[j0 + c] = in[c * rows];
            else
                for (std::uint64_t c = 0; c < full; ++c)
                    o[m_columns[j0 + c]] = in[c * rows];
        }
        t += full * rows;
        k += full * rows;
    }
    if (k == end)
        return;
    // The start of a column that continues in the next chunk.
    const std::uint64_t c = column(k / rows);
    for (std::uint64_t q = 0; k + q < end; ++q)
        m_out[q * cols + c] = t[q];
}

void Converter::put(const unsigned char* src, std::size_t count)
{
    double* dst = m_out + m_next;
    if (m_raw.fortran) {
        m_tmp.resize(count);
        dst = m_tmp.data();
    }
    const bool swap = m_raw.bigEndian != (std::endian::native == std::endian::big);
    switch (m_raw.type) {
    case Scalar::F64:
        putWith(src, count, dst, [swap](const unsigned char* p) {
            return std::bit_cast<double>(loadBits<std::uint64_t>(p, swap));
        });
        break;
    case Scalar::F32:
        putWith(src, count, dst, [swap](const unsigned char* p) {
            return static_cast<double>(std::bit_cast<float>(loadBits<std::uint32_t>(p, swap)));
        });
        break;
    case Scalar::F16: {
        const double* table = halfTable();
        putWith(src, count, dst, [swap, table](const unsigned char* p) {
            return table[loadBits<std::uint16_t>(p, swap)];
        });
        break;
    }
    case Scalar::BF16:
        // bfloat16 is the upper half of a float32.
        putWith(src, count, dst, [swap](const unsigned char* p) {
            const std::uint32_t bits = static_cast<std::uint32_t>(loadBits<std::uint16_t>(p, swap))
                                       << 16;
            return static_cast<double>(std::bit_cast<float>(bits));
        });
        break;
    }
    if (m_raw.fortran)
        scatter(count);
    m_next += count;
}

} // namespace detail

} // namespace ws::core
