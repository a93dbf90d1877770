#pragma once
// The exception a long core call throws when its cancel flag was set (reading a weight file,
// writing outputs). A front end treats it as "stopped on request", never as a failure.

#include <stdexcept>

namespace ws::core {

class Cancelled : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

} // namespace ws::core
