// Stage 2 of the parallel two-stage solver: Hermitian band -> real symmetric tridiagonal by
// bulge chasing, run in parallel over sweeps.
//
// dsytrd_sb2st (zhetrd_hb2st) annihilates column s of the band in sweep s = 1..n-1, a chain of
// small tasks (types 1, 2, 3, each on a kd x kd block) that chase the bulge down the band. Task m
// of sweep s only needs task m + 2 of sweep s - 1 (and the tasks before it in its own sweep):
// LAPACK's own OpenMP task graph (DEPEND on WORK(MYID+SHIFT-1), SHIFT = 3). Here each worker
// claims groups of whole sweeps in order and runs each task only after the previous sweep has
// done its task m + 2. Every task runs the same kernel on the same data whatever the thread count
// or the interleaving, so the tridiagonal is bit-identical to the serial order's (sweep after
// sweep), which tst_dense_solver checks at 1, 2, 3 and 8 threads. The tasks are LAPACK's
// zhb2st_kernels for complex bands (the same bits as zhetrd_hb2st) and chase_kernels.cpp's for
// real ones (LAPACK's dsb2st_kernels written out, ~1.5x faster; dsytrd_sb2st's tridiagonal to
// rounding).

#include "core/sampling/dense/chase_kernels.h"
#include "core/sampling/dense/dense_kernels.h"

#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstddef>
#include <memory>
#include <thread>
#include <vector>

extern "C" {
void zhb2st_kernels_(const char* uplo, const lapack_logical* wantz, const lapack_int* ttype,
                     const lapack_int* st, const lapack_int* ed, const lapack_int* sweep,
                     const lapack_int* n, const lapack_int* nb, const lapack_int* ib,
                     std::complex<double>* a, const lapack_int* lda, std::complex<double>* v,
                     std::complex<double>* tau, const lapack_int* ldvt, std::complex<double>* work,
                     std::size_t);
}

