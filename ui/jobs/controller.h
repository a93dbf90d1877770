#pragma once
// Owns the running job. Each accepted parameter change bumps the generation, sets the old
// job's cancel flag and starts a new worker thread that first computes the theory (posted at
// once) and then samples; the worker posts snapshots at most every refreshInterval. Results of
// any generation but the current one are dropped here, so views only ever see current frames.
// Restarts are throttled (leading edge + trailing edge) so a slider drag costs at most one
// restart per throttleInterval. All signals are emitted on the GUI thread.

#include "ui/jobs/frames.h"

#include "core/io/session.h"

#include <QObject>
#include <QTimer>

#include <cstdint>
#include <memory>
#include <vector>

class QThread;

namespace ws::ui {

struct Job; // defined in controller.cpp

class Controller : public QObject
{
    Q_OBJECT
public:
    explicit Controller(QObject* parent = nullptr);
    ~Controller() override; // cancels every job and waits for the worker threads

    // Asks for a run with these parameters (throttled). Identical parameters are ignored
    // unless a previous run with them was cancelled or failed.
    void request(const core::Session& s);
    // Starts a run with these parameters now, whatever runs.
    void restart(const core::Session& s);
    // Cancels the current run; its results so far stay on screen. The run is final at once
    // (last samplesUpdated + finished emitted before this returns; later samples are dropped);
    // a worker inside an uninterruptible LAPACK call finishes it in the background and the next
    // run waits for it (see samplingSlot in controller.cpp).
    void cancel();

    std::uint64_t generation() const { return m_generation; }
    bool isRunning() const;
    // A throttled request waiting to start.
    bool hasPending() const { return m_hasPending; }
    std::shared_ptr<const TheoryFrame> theory() const { return m_theory; }
    std::shared_ptr<const SampleFrame> samples() const { return m_samples; }
    // Eigenvalues of the finished samples of the current run (sample index, values ascending).
    // On the banded fast path (extremesOnly()) only the located extremes: the eigenvalues
    // beyond the widened main bulk and the largest and smallest one of each sample.
    std::vector<std::pair<int, std::vector<double>>> eigenvalues() const;
    // The same entries' ranks among all N eigenvalues of their sample (0 = smallest): 0..N-1
    // for a full run, the located ranks on the fast path.
    std::vector<std::pair<int, std::vector<std::int64_t>>> eigenvalueRanks() const;
    bool extremesOnly() const;
    // Live worker threads (old cancelled ones may still be finishing a sample).
    int liveThreads() const { return static_cast<int>(m_threads.size()); }

    void setThrottleInterval(int ms) { m_throttle.setInterval(ms); }
    void setRefreshInterval(int ms) { m_refreshMs = ms; }

signals:
    void started(quint64 generation);
    void theoryReady(quint64 generation);
    void samplesUpdated(quint64 generation); // samples() holds the new snapshot
    void finished(quint64 generation);       // after the final samplesUpdated
    void failed(quint64 generation, const QString& message);

private:
    void startPending();
    void start(const core::Session& s);
    void onTheory(const std::shared_ptr<Job>& job, std::shared_ptr<const TheoryFrame> frame);
    void onSnapshot(const std::shared_ptr<Job>& job);
    void onDone(const std::shared_ptr<Job>& job);
    void finalize(const std::shared_ptr<Job>& job); // last snapshot + finished()
    void onFailed(const std::shared_ptr<Job>& job, const QString& message);
    void reap(QThread* thread);

    QTimer m_throttle;
    int m_refreshMs = 100;
    std::uint64_t m_generation = 0;
    std::shared_ptr<Job> m_job;
    bool m_hasPending = false;
    core::Session m_pending;
    std::shared_ptr<const TheoryFrame> m_theory;
    std::shared_ptr<const SampleFrame> m_samples;
    std::vector<QThread*> m_threads;
};

} // namespace ws::ui
