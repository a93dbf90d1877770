#pragma once
// Model files for the whole-model tests: .safetensors and .npz (zip, members stored or deflated,
// as np.savez and np.savez_compressed write them) built in memory from float32/float64/int64
// arrays of any shape, C order.

#include <cstdint>
#include <string>
#include <vector>

namespace ws::testing {

struct ModelArray
{
    std::string name;
    std::string dtype; // safetensors dtype: "F32", "F64", "I64"
    std::vector<std::int64_t> shape;
    std::string data; // raw little-endian bytes, C order
};

std::string f32Bytes(const std::vector<double>& v);
std::string f64Bytes(const std::vector<double>& v);

// The arrays in order, after a "__metadata__" entry; the header padded with spaces to 8 bytes.
std::string safetensorsBytes(const std::vector<ModelArray>& arrays);
// One "<name>.npy" member per array (version 1.0 headers); deflate: compress each member.
std::string npzBytes(const std::vector<ModelArray>& arrays, bool deflate);
void writeFile(const std::string& path, const std::string& bytes);

// A weight matrix W = (sigma/sqrt(N)) X + sum_j theta_j u_j v_j^T (N x M, row-major), X Gaussian,
// u_j and v_j random unit vectors, all from `seed` (core/weights/planted.h): theta_j far above
// the BBP threshold sigma c^(1/4) stand out as singular values.
std::vector<double> noisePlusLowRank(int n, int m, double sigma, const std::vector<double>& theta,
                                     unsigned seed = 42);

} // namespace ws::testing
