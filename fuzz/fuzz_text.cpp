// libFuzzer target: the text matrix reader (core::parseText and the incremental parser that
// readWeights feeds in 8 MiB chunks). Properties checked:
// - any input either parses or raises InputError/ResourceError (no other exception, no crash);
// - feeding the same text in small chunks (1..16 bytes, from the first byte) gives the same
//   matrix or the same error message: lines split across chunks are handled;
// - a parsed matrix is consistent (rows*cols finite values), and printing it back as CSV with
//   round-trip precision parses to the same bits.
#include "core/model/families.h"
#include "core/weights/weights_internal.h"
#include "core/weights/weights_io.h"
#include "fuzz/fuzz_check.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace ws::core;
using ws::fuzz::failed;
using ws::fuzz::sameBits;

namespace {

struct Outcome
{
    bool ok = false;
    std::string error;
    std::int64_t rows = 0, cols = 0;
    std::vector<double> values;
};

Outcome chunked(std::string_view text, std::size_t chunk)
{
    Outcome o;
    try {
        detail::TextParser p;
        for (std::size_t at = 0; at < text.size(); at += chunk)
            p.feed(text.substr(at, chunk));
        p.finish();
        o.ok = true;
        o.rows = p.rows();
        o.cols = p.cols();
        o.values = std::move(p.values());
    } catch (const InputError& e) {
        o.error = e.what();
    } catch (const ResourceError& e) {
        o.error = e.what();
    }
    return o;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text = ws::fuzz::inputOf(data, size);
    const Outcome pieces = chunked(text, size ? 1 + data[0] % 16 : 1);
    WeightsMatrix m;
    try {
        m = parseText(text);
    } catch (const InputError& e) {
        if (pieces.ok || pieces.error != e.what())
            failed("chunked parsing disagrees (whole text: error)", text);
        return 0;
    } catch (const ResourceError&) {
        return 0;
    }
    if (!pieces.ok || pieces.rows != m.rows || pieces.cols != m.cols ||
        !sameBits(pieces.values, m.values))
        failed("chunked parsing disagrees (whole text: parsed)", text);
    if (m.rows < 1 || m.cols < 1 || m.dtype != "text" ||
        m.values.size() != static_cast<std::size_t>(m.rows) * static_cast<std::size_t>(m.cols))
        failed("inconsistent shape", text);
    std::string csv;
    for (int i = 0; i < m.rows; ++i)
        for (int j = 0; j < m.cols; ++j) {
            const double v = m.at(i, j);
            if (!std::isfinite(v))
                failed("non-finite value accepted", text);
            csv += formatDouble(v);
            csv += j + 1 < m.cols ? ',' : '\n';
        }
    const WeightsMatrix back = parseText(csv);
    if (back.rows != m.rows || back.cols != m.cols || !sameBits(back.values, m.values))
        failed("CSV round trip changed the matrix", text);
    return 0;
}
