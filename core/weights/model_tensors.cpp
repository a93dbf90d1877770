// The tensors of a whole model and reading them as matrices (model_tensors.h). Headers are parsed
// by the single-file readers' own parsers (weights_internal.h); this file adds the zip container
// of .npz, directory walking and the conv-kernel reshape.
#include "core/weights/model_tensors.h"

#include "core/model/families.h"
#include "core/sampling/runner.h" // defaultMemoryBudget
#include "core/util/bytes.h"
#include "core/weights/weights_internal.h"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <filesystem>
#include <new>

namespace ws::core {

using namespace detail;

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kChunk = std::size_t{8} << 20;

std::uint64_t le(std::string_view s, std::size_t at, int n)
{
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i)
        v |= static_cast<std::uint64_t>(
                 static_cast<unsigned char>(s[at + static_cast<std::size_t>(i)]))
             << (8 * i);
    return v;
}

bool isCancelled(const std::atomic<bool>* cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}

std::string lowerExt(const fs::path& p)
{
    std::string e = p.extension().string();
    std::transform(e.begin(), e.end(), e.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return e;
}

// Sets rows/cols/reshape, or the reason, from dtype readability and shape.
void classify(ModelTensor& t, bool readableDtype)
{
    const auto& s = t.shape;
    if (!readableDtype) {
        t.reason = "dtype " + t.dtype + " (F32, F16, BF16 and F64 are read)";
        return;
    }
    if (s.size() != 2 && s.size() != 4) {
        t.reason = s.size() == 1 ? "1-D (a bias or norm vector)"
                   : s.empty()   ? "a scalar"
                                 : std::to_string(s.size()) + "-D (2-D and 4-D are analysed)";
        return;
    }
    for (std::int64_t d : s)
        if (d <= 0) {
            t.reason = "an empty dimension";
            return;
        }
    const std::int64_t rows = s[0];
    const std::int64_t cols = s.size() == 2 ? s[1] : s[1] * s[2] * s[3];
    if (s.size() == 4 && (s[1] > INT_MAX || s[2] > INT_MAX || s[3] > INT_MAX))
        t.reason = "too large";
    else if (rows > INT_MAX || cols > INT_MAX)
        t.reason = "a dimension beyond 2^31";
    else if (std::min(rows, cols) < kMinModelSide)
        t.reason = "too small (min(rows, cols) = " + std::to_string(std::min(rows, cols)) + " < " +
                   std::to_string(kMinModelSide) + ")";
    if (!t.reason.empty())
        return;
    t.rows = static_cast<int>(rows);
    t.cols = static_cast<int>(cols);
    if (s.size() == 4)
        t.reshape = "out x (in kh kw)";
}

void listSafetensors(const RegularFile& f, const std::string& path, const std::string& prefix,
                     const std::atomic<bool>* cancel, std::vector<ModelTensor>& out)
{
    const StFile st = readStHeader(f, cancel);
    for (const StEntry& e : st.entries) {
        ModelTensor t;
        t.name = prefix + e.info.name;
        t.file = path;
        t.member = e.info.name;
        t.dtype = e.info.dtype;
        t.shape = e.info.shape;
        t.offset = st.dataStart + e.begin;
        t.bytes = e.end - e.begin;
        if (e.type)
            t.scalar = static_cast<int>(*e.type);
        classify(t, e.type.has_value());
        out.push_back(std::move(t));
    }
}

// The .npy header of a member (or a plain .npy file) from its first bytes; fills the tensor's
// shape, dtype and data location (offsets relative to `base`), or the reason.
void npyHeader(std::string_view head, std::uint64_t size, std::uint64_t base, ModelTensor& t)
{
    try {
        const NpyPrefix p = parseNpyPrefix(head, size);
        if (p.dictStart + p.dictLength > head.size())
            throw InputError("the header is longer than expected");
        const RawMatrix raw =
            parseNpyDict(head.substr(p.dictStart, p.dictLength), p.dictStart + p.dictLength, size);
        t.shape = raw.shape;
        t.dtype = scalarName(raw.type);
        t.scalar = static_cast<int>(raw.type);
        t.bigEndian = raw.bigEndian;
        t.fortran = raw.fortran;
        t.offset = base + raw.offset;
        t.bytes = raw.bytes();
        classify(t, true);
    } catch (const InputError& e) {
        t.reason = e.what();
    }
}

void listNpy(const RegularFile& f, const std::string& path, const std::string& name,
             std::vector<ModelTensor>& out)
{
    ModelTensor t;
    t.name = name;
    t.file = path;
    npyHeader(f.readString(0, static_cast<std::size_t>(std::min<std::uint64_t>(f.size(), 70000))),
              f.size(), 0, t);
    out.push_back(std::move(t));
}

// Inflates a raw-deflate stream from the file into out (at most out.size() bytes; fewer only if
// the stream ends). Returns the bytes produced.
std::size_t inflateInto(const RegularFile& f, std::uint64_t offset, std::uint64_t compressed,
                        std::string& out, const std::atomic<bool>* cancel)
{
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK)
        throw InputError("zlib: cannot initialise inflate");
    std::string in;
    std::size_t produced = 0;
    int rc = Z_OK;
    for (std::uint64_t done = 0; rc != Z_STREAM_END && produced < out.size();) {
        if (isCancelled(cancel)) {
            inflateEnd(&z);
            throw Cancelled("reading: cancelled");
        }
        if (z.avail_in == 0) {
            const auto n =
                static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, compressed - done));
            if (n == 0)
                break;
            in = f.readString(offset + done, n);
            done += n;
            z.next_in = reinterpret_cast<Bytef*>(in.data());
            z.avail_in = static_cast<uInt>(n);
        }
        const std::size_t room = std::min<std::size_t>(out.size() - produced, UINT_MAX);
        z.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
        z.avail_out = static_cast<uInt>(room);
        rc = inflate(&z, Z_NO_FLUSH);
        produced += room - z.avail_out;
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
            inflateEnd(&z);
            throw InputError("corrupt deflate data in the .npz member");
        }
        if (rc == Z_BUF_ERROR && z.avail_in != 0)
            break;
    }
    inflateEnd(&z);
    return produced;
}

