// Outputs written under a temporary name and renamed into place (see atomicoutput.h).
#include "ui/render/atomicoutput.h"

#include "core/io/atomic_file.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ws::render {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& path, int err)
{
    throw EncodeError("cannot write " + path + ": " + std::strerror(err));
}

// "frames/" -> "frames": a directory target may be written with a trailing slash.
std::string withoutTrailingSlash(std::string s)
{
    while (s.size() > 1 && s.back() == '/')
        s.pop_back();
    return s;
}

// 0666 (files) or 0777 (directories) minus the umask, read from /proc: umask() would change the
// process-wide mask for a moment.
mode_t creationMode(mode_t full)
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("Umask:", 0) == 0) {
            try {
                return static_cast<mode_t>(full & ~std::stoul(line.substr(6), nullptr, 8));
            } catch (const std::exception&) {
                break;
            }
        }
    return full & 0755;
}

bool isFrameName(const std::string& name)
{
    // "frame_" + at least four digits + ".png". No std::regex: GCC 12 warns
    // falsely inside <regex> under ASan (-Wmaybe-uninitialized).
    const std::string prefix = "frame_", suffix = ".png";
    if (name.size() < prefix.size() + 4 + suffix.size() ||
        name.compare(0, prefix.size(), prefix) != 0 ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
        return false;
    for (std::size_t i = prefix.size(); i < name.size() - suffix.size(); ++i)
        if (name[i] < '0' || name[i] > '9')
            return false;
    return true;
}

int fsyncPath(const std::string& path, int flags)
{
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0)
        return errno;
    const int rc = ::fsync(fd) == 0 ? 0 : errno;
    ::close(fd);
    return rc;
}

} // namespace

std::string frameFileName(int index)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "frame_%04d.png", index + 1);
    return buf;
}

void AtomicOutput::checkTarget(const std::string& target, Kind kind)
{
    const std::string t = withoutTrailingSlash(target);
    if (t.empty())
        throw EncodeError("cannot write an empty file name");
    if (kind == Kind::File) {
        // Where the file goes (a link's target; a device or FIFO is written in place) and that
        // the final write can happen there, as core's writer checks it.
        try {
            core::checkOutputWritable(t);
        } catch (const std::runtime_error& e) {
            throw EncodeError(e.what());
        }
    }
    std::error_code ec;
    const fs::file_status st = fs::status(t, ec);
    if (kind == Kind::File && fs::is_directory(st))
        fail(t, EISDIR);
    if (kind == Kind::Directory && fs::exists(st)) {
        if (!fs::is_directory(st))
            fail(t, ENOTDIR);
        for (const auto& e : fs::directory_iterator(t, ec))
            if (!isFrameName(e.path().filename().string()) || !e.is_regular_file())
                throw EncodeError("cannot write " + t +
                                  ": the directory holds other files than "
                                  "frame_NNNN.png (e.g. " +
                                  e.path().filename().string() +
                                  "); name a new or empty directory");
        if (ec)
            fail(t, ec.value());
    }
    // A temporary of the same kind next to it, created and removed, as the real one will be.
    AtomicOutput probe(t, kind);
}

AtomicOutput::AtomicOutput(std::string target, Kind kind)
    : m_target(withoutTrailingSlash(std::move(target))), m_kind(kind)
{
    if (m_target.empty())
        throw EncodeError("cannot write an empty file name");
    m_place = m_target;
    if (kind == Kind::File) {
        try {
            const core::OutputTarget where = core::resolveOutput(m_target);
            m_place = where.path;
            m_direct = where.direct;
        } catch (const std::runtime_error& e) {
            throw EncodeError(e.what());
        }
    }
    // Next to where the output goes (the rename stays on one filesystem), with core's temporary
    // names (short enough for any name); a device or FIFO gets its bytes from a temporary in
    // the system's temporary directory.
    std::string tmpl = core::temporaryPattern(m_place);
    if (m_direct) {
        const char* dir = std::getenv("TMPDIR");
        tmpl = std::string(dir && *dir ? dir : "/tmp") + "/.wignerscope-out.tmp-XXXXXX";
    }
    std::vector<char> name(tmpl.begin(), tmpl.end());
    name.push_back('\0');
    if (kind == Kind::File) {
        const int fd = ::mkostemp(name.data(), O_CLOEXEC);
        if (fd < 0)
            fail(m_target, errno);
        const int rc = ::fchmod(fd, creationMode(0666)) == 0 ? 0 : errno;
        ::close(fd);
        m_temp = name.data();
        if (rc != 0) {
            ::unlink(m_temp.c_str());
            fail(m_target, rc);
        }
    } else {
        if (!::mkdtemp(name.data()))
            fail(m_target, errno);
        m_temp = name.data();
        if (::chmod(m_temp.c_str(), creationMode(0777)) != 0) {
            const int err = errno;
            ::rmdir(m_temp.c_str());
            fail(m_target, err);
        }
    }
}

AtomicOutput::~AtomicOutput()
{
    if (m_committed || m_temp.empty())
        return;
    std::error_code ec;
    fs::remove_all(m_temp, ec);
}

void AtomicOutput::commit()
{
    if (m_committed)
        return;
    if (m_kind == Kind::File && m_direct) {
        // A device or FIFO: its bytes written in place (the temporary is removed after).
        std::string bytes;
        const int fd = ::open(m_temp.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            fail(m_target, errno);
        char buf[1 << 16];
        for (;;) {
            const ssize_t n = ::read(fd, buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                const int err = n < 0 ? errno : 0;
                ::close(fd);
                if (err)
                    fail(m_target, err);
                break;
            }
            bytes.append(buf, static_cast<std::size_t>(n));
        }
        try {
            core::writeFileAtomically(m_target, bytes);
        } catch (const std::runtime_error& e) {
            throw EncodeError(e.what());
        }
        return;
    }
    if (m_kind == Kind::File) {
        if (const int err = fsyncPath(m_temp, O_RDONLY))
            fail(m_target, err);
        if (::rename(m_temp.c_str(), m_place.c_str()) != 0)
            fail(m_target, errno);
        m_committed = true;
        return;
    }
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(m_temp, ec))
        if (const int err = fsyncPath(e.path().string(), O_RDONLY))
            fail(m_target, err);
    if (const int err = fsyncPath(m_temp, O_RDONLY | O_DIRECTORY))
        fail(m_target, err);
    if (fs::exists(m_target, ec)) {
        // Swap in one step, then remove the old frames (now under the temporary name).
        if (::renameat2(AT_FDCWD, m_temp.c_str(), AT_FDCWD, m_target.c_str(), RENAME_EXCHANGE) ==
            0) {
            m_committed = true;
            fs::remove_all(m_temp, ec);
            return;
        }
        if (errno != EINVAL && errno != ENOSYS)
            fail(m_target, errno);
        // A filesystem without the exchange: move the old one aside first (a moment without
        // the target, never a mix of old and new frames).
        std::string aside = m_temp + "-old";
        if (::rename(m_target.c_str(), aside.c_str()) != 0)
            fail(m_target, errno);
        if (::rename(m_temp.c_str(), m_target.c_str()) != 0) {
            const int err = errno;
            ::rename(aside.c_str(), m_target.c_str());
            fail(m_target, err);
        }
        m_committed = true;
        fs::remove_all(aside, ec);
        return;
    }
    if (::rename(m_temp.c_str(), m_target.c_str()) != 0)
        fail(m_target, errno);
    m_committed = true;
}

} // namespace ws::render
