#pragma once
// Draws one animation frame (core/animation/animation.h) into an image of any size, for slides:
// the histogram on the animation's fixed axes, the semicircle and the deterministic
// equivalent, the outliers as markers (finite-rank triangle, large-rank diamond, observed disc
// with +- sd, each sample's outliers as ticks on the axis: a single eigenvalue stays visible,
// where a histogram bar would have height 1/N), a legend, a title naming the model in words and
// a caption with the parameter's value. QtGui only (QPainter on a QImage): needs a
// QGuiApplication for the fonts, no widgets, no display (the offscreen platform will do).
// Fonts and lines scale with the image height (framestyle.h).

#include "core/animation/animation.h"
#include "ui/render/framestyle.h"

#include <QImage>
#include <QRect>
#include <QSize>
#include <QString>

#include <string>
#include <vector>

class QPainter;

namespace ws::render {

// Where the parts of a frame go in an image of a given size (pixels).
struct FrameLayout
{
    double unit = 1.0;   // pixels per 1/720 of the height
    QRect title;         // model in words (one or two lines)
    QRect caption;       // parameter value, top right
    QRect plot;          // the data area inside the axes
    QRect legend;        // below the axis titles
    int titlePixels = 0; // the title's font size after shrinking to fit
};

// The core's words for a frame (core/animation/describe.h: "theta = 2.35", "r = ceil(N^alpha)")
// with the symbols of the app's labels ("θ = 2.35", "r = ⌈N^α⌉").
QString displayText(const std::string& words);

class FrameRenderer
{
public:
    // `plan` must outlive the renderer (its axes, values and models are read while drawing).
    explicit FrameRenderer(const core::AnimationPlan& plan,
                           const style::Palette& palette = style::Palette::light());

    // The frame in a new image of `size` (Format_RGB32, opaque). Sizes below 64 x 48 are drawn
    // at 64 x 48.
    QImage render(const core::AnimationFrame& frame, QSize size) const;
    // The same onto any paint device of that size. `minUnit` > 0 keeps the unit (fonts, lines)
    // at least that large however small the size: the app's preview, whose text must stay
    // readable (at least the app's plot font) where an exported slide would be drawn smaller.
    void paint(QPainter& p, QSize size, const core::AnimationFrame& frame,
               double minUnit = 0.0) const;
    // The same for every frame of the plan: the caption box fits the widest caption.
    // A minimum unit gives way (down to the height's unit) where it would leave the plot less
    // than a third of the height.
    FrameLayout layout(QSize size, double minUnit = 0.0) const;

    const QString& title() const { return m_title; }

private:
    FrameLayout layoutAt(QSize size, double unit) const;

    const core::AnimationPlan& m_plan;
    style::Palette m_palette;
    QString m_title;
    std::vector<QString> m_captions; // per frame
};

} // namespace ws::render
