// The theories' memory estimates (see theory_budget.h).
#include "core/theory/theory_budget.h"

#include "core/model/families.h"
#include "core/sampling/runner.h"
#include "core/util/bytes.h"
#include "core/util/largest_fit.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace ws::core {

namespace {

// What fits: the largest N, or, when the curves alone are too many, the points.
std::string fits(int n, const std::string& what, int points, std::size_t budget)
{
    if (n > 0)
        return "; the largest N that fits" + what + " is " + std::to_string(n);
    const double most = std::floor(static_cast<double>(budget) / kTheoryBytesPerPoint);
    if (kTheoryBytesPerPoint * points > static_cast<double>(budget) && most >= 2)
        return "; its curves alone are too many points: at most " +
               std::to_string(static_cast<long long>(most)) + " fit (--points)";
    return "; not even the smallest N fits";
}

[[noreturn]] void refuse(const std::string& what, double need, std::size_t budget,
                         const std::string& largest)
{
    throw ResourceError("n", "memory: the theory at " + what + " needs about " +
                                 formatBytes(need, ByteStyle::Significant) + " but the budget is " +
                                 formatBytes(static_cast<double>(budget), ByteStyle::Significant) +
                                 largest);
}

// The check both theories share: `need` against the budget (0 = the default); when over, the
// error names `what()` and the largest N in [lo, n] whose `bytesAt(N)` fits (`shape` says how
// the other dimensions follow N).
template <class What, class BytesAt>
void checkBudget(double need, int n, int lo, std::size_t budget, int points, What what,
                 const std::string& shape, BytesAt bytesAt)
{
    if (budget == 0)
        budget = defaultMemoryBudget();
    if (need <= std::max(static_cast<double>(budget), kUncounted))
        return;
    const int largest =
        largestFitting(lo, n, [&](int k) { return bytesAt(k) <= static_cast<double>(budget); });
    refuse(what(), need, budget, fits(largest, shape, points, budget));
}

} // namespace

double theoryBytes(const Model& m, int points)
{
    // A constant bulk is one atom, never N values (8.9 MB in all at N = 10^7).
    const double values = bulkIsConstant(m) ? rankOf(m) : m.n;
    return kTheoryBytesPerValue * values + kTheoryBytesPerPoint * std::max(points, 0);
}

double rectTheoryBytes(const RectModel& m, int points)
{
    return kTheoryBytesPerValue * m.minDim() + kTheoryBytesPerPoint * std::max(points, 0);
}

void checkTheoryBudget(const Model& m, int points, std::size_t budget)
{
    checkBudget(
        theoryBytes(m, points), m.n, 2, budget, points,
        [&] { return "N = " + std::to_string(m.n); }, "",
        [&](int n) {
            Model t = m;
            t.n = n;
            return theoryBytes(t, points);
        });
}

void checkRectTheoryBudget(const RectModel& m, int points, std::size_t budget)
{
    const double c = m.ratio();
    checkBudget(
        rectTheoryBytes(m, points), m.n, 1, budget, points,
        [&] {
            return "N = " + std::to_string(m.n) + ", M = " + std::to_string(m.m) +
                   " (p = " + std::to_string(m.minDim()) + ")";
        },
        " at the same aspect ratio c = M/N",
        [&](int n) {
            RectModel t = m;
            t.n = n;
            t.m = std::max(1, static_cast<int>(std::lround(c * n)));
            return rectTheoryBytes(t, points);
        });
}

} // namespace ws::core
