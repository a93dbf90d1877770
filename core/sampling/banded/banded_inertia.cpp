// Inertia counts of H - xI for a Hermitian band matrix, and what they buy: histogram counts and
// extreme eigenvalues (bisection) without computing the whole spectrum.
//
// The count at x is the number of negative pivots of an unpivoted LDL^T of H - xI (Sylvester's
// law of inertia). Several shifts are factored at once, one per SIMD lane, so the sequential
// recurrence becomes throughput-bound; an AVX2/FMA copy of each kernel is picked at run time
// (the kernels: inertia_kernels.cpp).
#include "core/sampling/banded/banded.h"
#include "core/sampling/banded/inertia_kernels.h"

#include "core/util/histogram.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace ws::core {
namespace {

using namespace inertia;

constexpr double kGrowth = 1e6;

// Rows per segment of a tridiagonal count (about 3 ms for 16 shifts): the cancel flag is read
// between segments.
constexpr int kSegmentRows = 1 << 18;

// Batches of shifts run in parallel (oneTBB) when a count has at least this many rows times
// batches: below it the tasks cost more than they save.
constexpr double kParallelRows = 1 << 17;

// Scratch of one kernel call at a time, on a 128-byte boundary (the lane vectors' alignment).
class Workspace
{
public:
    explicit Workspace(std::size_t doubles) : m_buf(doubles + 16, 0.0)
    {
        void* p = m_buf.data();
        std::size_t space = m_buf.size() * sizeof(double);
        m_aligned = static_cast<double*>(std::align(128, sizeof(double), p, space));
    }
    double* data() const { return m_aligned; }

private:
    std::vector<double> m_buf;
    double* m_aligned = nullptr;
};

// Everything the counts of one matrix share: bounds, pivot thresholds, kernel. Thread-safe:
// count() runs its batches in parallel, each with its own workspace.
class Counter
{
public:
    Counter(const BandMatrix& h, const std::atomic<bool>* cancel, bool portable = false)
        : m_h(h), m_cancel(cancel)
    {
        if (h.n <= 0)
            throw std::invalid_argument("band matrix: empty");
        if (h.re.size() != static_cast<std::size_t>(h.n) * static_cast<std::size_t>(h.kd + 1) ||
            (h.isComplex() && h.im.size() != h.re.size()))
            throw std::invalid_argument("band matrix: storage size does not match n and kd");
        m_bounds = gershgorinBounds(h);
        m_scale = std::max(
            {std::abs(m_bounds.lo), std::abs(m_bounds.hi), std::numeric_limits<double>::min()});
        // Guard against division by zero only (dstebz: safmin * max e^2): for the tridiagonal
        // case this keeps the count backward stable.
        m_pivMin = std::numeric_limits<double>::min() * std::max(1.0, m_scale * m_scale);
        // Unpivoted LDL^T of a band matrix can grow after a tiny pivot: an update |l|^2/|d|
        // above kGrowth ||H|| leaves a backward error up to eps kGrowth ||H||; flag those lanes.
        // (The real tridiagonal Sturm sequence is backward stable as it is.)
        m_tridiagonal = !h.isComplex() && h.kd == 1;
        m_growthTol = m_tridiagonal ? std::numeric_limits<double>::infinity() : kGrowth * m_scale;
        m_lanes = lanesFor(h);
        m_kernel = pickKernel(h, m_lanes, !portable && haveAvx2());
        const std::size_t w = static_cast<std::size_t>(h.kd) + 1;
        m_workDoubles = m_tridiagonal ? 0
                                      : ((h.isComplex() ? 2 : 1) * w * w + 4 * w) *
                                            static_cast<std::size_t>(m_lanes);
    }

    Interval bounds() const { return m_bounds; }
    double scale() const { return m_scale; }
    int lanes() const { return m_lanes; }
    bool cancelled() const { return m_cancel && m_cancel->load(std::memory_order_relaxed); }

