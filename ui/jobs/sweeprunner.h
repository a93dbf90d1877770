#pragma once
// Runs a core sweep (core/sweeps/sweep.h) for a view on a JobRunner (jobrunner.h, Serial: a new
// sweep waits for a cancelled one's worker to return): the GUI thread never blocks. Each start()
// supersedes the previous sweep, whose results are dropped, so the view only ever sees its
// current sweep. Progress arrives a few times a second, every completed grid point as it is
// done. A sweep ends in exactly one of finished(false), finished(true) (cancelled; final at
// once, the points done so far are kept) or failed(). All signals are emitted on the GUI thread.

#include "ui/jobs/jobrunner.h"
#include "ui/jobs/sweeptheory.h"

#include "core/sweeps/sweep.h"
#include "core/theory/theory.h"

#include <QObject>

#include <chrono>
#include <vector>

namespace ws::ui {

class SweepRunner : public QObject
{
    Q_OBJECT
public:
    explicit SweepRunner(QObject* parent = nullptr);
    ~SweepRunner() override; // cancels the sweep and waits for its worker

    // Validates the grid (core::InputError) on the calling thread, then starts the sweep.
    void start(const core::SweepSpec& spec, bool withCurves);
    void cancel(); // final at once: finished(true) before it returns
    bool isRunning() const { return m_jobs.isRunning(); }
    const core::SweepResult& result() const { return m_result; }
    const SweepCurves& curves() const { return m_curves; }
    const core::SweepSpec& spec() const { return m_spec; }
    double fraction() const { return m_fraction; }
    // The runner underneath (busy workers, workersIdle()).
    const JobRunner* jobs() const { return &m_jobs; }

signals:
    void started();
    void progress(double fraction, int point, int points);
    void curvesReady();
    void pointReady(int index);
    void finished(bool cancelled);
    void failed(const QString& message);

private:
    core::SweepSpec m_spec;
    core::SweepResult m_result;
    SweepCurves m_curves;
    double m_fraction = 0.0;
    std::chrono::steady_clock::time_point m_start;
    JobRunner m_jobs{JobRunner::Policy::Serial}; // last: its worker goes before the state above
};

} // namespace ws::ui
