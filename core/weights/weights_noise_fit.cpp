// The noise fit of a weight matrix's singular values, its Tracy-Widom threshold, and the
// permuted copy used as a noise reference (formulas in weights_analysis.h, reasoning in
// docs/pruning.md).

#include "core/weights/weights_analysis.h"

#include "core/model/families.h"
#include "core/rectangular/marchenko_pastur.h"
#include "core/sampling/rng.h"
#include "core/util/tracy_widom.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

namespace ws::core {

// ---- Noise fit --------------------------------------------------------------------------------

namespace {

std::size_t sz(int v)
{
    return static_cast<std::size_t>(v);
}

struct TwScale
{
    double mu = 0.0, sd = 0.0; // centring and scale of l_1 (header)
};

TwScale twScale(int rows, int cols)
{
    const double a = std::sqrt(std::max(rows, cols) - 0.5),
                 b = std::sqrt(std::min(rows, cols) - 0.5);
    return {(a + b) * (a + b), (a + b) * std::cbrt(1.0 / a + 1.0 / b)};
}

} // namespace

double tracyWidomThreshold(int rows, int cols, double sigma, double twUnits)
{
    if (rows < 1 || cols < 1)
        throw InputError("Tracy-Widom threshold: rows and cols must be >= 1");
    if (!std::isfinite(sigma) || sigma < 0.0)
        throw InputError("Tracy-Widom threshold: sigma must be finite and >= 0");
    if (!std::isfinite(twUnits))
        throw InputError("Tracy-Widom threshold: twUnits must be finite");
    const TwScale tw = twScale(rows, cols);
    return sigma * std::sqrt(std::max(0.0, tw.mu + twUnits * tw.sd) / rows);
}

double tracyWidomScales(int rows, int cols, double sigma, double s)
{
    if (rows < 1 || cols < 1)
        throw InputError("Tracy-Widom scales: rows and cols must be >= 1");
    if (!std::isfinite(sigma) || sigma < 0.0 || !std::isfinite(s) || s < 0.0)
        throw InputError("Tracy-Widom scales: sigma and s must be finite and >= 0");
    if (sigma == 0.0)
        return s > 0.0 ? std::numeric_limits<double>::infinity() : 0.0;
    const TwScale tw = twScale(rows, cols);
    const double x = s / sigma;
    return (rows * x * x - tw.mu) / tw.sd;
}

SigmaFitError sigmaFitError(int rows, int cols)
{
    if (rows < 1 || cols < 1)
        throw InputError("sigma fit error: rows and cols must be >= 1");
    const double p = std::min(rows, cols);
    const double ratio = static_cast<double>(std::max(rows, cols)) / p;
    return {-0.30 / (ratio * p), 0.96 * std::pow(ratio, -0.545) / p};
}

double detectionThreshold(int rows, int cols, double falseRate)
{
    if (rows < 1 || cols < 1)
        throw InputError("detection threshold: rows and cols must be >= 1");
    if (!(falseRate >= 1e-12 && falseRate <= 0.5))
        throw InputError("false-detection rate",
                         "must be in [1e-12, 0.5], got " + formatDouble(falseRate));
    const TwScale tw = twScale(rows, cols);
    const double r = tw.mu / tw.sd;
    const SigmaFitError e = sigmaFitError(rows, cols);
    return tracyWidom1UpperQuantile(falseRate, -2.0 * e.bias * r, 2.0 * e.sd * r);
}

int autoRank(const NoiseFit& fit)
{
    return fit.above;
}

NoiseFit fitNoise(const std::vector<double>& s, int rows, int cols, const NoiseFitOptions& opt)
{
    if (rows < 1 || cols < 1)
        throw InputError("noise fit: rows and cols must be >= 1 (got " + std::to_string(rows) +
                         " x " + std::to_string(cols) + ")");
    const int p = std::min(rows, cols);
    if (s.size() != static_cast<std::size_t>(p))
        throw InputError("noise fit: expected min(rows, cols) = " + std::to_string(p) +
                         " singular values, got " + std::to_string(s.size()));
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (!std::isfinite(s[i]) || s[i] < 0.0)
            throw InputError("noise fit: singular value " + std::to_string(i) +
                             " is negative or not finite");
        if (i > 0 && s[i] > s[i - 1])
            throw InputError("noise fit: singular values must be sorted in descending order "
                             "(value " +
                             std::to_string(i) + " exceeds value " + std::to_string(i - 1) + ")");
    }
    if (!(opt.qLow >= 0.0 && opt.qLow < opt.qHigh && opt.qHigh <= 1.0))
        throw InputError("noise fit: the quantile window needs 0 <= qLow < qHigh <= 1");
    if (!(opt.falseRate >= 1e-12 && opt.falseRate <= 0.5))
        throw InputError("noise fit: the false-detection rate must be in [1e-12, 0.5]");
    if (opt.maxIterations < 1)
        throw InputError("noise fit: maxIterations must be >= 1");

