// wignerscope-cli: commands, outputs and exit codes (see cli.h).
#include "cli.h"

#include "args.h"
#include "output.h"
#include "sweep.h"

#include "core/banded.h"
#include "core/families.h"
#include "core/histogram.h"
#include "core/outliers.h"
#include "core/runner.h"
#include "core/session.h"
#include "core/theory.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <limits>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <ostream>
#include <thread>

namespace ws::cli {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0)
{
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

bool cancelled(const RunEnv& env)
{
    return env.cancel && env.cancel->load();
}

// Marks a long computation that writes nothing (RunEnv::computing), until end() or scope exit.
class ComputingSection
{
public:
    explicit ComputingSection(const RunEnv& env) : m_count(env.computing)
    {
        if (m_count)
            m_count->fetch_add(1);
    }
    ~ComputingSection() { end(); }
    ComputingSection(const ComputingSection&) = delete;
    ComputingSection& operator=(const ComputingSection&) = delete;
    void end()
    {
        if (m_count)
            m_count->fetch_sub(1);
        m_count = nullptr;
    }

private:
    std::atomic<int>* m_count;
};

// A "\r"-updated progress line on `err`, drawn by its own thread a few times a second once the
// run has taken longer than the delay (so short runs print nothing).
class ProgressLine
{
public:
    ProgressLine(std::ostream& err, const RunEnv& env, int total)
        : m_err(err), m_total(total), m_delay(env.progressDelaySeconds),
          m_interval(std::chrono::duration_cast<Clock::duration>(
              std::chrono::duration<double>(std::max(env.progressIntervalSeconds, 0.001)))),
          m_start(Clock::now())
    {
        if (env.showProgress)
            m_thread = std::thread([this] { loop(); });
    }
    ~ProgressLine() { stop(); }
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;

    void setDone(int done) { m_done.store(done); }

    void stop()
    {
        if (!m_thread.joinable())
            return;
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_all();
        m_thread.join();
        if (m_drawn) // clear the line so that what follows starts clean
            m_err << '\r' << std::string(m_width, ' ') << '\r' << std::flush;
    }

private:
    void loop()
    {
        std::unique_lock lock(m_mutex);
        while (!m_wake.wait_for(lock, m_interval, [this] { return m_stop; })) {
            const double t = secondsSince(m_start);
            if (t < m_delay)
                continue;
            const int done = m_done.load();
            char buf[160];
            int len = 0;
            if (done > 0 && done < m_total) {
                const double left = t / done * (m_total - done);
                len = std::snprintf(buf, sizeof buf,
                                    "sampling: %d/%d samples, %.1f s elapsed, ~%.0f s left", done,
                                    m_total, t, left);
            } else {
                len = std::snprintf(buf, sizeof buf, "sampling: %d/%d samples, %.1f s elapsed",
                                    done, m_total, t);
            }
            std::string line(buf, static_cast<std::size_t>(std::max(len, 0)));
            const std::size_t width = line.size();
            if (width < m_width)
                line.append(m_width - width, ' ');
            m_width = std::max(m_width, width);
            m_err << '\r' << line << std::flush;
            m_drawn = true;
        }
    }

