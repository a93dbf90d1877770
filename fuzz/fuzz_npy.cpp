// libFuzzer target: the .npy reader (core::parseNpy), i.e. what `wignerscope-cli weights` and
// the GUI's import read from disk (readWeights streams the same header parser and converter).
// Properties checked:
// - any input either parses or raises InputError/ResourceError (no other exception, no crash,
//   no allocation beyond a small multiple of the input);
// - a parsed matrix is consistent: rows, cols >= 1, rows*cols finite values, a known dtype;
// - encodeNpy (the writer) round-trips it bit-exactly.
#include "core/model/families.h"
#include "core/weights/weights_io.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

using namespace ws::core;

namespace {

[[noreturn]] void failed(const char* what, std::string_view input)
{
    std::fprintf(stderr, "property failed: %s\ninput (%zu bytes): %.*s\n", what, input.size(),
                 static_cast<int>(std::min<std::size_t>(input.size(), 400)), input.data());
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    WeightsMatrix m;
    try {
        m = parseNpy(bytes);
    } catch (const InputError&) {
        return 0;
    } catch (const ResourceError&) {
        return 0;
    }
    if (m.rows < 1 || m.cols < 1 ||
        m.values.size() != static_cast<std::size_t>(m.rows) * static_cast<std::size_t>(m.cols))
        failed("inconsistent shape", bytes);
    if (m.values.size() * 2 > size) // every element takes at least 2 bytes of the input
        failed("more values than the input can hold", bytes);
    if (m.dtype != "float16" && m.dtype != "float32" && m.dtype != "float64")
        failed("unknown dtype", bytes);
    for (double v : m.values)
        if (!std::isfinite(v))
            failed("non-finite value accepted", bytes);
    const WeightsMatrix back = parseNpy(encodeNpy(m.rows, m.cols, m.values));
    if (back.rows != m.rows || back.cols != m.cols || back.dtype != "float64")
        failed("writer round trip changed the shape", bytes);
    for (std::size_t k = 0; k < m.values.size(); ++k)
        if (std::bit_cast<std::uint64_t>(back.values[k]) !=
            std::bit_cast<std::uint64_t>(m.values[k]))
            failed("writer round trip changed a value", bytes);
    return 0;
}
