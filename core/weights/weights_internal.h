#pragma once
// Internals shared by the weight-file readers (weights_*.cpp); not part of the public API.
// The binary formats are split in two steps so that readWeights can stream from disk and the
// in-memory parsers share every check: (1) parse + validate the header against the file size,
// giving a RawMatrix (where the elements are and how they are stored); (2) convert elements
// chunk by chunk with a Converter.

#include "core/io/read_file.h"
#include "core/weights/weights_io.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ws::core::detail {

enum class Scalar { F16, BF16, F32, F64 };
std::size_t scalarSize(Scalar s);
const char* scalarName(Scalar s); // "float16", "bfloat16", "float32", "float64"
// The type of a safetensors dtype ("F32"), if this reader converts it.
std::optional<Scalar> scalarOfSafetensors(std::string_view dtype);

// Checked arithmetic for sizes from untrusted headers: false on overflow.
bool mulOverflows(std::uint64_t a, std::uint64_t b, std::uint64_t& out);

struct RawMatrix
{
    std::uint64_t offset = 0; // first data byte, from the start of the file
    Scalar type = Scalar::F64;
    bool bigEndian = false;
    bool fortran = false; // column-major storage
    int rows = 0, cols = 0;
    // As stored, if known: 2-D, or a 4-D convolution kernel (out, in, kh, kw) read as the
    // out x (in kh kw) matrix. Fortran order stores that matrix's columns in the order
    // i + in (h + kh w) instead of i kh kw + h kw + w, so the converter needs the 4-D shape.
    std::vector<std::int64_t> shape;
    std::uint64_t elements() const
    {
        return static_cast<std::uint64_t>(rows) * static_cast<std::uint64_t>(cols);
    }
    std::uint64_t bytes() const { return elements() * scalarSize(type); }
};

// Writes the stored elements, in storage order, into a row-major rows*cols array, checking
// that each is finite (InputError "element [i, j] is NaN ..." otherwise).
class Converter
{
public:
    Converter(const RawMatrix& raw, double* out);
    void put(const unsigned char* src, std::size_t count); // the next `count` stored elements

private:
    template <class Load>
    void putWith(const unsigned char* src, std::size_t count, double* dst, Load load);
    void scatter(std::size_t count);
    // The matrix column of stored column j (Fortran order).
    std::uint64_t column(std::uint64_t j) const { return m_columns.empty() ? j : m_columns[j]; }

    RawMatrix m_raw;
    double* m_out;
    std::uint64_t m_next = 0;  // storage index of the next element
    std::vector<double> m_tmp; // Fortran order: one chunk in storage order
    // A Fortran-order 4-D kernel: the matrix column of each stored column (empty: the same).
    std::vector<std::uint32_t> m_columns;
};

[[noreturn]] void throwNonFinite(double v, std::uint64_t row, std::uint64_t col);

// Sizes as "(3, 4)" / "[3, 4]" for messages.
std::string shapeText(const std::vector<std::int64_t>& shape, char open, char close);
// A short, printable excerpt of untrusted text for messages (non-printable bytes as \xNN).
std::string excerpt(std::string_view text, std::size_t maxChars = 80);

// ---- .npy ----
// From the first bytes of a file (at least 12 if the file has them): where the header dict
// starts and how long it is, validated against the file size.
struct NpyPrefix
{
    std::size_t dictStart = 0;
    std::size_t dictLength = 0;
};
NpyPrefix parseNpyPrefix(std::string_view head, std::uint64_t fileSize);
// Parses and validates the header dict; the data must fit in fileSize. A 4-D shape
// (out, in, kh, kw) gives the out x (in kh kw) matrix (RawMatrix::shape keeps the 4-D shape).
RawMatrix parseNpyDict(std::string_view dict, std::uint64_t dataOffset, std::uint64_t fileSize);

// A new matrix of raw's shape and dtype, its values read from f in chunks of 8 MiB and converted
// (InputError naming a non-finite element). beforeChunk may throw (Cancelled); afterChunk gets the
// fraction read. ResourceError `outOfMemory` if the values cannot be allocated.
WeightsMatrix readRawMatrix(const RegularFile& f, const RawMatrix& raw,
                            const std::string& outOfMemory,
                            const std::function<void()>& beforeChunk = {},
                            const std::function<void(double)>& afterChunk = {});

// ---- .safetensors ----
struct StEntry
{
    TensorInfo info;
    std::uint64_t begin = 0, end = 0; // data_offsets, relative to the data buffer
    std::optional<Scalar> type;       // set if the dtype is readable
};
// Header size from the first 8 bytes, validated against the file size (and the 100 MB cap).
std::uint64_t parseStHeaderSize(std::string_view head, std::uint64_t fileSize);
// Linear in the header's size; checks `cancel` while parsing (Cancelled).
std::vector<StEntry> parseStHeader(std::string_view json, std::uint64_t dataSize,
                                   const std::atomic<bool>* cancel = nullptr);
// The header of an open .safetensors file: its entries and where the data starts (8 + its size).
struct StFile
{
    std::vector<StEntry> entries;
    std::uint64_t dataStart = 0;
};
StFile readStHeader(const RegularFile& f, const std::atomic<bool>* cancel = nullptr);
// The tensor to read ("" = the only 2-D one), checked to be readable. dataStart = 8 + header.
RawMatrix selectStTensor(const std::vector<StEntry>& entries, const std::string& name,
                         std::uint64_t dataStart, std::string& chosenName);

// ---- text ----
// Incremental text parser: feed() chunks in order (split anywhere), then finish().
class TextParser
{
public:
    // countOnly: count the data lines and the fields of the first one; parse no numbers.
    // budgetBytes: ResourceError once the values would need more (0 = no limit).
    explicit TextParser(bool countOnly = false, std::size_t budgetBytes = 0);
    void feed(std::string_view chunk);
    void finish(); // InputError if there was no data
    // Room for `values` values at once (a first pass counted them): no growth, no slack.
    // ResourceError if it cannot be allocated.
    void reserve(std::size_t values);

    std::int64_t rows() const { return m_rows; }
    std::int64_t cols() const { return m_cols; }
    std::vector<double>& values() { return m_values; }

private:
    void line(std::string_view text);    // up to a '\n'
    void oneLine(std::string_view text); // up to a '\r' too
    void dataLine();                     // m_fields of line m_lineNo

    bool m_countOnly;
    std::size_t m_budgetBytes;
    std::string m_carry; // an incomplete last line
    std::int64_t m_lineNo = 0;
    bool m_sawContent = false; // a non-blank, non-comment line
    bool m_header = false;
    std::int64_t m_headerFields = 0, m_headerLine = 0;
    char m_delim = 0; // ',', '\t' or ' ' (runs of blanks); 0 = not yet known
    std::int64_t m_rows = 0, m_cols = 0;
    std::int64_t m_firstDataLine = 0;
    std::vector<std::string_view> m_fields;
    std::vector<double> m_values;
};

} // namespace ws::core::detail
