#pragma once
// Runs a core sweep (core/sweeps/sweep.h) on a worker thread for a view: the GUI thread never
// blocks. Each start() cancels the previous sweep and bumps a generation; results of older
// generations are dropped, so the view only ever sees its current sweep. Progress is posted a few
// times a second; every completed grid point is posted as it arrives. All signals are emitted on
// the GUI thread. (No TBB header here: the core's parallel work happens inside runSweep.)

#include "core/sweeps/sweep.h"
#include "core/theory/theory.h"

#include <QObject>

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

namespace ws::ui {

// Prediction curves on a fine grid of the swept theta (formulas of predictOutliers for the
// strongest spike), drawn behind the sampled grid points.
struct SweepCurves
{
    std::vector<double> x;                           // theta
    std::vector<double> finite, large;               // outlier positions (NaN where none)
    std::vector<double> overlapFinite, overlapLarge; // squared overlaps (NaN where none)
};

class SweepRunner : public QObject
{
    Q_OBJECT
public:
    explicit SweepRunner(QObject* parent = nullptr);
    ~SweepRunner() override; // cancels and joins every worker

    // Validates the grid (core::InputError) on the calling thread, then starts the sweep.
    void start(const core::SweepSpec& spec, bool withCurves);
    void cancel();
    bool isRunning() const { return m_running; }
    const core::SweepResult& result() const { return m_result; }
    const SweepCurves& curves() const { return m_curves; }
    const core::SweepSpec& spec() const { return m_spec; }
    double fraction() const { return m_fraction; }

signals:
    void started();
    void progress(double fraction, int point, int points);
    void curvesReady();
    void pointReady(int index);
    void finished(bool cancelled);
    void failed(const QString& message);

private:
    struct Job
    {
        std::atomic<bool> cancel{false};
        std::atomic<bool> done{false};
    };
    void reap(bool all);

    std::uint64_t m_generation = 0;
    std::shared_ptr<Job> m_job;
    std::vector<std::pair<std::shared_ptr<Job>, std::thread>> m_threads;
    core::SweepSpec m_spec;
    core::SweepResult m_result;
    SweepCurves m_curves;
    double m_fraction = 0.0;
    bool m_running = false;
};

} // namespace ws::ui
