#pragma once
// Reading a whole small file (a session) safely: only regular files, never more than a stated
// size. A FIFO, a device (/dev/zero, /dev/stdin) or a socket would block or never end; they are
// opened without blocking and refused, before anything is read.

#include <cstddef>
#include <string>

namespace ws::core {

// The whole of `path`, at most maxBytes. InputError "cannot read PATH: REASON": the system's
// reason (missing, permission, "Is a directory"), "not a regular file (a FIFO)" and the like, or
// "it is 80.0 MiB, over the 64 MiB limit of WHAT" (WHAT names the kind of file, e.g. "a session
// file"). A file that grows while it is read is cut at maxBytes + 1 and refused the same way.
// Allocates the file's size. Thread-safe.
std::string readRegularFile(const std::string& path, std::size_t maxBytes, const std::string& what);

} // namespace ws::core
