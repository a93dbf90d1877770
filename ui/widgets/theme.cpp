#include "ui/widgets/theme.h"

#include "ui/render/framestyle.h"

#include <QApplication>
#include <QPalette>
#include <QScrollArea>
#include <QVBoxLayout>
#include <QStyleFactory>
#include <QWidget>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace ws::ui {

namespace {

// Each colour role in the light and the dark theme, side by side.
struct ColorRole
{
    QColor Style::*role;
    QColor light, dark;
};

const ColorRole kColors[] = {
    {&Style::background, Qt::white, QColor(30, 32, 36)},
    {&Style::foreground, QColor(20, 20, 20), QColor(225, 225, 225)},
    {&Style::grid, QColor(215, 215, 215), QColor(70, 74, 80)},
    {&Style::subGrid, QColor(238, 238, 238), QColor(50, 53, 58)},
    {&Style::legendBackground, QColor(255, 255, 255, 230), QColor(40, 43, 48, 230)},
    {&Style::bars, QColor(86, 180, 233, 110), QColor(86, 180, 233, 120)}, // sky blue
    {&Style::barsBorder, QColor(40, 130, 190, 160), QColor(86, 180, 233, 200)},
    // The curve to watch: deep blue, yellow.
    {&Style::equivalent, QColor(0, 80, 160), QColor(240, 228, 66)},
    {&Style::semicircle, QColor(60, 60, 60), QColor(200, 200, 200)},
    {&Style::support, QColor(0, 0, 0, 14), QColor(255, 255, 255, 22)},
    {&Style::finiteRank, QColor(213, 94, 0), QColor(230, 159, 0)}, // vermillion, orange
    {&Style::largeRank, QColor(0, 158, 115), QColor(0, 190, 140)}, // bluish green
    {&Style::observed, QColor(0, 0, 0), QColor(255, 255, 255)},
    {&Style::spikeSeparated, QColor(204, 121, 167), QColor(204, 121, 167)},
    {&Style::spikeInside, QColor(150, 150, 150), QColor(140, 140, 140)},
    {&Style::bulkOfS, QColor(86, 180, 233, 150), QColor(86, 180, 233, 140)},
    {&Style::thresholdFinite, QColor(213, 94, 0), QColor(230, 159, 0)},
    {&Style::thresholdLarge, QColor(0, 158, 115), QColor(0, 190, 140)},
};

} // namespace

Style Style::make(bool dark, bool presentation, double scale)
{
    Style s;
    s.dark = dark;
    s.presentation = presentation;
    s.scale = scale;
    for (const auto& [role, light, darkColor] : kColors)
        s.*role = dark ? darkColor : light;
    return s;
}

void fitSidePanel(QWidget* panel, const Style& s, int normal, int presentation)
{
    const int width = s.presentation ? presentation : normal;
    panel->setMinimumWidth(width);
    panel->setMaximumWidth(width + 60);
}

void scrollSidePanel(QScrollArea* area, std::initializer_list<QWidget*> sections,
                     Qt::ScrollBarPolicy horizontal, int rightMargin)
{
    auto* content = new QWidget;
    auto* column = new QVBoxLayout(content);
    column->setContentsMargins(0, 0, rightMargin, 0);
    for (QWidget* s : sections)
        column->addWidget(s);
    column->addStretch(1);
    area->setWidget(content);
    area->setWidgetResizable(true);
    area->setHorizontalScrollBarPolicy(horizontal);
    area->setFrameShape(QFrame::NoFrame);
}

int Style::scaled(int points) const
{
    // Never below the normal mode's 10 pt: presentation is for the back row.
    return std::max(10, static_cast<int>(std::lround(points * scale)));
}

