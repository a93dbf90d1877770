// SpectrumPlot::placeLabels: where the labels of the spectrum-of-S strip go (spectrumplot.h).
#include "ui/plots/spectrumplot.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace ws::ui {

namespace {

// What covering something costs a place: a label never covers another one; it crosses a
// threshold line it does not name, a stem's top or a bar of the bulk only where nothing better
// is left, a bar (data) last. A hidden label costs most (a threshold's more than the others'),
// except a droppable one (the bulk's): hidden rather than over the bars or over a line and a
// stem's top, as in a strip only one text line high (1280 x 720, presenting).
constexpr double kLine = 100.0, kStem = 30.0, kMaxStems = 10.0, kBars = 150.0;
constexpr double kHidden = 1e4, kHiddenThreshold = 1e5, kHiddenDroppable = kLine + 0.5 * kStem;

struct Place
{
    QRectF rect;
    double cost = 0.0; // without the other labels
};

} // namespace

void SpectrumPlot::placeLabels()
{
    const QRectF area = axisRect()->rect();
    if (area.height() <= 0 || area.width() <= 0) { // no room (a squeezed strip): no label
        for (const Label& l : m_labels)
            l.item->setVisible(false);
        return;
    }
    if (m_labels.empty())
        return;
    QList<double> lines; // pixels
    for (double x : thresholds())
        lines << xAxis->coordToPixel(x);
    // Stems rise to y = 1 (with a disc on top), the bulk's bars to 0.6.
    const double stemTop = yAxis->coordToPixel(1.0) - 0.5 * m_style.markerSize() - 1.0;
    std::vector<QRectF> bars; // each bar drawn (a two-point bulk has a gap between its lumps)
    const double half = 0.5 * m_bulk->width();
    for (auto it = m_bulk->data()->constBegin(); it != m_bulk->data()->constEnd(); ++it)
        if (it->value > 0.0) {
            const double a = xAxis->coordToPixel(it->key - half);
            const double b = xAxis->coordToPixel(it->key + half);
            const double top = yAxis->coordToPixel(it->value);
            bars.emplace_back(QPointF(std::min(a, b) - 1.0, top),
                              QPointF(std::max(a, b) + 1.0, area.bottom()));
        }
    // Stems between two pixel columns but those at `own` (m_stems is sorted).
    auto stemsIn = [this](double left, double right, double own) {
        const double a = xAxis->pixelToCoord(left), b = xAxis->pixelToCoord(right);
        const auto from = std::lower_bound(m_stems.begin(), m_stems.end(), std::min(a, b));
        const auto to = std::upper_bound(m_stems.begin(), m_stems.end(), std::max(a, b));
        double n = static_cast<double>(to - from);
        if (std::isfinite(own))
            n -= static_cast<double>(std::count_if(
                from, to, [&](double s) { return std::abs(xAxis->coordToPixel(s) - own) < 0.5; }));
        return std::min(n, kMaxStems);
    };

    // Every label's possible places with their own costs.
    std::vector<std::vector<Place>> places(m_labels.size());
    for (std::size_t i = 0; i < m_labels.size(); ++i) {
        const Label& l = m_labels[i];
        const QFontMetricsF fm(l.item->font());
        const QMargins pad = l.item->padding();
        const double w = fm.horizontalAdvance(l.item->text()) + pad.left() + pad.right() + 2.0;
        const double h = fm.height() + pad.top() + pad.bottom();
        const double line = fm.height() + 2.0;
        const int rows = static_cast<int>((area.height() - 2.0) / line);
        const double ax = xAxis->coordToPixel(l.x);
        const double bx = std::isfinite(l.to) ? xAxis->coordToPixel(l.to) : ax;
        auto clamped = [&](double left) {
            return std::clamp(left, area.left() + 1.0,
                              std::max(area.left() + 1.0, area.right() - w - 1.0));
        };
        // Left edges, the preferred first.
        std::vector<double> lefts;
        if (l.anchor == Anchor::Line) {
            // Beside its line, then beside the mirror image (the text on the mirrored side).
            const double in = ax - 3.0 - w, out = ax + 3.0;
            lefts = l.leftOfLine ? std::vector<double>{in, out} : std::vector<double>{out, in};
            if (std::isfinite(l.to)) {
                const double mIn = bx + 3.0, mOut = bx - 3.0 - w;
                lefts.insert(lefts.end(), l.leftOfLine ? std::initializer_list<double>{mIn, mOut}
                                                       : std::initializer_list<double>{mOut, mIn});
            }
        } else {
            const double lo = std::min(ax, bx), hi = std::max(ax, bx);
            lefts = {clamped(0.5 * (lo + hi) - 0.5 * w), clamped(hi + 3.0), clamped(lo - 3.0 - w)};
            // A span's label may slide between the lines that cross it.
            if (l.anchor == Anchor::Span)
                for (double lx : lines)
                    if (lx > lo && lx < hi)
                        lefts.insert(lefts.end(), {clamped(lx + 3.0), clamped(lx - 3.0 - w)});
        }
        for (std::size_t c = 0; c < lefts.size(); ++c)
            for (int r = 0; r < rows; ++r) {
                const QRectF rect(lefts[c], area.top() + 2.0 + r * line + 0.5 * (line - h), w, h);
                if (rect.left() < area.left() || rect.right() > area.right() ||
                    rect.bottom() > area.bottom())
                    continue;
                // A point's label stays on or beside it; a span's over or beside it.
                if (l.anchor != Anchor::Line &&
                    (rect.right() < std::min(ax, bx) - 4.0 || rect.left() > std::max(ax, bx) + 4.0))
                    continue;
                double cost = std::abs(r - l.row) + 0.5 * static_cast<double>(c);
                for (double lx : lines) {
                    // The line a label sits beside (a coincident one too, rank one).
                    const bool own =
                        l.anchor == Anchor::Line &&
                        (std::abs(lx - rect.left()) < 4.0 || std::abs(lx - rect.right()) < 4.0);
                    if (!own && lx >= rect.left() && lx <= rect.right())
                        cost += kLine;
                }
                if (rect.bottom() > stemTop)
                    cost += kStem * stemsIn(rect.left() - 1.0, rect.right() + 1.0,
                                            l.anchor == Anchor::Point
                                                ? ax
                                                : std::numeric_limits<double>::quiet_NaN());
                if (std::any_of(bars.begin(), bars.end(),
                                [&](const QRectF& b) { return b.intersects(rect); }))
                    cost += kBars;
                places[i].push_back({rect, cost});
            }
    }

    // Greedy in an order, each label at its cheapest place that covers no label placed before;
    // the cheapest of the orders of the named labels (thresholds, bulk: at most 3), the stems'
    // multiplicities after them.
    std::vector<std::size_t> named, counts;
    for (std::size_t i = 0; i < m_labels.size(); ++i)
        (m_labels[i].count ? counts : named).push_back(i);
    std::sort(named.begin(), named.end());
    std::vector<int> best(m_labels.size(), -1);
    double bestCost = std::numeric_limits<double>::infinity();
    do {
        std::vector<int> chosen(m_labels.size(), -1);
        std::vector<QRectF> placed;
        double total = 0.0;
        for (const auto* group : {&named, &counts})
            for (std::size_t i : *group) {
                // The cheapest free place that costs less than leaving the label out.
                const Label& l = m_labels[i];
                double cost = l.anchor == Anchor::Line ? kHiddenThreshold
                              : l.droppable            ? kHiddenDroppable
                                                       : kHidden;
                int pick = -1;
                for (std::size_t k = 0; k < places[i].size(); ++k) {
                    const Place& p = places[i][k];
                    if (p.cost >= cost)
                        continue;
                    const QRectF margin = p.rect.adjusted(-2, -1, 2, 1);
                    if (std::none_of(placed.begin(), placed.end(),
                                     [&](const QRectF& o) { return o.intersects(margin); })) {
                        pick = static_cast<int>(k);
                        cost = p.cost;
                    }
                }
                chosen[i] = pick;
                if (pick >= 0)
                    placed.push_back(places[i][static_cast<std::size_t>(pick)].rect);
                total += cost;
            }
        if (total < bestCost) {
            bestCost = total;
            best = chosen;
        }
    } while (std::next_permutation(named.begin(), named.end()));

    for (std::size_t i = 0; i < m_labels.size(); ++i) {
        QCPItemText* item = m_labels[i].item;
        // Nowhere inside the plot without covering another label: hidden.
        item->setVisible(best[i] >= 0);
        if (best[i] >= 0) {
            const QRectF& r = places[i][static_cast<std::size_t>(best[i])].rect;
            item->position->setCoords(r.left() + 1.0, r.top());
        }
    }
}

} // namespace ws::ui
