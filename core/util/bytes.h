#pragma once
// Sizes in bytes for people, in binary units (1 KiB = 1024 bytes), for every message that names
// a memory need or a budget (the runners' memory refusals, the CLI's own checks, the GUI's N
// limit and tensor list). One implementation; the styles keep each message as it has always
// read, byte for byte.
//
//   Fixed (default)     "512 B", "3.2 KiB", "15.3 MiB", "2.00 GiB"
//                       (%.0f B below 1 KiB, %.1f KiB / MiB, %.2f GiB from 1 GiB on)
//   FixedFromMiB        as Fixed, but nothing below MiB: "0.0 MiB", "198.4 MiB", "2.00 GiB"
//   Significant         three significant digits, up to EiB: "1.5 KiB", "198 MiB", "16 EiB";
//                       below 1 KiB the exact count with the word bytes: "512 bytes"
//
// `bytes` >= 0 and finite (other input prints as the C library prints it, in the largest unit).
// Pure, thread-safe.

#include <string>

namespace ws::core {

enum class ByteStyle { Fixed, FixedFromMiB, Significant };

std::string formatBytes(double bytes, ByteStyle style = ByteStyle::Fixed);

} // namespace ws::core
