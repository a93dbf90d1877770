#pragma once
// Weight-matrix files: readers for NumPy .npy and .npz, .safetensors and CSV/TSV/whitespace text,
// and a .npy writer. Small hand-written readers (Debian packages no C++ library
// for either binary format), fuzzed by fuzz/fuzz_{npy,safetensors,text}.cpp.
//
// Formats read:
// - .npy versions 1.0, 2.0, 3.0; dtype '<f4' '<f8' '<f2' and the big-endian '>f4' '>f8' '>f2';
//   C or Fortran order; shape must be 2-D, or 4-D (a convolution kernel (out, in, kh, kw), read
//   as the out x (in kh kw) matrix, model_tensors.h), with positive dimensions. The header (a
//   Python dict literal) is parsed strictly, but keys may come in any order, with any spacing,
//   quotes ' or ", and an optional trailing comma; unknown keys are ignored. Bytes after the data
//   are ignored.
// - .safetensors: u64 little-endian header size, JSON header {name: {dtype, shape,
//   data_offsets}, "__metadata__": {...}}, then the data buffer. Every tensor is listed; 2-D
//   tensors and 4-D convolution kernels (as for .npy) of dtype F32, F16, BF16 or F64 can be
//   read. The header is validated as a whole
//   (offsets inside the buffer, byte count = shape x dtype size for known dtypes, no duplicate
//   names, nesting at most 64 levels, at most 100 MB like the reference implementation).
// - .npz (np.savez / np.savez_compressed): each .npy member is a tensor named without ".npy",
//   read as a .npy file (the archive's reader is model_tensors.h's).
// - text: one matrix row per line; fields separated by commas (if the first data line has
//   one), else tabs (if it has one), else runs of blanks. Read in two passes (the shape, then
//   the values into memory of exactly their size); at most kMaxTextBytes. '#' starts a comment (to
//   the end of the line); blank lines are skipped; a first line of non-numeric names only is a
//   header and skipped. Numbers are parsed whole (std::from_chars, an optional leading '+'); values
//   below the smallest subnormal round to zero, values beyond the double range are an error.
//
// Every value must be finite: the first NaN/Inf (in storage order, which is row-major except
// for Fortran-order .npy) raises InputError naming its element as [row, column], counted from 0.
// Values are converted exactly (float16/bfloat16/float32 are all exact in double).
//
// Errors: InputError for anything wrong with the file (message names the file, for readWeights
// and listTensors, and why); ResourceError when the matrix would not fit the memory budget;
// Cancelled when the cancel flag was set. Nothing large is allocated before the header has been
// checked against the actual file size, so a header claiming a huge shape costs nothing.
// Reading is chunked (8 MiB): memory is the matrix as doubles plus one chunk.