void listNpz(const RegularFile& f, const std::string& path, const std::string& prefix,
             const std::atomic<bool>* cancel, std::vector<ModelTensor>& out)
{
    // End of central directory: the last record starting with PK\5\6 (a comment may follow).
    const std::uint64_t tail = std::min<std::uint64_t>(f.size(), 65557);
    const std::string end = f.readString(f.size() - tail, static_cast<std::size_t>(tail));
    const std::size_t eocd = end.rfind(std::string("PK\x05\x06", 4));
    if (eocd == std::string::npos || eocd + 22 > end.size())
        throw InputError("not a .npz (zip) archive: no end-of-central-directory record");
    std::uint64_t count = le(end, eocd + 10, 2), cdSize = le(end, eocd + 12, 4),
                  cdOffset = le(end, eocd + 16, 4);
    const std::uint64_t eocdAt = f.size() - tail + eocd;
    if ((count == 0xFFFF || cdOffset == 0xFFFFFFFF || cdSize == 0xFFFFFFFF) && eocdAt >= 20) {
        const std::string loc = f.readString(eocdAt - 20, 20); // ZIP64 locator
        if (le(loc, 0, 4) == 0x07064b50) {
            const std::string rec = f.readString(le(loc, 8, 8), 56);
            if (le(rec, 0, 4) != 0x06064b50)
                throw InputError("damaged ZIP64 end-of-central-directory record");
            count = le(rec, 32, 8);
            cdSize = le(rec, 40, 8);
            cdOffset = le(rec, 48, 8);
        }
    }
    if (cdOffset > f.size() || cdSize > f.size() - cdOffset || cdSize > (std::uint64_t{1} << 30))
        throw InputError("damaged .npz: the central directory lies outside the file");
    const std::string cd = f.readString(cdOffset, static_cast<std::size_t>(cdSize));
    std::size_t at = 0;
    for (std::uint64_t i = 0; i < count; ++i) {
        if (isCancelled(cancel))
            throw Cancelled("listing: cancelled");
        if (at + 46 > cd.size() || le(cd, at, 4) != 0x02014b50)
            throw InputError("damaged .npz: bad central directory entry " + std::to_string(i));
        const auto method = static_cast<int>(le(cd, at + 10, 2));
        std::uint64_t csize = le(cd, at + 20, 4), usize = le(cd, at + 24, 4),
                      local = le(cd, at + 42, 4);
        const std::size_t nameLen = le(cd, at + 28, 2), extraLen = le(cd, at + 30, 2),
                          commentLen = le(cd, at + 32, 2);
        if (at + 46 + nameLen + extraLen + commentLen > cd.size())
            throw InputError("damaged .npz: central directory entry " + std::to_string(i) +
                             " runs past its end");
        const std::string name = cd.substr(at + 46, nameLen);
        // ZIP64 extra field: the 64-bit values of the fields saturated above, in this order.
        for (std::size_t e = at + 46 + nameLen; e + 4 <= at + 46 + nameLen + extraLen;) {
            const auto id = le(cd, e, 2);
            const std::size_t len = le(cd, e + 2, 2);
            if (id == 0x0001) {
                std::size_t q = e + 4;
                auto take = [&](std::uint64_t& v) {
                    if (v == 0xFFFFFFFF && q + 8 <= e + 4 + len && q + 8 <= cd.size()) {
                        v = le(cd, q, 8);
                        q += 8;
                    }
                };
                take(usize);
                take(csize);
                take(local);
            }
            e += 4 + len;
        }
        at += 46 + nameLen + extraLen + commentLen;

        ModelTensor t;
        const bool npy = name.size() > 4 && name.substr(name.size() - 4) == ".npy";
        t.name = prefix + (npy ? name.substr(0, name.size() - 4) : name);
        t.file = path;
        t.member = name;
        if (local > f.size() || f.size() - local < 30) {
            t.reason = "damaged .npz: the member's local header lies outside the file";
            out.push_back(std::move(t));
            continue;
        }
        const std::string lh = f.readString(local, 30);
        const std::uint64_t dataAt = local + 30 + le(lh, 26, 2) + le(lh, 28, 2);
        if (le(lh, 0, 4) != 0x04034b50 || dataAt > f.size() || csize > f.size() - dataAt) {
            t.reason = "damaged .npz: bad local header";
        } else if (!npy) {
            t.reason = "not a .npy member";
        } else if (method == 0) {
            npyHeader(f.readString(dataAt,
                                   static_cast<std::size_t>(std::min<std::uint64_t>(csize, 70000))),
                      csize, dataAt, t);
        } else if (method == 8) {
            std::string head(static_cast<std::size_t>(std::min<std::uint64_t>(usize, 70000)), '\0');
            try {
                head.resize(inflateInto(f, dataAt, csize, head, cancel));
                npyHeader(head, usize, 0, t);
                t.deflated = true;
                t.offset = dataAt; // compressed stream; the element offset is found again on read
                t.bytes = csize;
                t.plainBytes = usize;
            } catch (const InputError& e) {
                t.reason = e.what();
            }
        } else {
            t.reason = "zip compression method " + std::to_string(method) +
                       " (stored and deflate are read)";
        }
        out.push_back(std::move(t));
    }
}

