#pragma once
// Matching the eigenvalues of one cluster to its predicted positions
// (docs/model.md#observed-outliers): both ascending, the pairs monotone (the i-th eigenvalue of a
// pair is below the (i+1)-th), min(m, k) pairs in all.
//   m == k: the i-th eigenvalue with the i-th position;
//   m != k: the monotone matching minimising sum (lambda_i - x_j)^2, by dynamic programming
//           over the |m - k| left out, O(min(m, k) (|m - k| + 1)) time and memory.
// Pure function, thread-safe.

#include <vector>

namespace ws::core {

// For each position j (x ascending, k of them): the index of its eigenvalue in `lambda`
// (ascending, m of them), or -1 if it has none (m < k: "missing in this sample"). Eigenvalues
// that no position takes (m > k) are extra.
std::vector<int> matchMonotone(const std::vector<double>& lambda, const std::vector<double>& x);

} // namespace ws::core
