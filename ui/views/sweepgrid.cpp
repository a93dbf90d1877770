#include "ui/views/sweepgrid.h"

#include "ui/jobs/frames.h"

#include "core/model/families.h"
#include "core/theory/threshold.h"

#include <algorithm>
#include <cmath>

namespace ws::ui {

double separationThreshold(const core::Model& m)
{
    const int count = std::max(m.n - core::rankOf(m), 0);
    if (count == 0)
        return m.sigma;
    std::vector<core::Atom> atoms;
    if (core::bulkIsConstant(m))
        atoms.push_back({constantBulkValue(m), 1.0});
    else
        atoms = core::groupAtoms(core::bulkValues(m));
    const auto t = core::largeRankThreshold(atoms, static_cast<double>(count) / m.n, m.sigma, +1);
    return std::max(m.sigma, t.value_or(m.sigma));
}

std::pair<double, double> thetaGrid(const core::Model& m, double fromUnits, double toUnits)
{
    const double t = separationThreshold(m);
    auto round2 = [](double v) { return std::round(v * 100.0) / 100.0; };
    return {round2(fromUnits * t), round2(toUnits * t)};
}

} // namespace ws::ui