void listFile(const std::string& path, const std::string& prefix, const std::atomic<bool>* cancel,
              std::vector<ModelTensor>& out)
{
    const RegularFile f(path);
    const std::string head =
        f.readString(0, static_cast<std::size_t>(std::min<std::uint64_t>(f.size(), 9)));
    const std::string ext = lowerExt(path);
    try {
        if (head.rfind("\x93NUMPY", 0) == 0)
            listNpy(f, path, prefix.empty() ? fs::path(path).stem().string() : prefix, out);
        else if (head.rfind("PK", 0) == 0)
            listNpz(f, path, prefix.empty() ? std::string() : prefix + ":", cancel, out);
        else if (head.size() >= 9 && head[8] == '{')
            listSafetensors(f, path, prefix.empty() ? std::string() : prefix + ":", cancel, out);
        else
            throw InputError("not a .safetensors, .npz or .npy file");
    } catch (const InputError& e) {
        throw InputError(path, e);
    }
}

} // namespace

std::vector<ModelTensor> listModelTensors(const std::string& path, const std::atomic<bool>* cancel)
{
    std::vector<ModelTensor> out;
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        std::vector<fs::path> files;
        for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::end(it);
             it.increment(ec)) {
            if (isCancelled(cancel))
                throw Cancelled("listing: cancelled");
            const std::string ext = lowerExt(it->path());
            if (it->is_regular_file(ec) &&
                (ext == ".npy" || ext == ".npz" || ext == ".safetensors"))
                files.push_back(it->path());
        }
        if (ec)
            throw InputError("cannot list " + path + ": " + ec.message());
        std::sort(files.begin(), files.end());
        for (const fs::path& p : files) {
            const std::string rel = fs::relative(p, path, ec).generic_string();
            const std::string base = lowerExt(p) == ".npy" ? rel.substr(0, rel.size() - 4) : rel;
            try {
                listFile(p.string(), base, cancel, out);
            } catch (const InputError& e) {
                ModelTensor t;
                t.name = base;
                t.file = p.string();
                t.reason = e.what();
                out.push_back(std::move(t));
            }
        }
        if (files.empty())
            throw InputError(path + ": the directory holds no .npy, .npz or .safetensors file");
        return out;
    }
    const std::string ext = lowerExt(path);
    if (ext == ".npy")
        throw InputError(path + ": a .npy file holds one matrix; analyse it without --all");
    listFile(path, "", cancel, out);
    return out;
}

