#pragma once
// Runs a call on a given number of oneTBB threads, for the tests that check that results do not
// depend on the thread count.
//
// global_control lifts TBB's default cap (the CPUs the process may use), so 8 threads really run
// on a 2-core machine. Under ThreadSanitizer the cap stays: the tsan stage pins each test to one
// CPU so that TBB starts no worker threads (Debian's libtbb is not TSan-instrumented and its task
// hand-off between threads is invisible to TSan, which reports it as races: see
// sanitizers/tsan.supp). The call then runs on the calling thread alone, still through the
// arena, so max_concurrency() reports `threads` and the code takes its multi-threaded path.
#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <cstddef>
#include <optional>

namespace testsupport {

template <class F> decltype(auto) withTbbThreads(int threads, F&& f)
{
    std::optional<tbb::global_control> cap;
#if !defined(__SANITIZE_THREAD__)
    cap.emplace(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
#endif
    tbb::task_arena arena(threads);
    return arena.execute(std::forward<F>(f));
}

} // namespace testsupport
