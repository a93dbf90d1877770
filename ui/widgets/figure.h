#pragma once
// Figures for slides and papers, independent of the window: a size (a 16:9 or 4:3 slide, a
// paper column of 3.5 in, or custom, in inches), a resolution (DPI) and a font scale. A PNG is
// exactly inches x DPI pixels; an SVG or a PDF is that many inches. Text keeps its size in
// points whatever the DPI (more pixels per point), and the font scale enlarges text and lines
// relative to the figure (the plot is laid out on a page 1/scale as large, then scaled up).
// The choice is remembered in <user data dir>/figure.ini (datadirs.h: $WIGNERSCOPE_DATA_DIR in
// tests).

#include "ui/widgets/exporter.h"

#include <QByteArray>
#include <QSize>
#include <QSizeF>
#include <QString>

#include <functional>

class QCustomPlot;
class QPainter;

namespace ws::ui {

struct FigureOptions
{
    enum class Size { Slide169, Slide43, Column, Custom };
    Size size = Size::Slide169;
    QSizeF custom{6.0, 4.0}; // inches, Size::Custom
    int dpi = 150;           // 50 ... 1200
    double fontScale = 1.0;  // 0.5 ... 3

    QSizeF inches() const; // 16:9: 10 x 5.625, 4:3: 10 x 7.5, column: 3.5 x 2.625, or custom
    QSize pixels() const;  // inches x dpi, rounded
    // The page the plot is laid out on, in points of 1/96 in: inches x 96 / fontScale.
    QSize logical() const;
    static QString name(Size s); // "Slide 16:9", ...

    // The remembered choice (defaults when none or unreadable), and remembering one.
    static FigureOptions load();
    void save() const;
    static QString settingsPath();
    bool operator==(const FigureOptions&) const = default;
};

// The plot as a figure. Throws std::runtime_error if it cannot be encoded.
QByteArray renderFigure(QCustomPlot* plot, ImageFormat format, const FigureOptions& o);
// Anything drawn by `paint` on a page of `logical` size (points of 1/96 in), as a figure.
QByteArray renderFigure(const std::function<void(QPainter&, QSize logical)>& paint,
                        ImageFormat format, const FigureOptions& o);

} // namespace ws::ui
