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
    splitter->installEventFilter(this);
    connect(splitter, &QSplitter::splitterMoved, this, [this] { m_userSizes = true; });
}

void PresentationLayout::setTableHeight(std::function<int(int)> heightForRows)
{
    m_tableHeight = std::move(heightForRows);
    fit();
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
    // The presentation gets automatic sizes; the user's own normal ones come back at leave().
    m_userSizesNormal = m_userSizes;
    m_userSizes = false;
}

void PresentationLayout::arrange()
{
    if (m_splitter->count() < 3)
        return;
    const int h = m_splitter->height() - 2 * m_splitter->handleWidth();
    if (h <= 0)
        return; // not laid out yet: the first resize arranges
    // The spectrum strip: a sixth of the height, within its minimum and 180 px.
    const QWidget* strip = m_splitter->widget(1);
    const int spectrum =
        std::clamp(h / 6, strip->minimumHeight(), std::max(180, strip->minimumHeight()));
    // The table: up to 4 rows (3 when presenting: the plot is the slide) within a share of the
    // height, at least one row, so that its numbers can be read without scrolling the window.
    const QWidget* pane = m_splitter->widget(2);
    int rows = m_active ? 3 : 4;
    auto tableHeight = [&](int n) {
        return std::max(pane->minimumHeight(), m_tableHeight ? m_tableHeight(n) : 40 + 24 * n);
    };
    const int share = m_active ? h * 22 / 100 : h * 30 / 100;
    int table = tableHeight(rows);
    while (rows > 1 && table > share)
        table = tableHeight(--rows);
    const int plot =
        std::max(h - spectrum - table, m_splitter->widget(0)->minimumSizeHint().height());
    m_splitter->setSizes({plot, spectrum, table});
}

void PresentationLayout::fit()
{
    if (!m_userSizes)
        arrange();
}

void PresentationLayout::leave()
{
    if (!m_active)
        return;
    m_active = false;
    m_userSizes = m_userSizesNormal;
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
    // Before its own resize handling, which then finds the sizes fitting.
    if (watched == m_splitter && event->type() == QEvent::Resize)
        fit();
    return QObject::eventFilter(watched, event);
}

} // namespace ws::ui
