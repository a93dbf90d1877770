#pragma once
// What the theories (computeTheory, computeRectTheory) hold at their peak, checked against the
// memory budget before they allocate: the N (or p = min(N, M)) values of S, their atoms and
// sorted copies, and the curves of `points` points. The constants are measured peaks with a
// margin: theory at N = 10^6 with a uniform bulk held 116 MB, a curve point of the CLI's JSON
// (values, nlohmann's document and its text) 220-250 bytes.

#include "core/model/model.h"
#include "core/rectangular/rectangular.h"

#include <cstddef>

namespace ws::core {

constexpr double kTheoryBytesPerValue = 160.0; // per value of S
constexpr double kTheoryBytesPerPoint = 256.0; // per point of the curves, with their JSON text
// Needs up to this are not refused: the program itself takes tens of MiB that no estimate
// counts, so a tiny budget (a test's) is about the large allocations only.
constexpr double kUncounted = 1024.0 * 1024.0;

// Bytes: kTheoryBytesPerValue N + kTheoryBytesPerPoint points; r instead of N for a constant
// bulk (one atom), p = min(N, M) for the rectangular theory (which builds all p values).
double theoryBytes(const Model& m, int points);
double rectTheoryBytes(const RectModel& m, int points);

// ResourceError("n", "memory: the theory at N = ... needs about X but the budget is Y; the
// largest N that fits is Z") when the estimate exceeds `budget` (0 = defaultMemoryBudget()) and
// kUncounted;
// the rectangular one names the largest N at the same aspect ratio c = M/N. Cheap, pure.
void checkTheoryBudget(const Model& m, int points, std::size_t budget);
void checkRectTheoryBudget(const RectModel& m, int points, std::size_t budget);

} // namespace ws::core
