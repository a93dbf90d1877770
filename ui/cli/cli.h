#pragma once
// wignerscope-cli as a library: app/cli_main.cpp is a thin main over run(), and the tests call
// run() in-process.
//
//   wignerscope-cli sample  MODEL [--samples K] [--seed S] [--threads T]
//                           [--sampler auto|dense|banded] [--bins B] [--range A:B]
//                           [--eigenvalues FILE.csv] [--json FILE|-]
//   wignerscope-cli theory  MODEL [--points P] [--json FILE|-]
//   wignerscope-cli animate MODEL --param P --from A --to B ... --out FILE.gif|FILE.mp4|DIR/
//                           (animate.h)
//   wignerscope-cli rect sample|theory --n N (--m M | --c C) ... (rect.h)
//   wignerscope-cli weights FILE [--tensor NAME] [--json FILE|-] [--prune K|auto --out FILE.npy]
//                           [--list] ... (weights.h)
//   MODEL = --n N [--sigma S] [--noise F] [--alpha A | --rank R] [--spikes F] [--bulk F]
//           [--eigvecs basis|haar] [--session FILE.json] [--memory-budget BYTES]
//
// Exit status: 0 success, 1 writing the results failed (e.g. a full disk; no output replaced)
// or an internal error, 2 invalid input or an output that cannot be written (found before the
// run; one line "error: ..." on stderr), 3 refused by a resource limit, 130 interrupted (the
// CLI's main returns 128 + the signal: 129 for SIGHUP, 143 for SIGTERM).

#include <atomic>
#include <iosfwd>
#include <string>
#include <vector>

namespace ws::cli {

class Cluster;

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1; // writing the results failed, or an internal error
constexpr int kExitInput = 2;
constexpr int kExitResource = 3;
constexpr int kExitInterrupted = 130;

struct RunEnv
{
    // Set asynchronously (SIGINT) to stop a run; run() then returns kExitInterrupted and
    // writes no output file.
    const std::atomic<bool>* cancel = nullptr;
    // Positive while run() is inside a long computation that writes nothing (sampling, theory;
    // outputs are checked before and written after it). The CLI's SIGINT handler then ends the
    // process at once -- LAPACK's dense eigensolver cannot be interrupted (seconds at N = 4000)
    // -- and otherwise only sets `cancel`, so that a write in progress completes.
    std::atomic<int>* computing = nullptr;
    // While run() writes its outputs (ui/cli/output.h, writeOutputs): 1 while the temporary
    // copies and stdout are written (no file replaced yet), 2 while files are replaced, else 0.
    // The signal handler says from it what a second Ctrl-C, which ends the process at once, left.
    std::atomic<int>* writing = nullptr;
    // Draw a "\r"-updated progress line on `err` (main: only when stderr is a terminal) for runs
    // longer than progressDelaySeconds.
    bool showProgress = false;
    double progressDelaySeconds = 1.0;
    double progressIntervalSeconds = 0.2; // between redraws
    // The animate command (ui/cli/animate.h), when the program has it: it needs QtGui, giflib
    // and FFmpeg, which this library does not link. Null: "animate" is refused (exit 2).
    int (*animate)(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                   const RunEnv& env) = nullptr;
    // A cluster run (mpirun; cluster.h, docs/cluster.md): sample, sweep, rect sample and animate
    // split their work over the processes, rank 0 alone prints and writes (the other commands
    // run on rank 0 only) and run() returns rank 0's exit status on every process. Null: one
    // process, as always.
    Cluster* cluster = nullptr;
};

// `args` are the command-line arguments without the program name.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
        const RunEnv& env);

std::string usage();
std::string versionText();

} // namespace ws::cli
