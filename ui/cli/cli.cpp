// wignerscope-cli: commands, outputs and exit codes (see cli.h).
#include "ui/cli/cli.h"

#include "ui/cli/args.h"
#include "ui/cli/cluster.h"
#include "ui/cli/distributed.h"
#include "ui/cli/output.h"
#include "ui/cli/printable.h"
#include "ui/cli/progress.h"
#include "ui/cli/rect.h"
#include "ui/cli/spectrum_report.h"
#include "ui/cli/sweep.h"
#include "ui/cli/weights.h"

#include "core/sampling/banded/banded.h"
#include "core/model/families.h"
#include "core/util/histogram.h"
#include "core/outliers/outliers.h"
#include "core/sampling/runner.h"
#include "core/sampling/sampler_plan.h"
#include "core/sweeps/located.h"
#include "core/io/atomic_file.h"
#include "core/io/session.h"
#include "core/theory/theory.h"
#include "core/weights/weights_io.h"
#include "core/util/bytes.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <new>
#include <optional>
#include <ostream>

namespace ws::cli {

namespace {

// computeTheory has no cancel flag: abandoned when the flag is set (progress.h).
std::optional<core::Theory> theoryCancellable(const core::Model& m, int points, const RunEnv& env)
{
    return abandonable<core::Theory>([m, points] { return core::computeTheory(m, points); }, env);
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
    throw core::ResourceError(
        "n", "memory: the eigenvalues of " + std::to_string(o.samples) + " samples at N = " +
                 std::to_string(o.model.n) + " and their CSV text need about " +
                 core::formatBytes(need, core::ByteStyle::Significant) + " but the budget is " +
                 core::formatBytes(static_cast<double>(budget), core::ByteStyle::Significant) +
                 (maxN >= 2 ? "; the largest N that fits is " + formatCount(maxN)
                            : std::string("; not even N = 2 fits")) +
                 " (fewer samples also lower the need)");
}

// The banded fast path (histogram from inertia counts, outliers by bisection, never all
// eigenvalues) where core::planSampler picks it; it cannot give --eigenvalues. An explicit
// --sampler banded that does not apply is refused by runSamples, saying why.
bool useBandedFastPath(const Options& o)
{
    return core::planSampler(o.model, o.sampler, o.bins, !o.eigenvaluesPath.empty()) ==
           core::SamplerPlan::BandedCounts;
}

// Histogram range for the fast path when --range is not given: the theory's support and
// outliers, widened by 10 edge-fluctuation scales; a second pass with the observed extremes
// runs only if an eigenvalue fell outside (same seed, so the same matrices).
std::pair<double, double> theoryRange(const core::Theory& t, double sigma, int n)
{
    const auto [lo, hi] =
        core::theoryExtent(t, {t.equivalent.support.front().a, t.equivalent.support.back().b});
    const double w = 10.0 * sigma * std::pow(static_cast<double>(n), -2.0 / 3.0) + 0.02 * (hi - lo);
    return {lo - w, hi + w};
}

int runSampleBanded(const Options& o, std::ostream& out, std::ostream& err, const RunEnv& env)
{
    ComputingSection computing(env);
    const std::optional<core::Theory> theory =
        clusterStep(env, "sample", [&] { return theoryCancellable(o.model, 800, env); });
    if (!theory || cancelled(env))
        return kExitInterrupted;

    core::RunOptions ro = runOptionsOf(o);
    ro.threads = clusterThreads(o.threads, env);
    ro.sampler = core::SamplerChoice::Banded;

    // Every eigenvalue outside the bulk's claim is located (the band model needs a constant
    // bulk: at most one bulk interval).
    core::BandedSpectrumRequest req = core::outlierSpectrumRequest(*theory, {});
    auto [lo, hi] = o.range ? *o.range : theoryRange(*theory, o.model.sigma, o.model.n);

    core::BandedRunResult run;
    for (int pass = 0; pass < 2; ++pass) {
        req.edges = core::makeHistogram(lo, hi, o.bins).edges;
        std::optional<core::BandedRunResult> got =
            withSamplingProgress(err, env, o.samples, [&](const auto& onProgress) {
                return clusterRunBandedSpectra(o.model, ro, req, env, onProgress);
            });
        bool again = false;
        if (got) { // rank 0 (or no cluster) decides on a second pass
            run = std::move(*got);
            if (run.cancelled || cancelled(env))
                return kExitInterrupted;
            double minEv = lo, maxEv = hi;
            for (const auto& s : run.spectra) {
                if (!s.bottom.empty())
                    minEv = std::min(minEv, s.bottom.front());
                if (!s.top.empty())
                    maxEv = std::max(maxEv, s.top.front());
            }
            if (!o.range && (minEv < lo || maxEv > hi)) {
                again = true;
                const double pad = 0.01 * (maxEv - minEv);
                lo = minEv - pad;
                hi = maxEv + pad;
            }
        }
        if (isDistributed(env)) { // ... and tells the others
            BlockWriter w;
            w.putInt(again ? 1 : 0);
            w.putDouble(lo);
            w.putDouble(hi);
            const std::string decision = env.cluster->broadcast(w.take());
            BlockReader r(decision);
            again = r.getInt() != 0;
            lo = r.getDouble();
            hi = r.getDouble();
        }
        if (!again)
            break;
    }
    if (!isRoot(env))
        return kExitOk; // this process's share is delivered; rank 0 reports

    core::RunResult extremes;
    extremes.sampler = core::SamplerKind::Banded;
    extremes.requested = run.requested;
    extremes.completed = run.completed;
    extremes.sampleIndex = run.sampleIndex;
    extremes.totalSeconds = run.totalSeconds;
    for (const auto& s : run.spectra)
        extremes.eigenvalues.push_back(core::locatedEigenvalues(s));

    const SampleReport report = makeBandedReport(o, extremes, run, *theory);
    const std::string text = o.jsonPath.empty() ? sampleSummary(o, report) : sampleJson(o, report);
    computing.end();
    if (cancelled(env))
        return kExitInterrupted;
    writeResult({{o.jsonPath.empty() ? "-" : o.jsonPath, &text}}, o.model, out, err, env);
    return kExitOk;
}

int runSample(const Options& o, std::ostream& out, std::ostream& err, const RunEnv& env)
{
    // Every output is checked before the long computation starts (by rank 0, which writes).
    clusterStep(env, "sample", [&] {
        if (isRoot(env))
            checkOutputs(o);
        checkCsvMemory(o);
        checkHistogramMemory(o.bins, o.memoryBudget);
        checkTheoryMemory(o);
        return 0;
    });
    if (cancelled(env))
        return kExitInterrupted;
    noteThreads(o.threads, err);
    if (useBandedFastPath(o))
        return runSampleBanded(o, out, err, env);

    ComputingSection computing(env);
    core::RunOptions ro = runOptionsOf(o);
    ro.threads = clusterThreads(o.threads, env);

    std::optional<core::RunResult> got =
        withSamplingProgress(err, env, o.samples, [&](const auto& onProgress) {
            return clusterRunSamples(o.model, ro, env, onProgress);
        });
    if (!got)
        return kExitOk; // this process's share is delivered; rank 0 reports
    core::RunResult result = std::move(*got);
    if (result.cancelled || cancelled(env))
        return kExitInterrupted;

    const std::optional<core::Theory> theory = theoryCancellable(o.model, 800, env);
    if (!theory || cancelled(env))
        return kExitInterrupted;

    const SampleReport report = makeSampleReport(o, result, *theory);
    const std::string json = o.jsonPath.empty() ? std::string() : sampleJson(o, report);
    const std::string csv = o.eigenvaluesPath.empty() ? std::string() : eigenvaluesCsv(o, result);
    const bool summary = o.jsonPath.empty() && o.eigenvaluesPath != "-";
    const std::string summaryText = summary ? sampleSummary(o, report) : std::string();
    computing.end();
    if (cancelled(env))
        return kExitInterrupted;

    // One result: the files are replaced together or not at all (stdout in this order).
    writeResult(
        {{o.eigenvaluesPath, &csv}, {o.jsonPath, &json}, {summary ? "-" : "", &summaryText}},
        o.model, out, err, env);
    return kExitOk;
}

int runTheory(const Options& o, std::ostream& out, std::ostream& err, const RunEnv& env)
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
    writeResult({{o.jsonPath.empty() ? "-" : o.jsonPath, &text}}, o.model, out, err, env);
    return kExitOk;
}

// One line on stderr, whatever the message contains: line breaks become spaces, and every
// other control character (from file names, tensor names, hostile arguments) is escaped, so
// that nothing in a message can move the cursor or recolour the terminal.
void printError(std::ostream& err, const std::string& message)
{
    std::string line = message;
    std::replace(line.begin(), line.end(), '\n', ' ');
    std::replace(line.begin(), line.end(), '\r', ' ');
    err << "error: " << printable(line) << '\n' << std::flush;
}

} // namespace

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    return run(args, out, err, RunEnv{});
}

