#pragma once
// The base of the tables that show one run's predictions and observations (OutlierModel,
// IntervalModel): a theory frame resets the table; a sample frame of the same run refreshes only
// the observed columns (from `firstObserved` on), and one of an older run is dropped. The rows and
// cells are the table's own.

#include "ui/jobs/frames.h"

#include <QAbstractTableModel>
#include <QStringList>

#include <memory>

namespace ws::ui {

class FrameTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    void setTheory(std::shared_ptr<const TheoryFrame> theory);
    void setSamples(std::shared_ptr<const SampleFrame> samples);

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

    // The column names, for the first line of a tab-separated copy.
    QStringList headerCells() const;
    // A number cell of a tab-separated copy: every digit (empty for none, NaN).
    static QString tsvNumber(double v);

protected:
    // The column names in column order; samples refresh the columns from `firstObserved` on.
    FrameTableModel(QStringList headers, int firstObserved, QObject* parent);

    std::shared_ptr<const TheoryFrame> m_theory;
    std::shared_ptr<const SampleFrame> m_samples;

private:
    QStringList m_headers;
    int m_firstObserved;
};

} // namespace ws::ui
