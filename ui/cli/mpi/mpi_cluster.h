#pragma once
// The cluster of a wignerscope-cli started by mpirun (ui/cli/cluster.h, docs/cluster.md), over
// MPI's C API. Only the CLI program links this library (WS_MPI); ws_cli, core and the GUI never
// see MPI.

#include "ui/cli/cluster.h"

#include <memory>

namespace ws::cli {

// Whether this process was started by a process manager (mpirun, srun): its environment names
// a rank. A program started by hand does not start MPI at all, and runs as it always did.
bool launchedByMpi();

// MPI_Init and the cluster of MPI_COMM_WORLD; the returned object ends MPI (MPI_Finalize) when
// destroyed. Call once, before any other thread starts; collectives are made by the main thread
// only, waiting with short sleeps (not MPI's busy polling), so that a process waiting for the
// others leaves the cores to their oneTBB threads.
std::unique_ptr<Cluster> startMpi(int* argc, char*** argv);

} // namespace ws::cli
