// The false-detection rate of the weights threshold, measured, and the calibration behind it
// (docs/pruning.md, section 3.2). Pure Gaussian noise W = X / sqrt(N), seeded.
//
//   bench_false_rate [--seeds K]         per shape: the fraction of matrices with above > 0 at
//                                        stated rates 10% and 1% (default 1000 seeds)
//   bench_false_rate --calibrate P [--seeds K]
//                                        the fitted sigma's relative bias and sd, times p, for
//                                        p = min(N, M) = P and aspect ratios 1 to 16 (what
//                                        sigmaFitError in weights_analysis.h encodes)
//
// Output: one line per shape.

#include "bench/bench_common.h"
#include "core/weights/planted.h"
#include "core/weights/weights_analysis.h"

#include <cmath>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

using namespace ws::core;

namespace {

// Pure noise, sigma = 1 (stream 7 of the seed).
std::vector<double> noiseMatrix(int rows, int cols, std::uint64_t seed)
{
    return plantedWeights(rows, cols, 1.0, {}, seed, 7);
}

} // namespace

int main(int argc, char** argv)
{
    int seeds = 1000, calibrate = 0;
    ws::bench::BenchArgs args("usage: bench_false_rate [--seeds K] [--calibrate P]");
    args.option("--seeds", seeds).option("--calibrate", calibrate);
    if (!args.parse(argc, argv))
        return 2;
    if (seeds < 2 || calibrate < 0)
        return 2;
    if (calibrate > 0) {
        const int p = calibrate;
        for (double c : {1.0, 1.25, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 16.0}) {
            const int m = static_cast<int>(std::lround(p * c));
            double sum = 0.0, sum2 = 0.0;
            for (int s = 0; s < seeds; ++s) {
                const NoiseFit f = fitNoise(
                    singularValues(p, m, noiseMatrix(p, m, 5000 + static_cast<std::uint64_t>(s))),
                    p, m);
                sum += f.sigma - 1.0;
                sum2 += (f.sigma - 1.0) * (f.sigma - 1.0);
            }
            const double mean = sum / seeds, sd = std::sqrt(sum2 / seeds - mean * mean);
            const SigmaFitError model = sigmaFitError(p, m);
            std::printf("p %d c' %g: p*bias %.4f (model %.4f), p*sd %.4f +- %.4f (model %.4f)\n", p,
                        c, p * mean, p * model.bias, p * sd, p * sd / std::sqrt(2.0 * seeds),
                        p * model.sd);
        }
        return 0;
    }
    const std::pair<int, int> shapes[] = {{40, 30},   {100, 100}, {200, 400}, {400, 200},
                                          {300, 100}, {60, 240},  {150, 150}, {120, 600}};
    for (auto [rows, cols] : shapes) {
        int at10 = 0, at1 = 0;
        for (int s = 0; s < seeds; ++s) {
            const std::vector<double> sv = singularValues(
                rows, cols, noiseMatrix(rows, cols, 20000 + static_cast<std::uint64_t>(s)));
            NoiseFitOptions o;
            o.falseRate = 0.1;
            at10 += fitNoise(sv, rows, cols, o).above > 0;
            o.falseRate = 0.01;
            at1 += fitNoise(sv, rows, cols, o).above > 0;
        }
        std::printf("%d x %d: stated 10%% -> %.4f (se %.4f), stated 1%% -> %.4f (se %.4f); "
                    "thresholds %.2f, %.2f scales\n",
                    rows, cols, static_cast<double>(at10) / seeds, std::sqrt(0.09 / seeds),
                    static_cast<double>(at1) / seeds, std::sqrt(0.0099 / seeds),
                    detectionThreshold(rows, cols, 0.1), detectionThreshold(rows, cols, 0.01));
    }
    return 0;
}
