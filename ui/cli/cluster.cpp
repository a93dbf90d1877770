// The cluster interface's portable parts (see cluster.h).
#include "ui/cli/cluster.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <queue>

namespace ws::cli {

std::vector<int> splitWork(const std::vector<double>& costs, int processes)
{
    const int p = std::max(processes, 1);
    std::vector<std::size_t> order(costs.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return costs[a] > costs[b]; });
    // (load, -rank): the smallest load first, then the highest rank.
    using Slot = std::pair<double, int>;
    std::priority_queue<Slot, std::vector<Slot>, std::greater<>> slots;
    for (int r = 0; r < p; ++r)
        slots.push({0.0, -r});
    std::vector<int> owner(costs.size(), 0);
    for (std::size_t item : order) {
        auto [load, negRank] = slots.top();
        slots.pop();
        owner[item] = -negRank;
        slots.push({load + std::max(costs[item], 0.0), negRank});
    }
    return owner;
}

void BlockWriter::putInt(std::int64_t v)
{
    m_data.append(reinterpret_cast<const char*>(&v), sizeof v);
}

void BlockWriter::putDouble(double v)
{
    m_data.append(reinterpret_cast<const char*>(&v), sizeof v);
}

void BlockWriter::putDoubles(const std::vector<double>& v)
{
    putInt(static_cast<std::int64_t>(v.size()));
    m_data.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(double));
}

void BlockWriter::putInts(const std::vector<std::int64_t>& v)
{
    putInt(static_cast<std::int64_t>(v.size()));
    m_data.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(std::int64_t));
}

void BlockWriter::putString(const std::string& s)
{
    putInt(static_cast<std::int64_t>(s.size()));
    m_data.append(s);
}

void BlockReader::read(void* to, std::size_t bytes)
{
    if (bytes > m_data.size() - m_pos)
        throw std::runtime_error("cluster: a block from another process is truncated");
    if (bytes > 0)
        std::memcpy(to, m_data.data() + m_pos, bytes);
    m_pos += bytes;
}

std::int64_t BlockReader::getInt()
{
    std::int64_t v = 0;
    read(&v, sizeof v);
    return v;
}

double BlockReader::getDouble()
{
    double v = 0.0;
    read(&v, sizeof v);
    return v;
}

std::vector<double> BlockReader::getDoubles()
{
    const std::int64_t n = getInt();
    if (n < 0 || static_cast<std::uint64_t>(n) > (m_data.size() - m_pos) / sizeof(double))
        throw std::runtime_error("cluster: a block from another process is truncated");
    std::vector<double> v(static_cast<std::size_t>(n));
    read(v.data(), v.size() * sizeof(double));
    return v;
}

std::vector<std::int64_t> BlockReader::getInts()
{
    const std::int64_t n = getInt();
    if (n < 0 || static_cast<std::uint64_t>(n) > (m_data.size() - m_pos) / sizeof(std::int64_t))
        throw std::runtime_error("cluster: a block from another process is truncated");
    std::vector<std::int64_t> v(static_cast<std::size_t>(n));
    read(v.data(), v.size() * sizeof(std::int64_t));
    return v;
}

std::string BlockReader::getString()
{
    const std::int64_t n = getInt();
    if (n < 0 || static_cast<std::uint64_t>(n) > m_data.size() - m_pos)
        throw std::runtime_error("cluster: a block from another process is truncated");
    std::string s(static_cast<std::size_t>(n), '\0');
    read(s.data(), s.size());
    return s;
}

} // namespace ws::cli
