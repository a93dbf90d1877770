#pragma once
// Shared by the long-running commands of wignerscope-cli: the "computing" mark that lets Ctrl-C
// end the process at once (RunEnv::computing) and the "\r"-updated progress line on stderr.

#include "ui/cli/cli.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <iosfwd>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace ws::cli {

inline bool cancelled(const RunEnv& env)
{
    return env.cancel && env.cancel->load();
}

// Marks a long computation that writes nothing (RunEnv::computing), until end() or scope exit.
class ComputingSection
{
public:
    explicit ComputingSection(const RunEnv& env);
    ~ComputingSection();
    ComputingSection(const ComputingSection&) = delete;
    ComputingSection& operator=(const ComputingSection&) = delete;
    void end();

private:
    std::atomic<int>* m_count;
};

// A "\r"-updated progress line on `err`, drawn by its own thread every
// env.progressIntervalSeconds once the run has taken longer than env.progressDelaySeconds (so
// short runs print nothing), only if env.showProgress. A delay of 0 draws the first line at once,
// from the constructor: every run shows one, however fast. redraw() draws it at once (past the
// delay), e.g. when a new phase starts. `text(elapsedSeconds)` makes the line; it is called from
// that thread, so it must only read atomics (or immutable data). stop() (also the destructor)
// joins the thread and clears the line.
class ProgressLine
{
public:
    using Text = std::function<std::string(double elapsedSeconds)>;
    ProgressLine(std::ostream& err, const RunEnv& env, Text text);
    ~ProgressLine();
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;
    void redraw();
    void stop();

private:
    using Clock = std::chrono::steady_clock;
    void loop();
    void drawLocked(); // with m_mutex held

    std::ostream& m_err;
    const Text m_text;
    const double m_delay;
    const Clock::duration m_interval;
    const Clock::time_point m_start;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    bool m_drawn = false;
    std::size_t m_width = 0;
    std::thread m_thread;
};

// "sampling: 3/60 samples, 1.2 s elapsed, ~22 s left" for runs of `total` samples.
ProgressLine::Text samplingText(const std::atomic<int>& done, int total);

// Runs `run(onProgress)` behind a samplingText line for `total` samples: the run reports
// onProgress(done, total); the line is cleared before this returns what `run` returned.
template <class Run>
auto withSamplingProgress(std::ostream& err, const RunEnv& env, int total, Run run)
{
    std::atomic<int> done{0};
    ProgressLine progress(err, env, samplingText(done, total));
    return run([&done](int d, int) { done.store(d); });
}

// Runs `compute()` (a computation without a cancel flag of its own, e.g. a theory) on a worker
// thread and abandons it -- returns nullopt -- once env.cancel is set; the worker owns `compute`
// (capture inputs by value) and finishes on its own. Without a cancel flag it runs here.
// Exceptions of `compute` are rethrown.
template <class T, class F> std::optional<T> abandonable(F compute, const RunEnv& env)
{
    if (!env.cancel)
        return compute();
    struct Shared
    {
        std::mutex mutex;
        std::condition_variable done;
        bool finished = false;
        std::optional<T> result;
        std::exception_ptr error;
    };
    auto shared = std::make_shared<Shared>();
    std::thread([shared, compute = std::move(compute)] {
        std::optional<T> r;
        std::exception_ptr e;
        try {
            r = compute();
        } catch (...) {
            e = std::current_exception();
        }
        std::lock_guard lock(shared->mutex);
        shared->result = std::move(r);
        shared->error = e;
        shared->finished = true;
        shared->done.notify_all();
    }).detach();
    std::unique_lock lock(shared->mutex);
    while (!shared->done.wait_for(lock, std::chrono::milliseconds(50),
                                  [&] { return shared->finished; })) {
        if (env.cancel->load())
            return std::nullopt;
    }
    if (shared->error)
        std::rethrow_exception(shared->error);
    return std::move(shared->result);
}

} // namespace ws::cli
