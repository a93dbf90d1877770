#pragma once
// Real-weights view, the numerics: all singular values of a weight matrix, a robust
// fit of the noise level and bulk edge, the count of singular values standing out of the bulk
// (above a Tracy-Widom threshold set for a stated false-detection rate), and the pruning preview
// (best rank-k approximation).
// Method notes with the reasoning: docs/pruning.md.
//
// Convention (marchenko_pastur.h): W is N x M (N = rows, M = cols), row-major, modelled as
// W = (sigma/sqrt(N)) X + S, X iid mean 0 variance 1, c = M/N. Pure noise has its
// p = min(N, M) nonzero singular values in sigma [|1 - sqrt c|, 1 + sqrt c].
//
// Errors: InputError (core/model/families.h) for invalid arguments, naming the argument;
// ResourceError when the working memory would exceed the budget (0 = defaultMemoryBudget(),
// half of physical RAM); Cancelled (core/weights/weights_io.h) when *cancel became true -- the
// result is then discarded. Progress is a fraction in [0, 1], non-decreasing; it may be called from
// TBB worker threads, never two calls at once. Determinism: BLAS is pinned to one thread
// (pinBlasToOneThread) and the parallel work is split into fixed blocks, each a single-threaded
// BLAS call, so results are bit-identical for any number of TBB threads.

