// DenseSolver::Eigen: Eigen's SelfAdjointEigenSolver as a comparison path (bench_dense). In its
// own file because instantiating it for real and complex matrices is the slowest code in ws_core
// to compile (more so under the sanitizers).

#include "core/sampling/dense/dense_kernels.h"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <stdexcept>

namespace ws::core::dense {
namespace {

template <class Matrix, class T> std::vector<double> eigenvaluesOf(int n, const T* a)
{
    Eigen::Map<const Matrix> h(a, n, n);
    Eigen::SelfAdjointEigenSolver<Matrix> es(h, Eigen::EigenvaluesOnly);
    if (es.info() != Eigen::Success)
        throw std::runtime_error("dense sampler: Eigen's eigenvalue solver did not converge");
    return std::vector<double>(es.eigenvalues().data(), es.eigenvalues().data() + n);
}

} // namespace

std::vector<double> eigenSolverEigenvalues(int n, const double* a)
{
    return eigenvaluesOf<Eigen::MatrixXd>(n, a);
}

std::vector<double> eigenSolverEigenvalues(int n, const cplx* a)
{
    return eigenvaluesOf<Eigen::MatrixXcd>(n, a);
}

} // namespace ws::core::dense
