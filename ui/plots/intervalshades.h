#pragma once
// The support intervals of the deterministic equivalent on the main plot
// (docs/model.md#support-intervals): each interval shaded over the plot's height, bulk intervals
// and outlier-cluster intervals in two styles, each with a small label at the top of the plot:
// the predicted count N x mass and, once samples arrive, the observed mean count ("499 / 498.8").
// Labels are laid out after every layout of the plot (pans, zooms, resizes): in up to three rows,
// each at the centre of the visible part of its interval, never on top of another label or of a
// region to avoid (the corner note); a label that fits nowhere is hidden (its tool tip remains).
// With very many intervals (thousands of separated spikes), runs of neighbouring clusters are
// shaded as one band so that the plot stays fast; such a band has no label.

#include "ui/widgets/theme.h"

#include "core/outliers/outliers.h"
#include "core/theory/theory.h"

#include <qcustomplot.h>

#include <vector>

namespace ws::ui {

class IntervalShades
{
public:
    // Shades and labels are items of `plot` (shades on its "shade" layer).
    explicit IntervalShades(QCustomPlot* plot);

    void setStyle(const Style& s);
    // New intervals (removes the old items); no observed counts yet.
    void setTheory(const core::Theory& t);
    // Observed mean counts per interval (one per support interval; fewer: none), `samples` done.
    void setObserved(const std::vector<core::ObservedInterval>& observed, int samples);
    // Places the labels for the current axis ranges and size; `avoid` (pixels, may be empty) is
    // kept free.
    void layoutLabels(const QRect& avoid);

    struct Shade
    {
        QCPItemRect* rect = nullptr;
        QCPItemText* label = nullptr; // null for a merged run of clusters
        core::IntervalKind kind = core::IntervalKind::Bulk;
        std::size_t first = 0, last = 0; // support intervals covered (first == last: one)
    };
    const std::vector<Shade>& shades() const { return m_shades; }
    int count(core::IntervalKind kind) const;
    // The tool tip of the label under `pixel` (widget coordinates), or empty.
    QString toolTipAt(const QPointF& pixel) const;

    // Above this many intervals, runs of neighbouring clusters are merged into one shade.
    static constexpr std::size_t kMaxShades = 300;

private:
    void clear();
    void styleShade(Shade& s) const;
    QString labelText(std::size_t k) const;
    QString toolTip(std::size_t k) const;

    QCustomPlot* m_plot;
    Style m_style = Style::make(false, false);
    std::vector<Shade> m_shades;
    std::vector<core::SupportInterval> m_support;
    std::vector<core::ObservedInterval> m_observed;
    int m_samples = 0;
};

} // namespace ws::ui
