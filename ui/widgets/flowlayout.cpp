#include "ui/widgets/flowlayout.h"

#include <QHBoxLayout>
#include <QSpacerItem>
#include <QWidget>

#include <algorithm>

namespace ws::ui {

namespace {

bool isStretch(QLayoutItem* item)
{
    return item->spacerItem() && item->expandingDirections() & Qt::Horizontal;
}

} // namespace

FlowLayout::FlowLayout(QWidget* parent, int hSpacing, int vSpacing)
    : QLayout(parent), m_hSpacing(hSpacing), m_vSpacing(vSpacing)
{
    setContentsMargins(0, 0, 0, 0);
}

FlowLayout::~FlowLayout()
{
    while (QLayoutItem* item = takeAt(0))
        delete item;
}

void FlowLayout::addStretch()
{
    addItem(new QSpacerItem(0, 0, QSizePolicy::Expanding, QSizePolicy::Minimum));
}

void FlowLayout::addItem(QLayoutItem* item)
{
    m_items.append(item);
}

int FlowLayout::count() const
{
    return static_cast<int>(m_items.size());
}

QLayoutItem* FlowLayout::itemAt(int index) const
{
    return m_items.value(index);
}

QLayoutItem* FlowLayout::takeAt(int index)
{
    return index >= 0 && index < m_items.size() ? m_items.takeAt(index) : nullptr;
}

Qt::Orientations FlowLayout::expandingDirections() const
{
    return {};
}

int FlowLayout::heightForWidth(int width) const
{
    return doLayout(QRect(0, 0, width, 0), true);
}

QSize FlowLayout::minimumSize() const
{
    QSize size;
    for (const QLayoutItem* item : m_items)
        if (!item->isEmpty())
            size = size.expandedTo(item->minimumSize());
    const QMargins m = contentsMargins();
    return size + QSize(m.left() + m.right(), m.top() + m.bottom());
}

QSize FlowLayout::sizeHint() const
{
    // One row: the width it would like; the height of that row.
    int w = 0, h = 0;
    for (const QLayoutItem* item : m_items) {
        if (item->isEmpty())
            continue;
        w += item->sizeHint().width() + m_hSpacing;
        h = std::max(h, item->sizeHint().height());
    }
    const QMargins m = contentsMargins();
    return {w + m.left() + m.right(), h + m.top() + m.bottom()};
}

void FlowLayout::setGeometry(const QRect& rect)
{
    QLayout::setGeometry(rect);
    doLayout(rect, false);
}

// Places the items row by row (when !testOnly) and returns the height used.
int FlowLayout::doLayout(const QRect& rect, bool testOnly) const
{
    const QMargins m = contentsMargins();
    const QRect area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom());
    // Split the items into rows first, so that a stretch can push the rest of its row right.
    struct Row
    {
        QList<QLayoutItem*> items;
        int width = 0, height = 0;
    };
    QList<Row> rows(1);
    for (QLayoutItem* item : m_items) {
        if (item->isEmpty() && !isStretch(item))
            continue;
        const QSize hint = isStretch(item) ? QSize(0, 0) : item->sizeHint();
        Row& row = rows.back();
        // A stretch takes no spacing of its own (it is placed as the row's slack).
        const int needed = row.items.isEmpty() ? hint.width()
                           : isStretch(item)   ? row.width
                                               : row.width + m_hSpacing + hint.width();
        if (!row.items.isEmpty() && needed > area.width() && !isStretch(item)) {
            Row next;
            // A stretch that ended the full row goes with the item: it still pushes the items
            // after it to the right end of the row they land on.
            if (isStretch(row.items.last()))
                next.items.append(row.items.takeLast());
            next.items.append(item);
            next.width = hint.width();
            next.height = hint.height();
            rows.append(next);
            continue;
        }
        row.items.append(item);
        row.width = needed;
        row.height = std::max(row.height, hint.height());
    }
    int y = area.y();
    for (const Row& row : rows) {
        if (row.items.isEmpty())
            continue;
        if (!testOnly) {
            int x = area.x();
            const int slack = std::max(0, area.width() - row.width);
            for (QLayoutItem* item : row.items) {
                if (isStretch(item)) {
                    x += slack;
                    continue;
                }
                QSize size = item->sizeHint().boundedTo(QSize(area.width(), row.height));
                size = size.expandedTo(item->minimumSize());
                // Vertically centred in the row.
                item->setGeometry(QRect(QPoint(x, y + (row.height - size.height()) / 2), size));
                x += size.width() + m_hSpacing;
            }
        }
        y += row.height + m_vSpacing;
    }
    return y - m_vSpacing - area.y() + m.top() + m.bottom();
}

QWidget* flowGroup(std::initializer_list<QWidget*> widgets)
{
    auto* w = new QWidget;
    auto* l = new QHBoxLayout(w);
    l->setContentsMargins(0, 0, 0, 0);
    for (QWidget* x : widgets)
        l->addWidget(x);
    return w;
}

} // namespace ws::ui
