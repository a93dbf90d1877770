#pragma once
// The one job runner of the app: every background computation (the main view's theory and
// sampling, the sweeps, the rectangular view, loading and exporting real weights) runs on one.
// The shape is KDAB hotspot's JobTracker with Qt's mandelbrot example's coalescing restarts.
//
// A job is a Work function run once on a worker thread of the runner's pool. It gets a
// JobContext: the cancel token (a std::atomic<bool>, handed to core calls, which check it),
// progress(), and post() to run a function with its results on the GUI thread.
//
// Generations: start() bumps the generation and sets the previous job's cancel flag; that job is
// superseded and reports nothing more, not even a terminal signal. Whatever a job posts is
// dropped unless it is still the current, unfinished job: first by the worker before posting
// (its cancel flag is set), then on arrival on the GUI thread (runner held by QPointer, job
// compared with the current one).
//
// Outcomes: a job that is not superseded ends in exactly one of
//   finished(gen)       the Work returned,
//   failed(gen, error)  it threw (jobError() turns the exception into kind, message, parameter),
//   cancelled(gen)      cancel() was called, or the Work threw core::Cancelled on its own.
// A cancel is never a failure. cancel() is final at once: cancelled() is emitted before it
// returns and nothing later of that job is delivered, even if its worker is stuck in an
// uninterruptible call (a LAPACK solve); that worker finishes in the background. What a job
// posts arrives before its terminal signal.
//
// Policy: Replace starts a new job at once, beside a superseded worker that may still be
// finishing. Serial never runs two workers at once (no oversubscription when a cancelled worker
// is stuck): a new job waits until the previous worker has returned, which the worker posts to
// the GUI thread; only the newest waiting job runs, older ones are superseded unrun.
//
// Threading: the runner lives on the GUI thread and emits every signal there; a Work and its
// JobContext calls run on a worker. Ownership: the runner owns its QThreadPool; a Work owns what
// it captures and must reach its owner's state only through post(). The destructor cancels the
// jobs and waits for the workers to return: no work outlives its owner. Declare a runner after
// the members its posted functions use (members are destroyed in reverse order).

#include "ui/jobs/joberror.h"

#include <QObject>
#include <QThreadPool>

#include <atomic>
#include <functional>
#include <memory>

namespace ws::ui {

class JobRunner;

// What a Work gets on its worker thread. Cheap to copy; valid while the Work runs.
class JobContext
{
public:
    quint64 generation() const;
    // For core calls: set once the job is cancelled or superseded.
    const std::atomic<bool>* cancelFlag() const;
    bool cancelled() const;
    // Progress: `fraction` in [0, 1], optionally `done` of `total` counted steps (samples, grid
    // points; -1 when not counted). Throttled to one per kProgressIntervalMs; the first and the
    // last (fraction >= 1) always go through. Callable from any thread, concurrently.
    void progress(double fraction, int done = -1, int total = -1) const;
    // Runs `f` on the GUI thread if the job is still current then. False when dropped at once
    // (the job is cancelled or superseded). `f` may use the owner's state; it runs before the
    // job's terminal signal.
    bool post(std::function<void()> f) const;

    static constexpr int kProgressIntervalMs = 200;

private:
    friend class JobRunner;
    struct Job;
    explicit JobContext(std::shared_ptr<Job> job) : m_job(std::move(job)) {}
    std::shared_ptr<Job> m_job;
};

class JobRunner : public QObject
{
    Q_OBJECT
public:
    enum class Policy {
        Replace, // a new job starts at once
        Serial,  // a new job waits for the previous worker to return
    };
    // Runs on a worker. Throw to fail (jobError() names the outcome); returning after the
    // cancel flag was set reports nothing (the job was already cancelled or superseded).
    using Work = std::function<void(const JobContext&)>;

    explicit JobRunner(Policy policy = Policy::Replace, QObject* parent = nullptr);
    ~JobRunner() override; // cancels every job and waits for the workers to return

    // Supersedes the current job and starts `work` (now, or when the previous worker has
    // returned under Serial). Emits started() and returns the new generation.
    quint64 start(Work work);
    // Ends the current job as cancelled (cancelled() emitted before this returns); no-op when
    // it has already ended.
    void cancel();
    // Drops the current job without a terminal signal, as if superseded: for an owner that
    // reports the end itself (the Controller chains two runners).
    void discard();

    Policy policy() const { return m_policy; }
    quint64 generation() const { return m_generation; }
    // The current job has not ended yet (running, or waiting for a worker under Serial).
    bool isRunning() const { return m_running; }
    // Workers that have not returned yet, as the GUI thread knows it (a cancelled worker stuck
    // in a LAPACK call counts until it returns).
    int busyWorkers() const { return m_busy; }

signals:
    void started(quint64 generation);
    void progress(quint64 generation, double fraction, int done, int total);
    void finished(quint64 generation);
    void failed(quint64 generation, const ws::ui::JobError& error);
    void cancelled(quint64 generation);
    // The last busy worker has returned: busyWorkers() == 0 and nothing of older jobs is left
    // in the event queue.
    void workersIdle();

protected:
    bool event(QEvent* e) override; // runs what workers posted

private:
    friend class JobContext;
    using Job = JobContext::Job;
    enum class Outcome { Finished, Failed, Cancelled, Dropped };
    class Worker;

    void launch(const std::shared_ptr<Job>& job);
    void onReturned(const std::shared_ptr<Job>& job, Outcome outcome, const JobError& error);
    bool isCurrent(const std::shared_ptr<Job>& job) const { return m_running && job == m_current; }

    const Policy m_policy;
    quint64 m_generation = 0;
    std::shared_ptr<Job> m_current; // the job of m_generation
    std::shared_ptr<Job> m_waiting; // Serial: the current job, until the busy worker returns
    bool m_running = false;
    int m_busy = 0;
    QThreadPool m_pool;
};

} // namespace ws::ui
