// Weight-matrix files (see weights_io.h): format detection, chunked reading from disk with
// progress/cancel/memory budget, the element converter and the .npy writer. The format-specific
// header parsing lives in weights_npy.cpp, weights_safetensors.cpp and weights_text.cpp.
#include "core/weights/weights_io.h"

#include "core/model/families.h"
#include "core/sampling/runner.h"
#include "core/io/atomic_file.h"
#include "core/weights/weights_internal.h"
#include "core/util/bytes.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <new>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ws::core {

namespace detail {

std::size_t scalarSize(Scalar s)
{
    switch (s) {
    case Scalar::F16:
    case Scalar::BF16:
        return 2;
    case Scalar::F32:
        return 4;
    case Scalar::F64:
        return 8;
    }
    return 8;
}

const char* scalarName(Scalar s)
{
    switch (s) {
    case Scalar::F16:
        return "float16";
    case Scalar::BF16:
        return "bfloat16";
    case Scalar::F32:
        return "float32";
    case Scalar::F64:
        return "float64";
    }
    return "float64";
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

Converter::Converter(const RawMatrix& raw, double* out) : m_raw(raw), m_out(out) {}

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
                throwNonFinite(v, idx % rows, idx / rows);
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
        for (std::uint64_t q = 0; q < n; ++q)
            m_out[(i0 + q) * cols + j] = t[q];
        t += n;
        k += n;
    }
    if (const std::uint64_t full = (end - k) / rows) {
        const std::uint64_t j0 = k / rows;
        for (std::uint64_t i = 0; i < rows; ++i) {
            double* o = m_out + i * cols + j0;
            const double* in = t + i;
            for (std::uint64_t c = 0; c < full; ++c)
                o[c] = in[c * rows];
        }
        t += full * rows;
        k += full * rows;
    }
    const std::uint64_t j = k / rows; // the start of a column that continues in the next chunk
    for (std::uint64_t q = 0; k + q < end; ++q)
        m_out[q * cols + j] = t[q];
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

using namespace detail;

namespace {

constexpr std::size_t kChunkBytes = std::size_t{8} << 20;

// A regular file opened for reading; errors name the path (only here: later messages get the
// path prepended by the caller).
class InFile
{
public:
    explicit InFile(const std::string& path) : m_path(path)
    {
        // O_NONBLOCK: opening a FIFO must not hang (it is refused below anyway).
        m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (m_fd < 0)
            failOpen(errno);
        struct stat st
        {
        };
        if (::fstat(m_fd, &st) != 0) {
            const int err = errno;
            ::close(m_fd);
            failOpen(err);
        }
        if (S_ISDIR(st.st_mode)) {
            ::close(m_fd);
            failOpen(EISDIR);
        }
        if (!S_ISREG(st.st_mode)) {
            ::close(m_fd);
            throw InputError("cannot read " + path + ": not a regular file");
        }
        m_size = static_cast<std::uint64_t>(st.st_size);
    }
    ~InFile() { ::close(m_fd); }
    InFile(const InFile&) = delete;
    InFile& operator=(const InFile&) = delete;

    std::uint64_t size() const { return m_size; }

    void read(std::uint64_t offset, void* dst, std::size_t n)
    {
        auto* p = static_cast<char*>(dst);
        while (n > 0) {
            const ssize_t got = ::pread(m_fd, p, n, static_cast<off_t>(offset));
            if (got < 0) {
                if (errno == EINTR)
                    continue;
                throw InputError(std::string("read error: ") + std::strerror(errno));
            }
            if (got == 0)
                throw InputError("the file ended early (did it change while being read?)");
            p += got;
            n -= static_cast<std::size_t>(got);
            offset += static_cast<std::uint64_t>(got);
        }
    }

    std::string readString(std::uint64_t offset, std::size_t n)
    {
        std::string s(n, '\0');
        read(offset, s.data(), n);
        return s;
    }

private:
    [[noreturn]] void failOpen(int err)
    {
        throw InputError("cannot read " + m_path + ": " + std::strerror(err));
    }

