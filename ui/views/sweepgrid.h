#pragma once
// Default theta grids that put their points where the phenomenon is: in units of the threshold
// at which a spike separates from the bulk -- the large-rank threshold of the model's bulk of S
// (frames.h), or theta = sigma when that is lower -- so that a bulk of S or a larger sigma moves
// the grid with the transition.

#include "core/model/model.h"

#include <optional>
#include <utility>

namespace ws::ui {

// The separation threshold (> 0) of a spike of `m` (its sigma and bulk of S at its N and rank).
double separationThreshold(const core::Model& m);

// [from, to] = [fromUnits, toUnits] times separationThreshold(m), rounded to two decimals.
std::pair<double, double> thetaGrid(const core::Model& m, double fromUnits, double toUnits);

} // namespace ws::ui
