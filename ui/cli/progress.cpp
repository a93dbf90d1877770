// Progress line and computing mark of wignerscope-cli (see progress.h).
#include "ui/cli/progress.h"

#include <algorithm>
#include <cstdio>
#include <ostream>

namespace ws::cli {

ComputingSection::ComputingSection(const RunEnv& env) : m_count(env.computing)
{
    if (m_count)
        m_count->fetch_add(1);
}

ComputingSection::~ComputingSection()
{
    end();
}

void ComputingSection::end()
{
    if (m_count)
        m_count->fetch_sub(1);
    m_count = nullptr;
}

ProgressLine::ProgressLine(std::ostream& err, const RunEnv& env, Text text)
    : m_err(err), m_text(std::move(text)), m_delay(env.progressDelaySeconds),
      m_interval(std::chrono::duration_cast<Clock::duration>(
          std::chrono::duration<double>(std::max(env.progressIntervalSeconds, 0.001)))),
      m_start(Clock::now())
{
    if (!env.showProgress || !m_text)
        return;
    if (m_delay <= 0.0)
        drawLocked(); // no other thread yet
    m_thread = std::thread([this] { loop(); });
}

ProgressLine::~ProgressLine()
{
    stop();
}

void ProgressLine::stop()
{
    if (!m_thread.joinable())
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
    if (m_drawn) // clear the line so that what follows starts clean
        m_err << ('\r' + std::string(m_width, ' ') + '\r') << std::flush;
}

void ProgressLine::redraw()
{
    if (!m_thread.joinable())
        return;
    std::lock_guard lock(m_mutex);
    if (!m_stop)
        drawLocked();
}

void ProgressLine::loop()
{
    std::unique_lock lock(m_mutex);
    while (!m_wake.wait_for(lock, m_interval, [this] { return m_stop; }))
        drawLocked();
}

void ProgressLine::drawLocked()
{
    const double t = std::chrono::duration<double>(Clock::now() - m_start).count();
    if (t < m_delay)
        return;
    std::string line = m_text(t);
    const std::size_t width = line.size();
    if (width < m_width)
        line.append(m_width - width, ' ');
    m_width = std::max(m_width, width);
    m_err << ('\r' + line) << std::flush; // one write: a reader never sees half a line
    m_drawn = true;
}

ProgressLine::Text samplingText(const std::atomic<int>& done, int total)
{
    return [&done, total](double t) {
        const int d = done.load();
        char buf[160];
        int len = 0;
        if (d > 0 && d < total) {
            const double left = t / d * (total - d);
            len = std::snprintf(buf, sizeof buf,
                                "sampling: %d/%d samples, %.1f s elapsed, ~%.0f s left", d, total,
                                t, left);
        } else {
            len = std::snprintf(buf, sizeof buf, "sampling: %d/%d samples, %.1f s elapsed", d,
                                total, t);
        }
        return std::string(buf,
                           std::min(static_cast<std::size_t>(std::max(len, 0)), sizeof buf - 1));
    };
}

} // namespace ws::cli
