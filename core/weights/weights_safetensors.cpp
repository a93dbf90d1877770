// .safetensors header parsing: "<u64 LE n><n bytes of JSON><data buffer>", the JSON an object
// {"name": {"dtype": "F32", "shape": [r, c], "data_offsets": [begin, end]}, ...,
//  "__metadata__": {...}} with offsets relative to the data buffer (all little-endian).
// The whole header is validated so that a damaged file is refused before any data is read.
#include "core/io/read_file.h"
#include "core/model/families.h"
#include "core/weights/weights_internal.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <climits>
#include <unordered_set>

namespace ws::core::detail {

namespace {

// A std::map-backed object (O(log n) per key); the header's tensor order is recorded while
// parsing (HeaderSax). Both of nlohmann's shortcuts are quadratic in the number of tensors:
// ordered_json searches its keys linearly on every insert, and a parse with a callback scans the
// enclosing object for discarded values after every object (11 s for 60,000 tensors).
using json = nlohmann::json;

constexpr std::uint64_t kMaxHeaderBytes = 100'000'000; // as the reference implementation
constexpr int kMaxDepth = 64;
constexpr std::size_t kMaxListed = 20; // names in an error message

[[noreturn]] void fail(const std::string& why)
{
    throw InputError(why);
}

std::string quote(const std::string& name)
{
    // (Appending rather than "'" + s: GCC 12 warns falsely (-Wrestrict) on the latter.)
    std::string s(1, '\'');
    s += excerpt(name, 80);
    s += '\'';
    return s;
}

// Bytes per element of the safetensors dtypes; 0 if unknown (e.g. packed 4/6-bit types).
std::size_t dtypeSize(const std::string& d)
{
    if (d == "F64" || d == "I64" || d == "U64" || d == "C64")
        return 8;
    if (d == "F32" || d == "I32" || d == "U32")
        return 4;
    if (d == "F16" || d == "BF16" || d == "I16" || d == "U16")
        return 2;
    if (d == "BOOL" || d == "U8" || d == "I8" || d == "F8_E5M2" || d == "F8_E4M3" || d == "F8_E8M0")
        return 1;
    return 0;
}

std::uint64_t unsignedValue(const json& v, const std::string& what)
{
    if (v.is_number_unsigned())
        return v.get<std::uint64_t>();
    if (v.is_number_integer())
        fail(what + " must not be negative, got " + v.dump());
    fail(what + " must be a non-negative integer, got " +
         (v.is_string() ? "a string" : std::string(v.type_name())));
}

StEntry entry(const std::string& name, const json& v, std::uint64_t dataSize)
{
    const std::string where = "tensor " + quote(name);
    if (!v.is_object())
        fail(where + ": expected an object with dtype, shape and data_offsets, got " +
             std::string(v.type_name()));
    const auto dtype = v.find("dtype");
    const auto shape = v.find("shape");
    const auto offsets = v.find("data_offsets");
    if (dtype == v.end() || !dtype->is_string())
        fail(where + ": 'dtype' is missing or not a string");
    if (shape == v.end() || !shape->is_array())
        fail(where + ": 'shape' is missing or not an array");
    if (offsets == v.end() || !offsets->is_array() || offsets->size() != 2)
        fail(where + ": 'data_offsets' is missing or not an array of two integers");

    StEntry e;
    e.info.name = name;
    const std::string stored = dtype->get<std::string>();
    e.type = scalarOfSafetensors(stored);
    e.info.dtype = e.type ? scalarName(*e.type) : excerpt(stored, 40);
    std::uint64_t elements = 1;
    bool overflow = false;
    for (const json& dim : *shape) {
        const std::uint64_t d = unsignedValue(dim, where + ": shape entry");
        if (d > static_cast<std::uint64_t>(INT64_MAX))
            fail(where + ": shape entry " + std::to_string(d) + " is too large");
        e.info.shape.push_back(static_cast<std::int64_t>(d));
        overflow = overflow || mulOverflows(elements, d, elements);
    }
    e.begin = unsignedValue((*offsets)[0], where + ": data_offsets");
    e.end = unsignedValue((*offsets)[1], where + ": data_offsets");
    const std::string offsetText =
        "data_offsets [" + std::to_string(e.begin) + ", " + std::to_string(e.end) + "]";
    if (e.begin > e.end)
        fail(where + ": " + offsetText + " end before they begin");
    if (e.end > dataSize)
        fail(where + ": " + offsetText + " go beyond the data (" + std::to_string(dataSize) +
             " bytes after the header): truncated or damaged file");
    e.info.bytes = e.end - e.begin;
    if (const std::size_t size = dtypeSize(stored)) {
        std::uint64_t need = 0;
        if (overflow || mulOverflows(elements, size, need) || need != e.info.bytes)
            fail(where + ": " + offsetText + " hold " + std::to_string(e.info.bytes) +
                 " bytes, but shape " + shapeText(e.info.shape, '[', ']') + " of " +
                 excerpt(stored, 40) + " needs " +
                 (overflow ? std::string("more than 2^64") : std::to_string(need)));
    }
    return e;
}

std::string describe(const StEntry& e)
{
    return quote(e.info.name) + " " + shapeText(e.info.shape, '[', ']') + " " + e.info.dtype;
}

std::string listOf(const std::vector<const StEntry*>& list)
{
    std::string s;
    for (std::size_t i = 0; i < list.size() && i < kMaxListed; ++i)
        s += (i ? ", " : "") + describe(*list[i]);
    if (list.size() > kMaxListed)
        s += " and " + std::to_string(list.size() - kMaxListed) + " more";
    return s;
}

} // namespace

std::uint64_t parseStHeaderSize(std::string_view head, std::uint64_t fileSize)
{
    if (head.size() < 8)
        fail("the file is too short for a safetensors header (" + std::to_string(fileSize) +
             " bytes)");
    std::uint64_t n = 0;
    for (int i = 0; i < 8; ++i)
        n |= static_cast<std::uint64_t>(
                 static_cast<unsigned char>(head[static_cast<std::size_t>(i)]))
             << (8 * i);
    if (n > fileSize - 8)
        fail("the header size (" + std::to_string(n) + " bytes) goes beyond the end of the file (" +
             std::to_string(fileSize) + " bytes): truncated or not a safetensors file");
    if (n > kMaxHeaderBytes)
        fail("the header is implausibly long (" + std::to_string(n) + " bytes, over " +
             std::to_string(kMaxHeaderBytes) + ")");
    if (n < 2)
        fail("the header is empty");
    return n;
}

namespace {

// nlohmann's DOM builder, plus what the header needs on the way: the nesting limit, duplicate
// tensor names, the tensors' order, and the cancel flag. Linear in the header's size.
class HeaderSax
{
public:
    HeaderSax(json& result, const std::atomic<bool>* cancel) : m_dom(result, true), m_cancel(cancel)
    {
    }

