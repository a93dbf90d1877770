#include "ui/widgets/presentationlayout.h"

#include <QAbstractItemModel>
#include <QEvent>
#include <QHeaderView>
#include <QMainWindow>
#include <QScreen>
#include <QSplitter>
#include <QToolBar>

#include <algorithm>
#include <cmath>

namespace ws::ui {

PresentationLayout::PresentationLayout(QMainWindow* window, QSplitter* splitter)
    : QObject(window), m_window(window), m_splitter(splitter)
{
    m_resized.setSingleShot(true);
    m_resized.setInterval(150);
    connect(&m_resized, &QTimer::timeout, this, &PresentationLayout::applyWindowScale);
    window->installEventFilter(this);
}

double PresentationLayout::scaleFor(QSize size)
{
    const double s = std::min(size.width() / 1920.0, size.height() / 1016.0);
    return std::clamp(std::round(s * 20.0) / 20.0, 0.75, 1.25);
}

void PresentationLayout::enter()
{
    if (m_active)
        return;
    m_active = true;
    m_windowState = m_window->saveState();
    m_splitterState = m_splitter->saveState();
    m_maximized = m_window->isMaximized();
    m_geometry = m_maximized ? m_window->normalGeometry() : m_window->geometry();
    m_scale = scaleFor(m_window->size());
}

void PresentationLayout::arrange()
{
    // Before the window is shown the splitter has no height yet: again at the first show.
    m_arranged = m_window->isVisible();
    // Most of the height to the main plot; the spectrum and the table share the rest.
    const int h = std::max(m_splitter->height(), 300);
    const int plot = h * 16 / 25, spectrum = h * 9 / 50;
    m_splitter->setSizes({plot, spectrum, h - plot - spectrum});
}

void PresentationLayout::leave()
{
    if (!m_active)
        return;
    m_active = false;
    m_window->restoreState(m_windowState);
    m_splitter->restoreState(m_splitterState);
    if (m_maximized) {
        m_window->showMaximized();
    } else {
        if (m_window->isMaximized() || m_window->isFullScreen())
            m_window->showNormal();
        m_window->setGeometry(m_geometry);
    }
}

void PresentationLayout::applyWindowScale()
{
    const double s = scaleFor(m_window->size());
    if (s == m_scale)
        return;
    m_scale = s;
    if (m_active)
        emit scaleChanged(s);
}

void PresentationLayout::fitToScreen(QSize preferred)
{
    const QScreen* screen = m_window->screen();
    const QSize available = screen ? screen->availableGeometry().size() : preferred;
    m_window->resize(preferred.boundedTo(available));
}

void PresentationLayout::setToolBars(QToolBar* first, QToolBar* second)
{
    m_firstBar = first;
    m_secondBar = second;
    wrapToolBars();
}

void PresentationLayout::wrapToolBars()
{
    if (!m_firstBar || !m_secondBar)
        return;
    const int needed = m_firstBar->sizeHint().width() + m_secondBar->sizeHint().width();
    const bool wrap = needed > m_window->width();
    if (wrap == m_window->toolBarBreak(m_secondBar))
        return;
    if (wrap)
        m_window->insertToolBarBreak(m_secondBar);
    else
        m_window->removeToolBarBreak(m_secondBar);
}

void PresentationLayout::fitHeader(QHeaderView* header)
{
    const QAbstractItemModel* model = header->model();
    if (!model)
        return;
    const QFontMetrics fm(header->font());
    // Sections sized to their contents already fit their labels (the label is part of the
    // contents): a common minimum would only widen the narrow ones.
    if (header->count() > 0 && header->sectionResizeMode(0) == QHeaderView::ResizeToContents) {
        header->setMinimumSectionSize(2 * fm.height());
        return;
    }
    int widest = 0;
    for (int i = 0; i < model->columnCount(); ++i)
        widest =
            std::max(widest, fm.horizontalAdvance(model->headerData(i, Qt::Horizontal).toString()));
    // Room for the padding and the sort indicator.
    header->setMinimumSectionSize(widest + 2 * fm.height());
}

bool PresentationLayout::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_window && event->type() == QEvent::Resize) {
        wrapToolBars();
        if (m_active)
            m_resized.start();
    }
    if (watched == m_window && event->type() == QEvent::Show && m_active && !m_arranged)
        QTimer::singleShot(0, this, [this] {
            if (m_active)
                arrange();
        });
    return QObject::eventFilter(watched, event);
}

} // namespace ws::ui
