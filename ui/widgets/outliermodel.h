#pragma once
// The outlier table's rows (outliertable.h): one row per spike -- or per group of m equal spikes,
// shown once as "theta x m" (such a group is one component of mu_N, predicted and observed as
// one) -- with theta, the support interval of its outlier (its number, and above / below / gap:
// frames.h, OutlierPlace), the finite-rank and large-rank predictions, the predicted sd over
// samples, the observed mean and sd, z (the observed mean's standard score against the
// large-rank prediction), the error of each prediction (prediction - observed mean), the reason a
// spike has no outlier (below the BBP threshold, absorbed by a bulk interval) and the core's
// validity flags (docs/model.md#validity). A spike whose atom lies in a bulk interval (absorbed)
// reads "absorbed" in the large-rank column; where the core gives no number (no Gaussian sd, a
// cluster's classical location) the cell reads "—" with the reason in its tool tip, never an
// out-of-range value. The summary line: predicted vs observed number of outlier eigenvalues (a
// group counts m).

#include "ui/widgets/frametablemodel.h"

namespace ws::ui {

class OutlierModel : public FrameTableModel
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
    // The role under which data() gives a cell's sort key (numbers sort as numbers).
    static constexpr int SortRole = Qt::UserRole;
    explicit OutlierModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

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
};

} // namespace ws::ui
