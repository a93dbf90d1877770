#pragma once
// The signal spectrum of S: spikes theta_k as stems (coloured by whether they separate from
// the bulk by the large-rank criterion), the bulk of S as a histogram (or a single bar when
// it is constant), and the separation thresholds: |theta| = sigma (finite rank, r = o(N)) and
// the large-rank criterion sigma^2 (1/N) sum_bulk 1/(theta - s)^2 = 1. Everything is labelled
// in place (no legend), which keeps this short plot readable on a projector.

#include "ui/jobs/frames.h"
#include "ui/widgets/theme.h"

#include <qcustomplot.h>

#include <memory>

namespace ws::ui {

class SpectrumPlot : public QCustomPlot
{
    Q_OBJECT
public:
    explicit SpectrumPlot(QWidget* parent = nullptr);

    void setPlotStyle(const Style& s);
    void setTheory(std::shared_ptr<const TheoryFrame> theory);
    // Shares `main`'s x axis (range and pixel margins), so that a spike lines up with its
    // outlier.
    void followXAxisOf(QCustomPlot* main);
    QSize minimumSizeHint() const override { return {400, 120}; }

    QCPGraph* separatedStems() const { return m_separated; }
    QCPGraph* insideStems() const { return m_inside; }
    QCPBars* bulkBars() const { return m_bulk; }
    QList<double> thresholds() const; // x of every threshold line shown

private:
    void placeLabelRows(); // a text line apart from the top of the plot area

    Style m_style = Style::make(false, false);
    std::shared_ptr<const TheoryFrame> m_theory;
    QCPGraph* m_separated = nullptr;
    QCPGraph* m_inside = nullptr;
    QCPBars* m_bulk = nullptr;
    QPen m_finitePen, m_largePen;
    QList<QCPItemStraightLine*> m_finiteLines, m_largeLines;
    QList<QPair<QCPItemText*, int>> m_labelRows; // label and its row (0 at the top)
    int m_rowsForHeight = 0;
};

} // namespace ws::ui