#include "core/util/cancelled.h" // thrown when a long read is cancelled

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ws::core {

enum class WeightsFormat { Npy, Safetensors, Text, Npz };
std::string toString(WeightsFormat f); // "npy", "safetensors", "text", "npz"

struct TensorInfo
{
    std::string name;                // "" for .npy and text files
    std::string dtype;               // "float32" "float64" "float16" "bfloat16" "text", or the
                                     // safetensors dtype as stored ("I64", ...) if unsupported
    std::vector<std::int64_t> shape; // as stored; text: {data lines, fields of the first line}
    std::uint64_t bytes = 0;         // bytes of data in the file (text: the file size)
    bool is2d() const { return shape.size() == 2; }
    // A convolution kernel (out, in, kh, kw), read as the out x (in kh kw) matrix.
    bool isKernel() const { return shape.size() == 4; }
    // The matrix read from it (rows, cols): the shape if 2-D, {out, in kh kw} for a kernel, {0, 0}
    // for any other rank. Products that overflow give -1.
    std::int64_t matrixRows() const;
    std::int64_t matrixCols() const;
    // 2-D or a kernel, the matrix's dimensions in [1, INT_MAX], and a dtype readWeights converts.
    bool readable() const;
};

struct WeightsMatrix
{
    std::string source; // file path ("" from the in-memory parsers)
    std::string tensor; // tensor name ("" for npy/text)
    std::string dtype;  // as stored: "float32", "float64", "float16", "bfloat16", "text"
    int rows = 0, cols = 0;
    std::vector<std::int64_t> storedShape; // as stored: {rows, cols}, or a 4-D kernel's shape
    std::vector<double> values;            // row-major, rows*cols, all finite
    // Precondition: 0 <= i < rows, 0 <= j < cols.
    double at(int i, int j) const
    {
        return values[static_cast<std::size_t>(i) * static_cast<std::size_t>(cols) +
                      static_cast<std::size_t>(j)];
    }
};

// fraction in [0, 1], non-decreasing, 1 at the end; called from the reading thread.
using ReadProgress = std::function<void(double fraction)>;

// Magic bytes first ("\x93NUMPY"; safetensors: 8-byte header length then '{'), else the
// extension .csv/.tsv/.txt (any case). A file named .npy/.safetensors without its magic, an
// .npz/PyTorch zip, and anything else raise InputError saying what was expected.
WeightsFormat detectWeightsFormat(const std::string& path);

// npy/text: one entry (name ""), the shape as stored (a 4-D .npy kernel: (out, in, kh, kw));
// npz: one entry per member (as model_tensors.h lists them); text: the shape comes from counting
// data lines (the values are not parsed yet). safetensors: all tensors in header order, also those
// that are not 2-D or have an unsupported dtype (see TensorInfo::readable), without "__metadata__".
// Reads the header only (linear in its size: 60,000 tensors in well under a second); `cancel` is
// checked while the header is parsed and the text lines counted (Cancelled).
std::vector<TensorInfo> listTensors(const std::string& path,
                                    const std::atomic<bool>* cancel = nullptr);

// Text weight files are refused beyond this size (InputError naming it): parsing text is slow,
// and a matrix that large reads far better as .npy.
constexpr std::uint64_t kMaxTextBytes = std::uint64_t{16} << 30;

// Reads one matrix. `tensor`: a safetensors tensor or an npz member; "" takes the only readable()
// one (InputError listing them if there are several or none); a name that is absent raises
// InputError listing the readable ones; one that is not readable raises InputError saying why.
// For npy/text a non-empty `tensor` is an error. Checks rows*cols*8 bytes against `memoryBudget` (0
// = defaultMemoryBudget() from core/sampling/runner.h) before allocating (text: while growing). The
// cancel flag is checked between chunks; progress is called after each.
WeightsMatrix readWeights(const std::string& path, const std::string& tensor = {},
                          const std::atomic<bool>* cancel = nullptr,
                          const ReadProgress& progress = {}, std::size_t memoryBudget = 0);

// In-memory parsers over a whole file's bytes (used by the fuzz targets and readWeights); the
// result's `source` is "". Allocation is bounded by a small multiple of bytes.size().
WeightsMatrix parseNpy(std::string_view bytes);
std::vector<TensorInfo> parseSafetensorsHeader(std::string_view bytes);
WeightsMatrix parseSafetensors(std::string_view bytes, const std::string& tensor);
WeightsMatrix parseText(std::string_view text); // CSV/TSV/whitespace, delimiter auto-detected

// The bytes of a float64, C-order, version 1.0 .npy file (header padded to 64 bytes, as NumPy
// writes it). InputError unless rows >= 1, cols >= 1 and rowMajor.size() == rows*cols.
std::string encodeNpy(int rows, int cols, const std::vector<double>& rowMajor);
// Writes encodeNpy(...) atomically (writeFileAtomically: std::runtime_error naming the path on
// failure, the old file untouched). Non-finite values are written as they are.
void writeNpy(const std::string& path, int rows, int cols, const std::vector<double>& rowMajor);

} // namespace ws::core
