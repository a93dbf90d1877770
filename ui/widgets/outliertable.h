#pragma once
// The outliers of a run as a table, one row per spike or group of equal spikes (outliermodel.h),
// and beside it the support intervals with their predicted and observed counts
// (intervaltable.h). Sortable (numbers sort as numbers), copyable as tab-separated text (Ctrl+C
// or the Copy button; a last column gives m), with a summary line: predicted vs observed number
// of outlier eigenvalues (a group counts m).

#include "ui/jobs/frames.h"
#include "ui/widgets/outliermodel.h"

#include <QWidget>

#include <memory>

class QLabel;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;

namespace ws::ui {

class IntervalModel;

class OutlierTable : public QWidget
{
    Q_OBJECT
public:
    explicit OutlierTable(QWidget* parent = nullptr);

    void setTheory(std::shared_ptr<const TheoryFrame> theory);
    void setSamples(std::shared_ptr<const SampleFrame> samples);

    OutlierModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    IntervalModel* intervalModel() const { return m_intervals; }
    QTableView* intervalView() const { return m_intervalView; }
    QString summaryText() const;
    // Tab-separated text of the selected rows (all rows if none is selected), in view order.
    QString toTsv(bool selectionOnly) const;
    void copyToClipboard();

private:
    OutlierModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_view;
    IntervalModel* m_intervals;
    QTableView* m_intervalView;
    QLabel* m_summary;
};

} // namespace ws::ui
