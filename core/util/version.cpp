#include "core/util/version.h"

#include <Eigen/Core>
#include <cblas.h>
#include <oneapi/tbb/version.h>

#include <sstream>

namespace ws::core {

namespace {

std::string trimmed(std::string s)
{
    const auto b = s.find_first_not_of(" \t");
    const auto e = s.find_last_not_of(" \t");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// "OpenBLAS 0.3.21 DYNAMIC_ARCH ..." -> "0.3.21" (empty if the text has another shape).
std::string versionAfterName(const std::string& text)
{
    std::istringstream in(text);
    std::string name, version;
    in >> name >> version;
    return name == "OpenBLAS" ? version : std::string();
}

} // namespace

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

std::string openblasVersion()
{
    const char* config = openblas_get_config();
    std::string runtime = config ? versionAfterName(config) : std::string();
#ifdef OPENBLAS_VERSION
    const std::string built = versionAfterName(trimmed(OPENBLAS_VERSION));
#else
    const std::string built;
#endif
    if (runtime.empty())
        return built.empty() ? std::string("unknown") : built;
    if (!built.empty() && built != runtime)
        runtime += " (built against " + built + ")";
    return runtime;
}

} // namespace ws::core
