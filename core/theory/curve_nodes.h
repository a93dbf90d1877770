#pragma once
// Where the density curves of the theory (theory.cpp, rect_theory.cpp) put their nodes: over the
// support components, edges included, evaluated in fixed chunks. Internal to ws_core.

#include <cstddef>
#include <vector>

namespace ws::core {

// Nodes per component: a minimum each (5, or 3 when there are many components), the rest
// proportional to the widths (largest remainder), so the total is exactly `points` whenever
// points >= 3 * components. Widths near 1e308 (whose sum overflows) share equally.
std::vector<std::size_t> nodesPerComponent(const std::vector<double>& widths, int points);

// The interior nodes j in [first, last) of component `component`, in chunks of at most 32:
// fixed, so that Newton guesses carried along a chunk, and hence the results, do not depend on
// the thread count. offset[c] is the index of component c's first node (offset.back() = total).
struct NodeChunk
{
    std::size_t component, first, last;
};
struct NodeLayout
{
    std::vector<std::size_t> offset;
    std::vector<NodeChunk> chunks;
};
NodeLayout layoutNodes(const std::vector<std::size_t>& count);

// Both steps for support intervals with edges .a < .b.
struct NodePlan
{
    std::vector<std::size_t> count;
    NodeLayout layout;
};
template <class Intervals> NodePlan planNodes(const Intervals& support, int points)
{
    std::vector<double> widths;
    widths.reserve(support.size());
    for (const auto& iv : support)
        widths.push_back(iv.b - iv.a);
    NodePlan plan;
    plan.count = nodesPerComponent(widths, points);
    plan.layout = layoutNodes(plan.count);
    return plan;
}

} // namespace ws::core
