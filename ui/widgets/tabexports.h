#pragma once
// Exports of whatever tab is shown (Ctrl+E, Ctrl+Shift+E): its plot as a figure (PNG/SVG/PDF at
// the size, DPI and font scale of the figure dialog, figure.h) and its data as CSV, with the
// provenance lines of every CSV (core/io/provenance.h). Per tab:
//   Eigenvalues   the main plot; the eigenvalues (as File > Export CSV > Eigenvalues)
//   sweep tabs    the tab's plot; one row per grid point (as its Export CSV button)
//   Animation     the frame shown (drawn by ui/render); that frame's histogram
//   Real weights  the spectrum plot; the singular values
//   Rectangular   the singular-value plot; the histogram of s

#include "ui/widgets/figure.h"

#include <QObject>
#include <QString>

class QWidget;

namespace ws::ui {

class FileActions;
class MainPlot;
class ViewTabs;

class TabExports : public QObject
{
    Q_OBJECT
public:
    TabExports(ViewTabs* tabs, MainPlot* mainPlot, FileActions* files, QWidget* window);

    // The shown tab's figure / data at `path` (format by suffix). False with the reason.
    bool exportFigure(const QString& path, const FigureOptions& o, QString* error = nullptr);
    bool exportData(const QString& path, QString* error = nullptr);
    // The figure dialog, then the file dialog; the choice is remembered.
    void exportFigureDialog();
    void exportDataDialog();

signals:
    void failed(const QString& what, const QString& message);

private:
    QByteArray figureOfTab(ImageFormat format, const FigureOptions& o) const;
    QByteArray dataOfTab() const;

    ViewTabs* m_tabs;
    MainPlot* m_mainPlot;
    FileActions* m_files;
    QWidget* m_window;
};

} // namespace ws::ui
