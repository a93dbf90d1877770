#include "ui/jobs/jobrunner.h"

#include <QCoreApplication>
#include <QEvent>
#include <QPointer>
#include <QRunnable>
#include <QThread>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <chrono>
#include <limits>
#include <mutex>
#include <utility>

namespace ws::ui {

struct JobContext::Job
{
    quint64 generation = 0;
    JobRunner::Work work; // moved out by the worker; destroyed unrun if superseded while waiting
    std::atomic<bool> cancel{false};
    std::atomic<qint64> lastProgressMs{std::numeric_limits<qint64>::min() / 2};
    JobRunner* runner = nullptr; // alive while the worker runs: the destructor waits for it
    QPointer<JobRunner> owner;   // the arrival check on the GUI thread
};

namespace {

qint64 nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// A new thread inherits its creator's vector registers. When the GUI thread's upper AVX halves
// are dirty, so are the pool thread's and the oneTBB workers' it starts, and every legacy-SSE
// instruction next to a VEX one (glibc's log, in the noise draws) pays a transition penalty:
// the noise of a complex N = 4000 sample takes 5x longer, and a cancelled worker 1-5 s instead
// of ~0.2 s to reach its next cancel check. vzeroupper at the start of each job clears that.
#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("avx"))) void zeroUpperAvx()
{
    _mm256_zeroupper();
}
void clearInheritedAvxState()
{
    if (__builtin_cpu_supports("avx"))
        zeroUpperAvx();
}
#else
void clearInheritedAvxState() {}
#endif

// QThreadPool hands a runnable to its thread through Qt's futex-based mutex, which
// ThreadSanitizer cannot see: without an edge it would report the worker's first read of the
// job as a race with its construction. The GUI thread passes this mutex after building the job,
// the worker before reading it (a real edge, and a cheap one: held for no work).
void handoff()
{
    static std::mutex m;
    const std::lock_guard lock(m);
}

// A function posted to the runner's thread. A QEvent rather than a queued invokeMethod: the
// worker lets go of it when posting, while invokeMethod's slot object may be freed by the worker
// after the GUI thread has run it, an order kept inside Qt where TSan cannot see it. The
// handoff() on both sides is the edge for the event's contents.
class PostedCall : public QEvent
{
public:
    explicit PostedCall(std::function<void()> f) : QEvent(type()), m_call(std::move(f)) {}
    static QEvent::Type type()
    {
        static const auto t = static_cast<QEvent::Type>(QEvent::registerEventType());
        return t;
    }
    void run()
    {
        handoff();
        m_call();
    }

private:
    std::function<void()> m_call;
};

void postTo(JobRunner* runner, std::function<void()> f)
{
    auto* e = new PostedCall(std::move(f));
    handoff();
    QCoreApplication::postEvent(runner, e); // takes ownership; deleted with the runner
}

} // namespace

bool JobRunner::event(QEvent* e)
{
    if (e->type() != PostedCall::type())
        return QObject::event(e);
    static_cast<PostedCall*>(e)->run();
    return true;
}

quint64 JobContext::generation() const
{
    return m_job->generation;
}

const std::atomic<bool>* JobContext::cancelFlag() const
{
    return &m_job->cancel;
}

bool JobContext::cancelled() const
{
    return m_job->cancel.load();
}

void JobContext::progress(double fraction, int done, int total) const
{
    const qint64 now = nowMs();
    qint64 last = m_job->lastProgressMs.load();
    if (fraction < 1.0) {
        // Concurrent callers: only the one that moves the time stamp posts.
        if (now - last < kProgressIntervalMs ||
            !m_job->lastProgressMs.compare_exchange_strong(last, now))
            return;
    } else {
        m_job->lastProgressMs.store(now);
    }
    post([runner = m_job->runner, gen = m_job->generation, fraction, done, total] {
        emit runner->progress(gen, fraction, done, total);
    });
}

bool JobContext::post(std::function<void()> f) const
{
    if (m_job->cancel.load())
        return false;
    postTo(m_job->runner, [job = m_job, owner = m_job->owner, f = std::move(f)] {
        const JobRunner* runner = owner.data();
        if (runner && runner->isCurrent(job))
            f();
    });
    return true;
}

// Runs one job on a pool thread and posts its return (always: Serial waits for it).
class JobRunner::Worker : public QRunnable
{
public:
    explicit Worker(std::shared_ptr<Job> job) : m_job(std::move(job)) {}

