#pragma once
// Reading files safely: only regular files, a whole small one (a session) never beyond a stated
// size, a large one (weights) by pieces at any offset. A FIFO, a device (/dev/zero, /dev/stdin)
// or a socket would block or never end; they are opened without blocking and refused, before
// anything is read.

#include <cstddef>
#include <cstdint>
#include <string>

namespace ws::core {

// The whole of `path`, at most maxBytes. InputError "cannot read PATH: REASON": the system's
// reason (missing, permission, "Is a directory"), "not a regular file (a FIFO)" and the like, or
// "it is 80.0 MiB, over the 64 MiB limit of WHAT" (WHAT names the kind of file, e.g. "a session
// file"). A file that grows while it is read is cut at maxBytes + 1 and refused the same way.
// Allocates the file's size. Thread-safe.
std::string readRegularFile(const std::string& path, std::size_t maxBytes, const std::string& what);

// A regular file open for reads at any offset (pread), for files read by pieces. The
// constructor refuses what readRegularFile refuses, with the same InputError ("cannot read
// PATH: Is a directory", "... not a regular file (a FIFO (named pipe))"); later errors do not
// name the path (callers prepend it). Reads from several threads at once are safe.
class RegularFile
{
public:
    explicit RegularFile(const std::string& path);
    ~RegularFile();
    RegularFile(const RegularFile&) = delete;
    RegularFile& operator=(const RegularFile&) = delete;

    std::uint64_t size() const { return m_size; } // at opening

    // n bytes at `offset` into dst. InputError "the file ended early (truncated, or changed while
    // being read?)" for bytes past the end, "read error: REASON" if the system fails.
    void read(std::uint64_t offset, void* dst, std::size_t n) const;
    std::string readString(std::uint64_t offset, std::size_t n) const;

private:
    int m_fd = -1;
    std::uint64_t m_size = 0;
};

} // namespace ws::core