    std::string m_path;
    int m_fd = -1;
    std::uint64_t m_size = 0;
};

bool startsWith(std::string_view s, std::string_view prefix)
{
    return s.substr(0, prefix.size()) == prefix;
}

std::string lowerExtension(const std::string& path)
{
    const auto slash = path.find_last_of('/');
    const auto dot = path.find_last_of('.');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash))
        return {};
    std::string ext = path.substr(dot);
    for (char& c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

WeightsFormat detect(InFile& f, const std::string& path)
{
    const std::string head =
        f.readString(0, static_cast<std::size_t>(std::min<std::uint64_t>(f.size(), 16)));
    if (startsWith(head, "\x93NUMPY"))
        return WeightsFormat::Npy;
    if (head.size() >= 9 && head[8] == '{')
        return WeightsFormat::Safetensors;
    const std::string ext = lowerExtension(path);
    if (ext == ".csv" || ext == ".tsv" || ext == ".txt")
        return WeightsFormat::Text;
    if (head.empty())
        throw InputError("the file is empty");
    if (ext == ".npy")
        throw InputError("named .npy but does not start with the NumPy magic \\x93NUMPY "
                         "(not a NumPy file, or damaged)");
    if (ext == ".safetensors")
        throw InputError("named .safetensors but does not start with an 8-byte header size "
                         "followed by '{' (not a safetensors file, or damaged)");
    if (startsWith(head, "PK\x03\x04")) {
        if (ext == ".npz")
            throw InputError(".npz archives are not supported: save one matrix with numpy.save "
                             "(or unzip the archive: its members are .npy files)");
        throw InputError("a zip archive (a PyTorch checkpoint?) is not supported: save the "
                         "weights with safetensors or numpy.save");
    }
    if (ext == ".pt" || ext == ".pth" || ext == ".bin" || ext == ".ckpt")
        throw InputError("PyTorch checkpoints are not supported (they hold pickled Python "
                         "objects): save the weights with safetensors or numpy.save");
    throw InputError("unknown weight file format: expected a .npy, .safetensors, .csv, .tsv or "
                     ".txt file");
}

std::size_t budgetOrDefault(std::size_t budget)
{
    return budget > 0 ? budget : defaultMemoryBudget();
}

void checkBudget(int rows, int cols, std::size_t budget)
{
    const double need = static_cast<double>(rows) * static_cast<double>(cols) * 8.0;
    if (need > static_cast<double>(budget))
        throw ResourceError("a " + std::to_string(rows) + " x " + std::to_string(cols) +
                            " matrix needs " + formatBytes(need) +
                            " as float64, over the memory budget of " +
                            formatBytes(static_cast<double>(budget)));
}

// Keeps the fraction non-decreasing and makes sure 1 is reported once at the end.
class Progress
{
public:
    Progress(const ReadProgress& cb, const std::atomic<bool>* cancel, const std::string& path)
        : m_cb(cb), m_cancel(cancel), m_path(path)
    {
    }
    void checkCancel() const
    {
        if (m_cancel && m_cancel->load(std::memory_order_relaxed))
            throw Cancelled("reading " + m_path + " was cancelled");
    }
    void report(double f)
    {
        f = std::clamp(f, m_last, 1.0);
        m_last = f;
        if (m_cb)
            m_cb(f);
    }
    void done()
    {
        if (m_last < 1.0)
            report(1.0);
    }

private:
    const ReadProgress& m_cb;
    const std::atomic<bool>* m_cancel;
    const std::string& m_path;
    double m_last = 0.0;
};

WeightsMatrix readRaw(InFile& f, const RawMatrix& raw, std::size_t budget, Progress& progress)
{
    checkBudget(raw.rows, raw.cols, budget);
    WeightsMatrix m;
    m.rows = raw.rows;
    m.cols = raw.cols;
    m.dtype = scalarName(raw.type);
    try {
        m.values.resize(static_cast<std::size_t>(raw.elements()));
    } catch (const std::bad_alloc&) {
        throw ResourceError("out of memory allocating a " + std::to_string(raw.rows) + " x " +
                            std::to_string(raw.cols) + " matrix");
    }
    Converter conv(raw, m.values.data());
    const std::uint64_t total = raw.bytes();
    const std::size_t size = scalarSize(raw.type);
    std::vector<unsigned char> buf(
        static_cast<std::size_t>(std::min<std::uint64_t>(total, kChunkBytes)));
    for (std::uint64_t done = 0; done < total;) {
        progress.checkCancel();
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(kChunkBytes, total - done));
        f.read(raw.offset + done, buf.data(), n);
        conv.put(buf.data(), n / size);
        done += n;
        progress.report(static_cast<double>(done) / static_cast<double>(total));
    }
    return m;
}

WeightsMatrix readNpy(InFile& f, std::size_t budget, Progress& progress)
{
    const std::string head =
        f.readString(0, static_cast<std::size_t>(std::min<std::uint64_t>(f.size(), 12)));
    const NpyPrefix p = parseNpyPrefix(head, f.size());
    const std::string dict = f.readString(p.dictStart, p.dictLength);
    const RawMatrix raw = parseNpyDict(dict, p.dictStart + p.dictLength, f.size());
    return readRaw(f, raw, budget, progress);
}

struct StFile
{
    std::vector<StEntry> entries;
    std::uint64_t dataStart = 0;
};

StFile readStHeader(InFile& f, const std::atomic<bool>* cancel)
{
    const std::string head =
        f.readString(0, static_cast<std::size_t>(std::min<std::uint64_t>(f.size(), 8)));
    const std::uint64_t n = parseStHeaderSize(head, f.size());
    const std::string json = f.readString(8, static_cast<std::size_t>(n));
    return {parseStHeader(json, f.size() - 8 - n, cancel), 8 + n};
}

void rejectTensorName(const std::string& tensor, const char* what)
{
    if (!tensor.empty())
        throw InputError("--tensor '" + tensor + "' applies to .safetensors files only; this is " +
                         what + " holding one matrix");
}

WeightsMatrix readText(InFile& f, std::size_t budget, Progress& progress)
{
    if (f.size() > kMaxTextBytes)
        throw InputError("the text file is " + formatBytes(static_cast<double>(f.size())) +
                         ", over the " + formatBytes(static_cast<double>(kMaxTextBytes)) +
                         " limit for text weight files (save the matrix as .npy instead)");
    // Two passes: the shape first (lines, and the fields of the first), so that the values get
    // exactly their memory, checked against the budget before it is allocated; then the values.
    // Growing a vector instead kept up to 3 times the values at its peak (7.2 times the size of
    // a file of "0,0" lines; 4 now, the doubles themselves).
    const std::uint64_t total = f.size();
    std::string buf;
    auto pass = [&](TextParser& parser, double from, double to) {
        for (std::uint64_t done = 0; done < total;) {
            progress.checkCancel();
            const auto n =
                static_cast<std::size_t>(std::min<std::uint64_t>(kChunkBytes, total - done));
            buf.resize(n);
            f.read(done, buf.data(), n);
            parser.feed(buf);
            done += n;
            progress.report(from +
                            (to - from) * static_cast<double>(done) / static_cast<double>(total));
        }
        parser.finish();
    };
    TextParser shape(/*countOnly=*/true);
    pass(shape, 0.0, 0.2); // counting is several times faster than parsing numbers
    if (shape.rows() > INT_MAX || shape.cols() > INT_MAX)
        throw InputError("the matrix has " + std::to_string(shape.rows()) + " rows and " +
                         std::to_string(shape.cols()) + " columns; at most " +
                         std::to_string(INT_MAX) + " of each");
    checkBudget(static_cast<int>(shape.rows()), static_cast<int>(shape.cols()), budget);
    TextParser parser(false, budget);
    parser.reserve(static_cast<std::size_t>(shape.rows()) * static_cast<std::size_t>(shape.cols()));
    pass(parser, 0.2, 1.0);
    WeightsMatrix m;
    m.dtype = "text";
    m.rows = static_cast<int>(parser.rows());
    m.cols = static_cast<int>(parser.cols());
    m.values = std::move(parser.values());
    return m;
}

template <class F> auto withPath(const std::string& path, F body) -> decltype(body())
{
    try {
        return body();
    } catch (const InputError& e) {
        throw InputError(path, e);
    } catch (const ResourceError& e) {
        throw ResourceError(e.param(), path + ": " + e.what());
    }
}

} // namespace