    std::ostream& m_err;
    const int m_total;
    const double m_delay;
    const Clock::duration m_interval;
    const Clock::time_point m_start;
    std::atomic<int> m_done{0};
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    bool m_drawn = false;
    std::size_t m_width = 0;
    std::thread m_thread;
};

// computeTheory has no cancel flag; with one to honour, run it on a worker thread and abandon
// it if the flag is set (the worker owns its inputs, so it can finish on its own).
std::optional<core::Theory> theoryCancellable(const core::Model& m, int points, const RunEnv& env)
{
    if (!env.cancel)
        return core::computeTheory(m, points);
    struct Shared
    {
        std::mutex mutex;
        std::condition_variable done;
        bool finished = false;
        std::optional<core::Theory> result;
        std::exception_ptr error;
    };
    auto shared = std::make_shared<Shared>();
    std::thread([shared, m, points] {
        std::optional<core::Theory> r;
        std::exception_ptr e;
        try {
            r = core::computeTheory(m, points);
        } catch (...) {
            e = std::current_exception();
        }
        std::lock_guard lock(shared->mutex);
        shared->result = std::move(r);
        shared->error = e;
        shared->finished = true;
        shared->done.notify_all();
    }).detach();
    std::unique_lock lock(shared->mutex);
    while (!shared->done.wait_for(lock, std::chrono::milliseconds(50),
                                  [&] { return shared->finished; })) {
        if (env.cancel->load())
            return std::nullopt;
    }
    if (shared->error)
        std::rethrow_exception(shared->error);
    return std::move(shared->result);
}

// The runner's budget covers the sampler and the eigenvalues it keeps; the CSV text of
// --eigenvalues (about 34 bytes per value) comes on top. Refused up front like the runner's.
void checkCsvMemory(const Options& o)
{
    if (o.eigenvaluesPath.empty())
        return;
    const std::size_t budget = o.memoryBudget ? o.memoryBudget : core::defaultMemoryBudget();
    constexpr double kPerValue = 8.0 + 34.0;
    const double need = kPerValue * o.model.n * static_cast<double>(o.samples);
    if (need <= static_cast<double>(budget))
        return;
    const double maxN = std::floor(static_cast<double>(budget) / (kPerValue * o.samples));
    throw core::ResourceError("memory: the eigenvalues of " + std::to_string(o.samples) +
                              " samples at N = " + std::to_string(o.model.n) +
                              " and their CSV text need about " + humanBytes(need) +
                              " but the budget is " + humanBytes(static_cast<double>(budget)) +
                              (maxN >= 2 ? "; the largest N that fits is " + formatCount(maxN)
                                         : std::string("; not even N = 2 fits")) +
                              " (fewer samples also lower the need)");
}

// The banded fast path (histogram from inertia counts, outliers by bisection, never all
// eigenvalues) pays off when its cost, about (bins + 50 (r + 2)) inertia counts of O(N r^2)
// each, is below the ~6 N^2 r of the band eigenvalue solver; it cannot give --eigenvalues.
bool useBandedFastPath(const Options& o)
{
    if (!o.eigenvaluesPath.empty() || o.sampler == core::SamplerChoice::Dense)
        return false;
    if (!core::bandedInapplicableReason(o.model).empty())
        return false; // runSamples reports why for an explicit --sampler banded
    const double n = o.model.n;
    const double r = core::rankOf(o.model);
    return n >= 1000 && (o.bins + 50.0 * (r + 2.0)) * r < 6.0 * n;
}

// Histogram range for the fast path when --range is not given: the theory's support and
// outliers, widened by 10 edge-fluctuation scales; a second pass with the observed extremes
// runs only if an eigenvalue fell outside (same seed, so the same matrices).
std::pair<double, double> theoryRange(const core::Theory& t, double sigma, int n)
{
    double lo = t.mainBulkLo, hi = t.mainBulkHi;
    for (const auto& s : t.equivalent.support) {
        lo = std::min(lo, s.a);
        hi = std::max(hi, s.b);
    }
    for (const auto& p : t.outliers)
        for (const auto& v : {p.finiteRank, p.largeRank})
            if (v) {
                lo = std::min(lo, *v);
                hi = std::max(hi, *v);
            }
    const double w = 10.0 * sigma * std::pow(static_cast<double>(n), -2.0 / 3.0) + 0.02 * (hi - lo);
    return {lo - w, hi + w};
}

int runSampleBanded(const Options& o, std::ostream& out, std::ostream& err, const RunEnv& env)
{
    ComputingSection computing(env);
    const std::optional<core::Theory> theory = theoryCancellable(o.model, 800, env);
    if (!theory || cancelled(env))
        return kExitInterrupted;

    core::RunOptions ro;
    ro.samples = o.samples;
    ro.seed = o.seed;
    ro.threads = o.threads;
    ro.sampler = core::SamplerChoice::Banded;
    ro.memoryBudget = o.memoryBudget;

    const double widen = 3.0 * o.model.sigma * std::pow(static_cast<double>(o.model.n), -2.0 / 3.0);
    core::BandedSpectrumRequest req;
    req.topCount = 1;
    req.bottomCount = 1;
    req.above = theory->mainBulkHi + widen;
    req.below = theory->mainBulkLo - widen;
    auto [lo, hi] = o.range ? *o.range : theoryRange(*theory, o.model.sigma, o.model.n);

    core::BandedRunResult run;
    for (int pass = 0; pass < 2; ++pass) {
        req.edges = core::makeHistogram(lo, hi, o.bins).edges;
        {
            ProgressLine progress(err, env, o.samples);
            run = core::runBandedSpectra(o.model, ro, req, env.cancel,
                                         [&progress](int done, int) { progress.setDone(done); });
        }
        if (run.cancelled || cancelled(env))
            return kExitInterrupted;
        if (o.range)
            break;
        double minEv = lo, maxEv = hi;
        for (const auto& s : run.spectra) {
            if (!s.bottom.empty())
                minEv = std::min(minEv, s.bottom.front());
            if (!s.top.empty())
                maxEv = std::max(maxEv, s.top.front());
        }
        if (minEv >= lo && maxEv <= hi)
            break;
        const double pad = 0.01 * (maxEv - minEv);
        lo = minEv - pad;
        hi = maxEv + pad;
    }

    core::RunResult extremes;
    extremes.sampler = "banded";
    extremes.requested = run.requested;
    extremes.completed = run.completed;
    extremes.sampleIndex = run.sampleIndex;
    extremes.totalSeconds = run.totalSeconds;
    for (const auto& s : run.spectra) {
        std::vector<double> ev = s.bottom;
        ev.insert(ev.end(), s.top.rbegin(), s.top.rend());
        std::sort(ev.begin(), ev.end());
        ev.erase(std::unique(ev.begin(), ev.end()), ev.end());
        extremes.eigenvalues.push_back(std::move(ev));
    }

    const SampleReport report = makeBandedReport(o, extremes, run, *theory);
    const std::string json = o.jsonPath.empty() ? std::string() : sampleJson(o, report);
    computing.end();
    if (cancelled(env))
        return kExitInterrupted;
    if (!o.jsonPath.empty())
        writeOutput(o.jsonPath, json, out);
    else
        out << sampleSummary(o, report);
    out.flush();
    return kExitOk;
}

int runSample(const Options& o, std::ostream& out, std::ostream& err, const RunEnv& env)
{
    // Every output is checked before the long computation starts.
    checkOutputs(o);
    checkCsvMemory(o);
    if (cancelled(env))
        return kExitInterrupted;
    if (useBandedFastPath(o))
        return runSampleBanded(o, out, err, env);

    ComputingSection computing(env);
    core::RunOptions ro;
    ro.samples = o.samples;
    ro.seed = o.seed;
    ro.threads = o.threads;
    ro.sampler = o.sampler;
    ro.memoryBudget = o.memoryBudget;

    core::RunResult result;
    {
        ProgressLine progress(err, env, o.samples);
        result = core::runSamples(o.model, ro, env.cancel,
                                  [&progress](int done, int) { progress.setDone(done); });
    }
    if (result.cancelled || cancelled(env))
        return kExitInterrupted;

    const std::optional<core::Theory> theory = theoryCancellable(o.model, 800, env);
    if (!theory || cancelled(env))
        return kExitInterrupted;

    const SampleReport report = makeSampleReport(o, result, *theory);
    const std::string json = o.jsonPath.empty() ? std::string() : sampleJson(o, report);
    const std::string csv = o.eigenvaluesPath.empty() ? std::string() : eigenvaluesCsv(result);
    computing.end();
    if (cancelled(env))
        return kExitInterrupted;

    if (!o.eigenvaluesPath.empty())
        writeOutput(o.eigenvaluesPath, csv, out);
    if (!o.jsonPath.empty())
        writeOutput(o.jsonPath, json, out);
    if (o.jsonPath.empty() && o.eigenvaluesPath != "-")
        out << sampleSummary(o, report);
    out.flush();
    return kExitOk;
}

int runTheory(const Options& o, std::ostream& out, const RunEnv& env)
{
    checkOutputs(o);
    checkTheoryMemory(o);
    if (cancelled(env))
        return kExitInterrupted;
    ComputingSection computing(env);
    const std::optional<core::Theory> theory = theoryCancellable(o.model, o.points, env);
    if (!theory || cancelled(env))
        return kExitInterrupted;
    const std::string text =
        o.jsonPath.empty() ? theorySummary(o, *theory) : theoryJson(o, *theory);
    computing.end();
    if (cancelled(env))
        return kExitInterrupted;
    if (!o.jsonPath.empty())
        writeOutput(o.jsonPath, text, out);
    else
        out << text;
    out.flush();
    return kExitOk;
}

// One line on stderr, whatever the message contains.
void printError(std::ostream& err, const std::string& message)
{
    std::string line = message;
    std::replace(line.begin(), line.end(), '\n', ' ');
    std::replace(line.begin(), line.end(), '\r', ' ');
    err << "error: " << line << '\n' << std::flush;
}

} // namespace

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    return run(args, out, err, RunEnv{});
}

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
        const RunEnv& env)
{
    try {
        const Options o = parseArgs(args);
        switch (o.command) {
        case Command::Help:
            out << usage() << std::flush;
            return kExitOk;
        case Command::Version:
            out << versionText() << '\n' << std::flush;
            return kExitOk;
        case Command::Sample:
            return runSample(o, out, err, env) == kExitInterrupted
                       ? (printError(err, "interrupted; nothing written"), kExitInterrupted)
                       : kExitOk;
        case Command::Sweep:
            return runSweepCommand(o, out, err, env) == kExitInterrupted
                       ? (printError(err, "interrupted; nothing written"), kExitInterrupted)
                       : kExitOk;
        case Command::Theory:
            return runTheory(o, out, env) == kExitInterrupted
                       ? (printError(err, "interrupted; nothing written"), kExitInterrupted)
                       : kExitOk;
        }
        return kExitOk;
    } catch (const core::InputError& e) {
        printError(err, withOptionName(e.what()));
        return kExitInput;
    } catch (const OutputError& e) {
        printError(err, e.what());
        return kExitInput;
    } catch (const core::ResourceError& e) {
        printError(err, e.what());
        return kExitResource;
    } catch (const std::bad_alloc&) {
        printError(err, "out of memory (lower N or --samples, or set --memory-budget)");
        return kExitResource;
    } catch (const std::exception& e) {
        printError(err, std::string("internal: ") + e.what());
        return kExitFailure;
    }
}