namespace {

int runCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
               const RunEnv& env)
{
    const auto finish = [&err](int status) {
        if (status == kExitInterrupted)
            printError(err, "interrupted; nothing written");
        return status;
    };
    try {
        const std::string command = args.empty() ? std::string() : args[0];
        // A cluster run splits sample, sweep, rect sample and animate; the other commands run on
        // rank 0 alone (weights before any collective step, theory after parsing).
        if (!isRoot(env) && command == "weights")
            return kExitOk;
        // Commands with their own option sets.
        if (command == "weights")
            return finish(runWeightsCommand(args, out, err, env));
        if (command == "rect")
            return finish(runRectCommand(args, out, err, env));
        if (command == "animate") {
            if (!env.animate)
                throw core::InputError("animate: not in this build of wignerscope-cli (it needs "
                                       "QtGui, giflib and FFmpeg)");
            return finish(env.animate(args, out, err, env));
        }
        // Parsing reads the session and validates the model: nothing is written yet, so Ctrl-C
        // ends the process at once here too. In a cluster run every process parses (a session
        // file unreadable on one node fails them all).
        const Options o = [&] {
            ComputingSection parsing(env);
            return clusterStep(env, command, [&] { return parseArgs(args); });
        }();
        switch (o.command) {
        case Command::Help:
            if (isRoot(env))
                out << usage() << std::flush;
            return kExitOk;
        case Command::Version:
            if (isRoot(env))
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
            if (!isRoot(env))
                return kExitOk;
            return runTheory(o, out, err, env) == kExitInterrupted
                       ? (printError(err, "interrupted; nothing written"), kExitInterrupted)
                       : kExitOk;
        }
        return kExitOk;
    } catch (...) {
        const Failure f =
            failureOf(std::current_exception(), args.empty() ? std::string() : args[0]);
        if (isRoot(env) && !f.message.empty())
            printError(err, f.message);
        return f.status;
    }
}

} // namespace

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
        const RunEnv& env)
{
    const int status = runCommand(args, out, err, env);
    if (!env.cluster)
        return status;
    // Every process ends with rank 0's status: rank 0 printed the one message (an agreed
    // failure), or wrote the outputs and knows whether that worked.
    BlockWriter w;
    w.putInt(status);
    const std::string agreed = env.cluster->broadcast(w.take());
    BlockReader r(agreed);
    return static_cast<int>(r.getInt());
}