namespace ws::core::dense {
namespace {

void complexTask(int ttype, int st, int ed, int n, int kd, cplx* a, int lda, cplx* v, cplx* tau,
                 cplx* work)
{
    const lapack_logical wantz = 0;
    const lapack_int sweep = 1, ib = 1, ldvt = 1;
    zhb2st_kernels_("L", &wantz, &ttype, &st, &ed, &sweep, &n, &kd, &ib, a, &lda, v, tau, &ldvt,
                    work, 1);
}

// Task `myid` (1-based) of sweep `sweep` (1-based), as dsytrd_sb2st numbers them.
struct Task
{
    lapack_int type, st, ed;
    bool last; // the sweep's final task
};

Task taskOf(int sweep, int myid, int n, int kd)
{
    Task t{};
    t.type = myid == 1 ? 1 : myid % 2 + 2;
    int blockLast = 0;
    if (t.type == 2) {
        const int colpt = (myid / 2) * kd + sweep;
        t.st = colpt - kd + 1;
        t.ed = std::min(colpt, n);
        blockLast = colpt;
    } else {
        const int colpt = ((myid + 1) / 2) * kd + sweep;
        t.st = colpt - kd + 1;
        t.ed = std::min(colpt, n);
        blockLast = (t.st >= t.ed - 1 && t.ed == n) ? n : 0;
    }
    t.last = blockLast >= n - 1;
    return t;
}

// Waits until `done` reaches `need`. The sweep it waits for is being run by another worker (it
// was claimed earlier), so the wait is usually short: spin, then yield in case that worker was
// descheduled on a loaded machine. If it stays descheduled (a whole time slice: spinning and
// sched_yield would burn this core's share meanwhile), block on the atomic (a futex).
void waitFor(const std::atomic<int>& done, int need)
{
    constexpr int kSpins = 64, kYields = 64;
    int seen = done.load(std::memory_order_acquire);
    for (int spins = 0; seen < need && spins < kSpins + kYields; ++spins) {
        if (spins >= kSpins)
            std::this_thread::yield();
        seen = done.load(std::memory_order_acquire);
    }
    while (seen < need) {
        done.wait(seen, std::memory_order_acquire);
        seen = done.load(std::memory_order_acquire);
    }
}

// Publishes progress of a sweep and wakes a worker blocked in waitFor (cheap if none is).
void publish(std::atomic<int>& done, int value)
{
    done.store(value, std::memory_order_release);
    done.notify_all();
}

// `task` runs one task (ChaseTaskFn's arguments); `serial`: sweep after sweep on this thread.
template <class T, class TaskFn>
void bandToTridiagonalT(int n, int kd, const T* ab, double* d, double* e, TaskFn task, bool serial)
{
    // LAPACK's working layout: lower band with room for the bulge, lda = 2 kd + 1, element
    // (i, j) at (i - j) + j lda, so that a block is a general matrix of leading dimension lda - 1.
    const int lda = 2 * kd + 1;
    const auto ldas = static_cast<std::size_t>(lda);
    std::vector<T> a(ldas * static_cast<std::size_t>(n), T(0.0));
    for (int j = 0; j < n; ++j)
        std::copy(ab + at(0, j, kd + 1), ab + at(0, j, kd + 1) + kd + 1, a.data() + at(0, j, lda));

    const int sweeps = n - 1;
    std::unique_ptr<std::atomic<int>[]> done(new std::atomic<int>[static_cast<std::size_t>(n)]);
    for (int s = 0; s < n; ++s)
        done[static_cast<std::size_t>(s)].store(s == 0 ? INT_MAX : 0, std::memory_order_relaxed);
    std::atomic<int> next{1};
    const std::size_t len = static_cast<std::size_t>(n + 2 * kd + 2); // v, tau per sweep

    auto out = [&] {
        for (int i = 0; i < n; ++i)
            d[i] = std::real(a[at(0, i, lda)]);
        for (int i = 0; i + 1 < n; ++i)
            e[i] = std::real(a[at(1, i, lda)]);
    };
    if (serial) { // the order of LAPACK's serial routine: the reference of the parallel one
        std::vector<T> v(len), tau(len), work(static_cast<std::size_t>(2 * kd + 16));
        for (int sweep = 1; sweep <= sweeps; ++sweep)
            for (int myid = 1;; ++myid) {
                const Task t = taskOf(sweep, myid, n, kd);
                task(t.type, t.st, t.ed, n, kd, a.data(), lda, v.data(), tau.data(), work.data());
                if (t.last)
                    break;
            }
        out();
        return;
    }

    // A worker claims kGroup consecutive sweeps at a time and runs them as a wavefront: at step
    // t, sweep g of the group (0-based) runs its task t - 2 g, after sweep g - 1 ran its task
    // t - 2 (g - 1) -- the task it needs -- at the same step. Only the group's first sweep waits
    // for another worker (the previous group's last sweep) and only its last sweep publishes:
    // the blocks a task writes are read by the next sweep's task on the same core, while still
    // in its cache, instead of crossing to the other core's cache once per sweep (with one
    // sweep per claim the tasks, ~0.6 us each at kd = 32, spent as long waiting for those
    // blocks: 0.078 s on one thread, 0.070 s on two at n = 2000).
    constexpr int kGroup = 8;
    auto worker = [&] {
        std::vector<T> v(len * kGroup), tau(len * kGroup),
            work(static_cast<std::size_t>(2 * kd + 16));
        int taskDone[kGroup];
        for (;;) {
            const int s0 = next.fetch_add(kGroup, std::memory_order_relaxed); // claimed in order
            if (s0 > sweeps)
                return;
            const int count = std::min(kGroup, sweeps - s0 + 1);
            const std::atomic<int>& before = done[static_cast<std::size_t>(s0 - 1)];
            std::atomic<int>& last = done[static_cast<std::size_t>(s0 + count - 1)];
            std::fill(taskDone, taskDone + count, 0);
            int running = count;
            for (int t = 1; running > 0; ++t)
                for (int g = 0; g < count; ++g) {
                    const int myid = t - 2 * g;
                    if (myid < 1 || taskDone[g] == INT_MAX)
                        continue;
                    if (g == 0)
                        waitFor(before, myid + 2);
                    const Task k = taskOf(s0 + g, myid, n, kd);
                    task(k.type, k.st, k.ed, n, kd, a.data(), lda,
                         v.data() + len * static_cast<std::size_t>(g),
                         tau.data() + len * static_cast<std::size_t>(g), work.data());
                    taskDone[g] = k.last ? INT_MAX : myid;
                    if (k.last)
                        --running;
                    if (g == count - 1)
                        publish(last, taskDone[g]);
                }
        }
    };
    const int workers = std::max(
        1, std::min(tbb::this_task_arena::max_concurrency(), (sweeps + kGroup - 1) / kGroup));
    tbb::parallel_for(
        0, workers, [&](int) { worker(); }, tbb::simple_partitioner());
    out();
}

} // namespace

void bandToTridiagonal(int n, int kd, const double* ab, double* d, double* e, ChaseOptions o)
{
    bandToTridiagonalT(n, kd, ab, d, e, pickChaseTask(o.portable), o.serial);
}

void bandToTridiagonal(int n, int kd, const cplx* ab, double* d, double* e, ChaseOptions o)
{
    bandToTridiagonalT(n, kd, ab, d, e, &complexTask, o.serial);
}

} // namespace ws::core::dense