std::string toString(WeightsFormat f)
{
    switch (f) {
    case WeightsFormat::Npy:
        return "npy";
    case WeightsFormat::Safetensors:
        return "safetensors";
    case WeightsFormat::Text:
        return "text";
    }
    return "npy";
}

bool TensorInfo::readable() const
{
    if (!is2d() || shape[0] <= 0 || shape[1] <= 0 || shape[0] > INT_MAX || shape[1] > INT_MAX)
        return false;
    for (const char* d : {"float32", "float64", "float16", "bfloat16", "text"})
        if (dtype == d)
            return true;
    return false;
}

WeightsFormat detectWeightsFormat(const std::string& path)
{
    InFile f(path);
    return withPath(path, [&] { return detect(f, path); });
}

std::vector<TensorInfo> listTensors(const std::string& path, const std::atomic<bool>* cancel)
{
    InFile f(path);
    return withPath(path, [&]() -> std::vector<TensorInfo> {
        switch (detect(f, path)) {
        case WeightsFormat::Npy: {
            const std::string head =
                f.readString(0, static_cast<std::size_t>(std::min<std::uint64_t>(f.size(), 12)));
            const NpyPrefix p = parseNpyPrefix(head, f.size());
            const RawMatrix raw = parseNpyDict(f.readString(p.dictStart, p.dictLength),
                                               p.dictStart + p.dictLength, f.size());
            return {TensorInfo{"", scalarName(raw.type), {raw.rows, raw.cols}, raw.bytes()}};
        }
        case WeightsFormat::Safetensors: {
            std::vector<TensorInfo> out;
            for (auto& e : readStHeader(f, cancel).entries)
                out.push_back(std::move(e.info));
            return out;
        }
        case WeightsFormat::Text: {
            TextParser parser(/*countOnly=*/true);
            std::string buf;
            for (std::uint64_t done = 0; done < f.size();) {
                if (cancel && cancel->load())
                    throw Cancelled("reading " + path + " was cancelled");
                const auto n =
                    static_cast<std::size_t>(std::min<std::uint64_t>(kChunkBytes, f.size() - done));
                buf.resize(n);
                f.read(done, buf.data(), n);
                parser.feed(buf);
                done += n;
            }
            parser.finish();
            return {TensorInfo{"", "text", {parser.rows(), parser.cols()}, f.size()}};
        }
        }
        return {};
    });
}