    void run() override
    {
        clearInheritedAvxState();
        handoff();
        Outcome outcome = Outcome::Dropped;
        JobError error;
        {
            const Work work = std::move(m_job->work);
            if (!m_job->cancel.load()) {
                try {
                    work(JobContext(m_job));
                    outcome = Outcome::Finished;
                } catch (...) {
                    const std::optional<JobError> e = jobError(std::current_exception());
                    outcome = e ? Outcome::Failed : Outcome::Cancelled;
                    if (e)
                        error = *e;
                }
            }
        } // the Work and what it captured are destroyed here, on the worker
        if (m_job->cancel.load())
            outcome = Outcome::Dropped; // cancelled or superseded: already final for the GUI
        postTo(m_job->runner, [job = m_job, owner = m_job->owner, outcome, error] {
            if (JobRunner* runner = owner.data())
                runner->onReturned(job, outcome, error);
        });
    }

private:
    std::shared_ptr<Job> m_job;
};

JobRunner::JobRunner(Policy policy, QObject* parent) : QObject(parent), m_policy(policy)
{
    qRegisterMetaType<ws::ui::JobError>();
    // Serial needs one thread; Replace one per core, so that a new job need not queue behind
    // superseded workers that are still finishing.
    m_pool.setMaxThreadCount(policy == Policy::Serial ? 1
                                                      : std::max(2, QThread::idealThreadCount()));
}

JobRunner::~JobRunner()
{
    if (m_current)
        m_current->cancel = true; // older jobs were flagged when superseded
    m_waiting.reset();
    m_pool.clear(); // superseded jobs that have not begun never will
    m_pool.waitForDone();
    handoff(); // the edge to what the workers posted, which ~QObject now discards unrun
}

quint64 JobRunner::start(Work work)
{
    if (m_current)
        m_current->cancel = true;
    auto job = std::make_shared<Job>();
    job->generation = ++m_generation;
    job->work = std::move(work);
    job->runner = this;
    job->owner = this;
    m_current = job;
    m_running = true;
    if (m_policy == Policy::Serial && m_busy > 0)
        m_waiting = job; // a waiting older job is superseded unrun
    else
        launch(job);
    emit started(job->generation);
    return job->generation;
}

void JobRunner::launch(const std::shared_ptr<Job>& job)
{
    ++m_busy;
    auto* worker = new Worker(job); // the pool deletes it after run()
    handoff();
    m_pool.start(worker);
}

void JobRunner::cancel()
{
    if (!m_running)
        return;
    discard();
    emit cancelled(m_generation);
}

void JobRunner::discard()
{
    if (!m_running)
        return;
    m_current->cancel = true;
    m_running = false;
    m_waiting.reset();
}

void JobRunner::onReturned(const std::shared_ptr<Job>& job, Outcome outcome, const JobError& error)
{
    --m_busy;
    const bool report = outcome != Outcome::Dropped && isCurrent(job);
    if (report)
        m_running = false;
    // Serial: the waiting job (always the current one) now has the cores to itself.
    if (m_waiting && m_busy == 0)
        launch(std::exchange(m_waiting, nullptr));
    if (report) {
        switch (outcome) {
        case Outcome::Finished:
            emit finished(job->generation);
            break;
        case Outcome::Failed:
            emit failed(job->generation, error);
            break;
        case Outcome::Cancelled:
            emit cancelled(job->generation);
            break;
        case Outcome::Dropped:
            break;
        }
    }
    if (m_busy == 0)
        emit workersIdle();
}

} // namespace ws::ui
