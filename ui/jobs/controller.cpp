#include "ui/jobs/controller.h"

#include "ui/jobs/samplingjob.h"

#include "core/model/families.h"

#include <algorithm>
#include <functional>

namespace ws::ui {

namespace {

bool sameRun(const core::Session& a, const core::Session& b)
{
    return a.model == b.model && a.samples == b.samples && a.seed == b.seed;
}

template <class T>
std::vector<std::pair<int, std::vector<T>>>
bySampleIndex(const std::shared_ptr<const SampleFrame>& frame,
              const std::function<std::vector<T>(const SampleEigenvalues&)>& pick)
{
    std::vector<std::pair<int, std::vector<T>>> out;
    if (!frame)
        return out;
    out.reserve(frame->eigenvalues.size());
    for (const auto& s : frame->eigenvalues)
        out.emplace_back(s->index, pick(*s));
    std::sort(out.begin(), out.end(),
              [](const auto& x, const auto& y) { return x.first < y.first; });
    return out;
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
    // The lanes' jobs always belong to the current run (a new run discards them), so their
    // outcomes are the run's.
    for (JobRunner* lane : {&m_theoryLane, &m_samplingLane}) {
        connect(lane, &JobRunner::failed, this, [this](quint64, const JobError& e) {
            const quint64 gen = m_generation;
            m_samplingLane.discard();
            end();
            emit failed(gen, e);
        });
        // Only a Work throwing core::Cancelled gets here (the lanes are never cancelled).
        connect(lane, &JobRunner::cancelled, this, &Controller::cancel);
        connect(lane, &JobRunner::workersIdle, this, [this] {
            if (!workersBusy())
                emit workersIdle();
        });
    }
    connect(&m_samplingLane, &JobRunner::finished, this, [this] {
        m_lastFailed = false;
        m_running = false;
        emit finished(m_generation);
    });
}

Controller::~Controller() = default;

bool Controller::workersBusy() const
{
    return m_theoryLane.busyWorkers() > 0 || m_samplingLane.busyWorkers() > 0;
}

std::vector<std::pair<int, std::vector<double>>> Controller::eigenvalues() const
{
    return bySampleIndex<double>(m_samples, [](const SampleEigenvalues& s) { return s.values; });
}

std::vector<std::pair<int, std::vector<std::int64_t>>> Controller::eigenvalueRanks() const
{
    return bySampleIndex<std::int64_t>(m_samples, [](const SampleEigenvalues& s) {
        if (!s.ranks.empty())
            return s.ranks;
        std::vector<std::int64_t> r(s.values.size());
        for (std::size_t j = 0; j < r.size(); ++j)
            r[j] = static_cast<std::int64_t>(j);
        return r;
    });
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
    if (m_generation == 0 || !sameRun(m_session, m_pending) || m_lastFailed)
        start(m_pending);
    emit requestHandled();
}

void Controller::restart(const core::Session& s)
{
    m_hasPending = false;
    start(s);
}

void Controller::cancel()
{
    if (!m_running)
        return;
    m_theoryLane.discard();
    m_samplingLane.discard();
    // Final now: what has arrived so far is the result.
    if (m_samples && m_samples->generation == m_generation) {
        auto f = std::make_shared<SampleFrame>(*m_samples);
        f->finished = f->cancelled = true;
        if (f->done > 0)
            f->elapsedSeconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - m_samplingStart)
                    .count();
        m_samples = std::move(f);
        emit samplesUpdated(m_generation);
    }
    end();
    emit cancelled(m_generation);
}

void Controller::end()
{
    m_running = false;
    m_lastFailed = true; // a request with the same parameters runs again
}

void Controller::start(const core::Session& s)
{
    const std::uint64_t gen = m_generation + 1;
    try {
        core::validate(s.model);
        if (s.samples < 1)
            throw core::InputError("samples: must be at least 1");
    } catch (...) {
        // Invalid parameters never replace the last good run.
        emit failed(gen, jobError(std::current_exception()).value_or(JobError{}));
        return;
    }
    m_generation = gen;
    m_session = s;
    m_running = true;
    m_lastFailed = false;
    // The previous run's samples stop now (the next sampling job waits for that worker); the
    // theory lane's start supersedes its theory.
    m_samplingLane.discard();
    // Everything the run computes, the empty histogram included, is made on the worker, inside
    // the job's error boundary: a model at the edge of double (a spike of 1.7e308) ends as a
    // failed run with its reason, never as an exception on the GUI thread.
    m_theoryLane.start([this, s, gen](const JobContext& ctx) {
        auto frame = std::make_shared<const TheoryFrame>(makeTheoryFrame(s, gen));
        auto empty = emptySampleFrame(*frame);
        ctx.post([this, frame, empty] { onTheory(frame, empty); });
    });
    emit started(gen);
}

void Controller::onTheory(std::shared_ptr<const TheoryFrame> frame,
                          std::shared_ptr<const SampleFrame> empty)
{
    m_theory = frame;
    m_samples = std::move(empty);
    m_samplingStart = std::chrono::steady_clock::now();
    m_samplingLane.start(samplingJob(
        frame, [this](std::shared_ptr<const SampleFrame> f) { onFrame(std::move(f)); }));
    emit theoryReady(frame->generation);
}

void Controller::onFrame(std::shared_ptr<const SampleFrame> frame)
{
    m_samples = std::move(frame);
    emit samplesUpdated(m_samples->generation);
}

} // namespace ws::ui
