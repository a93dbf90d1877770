#pragma once
// Internal to core/outliers: what the overlap solver (overlap.cpp) shares with the dense matrix
// of a sample (dense_matrix.cpp) and with inverse iteration on a band (band_vectors.cpp).

#include "core/model/model.h"
#include "core/util/column_major.h"

#include <complex>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ws::core::overlaps {

using cplx = std::complex<double>;

using colmajor::at;
using colmajor::sq;

inline void checkInfo(int info, const char* routine)
{
    colmajor::checkLapackInfo(info, "overlaps", routine);
}

// The signal part of H, shared by every sample of a (model, seed): S's diagonal for basis
// eigenvectors, else the Haar O (the spikes' eigenvectors, for the overlaps) and S = O diag(s) O^H
// as one dense N x N product. The dense sampler builds S from the first r columns of O when the
// bulk is constant (dense_sampler.cpp), so its S differs from this one in the last bits only.
struct DenseSignal
{
    std::vector<double> diag; // basis: s
    std::vector<double> o, s; // haar, real noise: O and S
    std::vector<cplx> oc, sc; // haar, complex noise
};

// The signal of (m, seed): O from the stream (seed, Rng::kHaarStream), as the sampler draws it.
// Needs pinBlasToOneThread().
DenseSignal denseSignal(const Model& m, std::uint64_t seed);

// The lower triangle of H for sample k (column-major N x N, resized), as the dense sampler
// builds it: the noise through fillNoiseReal / fillNoiseComplex, scaled, plus the signal (the
// diagonal may differ from the sampler's in the last bit).
void buildLower(const Model& m, std::uint64_t seed, std::uint64_t k, const DenseSignal& sig,
                std::vector<double>& a);
void buildLower(const Model& m, std::uint64_t seed, std::uint64_t k, const DenseSignal& sig,
                std::vector<cplx>& a);

} // namespace ws::core::overlaps