WeightsMatrix readWeights(const std::string& path, const std::string& tensor,
                          const std::atomic<bool>* cancel, const ReadProgress& progress,
                          std::size_t memoryBudget)
{
    InFile f(path);
    Progress prog(progress, cancel, path);
    prog.checkCancel();
    const std::size_t budget = budgetOrDefault(memoryBudget);
    WeightsMatrix m = withPath(path, [&]() -> WeightsMatrix {
        switch (detect(f, path)) {
        case WeightsFormat::Npy:
            rejectTensorName(tensor, "a .npy file");
            return readNpy(f, budget, prog);
        case WeightsFormat::Safetensors: {
            const StFile st = readStHeader(f, cancel);
            std::string chosen;
            const RawMatrix raw = selectStTensor(st.entries, tensor, st.dataStart, chosen);
            WeightsMatrix r = readRaw(f, raw, budget, prog);
            r.tensor = chosen;
            return r;
        }
        case WeightsFormat::Text:
            rejectTensorName(tensor, "a text file");
            return readText(f, budget, prog);
        }
        return {};
    });
    m.source = path;
    prog.done();
    return m;
}

WeightsMatrix parseNpy(std::string_view bytes)
{
    const NpyPrefix p = parseNpyPrefix(bytes.substr(0, 12), bytes.size());
    const RawMatrix raw = parseNpyDict(bytes.substr(p.dictStart, p.dictLength),
                                       p.dictStart + p.dictLength, bytes.size());
    WeightsMatrix m;
    m.rows = raw.rows;
    m.cols = raw.cols;
    m.dtype = scalarName(raw.type);
    m.values.resize(static_cast<std::size_t>(raw.elements())); // bounded: data fits in bytes
    Converter(raw, m.values.data())
        .put(reinterpret_cast<const unsigned char*>(bytes.data() + raw.offset),
             static_cast<std::size_t>(raw.elements()));
    return m;
}

