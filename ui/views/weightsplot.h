#pragma once
// The Real-weights plot: histogram of the singular values s of a weight matrix (or of s^2) as
// counts per bin, the fitted Marchenko-Pastur density as the expected count per bin of the
// bulkCount values it describes, vertical lines at the fitted bulk edge and at edge + Tracy-Widom
// margin, the values above that as markers, and the pruning cut (the kept top k shaded).
//
// x range: Bulk (default) spans the MP bulk and the nearby outliers, with bins sized for the
// bulk so that far outliers cannot squash it into one bin; values beyond the range are listed
// as labelled markers at the right edge. All spans every value; Log spans every value on a
// log10 x axis (bins of equal log width; the MP curve transformed accordingly).

#include "ui/widgets/theme.h"

#include <qcustomplot.h>

#include <memory>

namespace ws::ui {

struct WeightsData;

class WeightsPlot : public QCustomPlot
{
    Q_OBJECT
public:
    enum class Range { Bulk, All, Log };
    explicit WeightsPlot(QWidget* parent = nullptr);

    void setPlotStyle(const Style& s);
    void setData(std::shared_ptr<const WeightsData> weights); // nullptr: empty plot
    void setSquared(bool on);
    void setRange(Range r);
    void setKept(int k); // top k kept by the pruning preview (-1: none shown)
    void resetView();
    bool squared() const { return m_squared; }
    Range range() const { return m_range; }
    QSize minimumSizeHint() const override { return {400, 250}; }

    // Drawn data, for tests.
    QCPBars* histogramBars() const { return m_bars; }
    QCPGraph* mpCurve() const { return m_mp; }
    QCPGraph* outlierMarkers() const { return m_outliers; } // above edge + margin, in range
    QCPGraph* beyondMarkers() const { return m_beyond; }    // beyond the x range (at its edge)
    QCPItemText* beyondLabel() const { return m_beyondLabel; }
    double edgeX() const { return m_edgeX; }          // plotted x of the edge (log: log10)
    double thresholdX() const { return m_thrX; }      // edge + margin
    double cutX() const { return m_cutX; }            // pruning cut (NaN: none)
    int beyondCount() const { return m_beyondCount; } // values beyond the x range
    int histogramTotal() const;                       // values counted in the bins

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void redraw(bool resetRange = true);
    void drawEmpty();
    double tx(double s) const; // singular value -> plotted x

    Style m_style = Style::make(false, false);
    std::shared_ptr<const WeightsData> m_data;
    bool m_squared = false;
    Range m_range = Range::Bulk;
    int m_kept = -1;
    double m_viewLo = 0.0, m_viewHi = 1.0, m_yTop = 1.0;
    double m_edgeX = 0.0, m_thrX = 0.0, m_cutX = 0.0;
    int m_beyondCount = 0;

    QCPTextElement* m_title = nullptr;
    QCPBars* m_bars = nullptr;
    QCPGraph* m_mp = nullptr;
    QCPGraph* m_outliers = nullptr;
    QCPGraph* m_beyond = nullptr;
    QCPGraph* m_edgeLegend = nullptr;
    QCPGraph* m_thrLegend = nullptr;
    QCPGraph* m_keptLegend = nullptr;
    QCPItemStraightLine* m_edgeLine = nullptr;
    QCPItemStraightLine* m_thrLine = nullptr;
    QCPItemStraightLine* m_cutLine = nullptr;
    QCPItemRect* m_keptShade = nullptr;
    QCPItemText* m_edgeLabel = nullptr;
    QCPItemText* m_thrLabel = nullptr;
    QCPItemText* m_cutLabel = nullptr;
    QCPItemText* m_beyondLabel = nullptr;
    QCPItemText* m_note = nullptr;
};

} // namespace ws::ui
