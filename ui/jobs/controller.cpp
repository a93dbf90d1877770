#include "ui/jobs/controller.h"

#include "core/sampling/banded/banded.h"
#include "core/model/families.h"
#include "core/sampling/runner.h"

#include <QMetaObject>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <thread>

namespace ws::ui {

using Clock = std::chrono::steady_clock;

struct Job
{
    std::uint64_t generation = 0;
    core::Session session;
    std::atomic<bool> cancel{false};
    std::atomic<bool> done{false};
    bool userCancelled = false, failed = false; // GUI thread only
    // Set (under `mutex`) when the user cancels: the job is final for the GUI at once and
    // samples that finish afterwards are dropped; the worker may still be inside a LAPACK call
    // that cannot be interrupted and exits when it returns (the next job waits for the slot).
    bool stopped = false;
    bool finalized = false; // GUI thread only: finished() was emitted

    std::mutex mutex; // guards everything below
    std::shared_ptr<const TheoryFrame> theory;
    core::Histogram histogram;
    std::vector<std::vector<double>> values;
    std::vector<std::vector<std::int64_t>> ranks; // fast path: rank of each value among all N
    std::vector<int> index;
    bool extremesOnly = false;
    int completed = 0;
    std::string sampler;
    Clock::time_point start, end, lastPost;
    bool postPending = false;
    bool finished = false, cancelled = false;
};

namespace {

bool sameRun(const core::Session& a, const core::Session& b)
{
    return a.model == b.model && a.samples == b.samples && a.seed == b.seed;
}

// One runSamples at a time: a cancelled job may still be inside a LAPACK call that cannot be
// interrupted; the next job waits for it instead of oversubscribing the cores.
std::mutex& samplingSlot()
{
    static std::mutex slot;
    return slot;
}

// Likewise one theory computation at a time: during a drag, superseded jobs waiting here give
// up instead of piling up uncancellable computeTheory calls on the cores.
std::mutex& theorySlot()
{
    static std::mutex slot;
    return slot;
}

// Waits for `slot` until it is free or the job is cancelled; true if locked. Polls try_lock
// rather than timed_mutex::try_lock_for: glibc implements that with pthread_mutex_clocklock,
// which GCC 12's ThreadSanitizer does not intercept, so it reported every unlock as an unlock
// of an unlocked mutex and could not check what the slots protect.
bool acquire(std::unique_lock<std::mutex>& lock, const std::atomic<bool>& cancel)
{
    while (!cancel) {
        if (lock.try_lock())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return false;
}

// The histogram range comes from the theory; when the theory is off (heavy tails), the first
// sample decides a wider range once, with the same bin width, capped at three times the
// theory's range on each side. Later samples never move it (values outside are counted).
void widenForFirstSample(core::Histogram& h, const std::vector<double>& values)
{
    if (values.empty() || h.edges.size() < 2)
        return;
    const auto [mn, mx] = std::minmax_element(values.begin(), values.end());
    const double lo = h.edges.front(), hi = h.edges.back();
    if (*mn >= lo && *mx <= hi)
        return;
    const double span = hi - lo, width = span / static_cast<double>(h.counts.size());
    const double margin = 0.03 * span;
    const double newLo = std::max(std::min(lo, *mn - margin), lo - 3.0 * span);
    const double newHi = std::min(std::max(hi, *mx + margin), hi + 3.0 * span);
    const int bins = static_cast<int>(std::clamp(std::ceil((newHi - newLo) / width), 1.0, 4000.0));
    h = core::makeHistogram(newLo, newHi, bins);
}

} // namespace

Controller::Controller(QObject* parent) : QObject(parent)
{
    m_throttle.setSingleShot(true);
    m_throttle.setInterval(50);
    connect(&m_throttle, &QTimer::timeout, this, [this] {
        if (m_hasPending) {
            startPending();
            m_throttle.start();
        }
    });
}

Controller::~Controller()
{
    if (m_job)
        m_job->cancel = true;
    for (QThread* t : m_threads) {
        t->wait();
        delete t;
    }
}

bool Controller::isRunning() const
{
    return m_job && !m_job->done.load() && !m_job->userCancelled;
}

std::vector<std::pair<int, std::vector<double>>> Controller::eigenvalues() const
{
    std::vector<std::pair<int, std::vector<double>>> out;
    if (!m_job)
        return out;
    std::lock_guard lock(m_job->mutex);
    out.reserve(m_job->values.size());
    for (std::size_t i = 0; i < m_job->values.size(); ++i)
        out.emplace_back(m_job->index[i], m_job->values[i]);
    std::sort(out.begin(), out.end(),
              [](const auto& x, const auto& y) { return x.first < y.first; });
    return out;
}

std::vector<std::pair<int, std::vector<std::int64_t>>> Controller::eigenvalueRanks() const
{
    std::vector<std::pair<int, std::vector<std::int64_t>>> out;
    if (!m_job)
        return out;
    std::lock_guard lock(m_job->mutex);
    for (std::size_t i = 0; i < m_job->values.size(); ++i) {
        std::vector<std::int64_t> r;
        if (i < m_job->ranks.size())
            r = m_job->ranks[i];
        else
            for (std::size_t j = 0; j < m_job->values[i].size(); ++j)
                r.push_back(static_cast<std::int64_t>(j));
        out.emplace_back(m_job->index[i], std::move(r));
    }
    std::sort(out.begin(), out.end(),
              [](const auto& x, const auto& y) { return x.first < y.first; });
    return out;
}

bool Controller::extremesOnly() const
{
    if (!m_job)
        return false;
    std::lock_guard lock(m_job->mutex);
    return m_job->extremesOnly;
}

void Controller::request(const core::Session& s)
{
    m_pending = s;
    m_hasPending = true;
    if (!m_throttle.isActive()) {
        startPending();
        m_throttle.start();
    }
}

void Controller::startPending()
{
    m_hasPending = false;
    if (m_job && sameRun(m_job->session, m_pending) && !m_job->userCancelled && !m_job->failed)
        return;
    start(m_pending);
}

void Controller::restart(const core::Session& s)
{
    m_hasPending = false;
    start(s);
}

void Controller::cancel()
{
    if (!m_job || m_job->done || m_job->userCancelled)
        return;
    m_job->userCancelled = true;
    m_job->cancel = true;
    // Final for the GUI now: what has arrived so far is the result.
    {
        std::lock_guard lock(m_job->mutex);
        m_job->stopped = true;
        m_job->finished = m_job->cancelled = true;
        m_job->end = Clock::now();
    }
    finalize(m_job);
}

void Controller::start(const core::Session& s)
{
    const std::uint64_t gen = m_generation + 1;
    try {
        core::validate(s.model);
        if (s.samples < 1)
            throw core::InputError("samples: must be at least 1");
    } catch (const std::exception& e) {
        // Invalid parameters never replace the last good run.
        emit failed(gen, QString::fromStdString(e.what()));
        return;
    }
    if (m_job)
        m_job->cancel = true;
    m_generation = gen;
    auto job = std::make_shared<Job>();
    job->generation = gen;
    job->session = s;
    m_job = job;
    emit started(gen);

    const int refreshMs = m_refreshMs;
    QThread* thread = QThread::create([this, job, refreshMs] {
        std::shared_ptr<const TheoryFrame> frame;
        try {
            std::unique_lock theoryLock(theorySlot(), std::defer_lock);
            if (!acquire(theoryLock, job->cancel)) {
                job->done = true; // cancelled before its theory started: nothing to show
                QMetaObject::invokeMethod(
                    this, [this, job] { onDone(job); }, Qt::QueuedConnection);
                return;
            }
            frame =
                std::make_shared<const TheoryFrame>(makeTheoryFrame(job->session, job->generation));
        } catch (const std::exception& e) {
            const QString msg = QString::fromStdString(e.what());
            job->done = true;
            QMetaObject::invokeMethod(
                this, [this, job, msg] { onFailed(job, msg); }, Qt::QueuedConnection);
            return;
        }
        {
            std::lock_guard lock(job->mutex);
            job->theory = frame;
            job->histogram = core::makeHistogram(frame->histLo, frame->histHi, frame->bins);
            job->sampler = frame->predictedSampler;
        }
        QMetaObject::invokeMethod(
            this, [this, job, frame] { onTheory(job, frame); }, Qt::QueuedConnection);

        std::unique_lock slot(samplingSlot(), std::defer_lock);
        if (!acquire(slot, job->cancel)) {
            std::lock_guard lock(job->mutex);
            job->finished = job->cancelled = true;
            job->done = true;
            QMetaObject::invokeMethod(
                this, [this, job] { onDone(job); }, Qt::QueuedConnection);
            return;
        }
        {
            std::lock_guard lock(job->mutex);
            job->start = Clock::now();
        }
        core::RunOptions opt;
        opt.samples = job->session.samples;
        opt.seed = job->session.seed;
        // Called (serialized) with each finished sample; posts a snapshot at most every
        // refreshMs (and at once for the first sample).
        auto added = [job, refreshMs] {
            ++job->completed;
            const auto now = Clock::now();
            if (job->postPending ||
                (job->completed != 1 && now - job->lastPost < std::chrono::milliseconds(refreshMs)))
                return false;
            job->postPending = true;
            job->lastPost = now;
            return true;
        };
        auto post = [this, job] {
            QMetaObject::invokeMethod(
                this, [this, job] { onSnapshot(job); }, Qt::QueuedConnection);
        };
        auto onSample = [job, added, post](int k, const std::vector<double>& ev) {
            bool due = false;
            {
                std::lock_guard lock(job->mutex);
                if (job->stopped)
                    return;
                if (job->completed == 0)
                    widenForFirstSample(job->histogram, ev);
                job->histogram.add(ev);
                job->values.push_back(ev);
                job->index.push_back(k);
                due = added();
            }
            if (due)
                post();
        };
        // Fast path: counts per bin from inertia counts, and the eigenvalues beyond the widened
        // main bulk (the outliers) plus the top and bottom one located by bisection.
        auto onSpectrum = [job, added, post](int k, const core::BandedSpectrum& sp) {
            std::vector<std::pair<std::int64_t, double>> located;
            for (std::size_t j = 0; j < sp.bottom.size(); ++j)
                located.emplace_back(static_cast<std::int64_t>(j), sp.bottom[j]);
            for (std::size_t j = 0; j < sp.top.size(); ++j)
                located.emplace_back(
                    static_cast<std::int64_t>(sp.n) - 1 - static_cast<std::int64_t>(j), sp.top[j]);
            std::sort(located.begin(), located.end());
            located.erase(
                std::unique(located.begin(), located.end(),
                            [](const auto& a, const auto& b) { return a.first == b.first; }),
                located.end());
            std::vector<double> values;
            std::vector<std::int64_t> ranks;
            for (const auto& [rank, v] : located) {
                ranks.push_back(rank);
                values.push_back(v);
            }
            bool due = false;
            {
                std::lock_guard lock(job->mutex);
                if (job->stopped)
                    return;
                core::accumulate(sp, job->histogram);
                job->values.push_back(std::move(values));
                job->ranks.push_back(std::move(ranks));
                job->index.push_back(k);
                due = added();
            }
            if (due)
                post();
        };
        try {
            const core::Model& m = job->session.model;
            std::string sampler;
            bool cancelled = false;
            if (frame->plan == SamplerPlan::BandedCounts) {
                const double widen = core::outlierWindow(m.sigma, m.n);
                core::BandedSpectrumRequest req;
                {
                    std::lock_guard lock(job->mutex);
                    req.edges = job->histogram.edges;
                    job->extremesOnly = true;
                }
                req.topCount = 1;
                req.bottomCount = 1;
                req.above = frame->theory.mainBulkHi + widen;
                req.below = frame->theory.mainBulkLo - widen;
                const core::BandedRunResult res =
                    core::runBandedSpectra(m, opt, req, &job->cancel, {}, onSpectrum);
                sampler = samplerLabel(SamplerPlan::BandedCounts);
                cancelled = res.cancelled;
            } else {
                const core::RunResult res = core::runSamples(m, opt, &job->cancel, {}, onSample);
                sampler = core::toString(res.sampler);
                cancelled = res.cancelled;
            }
            std::lock_guard lock(job->mutex);
            if (!sampler.empty())
                job->sampler = sampler;
            if (!job->stopped) {
                job->cancelled = cancelled || job->cancel;
                job->finished = true;
                job->end = Clock::now();
            }
        } catch (const std::exception& e) {
            const QString msg = QString::fromStdString(e.what());
            job->done = true;
            QMetaObject::invokeMethod(
                this, [this, job, msg] { onFailed(job, msg); }, Qt::QueuedConnection);
            return;
        }
        job->done = true;
        QMetaObject::invokeMethod(
            this, [this, job] { onDone(job); }, Qt::QueuedConnection);
    });
    m_threads.push_back(thread);
    connect(thread, &QThread::finished, this, [this, thread] { reap(thread); });
    thread->start();
}

void Controller::reap(QThread* thread)
{
    auto it = std::find(m_threads.begin(), m_threads.end(), thread);
    if (it == m_threads.end())
        return;
    m_threads.erase(it);
    thread->wait();
    delete thread;
}

void Controller::onTheory(const std::shared_ptr<Job>& job, std::shared_ptr<const TheoryFrame> frame)
{
    if (job != m_job)
        return; // stale
    m_theory = std::move(frame);
    auto empty = std::make_shared<SampleFrame>();
    empty->generation = job->generation;
    empty->total = job->session.samples;
    {
        std::lock_guard lock(job->mutex);
        empty->histogram = job->histogram;
        empty->sampler = job->sampler;
        empty->extremesOnly = m_theory->plan == SamplerPlan::BandedCounts;
    }
    empty->observed.resize(m_theory->theory.outliers.size());
    m_samples = std::move(empty);
    emit theoryReady(job->generation);
}

void Controller::onSnapshot(const std::shared_ptr<Job>& job)
{
    if (job != m_job || job->finalized || !m_theory || m_theory->generation != job->generation)
        return;
    auto f = std::make_shared<SampleFrame>();
    f->generation = job->generation;
    f->total = job->session.samples;
    {
        std::lock_guard lock(job->mutex);
        job->postPending = false;
        f->histogram = job->histogram;
        f->done = job->completed;
        f->sampler = job->sampler;
        f->finished = job->finished;
        f->cancelled = job->cancelled;
        f->extremesOnly = job->extremesOnly;
        if (job->completed > 0)
            f->elapsedSeconds = std::chrono::duration<double>(
                                    (job->finished ? job->end : Clock::now()) - job->start)
                                    .count();
        const core::Model& m = job->session.model;
        f->observed = core::observeOutliers(m_theory->theory, m.sigma, m.n, job->values);
        f->meanOutlierCount =
            job->values.empty()
                ? 0.0
                : core::meanOutlierCount(m_theory->theory, m.sigma, m.n, job->values);
    }
    std::uint64_t inside = 0;
    for (auto c : f->histogram.counts)
        inside += c;
    f->outsideHistogram = f->histogram.total - inside;
    m_samples = std::move(f);
    emit samplesUpdated(job->generation);
}

void Controller::onDone(const std::shared_ptr<Job>& job)
{
    if (job != m_job || job->userCancelled)
        return; // stale, or already final (cancel())
    finalize(job);
}

void Controller::finalize(const std::shared_ptr<Job>& job)
{
    if (m_theory && m_theory->generation == job->generation)
        onSnapshot(job);
    job->finalized = true;
    emit finished(job->generation);
}

void Controller::onFailed(const std::shared_ptr<Job>& job, const QString& message)
{
    if (job != m_job || job->userCancelled)
        return;
    job->failed = true;
    emit failed(job->generation, message);
}

} // namespace ws::ui
