#pragma once
// The main view's runs. Each accepted parameter change is a new generation: the theory is
// computed on the theory lane and shown at once, then the samples on the sampling lane, both
// JobRunners (jobrunner.h) with the Serial policy. A new run cancels the previous one at once;
// its sampling worker may still be inside an uninterruptible LAPACK call, and the new sampling
// job waits for it (no oversubscription), while the new theory does not wait for it.
// The sampling worker builds the SampleFrames itself (samplingjob.h); the GUI thread never waits
// on a worker. Restarts are throttled (leading + trailing edge), so a slider drag costs at most
// one restart per throttle interval.
//
// A run ends in exactly one of finished, failed or cancelled (never both, a cancel is never a
// failure); all signals are emitted on the GUI thread, and carry the run's generation.

#include "ui/jobs/frames.h"
#include "ui/jobs/jobrunner.h"

#include "core/io/session.h"

#include <QObject>
#include <QTimer>

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

namespace ws::ui {

class Controller : public QObject
{
    Q_OBJECT
public:
    explicit Controller(QObject* parent = nullptr);
    ~Controller() override; // cancels the run and waits for its workers

    // Asks for a run with these parameters (throttled). Identical parameters are ignored
    // unless the previous run with them was cancelled or failed.
    void request(const core::Session& s);
    // Starts a run with these parameters now, whatever runs. Invalid parameters never replace
    // the last good run: failed() is emitted before this returns, with the next generation.
    void restart(const core::Session& s);
    // Cancels the current run; the samples shown so far stay. Final at once: the last frame,
    // marked cancelled, and cancelled() are emitted before this returns; later samples are
    // dropped, and a worker inside LAPACK finishes in the background.
    void cancel();

    std::uint64_t generation() const { return m_generation; }
    // The current run has not ended.
    bool isRunning() const { return m_running; }
    // A throttled request waiting to start.
    bool hasPending() const { return m_hasPending; }
    std::shared_ptr<const TheoryFrame> theory() const { return m_theory; }
    std::shared_ptr<const SampleFrame> samples() const { return m_samples; }
    // Eigenvalues of the finished samples of the frame shown (sample index, values ascending),
    // by sample index. On the banded fast path (extremesOnly()) only the located extremes: the
    // eigenvalues beyond the bulk's claim and the largest and smallest one of each sample.
    std::vector<std::pair<int, std::vector<double>>> eigenvalues() const;
    // The same entries' ranks among all N eigenvalues of their sample (0 = smallest): 0..N-1
    // for a full run, the located ranks on the fast path.
    std::vector<std::pair<int, std::vector<std::int64_t>>> eigenvalueRanks() const;
    bool extremesOnly() const { return m_samples && m_samples->extremesOnly; }
    // Workers of either lane that have not returned yet (cancelled ones finishing a LAPACK
    // call included); workersIdle() is emitted when this drops to zero.
    bool workersBusy() const;

    void setThrottleInterval(int ms) { m_throttle.setInterval(ms); }

signals:
    void started(quint64 generation);
    void theoryReady(quint64 generation);    // theory() holds it, samples() an empty frame
    void samplesUpdated(quint64 generation); // samples() holds the new frame
    void finished(quint64 generation);       // after the final samplesUpdated
    void failed(quint64 generation, const ws::ui::JobError& error);
    void cancelled(quint64 generation); // after the final samplesUpdated (if samples had begun)
    // A request() was acted on: a run started, or identical parameters were ignored (at once,
    // or at the throttle's trailing edge); hasPending() is false now.
    void requestHandled();
    void workersIdle(); // workersBusy() has dropped to false

private:
    void startPending();
    void start(const core::Session& s);
    void onTheory(std::shared_ptr<const TheoryFrame> frame,
                  std::shared_ptr<const SampleFrame> empty);
    void onFrame(std::shared_ptr<const SampleFrame> frame);
    void end(); // the run failed or was cancelled

    QTimer m_throttle;
    std::uint64_t m_generation = 0;
    bool m_running = false;
    bool m_lastFailed = false; // the run of m_session failed or was cancelled: may run again
    core::Session m_session;   // what the current (or last) run computes
    bool m_hasPending = false;
    core::Session m_pending;
    std::shared_ptr<const TheoryFrame> m_theory;
    std::shared_ptr<const SampleFrame> m_samples;
    std::chrono::steady_clock::time_point m_samplingStart;
    // Last: destroyed first, so their workers are gone before the state they post to.
    JobRunner m_theoryLane{JobRunner::Policy::Serial};
    JobRunner m_samplingLane{JobRunner::Policy::Serial};
};

} // namespace ws::ui