    bool null() { return tick() && m_dom.null(); }
    bool boolean(bool v) { return tick() && m_dom.boolean(v); }
    bool number_integer(json::number_integer_t v) { return tick() && m_dom.number_integer(v); }
    bool number_unsigned(json::number_unsigned_t v) { return tick() && m_dom.number_unsigned(v); }
    bool number_float(json::number_float_t v, const json::string_t& s)
    {
        return tick() && m_dom.number_float(v, s);
    }
    bool string(json::string_t& v) { return tick() && m_dom.string(v); }
    bool binary(json::binary_t& v) { return tick() && m_dom.binary(v); }
    bool start_object(std::size_t n) { return open() && m_dom.start_object(n); }
    bool end_object()
    {
        --m_depth;
        return m_dom.end_object();
    }
    bool start_array(std::size_t n) { return open() && m_dom.start_array(n); }
    bool end_array()
    {
        --m_depth;
        return m_dom.end_array();
    }
    bool key(json::string_t& k)
    {
        if (m_depth == 1) { // a tensor's name (or __metadata__)
            if (!m_names.insert(k).second)
                throw InputError("the header names tensor " + quote(k) + " twice");
            m_order.push_back(k);
        }
        return tick() && m_dom.key(k);
    }
    template <class Exception>
    bool parse_error(std::size_t position, const std::string& token, const Exception& e)
    {
        return m_dom.parse_error(position, token, e); // throws e
    }

    const std::vector<std::string>& order() const { return m_order; }

private:
    bool open()
    {
        if (++m_depth > kMaxDepth)
            throw InputError("the header is nested deeper than " + std::to_string(kMaxDepth) +
                             " levels");
        return tick();
    }
    // Every 4096 events (well under a millisecond): a huge header stops promptly on cancel.
    bool tick()
    {
        if (m_cancel && (++m_events & 4095) == 0 && m_cancel->load())
            throw Cancelled("reading the safetensors header was cancelled");
        return true;
    }

