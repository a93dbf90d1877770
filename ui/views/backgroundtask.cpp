#include "ui/views/backgroundtask.h"

#include "core/weights/weights_io.h" // core::Cancelled

#include <QMetaObject>

#include <chrono>
#include <new>

namespace ws::ui {

namespace {

long long nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

void TaskContext::progress(double fraction) const
{
    // A few posts a second are enough for a progress bar; the last one always goes through.
    const long long now = nowMs();
    if (fraction < 1.0 && now - m_job->lastProgressMs.load() < 100)
        return;
    m_job->lastProgressMs = now;
    BackgroundTask* owner = m_owner;
    post([owner, fraction] {
        owner->m_fraction = fraction;
        emit owner->progress(fraction);
    });
}

void TaskContext::post(std::function<void()> f) const
{
    // The destructor joins every worker, so m_owner outlives this call; Qt drops queued calls to
    // a destroyed object anyway.
    QMetaObject::invokeMethod(
        m_owner,
        [owner = m_owner, gen = m_gen, f = std::move(f)]() mutable {
            owner->deliver(gen, std::move(f));
        },
        Qt::QueuedConnection);
}

BackgroundTask::BackgroundTask(QObject* parent) : QObject(parent) {}

BackgroundTask::~BackgroundTask()
{
    for (auto& [job, thread] : m_threads)
        job->cancel = true;
    reap(true);
}

void BackgroundTask::deliver(std::uint64_t gen, std::function<void()> f)
{
    if (gen == m_generation && m_running)
        f();
}

int BackgroundTask::busyWorkers() const
{
    int n = 0;
    for (const auto& t : m_threads)
        n += t.first->done.load() ? 0 : 1;
    return n;
}

void BackgroundTask::reap(bool all)
{
    for (auto it = m_threads.begin(); it != m_threads.end();) {
        if (all || it->first->done.load()) {
            if (it->second.joinable())
                it->second.join();
            it = m_threads.erase(it);
        } else {
            ++it;
        }
    }
}

void BackgroundTask::cancel()
{
    if (!m_job)
        return;
    m_job->cancel = true;
    if (!m_running)
        return;
    // Final at once: later posts of this generation are dropped.
    ++m_generation;
    m_running = false;
    reap(false);
    emit finished(true);
}

void BackgroundTask::start(Work work)
{
    if (m_job)
        m_job->cancel = true;
    reap(false);
    const std::uint64_t gen = ++m_generation;
    m_job = std::make_shared<TaskContext::Job>();
    m_fraction = 0.0;
    m_running = true;
    emit started();

    const TaskContext ctx(this, gen, m_job);
    std::thread worker([ctx, work = std::move(work)] {
        try {
            work(ctx);
            const bool cancelled = ctx.cancelled();
            ctx.post([owner = ctx.m_owner, cancelled] {
                owner->m_running = false;
                if (!cancelled)
                    owner->m_fraction = 1.0;
                emit owner->finished(cancelled);
            });
        } catch (const core::Cancelled&) {
            ctx.post([owner = ctx.m_owner] {
                owner->m_running = false;
                emit owner->finished(true);
            });
        } catch (const std::exception& e) {
            // bad_alloc says only "std::bad_alloc": name the cause.
            const QString message = dynamic_cast<const std::bad_alloc*>(&e)
                                        ? QStringLiteral("not enough memory")
                                        : QString::fromStdString(e.what());
            ctx.post([owner = ctx.m_owner, message] {
                owner->m_running = false;
                emit owner->failed(message);
            });
        }
        ctx.m_job->done = true;
    });
    m_threads.emplace_back(m_job, std::move(worker));
}

} // namespace ws::ui
