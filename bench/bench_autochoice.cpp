// The automatic sampler choice against the faster sampler: over a grid of N,
// alpha and bulk (zero or constant), one sample with each sampler (dense and banded, all
// eigenvalues), the choice of usesBandedSampler(m, auto) (core/sampling/sampler_plan.h), the
// faster one, and auto_time / min_time. Exit status 1 if any point is beyond the tolerance (1.10).
// The peer is the other sampler on the same model.
//
//   bench_autochoice [--n 500,1000,...] [--alpha 0,0.25,...] [--repeats R] [--threads T]
//                    [--dense-max-n N] [--cap S] [--tolerance X] [--full]
//
// Method (the machine is shared and loaded):
// - CPU time of the sampling thread (CLOCK of pthread_getcpuclockid), not wall time: the load
//   of the shared machine (printed before and after) inflates wall times by a varying factor,
//   CPU times much less. The two samplers are timed interleaved (A B, B A, A B, ...), the
//   median of R repeats each, after one warm-up sample each, so that what load remains (caches,
//   memory bandwidth) hits both alike.
// - One thread (TBB and BLAS) by default: a run keeps every core busy with samples of its own,
//   so the cost per core decides (the cost model is per core too).
// - The one predicted slower is stopped through its cancel flag once it has taken more CPU time
//   than 1.25 times the other's median: it is then at least that much slower (a lower bound,
//   marked ">"), which is all the choice needs, and no minutes are spent on a hopeless sampler.
//   A bound that ends up below 1.15 times the other's final median is inconclusive: that
//   sampler is then timed in full. --full times both in full everywhere (to fit the constants).
// - Dense above --dense-max-n (default 4000) is not run: its time is extrapolated from c N^p
//   fitted to the dense medians at N >= 1000 (marked "~"); a banded sample there that the cost
//   model puts above twice that is not run (its last step, LAPACK's dsytrd on r + 1 rows,
//   cannot be cancelled: N = 8000, alpha = 1 would take minutes), nor is a sampler whose time
//   the model puts above --cap seconds (default 120): both marked "-", decided by the model.
// Output: one "RESULT autochoice ..." line per point, a fit of the dense exponent, the ratios of
// measured to modelled seconds (the calibration of the constants in sampler_plan.h) and a
// PASS/FAIL line.

#include "bench/bench_common.h"
#include "core/model/families.h"
#include "core/model/model.h"
#include "core/sampling/banded/banded.h"
#include "core/sampling/sampler.h"
#include "core/sampling/sampler_plan.h"

#include <tbb/global_control.h>

#include <pthread.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace ws::core;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kSkipFactor = 2.0;

using ws::bench::cpuSeconds;
using ws::bench::loadAverage;
using ws::bench::median;

std::vector<double> parseList(const std::string& s)
{
    std::vector<double> out;
    std::stringstream ss(s);
    std::string item;
    while (std::getline(ss, item, ','))
        out.push_back(std::atof(item.c_str()));
    return out;
}