std::string versionText()
{
    return std::string("wignerscope-cli ") + WS_VERSION;
}

std::string usage()
{
    return R"(wignerscope-cli: sample deformed Wigner matrices H = (sigma/sqrt(N)) X + S and compare
their eigenvalues with theory (semicircle, deterministic equivalent, outliers).

Usage:
  wignerscope-cli sample  MODEL [--samples K] [--seed S] [--threads T]
                          [--sampler auto|dense|banded] [--bins B] [--range A:B]
                          [--eigenvalues FILE.csv] [--json FILE|-]
  wignerscope-cli theory  MODEL [--points P] [--json FILE|-]
  wignerscope-cli sweep   MODEL --param theta|n|alpha --from A --to B [--steps K] [--log]
                          [--rank-one] [--overlaps] [--samples K] [--seed S] [--threads T]
                          [--sampler auto|dense|banded] [--json FILE|-] [--csv FILE|-]
  wignerscope-cli help | --help | --version

  MODEL = --n N [--sigma S] [--noise F] [--alpha A | --rank R] [--spikes F] [--bulk F]
          [--eigvecs basis|haar] [--session FILE.json] [--memory-budget BYTES]

Model:
  --n N               matrix size, integer >= 2 (required unless --session gives it)
  --sigma S           noise scale, > 0 (default 1); the semicircle is [-2 sigma, 2 sigma]
  --noise F           gaussian (default) | complex | rademacher | uniform | student-t:nu | sparse:p
  --alpha A           rank r = ceil(N^A), A in [0, 1] (default 0, i.e. r = 1)
  --rank R            explicit rank r (instead of --alpha)
  --spikes F          spike values: equal:t (default equal:3) | linear:a,b | power:t,g |
                      list:v1,v2,... (the rank is then the list's length)
  --bulk F            the other N - r eigenvalues of S: zero (default) | uniform:a,b |
                      semicircle:rho | twopoint:a,b,p | list:v1,...
  --eigvecs E         eigenvectors of S: basis (default) | haar
  --session FILE      read the model (and samples, seed) from a session saved by the GUI;
                      options given as well override it
  --memory-budget B   refuse runs needing more memory (bytes, or with K/M/G/T suffix;
                      default half of physical RAM)

sample:
  --samples K         number of matrices (default 1)
  --seed S            non-negative integer (default 1); same seed -> same eigenvalues,
                      for any --threads
  --threads T         worker threads, 0 = all cores (default)
  --sampler X         auto (default: banded where exact, else dense) | dense | banded
  --bins B            histogram bins (default 100)
  --range A:B         histogram range (default: all eigenvalues)
  --eigenvalues FILE  write all eigenvalues as CSV: sample,index,value (ascending per sample)
  --json FILE|-       write the results as JSON ('-' = stdout) instead of the summary

theory:
  --points P          points of the density curves (default 800)
  --json FILE|-       write the curves, support and outlier predictions as JSON

sweep (the same model at each point of a grid of one parameter; every point is exactly the
sample command's run of that model with the same --seed):
  --param P           theta: the strongest spike (the spike family is scaled to it)
                      n: the matrix size N (--n not needed)
                      alpha: the rank exponent, r = ceil(N^alpha)
  --from A --to B     first and last grid value
  --steps K           grid points, 1..1000 (default 11)
  --log               geometric grid (A, B > 0), e.g. for N
  --rank-one          theta only: a single spike equal:theta (rank 1) instead of the family
  --overlaps          also the squared eigenvector overlaps of the outliers with their spikes
                      (costs about as much again as the eigenvalues)
  --json FILE|-       one record per grid point: observed top eigenvalues, outliers, both
                      predictions, outlier counts, mean errors (and slopes for n sweeps)
  --csv FILE|-        one row per grid point (leading spike and the aggregates)

Output files are replaced atomically: never half-written, also when interrupted.
Exit status: 0 success, 2 invalid input or unwritable output, 3 refused by a resource limit
(e.g. --memory-budget), 130 interrupted (Ctrl-C).
)";
}

} // namespace ws::cli
