#pragma once
// The support intervals of the deterministic equivalent as a small table beside the outlier table
// (docs/model.md#support-intervals, #observed-outliers): one row per interval, ascending, with its
// label (bulk or outlier cluster, and where a cluster lies: above, below or in a gap), its range
// [a, b], the predicted count N x mass and the observed mean count per sample (min-max). Counts
// read as integers where they are integers.

#include "ui/widgets/frametablemodel.h"

namespace ws::ui {

class IntervalModel : public FrameTableModel
{
    Q_OBJECT
public:
    enum Column { Index, Kind, Predicted, Observed, Range, From, To, Columns };
    explicit IntervalModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

    // The number in a cell (NaN when absent or text only): Index is 1-based; Observed the mean
    // count per sample.
    double value(int row, int column) const;
    // "bulk", "cluster · gap", "cluster · above", ...
    QString kindText(int row) const;
    // Tab-separated rows with a header line.
    QString toTsv() const;
};

} // namespace ws::ui
