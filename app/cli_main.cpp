// wignerscope-cli: a thin main over ws::cli::run (core/cli/cli.h).
#include "core/cli/cli.h"

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <unistd.h>

namespace {

std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

// First Ctrl-C: ask the run to stop (it then exits promptly with status 130, writing nothing).
// A second Ctrl-C ends the process at once; output files are only ever replaced by an atomic
// rename, so even then nothing is half-written.
extern "C" void onSigint(int)
{
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
    ws::cli::RunEnv env;
    env.cancel = &g_interrupted;
    env.showProgress = ::isatty(STDERR_FILENO) == 1;
    const int status = ws::cli::run(args, std::cout, std::cerr, env);
    std::cout.flush();
    std::cerr.flush();
    // Skip static destructors: an interrupted run may leave a worker thread behind.
    std::_Exit(std::cout.good() ? status : (status == 0 ? ws::cli::kExitFailure : status));
}
