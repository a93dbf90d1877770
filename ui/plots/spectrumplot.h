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
#include <vector>

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
    QList<double> thresholds() const;   // x of every threshold line shown
    QList<QCPItemText*> labels() const; // every label (hidden ones too)

private:
    // What a label names: a threshold line (beside it, either side), a point (a stem or a
    // constant bulk: over it or beside it) or a span (the bulk's histogram: anywhere over it).
    enum class Anchor { Line, Point, Span };
    struct Label
    {
        QCPItemText* item = nullptr;
        Anchor anchor = Anchor::Point;
        double x = 0.0, to = 0.0; // plot coordinates (a span: x to `to`; a line: the one
                                  // it names, `to` its mirror image, NaN if none)
        int row = 0;              // preferred row, 0 at the top
        bool leftOfLine = false;  // a line's label: preferred to the left of it
        bool count = false;       // a stem's multiplicity: placed after the others
        bool droppable = false;   // hidden rather than over the bars or over a line and a stem
                                  // (the bulk's: the axis title names the bulk too)
    };
    // Places the labels in rows a text line apart from the top of the plot area, each where it
    // stays inside the axis rect, overlaps no other label and crosses as few threshold lines,
    // stems and bars as it can (spectrumlabels.cpp).
    void placeLabels();

    Style m_style = Style::make(false, false);
    std::shared_ptr<const TheoryFrame> m_theory;
    QCPGraph* m_separated = nullptr;
    QCPGraph* m_inside = nullptr;
    QCPBars* m_bulk = nullptr;
    QPen m_finitePen, m_largePen;
    QList<QCPItemStraightLine*> m_finiteLines, m_largeLines;
    std::vector<Label> m_labels; // in the order they are placed (thresholds first)
    std::vector<double> m_stems; // x of every spike, sorted
};

} // namespace ws::ui
