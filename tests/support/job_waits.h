#pragma once
// Waiting for the job runner's workers in the tests (ui/jobs/jobrunner.h): on its workersIdle
// signal, never by polling; and the spies on the signals every runner over it has. Header-only
// (QtCore), for the tests that link ws_jobs.

#include "ui/jobs/jobrunner.h"

#include <QSignalSpy>

namespace ws::test {

// True once every worker of `jobs` has returned (their posts are then delivered): none busy now,
// or `idle` -- a spy on jobs' workersIdle made before the jobs ran -- fires within `ms`.
inline bool waitWorkersIdle(const ui::JobRunner& jobs, QSignalSpy& idle, int ms = 30000)
{
    return jobs.busyWorkers() == 0 || idle.wait(ms);
}

// The same, with a spy of its own (made before the check, so no signal is missed).
inline bool waitWorkersIdle(const ui::JobRunner& jobs, int ms)
{
    QSignalSpy idle(&jobs, &ui::JobRunner::workersIdle);
    return waitWorkersIdle(jobs, idle, ms);
}

// The signals a runner over the job runner (SweepRunner, RectRunner) shares, and its workers'
// idle; a test adds the spies on its runner's own results as members initialized from `runner`.
template <class Runner> struct RunnerSpies
{
    explicit RunnerSpies(Runner& r)
        : runner(r), started(&r, &Runner::started), progress(&r, &Runner::progress),
          finished(&r, &Runner::finished), failed(&r, &Runner::failed),
          idle(r.jobs(), &ui::JobRunner::workersIdle)
    {
    }
    // True once the runner's workers have returned (see waitWorkersIdle).
    bool waitIdle() { return waitWorkersIdle(*runner.jobs(), idle); }

    Runner& runner;
    QSignalSpy started, progress, finished, failed, idle;
};

} // namespace ws::test