std::vector<TensorInfo> parseSafetensorsHeader(std::string_view bytes)
{
    const std::uint64_t n = parseStHeaderSize(bytes.substr(0, 8), bytes.size());
    std::vector<TensorInfo> out;
    for (auto& e :
         parseStHeader(bytes.substr(8, static_cast<std::size_t>(n)), bytes.size() - 8 - n))
        out.push_back(std::move(e.info));
    return out;
}

WeightsMatrix parseSafetensors(std::string_view bytes, const std::string& tensor)
{
    const std::uint64_t n = parseStHeaderSize(bytes.substr(0, 8), bytes.size());
    const auto entries =
        parseStHeader(bytes.substr(8, static_cast<std::size_t>(n)), bytes.size() - 8 - n);
    WeightsMatrix m;
    const RawMatrix raw = selectStTensor(entries, tensor, 8 + n, m.tensor);
    m.rows = raw.rows;
    m.cols = raw.cols;
    m.dtype = scalarName(raw.type);
    m.values.resize(static_cast<std::size_t>(raw.elements()));
    Converter(raw, m.values.data())
        .put(reinterpret_cast<const unsigned char*>(bytes.data() + raw.offset),
             static_cast<std::size_t>(raw.elements()));
    return m;
}

WeightsMatrix parseText(std::string_view text)
{
    TextParser parser;
    parser.feed(text);
    parser.finish();
    WeightsMatrix m;
    m.dtype = "text";
    m.rows = static_cast<int>(parser.rows());
    m.cols = static_cast<int>(parser.cols());
    m.values = std::move(parser.values());
    return m;
}

std::string encodeNpy(int rows, int cols, const std::vector<double>& rowMajor)
{
    if (rows < 1 || cols < 1)
        throw InputError("writeNpy: rows and cols must be at least 1, got " + std::to_string(rows) +
                         " x " + std::to_string(cols));
    const std::uint64_t n = static_cast<std::uint64_t>(rows) * static_cast<std::uint64_t>(cols);
    if (rowMajor.size() != n)
        throw InputError("writeNpy: " + std::to_string(rowMajor.size()) + " values for a " +
                         std::to_string(rows) + " x " + std::to_string(cols) + " matrix");
    std::string dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" +
                       std::to_string(rows) + ", " + std::to_string(cols) + "), }";
    // NumPy pads with spaces and ends with '\n' so that the data starts at a multiple of 64.
    const std::size_t unpadded = 10 + dict.size() + 1;
    dict.append((64 - unpadded % 64) % 64, ' ');
    dict += '\n';
    std::string out;
    out.reserve(10 + dict.size() + static_cast<std::size_t>(n) * 8);
    out += "\x93NUMPY";
    out += '\x01';
    out += '\x00';
    out += static_cast<char>(dict.size() & 0xffu);
    out += static_cast<char>((dict.size() >> 8) & 0xffu);
    out += dict;
    const std::size_t start = out.size();
    out.resize(start + static_cast<std::size_t>(n) * 8);
    if constexpr (std::endian::native == std::endian::little) {
        std::memcpy(out.data() + start, rowMajor.data(), static_cast<std::size_t>(n) * 8);
    } else {
        for (std::size_t k = 0; k < rowMajor.size(); ++k) {
            const auto bits = __builtin_bswap64(std::bit_cast<std::uint64_t>(rowMajor[k]));
            std::memcpy(out.data() + start + 8 * k, &bits, 8);
        }
    }
    return out;
}

void writeNpy(const std::string& path, int rows, int cols, const std::vector<double>& rowMajor)
{
    writeFileAtomically(path, encodeNpy(rows, cols, rowMajor));
}

} // namespace ws::core