#include "core/weights/weights_io.h" // Cancelled

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ws::core {

// ---- Noise fit --------------------------------------------------------------------------------

struct NoiseFit
{
    double sigma = 0.0;       // fitted noise level (singular-value units of W)
    double entryStd = 0.0;    // sigma / sqrt(N): the standard deviation of one noise entry
    double c = 0.0;           // M / N (cols / rows)
    double lowerEdge = 0.0;   // sigma |1 - sqrt c|   (singular values)
    double upperEdge = 0.0;   // sigma (1 + sqrt c)   (singular values)
    double margin = 0.0;      // Tracy-Widom margin above upperEdge (singular values), see below
    int above = 0;            // singular values > upperEdge + margin
    int bulkCount = 0;        // p - above: the singular values attributed to the noise
    int deflation = 0;        // k of the deflated bulk model the final sigma was fitted with
    double falseRate = 0.0;   // the stated false-detection rate the threshold was set for
    double twThreshold = 0.0; // the threshold in Tracy-Widom scales (tracyWidomScales units)
    // Each of the `above` singular values in Tracy-Widom scales above the edge's centring
    // (tracyWidomScales with the fitted sigma), descending; > twThreshold by construction.
    std::vector<double> outlierScales;
    std::string method; // one line saying how sigma was obtained (shown in the GUI/CLI)
};

struct NoiseFitOptions
{
    // Quantile window of the bulk used for the fit: the outliers sit at the top of the spectrum
    // and cannot reach it. 0 <= qLow < qHigh <= 1.
    double qLow = 0.1, qHigh = 0.7;
    // False-detection rate: the probability that a pure Gaussian noise matrix of this shape
    // reports above >= 1 (detectionThreshold). In [1e-12, 0.5].
    double falseRate = 0.01;
    int maxIterations = 20; // of the deflation loop (in practice 2-3 are used); >= 1
};

// Robust noise fit from the singular values of an N x M matrix (p = min(N, M) of them,
// descending, finite, >= 0; InputError otherwise, and for rows < 1 or cols < 1).
//
// Method ("deflated quantile matching"):
//  1. Start with k = 0 outliers. The bulk is modelled as the singular values of an
//     (N - k) x (M - k) noise matrix with entry variance sigma^2/N -- exact when the k outliers
//     come from a strong low-rank S (the noise projected off S's row and column spaces), a
//     small correction otherwise. Its p - k singular values are sigma sqrt((N-k)/N) times
//     MP(c' = (M-k)/(N-k), unit variance) quantiles.
//  2. sigma = least squares through the origin of the lowest p - k observed singular values
//     s_(i) (ascending, i = 0..p-k-1) against the model quantiles q_i = sqrt(Q_MP(c')(u_i))
//     sqrt((N-k)/N) at the levels u_i = (i + 1/2)/(p - k) in [qLow, qHigh]:
//     sigma = sum s_(i) q_i / sum q_i^2. Outliers are at the top and never enter the window.
//  3. Count the singular values above upperEdge + margin with this sigma: k'. Repeat from 1 with
//     k = min(k', p/2) until k stops changing (at most maxIterations; on a cycle, the last).
//
// Margin (Johnstone 2001, with the half-integer centring of Ma 2012): the largest eigenvalue
// l1 of X^T X for X N x M iid N(0,1) is approximately mu + s_TW TW1 with n = max(N,M),
// m = min(N,M), mu = (sqrt(n - 1/2) + sqrt(m - 1/2))^2,
// s_TW = (sqrt(n - 1/2) + sqrt(m - 1/2)) (1/sqrt(n - 1/2) + 1/sqrt(m - 1/2))^(1/3).
// The largest noise singular value of W is sigma sqrt(l1/N), so the threshold is
// sigma sqrt((mu + t s_TW)/N), t = detectionThreshold(N, M, falseRate) (which also allows for
// the error of the fitted sigma), and margin = max(0, threshold - upperEdge).
//
// Values at or below 4 sqrt(max(N, M) eps) s_1 (zero to the working precision of
// singularValues; float32 weights are rounded at 6e-8 anyway) are never counted in `above`.
//
// Degenerate input gives finite output, never NaN: all zeros -> sigma = 0, above = 0; an exactly
// low-rank matrix -> sigma at the rounding level and above = its rank; p < ~20 -> a fit from few
// values (the method string says how many were used).
NoiseFit fitNoise(const std::vector<double>& singularDescending, int rows, int cols,
                  const NoiseFitOptions& options = {});

// Threshold for the largest noise singular value (the margin formula above) for sigma, in
// singular-value units: sigma sqrt((mu + twUnits s_TW)/N). rows, cols >= 1, sigma >= 0.
double tracyWidomThreshold(int rows, int cols, double sigma, double twUnits);

// The inverse: how many Tracy-Widom scales the singular value s stands above the edge's
// centring, (N s^2/sigma^2 - mu)/s_TW (mu, s_TW as above). A pure-noise s_1 gives a TW1 draw
// (mean -1.21, sd 1.27). sigma = 0: +inf for s > 0, 0 for s = 0. rows, cols >= 1, sigma, s >= 0.
double tracyWidomScales(int rows, int cols, double sigma, double s);

// Relative error of fitNoise's sigma on pure Gaussian noise (default quantile window), as
// calibrated by simulation (docs/pruning.md, 300 seeds per shape at p = 100 and 150 at p = 300,
// c' = max(N, M)/min(N, M) from 1 to 16): bias ~ -0.30/(c' p), sd ~ 0.96 c'^(-0.545)/p
// (slightly above the measured sd between c' = 2 and 8: conservative). p = min(N, M).
struct SigmaFitError
{
    double bias = 0.0; // E[sigma_fit/sigma - 1]
    double sd = 0.0;   // sd[sigma_fit/sigma]
};
SigmaFitError sigmaFitError(int rows, int cols);

// The detection threshold t in Tracy-Widom scales for a stated false-detection rate: with the
// fitted sigma = sigma (1 + d), the statistic tracyWidomScales(s_1) of pure noise is
// ~ TW1 - 2 d R with R = mu/s_TW, so t is the upper `falseRate` quantile of TW1 + N(-2 bias R,
// (2 sd R)^2) (core/util/tracy_widom.h; bias, sd from sigmaFitError). Without the sigma term the
// rate would be exceeded: at 100 x 100, 2 sd R = 0.7 scales, and a stated 1% became 1.6%.
// rows, cols >= 1, falseRate in [1e-12, 0.5] (InputError). ~3 ms (plus ~0.1 s once per process
// for the Tracy-Widom table).
double detectionThreshold(int rows, int cols, double falseRate);

// Pruning rank suggested by the fit: the singular values that stand out of the noise.
int autoRank(const NoiseFit& fit); // = fit.above

// ---- Singular values --------------------------------------------------------------------------

// All p = min(rows, cols) singular values of the rows x cols row-major matrix, descending.
// InputError: rows, cols < 1, rowMajor.size() != rows*cols, a non-finite entry, or entries so
// large that the largest singular value is beyond the double range (the message names the
// largest entry and its [row, column]).
//
// Method: small matrices (p^2 max(rows, cols) <= 2^27) use LAPACK dgesdd (values only, full
// relative accuracy). Larger ones: the Gram matrix G of the smaller side (W W^T or W^T W, p x p)
// is built tile by tile (256 x 256 tiles, one single-threaded BLAS gemm/syrk each, in parallel
// with TBB; cancel checked and progress reported per tile), then its eigenvalues come from
// LAPACK dsyevd_2stage (uninterruptible: ~0.5 s CPU at p = 2048, ~4-6 s at p = 4096), and
// s_i = sqrt(max(lambda_i, 0)). Matrices with entries beyond 2^400 or below 2^-400 in size are
// scaled by a power of two first (exact), so the Gram matrix neither overflows nor underflows.
// Precision trade-off of the Gram path: it squares the condition number. The top singular
// values keep ~1e-13 relative accuracy; in general |s_i - s_i(exact)| <~ p eps s_1^2 / s_i, and
// values near zero come out at ~sqrt(p eps) s_1 (1e-7 s_1) instead of 0. Fine for histograms,
// the noise fit and pruning; not for a condition number.
// Memory: the Gram matrix (8 p^2 bytes) plus LAPACK workspace, checked against memoryBudget.
std::vector<double> singularValues(int rows, int cols, const std::vector<double>& rowMajor,
                                   const std::atomic<bool>* cancel = nullptr,
                                   const std::function<void(double)>& progress = {},
                                   std::size_t memoryBudget = 0);
// Bytes singularValues allocates for this shape (what is checked against the budget).
std::size_t singularValuesPeakBytes(int rows, int cols);

// ---- Noise reference ----------------------------------------------------------------------------

// A copy of the matrix with its entries randomly permuted (Fisher-Yates over all rows x cols
// entries, j = floor(u (i + 1)) with u from Rng(seed, 0)): the entry distribution is kept, any
// low-rank structure is destroyed. Its spectrum is the "noise reference" drawn beside the real
// one: a bulk that is noise-like matches it (with sigma_ref^2 = ||W||_F^2 / M, the signal's
// energy spread over the bulk); heavy-tailed entries give the reference outliers of its own.
// Same seed, same copy, on any machine. Allocates one copy.
std::vector<double> permutedCopy(const std::vector<double>& rowMajor, std::uint64_t seed);

// ---- Pruning ----------------------------------------------------------------------------------

struct PruneResult
{
    int k = 0;
    double retainedEnergy = 1.0;     // sum_{i<k} s_i^2 / sum_i s_i^2 (1 for W = 0)
    std::int64_t params = 0;         // k (rows + cols): the two factors of the low-rank form
    std::int64_t originalParams = 0; // rows cols
    std::vector<double> lowRank;     // row-major rows x cols: the best rank-k approximation W_k
    double relativeError = 0.0;      // ||W - W_k||_F / ||W||_F (0 for W = 0), computed from
                                     // the matrices; = sqrt(1 - retainedEnergy) up to rounding
    std::vector<double> topSingular; // s_1 >= ... >= s_k (from the Gram eigenvalues)
};

// The best rank-k approximation in Frobenius (and spectral) norm (Eckart-Young): W_k = U_k U_k^T W
// with U_k the top-k left singular vectors (rows <= cols), or W V_k V_k^T with the top-k right
// ones (rows > cols). U_k/V_k are the top-k eigenvectors of the Gram matrix of the smaller side
// (tiled as in singularValues, then LAPACK dsyevr, range 'I'); projecting W instead of forming
// W^T U / s avoids dividing by small singular values, so rank-deficient W needs no guard.
// k = 0 gives W_k = 0, k = p gives W_k = W (copied). When s_k = s_{k+1} the best rank-k
// approximation is not unique; one of them is returned.
// InputError: as singularValues, and k outside [0, min(rows, cols)].
// Memory: the Gram matrix, eigenvectors p x k, the result rows x cols, checked against the budget.
// Cost: the Gram matrix as in singularValues (interruptible), then dsyevr's one-stage
// tridiagonalization, BLAS-2 and uninterruptible: ~1 s CPU at p = 2048, ~20 s at p = 4096 (the
// machine was loaded; docs/pruning.md). Cancel is checked again before the projection.
PruneResult pruneTopK(int rows, int cols, const std::vector<double>& rowMajor, int k,
                      const std::atomic<bool>* cancel = nullptr,
                      const std::function<void(double)>& progress = {},
                      std::size_t memoryBudget = 0);
std::size_t pruneTopKPeakBytes(int rows, int cols, int k);

} // namespace ws::core
