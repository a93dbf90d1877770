#pragma once
// A drawn band matrix as a dense Eigen matrix, and its eigenvalues by Eigen: checks of the band
// storage, the LAPACK band solvers and the band eigenvectors that do not go through LAPACK.
#include "core/sampling/banded/banded.h"

#include "support/reference.h"

#include <Eigen/Core>

#include <algorithm>
#include <complex>
#include <cstddef>
#include <type_traits>
#include <vector>

namespace testsupport {

// The Hermitian matrix b stores (upper band layout, see BandMatrix), both triangles filled.
// Mat: Eigen::MatrixXd (a real b) or Eigen::MatrixXcd (a real b gets imaginary parts 0).
template <class Mat> Mat bandToDense(const ws::core::BandMatrix& b)
{
    Mat a = Mat::Zero(b.n, b.n);
    for (int j = 0; j < b.n; ++j)
        for (int i = std::max(0, j - b.kd); i <= j; ++i) {
            const std::size_t idx = b.index(i, j);
            if constexpr (std::is_same_v<typename Mat::Scalar, double>) {
                a(i, j) = a(j, i) = b.re[idx];
            } else {
                const std::complex<double> v(b.re[idx], b.isComplex() ? b.im[idx] : 0.0);
                a(i, j) = v;
                a(j, i) = std::conj(v);
            }
        }
    return a;
}

// The eigenvalues of b, ascending, by Eigen's dense solver.
inline std::vector<double> denseEigenvalues(const ws::core::BandMatrix& b)
{
    const Eigen::VectorXd w = b.isComplex()
                                  ? ws::testing::eigenvalues(bandToDense<Eigen::MatrixXcd>(b))
                                  : ws::testing::eigenvalues(bandToDense<Eigen::MatrixXd>(b));
    return {w.data(), w.data() + w.size()};
}

} // namespace testsupport
