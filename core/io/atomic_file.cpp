// Atomic file writes (see atomic_file.h).
#include "core/io/atomic_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ws::core {

namespace {

[[noreturn]] void writeFailed(const std::string& path, int err)
{
    throw std::runtime_error("cannot write " + path + ": " + std::strerror(err));
}

// The mode a freshly created file would get: 0666 minus the umask. Read from /proc rather than
// with umask(), which would change the process-wide mask for a moment.
mode_t newFileMode()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("Umask:", 0) == 0) {
            try {
                return static_cast<mode_t>(0666 & ~std::stoul(line.substr(6), nullptr, 8));
            } catch (const std::exception&) {
                break;
            }
        }
    }
    return 0644;
}

} // namespace

void writeFileAtomically(const std::string& path, std::string_view contents)
{
    namespace fs = std::filesystem;
    if (path.empty())
        throw std::runtime_error("cannot write an empty file name");
    const fs::path target(path);
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    // (Built with append: GCC 12 gives a false -Wrestrict for "." + std::string.)
    std::string base(".");
    base.append(target.filename().string()).append(".tmp-XXXXXX");
    const std::string tmpl = (dir / base).string();
    std::vector<char> name(tmpl.begin(), tmpl.end());
    name.push_back('\0');

    const int fd = mkostemp(name.data(), O_CLOEXEC);
    if (fd < 0)
        writeFailed(path, errno);
    const std::string tmp(name.data());
    // From here on, every failure removes the temporary file.
    auto abandon = [&](int err) {
        ::close(fd);
        ::unlink(tmp.c_str());
        writeFailed(path, err);
    };

    struct stat st
    {
    };
    const mode_t mode = (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode))
                            ? (st.st_mode & 07777)
                            : newFileMode();
    if (::fchmod(fd, mode) != 0)
        abandon(errno);

    const char* p = contents.data();
    std::size_t left = contents.size();
    while (left > 0) {
        const ssize_t w = ::write(fd, p, left);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            abandon(errno);
        }
        p += w;
        left -= static_cast<std::size_t>(w);
    }
    if (::fsync(fd) != 0)
        abandon(errno);
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        writeFailed(path, err);
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        writeFailed(path, err);
    }
    // Make the rename itself durable; failure here does not undo a completed write.
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

} // namespace ws::core
