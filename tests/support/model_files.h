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

std::string safetensorsBytes(const std::vector<ModelArray>& arrays);
// One "<name>.npy" member per array (version 1.0 headers); deflate: compress each member.
std::string npzBytes(const std::vector<ModelArray>& arrays, bool deflate);
void writeFile(const std::string& path, const std::string& bytes);

} // namespace ws::testing
