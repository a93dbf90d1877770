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

#include "core/sampling/banded/banded.h"
#include "core/sampling/runner.h"
#include "core/sweeps/sweep.h"

#include <exception>
#include <optional>
#include <string>

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

std::optional<core::RunResult> clusterRunSamples(const core::Model& m, const core::RunOptions& opt,
                                                 const RunEnv& env,
                                                 const core::ProgressCallback& progress);

std::optional<core::BandedRunResult>
clusterRunBandedSpectra(const core::Model& m, const core::RunOptions& opt,
                        const core::BandedSpectrumRequest& req, const RunEnv& env,
                        const core::ProgressCallback& progress);

// The sweep: (grid point, sample) pairs split by their estimated cost (core::sweepSampleCost),
// each process checking the memory of its own points (its budget) before any runs. Overlaps
// (spec.overlaps) are computed on rank 0 (not split yet).
std::optional<core::SweepResult> clusterRunSweep(const core::SweepSpec& spec, const RunEnv& env,
                                                 const core::SweepProgressCallback& progress);

} // namespace ws::cli