// CPU seconds of sampler.sample(k) on this thread (with one thread for TBB and BLAS, all of
// its work runs here; CPU time, unlike wall time, does not see the load of the shared machine),
// or nullopt if it took more than `deadline` CPU seconds: a watchdog thread that reads this
// thread's CPU clock then sets the sampler's cancel flag.
std::optional<double> timeSample(const Sampler& s, std::uint64_t k, double deadline)
{
    clockid_t clock{};
    if (pthread_getcpuclockid(pthread_self(), &clock) != 0)
        clock = CLOCK_THREAD_CPUTIME_ID;
    std::atomic<bool> cancel{false};
    std::atomic<bool> done{false};
    const double t0 = cpuSeconds(clock);
    std::thread watchdog([&] {
        while (!done.load()) {
            if (cpuSeconds(clock) - t0 > deadline) {
                cancel = true;
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    });
    const std::vector<double> ev = s.sample(k, &cancel);
    const double t = cpuSeconds(clock) - t0;
    done = true;
    watchdog.join();
    if (cancel || ev.empty())
        return std::nullopt;
    return t;
}

// A sampler's time at one point: measured (median), a lower bound (stopped), extrapolated, or
// not run.
struct Timing
{
    enum Kind { Measured, AtLeast, Extrapolated, NotRun } kind = NotRun;
    double seconds = kNaN;
    std::vector<double> times;
    std::string text() const
    {
        char buf[32];
        const char* mark = kind == AtLeast ? ">" : kind == Extrapolated ? "~" : "";
        if (kind == NotRun)
            return "-";
        std::snprintf(buf, sizeof buf, "%s%.3f", mark, seconds);
        return buf;
    }
};

struct Point
{
    int n = 0;
    double alpha = 0.0;
    std::string bulk;
    int r = 0;
    bool autoBanded = false;
    double predDense = 0.0, predBanded = 0.0;
    Timing dense, banded;
};

Model modelAt(int n, double alpha, const std::string& bulk)
{
    Model m;
    m.n = n;
    m.sigma = 1.0;
    m.noise = parseNoise("gaussian");
    m.rank = {false, alpha, 1};
    m.spikes = parseSpikes("linear:1.5,4");
    m.bulk = parseBulk(bulk);
    m.eigvecs = Eigvecs::Basis;
    validate(m);
    return m;
}

// Times both samplers at one point, interleaved; `denseGuess` (> 0) replaces the dense run.
void measure(Point& p, const Model& m, int repeats, double denseGuess, double cap, bool stopSlower)
{
    std::unique_ptr<Sampler> dense, banded;
    if (denseGuess <= 0.0 && p.predDense <= cap)
        dense = makeDenseSampler(m, 1);
    // Beyond --dense-max-n the dense time is extrapolated; a banded sample the model puts at
    // more than kSkipFactor times that is not run either: near r = N its last step is one
    // LAPACK dsytrd call, which the cancel flag cannot stop (N = 8000, alpha = 1: minutes).
    const bool hopeless = denseGuess > 0.0 && p.predBanded > kSkipFactor * denseGuess;
    if (p.predBanded <= cap && !hopeless)
        banded = makeBandedSampler(m, 1);
    // Warm-up (pages, first-touch allocations), not timed.
    for (Sampler* s : {dense.get(), banded.get()})
        if (s && s->sample(1000, nullptr).empty())
            std::fprintf(stderr, "warm-up sample empty\n");
    // The one predicted faster runs without a deadline (but the cap); the other is stopped at
    // 1.25 times the first's median so far.
    const bool denseFirst = denseGuess > 0.0 ? false : p.predDense <= p.predBanded;
    for (int rep = 0; rep < repeats; ++rep) {
        const std::uint64_t k = static_cast<std::uint64_t>(rep);
        for (int turn = 0; turn < 2; ++turn) {
            // Interleaved: the order alternates between repeats.
            const bool first = (turn == 0) == (rep % 2 == 0);
            const bool runDense = first == denseFirst;
            Timing& t = runDense ? p.dense : p.banded;
            const Timing& other = runDense ? p.banded : p.dense;
            Sampler* s = runDense ? dense.get() : banded.get();
            if (!s || t.kind == Timing::AtLeast)
                continue;
            // The one predicted slower stops at 1.25 x the other's median (in either order).
            double deadline = cap;
            if (denseGuess > 0.0)
                deadline = std::min(cap, 1.25 * denseGuess);
            else if (stopSlower && runDense != denseFirst && !other.times.empty())
                deadline = std::min(cap, 1.25 * median(other.times));
            if (const auto sec = timeSample(*s, k, deadline)) {
                t.times.push_back(*sec);
                t.kind = Timing::Measured;
                t.seconds = median(t.times);
            } else {
                t.kind = Timing::AtLeast;
                t.seconds = deadline;
                t.times.clear();
            }
        }
    }
    // A stopped sampler whose bound is not clearly above the other's final median: inconclusive,
    // so it is timed in full (the cap still applies).
    for (bool d : {true, false}) {
        Timing& t = d ? p.dense : p.banded;
        const Timing& other = d ? p.banded : p.dense;
        Sampler* s = d ? dense.get() : banded.get();
        if (t.kind != Timing::AtLeast || !s || other.kind != Timing::Measured ||
            t.seconds > 1.15 * other.seconds)
            continue;
        for (int rep = 0; rep < repeats; ++rep)
            if (const auto sec = timeSample(*s, static_cast<std::uint64_t>(rep), cap))
                t.times.push_back(*sec);
        t.kind = t.times.empty() ? Timing::AtLeast : Timing::Measured;
        t.seconds = t.times.empty() ? cap : median(t.times);
    }
    if (denseGuess > 0.0) {
        p.dense.kind = Timing::Extrapolated;
        p.dense.seconds = denseGuess;
    }
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<double> ns = {500, 1000, 2000, 4000, 8000};
    std::vector<double> alphas = {0, 0.25, 0.5, 0.75, 1};
    int repeats = 3, threads = 1, denseMaxN = 4000;
    double cap = 120.0, tolerance = 1.10;
    bool stopSlower = true;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const bool more = i + 1 < argc;
        if (a == "--n" && more)
            ns = parseList(argv[++i]);
        else if (a == "--alpha" && more)
            alphas = parseList(argv[++i]);
        else if (a == "--repeats" && more)
            repeats = std::max(1, std::atoi(argv[++i]));
        else if (a == "--threads" && more)
            threads = std::max(1, std::atoi(argv[++i]));
        else if (a == "--dense-max-n" && more)
            denseMaxN = std::atoi(argv[++i]);
        else if (a == "--cap" && more)
            cap = std::atof(argv[++i]);
        else if (a == "--full")
            stopSlower = false; // time both in full (for fitting the constants)
        else if (a == "--tolerance" && more)
            tolerance = std::atof(argv[++i]);
        else {
            std::fprintf(stderr,
                         "usage: bench_autochoice [--n LIST] [--alpha LIST] [--repeats R] "
                         "[--threads T] [--dense-max-n N] [--cap S] [--tolerance X] [--full]\n");
            return 2;
        }
    }
    std::sort(ns.begin(), ns.end());
    pinBlasToOneThread();
    const tbb::global_control pin(tbb::global_control::max_allowed_parallelism,
                                  static_cast<std::size_t>(threads));
    std::printf("# bench_autochoice: %d repeat(s), %d thread(s), dense run up to N = %d, cap %.0f "
                "s, tolerance %.2f; spikes linear:1.5,4, gaussian noise, basis eigenvectors\n",
                repeats, threads, denseMaxN, cap, tolerance);
    std::printf("# load average before: %s (%u hardware threads)\n", loadAverage().c_str(),
                std::thread::hardware_concurrency());
    std::fflush(stdout);

    std::vector<Point> points;
    std::vector<double> fitX, fitY; // log N, log dense seconds (N >= 1000, measured)
    double fitC = 0.0, fitP = 3.0;
    bool fitted = false;
    for (double nd : ns) {
        const int n = static_cast<int>(nd);
        if (n > denseMaxN && !fitted && fitX.size() >= 2) {
            // Least squares of log t = log c + p log N over the dense medians so far.
            const double k = static_cast<double>(fitX.size());
            double sx = 0, sy = 0, sxx = 0, sxy = 0;
            for (std::size_t i = 0; i < fitX.size(); ++i) {
                sx += fitX[i];
                sy += fitY[i];
                sxx += fitX[i] * fitX[i];
                sxy += fitX[i] * fitY[i];
            }
            fitP = (k * sxy - sx * sy) / (k * sxx - sx * sx);
            fitC = std::exp((sy - fitP * sx) / k);
            fitted = true;
            std::printf("# dense fit over %zu points at N >= 1000: t = %.3g N^%.2f s (used for N > "
                        "%d: marked ~)\n",
                        fitX.size(), fitC, fitP, denseMaxN);
        }
        for (const char* bulk : {"zero", "uniform:0.5,0.5"}) {
            for (double alpha : alphas) {
                const Model m = modelAt(n, alpha, bulk);
                Point p;
                p.n = n;
                p.alpha = alpha;
                p.bulk = std::string(bulk) == "zero" ? "zero" : "constant";
                p.r = rankOf(m);
                p.autoBanded = usesBandedSampler(m, SamplerChoice::Auto);
                p.predDense = denseSampleSeconds(m);
                p.predBanded = bandedSampleSeconds(m);
                const double guess =
                    n > denseMaxN ? (fitted ? fitC * std::pow(nd, fitP) : p.predDense) : 0.0;
                measure(p, m, repeats, guess, cap, stopSlower);
                if (n >= 1000 && p.dense.kind == Timing::Measured) {
                    fitX.push_back(std::log(nd));
                    fitY.push_back(std::log(p.dense.seconds));
                }
                // The faster one and the ratio; unknown where neither time is known.
                const double td = p.dense.seconds, tb = p.banded.seconds;
                const bool known = !std::isnan(td) || !std::isnan(tb);
                const bool bandedFaster = std::isnan(td) ? true : std::isnan(tb) ? false : tb < td;
                const double tAuto = p.autoBanded ? tb : td;
                const double tMin = std::isnan(td) ? tb : std::isnan(tb) ? td : std::min(td, tb);
                // A stopped (lower-bound) auto time is at least 1.25 x the other: a failure.
                const double ratio = !known ? kNaN : std::isnan(tAuto) ? kInf : tAuto / tMin;
                std::printf("RESULT autochoice n=%d alpha=%.2f r=%d bulk=%s dense=%s banded=%s "
                            "auto=%s faster=%s ratio=%.3f model_dense=%.3f model_banded=%.3f\n",
                            n, alpha, p.r, p.bulk.c_str(), p.dense.text().c_str(),
                            p.banded.text().c_str(), p.autoBanded ? "banded" : "dense",
                            bandedFaster ? "banded" : "dense", ratio, p.predDense, p.predBanded);
                std::fflush(stdout);
                points.push_back(p);
            }
        }
    }

    // Calibration: measured / modelled seconds for each sampler where measured.
    std::vector<double> qd, qb;
    int failures = 0, unknown = 0, modelled = 0;
    double worst = 0.0;
    for (const Point& p : points) {
        if (p.dense.kind == Timing::Measured)
            qd.push_back(p.dense.seconds / p.predDense);
        if (p.banded.kind == Timing::Measured)
            qb.push_back(p.banded.seconds / p.predBanded);
        const double td = p.dense.seconds, tb = p.banded.seconds;
        if (p.dense.kind == Timing::Extrapolated || p.dense.kind == Timing::NotRun ||
            p.banded.kind == Timing::NotRun)
            ++modelled;
        if (std::isnan(td) && std::isnan(tb)) {
            ++unknown;
            continue;
        }
        const double tAuto = p.autoBanded ? tb : td;
        const double tMin = std::isnan(td) ? tb : std::isnan(tb) ? td : std::min(td, tb);
        const double ratio = std::isnan(tAuto) ? kInf : tAuto / tMin;
        worst = std::max(worst, ratio);
        if (!(ratio <= tolerance))
            ++failures;
    }
    auto range = [](std::vector<double> v) {
        char buf[96];
        if (v.empty())
            return std::string("none");
        std::sort(v.begin(), v.end());
        std::snprintf(buf, sizeof buf, "median %.2f, range %.2f..%.2f over %zu", median(v),
                      v.front(), v.back(), v.size());
        return std::string(buf);
    };
    std::printf("# measured / model: dense %s; banded %s\n", range(qd).c_str(), range(qb).c_str());
    std::printf("# load average after: %s\n", loadAverage().c_str());
    std::printf("autochoice: %zu points, worst auto/min = %.3f, %d beyond %.2f, %d not measured "
                "(both over the cap), %d with an extrapolated or model-decided time (~, -): %s\n",
                points.size(), worst, failures, tolerance, unknown, modelled,
                failures ? "FAIL" : "PASS");
    return failures ? 1 : 0;
}
