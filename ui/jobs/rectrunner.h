#pragma once
// Runs the rectangular model (core/rectangular/rectangular.h) for the Rectangular tab on a
// JobRunner (jobrunner.h, Serial: a new run waits for a cancelled one's worker, which may be
// inside an SVD): first the theory (posted at once), then runRectSamples with snapshots of the
// histograms and the observed outliers a few times a second, built on the worker. start()
// validates on the calling thread (core::InputError), then supersedes the previous run; anything
// an older run posts is dropped. A run ends in exactly one of finished(false), finished(true)
// (cancelled, final at once) or failed(). All signals are emitted on the GUI thread.

#include "ui/jobs/jobrunner.h"

#include "core/util/histogram.h"
#include "core/outliers/outliers.h"
#include "core/rectangular/rectangular.h"

#include <QObject>

#include <cstdint>
#include <memory>
#include <vector>

namespace ws::ui {

// Fixed per run: the theory and the histogram ranges of both variables (s and s^2), so the
// view does not jump while samples arrive.
struct RectFrame
{
    std::uint64_t generation = 0;
    core::RectModel model;
    int samples = 1;
    std::uint64_t seed = 1;
    int rank = 1;
    core::RectTheory theory;
    double lo = 0.0, hi = 1.0, loSq = 0.0, hiSq = 1.0; // histogram ranges
    int bins = 60, binsSq = 60;
    double theorySeconds = 0.0;
};

struct RectSnapshot
{
    std::uint64_t generation = 0;
    core::Histogram hist, histSq; // singular values s and s^2 of every finished sample
    int done = 0, total = 0;
    std::vector<core::ObservedOutlier> observed, observedSq; // one per spike (theory order)
    std::vector<core::ObservedInterval> observedIntervals;   // one per support interval (any units)
    // Per sample: observed outliers (values of cluster intervals and unexplained ones) and the
    // unexplained ones (core::observeRectSpectrum).
    double meanOutliers = 0.0, meanUnexplained = 0.0;
    bool finished = false, cancelled = false;
    double seconds = 0.0;
};

class RectRunner : public QObject
{
    Q_OBJECT
public:
    explicit RectRunner(QObject* parent = nullptr);
    ~RectRunner() override; // cancels the run and waits for its worker

    // Throws core::InputError (model, samples) before anything is replaced.
    void start(const core::RectModel& m, int samples, std::uint64_t seed);
    void cancel(); // final at once: finished(true) before it returns
    bool isRunning() const { return m_jobs.isRunning(); }
    std::uint64_t generation() const { return m_jobs.generation(); }
    std::shared_ptr<const RectFrame> frame() const { return m_frame; }
    std::shared_ptr<const RectSnapshot> snapshot() const { return m_snapshot; }
    // The runner underneath (busy workers, workersIdle()).
    const JobRunner* jobs() const { return &m_jobs; }

signals:
    void started();
    void progress(double fraction); // of the samples, a few times a second
    void theoryReady();
    void snapshotReady();
    void finished(bool cancelled);
    void failed(const QString& message);

private:
    std::shared_ptr<const RectFrame> m_frame;
    std::shared_ptr<const RectSnapshot> m_snapshot;
    JobRunner m_jobs{JobRunner::Policy::Serial}; // last: its worker goes before the state above
};

} // namespace ws::ui
