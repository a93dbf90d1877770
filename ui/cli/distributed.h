#pragma once
// The commands' runs spread over the processes of a cluster run (RunEnv::cluster; cluster.h,
// docs/cluster.md). Each function is the core call it names when there is no cluster or only
// one process. With P > 1 processes the work is split statically (splitWork), each process runs
// its share with the core's subset runs (RunOptions::subset: sample k is the same matrix
// wherever it is drawn), and rank 0 gets the per-sample results of every process back in sample
// order, then sums them up with the same code as a one-process run: its result, and so the
// output, is byte for byte that of a one-process run with the same seed (timings aside), for
// any P. The other processes get nullopt once their share is delivered.
//
// Failures on any process (bad input, the memory budget of a process, an exception in the
// computation) are agreed (Cluster::agree) and thrown as ClusterFailure on every process.

#include "ui/cli/cli.h"
#include "ui/cli/cluster.h"

#include "core/animation/animation.h"
#include "core/rectangular/rectangular.h"
#include "core/sampling/banded/banded.h"
#include "core/sampling/runner.h"
#include "core/sweeps/sweep.h"

#include <cstddef>
#include <exception>
#include <optional>
#include <string>
#include <vector>

namespace ws::cli {

// Whether the run is spread over more than one process.
bool isDistributed(const RunEnv& env);
// Whether this process prints and writes (rank 0, or no cluster).
bool isRoot(const RunEnv& env);

// The threads of each process for --threads `requested`: the request, or for 0 (all cores) in a
// cluster run the cluster's share of a node (Cluster::defaultThreads).
int clusterThreads(int requested, const RunEnv& env);

// The exit status and message of an exception, as run() reports it (cli.h): 2 bad input, 3
// resource, 1 write failure or internal error, 130 interrupted. `command` names what to lower
// when memory runs out.
Failure failureOf(std::exception_ptr e, const std::string& command);

// Runs f() on every process; if it throws on any, every process throws that (the lowest rank's)
// failure as ClusterFailure. Without a cluster: f().
template <class F> auto clusterStep(const RunEnv& env, const std::string& command, F&& f)
{
    if (!env.cluster)
        return f();
    std::optional<decltype(f())> value;
    Failure mine;
    try {
        value.emplace(f());
    } catch (...) {
        mine = failureOf(std::current_exception(), command);
    }
    const Failure all = env.cluster->agree(mine);
    if (all.status != 0)
        throw ClusterFailure(all);
    return std::move(*value);
}

// Every process's block (compute() on each) to rank 0, in rank order; the others get nothing.
// A failure in compute() on any process is agreed first.
template <class F>
std::vector<std::string> gatherShares(const RunEnv& env, const std::string& command, F&& compute)
{
    const std::string mine = clusterStep(env, command, compute);
    return env.cluster->gather(mine);
}

// A share that saw the cancel (Ctrl-C): core::Cancelled, agreed like any failure.
[[noreturn]] void throwInterrupted();

// Rank 0 holds every sample's results at once while it sums up, twice: the blocks it received
// and the results decoded in sample order; `resultBytes` is one copy. Its memory budget
// (`memoryBudget`, 0 = the default) must hold that, apart from the peak of its own share (which
// is over by then): ResourceError (exit 3) naming what to lower (`lower`, e.g. "lower N or
// --samples") on rank 0 otherwise. Collective (an agreed step); nothing to check without a
// cluster of more than one process.
void checkGatherMemory(const RunEnv& env, const std::string& command, std::size_t resultBytes,
                       std::size_t memoryBudget, const std::string& lower);

std::optional<core::RunResult> clusterRunSamples(const core::Model& m, const core::RunOptions& opt,
                                                 const RunEnv& env,
                                                 const core::ProgressCallback& progress);

std::optional<core::BandedRunResult>
clusterRunBandedSpectra(const core::Model& m, const core::RunOptions& opt,
                        const core::BandedSpectrumRequest& req, const RunEnv& env,
                        const core::ProgressCallback& progress);

// The rectangular model's samples, split as sample's (they cost the same).
std::optional<core::RectRunResult> clusterRunRectSamples(const core::RectModel& m,
                                                         const core::RunOptions& opt,
                                                         const RunEnv& env,
                                                         const core::ProgressCallback& progress);

// The sweep: (grid point, sample) pairs split by their estimated cost (core::sweepSampleCost),
// each process checking the memory of its own points (its budget) before any runs; with
// spec.overlaps each process also computes the eigenvector overlaps of its pairs.
// (distributed_grid.cpp)
std::optional<core::SweepResult> clusterRunSweep(const core::SweepSpec& spec, const RunEnv& env,
                                                 const core::SweepProgressCallback& progress);

// The animation's frames (each a sweep point): (frame, sample) pairs split by cost as a sweep's.
// The plan is made by every process (planAnimation: the same inputs, the same plan); each
// process draws its share with plan.spec.run.threads threads. (distributed_grid.cpp)
std::optional<core::AnimationResult>
clusterRunAnimation(const core::AnimationPlan& plan, const RunEnv& env,
                    const core::AnimationProgressCallback& progress);

} // namespace ws::cli
