#include "ui/views/tensordialog.h"

#include "core/util/bytes.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <climits>

namespace ws::ui {

namespace {

QString shapeText(const std::vector<std::int64_t>& shape)
{
    QStringList parts;
    for (std::int64_t d : shape)
        parts << QString::number(d);
    return shape.empty() ? QStringLiteral("scalar") : parts.join(QStringLiteral(" × "));
}

} // namespace

QString TensorDialog::reason(const core::TensorInfo& t)
{
    if (t.readable())
        return {};
    if (!t.is2d() && !t.isKernel())
        return QObject::tr("not a matrix: %1-D (shape %2); 2-D tensors and 4-D convolution "
                           "kernels (read as out × (in kh kw)) are analysed")
            .arg(t.shape.size())
            .arg(shapeText(t.shape));
    for (std::int64_t d : t.shape)
        if (d <= 0)
            return QObject::tr("empty matrix (shape %1)").arg(shapeText(t.shape));
    if (t.matrixRows() > INT_MAX || t.matrixCols() < 0 || t.matrixCols() > INT_MAX)
        return QObject::tr("a dimension is too large (shape %1)").arg(shapeText(t.shape));
    return QObject::tr("dtype %1 is not supported (F32, F16, BF16 and F64 are)")
        .arg(QString::fromStdString(t.dtype));
}

TensorDialog::TensorDialog(const QString& file, const std::vector<core::TensorInfo>& tensors,
                           QWidget* parent)
    : QDialog(parent), m_list(new QTreeWidget(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Choose a tensor"));
    auto* intro =
        new QLabel(tr("%1 holds %2 tensors. Pick a matrix to analyse (2-D, or a 4-D "
                      "convolution kernel, read as out × (in kh kw)); the others are greyed "
                      "out (hover for the reason).")
                       .arg(file, QString::number(tensors.size())),
                   this);
    intro->setWordWrap(true);
    m_list->setColumnCount(4);
    m_list->setHeaderLabels({tr("name"), tr("dtype"), tr("shape"), tr("size")});
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setAlternatingRowColors(true);
    QTreeWidgetItem* first = nullptr;
    for (const core::TensorInfo& t : tensors) {
        auto* item = new QTreeWidgetItem(m_list);
        item->setText(0, QString::fromStdString(t.name));
        item->setText(1, QString::fromStdString(t.dtype));
        item->setText(2, shapeText(t.shape));
        item->setText(3, QString::fromStdString(core::formatBytes(static_cast<double>(t.bytes))));
        item->setData(0, Qt::UserRole, QString::fromStdString(t.name));
        const QString why = reason(t);
        if (!why.isEmpty()) {
            item->setFlags(item->flags() & ~(Qt::ItemIsEnabled | Qt::ItemIsSelectable));
            for (int c = 0; c < 4; ++c)
                item->setToolTip(c, why);
        } else if (!first) {
            first = item;
        }
    }
    for (int c = 0; c < 4; ++c)
        m_list->resizeColumnToContents(c);
    m_list->header()->setStretchLastSection(true);
    if (first)
        m_list->setCurrentItem(first);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_buttons);
    resize(560, 360);

    auto updateOk = [this] {
        m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!selectedTensor().isEmpty());
    };
    updateOk();
    connect(m_list, &QTreeWidget::currentItemChanged, this, updateOk);
    connect(m_list, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem* item) {
        if (item && (item->flags() & Qt::ItemIsEnabled))
            accept();
    });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

QString TensorDialog::selectedTensor() const
{
    const QTreeWidgetItem* item = m_list->currentItem();
    if (!item || !(item->flags() & Qt::ItemIsEnabled))
        return {};
    return item->data(0, Qt::UserRole).toString();
}

bool TensorDialog::selectTensor(const QString& name)
{
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        QTreeWidgetItem* item = m_list->topLevelItem(i);
        if (item->data(0, Qt::UserRole).toString() == name && (item->flags() & Qt::ItemIsEnabled)) {
            m_list->setCurrentItem(item);
            return true;
        }
    }
    return false;
}

} // namespace ws::ui
