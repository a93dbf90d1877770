#pragma once
// The large-rank prediction of a group of equal spikes that shares its cluster with other spikes
// (theory.h, OutlierPrediction::largeRank; docs/rectangular.md for the rectangular model): the
// mean of f(x_i) over the classical locations x_i of the group's ranks. One rule for both models;
// the rectangular one also takes the mean of the squares (its squared units).

#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

namespace ws::core {

// The mean of f(locations[i]) for i = rank .. rank + multiplicity - 1, summed in that order;
// nullopt if those ranks are not all among `locations`.
template <class F = std::identity>
std::optional<double> meanOverRanks(const std::vector<double>& locations, int rank,
                                    int multiplicity, F f = {})
{
    if (rank < 0 || multiplicity < 1)
        return std::nullopt;
    const auto from = static_cast<std::size_t>(rank);
    const auto to = from + static_cast<std::size_t>(multiplicity);
    if (to > locations.size())
        return std::nullopt;
    double sum = 0.0;
    for (std::size_t i = from; i < to; ++i)
        sum += f(locations[i]);
    return sum / multiplicity;
}

} // namespace ws::core
