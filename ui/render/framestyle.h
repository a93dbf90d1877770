#pragma once
// The look of animation frames: colours, and sizes in units of 1/720 of the image height, so
// that a 720p and a 1080p frame are the same picture at two resolutions.

#include <QColor>

#include <vector>

namespace ws::render::style {

inline const QColor kBackground{255, 255, 255};
inline const QColor kText{32, 32, 32};
inline const QColor kAxis{64, 64, 64};
inline const QColor kGrid{230, 230, 230};
inline const QColor kBars{158, 202, 225};      // histogram fill
inline const QColor kBarContour{66, 146, 198}; // histogram outline
inline const QColor kSemicircle{99, 99, 99};   // dashed
inline const QColor kEquivalent{8, 81, 156};   // deterministic equivalent
inline const QColor kFiniteRank{230, 85, 13};  // finite-rank (BBP) prediction: triangle
inline const QColor kLargeRank{49, 163, 84};   // large-rank prediction: diamond
inline const QColor kObserved{0, 0, 0};        // observed outliers: disc, sample ticks

// The colours of a frame. light() is the document look above (the CLI's frames); the app's dark
// theme builds its own from its colours (ui::framePalette, ui/widgets/theme.h).
struct Palette
{
    QColor background, text, axis, grid, bars, barContour, semicircle, equivalent, finiteRank,
        largeRank, observed;

    // Every colour a frame is drawn with (antialiasing blends them with the background and the
    // bars): what a GIF palette for the frames must hold.
    std::vector<QColor> inks() const
    {
        return {text,       axis,       grid,       bars,      barContour,
                semicircle, equivalent, finiteRank, largeRank, observed};
    }
    static Palette light()
    {
        return {kBackground, kText,       kAxis,       kGrid,      kBars,    kBarContour,
                kSemicircle, kEquivalent, kFiniteRank, kLargeRank, kObserved};
    }
};

// Sizes, in units of height / 720.
constexpr double kPad = 22.0;          // outer margin
constexpr double kTitleFont = 26.0;    // model in words
constexpr double kTitleMinFont = 20.0; // a long title shrinks to this, then wraps
constexpr double kCaptionFont = 40.0;  // parameter value (bold)
constexpr double kTickFont = 20.0;
constexpr double kLabelFont = 22.0; // axis titles
constexpr double kLegendFont = 20.0;
constexpr double kTickLength = 8.0;
constexpr double kAxisWidth = 1.6;
constexpr double kCurveWidth = 3.2;
constexpr double kSemicircleWidth = 2.6;
constexpr double kContourWidth = 1.6;
constexpr double kMarkerSize = 17.0; // triangle / diamond extent
constexpr double kMarkerPen = 3.0;
constexpr double kDotRadius = 6.5;  // observed mean
constexpr double kRugHeight = 14.0; // per-sample outlier ticks
constexpr double kMarkerRow = 26.0; // vertical spacing of the marker rows above the axis

} // namespace ws::render::style
