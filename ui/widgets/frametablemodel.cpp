#include "ui/widgets/frametablemodel.h"

#include <cmath>

namespace ws::ui {

FrameTableModel::FrameTableModel(int columns, int firstObserved, QObject* parent)
    : QAbstractTableModel(parent), m_columns(columns), m_firstObserved(firstObserved)
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
        emit dataChanged(index(0, m_firstObserved), index(rowCount() - 1, m_columns - 1));
}

int FrameTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_columns;
}

QStringList FrameTableModel::headerCells() const
{
    QStringList cells;
    for (int c = 0; c < m_columns; ++c)
        cells << headerData(c, Qt::Horizontal).toString();
    return cells;
}

QString FrameTableModel::tsvNumber(double v)
{
    return std::isnan(v) ? QString() : QString::number(v, 'g', 17);
}

} // namespace ws::ui
