#pragma once
// Colours, line widths and font sizes for the light/dark themes and the presentation mode
// (projected in a classroom: larger fonts, thicker lines). Plot colours follow the
// colour-blind-safe Okabe-Ito palette.

#include <QColor>
#include <QFont>

class QApplication;
class QCustomPlot;

namespace ws::ui {

struct Style
{
    bool dark = false;
    bool presentation = false;

    QColor background, foreground, grid, subGrid, legendBackground;
    QColor bars, barsBorder, equivalent, semicircle, support, finiteRank, largeRank, observed;
    QColor spikeSeparated, spikeInside, bulkOfS, thresholdFinite, thresholdLarge;

    double lineWidth() const { return presentation ? 4.0 : 2.0; }
    double markerSize() const { return presentation ? 16.0 : 10.0; }
    int plotFontSize() const { return presentation ? 17 : 10; }
    int appFontSize() const { return presentation ? 15 : 10; }

    static Style make(bool dark, bool presentation);
    void applyTo(QCustomPlot* plot) const; // background, axes, grid, legend, fonts
};

// Fusion style with a light or dark palette and the application font size.
void applyApplicationStyle(const Style& s);

} // namespace ws::ui
