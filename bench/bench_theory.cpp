// Timing of the theory: the deterministic equivalent on 10,000 distinct atoms (target < 100 ms
// for 800 points) and computeTheory on rank-r models at N = 4000. Prints medians of repeated
// runs. Usage: bench_theory [repeats]
#include "core/families.h"
#include "core/theory.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

using namespace ws::core;

namespace {

// Median wall time and median CPU time of this thread (the latter is less disturbed by other
// processes on a shared machine), in ms.
struct Timing
{
    double wall = 0.0, cpu = 0.0;
};

double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) * 1e-6;
}

Timing median(int repeats, const std::function<void()>& f)
{
    std::vector<double> wall, cpu;
    for (int i = 0; i < repeats; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        const double c0 = threadCpuMs();
        f();
        cpu.push_back(threadCpuMs() - c0);
        const auto t1 = std::chrono::steady_clock::now();
        wall.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    std::sort(wall.begin(), wall.end());
    std::sort(cpu.begin(), cpu.end());
    return {wall[wall.size() / 2], cpu[cpu.size() / 2]};
}

std::vector<Atom> evenAtoms(int n, double a, double b)
{
    std::vector<double> v(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
        v[static_cast<std::size_t>(i)] = a + (b - a) * (i + 0.5) / n;
    return groupAtoms(v);
}

void benchAtoms(const char* what, const std::vector<Atom>& atoms, double sigma, int repeats)
{
    std::size_t components = 0;
    const Timing t = median(
        repeats, [&] { components = deterministicEquivalent(atoms, sigma, 800).support.size(); });
    std::printf("deterministicEquivalent 800 points  %-36s atoms=%5zu sigma=%-5g "
                "components=%5zu  median wall %8.2f ms  cpu %8.2f ms\n",
                what, atoms.size(), sigma, components, t.wall, t.cpu);
}

void benchModel(const char* spikes, const char* bulk, double alpha, double sigma, int repeats)
{
    Model m;
    m.n = 4000;
    m.sigma = sigma;
    m.rank.alpha = alpha;
    m.spikes = parseSpikes(spikes);
    m.bulk = parseBulk(bulk);
    std::size_t components = 0;
    const Timing t =
        median(repeats, [&] { components = computeTheory(m, 800).equivalent.support.size(); });
    std::printf("computeTheory N=4000 r=%4d spikes=%-12s bulk=%-12s sigma=%-4g "
                "components=%4zu  median wall %8.2f ms  cpu %8.2f ms\n",
                rankOf(m), spikes, bulk, sigma, components, t.wall, t.cpu);
}

} // namespace

int main(int argc, char** argv)
{
    const int repeats = argc > 1 ? std::max(1, std::atoi(argv[1])) : 7;
    std::printf("median of %d runs each\n", repeats);
    benchAtoms("uniform [-1,1] (a dense bulk)", evenAtoms(10000, -1.0, 1.0), 1.0, repeats);
    benchAtoms("uniform [-1,1], small sigma", evenAtoms(10000, -1.0, 1.0), 0.05, repeats);
    benchAtoms("evenly spread on [0,100] (splits)", evenAtoms(10000, 0.0, 100.0), 0.05, repeats);
    {
        // Bulk of 9,900 values plus 100 distinct spikes 3..12: many outlier components.
        std::vector<double> v;
        for (int i = 0; i < 9900; ++i)
            v.push_back(-1.0 + 2.0 * (i + 0.5) / 9900);
        for (int k = 0; k < 100; ++k)
            v.push_back(3.0 + 9.0 * k / 99.0);
        benchAtoms("uniform bulk + 100 spikes on [3,12]", groupAtoms(v), 1.0, repeats);
    }
    benchModel("equal:3", "zero", 0.5, 1.0, repeats);
    benchModel("linear:1,6", "zero", 0.5, 1.0, repeats);
    benchModel("power:10,1", "zero", 1.0, 1.0, repeats);
    benchModel("linear:1,6", "uniform:-1,1", 0.5, 1.0, repeats);
    benchModel("linear:2,8", "uniform:-1,1", 0.9, 1.0, repeats);
    return 0;
}
