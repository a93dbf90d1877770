#pragma once
// Squared overlaps of outlier eigenvectors with their spikes' eigenvectors
// (docs/model.md#eigenvector-overlaps; section 2): observed, against 1 - sigma^2/theta^2 (finite
// rank) and 1 - sigma^2 D_j (large rank). Only the eigenvectors of the matched outliers are
// computed:
// - dense: H is rebuilt as the dense sampler builds sample k (same streams; the diagonal's
//   rounding may differ in the last bit), then LAPACK dsyevr / zheevr with range 'I' gives just
//   the top (and bottom) eigenpairs. The spike's eigenvector is e_j (basis) or column j of the
//   Haar O drawn from (seed, Rng::kHaarStream) (haarOrthogonal / haarUnitary, as the sampler).
// - banded: the band matrix of sample k (drawBandMatrix); the spikes live on the first r
//   coordinates (the block Householder reduction starts from them), so the overlap is read from
//   the eigenvector's first block. Eigenvalues by bisection on inertia counts, eigenvectors by
//   inverse iteration with a band LU (O(N kd^2) per outlier), never an N x N matrix.
// Matching is observeOutliers' (outliers.h): positive spikes from the top, negative ones from the
// bottom, outside the widened main bulk; equal spikes as one group of m, whose overlap is
// (1/m) sum over the group's m eigenvectors and m spike vectors of |<v_j, u_i>|^2 (the predicted
// per-spike overlap for an exchangeable group), all-or-nothing per sample.

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
    std::vector<double> top;    // the computed largest eigenvalues, descending
    std::vector<double> bottom; // the computed smallest eigenvalues, ascending
    // One per spike (order of theory.outliers): present if the spike's group was found beyond
    // the widened main bulk in this sample.
    std::vector<std::optional<double>> perSpike;
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
    int topCount() const { return m_top; }
    int bottomCount() const { return m_bottom; }
    // Peak bytes with `concurrency` samples in flight.
    std::size_t peakBytes(int concurrency) const;

private:
    struct Impl;
    Model m_model;
    std::uint64_t m_seed;
    bool m_banded;
    int m_top = 0, m_bottom = 0;
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
    std::vector<ObservedOverlap> observed; // one per spike
    double totalSeconds = 0.0;
};

// K samples in parallel (oneTBB arena of opt.threads), sample k from stream (seed, k); banded
// where runSamples would use the banded sampler (opt.sampler). Throws InputError / ResourceError
// (memory budget) like runSamples.
OverlapRun runOverlaps(const Model& m, const Theory& theory, const RunOptions& opt,
                       const std::atomic<bool>* cancel = nullptr,
                       const ProgressCallback& progress = {});

// Mean and sd per spike over samples (samples missing a spike skip it).
std::vector<ObservedOverlap> summarizeOverlaps(const std::vector<SampleOverlaps>& samples,
                                               std::size_t spikes);

} // namespace ws::core
