#pragma once
// The per-sample loop shared by every runner (dense/banded eigenvalues, rectangular singular
// values). Internal to ws_core: it pulls in TBB.
//
// Runs draw(k) for k in [0, samples) inside `arena`, one TBB task per sample (grain 1,
// simple_partitioner), so a cancel is seen between any two samples and idle threads steal single
// samples. draw returns std::optional<T>; std::nullopt means the draw saw the cancel and stopped.
// Each finished sample is kept by its index and reported as it finishes, under one mutex:
// onSample(k, value) and progress(done, samples), so callbacks never run concurrently. The
// result lists the finished samples in index order, so it does not depend on the thread count.
// runSubsetLoop runs it over a run's samples (RunOptions::subset) and recordSamples fills the
// bookkeeping every run result shares.

#include "core/sampling/run_setup.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

namespace ws::core {

template <class T> struct IndexedSamples
{
    std::vector<T> values;  // finished samples, ascending k
    std::vector<int> index; // their k
};

template <class T, class Draw>
IndexedSamples<T> runSampleLoop(tbb::task_arena& arena, int samples,
                                const std::atomic<bool>* cancel, Draw&& draw,
                                const std::function<void(int, const T&)>& onSample,
                                const std::function<void(int, int)>& progress)
{
    const auto count = static_cast<std::size_t>(samples > 0 ? samples : 0);
    std::vector<std::optional<T>> byIndex(count);
    std::mutex callbackMutex;
    int done = 0;
    auto isCancelled = [cancel] { return cancel && cancel->load(std::memory_order_relaxed); };

    arena.execute([&] {
        tbb::parallel_for(
            tbb::blocked_range<int>(0, samples, 1),
            [&](const tbb::blocked_range<int>& range) {
                for (int k = range.begin(); k != range.end(); ++k) {
                    if (isCancelled())
                        return;
                    std::optional<T> value = draw(k);
                    if (!value)
                        return;
                    const auto ks = static_cast<std::size_t>(k);
                    std::lock_guard<std::mutex> lock(callbackMutex);
                    byIndex[ks] = std::move(value);
                    ++done;
                    if (onSample)
                        onSample(k, *byIndex[ks]);
                    if (progress)
                        progress(done, samples);
                }
            },
            tbb::simple_partitioner());
    });

    IndexedSamples<T> out;
    for (std::size_t k = 0; k < count; ++k) {
        if (!byIndex[k])
            continue;
        out.values.push_back(std::move(*byIndex[k]));
        out.index.push_back(static_cast<int>(k));
    }
    return out;
}

// runSampleLoop over the `count` samples of a run: the i-th is sample k = sampleAt(opt, i) (the
// subset's, or i), and draw(k), onSample(k, value) and the result's index all see k.
template <class T, class Draw>
IndexedSamples<T> runSubsetLoop(tbb::task_arena& arena, const RunOptions& opt, int count,
                                const std::atomic<bool>* cancel, Draw&& draw,
                                const std::function<void(int, const T&)>& onSample,
                                const std::function<void(int, int)>& progress)
{
    std::function<void(int, const T&)> reported;
    if (onSample)
        reported = [&](int i, const T& value) { onSample(sampleAt(opt, i), value); };
    IndexedSamples<T> out = runSampleLoop<T>(
        arena, count, cancel,
        [&](int i) { return draw(static_cast<std::uint64_t>(sampleAt(opt, i))); }, reported,
        progress);
    for (int& i : out.index)
        i = sampleAt(opt, i);
    return out;
}

// What every run result reports once its loop is over: the finished samples moved into
// `values` (k order) and their k into result.sampleIndex, result.completed, result.cancelled
// (fewer than result.requested finished) and result.totalSeconds since `start`.
template <class Result, class T>
void recordSamples(Result& result, std::vector<T>& values, IndexedSamples<T>&& samples,
                   std::chrono::steady_clock::time_point start)
{
    values = std::move(samples.values);
    result.sampleIndex = std::move(samples.index);
    result.completed = static_cast<int>(values.size());
    result.cancelled = result.completed < result.requested;
    result.totalSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace ws::core
