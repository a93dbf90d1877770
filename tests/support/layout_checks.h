#pragma once
// Checks that a window shows every control whole, for the widget tests. Header-only (Qt
// Widgets). A control is cut off when its rectangle leaves the window, or leaves the visible
// area of one of its parents (the parents' rectangles intersected, up to the window), or is
// squeezed below its minimum size hint (a label, button, combo or spin box narrower than its
// text). Widgets inside a scroll area's viewport are meant to scroll and are not checked; a plot
// (QCustomPlot) must never be inside one. A tool bar or menu bar with its extension button
// shown, and a tab bar with scroll buttons, hide controls too.

#include <QAbstractButton>
#include <QAbstractScrollArea>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QMenuBar>
#include <QStringList>
#include <QTabBar>
#include <QToolBar>
#include <QToolButton>
#include <QWidget>
#include <qcustomplot.h>

namespace ws::test {

inline QString describe(const QWidget* w)
{
    QString name = w->metaObject()->className();
    if (!w->objectName().isEmpty())
        name += " '" + w->objectName() + "'";
    if (auto* l = qobject_cast<const QLabel*>(w))
        name += " \"" + l->text().left(40) + "\"";
    else if (auto* b = qobject_cast<const QAbstractButton*>(w))
        name += " \"" + b->text().left(40) + "\"";
    return name;
}

// The scroll area whose viewport holds `w`, if any.
inline const QAbstractScrollArea* scrollingAncestor(const QWidget* w, const QWidget* window)
{
    for (const QWidget* p = w->parentWidget(); p && p != window; p = p->parentWidget())
        if (auto* area = qobject_cast<const QAbstractScrollArea*>(p->parentWidget()))
            if (area->viewport() == p)
                return area;
    return nullptr;
}

inline bool isControl(const QWidget* w)
{
    if (auto* l = qobject_cast<const QLabel*>(w))
        return !l->wordWrap() && !l->text().isEmpty();
    return qobject_cast<const QAbstractButton*>(w) || qobject_cast<const QComboBox*>(w) ||
           qobject_cast<const QAbstractSpinBox*>(w);
}

// One line per control that is cut off or hidden behind an extension/scroll button; empty if
// every visible control of `window` is shown whole.
inline QStringList cutOffControls(QWidget* window)
{
    QStringList problems;
    const QRect windowRect = window->rect();
    for (QWidget* w : window->findChildren<QWidget*>()) {
        if (w->isWindow() || !w->isVisibleTo(window))
            continue;
        // An extension button means the bar hides some of its items.
        if (w->objectName() == "qt_toolbar_ext_button" ||
            w->objectName() == "qt_menubar_ext_button") {
            problems << QString("%1 shows its extension button (items hidden)")
                            .arg(describe(w->parentWidget()));
            continue;
        }
        if (auto* bar = qobject_cast<QTabBar*>(w)) {
            for (int i = 0; i < bar->count(); ++i)
                if (!bar->rect().contains(bar->tabRect(i)))
                    problems << QString("tab '%1' does not fit its tab bar").arg(bar->tabText(i));
            for (auto* b : bar->findChildren<QToolButton*>())
                if (b->isVisibleTo(window))
                    problems << "a tab bar shows scroll buttons";
        }
        const QAbstractScrollArea* area = scrollingAncestor(w, window);
        if (qobject_cast<QCustomPlot*>(w) && area)
            problems << QString("plot %1 is inside a scroll area").arg(describe(w));
        if (area)
            continue; // meant to scroll
        const QRect r(w->mapTo(window, QPoint(0, 0)), w->size());
        if (!windowRect.contains(r)) {
            problems << QString("%1 at (%2, %3) %4x%5 leaves the window (%6x%7)")
                            .arg(describe(w))
                            .arg(r.x())
                            .arg(r.y())
                            .arg(r.width())
                            .arg(r.height())
                            .arg(windowRect.width())
                            .arg(windowRect.height());
            continue;
        }
        QRect visible = windowRect;
        for (QWidget* p = w->parentWidget(); p && p != window; p = p->parentWidget())
            visible &= QRect(p->mapTo(window, QPoint(0, 0)), p->size());
        if (!visible.contains(r)) {
            problems << QString("%1 is cut by a parent").arg(describe(w));
            continue;
        }
        // Qt's own title-bar buttons (a dock's float button) are sized by Qt's layouts.
        if (isControl(w) && !w->objectName().startsWith("qt_")) {
            const QSize hint = w->minimumSizeHint();
            if (w->width() < hint.width() - 1 || w->height() < hint.height() - 1)
                problems << QString("%1 squeezed to %2x%3 (needs %4x%5)")
                                .arg(describe(w))
                                .arg(w->width())
                                .arg(w->height())
                                .arg(hint.width())
                                .arg(hint.height());
        }
    }
    return problems;
}

// Delivers the pending layout requests, deepest first, until none is left (no sleeping).
inline void settleLayouts()
{
    for (int i = 0; i < 8; ++i)
        QApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
}

} // namespace ws::test
