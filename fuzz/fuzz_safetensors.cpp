// libFuzzer target: the .safetensors reader (core::parseSafetensorsHeader, parseSafetensors).
// Properties checked:
// - any input either parses or raises InputError/ResourceError (no other exception, no crash);
// - parseSafetensors("" and every listed name) succeeds only for a tensor that the header
//   listing calls readable(), with the listed shape and dtype, the byte count of shape x dtype,
//   and rows*cols finite values.
#include "core/model/families.h"
#include "core/weights/weights_io.h"
#include "fuzz/fuzz_check.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

using namespace ws::core;
using ws::fuzz::failed;

namespace {

std::size_t elementSize(const std::string& dtype)
{
    if (dtype == "float64")
        return 8;
    if (dtype == "float32")
        return 4;
    return 2; // float16, bfloat16
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view bytes = ws::fuzz::inputOf(data, size);
    const auto listed = ws::fuzz::parsedOrRejected([&] { return parseSafetensorsHeader(bytes); });
    const bool headerOk = listed.has_value();
    const std::vector<TensorInfo> infos = listed.value_or(std::vector<TensorInfo>{});
    std::vector<std::string> names{""};
    for (std::size_t k = 0; k < infos.size() && k < 64; ++k)
        names.push_back(infos[k].name);
    for (const std::string& name : names) {
        const auto parsed =
            ws::fuzz::parsedOrRejected([&] { return parseSafetensors(bytes, name); });
        if (!parsed)
            continue;
        const WeightsMatrix& m = *parsed;
        if (!headerOk)
            failed("a tensor was read from a header that does not list", bytes);
        if (!name.empty() && m.tensor != name)
            failed("read another tensor than the one asked for", bytes);
        const auto it = std::find_if(infos.begin(), infos.end(),
                                     [&](const TensorInfo& t) { return t.name == m.tensor; });
        if (it == infos.end())
            failed("read a tensor the listing does not have", bytes);
        if (!it->readable() || it->shape[0] != m.rows || it->shape[1] != m.cols ||
            it->dtype != m.dtype)
            failed("read tensor disagrees with its listing", bytes);
        if (m.values.size() != static_cast<std::size_t>(m.rows) * static_cast<std::size_t>(m.cols))
            failed("inconsistent shape", bytes);
        if (it->bytes != m.values.size() * elementSize(m.dtype) || it->bytes > size)
            failed("byte count disagrees with shape x dtype", bytes);
        for (double v : m.values)
            if (!std::isfinite(v))
                failed("non-finite value accepted", bytes);
    }
    return 0;
}
