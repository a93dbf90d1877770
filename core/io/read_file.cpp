// Whole small files, regular files only (see read_file.h).
#include "core/io/read_file.h"

#include "core/model/families.h"
#include "core/util/bytes.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ws::core {

namespace {

[[noreturn]] void cannotRead(const std::string& path, const std::string& why)
{
    throw InputError("cannot read " + path + ": " + why);
}

const char* kindOf(mode_t mode)
{
    if (S_ISFIFO(mode))
        return "a FIFO (named pipe)";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "not a file";
}

std::string tooLarge(double bytes, std::size_t maxBytes, const std::string& what)
{
    return "it is " + formatBytes(bytes) + ", over the " +
           formatBytes(static_cast<double>(maxBytes)) + " limit of " + what;
}

} // namespace

std::string readRegularFile(const std::string& path, std::size_t maxBytes, const std::string& what)
{
    // O_NONBLOCK: opening a FIFO without a writer must not wait (it is refused below anyway).
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        cannotRead(path, std::strerror(errno));
    struct Closer
    {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st
    {
    };
    if (::fstat(fd, &st) != 0)
        cannotRead(path, std::strerror(errno));
    if (S_ISDIR(st.st_mode))
        cannotRead(path, std::strerror(EISDIR));
    if (!S_ISREG(st.st_mode))
        cannotRead(path, std::string("not a regular file (") + kindOf(st.st_mode) + ")");
    if (static_cast<std::uint64_t>(st.st_size) > maxBytes)
        cannotRead(path, tooLarge(static_cast<double>(st.st_size), maxBytes, what));
    std::string out(static_cast<std::size_t>(st.st_size), '\0');
    std::size_t got = 0;
    for (;;) {
        if (got == out.size()) {
            if (out.size() > maxBytes)
                cannotRead(path, tooLarge(static_cast<double>(out.size()), maxBytes, what));
            out.resize(out.size() + 4096); // the file grew since fstat (or /proc-like sizes)
        }
        const ssize_t r = ::read(fd, out.data() + got, out.size() - got);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            cannotRead(path, std::strerror(errno));
        }
        if (r == 0)
            break;
        got += static_cast<std::size_t>(r);
    }
    out.resize(got);
    return out;
}

} // namespace ws::core
