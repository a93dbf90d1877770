// Output files written atomically, in sets, or in place (see atomic_file.h).
#include "core/io/atomic_file.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <stdexcept>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ws::core {

namespace {

constexpr std::size_t kPiece = std::size_t{1} << 20; // bytes per write() between cancel checks
constexpr int kMaxLinks = 40;                        // as the kernel's limit for a path
constexpr std::size_t kNameMax = 255;                // NAME_MAX of Linux filesystems

[[noreturn]] void writeFailed(const std::string& path, int err)
{
    throw std::runtime_error("cannot write " + path + ": " + std::strerror(err));
}

bool isCancelled(const std::atomic<bool>* cancel)
{
    return cancel && cancel->load();
}

std::string directoryOf(const std::string& path)
{
    const auto slash = path.find_last_of('/');
    if (slash == std::string::npos)
        return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

std::string baseOf(const std::string& path)
{
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// "DIR/.NAME.tmp-" with NAME cut (at a UTF-8 character boundary) so that the name plus the
// six random characters fits a file name: a 250-byte target still gets a temporary.
std::string temporaryPrefix(const std::string& target)
{
    std::string base = baseOf(target);
    constexpr std::size_t kExtra = 1 + 5 + 6; // ".", ".tmp-", XXXXXX
    if (base.size() > kNameMax - kExtra) {
        std::size_t cut = kNameMax - kExtra;
        while (cut > 0 && (static_cast<unsigned char>(base[cut]) & 0xC0) == 0x80)
            --cut;
        base.resize(cut);
    }
    std::string dir = directoryOf(target);
    if (dir.back() != '/')
        dir += '/';
    // (Built with append: GCC 12 gives a false -Wrestrict for "." + std::string.)
    return dir.append(".").append(base).append(".tmp-");
}

std::string randomSuffix()
{
    static constexpr char kChars[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    thread_local std::mt19937_64 gen{std::random_device{}()};
    std::string s(6, 'X');
    for (char& c : s)
        c = kChars[gen() % (sizeof kChars - 1)];
    return s;
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

// A link that lives in /proc (/proc/self/fd/1, reached from /dev/stdout) names an open file,
// not a path: what it points to is written in place.
bool isProcLink(const std::string& link)
{
    char real[PATH_MAX];
    if (!::realpath(directoryOf(link).c_str(), real))
        return false;
    return std::strncmp(real, "/proc/", 6) == 0;
}

void closeQuietly(int& fd)
{
    if (fd >= 0)
        ::close(fd);
    fd = -1;
}

// Writes all of `contents` to fd in pieces, checking the cancel flag between them. A write
// interrupted by a signal (a full pipe) is retried unless the flag was set meanwhile.
void writeAll(int fd, std::string_view contents, const std::string& shown,
              const std::atomic<bool>* cancel, const char* cancelMessage)
{
    std::size_t done = 0;
    while (done < contents.size()) {
        if (isCancelled(cancel))
            throw WriteCancelled(cancelMessage);
        const std::size_t n = std::min(kPiece, contents.size() - done);
        const ssize_t w = ::write(fd, contents.data() + done, n);
        if (w < 0) {
            if (errno == EINTR)
                continue; // the flag is looked at above
            writeFailed(shown, errno);
        }
        done += static_cast<std::size_t>(w);
    }
}

// An in-place output: open (a FIFO's open waits for a reader; a signal ends the wait), write,
// close. No fsync: devices and pipes have nothing to flush to a disk.
void writeInPlace(const std::string& path, std::string_view contents,
                  const std::atomic<bool>* cancel)
{
    const std::string partly = "part of the output went to " + path + "; no file was replaced";
    int fd = -1;
    for (;;) {
        if (isCancelled(cancel))
            throw WriteCancelled("nothing written");
        fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_NOCTTY | O_CLOEXEC);
        if (fd >= 0)
            break;
        if (errno != EINTR)
            writeFailed(path, errno);
    }
    try {
        writeAll(fd, contents, path, cancel, contents.empty() ? "nothing written" : partly.c_str());
    } catch (...) {
        closeQuietly(fd);
        throw;
    }
    if (::close(fd) != 0 && errno != EINTR)
        writeFailed(path, errno);
}

// Gives the unnamed temporary `fd` a name next to `target` ("DIR/.NAME.tmp-XXXXXX"), through
// /proc/self/fd (any user) or, without /proc, AT_EMPTY_PATH (needs CAP_DAC_READ_SEARCH).
std::string nameTemporary(int fd, const std::string& target, const std::string& shown)
{
    const std::string fdPath = "/proc/self/fd/" + std::to_string(fd);
    const std::string prefix = temporaryPrefix(target);
    for (int attempt = 0;; ++attempt) {
        std::string name = prefix + randomSuffix();
        int rc = ::linkat(AT_FDCWD, fdPath.c_str(), AT_FDCWD, name.c_str(), AT_SYMLINK_FOLLOW);
        if (rc != 0 && errno == ENOENT)
            rc = ::linkat(fd, "", AT_FDCWD, name.c_str(), AT_EMPTY_PATH);
        if (rc == 0)
            return name;
        if (errno != EEXIST || attempt > 100)
            writeFailed(shown, errno);
    }
}

void fsyncDirectory(const std::string& dir)
{
    // Makes a rename durable; a failure here does not undo the completed write.
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

// renameat2(RENAME_EXCHANGE): both names stay, their files swap. (Not named exchange: with
// std::string arguments, ADL would also find std::exchange.) glibc 2.28+ declares it in
// <stdio.h>; older systems have no wrapper.
int exchangeFiles(const std::string& a, const std::string& b)
{
    return ::renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE);
}

} // namespace

OutputTarget resolveOutput(const std::string& path)
{
    if (path.empty())
        throw std::runtime_error("cannot write an empty file name");
    std::string p = path;
    for (int hops = 0;; ++hops) {
        struct stat st
        {
        };
        if (::lstat(p.c_str(), &st) != 0) {
            if (errno == ENOENT)
                return {p, false}; // a new file (its directory is checked when it is created)
            writeFailed(path, errno);
        }
        if (S_ISLNK(st.st_mode)) {
            if (hops >= kMaxLinks)
                writeFailed(path, ELOOP);
            if (isProcLink(p))
                return {path, true};
            std::vector<char> buf(static_cast<std::size_t>(std::max<off_t>(st.st_size, 0)) + 256);
            const ssize_t len = ::readlink(p.c_str(), buf.data(), buf.size());
            if (len < 0)
                writeFailed(path, errno);
            if (static_cast<std::size_t>(len) >= buf.size())
                writeFailed(path, ENAMETOOLONG); // changed under us; do not guess
            const std::string to(buf.data(), static_cast<std::size_t>(len));
            p = (!to.empty() && to.front() == '/') ? to : directoryOf(p) + "/" + to;
            continue;
        }
        if (S_ISREG(st.st_mode))
            return {p, false};
        if (S_ISDIR(st.st_mode))
            writeFailed(path, EISDIR);
        if (S_ISBLK(st.st_mode))
            throw std::runtime_error("cannot write " + path +
                                     ": a block device (a disk); refusing to write to it");
        return {p, true}; // character device, FIFO, socket
    }
}

// ---- OutputSet ------------------------------------------------------------------------------

struct OutputSet::Entry
{
    std::string shown;   // the path as given, for messages
    OutputTarget target; // where it goes
    std::string_view contents;
    int fd = -1;          // the temporary file, open until commit (an unnamed one vanishes then)
    std::string named;    // the temporary's name once it has one
    bool swapped = false; // committed by exchange: `named` now holds the old file
    bool created = false; // committed by rename: the target did not exist
};

OutputSet::OutputSet(const std::atomic<bool>* cancel) : m_cancel(cancel) {}

OutputSet::~OutputSet()
{
    if (!m_committed)
        abandon();
}

void OutputSet::abandon() noexcept
{
    for (Entry& e : m_entries) {
        closeQuietly(e.fd);
        if (!e.named.empty())
            ::unlink(e.named.c_str());
        e.named.clear();
    }
}

void OutputSet::add(const std::string& path, std::string_view contents)
{
    Entry e;
    e.shown = path;
    e.target = resolveOutput(path);
    e.contents = contents;
    if (!e.target.direct) {
        struct stat st
        {
        };
        const mode_t mode = ::stat(e.target.path.c_str(), &st) == 0 && S_ISREG(st.st_mode)
                                ? (st.st_mode & 07777)
                                : newFileMode();
        const std::string dir = directoryOf(e.target.path);
        e.fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
        if (e.fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
            // No unnamed temporaries on this filesystem: a named one from the start.
            std::string name = temporaryPrefix(e.target.path) + "XXXXXX";
            e.fd = ::mkostemp(name.data(), O_CLOEXEC);
            if (e.fd >= 0)
                e.named = name;
        }
        if (e.fd < 0)
            writeFailed(path, errno);
        m_entries.push_back(std::move(e)); // from here on the destructor cleans up
        Entry& added = m_entries.back();
        if (::fchmod(added.fd, mode) != 0)
            writeFailed(path, errno);
        writeAll(added.fd, contents, path, m_cancel, "nothing written");
        if (::fsync(added.fd) != 0)
            writeFailed(path, errno);
        return;
    }
    m_entries.push_back(std::move(e));
}

void OutputSet::commit()
{
    try {
        commitSteps();
    } catch (...) {
        abandon(); // no temporary outlives a failed commit, whenever the set goes
        throw;
    }
}

void OutputSet::commitSteps()
{
    // 1. Every temporary gets a name next to its target (only now: a process killed before
    //    this point leaves no file behind).
    for (Entry& e : m_entries) {
        if (e.target.direct || !e.named.empty())
            continue;
        e.named = nameTemporary(e.fd, e.target.path, e.shown);
    }
    for (Entry& e : m_entries)
        if (e.fd >= 0) {
            const int fd = e.fd;
            e.fd = -1;
            if (::close(fd) != 0 && errno != EINTR)
                writeFailed(e.shown, errno);
        }
    // 2. In-place outputs, once every file's bytes are safely on disk.
    for (Entry& e : m_entries)
        if (e.target.direct)
            writeInPlace(e.target.path, e.contents, m_cancel);
    // 3. The renames; a failure (or a cancel) between them swaps the replaced files back.
    std::vector<Entry*> done;
    auto rollBack = [&done] {
        for (auto it = done.rbegin(); it != done.rend(); ++it) {
            Entry& e = **it;
            if (e.swapped && exchangeFiles(e.named, e.target.path) == 0)
                e.swapped = false; // `named` holds the new file again; abandon() removes it
            else if (e.created && ::unlink(e.target.path.c_str()) == 0)
                e.created = false;
        }
    };
    for (Entry& e : m_entries) {
        if (e.target.direct)
            continue;
        int err = 0;
        if (isCancelled(m_cancel)) {
            rollBack();
            throw WriteCancelled("nothing written");
        }
        struct stat now
        {
        };
        if (::lstat(e.target.path.c_str(), &now) == 0 && !S_ISREG(now.st_mode)) {
            // Became a directory (or something else) since add(): an exchange would move it.
            err = S_ISDIR(now.st_mode) ? EISDIR : EEXIST;
        } else if (exchangeFiles(e.named, e.target.path) == 0) {
            e.swapped = true;
        } else if (const int why = errno; why == ENOENT || why == EINVAL || why == ENOSYS) {
            // No target yet, or a filesystem without exchange: a plain rename (an old file
            // cannot be taken back then; it is the last resort).
            if (::rename(e.named.c_str(), e.target.path.c_str()) == 0) {
                e.created = why == ENOENT;
                e.named.clear();
            } else {
                err = errno;
            }
        } else {
            err = why;
        }
        if (err != 0) {
            rollBack();
            for (Entry* d : done)
                if (!d->created)
                    fsyncDirectory(directoryOf(d->target.path));
            writeFailed(e.shown, err);
        }
        done.push_back(&e);
    }
    m_committed = true;
    // 4. The old files (swapped out to the temporary names) go; the renames are made durable.
    std::vector<std::string> dirs;
    for (Entry& e : m_entries) {
        if (e.target.direct)
            continue;
        if (e.swapped && !e.named.empty())
            ::unlink(e.named.c_str());
        e.named.clear();
        const std::string dir = directoryOf(e.target.path);
        if (std::find(dirs.begin(), dirs.end(), dir) == dirs.end())
            dirs.push_back(dir);
    }
    for (const std::string& dir : dirs)
        fsyncDirectory(dir);
}

std::string temporaryPattern(const std::string& target)
{
    return temporaryPrefix(target) + "XXXXXX";
}

void writeFileAtomically(const std::string& path, std::string_view contents,
                         const std::atomic<bool>* cancel)
{
    OutputSet set(cancel);
    set.add(path, contents);
    set.commit();
}

void checkOutputWritable(const std::string& path)
{
    const OutputTarget t = resolveOutput(path);
    if (t.direct) {
        if (::access(t.path.c_str(), W_OK) != 0)
            writeFailed(path, errno);
        return;
    }
    if (baseOf(t.path).size() > kNameMax)
        writeFailed(path, ENAMETOOLONG);
    // The write's own steps, on an empty file: a temporary in the directory, named as at commit.
    const std::string dir = directoryOf(t.path);
    int fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    std::string named;
    if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
        std::string name = temporaryPrefix(t.path) + "XXXXXX";
        fd = ::mkostemp(name.data(), O_CLOEXEC);
        if (fd >= 0)
            named = name;
    }
    if (fd < 0)
        writeFailed(path, errno);
    if (named.empty()) {
        try {
            named = nameTemporary(fd, t.path, path);
        } catch (...) {
            ::close(fd);
            throw;
        }
    }
    ::close(fd);
    ::unlink(named.c_str());
}

} // namespace ws::core