    // out[i] = number of eigenvalues < xs[i]. With `nudge`, a flagged shift is moved by
    // 4 ||H|| / kGrowth (enough to leave the small pivot: pivots move at least as fast as the
    // shift) up to three times, and xs[i] is updated to the shift used. Without, flagged counts
    // are kept: bisection only needs them right away from its target, which they are.
    // The counts are integers, so running the batches in parallel changes nothing in them.
    // Returns false if cancelled.
    bool count(std::vector<double>& xs, std::vector<std::int64_t>& out, bool nudge)
    {
        out.assign(xs.size(), 0);
        const auto L = static_cast<std::size_t>(m_lanes);
        const std::size_t batches = (xs.size() + L - 1) / L;
        std::vector<unsigned> masks(batches, 0u);
        std::atomic<bool> stopped{false};
        auto runBatches = [&](std::size_t b0, std::size_t b1) {
            const Workspace work(m_workDoubles);
            double lc[16];
            for (std::size_t b = b0; b < b1; ++b) {
                const std::size_t first = b * L;
                const std::size_t m = std::min(L, xs.size() - first);
                std::optional<unsigned> mask = run(&xs[first], m, lc, work.data());
                if (!mask) {
                    stopped.store(true, std::memory_order_relaxed);
                    return;
                }
                masks[b] = *mask;
                for (std::size_t l = 0; l < m; ++l)
                    out[first + l] = static_cast<std::int64_t>(lc[l]);
            }
        };
        if (batches >= 2 && static_cast<double>(batches) * m_h.n >= kParallelRows)
            tbb::parallel_for(tbb::blocked_range<std::size_t>(0, batches, 1),
                              [&](const tbb::blocked_range<std::size_t>& range) {
                                  runBatches(range.begin(), range.end());
                              });
        else
            runBatches(0, batches);
        if (stopped.load() || cancelled())
            return false;
        if (!nudge)
            return true;

        const Workspace work(m_workDoubles);
        double lc[16];
        for (std::size_t i = 0; i < xs.size(); ++i) {
            if (!(masks[i / L] & (1u << (i % L))))
                continue;
            for (int attempt = 1; attempt <= 3; ++attempt) {
                const double step = 4.0 * m_scale / kGrowth * attempt;
                const double x = xs[i] + (attempt % 2 == 1 ? step : -step);
                const std::optional<unsigned> mask = run(&x, 1, lc, work.data());
                if (!mask)
                    return false;
                xs[i] = x;
                out[i] = static_cast<std::int64_t>(lc[0]);
                if (!(*mask & 1u))
                    break;
            }
        }
        return true;
    }

private:
    // One kernel call for m <= lanes shifts (the last one repeated in the unused lanes); counts
    // in lc[0..m). The lanes whose factorization grew are flagged in the result; nullopt if
    // cancelled.
    std::optional<unsigned> run(const double* x, std::size_t m, double* lc, double* work) const
    {
        double lx[16], lq[16];
        for (std::size_t l = 0; l < static_cast<std::size_t>(m_lanes); ++l)
            lx[l] = x[std::min(l, m - 1)];
        KernelArgs a{.h = &m_h,
                     .x = lx,
                     .cnt = lc,
                     .pivMin = m_pivMin,
                     .growthTol = m_growthTol,
                     .buf = work,
                     .q = lq};
        unsigned mask = 0;
        if (m_tridiagonal) {
            for (a.begin = 0; a.begin < m_h.n; a.begin = a.end) {
                if (cancelled())
                    return std::nullopt;
                a.end = std::min(m_h.n, a.begin + kSegmentRows);
                m_kernel(a);
            }
        } else {
            if (cancelled())
                return std::nullopt;
            mask = m_kernel(a);
        }
        return m >= 32 ? mask : mask & ((1u << m) - 1u);
    }

