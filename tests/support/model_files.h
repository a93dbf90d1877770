#pragma once
// Model files for the whole-model tests: .safetensors and .npz (zip, members stored or deflated,
// as np.savez and np.savez_compressed write them) and .npy files built in memory from
// float32/float64/int64 arrays of any shape, C order (.npy/.npz: any float dtype and order).

#include <cstdint>
#include <string>
#include <vector>

namespace ws::testing {

struct ModelArray
{
    std::string name;
    std::string dtype; // safetensors dtype: "F32", "F64", "I64"
    std::vector<std::int64_t> shape;
    std::string data; // raw little-endian bytes, C order (unless descr/fortran say otherwise)
    // .npy and .npz only: the NumPy dtype written instead of dtype's ("<f2", ">f4", ...) and
    // Fortran order; `data` is then in that byte and storage order.
    std::string descr = {};
    bool fortran = false;
};

std::string f32Bytes(const std::vector<double>& v);
std::string f64Bytes(const std::vector<double>& v);

// The arrays in order, after a "__metadata__" entry; the header padded with spaces to 8 bytes.
std::string safetensorsBytes(const std::vector<ModelArray>& arrays);
// A .npy file of the array (version 1.0 header, padded as NumPy pads it).
std::string npyBytes(const ModelArray& a);
// One "<name>.npy" member per array (version 1.0 headers); deflate: compress each member.
std::string npzBytes(const std::vector<ModelArray>& arrays, bool deflate);
void writeFile(const std::string& path, const std::string& bytes);
// The elements of a C-order array of `shape` in Fortran order (the first index fastest), as
// NumPy stores np.asfortranarray(a).
std::vector<double> fortranOrder(const std::vector<double>& cOrder,
                                 const std::vector<std::int64_t>& shape);

// A weight matrix W = (sigma/sqrt(N)) X + sum_j theta_j u_j v_j^T (N x M, row-major), X Gaussian,
// u_j and v_j random unit vectors, all from `seed` (core/weights/planted.h): theta_j far above
// the BBP threshold sigma c^(1/4) stand out as singular values.
std::vector<double> noisePlusLowRank(int n, int m, double sigma, const std::vector<double>& theta,
                                     unsigned seed = 42);

} // namespace ws::testing
