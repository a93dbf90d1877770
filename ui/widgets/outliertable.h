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
    // The height that shows the summary (two lines reserved), the header and `rows` rows, with
    // the horizontal scroll bar: what the window's splitter gives this pane (presentationlayout.h).
    int heightForRows(int rows) const;
    // The two tables side by side: the interval table gets its counts (number, predicted,
    // observed; shown before its kind), the outlier table its comparison (through z) and then its
    // errors; automatic at every resize, and when a run has finished, until the user drags the
    // handle between them.
    void fitSplit();
    QSplitter* splitter() const { return m_split; }
    // Tab-separated text of the selected rows (all rows if none is selected), in view order.
    QString toTsv(bool selectionOnly) const;
    void copyToClipboard();

protected:
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void fitRows(); // row height from the font: compact, so that more rows fit

    OutlierModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_view;
    IntervalModel* m_intervals;
    QTableView* m_intervalView;
    QLabel* m_summary;
    QWidget* m_copyButton = nullptr;
    QSplitter* m_split = nullptr;
    bool m_userSplit = false; // the user dragged the handle between the tables
};

} // namespace ws::ui
