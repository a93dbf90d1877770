#include "ui/widgets/frametablemodel.h"

#include <cmath>
#include <utility>

namespace ws::ui {

FrameTableModel::FrameTableModel(QStringList headers, int firstObserved, QObject* parent)
    : QAbstractTableModel(parent), m_headers(std::move(headers)), m_firstObserved(firstObserved)
{
}

void FrameTableModel::setTheory(std::shared_ptr<const TheoryFrame> theory)
{
    beginResetModel();
    m_theory = std::move(theory);
    m_samples.reset();
    endResetModel();
}

void FrameTableModel::setSamples(std::shared_ptr<const SampleFrame> samples)
{
    if (!m_theory || samples->generation != m_theory->generation)
        return;
    m_samples = std::move(samples);
    if (rowCount() > 0)
        emit dataChanged(index(0, m_firstObserved), index(rowCount() - 1, columnCount() - 1));
}

int FrameTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_headers.size());
}

QVariant FrameTableModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, o, role);
    return section >= 0 && section < m_headers.size() ? m_headers[section] : QVariant();
}

QStringList FrameTableModel::headerCells() const
{
    return m_headers;
}

QString FrameTableModel::tsvNumber(double v)
{
    return std::isnan(v) ? QString() : QString::number(v, 'g', 17);
}

} // namespace ws::ui
