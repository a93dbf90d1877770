// Sizes in bytes for people (see bytes.h).
#include "core/util/bytes.h"

#include <cstdio>

namespace ws::core {

namespace {

constexpr double kKiB = 1024.0;
constexpr double kMiB = kKiB * kKiB;
constexpr double kGiB = kMiB * kKiB;

// "%.<decimals>f <unit>" of v.
std::string fixed(double v, int decimals, const char* unit)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f %s", decimals, v, unit);
    return buf;
}

std::string significant(double bytes)
{
    const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    int u = 0;
    while (bytes >= kKiB && u < 6) {
        bytes /= kKiB;
        ++u;
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*g %s", u == 0 ? 10 : 3, bytes, units[u]);
    return buf;
}

} // namespace

std::string formatBytes(double bytes, ByteStyle style)
{
    if (style == ByteStyle::Significant)
        return significant(bytes);
    if (style == ByteStyle::Fixed && bytes < kKiB)
        return fixed(bytes, 0, "B");
    if (style == ByteStyle::Fixed && bytes < kMiB)
        return fixed(bytes / kKiB, 1, "KiB");
    if (bytes < kGiB)
        return fixed(bytes / kMiB, 1, "MiB");
    return fixed(bytes / kGiB, 2, "GiB");
}

} // namespace ws::core