std::size_t readModelTensorPeakBytes(const ModelTensor& t)
{
    const std::size_t matrix =
        static_cast<std::size_t>(t.rows) * static_cast<std::size_t>(t.cols) * 8;
    if (t.deflated)
        return matrix + static_cast<std::size_t>(t.plainBytes) + kChunk;
    return matrix + std::min<std::size_t>(static_cast<std::size_t>(t.bytes), kChunk);
}

WeightsMatrix readModelTensor(const ModelTensor& t, const std::atomic<bool>* cancel,
                              std::size_t memoryBudget)
{
    if (!t.reason.empty() || t.rows < 1 || t.cols < 1)
        throw InputError(t.name + ": " + (t.reason.empty() ? "not a matrix" : t.reason));
    const std::size_t budget = memoryBudget ? memoryBudget : defaultMemoryBudget();
    if (readModelTensorPeakBytes(t) > budget)
        throw ResourceError("memory: reading " + t.name + " needs about " +
                            formatBytes(static_cast<double>(readModelTensorPeakBytes(t))) +
                            ", the budget is " + formatBytes(static_cast<double>(budget)));
    const RegularFile f(t.file);
    WeightsMatrix w;
    if (t.deflated) {
        std::string plain(static_cast<std::size_t>(t.plainBytes), '\0');
        if (inflateInto(f, t.offset, t.bytes, plain, cancel) != plain.size())
            throw InputError(t.name + ": the compressed member is shorter than its stated size");
        w = parseNpy(plain);
    } else {
        RawMatrix raw;
        raw.offset = t.offset;
        raw.type = static_cast<Scalar>(t.scalar);
        raw.bigEndian = t.bigEndian;
        raw.fortran = t.fortran;
        raw.rows = t.rows;
        raw.cols = t.cols;
        raw.shape = t.shape;
        if (raw.bytes() != t.bytes)
            throw InputError(t.name + ": the data size does not match the shape");
        w = readRawMatrix(f, raw, "out of memory reading " + t.name, [cancel] {
            if (isCancelled(cancel))
                throw Cancelled("reading: cancelled");
        });
    }
    w.source = t.file;
    w.tensor = t.member;
    return w;
}

} // namespace ws::core