std::string versionText()
{
    // One literal (WS_VERSION is one): GCC 12 at -O1 -fsanitize=thread flags string + literal
    // with a false -Warray-bounds.
    return "wignerscope-cli " WS_VERSION;
}

std::string usage()
{
    return R"(wignerscope-cli: sample deformed Wigner matrices H = (sigma/sqrt(N)) X + S and compare
their eigenvalues with theory (semicircle, deterministic equivalent, outliers); the rectangular
model and real weight matrices (singular values, noise fit, pruning).

Usage:
  wignerscope-cli sample  MODEL [--samples K] [--seed S] [--threads T]
                          [--sampler auto|dense|banded] [--bins B] [--range A:B]
                          [--eigenvalues FILE.csv] [--json FILE|-]
  wignerscope-cli theory  MODEL [--points P] [--json FILE|-]
  wignerscope-cli sweep   MODEL --param theta|n|alpha --from A --to B [--steps K] [--log]
                          [--rank-one] [--overlaps] [--samples K] [--seed S] [--threads T]
                          [--sampler auto|dense|banded] [--json FILE|-] [--csv FILE|-]
  wignerscope-cli animate MODEL --param theta|n|alpha|sigma|spikes:K|bulk:K --from A --to B
                          [--frames K] [--log] [--samples K] [--seed S] [--threads T]
                          [--sampler auto|dense|banded] [--bins B]
                          [--size 1280x720|1920x1080|4:3|WxH] [--fps F]
                          --out FILE.gif|FILE.mp4|DIR/
  wignerscope-cli rect sample RMODEL [--samples K] [--seed S] [--threads T] [--bins B]
                          [--range A:B] [--squared] [--json FILE|-]
  wignerscope-cli rect theory RMODEL [--points P] [--squared] [--json FILE|-]
  wignerscope-cli weights FILE [--tensor NAME] [--json FILE|-] [--bins B] [--range A:B]
                          [--prune K|auto --out FILE.npy] [--false-rate P]
                          [--permuted SEED] [--memory-budget BYTES]
  wignerscope-cli weights FILE --list [--json FILE|-]
  wignerscope-cli weights MODEL.safetensors|MODEL.npz|DIR --all [--json FILE|-] [--csv FILE|-]
                          [--false-rate P] [--memory-budget BYTES]
                          [--prune auto --out PRUNED.safetensors]
  wignerscope-cli help | --help | --version

  MODEL = --n N [--sigma S] [--noise F] [--alpha A | --rank R] [--spikes F] [--bulk F]
          [--eigvecs basis|haar] [--session FILE.json] [--memory-budget BYTES]

  RMODEL = --n N (--m M | --c C) [--sigma S] [--noise F] [--alpha A | --rank R] [--spikes F]
           [--bulk F] [--eigvecs basis|haar] [--session FILE.json] [--memory-budget BYTES]

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
  --range A:B         histogram range (default: from the lowest to the highest eigenvalue;
                      with inertia counts, i.e. banded without --eigenvalues: the predicted
                      spectrum padded on each side by 2% of its width + 10 sigma N^(-2/3),
                      widened to any eigenvalue beyond it: the bins differ from such a run
                      with --eigenvalues)
  --eigenvalues FILE  write all eigenvalues as CSV: sample,index,value (ascending per sample)
  --json FILE|-       write the results as JSON ('-' = stdout) instead of the summary

theory:
  --points P          points of the density curves (default 800)
  --json FILE|-       write the curves, support and outlier predictions as JSON

sweep (the same model at each point of a grid of one parameter; every point is the sample
command's run of that model with the same --seed: the same matrices, eigenvalues and counts;
outliers located by bisection (banded fast path) agree to its tolerance, 1e-13 of the scale):
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

animate (a histogram and its theory while one parameter moves, for slides; every frame is
the sample command's run of that frame's model, all its samples, with the same --seed at every
frame, on axes fixed for the whole animation; no display needed):
  --param P           theta, n, alpha as for sweep; sigma: the noise scale; spikes:K / bulk:K:
                      the K-th value of the --spikes / --bulk family (spikes:2 of linear:a,b is b)
  --from A --to B     the first and last frame's value
  --frames K          number of frames, 1..1000 (default 60)
  --log               geometric spacing (A, B > 0), e.g. for n
  --bins B            histogram bins over the whole range (default: from N and --samples)
  --samples K         samples per frame (default 1)
  --size S            frame size: 1280x720 (default), 1920x1080, 4:3 (1024x768) or WxH
  --fps F             frames per second, 1..60 (default 10; a GIF at most 50)
  --out FILE          FILE.gif (animated, looping), FILE.mp4 (H.264; even width and height) or
                      DIR/ (frame_0001.png, ...; an existing DIR may hold only such frames)

rect (the rectangular model W = (sigma/sqrt(N)) X + S, N x M, c = M/N; the singular values of
W against Marchenko-Pastur, the deterministic equivalent and the outlier predictions; notes in
docs/rectangular.md):
  --n N, --m M        rows and columns, integers in [1, 10^8] (not both 1)
  --c C               instead of --m: M = round(C N)
  --sigma, --noise, --alpha, --rank, --spikes, --bulk, --eigvecs
                      as for MODEL; the spikes and bulk are the singular values of S (>= 0),
                      r <= min(N, M); basis: S_ii = s_i, haar: random singular vectors
  --session FILE      read the rectangular model (and samples, seed) from a session saved by
                      the GUI (its Rectangular tab); options given as well override it
  --squared           report the squared singular values (eigenvalues of W W^T or W^T W)
  --samples, --seed, --threads, --bins, --range, --memory-budget, --points, --json
                      as for sample and theory; the JSON has the MP edges, the support of the
                      deterministic equivalent, each spike's finite-rank (BBP) and large-rank
                      prediction with overlaps and, for sample, the observed mean and sd

weights (a real weight matrix W, N x M, modelled as (sigma/sqrt(N)) X + S with c = M/N; the
singular values, the Marchenko-Pastur noise fit and the count above the bulk edge; method notes
in docs/pruning.md):
  FILE                .npy (float16/32/64, C or Fortran order), .npz (np.savez, compressed or
                      not), .safetensors (F16, BF16, F32, F64) or CSV/TSV/whitespace text (one
                      matrix row per line); a 4-D convolution kernel (out, in, kh, kw) is
                      analysed as the out x (in kh kw) matrix
  --list              list the tensors of FILE (name, dtype, shape, readable) and stop
  --all               the whole-model report: every 2-D tensor and 4-D convolution kernel
                      (out, in, kh, kw, analysed as out x (in kh kw)) of a .safetensors or
                      .npz file or of the .npy/.npz/.safetensors files under DIR, in parallel
                      within the memory budget; one row per layer: shape, aspect c, sigma, MP
                      edge, outliers, detected rank, share of ||W||_F^2 in the outliers, stable
                      rank, power-law tail exponent alpha of the eigenvalues s^2 (Clauset MLE,
                      xmin by the KS distance; with that distance and the tail size); tensors
                      that cannot be analysed are listed with the reason
  --csv FILE|-        with --all: the table as CSV
  --prune auto --out PRUNED.safetensors
                      with --all on a .safetensors model: every analysed layer with a detected
                      rank k >= 1 replaced by its best rank-k approximation (dense, same dtype
                      and shape), every other byte copied; rank-0 layers are kept; the report
                      gives the parameter counts before and after (factors k (N + M))
  --tensor NAME       the tensor of a .safetensors file or member of an .npz archive (default:
                      the only readable one)
  --json FILE|-       the fit, all singular values and their histogram with the fitted
                      Marchenko-Pastur density at the bin centres, instead of the summary
  --bins B            histogram bins of --json (default 2 sqrt(min(N, M)), 10..200)
  --range A:B         histogram range of --json (default [0, 1.02 x the largest value])
  --false-rate P      the threshold's false-detection rate: the probability that a matrix of
                      pure noise reports a value above it (default 0.01; 1% also accepted);
                      each value above is reported in Tracy-Widom scales above the edge
  --permuted SEED     also analyse a copy of W with its entries randomly permuted (seeded): the
                      entry distribution kept, the signal destroyed; a noise reference for the
                      bulk (JSON: its singular values and histogram on the same bins)
  --prune K|auto      keep the top K singular values (auto: those above the edge + margin) and
                      write the best rank-K approximation of W (float64 .npy) to --out
  --out FILE.npy      where the pruned matrix goes (required with --prune, and only with it)
  --memory-budget B   as for MODEL (the matrix, its decomposition and the pruned copy)

Cluster: `mpirun -np P wignerscope-cli sample|sweep|rect|animate ...` splits the samples (for
sweep and animate the (grid point or frame, sample) pairs) over P processes, each with its own
threads (--threads per process); rank 0 writes exactly what one process would write with the
same --seed (docs/cluster.md).

Output files are replaced atomically: never half-written, also when interrupted.
Exit status: 0 success, 2 invalid input or unwritable output, 3 refused by a resource limit
(e.g. --memory-budget), 130 interrupted (Ctrl-C).
)";
}

} // namespace ws::cli
