#pragma once
// How long a sweep will take, before it runs: a quick timing of one grid point -- the theory and
// one sample, on one thread, of the costliest point (the largest grid value: the largest N or
// rank; theta costs the same everywhere) -- on a JobRunner (Replace: a new estimate supersedes
// the old one; cancel() stops it), scaled to the whole grid by sweepSeconds(). The estimate is
// rough ("about"): it assumes the samples of a point share the threads evenly and that a point's
// cost grows like N^3 on the dense sampler and N^2 on the banded one. Signals on the GUI thread.

#include "ui/jobs/jobrunner.h"

#include "core/sweeps/sweep.h"

#include <QObject>

namespace ws::ui {

struct SweepTiming
{
    double theorySeconds = 0.0; // the theory of the timed point
    double sampleSeconds = 0.0; // one sample of it, on one thread
    double value = 0.0;         // the grid value timed
    int n = 0;                  // its N
    bool dense = true;          // it ran the dense sampler
};

// The whole grid's time from the timing of its largest point, with `threads` threads (>= 1).
// Pure; InputError for a bad grid.
double sweepSeconds(const core::SweepSpec& spec, const SweepTiming& t, int threads);

class SweepEstimator : public QObject
{
    Q_OBJECT
public:
    explicit SweepEstimator(QObject* parent = nullptr);
    ~SweepEstimator() override; // cancels and waits for the worker

    // Times the largest point of `spec` in the background (InputError at once for a bad grid).
    void start(const core::SweepSpec& spec);
    void cancel(); // cancelled() before it returns, if an estimate was running
    bool isRunning() const { return m_jobs.isRunning(); }
    const JobRunner* jobs() const { return &m_jobs; }

signals:
    // The estimate for the spec given to start(), and the timing it comes from.
    void estimated(double seconds, const ws::ui::SweepTiming& timing);
    void failed(const QString& message);
    void cancelled();

private:
    JobRunner m_jobs{JobRunner::Policy::Replace};
};

} // namespace ws::ui

Q_DECLARE_METATYPE(ws::ui::SweepTiming)
