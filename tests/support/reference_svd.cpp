#include "reference.h"

#include <Eigen/Dense>

namespace ws::testing {

Eigen::VectorXd singularValues(const Eigen::MatrixXd& a)
{
    return Eigen::BDCSVD<Eigen::MatrixXd>(a).singularValues();
}

ThinSvd thinSvd(const Eigen::MatrixXd& a)
{
    const Eigen::BDCSVD<Eigen::MatrixXd> svd(a, Eigen::ComputeThinU | Eigen::ComputeThinV);
    return {svd.singularValues(), svd.matrixU(), svd.matrixV()};
}

Eigen::MatrixXd householderQ(const Eigen::MatrixXd& g)
{
    return Eigen::HouseholderQR<Eigen::MatrixXd>(g).householderQ() *
           Eigen::MatrixXd::Identity(g.rows(), g.cols());
}

} // namespace ws::testing
