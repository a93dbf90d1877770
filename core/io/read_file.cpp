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

// Opens `path` for reading without blocking and checks that it is a regular file; its size in
// `size`. The descriptor is the caller's to close.
int openRegular(const std::string& path, std::uint64_t& size)
{
    // O_NONBLOCK: opening a FIFO without a writer must not wait (it is refused below anyway).
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        cannotRead(path, std::strerror(errno));
    struct stat st
    {
    };
    std::string why;
    if (::fstat(fd, &st) != 0)
        why = std::strerror(errno);
    else if (S_ISDIR(st.st_mode))
        why = std::strerror(EISDIR);
    else if (!S_ISREG(st.st_mode))
        why = std::string("not a regular file (") + kindOf(st.st_mode) + ")";
    if (!why.empty()) {
        ::close(fd);
        cannotRead(path, why);
    }
    size = static_cast<std::uint64_t>(st.st_size);
    return fd;
}

} // namespace

std::string readRegularFile(const std::string& path, std::size_t maxBytes, const std::string& what)
{
    std::uint64_t size = 0;
    const int fd = openRegular(path, size);
    struct Closer
    {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    if (size > maxBytes)
        cannotRead(path, tooLarge(static_cast<double>(size), maxBytes, what));
    std::string out(static_cast<std::size_t>(size), '\0');
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

RegularFile::RegularFile(const std::string& path)
{
    m_fd = openRegular(path, m_size);
}

RegularFile::~RegularFile()
{
    ::close(m_fd);
}

void RegularFile::read(std::uint64_t offset, void* dst, std::size_t n) const
{
    if (offset > m_size || n > m_size - offset)
        throw InputError("the file ended early (truncated, or changed while being read?)");
    auto* p = static_cast<char*>(dst);
    while (n > 0) {
        const ssize_t got = ::pread(m_fd, p, n, static_cast<off_t>(offset));
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            throw InputError(std::string("read error: ") + std::strerror(errno));
        if (got == 0)
            throw InputError("the file ended early (truncated, or changed while being read?)");
        p += got;
        n -= static_cast<std::size_t>(got);
        offset += static_cast<std::uint64_t>(got);
    }
}

std::string RegularFile::readString(std::uint64_t offset, std::size_t n) const
{
    std::string s(n, '\0');
    read(offset, s.data(), n);
    return s;
}

} // namespace ws::core
