#pragma once
// The loop a sweep's points and an animation's frames share (runSweep, runAnimation): the points
// in grid order, each complete before the next, progress weighted by each point's estimated
// cost, stopped by a cancel. Header-only: Point is SweepPoint or AnimationFrame.

#include "core/sampling/runner.h"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <vector>

namespace ws::core {

// Runs compute(i, progress) for i = 0, 1, ... (cost.size() points), appending each complete
// point to `out` after onPoint(point); `progress` of the point's samples reaches
// report(i, done, total, fraction of the whole run by cost). Stops at a cancel, or at a point
// with fewer than `samples` samples (a cancelled one, not kept). Returns whether it stopped early.
template <class Point, class Compute, class Report, class OnPoint>
bool runPointsInOrder(const std::vector<double>& cost, int samples, const std::atomic<bool>* cancel,
                      Compute&& compute, Report&& report, OnPoint&& onPoint,
                      std::vector<Point>& out)
{
    double total = 0.0, done = 0.0;
    for (double c : cost)
        total += c;
    const auto isCancelled = [cancel] { return cancel && cancel->load(); };
    for (std::size_t i = 0; i < cost.size(); ++i) {
        if (isCancelled())
            return true;
        const ProgressCallback progress = [&, i](int d, int n) {
            report(static_cast<int>(i), d, n, (done + cost[i] * d / std::max(n, 1)) / total);
        };
        Point p = compute(static_cast<int>(i), progress);
        if (p.samples < samples || isCancelled())
            return true;
        done += cost[i];
        onPoint(p);
        out.push_back(std::move(p));
    }
    return false;
}

} // namespace ws::core
