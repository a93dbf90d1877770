#pragma once
// Versions of the numerical libraries, for the About box and reports. In core/ so that no Qt
// translation unit has to include oneTBB's headers (Qt's `emit` macro clashes with them).

#include <string>

namespace ws::core {

std::string eigenVersion();    // "3.4.0", from EIGEN_*_VERSION
std::string tbbVersion();      // "2021.8" (compile time), plus " (runtime X)" if it differs
std::string openblasVersion(); // "0.3.21" of the library actually loaded (openblas_get_config),
                               // plus " (built against X)" if the header says otherwise
} // namespace ws::core
