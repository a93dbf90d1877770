#pragma once
// One cancellable piece of work on a worker thread for a view (the pattern of SweepRunner, made
// generic): each start() cancels the previous task and bumps a generation; whatever an older
// generation posts is dropped on the GUI thread, so the view only ever sees its current task.
// cancel() is final at once: finished(true) is emitted before it returns, even if the worker is
// still inside an uninterruptible call (a LAPACK solve); that worker finishes in the background,
// its results are dropped, and it is joined later (or by the destructor).
// All signals are emitted on the GUI thread. No TBB header here (see DESIGN.md, section 4).

#include <QObject>
#include <QString>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

namespace ws::ui {

class BackgroundTask;

// What the work function gets, on the worker thread.
class TaskContext
{
public:
    const std::atomic<bool>* cancelFlag() const { return &m_job->cancel; }
    bool cancelled() const { return m_job->cancel.load(); }
    // Progress in [0, 1]; posted at most every ~100 ms (and always at 1).
    void progress(double fraction) const;
    // Runs f on the GUI thread unless the task is stale by then.
    void post(std::function<void()> f) const;

private:
    friend class BackgroundTask;
    struct Job
    {
        std::atomic<bool> cancel{false};
        std::atomic<bool> done{false};
        std::atomic<long long> lastProgressMs{-1000000};
    };
    TaskContext(BackgroundTask* owner, std::uint64_t gen, std::shared_ptr<Job> job)
        : m_owner(owner), m_gen(gen), m_job(std::move(job))
    {
    }
    BackgroundTask* m_owner;
    std::uint64_t m_gen;
    std::shared_ptr<Job> m_job;
};

class BackgroundTask : public QObject
{
    Q_OBJECT
public:
    // Runs on the worker thread. Throw to fail (the message is shown); core::Cancelled or a
    // return after the flag was set counts as cancelled.
    using Work = std::function<void(const TaskContext&)>;

    explicit BackgroundTask(QObject* parent = nullptr);
    ~BackgroundTask() override; // cancels and joins every worker

    void start(Work work);
    void cancel();
    bool isRunning() const { return m_running; }
    std::uint64_t generation() const { return m_generation; }
    double fraction() const { return m_fraction; }
    // Worker threads still working (a cancelled one may still be finishing its current step).
    int busyWorkers() const;

signals:
    void started();
    void progress(double fraction);
    void finished(bool cancelled); // after the work returned (or was cancelled)
    void failed(const QString& message);

private:
    friend class TaskContext;
    void deliver(std::uint64_t gen, std::function<void()> f);
    void reap(bool all);

    std::uint64_t m_generation = 0;
    std::shared_ptr<TaskContext::Job> m_job;
    std::vector<std::pair<std::shared_ptr<TaskContext::Job>, std::thread>> m_threads;
    double m_fraction = 0.0;
    bool m_running = false;
};

} // namespace ws::ui
