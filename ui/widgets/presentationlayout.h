#pragma once
// What presentation mode does to the window's layout, and how it comes back. enter() records the
// window's own layout (geometry and window state, docks and tool bars, the central splitter);
// arrange() then gives the plots the room; leave() restores exactly what enter() recorded. While
// presenting, the fonts follow the window's size (scale(): 1 at 1920 x 1080 less a title bar,
// smaller on a smaller projector, re-derived when the window is resized), so that a lecture
// fits a 1280 x 720 projector as it fits a 1920 x 1080 one. fitToScreen() sizes a new window to
// its screen.
//
// The central splitter (main plot pane, spectrum strip, table pane) is sized by arrange() in both
// modes, at every resize of the splitter, until the user drags one of its handles: the table gets
// its summary, header and up to 4 rows (3 when presenting) within a share of the height, the
// spectrum strip a sixth, the main plot the rest.

#include <QByteArray>
#include <QObject>
#include <QRect>
#include <QSize>
#include <QTimer>

#include <functional>

class QHeaderView;
class QMainWindow;
class QSplitter;
class QToolBar;

namespace ws::ui {

class PresentationLayout : public QObject
{
    Q_OBJECT
public:
    PresentationLayout(QMainWindow* window, QSplitter* splitter);

    // Records the layout (call before the presentation style is applied).
    void enter();
    // The table pane's height for `rows` rows (OutlierTable::heightForRows).
    void setTableHeight(std::function<int(int rows)> heightForRows);
    // Splitter sizes for the current mode: most of the height to the main plot. Now, whether or
    // not the user sized the splitter; fit() only if not.
    void arrange();
    void fit();
    // The user dragged a handle of the central splitter (in this mode): no automatic sizes.
    bool userSizes() const { return m_userSizes; }
    // Restores the recorded layout (call after the normal style is applied).
    void leave();
    bool active() const { return m_active; }

    // The font scale for a window of `size`: min(width / 1920, height / 1016), in steps of
    // 0.05, within [0.75, 1.25].
    static double scaleFor(QSize size);
    double scale() const { return m_scale; }
    // Re-derives the scale from the window's size now (a resize does it after 150 ms);
    // emits scaleChanged if it changed and presentation mode is on.
    void applyWindowScale();

    // Resizes the window to `preferred`, at most the available area of its screen.
    void fitToScreen(QSize preferred);
    // `second` goes onto a row of its own when the two bars do not fit the window's width side
    // by side (wrapToolBars(), at every resize).
    void setToolBars(QToolBar* first, QToolBar* second);
    void wrapToolBars();
    // No column of a stretched table header narrower than its title at the current font (the
    // table scrolls sideways instead of cutting a title).
    static void fitHeader(QHeaderView* header);

signals:
    void scaleChanged(double scale);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QMainWindow* m_window;
    QSplitter* m_splitter;
    QToolBar* m_firstBar = nullptr;
    QToolBar* m_secondBar = nullptr;
    QTimer m_resized;
    bool m_active = false;
    double m_scale = 1.0;
    // The layout recorded by enter().
    QByteArray m_windowState, m_splitterState;
    QRect m_geometry;
    bool m_maximized = false;
    std::function<int(int)> m_tableHeight;
    bool m_userSizes = false;       // the user dragged a splitter handle in this mode
    bool m_userSizesNormal = false; // ... in normal mode, kept while presenting
};

} // namespace ws::ui
