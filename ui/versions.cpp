// No Qt headers in this file (see versions.h).
#include "versions.h"

#include <Eigen/Core>
#include <oneapi/tbb/version.h>

namespace ws::ui {

std::string eigenVersion()
{
    return std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) + "." +
           std::to_string(EIGEN_MINOR_VERSION);
}

std::string tbbVersion()
{
    std::string v = std::to_string(TBB_VERSION_MAJOR) + "." + std::to_string(TBB_VERSION_MINOR);
    const char* runtime = TBB_runtime_version();
    if (runtime && v != runtime)
        v += " (runtime " + std::string(runtime) + ")";
    return v;
}

} // namespace ws::ui
