#pragma once
// Library versions for the About box. versions.cpp includes no Qt header, so it may include
// the oneTBB version header (Qt's `emit` macro clashes with TBB headers).

#include <string>

namespace ws::ui {

std::string eigenVersion(); // from EIGEN_*_VERSION
std::string tbbVersion();   // from TBB_VERSION_* (compile time) and the runtime library

} // namespace ws::ui
