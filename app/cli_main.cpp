// wignerscope-cli: a thin main over ws::cli::run (ui/cli/cli.h).
#include "ui/cli/cli.h"
#if WS_HAVE_ANIMATE
#include "ui/cli/animate.h"
#endif

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <unistd.h>

namespace {

std::atomic<bool> g_interrupted{false};
std::atomic<int> g_computing{0};
bool g_stderrIsTerminal = false;
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");
static_assert(std::atomic<int>::is_always_lock_free, "read from a signal handler");

// Ctrl-C during a computation (sampling, theory), when nothing is being written: end the process
// at once with status 130 -- a dense eigensolve cannot be interrupted and takes seconds at
// N = 4000, and output files only appear after the computation. Otherwise ask the run to stop
// at its next check (it exits with 130, writing nothing), so that a write in progress completes;
// a second Ctrl-C ends the process at once even then (files are replaced by an atomic rename, so
// nothing is half-written; at worst a temporary file stays behind).
extern "C" void onSigint(int)
{
    if (g_computing.load() > 0) {
        static constexpr char kClear[] = "\r\033[K"; // the progress line, if one is drawn
        static constexpr char kMessage[] = "error: interrupted; nothing written\n";
        if (g_stderrIsTerminal && ::write(STDERR_FILENO, kClear, sizeof kClear - 1) < 0) {
        }
        if (::write(STDERR_FILENO, kMessage, sizeof kMessage - 1) < 0) {
        }
        ::_exit(ws::cli::kExitInterrupted);
    }
    if (g_interrupted.exchange(true))
        ::_exit(ws::cli::kExitInterrupted);
}

} // namespace

int main(int argc, char** argv)
{
    struct sigaction sa
    {
    };
    sa.sa_handler = onSigint;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGINT, &sa, nullptr);

    std::ios::sync_with_stdio(false);
    const std::vector<std::string> args(argv + 1, argv + argc);
    g_stderrIsTerminal = ::isatty(STDERR_FILENO) == 1;
    ws::cli::RunEnv env;
    env.cancel = &g_interrupted;
    env.computing = &g_computing;
    env.showProgress = g_stderrIsTerminal;
    // WIGNERSCOPE_PROGRESS=1: the progress line from the start of every computation, also when
    // stderr is not a terminal (a log; tests see when the computation has begun).
    if (const char* v = std::getenv("WIGNERSCOPE_PROGRESS"); v && std::string(v) == "1") {
        env.showProgress = true;
        env.progressDelaySeconds = 0.0;
    }
#if WS_HAVE_ANIMATE
    env.animate = ws::cli::runAnimateCommand;
#endif
    const int status = ws::cli::run(args, std::cout, std::cerr, env);
    std::cout.flush();
    std::cerr.flush();
    // Skip static destructors: an interrupted run may leave a worker thread behind.
    std::_Exit(std::cout.good() ? status : (status == 0 ? ws::cli::kExitFailure : status));
}
