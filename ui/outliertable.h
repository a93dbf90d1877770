#pragma once
// One row per spike: theta, the finite-rank and large-rank predictions, the observed mean and
// sd over the samples, and the error of each prediction (prediction - observed mean). Sortable
// (numbers sort as numbers), copyable as tab-separated text (Ctrl+C or the Copy button), with
// a summary line: predicted vs observed number of outliers.

#include "frames.h"

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

    // The number in a cell (NaN when absent).
    double value(int row, int column) const;
    QString summary() const;

private:
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
