#pragma once
// The model (docs/model.md#the-matrix): H = (sigma/sqrt(N)) X + S, S = O diag(s) O^T.
// Plain values; validation and the family-string parser/printer live in families.h.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ws::core {

enum class NoiseKind { Gaussian, Complex, Rademacher, Uniform, StudentT, Sparse };

// Noise family of X: E|X_ij|^2 = 1 off the diagonal, semicircle on [-2 sigma, 2 sigma].
struct NoiseFamily
{
    NoiseKind kind = NoiseKind::Gaussian;
    double param = 0.0; // nu for StudentT (> 2), p for Sparse (0 < p <= 1); unused otherwise
    bool isComplex() const { return kind == NoiseKind::Complex; } // beta = 2
    bool operator==(const NoiseFamily&) const = default;
};

enum class SpikeKind { Equal, Linear, Power, List };

// The r spike values theta_1 >= ... >= theta_r.
//   equal:t       params = {t}
//   linear:a,b    params = {a, b}: evenly spaced from b down to a (r = 1 gives b)
//   power:t,g     params = {t, g}: theta_k = t * k^(-g)
//   list:v1,...   params = values (the rank is then their count)
struct SpikeFamily
{
    SpikeKind kind = SpikeKind::Equal;
    std::vector<double> params{3.0};
    bool operator==(const SpikeFamily&) const = default;
};

enum class BulkKind { Zero, Uniform, Semicircle, TwoPoint, List };

// Eigenvalues of S on the N - r non-spike coordinates: quantiles F^-1((i - 1/2)/(N - r)).
//   zero               params = {}
//   uniform:a,b        params = {a, b}
//   semicircle:rho     params = {rho}     (radius rho)
//   twopoint:a,b,p     params = {a, b, p} (mass p at a, 1 - p at b)
//   list:v1,...        params = values, used as the quantile function of their empirical law
struct BulkFamily
{
    BulkKind kind = BulkKind::Zero;
    std::vector<double> params{};
    bool operator==(const BulkFamily&) const = default;
};

enum class Eigvecs { Basis, Haar };

// Rank rule: r = ceil(N^alpha) (alpha in [0,1]) or an explicit rank. A `list:` spike family
// overrides both (r = number of values).
struct RankRule
{
    bool isExplicit = false;
    double alpha = 0.0;
    int rank = 1;
    bool operator==(const RankRule&) const = default;
};

// What the square and the rectangular model share, with the same meaning in both: the noise
// level sigma and the noise law, the rank rule, the spike and bulk families of S, and the
// eigenvectors of S (the singular vectors, for the rectangular model). One type, so the CLI,
// the GUI and the session files read and print both models with the same code. Each model adds
// its size.
struct NoiseAndSignal
{
    double sigma = 1.0;
    NoiseFamily noise{};
    RankRule rank{};
    SpikeFamily spikes{};
    BulkFamily bulk{};
    Eigvecs eigvecs = Eigvecs::Basis;
    bool operator==(const NoiseAndSignal&) const = default;
};

// Largest N that validate() accepts: N and N*N-sized index arithmetic stay far from overflow
// in 64 bits.
inline constexpr int kMaxN = 100'000'000;

// The square model, N x N.
struct Model : NoiseAndSignal
{
    int n = 1000;
    bool operator==(const Model&) const = default;
};

// r for families at size n: the length of a `list:` of spikes, the explicit rank, or
// ceil(n^alpha), clamped to [1, max(maxRank, 1)] (no validation). ceil(n^alpha) is computed with
// a relative slack of 1e-12 so that e.g. 100^0.5 gives 10, not 11.
int rankOf(const NoiseAndSignal& f, int n, int maxRank);
// r of the square model: rankOf(m, m.n, m.n). Call validate() first for untrusted input.
int rankOf(const Model& m);

// theta_1 >= ... >= theta_r (sorted descending).
std::vector<double> spikeValues(const Model& m);

// The N - r bulk eigenvalues of S, ascending.
std::vector<double> bulkValues(const Model& m);

// The smallest and the largest spike, without building the list: O(1), O(list) for a list.
// Exactly min and max of spikeValues(m).
std::pair<double, double> spikeRange(const Model& m);
// The smallest and the largest bulk value, without building the N - r values (N may be 10^8):
// O(1), O(list log list) for a list. Exactly the ends of bulkValues(m); nullopt when r = N.
std::optional<std::pair<double, double>> bulkRange(const Model& m);

// All N eigenvalues of S: spikes first (descending), then the bulk (ascending).
std::vector<double> signalSpectrum(const Model& m);

// True when the bulk of S is a single value (zero, or constant), so that S - c I has rank r.
bool bulkIsConstant(const Model& m);

// Fourth cumulant kappa4 of the off-diagonal noise entries (E X^4 - 3; complex: E|X|^4 - 2),
// which enters the fluctuations of outliers along basis vectors (docs/model.md#fluctuations):
// gaussian, complex 0; rademacher -2; uniform -1.2; student-t:nu 6/(nu - 4) (empty, i.e.
// infinite, for nu <= 4); sparse:p 3/p - 3. Pure function.
std::optional<double> fourthCumulant(const NoiseFamily& f);

// Noise without a finite fourth moment (student-t with nu <= 4): the edge and outlier theory
// does not hold there (docs/model.md#validity).
bool heavyTailed(const NoiseFamily& f);

} // namespace ws::core