    const BandMatrix& m_h;
    const std::atomic<bool>* m_cancel;
    Interval m_bounds;
    double m_scale = 1.0, m_pivMin = 0.0, m_growthTol = 0.0;
    bool m_tridiagonal = false;
    int m_lanes = 1;
    KernelFn m_kernel = nullptr;
    std::size_t m_workDoubles = 0;
};

struct Probe
{
    double x;
    std::int64_t c; // eigenvalues < x
};

// Sorted by x with counts made non-decreasing (rounding can break monotonicity only within
// rounding of an eigenvalue).
void makeMonotone(std::vector<Probe>& p, std::int64_t n)
{
    std::sort(p.begin(), p.end(), [](const Probe& a, const Probe& b) { return a.x < b.x; });
    std::int64_t run = 0;
    for (auto& q : p) {
        q.c = std::clamp(q.c, run, n);
        run = q.c;
    }
}

// Eigenvalues with 1-based ascending indices `targets` (sorted, distinct), by multisection on
// inertia counts starting from the brackets in `known` (monotone, first count 0, last n).
// Returns false if cancelled.
bool locate(Counter& counter, const std::vector<std::int64_t>& targets,
            const std::vector<Probe>& known, double tol, std::vector<double>& values)
{
    struct Iv
    {
        Probe a, b;
        int jitter = 0;
    };
    values.assign(targets.size(), 0.0);
    auto hasTarget = [&](std::int64_t ca, std::int64_t cb) {
        const auto it = std::lower_bound(targets.begin(), targets.end(), ca + 1);
        return it != targets.end() && *it <= cb;
    };
    auto assign = [&](const Iv& iv) {
        const double mid = 0.5 * (iv.a.x + iv.b.x);
        for (auto it = std::lower_bound(targets.begin(), targets.end(), iv.a.c + 1);
             it != targets.end() && *it <= iv.b.c; ++it)
            values[static_cast<std::size_t>(it - targets.begin())] = mid;
    };
    std::vector<Iv> active;
    for (std::size_t i = 0; i + 1 < known.size(); ++i)
        if (hasTarget(known[i].c, known[i + 1].c))
            active.push_back({known[i], known[i + 1], 0});

    const double eps = std::numeric_limits<double>::epsilon();
    std::vector<double> xs;
    std::vector<std::int64_t> cs;
    std::vector<Iv> next;
    // Each round at least halves every interval: 2200 rounds cannot be needed in double.
    for (int round = 0; round < 2200 && !active.empty(); ++round) {
        next.clear();
        std::vector<Iv> work;
        for (const Iv& iv : active) {
            const double width = iv.b.x - iv.a.x;
            const double t =
                std::max(tol, 4.0 * eps * std::max(std::abs(iv.a.x), std::abs(iv.b.x)));
            if (width <= t)
                assign(iv);
            else
                work.push_back(iv);
        }
        if (work.empty())
            break;
        // Share the lanes: with many intervals one bisection point each is the most bits per
        // factorization; with few, split each into several parts.
        const int k = std::max(1, counter.lanes() / static_cast<int>(work.size()));
        xs.clear();
        for (const Iv& iv : work) {
            const double off = iv.jitter ? 0.137 : 0.0;
            for (int p = 1; p <= k; ++p)
                xs.push_back(iv.a.x + (iv.b.x - iv.a.x) * (p + off) / (k + 1));
        }
        if (!counter.count(xs, cs, false))
            return false;
        std::size_t pos = 0;
        for (const Iv& iv : work) {
            Probe lo = iv.a;
            bool dropped = false;
            for (int p = 0; p < k; ++p, ++pos) {
                Probe mid{xs[pos], std::clamp(cs[pos], lo.c, iv.b.c)};
                if (!(mid.x > lo.x && mid.x < iv.b.x)) {
                    dropped = true; // nudged out of order: skip this split point
                    continue;
                }
                if (hasTarget(lo.c, mid.c))
                    next.push_back({lo, mid, 0});
                lo = mid;
            }
            if (hasTarget(lo.c, iv.b.c))
                next.push_back({lo, iv.b, dropped ? 1 : 0});
        }
        active.swap(next);
    }
    for (const Iv& iv : active)
        assign(iv);
    return true;
}

} // namespace

namespace {

void countBelow(const BandMatrix& h, const double* x, std::size_t count, std::int64_t* out,
                bool portable)
{
    Counter counter(h, nullptr, portable);
    std::vector<double> xs(x, x + count);
    std::vector<std::int64_t> cs;
    counter.count(xs, cs, true);
    std::copy(cs.begin(), cs.end(), out);
}

} // namespace

void bandCountBelow(const BandMatrix& h, const double* x, std::size_t count, std::int64_t* out)
{
    countBelow(h, x, count, out, false);
}

void bandCountBelowPortable(const BandMatrix& h, const double* x, std::size_t count,
                            std::int64_t* out)
{
    countBelow(h, x, count, out, true);
}

