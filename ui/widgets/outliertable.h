#pragma once
// One row per spike -- or per group of m equal spikes, shown once as "theta x m" (such a group
// is one component of mu_N, predicted and observed as one) -- with theta, the finite-rank and
// large-rank predictions, the observed mean and sd over the samples, and the error of each
// prediction (prediction - observed mean). A spike whose atom lies in a bulk interval of mu_N
// (absorbed) reads "absorbed" in the large-rank column. Sortable (numbers sort as numbers),
// copyable as tab-separated text (Ctrl+C or the Copy button; a last column gives m), with a summary
// line: predicted vs observed number of outlier eigenvalues (a group counts m).

#include "ui/jobs/frames.h"

#include <QAbstractTableModel>
#include <QWidget>

#include <memory>

class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace ws::ui {

class OutlierModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Index,
        Theta,
        FiniteRank,
        LargeRank,
        ObservedMean,
        ObservedSd,
        ErrFinite,
        ErrLarge,
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
    bool absorbed(int row) const; // the spike lies in the main bulk of mu_N (no outlier)
    QString summary() const;

private:
    const core::OutlierPrediction* prediction(int row) const;

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
    QString summaryText() const;
    // Tab-separated text of the selected rows (all rows if none is selected), in view order.
    QString toTsv(bool selectionOnly) const;
    void copyToClipboard();

private:
    OutlierModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_view;
    QLabel* m_summary;
};

} // namespace ws::ui
