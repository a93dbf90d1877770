#pragma once
// The Rectangular tab's plot: histogram (density) of the sampled singular values s of
// W = (sigma/sqrt N) X + S, or of s^2; the Marchenko-Pastur density of the noise alone (dashed),
// the deterministic equivalent of the model (solid) with its main component shaded, and marker
// rows for the predicted outliers (finite-rank BBP: triangles, large-rank: diamonds) and the
// observed ones (circles with +-sd bars). Equal spikes are one marker. The x range is fixed from
// the theory so the view does not jump while samples arrive; a double click resets it.

#include "ui/jobs/rectrunner.h"
#include "ui/plots/densitylayers.h"
#include "ui/plots/intervalshades.h"

#include "ui/widgets/theme.h"

#include <qcustomplot.h>

#include <memory>

namespace ws::ui {

class RectPlot : public QCustomPlot
{
    Q_OBJECT
public:
    explicit RectPlot(QWidget* parent = nullptr);

    void setPlotStyle(const Style& s);
    void setFrame(std::shared_ptr<const RectFrame> frame); // clears the histogram
    void setSnapshot(std::shared_ptr<const RectSnapshot> snapshot);
    void setSquared(bool on);
    bool squared() const { return m_squared; }
    void resetView();
    QSize minimumSizeHint() const override { return {400, 250}; }

    QCPBars* histogramBars() const { return m_layers.bars; }
    QCPGraph* mpCurve() const { return m_layers.reference; }
    QCPGraph* finiteRankMarkers() const { return m_layers.finite; }
    QCPGraph* largeRankMarkers() const { return m_layers.large; }
    QCPGraph* observedMarkers() const { return m_layers.observed; }
    QString titleText() const { return m_titleParts.join(QStringLiteral(" · ")); }
    const IntervalShades& shades() const { return *m_shades; }

protected:
    void resizeEvent(QResizeEvent* event) override; // refits the title and the legend

private:
    void redraw(bool resetRange);
    void setShadesTheory(); // the support intervals of the frame, in the units shown

    Style m_style = Style::make(false, false);
    std::shared_ptr<const RectFrame> m_frame;
    std::shared_ptr<const RectSnapshot> m_snapshot;
    bool m_squared = false;
    double m_viewLo = 0.0, m_viewHi = 3.0, m_yTop = 1.0;

    QCPTextElement* m_title = nullptr;
    QStringList m_titleParts;
    plotparts::DensityLayers m_layers;
    std::unique_ptr<IntervalShades> m_shades;
    QCPItemText* m_note = nullptr;
};

} // namespace ws::ui
