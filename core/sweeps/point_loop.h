#pragma once
// The loop a sweep's points and an animation's frames share (runSweep, runAnimation): the points
// in grid order, each complete before the next, progress weighted by each point's estimated
// cost, stopped by a cancel. Header-only: Point is SweepPoint or AnimationFrame.

#include "core/sampling/runner.h"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <functional>
#include <vector>

namespace ws::core {

// Runs compute(i, its samples' progress) for i = 0, 1, ... (cost.size() points), appending each
// complete point to `out` after onPoint(point). `progress` gets a Progress (SweepProgress or
// AnimationProgress: point, points, samples done, samples, fraction of the whole run by cost) as
// the point's samples finish. Stops at a cancel, or at a point with fewer than `samples` samples
// (a cancelled one, not kept). Returns whether it stopped early.
template <class Point, class Progress, class Compute>
bool runPointsInOrder(const std::vector<double>& cost, int samples, const std::atomic<bool>* cancel,
                      Compute&& compute, const std::function<void(const Progress&)>& progress,
                      const std::function<void(const Point&)>& onPoint, std::vector<Point>& out)
{
    double total = 0.0, done = 0.0;
    for (double c : cost)
        total += c;
    const int points = static_cast<int>(cost.size());
    const auto isCancelled = [cancel] { return cancel && cancel->load(); };
    for (int i = 0; i < points; ++i) {
        if (isCancelled())
            return true;
        const double c = cost[static_cast<std::size_t>(i)];
        ProgressCallback pointProgress;
        if (progress)
            pointProgress = [&, i, c](int d, int n) {
                progress(Progress{i, points, d, n, (done + c * d / std::max(n, 1)) / total});
            };
        Point p = compute(i, pointProgress);
        if (p.samples < samples || isCancelled())
            return true;
        done += c;
        if (onPoint)
            onPoint(p);
        out.push_back(std::move(p));
    }
    return false;
}

} // namespace ws::core