    nlohmann::detail::json_sax_dom_parser<json> m_dom;
    const std::atomic<bool>* m_cancel;
    int m_depth = 0;
    std::size_t m_events = 0;
    std::unordered_set<std::string> m_names;
    std::vector<std::string> m_order; // the top-level keys as they come
};

} // namespace

std::vector<StEntry> parseStHeader(std::string_view text, std::uint64_t dataSize,
                                   const std::atomic<bool>* cancel)
{
    json j;
    HeaderSax sax(j, cancel);
    try {
        json::sax_parse(text.begin(), text.end(), &sax);
    } catch (const json::exception& e) {
        // "[json.exception.parse_error.101] parse error at ...": keep the tail.
        const std::string what = e.what();
        const auto pos = what.find("] ");
        fail("the header is not valid JSON: " +
             (pos == std::string::npos ? what : what.substr(pos + 2)));
    }
    const std::vector<std::string>& order = sax.order();
    if (!j.is_object())
        fail("the header must be a JSON object, got " + std::string(j.type_name()));
    std::vector<StEntry> out;
    out.reserve(order.size());
    for (const std::string& name : order) {
        if (name == "__metadata__")
            continue; // free-form string map
        out.push_back(entry(name, j.at(name), dataSize));
    }
    return out;
}

StFile readStHeader(const RegularFile& f, const std::atomic<bool>* cancel)
{
    const std::string head =
        f.readString(0, static_cast<std::size_t>(std::min<std::uint64_t>(f.size(), 8)));
    const std::uint64_t n = parseStHeaderSize(head, f.size());
    const std::string json = f.readString(8, static_cast<std::size_t>(n));
    return {parseStHeader(json, f.size() - 8 - n, cancel), 8 + n};
}

RawMatrix selectStTensor(const std::vector<StEntry>& entries, const std::string& name,
                         std::uint64_t dataStart, std::string& chosenName)
{
    // Candidates are the tensors that can be read (2-D, non-empty, a float dtype): a model's
    // integer buffers (position ids, masks) must not make the choice ambiguous.
    std::vector<const StEntry*> readable, all;
    const StEntry* chosen = nullptr;
    for (const StEntry& e : entries) {
        all.push_back(&e);
        if (e.info.readable())
            readable.push_back(&e);
        if (!name.empty() && e.info.name == name)
            chosen = &e;
    }
    if (name.empty()) {
        if (readable.size() == 1) {
            chosen = readable.front();
        } else if (readable.empty()) {
            fail("the file has no readable 2-D tensor (2-D or a 4-D kernel, F32/F16/BF16/F64, "
                 "non-empty)" +
                 (all.empty() ? std::string("; it has no tensors at all")
                              : "; tensors: " + listOf(all)));
        } else {
            fail("the file has " + std::to_string(readable.size()) +
                 " readable 2-D tensors; choose one with --tensor NAME: " + listOf(readable));
        }
    } else if (!chosen) {
        fail("no tensor named " + quote(name) +
             (readable.empty() ? std::string("; the file has no readable 2-D tensor")
                               : "; readable 2-D tensors: " + listOf(readable)));
    }
    const TensorInfo& info = chosen->info;
    const std::string where = "tensor " + quote(info.name);
    if (!info.is2d() && !info.isKernel())
        fail(where + " has shape " + shapeText(info.shape, '[', ']') + " (" +
             std::to_string(info.shape.size()) +
             "-D); a weight matrix needs 2 dimensions (or 4: a convolution kernel (out, in, kh, "
             "kw))");
    if (!chosen->type)
        fail(where + " has dtype " + info.dtype +
             ", which is not supported; use F32, F16, BF16 or F64");
    if (std::find(info.shape.begin(), info.shape.end(), std::int64_t{0}) != info.shape.end())
        fail(where + " has shape " + shapeText(info.shape, '[', ']') +
             " with a zero dimension: the matrix is empty");
    const std::int64_t rows = info.matrixRows(), cols = info.matrixCols();
    if (rows > INT_MAX || cols < 0 || cols > INT_MAX)
        fail(where + " has shape " + shapeText(info.shape, '[', ']') + ": too large (at most " +
             std::to_string(INT_MAX) +
             (info.isKernel() ? " columns of the out x (in kh kw) matrix)" : " per dimension)"));
    RawMatrix raw;
    raw.offset = dataStart + chosen->begin;
    raw.type = *chosen->type;
    raw.rows = static_cast<int>(rows);
    raw.cols = static_cast<int>(cols);
    raw.shape = info.shape;
    chosenName = info.name;
    return raw;
}

} // namespace ws::core::detail
