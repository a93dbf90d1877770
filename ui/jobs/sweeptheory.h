#pragma once
// The theory of a sweep's grid without sampling it, so that a sweep tab draws its predictions
// before any run: the curves on a fine grid of the swept theta (SweepCurves, also drawn after a
// run by SweepRunner) and, at every grid point, the point's theory as runSweepPoint computes it.
// On a JobRunner (Serial: a new grid waits for the superseded worker, which stops at its next
// grid point): start() supersedes the previous job, whose result is dropped (generation), so
// ready() only ever brings the theory of the last spec started. Signals on the GUI thread.

#include "ui/jobs/jobrunner.h"

#include "core/sweeps/sweep.h"
#include "core/theory/theory.h"

#include <QObject>

#include <atomic>
#include <vector>

namespace ws::ui {

// Prediction curves on a fine grid of the swept theta (formulas of predictOutliers for the
// strongest spike), drawn behind the sampled grid points.
struct SweepCurves
{
    std::vector<double> x;             // theta
    std::vector<double> finite, large; // outlier positions (NaN where none)
    // Squared overlaps, in [0, 1]: NaN where none, and where the per-spike formula 1 - sigma^2 D
    // leaves [0, 1] (close spikes: no outlier of the spike's own).
    std::vector<double> overlapFinite, overlapLarge;
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

// The curves of `spec` (a theta sweep) on 240 points from `from` to `to`; stops early, with
// fewer points, once `cancel` is set.
SweepCurves sweepCurves(const core::SweepSpec& spec, const std::atomic<bool>& cancel);

// The theory of one grid point: what a sampled core::SweepPoint carries besides its samples.
struct GridTheory
{
    double value = 0.0;
    int n = 0;
    std::vector<core::OutlierPrediction> predictions; // computeTheory(model, 800).outliers
    double bulkHi = 0.0;                              // bulkHull(theory).hi
    int predictedFinite = 0, predictedLarge = 0;      // spikes with that prediction
};
GridTheory gridTheory(const core::SweepSpec& spec, double value);

struct SweepTheoryResult
{
    core::SweepSpec spec;
    SweepCurves curves; // empty unless asked for
    std::vector<GridTheory> points;
};

// Whether two specs have the same theory (samples, seed and threads do not matter).
bool sameTheory(const core::SweepSpec& a, const core::SweepSpec& b);

class SweepTheory : public QObject
{
    Q_OBJECT
public:
    explicit SweepTheory(QObject* parent = nullptr);
    ~SweepTheory() override; // cancels and waits for the worker

    // Checks the grid on the calling thread (InputError), then computes in the background.
    void start(const core::SweepSpec& spec, bool withCurves);
    void cancel(); // the running job reports nothing more
    bool isRunning() const { return m_jobs.isRunning(); }
    // The spec of the last start() (the job running or done).
    const core::SweepSpec& requested() const { return m_requested; }
    // The last result delivered (kept while a newer one is computed); valid after ready().
    const SweepTheoryResult& result() const { return m_result; }
    bool hasResult() const { return m_hasResult; }
    // The result is that of the last start() (ready() may come before the job's end).
    bool isReady() const { return m_hasResult && m_resultGeneration == m_jobs.generation(); }
    quint64 generation() const { return m_jobs.generation(); }
    const JobRunner* jobs() const { return &m_jobs; }

signals:
    void ready(quint64 generation);
    void failed(const QString& message);

private:
    core::SweepSpec m_requested;
    SweepTheoryResult m_result;
    bool m_hasResult = false;
    quint64 m_resultGeneration = 0;
    JobRunner m_jobs{JobRunner::Policy::Serial}; // last: its worker goes before the state above
};

} // namespace ws::ui
