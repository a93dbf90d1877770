#pragma once
// The eigenvalue plot: histogram of the sampled eigenvalues as a density, the deterministic
// equivalent (solid), the semicircle (dashed), every support interval of mu_N shaded -- bulk
// intervals and outlier-cluster intervals in two styles, each labelled with its predicted and
// observed count (intervalshades.h) --, both outlier predictions as marker rows (the large-rank
// one with a bar of +-1 predicted sd where the theory gives a Gaussian sd), the observed outliers
// (mean with a +-sd bar), a warning line under the title where the theory does not hold as drawn
// (heavy tails, non-Gaussian fluctuations: theoryNote()), and
// every outlier again as a tick in a rug along the x axis (outlierrug.h; values in a tool tip on
// hover). The x range is fixed from the theory (support + predicted outliers + margin) so the view
// does not jump while samples arrive; it widens only if observed outliers fall outside it. Drag
// pans, the wheel zooms; a view the user zoomed or panned, or a held view (setHoldAxes), stays
// through parameter changes until resetView() (a double click, the Reset view action).

#include "ui/jobs/frames.h"
#include "ui/plots/densitylayers.h"
#include "ui/plots/intervalshades.h"
#include "ui/plots/outlierrug.h"
#include "ui/widgets/theme.h"

#include <qcustomplot.h>

#include <memory>

namespace ws::ui {

class MainPlot : public QCustomPlot
{
    Q_OBJECT
public:
    explicit MainPlot(QWidget* parent = nullptr);

    void setPlotStyle(const Style& s);
    void setTheory(std::shared_ptr<const TheoryFrame> theory); // clears the histogram
    void setSamples(std::shared_ptr<const SampleFrame> samples);
    // Back to the automatic view of the current theory (a held view is held there).
    void resetView();
    // Keep the current x and y ranges across parameter changes.
    void setHoldAxes(bool on);
    bool holdAxes() const { return m_hold; }
    // The user zoomed or panned since the last reset.
    bool userView() const { return m_userView; }
    OutlierRug* rug() const { return m_rug; }
    // The tool tip for the mouse at `pos` (widget coordinates): the rug tick there, if any.
    QString toolTipAt(const QPoint& pos) const;
    // The plot squeezes its layout rather than forcing the window wider than the screen.
    QSize minimumSizeHint() const override { return {400, 250}; }

    // Drawn data, for tests and exports.
    QCPBars* histogramBars() const { return m_layers.bars; }
    QCPGraph* equivalentGraph() const { return m_layers.equivalent; }
    QCPGraph* semicircleGraph() const { return m_layers.reference; }
    QCPGraph* finiteRankMarkers() const { return m_layers.finite; }
    QCPGraph* largeRankMarkers() const { return m_layers.large; }
    QCPGraph* observedMarkers() const { return m_layers.observed; }
    QCPErrorBars* largeRankBands() const { return m_largeSd; } // +-1 predicted sd
    const IntervalShades& intervals() const { return *m_shades; }
    // The warning line under the title (empty: none).
    QString theoryNote() const { return m_warningText; }
    std::uint64_t theoryGeneration() const { return m_theory ? m_theory->generation : 0; }
    std::uint64_t samplesGeneration() const { return m_samples ? m_samples->generation : 0; }
    std::shared_ptr<const SampleFrame> samples() const { return m_samples; }

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void updateMarkerRows();
    // The automatic y range's top: m_yTop, raised so that the marker rows stay under the
    // interval labels above them (densitylayers.h topClearOf).
    double shownTop() const;
    // Pixels from the axis rect's top to the lowest interval label over a marker (0: none).
    double labelBandOverMarkers() const;
    // The automatic view, unless the user's or a held view is to stay.
    void autoView();
    void applyView(const QCPRange& x, const QCPRange& y);
    void showToolTip(QMouseEvent* event);
    void updateTitle();
    void setWarning(const QStringList& parts); // empty: none
    // The warning row in the style's bold plot font and warning colour, then fitted.
    void styleWarning();
    void fitWarning();
    void updateLegendEntries();

    Style m_style = Style::make(false, false);
    std::shared_ptr<const TheoryFrame> m_theory;
    std::shared_ptr<const SampleFrame> m_samples;
    double m_yTop = 0.5;
    double m_theoryTop = 0.5;  // the theory's part of m_yTop (1.3 x its densities' maximum)
    double m_outsideMax = 0.0; // max of the density outside the main bulk
    double m_viewLo = -2.5, m_viewHi = 2.5;
    int m_rowsForHeight = 0;  // axis-rect height the marker rows were spaced for
    double m_labelBand = 0.0; // ... and the labelBandOverMarkers they were kept under
    bool m_hold = false, m_userView = false;
    bool m_settingView = false; // ranges set by the plot itself, not by the user
    std::vector<OutlierRug::Tick> m_predictedTicks;

    QCPTextElement* m_title = nullptr;
    plotparts::DensityLayers m_layers;
    std::unique_ptr<IntervalShades> m_shades;
    QCPErrorBars* m_largeSd = nullptr;
    QCPTextElement* m_warning = nullptr; // a layout row under the title, only while needed
    QString m_warningText;
    QStringList m_warningParts;
    QCPItemText* m_note = nullptr;
    OutlierRug* m_rug = nullptr;
};

} // namespace ws::ui
