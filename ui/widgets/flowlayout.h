#pragma once
// A layout that places its items in a row and wraps them onto the next row when the width runs
// out, like words in a paragraph: a bar of controls that fits a narrow window by growing in
// height instead of forcing the window wider. Its minimum width is that of its widest item; its
// height follows the width (heightForWidth). A stretch item (addStretch) pushes the items after
// it to the right end of their row. Modelled on Qt's flow layout example.

#include <QLayout>
#include <QList>

#include <initializer_list>

class QWidget;

namespace ws::ui {

class FlowLayout : public QLayout
{
public:
    explicit FlowLayout(QWidget* parent = nullptr, int hSpacing = 6, int vSpacing = 4);
    ~FlowLayout() override;

    // Pushes the following items to the right end of the row they land on.
    void addStretch();

    void addItem(QLayoutItem* item) override;
    int count() const override;
    QLayoutItem* itemAt(int index) const override;
    QLayoutItem* takeAt(int index) override;
    Qt::Orientations expandingDirections() const override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize minimumSize() const override;
    QSize sizeHint() const override;
    void setGeometry(const QRect& rect) override;

private:
    int doLayout(const QRect& rect, bool testOnly) const;

    QList<QLayoutItem*> m_items;
    int m_hSpacing, m_vSpacing;
};

// Widgets side by side in one widget, so that a FlowLayout wraps them as one item.
QWidget* flowGroup(std::initializer_list<QWidget*> widgets);

} // namespace ws::ui
