// Split from reference_svd.cpp so the two slow template instantiations compile in parallel.
#include "reference.h"

#include <Eigen/Dense>

namespace ws::testing {

namespace {
template <class Mat> EigenDecomposition<Mat> decompose(const Mat& h)
{
    const Eigen::SelfAdjointEigenSolver<Mat> es(h);
    return {es.eigenvalues(), es.eigenvectors()};
}
} // namespace

Eigen::VectorXd eigenvalues(const Eigen::MatrixXd& h)
{
    return Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(h, Eigen::EigenvaluesOnly).eigenvalues();
}

Eigen::VectorXd eigenvalues(const Eigen::MatrixXcd& h)
{
    return Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd>(h, Eigen::EigenvaluesOnly).eigenvalues();
}

EigenDecomposition<Eigen::MatrixXd> eigenDecomposition(const Eigen::MatrixXd& h)
{
    return decompose(h);
}

EigenDecomposition<Eigen::MatrixXcd> eigenDecomposition(const Eigen::MatrixXcd& h)
{
    return decompose(h);
}

} // namespace ws::testing
