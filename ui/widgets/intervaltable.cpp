#include "ui/widgets/intervaltable.h"

#include <QColor>

#include <cmath>
#include <limits>

namespace ws::ui {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Where a cluster interval lies relative to the bulk intervals (frames.h, OutlierPlace).
QString placeOf(const core::Theory& t, std::size_t k)
{
    core::OutlierPrediction probe;
    probe.interval = k;
    switch (outlierPlace(t, probe)) {
    case OutlierPlace::Above:
        return QObject::tr("above");
    case OutlierPlace::Below:
        return QObject::tr("below");
    case OutlierPlace::Gap:
        return QObject::tr("gap");
    default:
        return {};
    }
}
} // namespace

IntervalModel::IntervalModel(QObject* parent)
    : FrameTableModel({tr("interval"), tr("kind"), tr("pred. N·mass"), tr("obs. / sample"),
                       tr("min–max"), tr("a"), tr("b")},
                      Observed, parent)
{
}

int IntervalModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_theory
               ? 0
               : static_cast<int>(m_theory->theory.equivalent.support.size());
}

double IntervalModel::value(int row, int column) const
{
    if (!m_theory || row < 0 || row >= rowCount())
        return kNaN;
    const auto& iv = m_theory->theory.equivalent.support[static_cast<std::size_t>(row)];
    const core::ObservedInterval* o = nullptr;
    if (m_samples && m_samples->done > 0 &&
        static_cast<std::size_t>(row) < m_samples->observedIntervals.size())
        o = &m_samples->observedIntervals[static_cast<std::size_t>(row)];
    switch (column) {
    case Index:
        return row + 1.0;
    case From:
        return iv.a;
    case To:
        return iv.b;
    case Predicted:
        return iv.count;
    case Observed:
        return o ? o->meanCount : kNaN;
    default:
        return kNaN;
    }
}

QString IntervalModel::kindText(int row) const
{
    if (!m_theory || row < 0 || row >= rowCount())
        return {};
    const auto k = static_cast<std::size_t>(row);
    if (m_theory->theory.equivalent.support[k].kind == core::IntervalKind::Bulk)
        return tr("bulk");
    const QString place = placeOf(m_theory->theory, k);
    return place.isEmpty() ? tr("cluster") : tr("cluster · %1").arg(place);
}

QVariant IntervalModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid())
        return {};
    const int row = index.row(), col = index.column();
    const double v = value(row, col);
    if (role == Qt::TextAlignmentRole)
        return int((col == Kind ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && col == Kind && kindText(row) != tr("bulk"))
        return QColor(204, 121, 167);
    if (role == Qt::DisplayRole) {
        switch (col) {
        case Index:
            return row + 1;
        case Kind:
            return kindText(row);
        case From:
        case To:
            return QString::number(v, 'g', 5);
        case Predicted:
        case Observed:
            return std::isnan(v) ? QStringLiteral("—") : QString::fromStdString(countText(v));
        case Range: {
            const auto k = static_cast<std::size_t>(row);
            if (!m_samples || m_samples->done == 0 || k >= m_samples->observedIntervals.size())
                return QStringLiteral("—");
            const auto& o = m_samples->observedIntervals[k];
            return o.minCount == o.maxCount ? QString::number(o.minCount)
                                            : QString("%1–%2").arg(o.minCount).arg(o.maxCount);
        }
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (col) {
        case Kind:
            return tr("bulk: holds values of the bulk of S (its spikes are absorbed, its "
                      "eigenvalues are not outliers); cluster: only spikes, every eigenvalue in it "
                      "is an outlier, above, below or in a gap between bulk intervals.");
        case Predicted:
            return tr("N × mass of the interval: the predicted number of eigenvalues in it (an "
                      "integer by exact separation).");
        case Observed:
        case Range:
            return tr("Eigenvalues in the interval's claim (the interval widened by its edge "
                      "windows) per sample: mean, and min–max over the samples.");
        default:
            return {};
        }
    }
    return {};
}

QString IntervalModel::toTsv() const
{
    QStringList lines{headerCells().join('\t')};
    for (int r = 0; r < rowCount(); ++r) {
        QStringList cells;
        for (int c = 0; c < Columns; ++c)
            cells << (c == Kind || c == Range ? data(index(r, c)).toString()
                                              : tsvNumber(value(r, c)));
        lines << cells.join('\t');
    }
    return lines.join('\n');
}

} // namespace ws::ui
