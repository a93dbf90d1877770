// Figures at a chosen size, DPI and font scale (see figure.h).
#include "ui/widgets/figure.h"

#include "ui/widgets/datadirs.h"

#include <QBuffer>
#include <QImage>
#include <QPageLayout>
#include <QPainter>
#include <QPdfWriter>
#include <QSettings>
#include <QSvgGenerator>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace ws::ui {

QSizeF FigureOptions::inches() const
{
    switch (size) {
    case Size::Slide169:
        return {10.0, 5.625};
    case Size::Slide43:
        return {10.0, 7.5};
    case Size::Column:
        return {3.5, 2.625};
    case Size::Custom:
        break;
    }
    return {std::clamp(custom.width(), 0.5, 40.0), std::clamp(custom.height(), 0.5, 40.0)};
}

QSize FigureOptions::pixels() const
{
    const QSizeF in = inches();
    const int d = std::clamp(dpi, 50, 1200);
    return {static_cast<int>(std::lround(in.width() * d)),
            static_cast<int>(std::lround(in.height() * d))};
}

QSize FigureOptions::logical() const
{
    const QSizeF in = inches();
    const double s = std::clamp(fontScale, 0.5, 3.0);
    return {std::max(1, static_cast<int>(std::lround(in.width() * 96.0 / s))),
            std::max(1, static_cast<int>(std::lround(in.height() * 96.0 / s)))};
}

QString FigureOptions::name(Size s)
{
    switch (s) {
    case Size::Slide169:
        return QObject::tr("Slide 16:9 (10 × 5.63 in)");
    case Size::Slide43:
        return QObject::tr("Slide 4:3 (10 × 7.5 in)");
    case Size::Column:
        return QObject::tr("Paper column (3.5 × 2.63 in)");
    case Size::Custom:
        break;
    }
    return QObject::tr("Custom");
}

QString FigureOptions::settingsPath()
{
    return userDataDir() + "/figure.ini";
}

FigureOptions FigureOptions::load()
{
    const QSettings s(settingsPath(), QSettings::IniFormat);
    FigureOptions o;
    o.size = static_cast<Size>(std::clamp(s.value("figure/size", 0).toInt(), 0, 3));
    o.custom =
        QSizeF(s.value("figure/width", 6.0).toDouble(), s.value("figure/height", 4.0).toDouble());
    o.dpi = std::clamp(s.value("figure/dpi", 150).toInt(), 50, 1200);
    o.fontScale = std::clamp(s.value("figure/fontScale", 1.0).toDouble(), 0.5, 3.0);
    return o;
}

void FigureOptions::save() const
{
    QSettings s(settingsPath(), QSettings::IniFormat);
    s.setValue("figure/size", static_cast<int>(size));
    s.setValue("figure/width", custom.width());
    s.setValue("figure/height", custom.height());
    s.setValue("figure/dpi", dpi);
    s.setValue("figure/fontScale", fontScale);
    s.sync();
}

QByteArray renderFigure(const std::function<void(QPainter&, QSize)>& paint, ImageFormat format,
                        const FigureOptions& o)
{
    const QSize logical = o.logical();
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    // The page maps onto the whole device: window = the logical page, viewport = the device. A
    // QCPPainter (a QPainter) so that plots can draw with it too.
    auto draw = [&](QPaintDevice* device) {
        QCPPainter p;
        if (!p.begin(device))
            throw std::runtime_error("cannot start painting the figure");
        p.setWindow(QRect(QPoint(0, 0), logical));
        paint(p, logical);
        p.end();
    };
    switch (format) {
    case ImageFormat::Png: {
        QImage img(o.pixels(), QImage::Format_ARGB32_Premultiplied);
        img.fill(Qt::white);
        // Painted at 96 DPI: the page transform alone scales to the pixels. An image at the
        // target DPI would size text in points by that DPI too, larger than the layout (done at
        // 96 DPI) gave it room for. The DPI is the file's metadata, set after painting.
        const int dpm96 = static_cast<int>(std::lround(96 / 0.0254));
        img.setDotsPerMeterX(dpm96);
        img.setDotsPerMeterY(dpm96);
        draw(&img);
        img.setDotsPerMeterX(static_cast<int>(std::lround(o.dpi / 0.0254)));
        img.setDotsPerMeterY(static_cast<int>(std::lround(o.dpi / 0.0254)));
        if (!img.save(&buffer, "PNG"))
            throw std::runtime_error("cannot encode the PNG image");
        break;
    }
    case ImageFormat::Svg: {
        QSvgGenerator svg;
        svg.setOutputDevice(&buffer);
        const QSizeF in = o.inches();
        svg.setResolution(96);
        svg.setSize(QSize(static_cast<int>(std::lround(in.width() * 96)),
                          static_cast<int>(std::lround(in.height() * 96))));
        svg.setViewBox(QRect(QPoint(0, 0), logical));
        svg.setTitle("Wignerscope");
        draw(&svg);
        break;
    }
    case ImageFormat::Pdf: {
        QPdfWriter pdf(&buffer);
        pdf.setCreator("Wignerscope");
        pdf.setResolution(96); // text in points against the 96-DPI layout, as for PNG
        QPageLayout layout(QPageSize(o.inches(), QPageSize::Inch, QString(), QPageSize::ExactMatch),
                           QPageLayout::Portrait, QMarginsF(0, 0, 0, 0));
        layout.setMode(QPageLayout::FullPageMode);
        pdf.setPageLayout(layout);
        draw(&pdf);
        break;
    }
    }
    if (bytes.isEmpty())
        throw std::runtime_error("the rendered figure is empty");
    return bytes;
}

QByteArray renderFigure(QCustomPlot* plot, ImageFormat format, const FigureOptions& o)
{
    // toPainter needs a QCPPainter: the painter renderFigure passes is one. Vector devices keep
    // the lines as lines.
    return renderFigure(
        [plot, format](QPainter& p, QSize logical) {
            auto& cp = static_cast<QCPPainter&>(p);
            cp.setMode(QCPPainter::pmNoCaching);
            if (format != ImageFormat::Png)
                cp.setMode(QCPPainter::pmVectorized);
            plot->toPainter(&cp, logical.width(), logical.height());
        },
        format, o);
}

} // namespace ws::ui
