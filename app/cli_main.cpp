// wignerscope-cli: a thin main over ws::cli::run (ui/cli/cli.h).
#include "ui/cli/cli.h"
#if WS_HAVE_ANIMATE
#include "ui/cli/animate.h"
#endif
#if WS_HAVE_MPI
#include "ui/cli/mpi/mpi_cluster.h"
#endif

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <unistd.h>

namespace {

std::atomic<bool> g_interrupted{false};
std::atomic<int> g_signal{0}; // the first of SIGINT, SIGTERM, SIGHUP received
std::atomic<int> g_computing{0};
std::atomic<int> g_writing{0};
bool g_stderrIsTerminal = false;
bool g_quiet = false;   // a process of a cluster run other than rank 0: rank 0 speaks for all
bool g_cluster = false; // a process of a cluster run of more than one process
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");
static_assert(std::atomic<int>::is_always_lock_free, "read from a signal handler");

// One line on stderr from the handler (only async-signal-safe calls), the progress line cleared.
void say(const char* message, std::size_t size)
{
    if (g_quiet)
        return;
    static constexpr char kClear[] = "\r\033[K"; // the progress line, if one is drawn
    if (g_stderrIsTerminal && ::write(STDERR_FILENO, kClear, sizeof kClear - 1) < 0) {
    }
    if (::write(STDERR_FILENO, message, size) < 0) {
    }
}

// Ctrl-C, SIGTERM and SIGHUP alike. During a computation (sampling, theory), when nothing is
// being written: end the process at once -- a dense eigensolve cannot be interrupted and takes
// seconds at N = 4000, and output files only appear after the computation. Otherwise ask the
// run to stop at its next check: it removes its temporary files, replaces no output and exits
// with 128 + the signal. A second signal ends the process at once even then and says what it
// left: while the temporary copies are written nothing has been replaced (they are unnamed
// files, which vanish with the process); while the files are being renamed into place, each is
// the old or the new one, never half-written.
extern "C" void onSignal(int sig)
{
    int none = 0;
    g_signal.compare_exchange_strong(none, sig);
    const int status = 128 + g_signal.load();
    // In a cluster run mpirun ends the other processes with SIGTERM as soon as one has exited
    // with a non-zero status: the agreed message has been said by then (or is being said), and
    // "interrupted" must not be added to it. A SIGTERM there ends the process silently.
    if (g_cluster && sig == SIGTERM)
        ::_exit(status);
    if (g_computing.load() > 0) {
        static constexpr char kMessage[] = "error: interrupted; nothing written\n";
        say(kMessage, sizeof kMessage - 1);
        ::_exit(status);
    }
    if (g_interrupted.exchange(true)) {
        if (g_writing.load() == 2) {
            static constexpr char kMessage[] =
                "error: interrupted again; stopped while replacing the output files: each is "
                "either the old or the new one, none is half-written\n";
            say(kMessage, sizeof kMessage - 1);
        } else {
            static constexpr char kMessage[] =
                "error: interrupted again; stopped at once, nothing written\n";
            say(kMessage, sizeof kMessage - 1);
        }
        ::_exit(status);
    }
}

} // namespace

int main(int argc, char** argv)
{
    std::ostream* out = &std::cout;
    std::ostream* err = &std::cerr;
    std::ostream silent(nullptr); // rank > 0 of a cluster run: nothing printed
#if WS_HAVE_MPI
    // Started by mpirun (docs/cluster.md): MPI before the signal handlers, so that ours win.
    // Every process of a cluster run stops at once on a signal, as during a computation: one
    // that stopped at its own pace would leave the others waiting for it in a collective, and
    // rank 0 writes its outputs atomically, so nothing half-written is left.
    std::unique_ptr<ws::cli::Cluster> cluster;
    if (ws::cli::launchedByMpi()) {
        cluster = ws::cli::startMpi(&argc, &argv);
        if (cluster->size() > 1) {
            g_computing.store(1);
            g_cluster = true;
        }
        if (!cluster->isRoot()) {
            g_quiet = true;
            out = &silent;
            err = &silent;
        }
    }
#endif
    // No SA_RESTART: a blocking open or write (a FIFO without a reader) returns on the signal,
    // so that the run sees the flag.
    struct sigaction sa
    {
    };
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    for (int sig : {SIGINT, SIGTERM, SIGHUP})
        ::sigaction(sig, &sa, nullptr);

    std::ios::sync_with_stdio(false);
    const std::vector<std::string> args(argv + 1, argv + argc);
    g_stderrIsTerminal = ::isatty(STDERR_FILENO) == 1;
    ws::cli::RunEnv env;
#if WS_HAVE_MPI
    env.cluster = cluster.get();
#endif
    env.cancel = &g_interrupted;
    env.computing = &g_computing;
    env.writing = &g_writing;
    env.showProgress = g_stderrIsTerminal && !g_quiet;
    // WIGNERSCOPE_PROGRESS=1: the progress line from the start of every computation, also when
    // stderr is not a terminal (a log; tests see when the computation has begun).
    if (const char* v = std::getenv("WIGNERSCOPE_PROGRESS");
        v && std::string(v) == "1" && !g_quiet) {
        env.showProgress = true;
        env.progressDelaySeconds = 0.0;
    }
#if WS_HAVE_ANIMATE
    env.animate = ws::cli::runAnimateCommand;
#endif
    int status = ws::cli::run(args, *out, *err, env);
    std::cout.flush();
    std::cerr.flush();
#if WS_HAVE_MPI
    if (cluster) {
        // The status is agreed and rank 0 has said what there was to say. When it is not 0,
        // mpirun ends the processes still finishing with SIGTERM as soon as one has exited:
        // that must not add "interrupted" to the message or change the status.
        sigset_t block;
        sigemptyset(&block);
        for (int sig : {SIGINT, SIGTERM, SIGHUP})
            sigaddset(&block, sig);
        ::sigprocmask(SIG_BLOCK, &block, nullptr);
        // And no process leaves before rank 0 has blocked them too: MPI_Finalize is not a
        // barrier here, so a rank that exited first with the agreed non-zero status had mpirun
        // send SIGTERM to rank 0 in the window before its sigprocmask (seen under ASan: the
        // message gained "error: interrupted"). Ranks > 0 wait in the broadcast for rank 0.
        try {
            (void)cluster->broadcast(std::string());
        } catch (...) {
        }
        cluster.reset(); // MPI_Finalize
    }
#endif
    // Interrupted: 128 + the signal, as a shell reports it (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP).
    if (status == ws::cli::kExitInterrupted && g_signal.load() != 0)
        status = 128 + g_signal.load();
    // Skip static destructors: an interrupted run may leave a worker thread behind.
    std::_Exit(std::cout.good() ? status : (status == 0 ? ws::cli::kExitFailure : status));
}
