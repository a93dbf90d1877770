#pragma once
// Colours, line widths and font sizes for the light/dark themes and the presentation mode
// (projected in a classroom: larger fonts, thicker lines). Plot colours follow the
// colour-blind-safe Okabe-Ito palette.

#include <QColor>
#include <QFont>

#include <algorithm>
#include <initializer_list>

class QScrollArea;
class QWidget;

class QApplication;
class QCustomPlot;

namespace ws::render::style {
struct Palette;
}

namespace ws::ui {

struct Style
{
    bool dark = false;
    bool presentation = false;
    // Presentation fonts follow the window: 1 at 1920 x 1080, less on a smaller projector
    // (presentationlayout.h); normal mode ignores it.
    double scale = 1.0;

    QColor background, foreground, grid, subGrid, legendBackground;
    QColor bars, barsBorder, equivalent, semicircle, support, finiteRank, largeRank, observed;
    QColor spikeSeparated, spikeInside, bulkOfS, thresholdFinite, thresholdLarge;

    // Presenting: thicker and larger in proportion to the window (scale), so that they look the
    // same on every projector and a small one keeps its few pixels for the data.
    double lineWidth() const { return presentation ? std::max(2.0, 4.0 * scale) : 2.0; }
    double markerSize() const { return presentation ? std::max(10.0, 16.0 * scale) : 10.0; }
    int plotFontSize() const { return presentation ? scaled(17) : 10; }
    int appFontSize() const { return presentation ? scaled(15) : 10; }

    static Style make(bool dark, bool presentation, double scale = 1.0);
    void applyTo(QCustomPlot* plot) const; // background, axes, grid, legend, fonts

private:
    int scaled(int points) const;
};

// The colours of an animation frame in the light or the dark theme: the light theme keeps the
// frames' document look (render::style::Palette::light, as the CLI draws them); the dark one is
// the dark theme's own colours, the translucent bars made opaque over its background (a frame is
// an opaque image), so that the preview is no white box in a dark window and its exports are
// what the preview shows.
render::style::Palette framePalette(bool dark);

// Fusion style with a light or dark palette and the application font size.
void applyApplicationStyle(const Style& s);

// A tab's side panel beside its plot: `normal` pixels wide (`presentation` in presentation mode,
// for its larger fonts), with 60 more to give where the window has room.
void fitSidePanel(QWidget* panel, const Style& s, int normal, int presentation);
// The side panel's scroll area around `sections`, top to bottom (`rightMargin` pixels from the
// scroll bar), as wide as the area, scrolled rather than clipped where the window is short
// (presentation fonts), no frame.
void scrollSidePanel(QScrollArea* area, std::initializer_list<QWidget*> sections,
                     Qt::ScrollBarPolicy horizontal, int rightMargin = 0);

} // namespace ws::ui
