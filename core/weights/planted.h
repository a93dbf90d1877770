#pragma once
// A weight matrix with known structure, for measuring the analysis (weights_analysis.h) against
// the truth: Gaussian noise plus planted rank-one spikes (docs/pruning.md). The benchmarks and
// the tests draw their synthetic layers here, so that they measure the same model.

#include <cstdint>
#include <vector>

namespace ws::core {

// W = sigma X / sqrt(rows) + sum_j theta_j u_j v_j^T, row-major rows x cols: X iid standard
// normal, u_j in R^rows and v_j in R^cols independent uniform unit vectors (nearly orthogonal to
// each other for large sizes), so that the noise level is sigma (weights_analysis.h) and the
// j-th spike has strength theta_j. Drawn from Rng(seed, stream): X first, then u_1, v_1, u_2,
// v_2, ...; the same arguments give the same bits. Preconditions: rows, cols >= 1. Allocates
// rows x cols doubles; thread-safe.
std::vector<double> plantedWeights(int rows, int cols, double sigma,
                                   const std::vector<double>& thetas, std::uint64_t seed,
                                   std::uint64_t stream = 0);

} // namespace ws::core
