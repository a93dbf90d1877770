// Weight-matrix files (see weights_io.h): format detection, chunked reading from disk with
// progress/cancel/memory budget, and the .npy writer. The format-specific header parsing lives
// in weights_npy.cpp, weights_safetensors.cpp and weights_text.cpp, the element converter in
// weights_convert.cpp.
#include "core/weights/weights_io.h"

#include "core/model/families.h"
#include "core/sampling/runner.h"
#include "core/io/atomic_file.h"
#include "core/io/read_file.h"
#include "core/weights/model_tensors.h"
#include "core/weights/weights_internal.h"
#include "core/util/bytes.h"
#include "core/util/enum_names.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <new>

namespace ws::core {

using namespace detail;

namespace {

constexpr std::size_t kChunkBytes = std::size_t{8} << 20;

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

WeightsFormat detect(const RegularFile& f, const std::string& path)
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
            return WeightsFormat::Npz;
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

WeightsMatrix readRaw(const RegularFile& f, const RawMatrix& raw, std::size_t budget,
                      Progress& progress)
{
    checkBudget(raw.rows, raw.cols, budget);
    return readRawMatrix(
        f, raw,
        "out of memory allocating a " + std::to_string(raw.rows) + " x " +
            std::to_string(raw.cols) + " matrix",
        [&] { progress.checkCancel(); }, [&](double done) { progress.report(done); });
}

WeightsMatrix readNpy(const RegularFile& f, std::size_t budget, Progress& progress)
{
    const std::string head =
        f.readString(0, static_cast<std::size_t>(std::min<std::uint64_t>(f.size(), 12)));
    const NpyPrefix p = parseNpyPrefix(head, f.size());
    const std::string dict = f.readString(p.dictStart, p.dictLength);
    const RawMatrix raw = parseNpyDict(dict, p.dictStart + p.dictLength, f.size());
    return readRaw(f, raw, budget, progress);
}

void rejectTensorName(const std::string& tensor, const char* what)
{
    if (!tensor.empty())
        throw InputError("--tensor '" + tensor +
                         "' applies to .safetensors and .npz files only; this is " + what +
                         " holding one matrix");
}

TensorInfo npzInfo(const ModelTensor& t)
{
    return TensorInfo{t.name, t.dtype, t.shape, t.bytes}; // name: the member without ".npy"
}

std::string namesOf(const std::vector<const ModelTensor*>& members)
{
    std::string s;
    for (std::size_t i = 0; i < members.size() && i < 20; ++i)
        s += (i ? ", '" : "'") + members[i]->name + "' " + shapeText(members[i]->shape, '[', ']');
    return members.size() > 20 ? s + ", ... (" + std::to_string(members.size()) + " in all)" : s;
}

// The member of an .npz archive to read: `name`, or the only one that can be read.
const ModelTensor& selectNpzMember(const std::vector<ModelTensor>& members, const std::string& name)
{
    std::vector<const ModelTensor*> readable, all;
    for (const ModelTensor& t : members) {
        all.push_back(&t);
        if (t.reason.empty())
            readable.push_back(&t);
        if (!name.empty() && t.name == name) {
            if (!t.reason.empty())
                throw InputError("member '" + name + "' cannot be analysed: " + t.reason);
            return t;
        }
    }
    if (!name.empty())
        throw InputError("no member named '" + name + "'" +
                         (readable.empty() ? std::string("; the archive has no readable matrix")
                                           : "; readable members: " + namesOf(readable)));
    if (readable.size() == 1)
        return *readable.front();
    if (readable.empty())
        throw InputError(
            "the archive has no member that can be analysed (2-D or a 4-D kernel, "
            "float, at least " +
            std::to_string(kMinModelSide) + " x " + std::to_string(kMinModelSide) + ")" +
            (all.empty() ? std::string("; it is empty") : "; members: " + namesOf(all)));
    throw InputError("the archive has " + std::to_string(readable.size()) +
                     " readable members; choose one with --tensor NAME (or analyse them all with "
                     "--all): " +
                     namesOf(readable));
}

// The matrix a finished text parser holds (its values moved out).
WeightsMatrix textMatrix(TextParser& parser)
{
    WeightsMatrix m;
    m.dtype = "text";
    m.rows = static_cast<int>(parser.rows());
    m.cols = static_cast<int>(parser.cols());
    m.storedShape = {m.rows, m.cols};
    m.values = std::move(parser.values());
    return m;
}

WeightsMatrix readText(const RegularFile& f, std::size_t budget, Progress& progress)
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
    return textMatrix(parser);
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
    static constexpr EnumNames<WeightsFormat, 4> kNames{
        {{WeightsFormat::Npy, "npy"},
         {WeightsFormat::Safetensors, "safetensors"},
         {WeightsFormat::Text, "text"},
         {WeightsFormat::Npz, "npz"}}};
    return std::string(enumName(kNames, f));
}

std::int64_t TensorInfo::matrixRows() const
{
    return is2d() || isKernel() ? shape[0] : 0;
}

std::int64_t TensorInfo::matrixCols() const
{
    if (is2d())
        return shape[1];
    if (!isKernel())
        return 0;
    std::int64_t cols = 1;
    for (std::size_t k = 1; k < 4; ++k) {
        if (shape[k] < 0 ||
            (shape[k] > 0 && cols > std::numeric_limits<std::int64_t>::max() / shape[k]))
            return -1;
        cols *= shape[k];
    }
    return cols;
}

bool TensorInfo::readable() const
{
    if (!is2d() && !isKernel())
        return false;
    for (std::int64_t d : shape)
        if (d <= 0)
            return false;
    const std::int64_t rows = matrixRows(), cols = matrixCols();
    if (rows <= 0 || cols <= 0 || rows > INT_MAX || cols > INT_MAX)
        return false;
    for (const char* d : {"float32", "float64", "float16", "bfloat16", "text"})
        if (dtype == d)
            return true;
    return false;
}

WeightsFormat detectWeightsFormat(const std::string& path)
{
    RegularFile f(path);
    return withPath(path, [&] { return detect(f, path); });
}

std::vector<TensorInfo> listTensors(const std::string& path, const std::atomic<bool>* cancel)
{
    RegularFile f(path);
    return withPath(path, [&]() -> std::vector<TensorInfo> {
        switch (detect(f, path)) {
        case WeightsFormat::Npy: {
            const std::string head =
                f.readString(0, static_cast<std::size_t>(std::min<std::uint64_t>(f.size(), 12)));
            const NpyPrefix p = parseNpyPrefix(head, f.size());
            const RawMatrix raw = parseNpyDict(f.readString(p.dictStart, p.dictLength),
                                               p.dictStart + p.dictLength, f.size());
            return {TensorInfo{"", scalarName(raw.type), raw.shape, raw.bytes()}};
        }
        case WeightsFormat::Npz: {
            std::vector<TensorInfo> out;
            for (const ModelTensor& t : listModelTensors(path, cancel))
                out.push_back(npzInfo(t));
            return out;
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
    RegularFile f(path);
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
        case WeightsFormat::Npz: {
            const std::vector<ModelTensor> members = listModelTensors(path, cancel);
            const ModelTensor& t = selectNpzMember(members, tensor);
            prog.checkCancel();
            WeightsMatrix r = readModelTensor(t, cancel, budget);
            r.tensor = t.name;
            return r;
        }
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
    m.storedShape = raw.shape;
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
    m.storedShape = raw.shape;
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
    return textMatrix(parser);
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

namespace detail {

WeightsMatrix readRawMatrix(const RegularFile& f, const RawMatrix& raw,
                            const std::string& outOfMemory,
                            const std::function<void()>& beforeChunk,
                            const std::function<void(double)>& afterChunk)
{
    WeightsMatrix m;
    m.rows = raw.rows;
    m.cols = raw.cols;
    m.storedShape = raw.shape.empty() ? std::vector<std::int64_t>{raw.rows, raw.cols} : raw.shape;
    m.dtype = scalarName(raw.type);
    try {
        m.values.resize(static_cast<std::size_t>(raw.elements()));
    } catch (const std::bad_alloc&) {
        throw ResourceError(outOfMemory);
    }
    Converter conv(raw, m.values.data());
    const std::uint64_t total = raw.bytes();
    const std::size_t size = scalarSize(raw.type);
    std::vector<unsigned char> buf(
        static_cast<std::size_t>(std::min<std::uint64_t>(total, kChunkBytes)));
    for (std::uint64_t done = 0; done < total;) {
        if (beforeChunk)
            beforeChunk();
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(kChunkBytes, total - done));
        f.read(raw.offset + done, buf.data(), n);
        conv.put(buf.data(), n / size); // InputError naming the non-finite element
        done += n;
        if (afterChunk)
            afterChunk(static_cast<double>(done) / static_cast<double>(total));
    }
    return m;
}

} // namespace detail

} // namespace ws::core
