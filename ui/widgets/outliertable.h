#pragma once
// One row per spike -- or per group of m equal spikes, shown once as "theta x m" (such a group
// is one component of mu_N, predicted and observed as one) -- with theta, the support interval of
// its outlier (its number, and above / below / gap: frames.h, OutlierPlace), the finite-rank and
// large-rank predictions, the predicted sd over samples, the observed mean and sd, z (the observed
// mean's standard score against the large-rank prediction), the error of each prediction
// (prediction - observed mean), the reason a spike has no outlier (below the BBP threshold,
// absorbed by a bulk interval) and the core's validity flags (docs/model.md#validity). A spike
// whose atom lies in a bulk interval (absorbed) reads "absorbed" in the large-rank column; where
// the core gives no number (no Gaussian sd, a cluster's classical location) the cell reads "—"
// with the reason in its tool tip, never an out-of-range value. Beside it, the support intervals
// with their predicted and observed counts (intervaltable.h). Sortable (numbers sort as numbers),
// copyable as tab-separated text (Ctrl+C or the Copy button; a last column gives m), with a summary
// line: predicted vs observed number of outlier eigenvalues (a group counts m).

#include "ui/jobs/frames.h"

#include <QAbstractTableModel>
#include <QWidget>

#include <memory>

class QLabel;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;

namespace ws::ui {

class IntervalModel;

class OutlierModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Index,
        Theta,
        Interval, // 1-based support interval of the outlier (absorbed: of the bulk it lies in)
        FiniteRank,
        LargeRank,
        PredictedSd,
        ObservedMean,
        ObservedSd,
        Z, // (observed mean - large-rank) / (predicted sd / sqrt(samples present))
        ErrFinite,
        ErrLarge,
        Reason, // text only
        Flags,  // text only
        Columns
    };
    using QAbstractTableModel::QAbstractTableModel;

    void setTheory(std::shared_ptr<const TheoryFrame> theory);
    void setSamples(std::shared_ptr<const SampleFrame> samples);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

    // The number in a cell (NaN when absent); Index is the group's first spike (1-based).
    double value(int row, int column) const;
    int groupSize(int row) const; // m: the number of equal spikes in the row
    bool absorbed(int row) const; // the spike lies in a bulk interval of mu_N (no outlier)
    // The text of the Interval, Reason and Flags cells ("3 · gap", "below the BBP threshold",
    // "cluster, non-gaussian").
    QString text(int row, int column) const;
    QString summary() const;

private:
    const core::OutlierPrediction* prediction(int row) const;
    const core::ObservedOutlier* observed(int row) const;
    QString toolTip(int row, int column) const;

    std::shared_ptr<const TheoryFrame> m_theory;
    std::shared_ptr<const SampleFrame> m_samples;
};

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
