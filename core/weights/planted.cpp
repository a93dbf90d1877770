// Planted spikes in Gaussian noise (see planted.h).
#include "core/weights/planted.h"

#include "core/sampling/rng.h"

#include <cmath>

namespace ws::core {

std::vector<double> plantedWeights(int rows, int cols, double sigma,
                                   const std::vector<double>& thetas, std::uint64_t seed,
                                   std::uint64_t stream)
{
    Rng rng(seed, stream);
    const auto n = static_cast<std::size_t>(rows), m = static_cast<std::size_t>(cols);
    std::vector<double> w(n * m);
    for (double& x : w)
        x = sigma * rng.normal() / std::sqrt(static_cast<double>(rows));
    for (double theta : thetas) {
        std::vector<double> u(n), v(m);
        double nu = 0.0, nv = 0.0;
        for (double& x : u) {
            x = rng.normal();
            nu += x * x;
        }
        for (double& x : v) {
            x = rng.normal();
            nv += x * x;
        }
        const double f = theta / std::sqrt(nu * nv);
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < m; ++j)
                w[i * m + j] += f * u[i] * v[j];
    }
    return w;
}

} // namespace ws::core
