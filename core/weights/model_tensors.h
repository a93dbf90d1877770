#pragma once
// The tensors of a whole model, for the whole-model report (model_report.h): every tensor of a
// .safetensors file, every array of a NumPy .npz archive, or every .npy/.npz/.safetensors file
// under a directory (recursively, in sorted path order), and each read as one matrix.
//
// What is analysed as a matrix (rows x cols, row-major as stored):
// - a 2-D tensor as it is;
// - a 4-D convolution kernel (out, in, kh, kw) -- PyTorch's layout -- as out x (in kh kw):
//   each output channel's filter is one row. This is the reshape WeightWatcher and most spectral
//   analyses of conv layers use for a single matrix (rather than one matrix per kernel
//   position). In C order it needs no copy, since the stored order already is that matrix's
//   row-major order; a Fortran-order .npy (or .npz member) is read into the same matrix. The
//   same holds in .safetensors, .npz and .npy files.
// Anything else gets a reason and is skipped: not 2-D or 4-D, an empty dimension, a dtype other
// than F32/F16/BF16/F64, min(rows, cols) < kMinModelSide, or (when read) a non-finite value.
//
// .npz: a zip archive (np.savez stores members, np.savez_compressed deflates them; both read,
// ZIP64 included); member "x.npy" is named "x". Other members are listed with a reason.
//
// Errors: InputError when the path itself cannot be listed (missing, unreadable, not a model);
// per tensor, readModelTensor throws InputError (the reason), ResourceError (memory budget) or
// Cancelled. Allocation: listing holds the headers only; reading holds the matrix as doubles
// plus an 8 MiB chunk (a deflated member: its compressed and uncompressed bytes as well).
// Thread safety: readModelTensor may run concurrently for different tensors (each call opens
// the file itself).

#include "core/weights/weights_io.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ws::core {

// Smaller matrices are not analysed: the Tracy-Widom threshold and the noise fit need a bulk.
inline constexpr int kMinModelSide = 8;

struct ModelTensor
{
    std::string name;                // as reported: tensor/member name, DIR: relative path[:name]
    std::string file;                // the file that holds it
    std::string member;              // safetensors tensor or npz member ("" for a plain .npy)
    std::string dtype;               // as stored
    std::vector<std::int64_t> shape; // as stored
    int rows = 0, cols = 0;          // the matrix analysed (see above); 0 if none
    std::string reshape;             // "" for 2-D; "out x (in kh kw)" for a conv kernel
    std::string reason;              // why it is not analysed ("" = it is)
    // Where the data is, for readModelTensor (filled by listModelTensors).
    std::uint64_t offset = 0; // first data byte in `file` (deflated: of the member's bytes)
    std::uint64_t bytes = 0;  // stored data bytes (deflated: the compressed member)
    int scalar = -1;          // detail::Scalar of the elements
    bool bigEndian = false, fortran = false;
    bool deflated = false;        // npz member compressed with deflate
    std::uint64_t plainBytes = 0; // deflated: the member's uncompressed size
};

// The tensors of PATH (.safetensors, .npz or a directory), in file order. InputError if PATH is
// none of these or cannot be read; Cancelled.
std::vector<ModelTensor> listModelTensors(const std::string& path,
                                          const std::atomic<bool>* cancel = nullptr);

// Reads one listed tensor with an empty reason as its rows x cols matrix (values finite).
// memoryBudget as readWeights (0 = default). See the header comment for the errors.
WeightsMatrix readModelTensor(const ModelTensor& t, const std::atomic<bool>* cancel = nullptr,
                              std::size_t memoryBudget = 0);

// Bytes readModelTensor allocates at its peak for t.
std::size_t readModelTensorPeakBytes(const ModelTensor& t);

} // namespace ws::core
