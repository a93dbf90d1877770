#pragma once
// Runs a core sweep (core/sweeps/sweep.h) for a view on a JobRunner (jobrunner.h, Serial: a new
// sweep waits for a cancelled one's worker to return): the GUI thread never blocks. Each start()
// supersedes the previous sweep, whose results are dropped, so the view only ever sees its
// current sweep. Progress arrives a few times a second, every completed grid point as it is
// done. A sweep ends in exactly one of finished(false), finished(true) (cancelled; final at
// once, the points done so far are kept) or failed(). All signals are emitted on the GUI thread.

#include "ui/jobs/jobrunner.h"

#include "core/sweeps/sweep.h"
#include "core/theory/theory.h"

#include <QObject>

#include <chrono>
#include <vector>

namespace ws::ui {

// Prediction curves on a fine grid of the swept theta (formulas of predictOutliers for the
// strongest spike), drawn behind the sampled grid points.
struct SweepCurves
{
    std::vector<double> x;                           // theta
    std::vector<double> finite, large;               // outlier positions (NaN where none)
    std::vector<double> overlapFinite, overlapLarge; // squared overlaps (NaN where none)
    // From computeTheory at each theta (docs/model.md#fluctuations): the strongest spike's
    // predicted sd over samples (NaN where it has none: absorbed, sharing a cluster, heavy tails,
    // or basis eigenvectors with non-Gaussian noise, where a Gaussian band would not be honest),
    // and, where it has no outlier, the upper edge E of the top bulk interval with the
    // Tracy-Widom band of the top eigenvalue there, E + gamma N^(-2/3) (mean_TW -+ sd_TW)
    // (NaN where the edge is not in the Tracy-Widom regime, or where the spike has an outlier).
    std::vector<double> largeSd;
    std::vector<double> edge, edgeBandLo, edgeBandHi;
    bool heavyTails = false, nonGaussian = false; // the theory's flags (the same at every theta)
};

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
