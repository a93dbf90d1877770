#pragma once
// Squared overlaps of outlier eigenvectors with their spikes' eigenvectors
// (docs/model.md#eigenvector-overlaps): for each cluster interval C of mu_N and each spike v_j in
// it, the squared projection onto C's eigenvectors,
//   ||P_C v_j||^2 = sum_{i in C} |<u_i, v_j>|^2     (predicted: 1 - sigma^2 Dx_C(theta_j))
// where the eigenvalues of C are those that belong to it (outliers.h, intervalOf). A spike
// alone in its cluster gives the overlap with its own outlier eigenvector (1 - sigma^2 D_j);
// equal spikes report the average over the group, the only quantity defined for them; each
// cluster also reports the average over its spikes (SupportInterval::overlapGroup). A sample
// counts for a cluster only when it holds exactly the predicted number of eigenvalues.
// Only the eigenvectors of the clusters are computed:
// - dense: H is rebuilt as the dense sampler builds sample k (same streams; the diagonal's
//   rounding may differ in the last bit), tridiagonalized once (dsytrd / zhetrd); each
//   cluster's eigenvalues by bisection in its claim (dstebz), its vectors by inverse iteration
//   (dstein / zstein), back-transformed (dormtr / zunmtr). The spike's eigenvector is e_j
//   (basis) or column j of the Haar O drawn from (seed, Rng::kHaarStream) (haarOrthogonal /
//   haarUnitary, as the sampler).
// - banded: the band model of sample k (drawBandMatrix); the spikes live on the first r
//   coordinates (the block Householder reduction starts from them), so the overlap is read from
//   the eigenvector's first block. The eigenvalues beyond the bulk's claim (outlierThresholds)
//   by bisection on inertia counts, eigenvectors by inverse iteration with a band LU (O(N kd^2)
//   per eigenvalue), never an N x N matrix; a wide band (r close to N) goes the dense way.

#include "core/model/model.h"
#include "core/sampling/runner.h"
#include "core/theory/theory.h"

#include <atomic>
#include <complex>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ws::core {

// Observed squared overlaps of one spike over samples.
struct ObservedOverlap
{
    std::optional<double> mean, sd; // sd needs >= 2 samples with the outlier present
    int samplesPresent = 0;
    int groupSize = 1;
};

struct SampleOverlaps
{
    std::vector<double> eigenvalues; // the clusters' eigenvalues computed, ascending
    // One per spike (order of theory.outliers): ||P_C v_j||^2 averaged over its equal spikes,
    // present if its cluster was complete in this sample.
    std::vector<std::optional<double>> perSpike;
    // One per support interval: the average over the cluster's spikes, if complete.
    std::vector<std::optional<double>> perInterval;
    bool cancelled = false;
};

// Computes the overlaps of each sample k of a run. Built once per (model, seed): the Haar O and
// S are shared by all samples (dense). sample() is const and thread-safe.
class OverlapSolver
{
public:
    // banded: use the band model (needs bandedInapplicableReason(m).empty(), else InputError).
    OverlapSolver(const Model& m, const Theory& theory, std::uint64_t seed, bool banded);
    ~OverlapSolver();
    OverlapSolver(const OverlapSolver&) = delete;
    OverlapSolver& operator=(const OverlapSolver&) = delete;

    SampleOverlaps sample(std::uint64_t k, const std::atomic<bool>* cancel = nullptr) const;
    bool banded() const { return m_banded; }
    // Eigenpairs computed per sample: the predicted number of cluster eigenvalues.
    int pairCount() const { return m_pairs; }
    // Peak bytes with `concurrency` samples in flight.
    std::size_t peakBytes(int concurrency) const;

private:
    struct Impl;
    Model m_model;
    std::uint64_t m_seed;
    bool m_banded;
    int m_pairs = 0;
    std::unique_ptr<Impl> m_impl;
};

// The full dense H of sample k (column-major N x N, both triangles), real noise: the matrix the
// dense sampler draws for (seed, k). Exposed for tests.
std::vector<double> denseMatrixReal(const Model& m, std::uint64_t seed, std::uint64_t k);
std::vector<std::complex<double>> denseMatrixComplex(const Model& m, std::uint64_t seed,
                                                     std::uint64_t k);

// Eigenvectors of a band matrix by inverse iteration for the given eigenvalues (as bisection
// gives them); vectors are returned column-major n x count, unit norm, orthogonalized within
// clusters of close eigenvalues. Real matrices give real vectors (imaginary parts 0).
std::vector<std::complex<double>> bandEigenvectors(const struct BandMatrix& h,
                                                   const std::vector<double>& eigenvalues);

struct OverlapRun
{
    SamplerKind sampler = SamplerKind::Dense; // the sampler that ran
    int requested = 0, completed = 0;
    bool cancelled = false;
    std::vector<SampleOverlaps> samples; // completed, increasing k
    std::vector<int> sampleIndex;
    std::vector<ObservedOverlap> observed;  // one per spike
    std::vector<ObservedOverlap> intervals; // one per support interval (clusters' averages)
    double totalSeconds = 0.0;
};

// K samples (only opt.subset's if given) in parallel (oneTBB arena of opt.threads), sample k
// from stream (seed, k); banded
// where runSamples would use the banded sampler (opt.sampler). Throws InputError / ResourceError
// (memory budget) like runSamples.
OverlapRun runOverlaps(const Model& m, const Theory& theory, const RunOptions& opt,
                       const std::atomic<bool>* cancel = nullptr,
                       const ProgressCallback& progress = {});

// Mean and sd per spike (perSpike) or per interval (perInterval) over samples (samples missing
// a value skip it).
std::vector<ObservedOverlap> summarizeOverlaps(const std::vector<SampleOverlaps>& samples,
                                               std::size_t spikes);
std::vector<ObservedOverlap> summarizeIntervalOverlaps(const std::vector<SampleOverlaps>& samples,
                                                       std::size_t intervals);

} // namespace ws::core
