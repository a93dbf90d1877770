#pragma once
// Makes writes beyond `bytes` fail with EFBIG ("File too large") for this process while the
// object lives (RLIMIT_FSIZE, with SIGXFSZ ignored so the write fails instead of killing the
// test), then restores both. For the tests of "a failed write keeps the old file".
#include <csignal>

#include <sys/resource.h>

namespace testsupport {

class FileSizeLimit
{
public:
    explicit FileSizeLimit(rlim_t bytes)
    {
        m_oldHandler = std::signal(SIGXFSZ, SIG_IGN);
        m_ok = ::getrlimit(RLIMIT_FSIZE, &m_old) == 0;
        rlimit small = m_old;
        small.rlim_cur = bytes;
        m_ok = m_ok && ::setrlimit(RLIMIT_FSIZE, &small) == 0;
    }
    ~FileSizeLimit() { restore(); }
    FileSizeLimit(const FileSizeLimit&) = delete;
    FileSizeLimit& operator=(const FileSizeLimit&) = delete;

    bool ok() const { return m_ok; } // the limit is in force
    void restore()
    {
        if (m_restored)
            return;
        m_restored = true;
        ::setrlimit(RLIMIT_FSIZE, &m_old);
        std::signal(SIGXFSZ, m_oldHandler);
    }

private:
    void (*m_oldHandler)(int) = SIG_DFL;
    rlimit m_old{};
    bool m_ok = false, m_restored = false;
};

} // namespace testsupport
