// Model files for the whole-model tests (model_files.h).
#include "support/model_files.h"

#include "core/weights/planted.h"

#include <zlib.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace ws::testing {
namespace {

void putLe(std::string& s, std::uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        s += static_cast<char>((v >> (8 * i)) & 0xff);
}

} // namespace

std::string npyBytes(const ModelArray& a)
{
    const std::string descr = !a.descr.empty()   ? a.descr
                              : a.dtype == "F32" ? "<f4"
                              : a.dtype == "F64" ? "<f8"
                                                 : "<i8";
    std::string shape = "(";
    for (std::size_t i = 0; i < a.shape.size(); ++i)
        shape +=
            std::to_string(a.shape[i]) + (a.shape.size() == 1 || i + 1 < a.shape.size() ? "," : "");
    shape += ")";
    std::string dict = "{'descr': '" + descr +
                       "', 'fortran_order': " + (a.fortran ? "True" : "False") +
                       ", 'shape': " + shape + ", }";
    dict.append(63 - (10 + dict.size()) % 64, ' ');
    dict += '\n';
    std::string s = "\x93NUMPY";
    s += '\x01';
    s += '\x00';
    putLe(s, dict.size(), 2);
    return s + dict + a.data;
}

namespace {

std::string deflateRaw(const std::string& in)
{
    z_stream z{};
    if (deflateInit2(&z, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("deflateInit2");
    std::string out(deflateBound(&z, static_cast<uLong>(in.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    if (deflate(&z, Z_FINISH) != Z_STREAM_END)
        throw std::runtime_error("deflate");
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

// A JSON string's contents: quotes and backslashes escaped (names are printable here).
std::string jsonEscaped(const std::string& s)
{
    std::string e;
    for (char c : s) {
        if (c == '"' || c == '\\')
            e += '\\';
        e += c;
    }
    return e;
}

} // namespace

std::string f32Bytes(const std::vector<double>& v)
{
    std::string s(v.size() * 4, '\0');
    for (std::size_t i = 0; i < v.size(); ++i) {
        const auto f = static_cast<float>(v[i]);
        std::memcpy(s.data() + 4 * i, &f, 4);
    }
    return s;
}

std::string f64Bytes(const std::vector<double>& v)
{
    std::string s(v.size() * 8, '\0');
    std::memcpy(s.data(), v.data(), s.size());
    return s;
}

std::string safetensorsBytes(const std::vector<ModelArray>& arrays)
{
    // Laid out as the safetensors library writes: the metadata first (transformers' {"format":
    // "pt"}), the header padded with spaces to a multiple of 8 bytes.
    std::string header = "{\"__metadata__\":{\"format\":\"pt\"}";
    std::uint64_t off = 0;
    std::string data;
    for (const ModelArray& a : arrays) {
        std::string shape;
        for (std::size_t d = 0; d < a.shape.size(); ++d) {
            if (d)
                shape += ',';
            shape += std::to_string(a.shape[d]);
        }
        header.append(",\"").append(jsonEscaped(a.name)).append("\":{\"dtype\":\"").append(a.dtype);
        header.append("\",\"shape\":[").append(shape).append("],\"data_offsets\":[");
        header.append(std::to_string(off)).append(",");
        header.append(std::to_string(off + a.data.size())).append("]}");
        off += a.data.size();
        data += a.data;
    }
    header += "}";
    header.append((8 - header.size() % 8) % 8, ' ');
    std::string s;
    putLe(s, header.size(), 8);
    return s + header + data;
}

std::string npzBytes(const std::vector<ModelArray>& arrays, bool deflate)
{
    std::string zip, central;
    for (const ModelArray& a : arrays) {
        const std::string name = a.name + ".npy";
        const std::string plain = npyBytes(a);
        const std::string stored = deflate ? deflateRaw(plain) : plain;
        const auto crc = crc32(0L, reinterpret_cast<const Bytef*>(plain.data()),
                               static_cast<uInt>(plain.size()));
        const std::uint64_t local = zip.size();
        std::string lh;
        putLe(lh, 0x04034b50, 4);
        putLe(lh, 20, 2);
        putLe(lh, 0, 2);
        putLe(lh, deflate ? 8 : 0, 2);
        putLe(lh, 0, 4); // time, date
        putLe(lh, crc, 4);
        putLe(lh, stored.size(), 4);
        putLe(lh, plain.size(), 4);
        putLe(lh, name.size(), 2);
        putLe(lh, 0, 2);
        zip += lh + name + stored;
        std::string ch;
        putLe(ch, 0x02014b50, 4);
        putLe(ch, 20, 2);
        putLe(ch, 20, 2);
        putLe(ch, 0, 2);
        putLe(ch, deflate ? 8 : 0, 2);
        putLe(ch, 0, 4);
        putLe(ch, crc, 4);
        putLe(ch, stored.size(), 4);
        putLe(ch, plain.size(), 4);
        putLe(ch, name.size(), 2);
        putLe(ch, 0, 2); // extra
        putLe(ch, 0, 2); // comment
        putLe(ch, 0, 2); // disk
        putLe(ch, 0, 2); // internal attributes
        putLe(ch, 0, 4); // external attributes
        putLe(ch, local, 4);
        central += ch + name;
    }
    const std::uint64_t cdAt = zip.size();
    zip += central;
    std::string end;
    putLe(end, 0x06054b50, 4);
    putLe(end, 0, 2);
    putLe(end, 0, 2);
    putLe(end, arrays.size(), 2);
    putLe(end, arrays.size(), 2);
    putLe(end, central.size(), 4);
    putLe(end, cdAt, 4);
    putLe(end, 0, 2);
    return zip + end;
}

void writeFile(const std::string& path, const std::string& bytes)
{
    std::ofstream f(path, std::ios::binary);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!f)
        throw std::runtime_error("cannot write " + path);
}

std::vector<double> fortranOrder(const std::vector<double>& cOrder,
                                 const std::vector<std::int64_t>& shape)
{
    std::vector<double> out;
    out.reserve(cOrder.size());
    std::vector<std::int64_t> index(shape.size(), 0); // of the next element, first index fastest
    for (std::size_t n = 0; n < cOrder.size(); ++n) {
        std::int64_t at = 0; // its C-order position
        for (std::size_t d = 0; d < shape.size(); ++d)
            at = at * shape[d] + index[d];
        out.push_back(cOrder[static_cast<std::size_t>(at)]);
        for (std::size_t d = 0; d < shape.size() && ++index[d] == shape[d]; ++d)
            index[d] = 0;
    }
    return out;
}

std::vector<double> noisePlusLowRank(int n, int m, double sigma, const std::vector<double>& theta,
                                     unsigned seed)
{
    return core::plantedWeights(n, m, sigma, theta, seed);
}

} // namespace ws::testing
