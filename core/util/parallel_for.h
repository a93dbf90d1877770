#pragma once
// One deterministic parallel loop for core (theory, rectangular theory).
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <cstddef>

namespace ws::core {

// Runs f(begin, end) over [0, n) in parallel (TBB), isolated so that a caller that is itself a
// TBB task does not pick up unrelated work while waiting. How [0, n) is split depends on the
// thread count: callers make each item's result independent of the split (no state carried
// from one item to the next), so that results do not depend on the thread count.
template <class F> void parallelFor(std::size_t n, const F& f)
{
    if (n == 0)
        return;
    tbb::this_task_arena::isolate([&] {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1),
                          [&](const tbb::blocked_range<std::size_t>& r) { f(r.begin(), r.end()); });
    });
}

} // namespace ws::core
