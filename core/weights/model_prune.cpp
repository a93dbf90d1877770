// Pruning a whole .safetensors model (model_prune.h).
#include "core/weights/model_prune.h"

#include "core/model/families.h"
#include "core/sampling/runner.h" // defaultMemoryBudget
#include "core/util/bytes.h"
#include "core/weights/weights_internal.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>

namespace ws::core {

using detail::Scalar;

std::uint16_t toBFloat16(double v)
{
    constexpr float kMax = 3.3895313892515355e38f; // largest finite bfloat16
    const float f =
        static_cast<float>(std::clamp(v, -static_cast<double>(kMax), static_cast<double>(kMax)));
    const auto bits = std::bit_cast<std::uint32_t>(f);
    const std::uint32_t rounded = bits + 0x7FFFu + ((bits >> 16) & 1u);
    return static_cast<std::uint16_t>(rounded >> 16);
}

std::uint16_t toFloat16(double v)
{
    const double a = std::min(std::abs(v), 65504.0);
    const std::uint16_t sign = std::signbit(v) ? 0x8000 : 0;
    if (a < std::ldexp(1.0, -25)) // below half the smallest subnormal: zero
        return sign;
    int e = 0;
    std::frexp(a, &e); // a = m 2^e, m in [0.5, 1)
    // Exponent of the leading bit: e - 1; normal halves have it in [-14, 15], 10 fraction bits.
    const int lead = std::max(e - 1, -14);
    const double scaled = std::ldexp(a, 10 - lead); // integer part: 11 bits (normal) or fewer
    double q = std::nearbyint(scaled);              // ties to even (default rounding mode)
    int biased = lead + 15;
    if (q >= 2048.0) { // rounding carried into the next binade
        q /= 2.0;
        ++biased;
    }
    if (q < 1024.0) // subnormal
        return static_cast<std::uint16_t>(sign | static_cast<std::uint16_t>(q));
    return static_cast<std::uint16_t>(sign | (biased << 10) |
                                      (static_cast<std::uint16_t>(q) & 0x3FF));
}

namespace {

void encode(const std::vector<double>& values, Scalar type, char* out)
{
    for (std::size_t i = 0; i < values.size(); ++i) {
        switch (type) {
        case Scalar::F64:
            std::memcpy(out + 8 * i, &values[i], 8);
            break;
        case Scalar::F32: {
            const auto f = static_cast<float>(values[i]);
            std::memcpy(out + 4 * i, &f, 4);
            break;
        }
        case Scalar::F16: {
            const std::uint16_t h = toFloat16(values[i]);
            std::memcpy(out + 2 * i, &h, 2);
            break;
        }
        case Scalar::BF16: {
            const std::uint16_t h = toBFloat16(values[i]);
            std::memcpy(out + 2 * i, &h, 2);
            break;
        }
        }
    }
}

std::int64_t elements(const std::vector<std::int64_t>& shape)
{
    std::int64_t n = 1;
    for (std::int64_t d : shape)
        n *= d;
    return n;
}

} // namespace

PrunedModel pruneModel(const ModelReport& report, const std::atomic<bool>* cancel,
                       std::size_t memoryBudget)
{
    const std::size_t budget = memoryBudget ? memoryBudget : defaultMemoryBudget();
    const auto notSafetensors = [&] {
        try {
            return detectWeightsFormat(report.path) != WeightsFormat::Safetensors;
        } catch (const InputError&) {
            return true; // a directory, an .npz
        }
    };
    if (notSafetensors())
        throw InputError("pruning a model needs a .safetensors file (" + report.path +
                         " is not one)");
    for (const auto& l : report.layers)
        if (l.tensor.file != report.path || l.tensor.member.empty() || l.tensor.deflated ||
            l.tensor.fortran || l.tensor.bigEndian)
            throw InputError("pruning a model needs a single .safetensors file (" + report.path +
                             " is not one)");
    std::ifstream in(report.path, std::ios::binary | std::ios::ate);
    if (!in)
        throw InputError("cannot read " + report.path);
    const auto size = static_cast<std::size_t>(in.tellg());
    std::size_t largest = 0;
    for (const auto& l : report.layers)
        if (l.analysed && l.detectedRank > 0)
            largest = std::max(
                largest, readModelTensorPeakBytes(l.tensor) +
                             pruneTopKPeakBytes(l.tensor.rows, l.tensor.cols, l.detectedRank));
    if (size + largest > budget)
        throw ResourceError("memory: pruning " + report.path + " needs about " +
                            formatBytes(static_cast<double>(size + largest)) +
                            " (the pruned file and the largest layer's pruning), the budget is " +
                            formatBytes(static_cast<double>(budget)));
    PrunedModel m;
    m.bytes.resize(size);
    in.seekg(0);
    if (!in.read(m.bytes.data(), static_cast<std::streamsize>(size)))
        throw InputError("cannot read " + report.path + ": it ended early");
    for (const auto& l : report.layers) {
        const std::int64_t n = elements(l.tensor.shape);
        m.paramsBefore += n;
        if (!l.analysed) {
            m.paramsAfter += n;
            continue;
        }
        if (cancel && cancel->load(std::memory_order_relaxed))
            throw Cancelled("pruning: cancelled");
        PrunedLayer p;
        p.name = l.tensor.name;
        p.rows = l.tensor.rows;
        p.cols = l.tensor.cols;
        p.k = l.detectedRank;
        const std::int64_t factored =
            static_cast<std::int64_t>(p.k) * (static_cast<std::int64_t>(p.rows) + p.cols);
        if (p.k == 0 || factored >= n) { // nothing to remove, or nothing saved
            m.paramsAfter += n;
            m.layers.push_back(p);
            continue;
        }
        const WeightsMatrix w = readModelTensor(l.tensor, cancel, budget);
        const PruneResult r = pruneTopK(w.rows, w.cols, w.values, p.k, cancel, {}, budget);
        if (l.tensor.offset + l.tensor.bytes > m.bytes.size())
            throw InputError(report.path + " changed while it was being pruned");
        encode(r.lowRank, static_cast<Scalar>(l.tensor.scalar), m.bytes.data() + l.tensor.offset);
        p.replaced = true;
        p.relativeError = r.relativeError;
        p.retainedEnergy = r.retainedEnergy;
        m.paramsAfter += factored;
        m.layers.push_back(p);
    }
    return m;
}

} // namespace ws::core
