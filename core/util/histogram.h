#pragma once
// Histogram of eigenvalues with a chosen range and bin count; density normalized so that the
// bars integrate to the fraction of values inside the range (1 if the range covers them all).
// Bin i is [edges[i], edges[i+1]) and the last bin is closed, so a value exactly at hi lands
// in it. NaN and +-inf are values outside the range: counted in `total`, in no bin (so a
// failed solve shows up as missing mass rather than disappearing silently).

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ws::core {

struct Histogram
{
    std::vector<double> edges;                   // bins + 1, ascending
    std::vector<std::uint64_t> counts;           // bins
    std::uint64_t total = 0;                     // all values added, inside the range or not
    std::vector<double> density() const;         // counts / (total * width)
    void add(const std::vector<double>& values); // values outside [edges.front(), edges.back()] are
                                                 // counted in total only; the last bin is closed
};

// Precondition: bins >= 1, lo < hi, both finite (std::invalid_argument otherwise). Edges are
// evenly spaced, edges.front() == lo and edges.back() == hi exactly, and finite for any such
// lo and hi, also when hi - lo overflows (a bin wider than the double range then has density 0).
Histogram makeHistogram(double lo, double hi, int bins);

} // namespace ws::core