void Style::applyTo(QCustomPlot* plot) const
{
    plot->setBackground(background);
    QFont font = plot->font();
    font.setPointSize(plotFontSize());
    QFont small = font;
    small.setPointSize(plotFontSize() - 1);
    const QPen axisPen(foreground, presentation ? 2.0 : 1.0);
    for (QCPAxisRect* rect : plot->axisRects()) {
        rect->setBackground(background);
        for (QCPAxis* axis : rect->axes()) {
            axis->setBasePen(axisPen);
            axis->setTickPen(axisPen);
            axis->setSubTickPen(axisPen);
            axis->setLabelColor(foreground);
            axis->setTickLabelColor(foreground);
            axis->setLabelFont(font);
            axis->setTickLabelFont(small);
            axis->grid()->setPen(QPen(grid, 1, Qt::DotLine));
            axis->grid()->setSubGridPen(QPen(subGrid, 1, Qt::DotLine));
            axis->grid()->setZeroLinePen(QPen(grid, 1));
        }
    }
    plot->legend->setFont(small);
    plot->legend->setTextColor(foreground);
    plot->legend->setBrush(legendBackground);
    plot->legend->setBorderPen(QPen(grid));
    // Presenting: in proportion to the window, as the markers; never below normal mode's.
    const QSize icon = presentation ? QSize(std::max(28, static_cast<int>(std::lround(40 * scale))),
                                            std::max(14, static_cast<int>(std::lround(22 * scale))))
                                    : QSize(28, 14);
    plot->legend->setIconSize(icon);
    for (int i = 0; i < plot->plotLayout()->elementCount(); ++i) {
        if (auto* text = qobject_cast<QCPTextElement*>(plot->plotLayout()->elementAt(i))) {
            text->setTextColor(foreground);
            text->setFont(font);
        }
    }
}

render::style::Palette framePalette(bool dark)
{
    if (!dark)
        return render::style::Palette::light();
    const Style s = Style::make(true, false);
    auto over = [&](const QColor& c) { // c's alpha blended over the background
        const double a = c.alphaF();
        auto mix = [&](int fg, int bg) {
            return static_cast<int>(std::lround(a * fg + (1.0 - a) * bg));
        };
        return QColor(mix(c.red(), s.background.red()), mix(c.green(), s.background.green()),
                      mix(c.blue(), s.background.blue()));
    };
    return {s.background, s.foreground, s.semicircle, s.grid,      over(s.bars), over(s.barsBorder),
            s.semicircle, s.equivalent, s.finiteRank, s.largeRank, s.observed};
}

void applyApplicationStyle(const Style& s)
{
    QApplication::setStyle(QStyleFactory::create("Fusion"));
    QPalette p;
    if (s.dark) {
        p.setColor(QPalette::Window, QColor(45, 47, 51));
        p.setColor(QPalette::WindowText, QColor(230, 230, 230));
        p.setColor(QPalette::Base, QColor(30, 32, 36));
        p.setColor(QPalette::AlternateBase, QColor(50, 53, 58));
        p.setColor(QPalette::ToolTipBase, QColor(60, 63, 68));
        p.setColor(QPalette::ToolTipText, QColor(235, 235, 235));
        p.setColor(QPalette::Text, QColor(230, 230, 230));
        p.setColor(QPalette::Button, QColor(55, 58, 63));
        p.setColor(QPalette::ButtonText, QColor(230, 230, 230));
        p.setColor(QPalette::BrightText, Qt::red);
        p.setColor(QPalette::Highlight, QColor(42, 130, 218));
        p.setColor(QPalette::HighlightedText, Qt::white);
        p.setColor(QPalette::PlaceholderText, QColor(140, 140, 140));
        p.setColor(QPalette::Disabled, QPalette::Text, QColor(120, 120, 120));
        p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(120, 120, 120));
        p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(120, 120, 120));
    } else {
        p = QApplication::style()->standardPalette();
    }
    QApplication::setPalette(p);
    QFont f = QApplication::font();
    f.setPointSize(s.appFontSize());
    QApplication::setFont(f);
}

} // namespace ws::ui