    const std::vector<double> x(s.rbegin(), s.rend()); // ascending
    int used = 0;
    // Least-squares sigma of the deflated bulk model with k outliers (header, steps 1-2).
    auto fitSigma = [&](int k) {
        const int pk = p - k;
        const double nk = rows - k, mk = cols - k;
        const MarchenkoPastur unit{1.0, mk / nk};
        const double scale = std::sqrt(nk / rows);
        double sxq = 0.0, sqq = 0.0;
        used = 0;
        auto add = [&](int i) {
            const double q = scale * unit.singularQuantile((i + 0.5) / pk);
            sxq += x[sz(i)] * q;
            sqq += q * q;
            ++used;
        };
        for (int i = 0; i < pk; ++i) {
            const double u = (i + 0.5) / pk;
            if (u >= opt.qLow && u <= opt.qHigh)
                add(i);
        }
        if (used == 0) // a narrow window between two levels: the level nearest to its middle
            add(std::clamp(static_cast<int>(0.5 * (opt.qLow + opt.qHigh) * pk), 0, pk - 1));
        return sqq > 0.0 ? sxq / sqq : 0.0;
    };
    const double c = static_cast<double>(cols) / rows;
    // Below `floor` a singular value is zero to working precision (the Gram path's accuracy,
    // singularValues): such values never count as standing out, whatever sigma is.
    const double floor =
        4.0 * std::sqrt(std::max(rows, cols) * std::numeric_limits<double>::epsilon()) * s.front();
    const double twUnits = detectionThreshold(rows, cols, opt.falseRate);
    auto threshold = [&](double sigma) {
        return std::max(tracyWidomThreshold(rows, cols, sigma, twUnits),
                        sigma * (1.0 + std::sqrt(c)));
    };
    auto countAbove = [&](double t) {
        const double cut = std::max(t, floor);
        return static_cast<int>(
            std::count_if(s.begin(), s.end(), [cut](double v) { return v > cut; }));
    };

    int k = 0, iterations = 0;
    double sigma = 0.0;
    std::vector<int> visited;
    while (true) {
        sigma = fitSigma(k);
        ++iterations;
        const int next = std::min(countAbove(threshold(sigma)), p / 2);
        if (next == k || iterations >= opt.maxIterations)
            break;
        if (std::find(visited.begin(), visited.end(), next) != visited.end()) {
            k = next; // a cycle: settle on the last proposal
            sigma = fitSigma(k);
            break;
        }
        visited.push_back(k);
        k = next;
    }

    NoiseFit f;
    f.sigma = sigma;
    f.entryStd = sigma / std::sqrt(static_cast<double>(rows));
    f.c = c;
    f.lowerEdge = sigma * std::abs(1.0 - std::sqrt(c));
    f.upperEdge = sigma * (1.0 + std::sqrt(c));
    const double t = threshold(sigma);
    f.margin = t - f.upperEdge;
    f.above = countAbove(t);
    f.bulkCount = p - f.above;
    f.deflation = k;
    f.falseRate = opt.falseRate;
    f.twThreshold = twUnits;
    for (int i = 0; i < f.above; ++i)
        f.outlierScales.push_back(tracyWidomScales(rows, cols, sigma, s[sz(i)]));
    f.method = "Marchenko-Pastur quantile fit: sigma by least squares of " + std::to_string(used) +
               " of the lowest " + std::to_string(p - k) +
               " singular values against MP quantiles at levels " + formatDouble(opt.qLow) + "-" +
               formatDouble(opt.qHigh) + " of a " + std::to_string(rows - k) + " x " +
               std::to_string(cols - k) + " bulk (" + std::to_string(k) + " outliers deflated, " +
               std::to_string(iterations) + (iterations == 1 ? " iteration" : " iterations") +
               "); threshold " + formatDouble(std::round(twUnits * 1000.0) / 1000.0) +
               " Tracy-Widom scales above the edge (false-detection rate " +
               formatDouble(opt.falseRate) + ")";
    return f;
}

// ---- Noise reference ----------------------------------------------------------------------------

std::vector<double> permutedCopy(const std::vector<double>& rowMajor, std::uint64_t seed)
{
    std::vector<double> w = rowMajor;
    Rng rng(seed, 0);
    for (std::size_t i = w.size(); i > 1; --i) {
        const auto j =
            std::min(static_cast<std::size_t>(rng.uniform01() * static_cast<double>(i)), i - 1);
        std::swap(w[i - 1], w[j]);
    }
    return w;
}

} // namespace ws::core
