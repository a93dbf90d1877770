#pragma once
// Bisection for the "largest N that fits" in memory refusals (runner, banded run, overlaps,
// rectangular run): fits(n) must be monotone, true up to some n and false beyond.

namespace ws::core {

// Largest n in [lo, hi] with fits(n); 0 if not even fits(lo). O(log(hi - lo)) calls.
template <class Fits> int largestFitting(int lo, int hi, const Fits& fits)
{
    if (!fits(lo))
        return 0;
    if (hi <= lo || fits(hi))
        return hi > lo ? hi : lo;
    while (hi - lo > 1) { // fits(lo), !fits(hi)
        const int mid = lo + (hi - lo) / 2;
        (fits(mid) ? lo : hi) = mid;
    }
    return lo;
}

} // namespace ws::core
