#pragma once
// Reference decompositions for the tests, by Eigen (independent of the LAPACK/OpenBLAS code in
// ws_core). Compiled once into ws_test_support: Eigen's solver templates are the slowest code in
// the suite to compile, and CI compiles everything three times (Release, ASan+UBSan, TSan).

#include <Eigen/Core>

namespace ws::testing {

// Self-adjoint h (the lower triangle is read): eigenvalues ascending, eigenvectors as columns.
template <class Mat> struct EigenDecomposition
{
    Eigen::VectorXd values;
    Mat vectors;
};
Eigen::VectorXd eigenvalues(const Eigen::MatrixXd& h);
Eigen::VectorXd eigenvalues(const Eigen::MatrixXcd& h);
EigenDecomposition<Eigen::MatrixXd> eigenDecomposition(const Eigen::MatrixXd& h);
EigenDecomposition<Eigen::MatrixXcd> eigenDecomposition(const Eigen::MatrixXcd& h);

// Singular values (descending), and the thin SVD a = u diag(s) v^T (Eigen's BDCSVD).
Eigen::VectorXd singularValues(const Eigen::MatrixXd& a);
struct ThinSvd
{
    Eigen::VectorXd s;
    Eigen::MatrixXd u, v;
};
ThinSvd thinSvd(const Eigen::MatrixXd& a);

// The first g.cols() columns of Q in the Householder QR of g (n x r, orthonormal columns).
Eigen::MatrixXd householderQ(const Eigen::MatrixXd& g);

} // namespace ws::testing
