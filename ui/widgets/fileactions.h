#pragma once
// The File menu's file actions, each with its file dialog: open and save a session, and export
// the eigenvalue tab -- the main and the signal-spectrum plot (PNG/SVG/PDF) and four CSV tables
// (eigenvalues, histogram, theory curves, outlier table) from the controller's last frames.
// Files are written atomically (exporter.h).

#include "ui/jobs/frames.h"

#include "core/io/session.h"

#include <QObject>
#include <QString>

#include <functional>

class QAction;
class QMenu;
class QMenuBar;
class QWidget;

namespace ws::ui {

class Controller;
class MainPlot;
class SpectrumPlot;
class StatusPanel;

class FileActions : public QObject
{
    Q_OBJECT
public:
    enum class CsvKind { Eigenvalues, Histogram, Theory, Outliers };

    // The window's session: its current state, and loading one into it.
    struct SessionAccess
    {
        std::function<core::Session()> current;
        std::function<void(const core::Session&)> apply;
    };

    // `window` parents the file dialogs; `status` shows notices about what was exported.
    FileActions(SessionAccess session, Controller* controller, MainPlot* mainPlot,
                SpectrumPlot* spectrumPlot, StatusPanel* status, QWidget* window);

    // The File menu: sessions, "Open weights…" (`openWeights`), exports, Quit (closes `window`).
    void addFileMenu(QMenuBar* bar, const std::function<void()>& openWeights);
    // Adds "Open session…" and "Save session…" to `file`.
    void addSessionActions(QMenu* file);
    // Adds the plot exports and the "Export CSV" submenu to `file`.
    void addExportActions(QMenu* file);
    // The banded fast path locates only the extreme eigenvalues: the Eigenvalues entry says so
    // before the user picks a file.
    void setTheory(const TheoryFrame& theory);

    // False with the reason in `error` on failure (the session or the target file untouched).
    bool openSession(const QString& path, QString* error = nullptr);
    bool saveSession(const QString& path, QString* error = nullptr);
    bool exportPlot(const QString& path, bool spectrum, QString* error = nullptr);
    bool exportCsv(const QString& path, CsvKind kind, QString* error = nullptr);

signals:
    // An action started from a dialog failed (`what` failed, `message` says why).
    void failed(const QString& what, const QString& message);
    // Ctrl+E and Ctrl+Shift+E: the shown tab's figure or data (the window's TabExports).
    void tabFigureRequested();
    void tabDataRequested();

private:
    void openSessionDialog();
    void saveSessionDialog();
    void exportPlotDialog(bool spectrum);
    void exportCsvDialog(CsvKind kind);

    SessionAccess m_session;
    Controller* m_controller;
    MainPlot* m_mainPlot;
    SpectrumPlot* m_spectrumPlot;
    StatusPanel* m_status;
    QWidget* m_window;
    QAction* m_eigenvaluesCsv = nullptr;
};

} // namespace ws::ui