std::int64_t bandCountBelow(const BandMatrix& h, double x)
{
    std::int64_t c = 0;
    bandCountBelow(h, &x, 1, &c);
    return c;
}

BandedSpectrum bandedSpectrum(const BandMatrix& h, const BandedSpectrumRequest& req,
                              const std::atomic<bool>* cancel)
{
    BandedSpectrum out;
    out.n = h.n;
    out.edges = req.edges;
    if (!std::is_sorted(req.edges.begin(), req.edges.end()))
        throw std::invalid_argument("bandedSpectrum: edges must be ascending");
    Counter counter(h, cancel);
    const std::int64_t n = h.n;

    // One batch of counts: every edge, plus the outlier thresholds.
    std::vector<double> xs = req.edges;
    const std::size_t iAbove = xs.size();
    if (req.above)
        xs.push_back(*req.above);
    const std::size_t iBelow = xs.size();
    if (req.below)
        xs.push_back(*req.below);
    std::vector<std::int64_t> cs;
    if (!counter.count(xs, cs, true)) {
        out.cancelled = true;
        return out;
    }

    const Interval b = counter.bounds();
    const double margin = 1e-12 * counter.scale() + std::numeric_limits<double>::min();
    std::vector<Probe> known;
    known.push_back({b.lo - margin, 0});
    known.push_back({b.hi + margin, n});
    for (std::size_t i = 0; i < xs.size(); ++i)
        known.push_back({xs[i], cs[i]});
    makeMonotone(known, n);

    // Edge counts in edge order, monotone. A nudged edge (see Counter::count) is counted at the
    // shift actually used: an eigenvalue in between is the only thing that can move.
    const std::size_t ne = req.edges.size();
    if (ne > 0) {
        std::vector<std::int64_t> ec(cs.begin(), cs.begin() + static_cast<std::ptrdiff_t>(ne));
        std::int64_t run = 0;
        for (auto& c : ec) {
            c = std::clamp(c, run, n);
            run = c;
        }
        out.counts.resize(ne - 1);
        for (std::size_t i = 0; i + 1 < ne; ++i)
            out.counts[i] = static_cast<std::uint64_t>(ec[i + 1] - ec[i]);
        out.below = static_cast<std::uint64_t>(ec.front());
        out.above = static_cast<std::uint64_t>(n - ec.back());
    }

    const auto cap = static_cast<std::int64_t>(std::max(0, req.maxOutliers));
    std::int64_t top = std::clamp<std::int64_t>(req.topCount, 0, n);
    std::int64_t bottom = std::clamp<std::int64_t>(req.bottomCount, 0, n);
    if (req.above)
        top = std::max(top, std::min(cap, n - std::clamp<std::int64_t>(cs[iAbove], 0, n)));
    if (req.below)
        bottom = std::max(bottom, std::min(cap, std::clamp<std::int64_t>(cs[iBelow], 0, n)));

    std::vector<std::int64_t> targets;
    for (std::int64_t j = 1; j <= bottom; ++j)
        targets.push_back(j);
    for (std::int64_t j = std::max(bottom + 1, n - top + 1); j <= n; ++j)
        targets.push_back(j);
    if (!targets.empty()) {
        const double tol = req.tolerance > 0.0 ? req.tolerance : 1e-13 * counter.scale();
        std::vector<double> values;
        if (!locate(counter, targets, known, tol, values)) {
            out.cancelled = true;
            return out;
        }
        auto valueOf = [&](std::int64_t j) {
            const auto it = std::lower_bound(targets.begin(), targets.end(), j);
            return values[static_cast<std::size_t>(it - targets.begin())];
        };
        for (std::int64_t j = 1; j <= bottom; ++j)
            out.bottom.push_back(valueOf(j));
        for (std::int64_t j = n; j > n - top; --j)
            out.top.push_back(valueOf(j));
    }
    return out;
}

void accumulate(const BandedSpectrum& s, Histogram& hist)
{
    if (hist.edges != s.edges || hist.counts.size() != s.counts.size())
        throw std::invalid_argument("accumulate: histogram edges differ");
    for (std::size_t i = 0; i < s.counts.size(); ++i)
        hist.counts[i] += s.counts[i];
    hist.total += static_cast<std::uint64_t>(s.n);
}

} // namespace ws::core
