// libFuzzer target: the .npy reader (core::parseNpy), i.e. what `wignerscope-cli weights` and
// the GUI's import read from disk (readWeights streams the same header parser and converter).
// Properties checked:
// - any input either parses or raises InputError/ResourceError (no other exception, no crash,
//   no allocation beyond a small multiple of the input);
// - a parsed matrix is consistent: rows, cols >= 1, rows*cols finite values, a known dtype;
// - encodeNpy (the writer) round-trips it bit-exactly.
#include "core/model/families.h"
#include "core/weights/weights_io.h"
#include "fuzz/fuzz_check.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

using namespace ws::core;
using ws::fuzz::failed;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view bytes = ws::fuzz::inputOf(data, size);
    const auto parsed = ws::fuzz::parsedOrRejected([&] { return parseNpy(bytes); });
    if (!parsed)
        return 0;
    const WeightsMatrix& m = *parsed;
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
    if (!ws::fuzz::sameBits(back.values, m.values))
        failed("writer round trip changed a value", bytes);
    return 0;
}
