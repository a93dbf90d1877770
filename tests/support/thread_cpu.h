#pragma once
// The calling thread's CPU time in milliseconds. Tests bound how much work a call does on the
// GUI thread with it rather than with wall time: a loaded machine preempts the thread (wall time
// grows without bound) but adds no CPU time, so the bound cannot fail by chance.
#include <ctime>

namespace testsupport {

inline double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) * 1e-6;
}

// The whole process's CPU time (every thread) in milliseconds: for a bound on the work of a call
// that runs on several threads, again not by chance exceeded on a loaded machine.
inline double processCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) * 1e-6;
}

} // namespace testsupport
