#include "ui/widgets/outliermodel.h"

#include "core/outliers/outliers.h"

#include <QColor>

#include <algorithm>
#include <cmath>
#include <limits>

namespace ws::ui {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
} // namespace

OutlierModel::OutlierModel(QObject* parent)
    : FrameTableModel({tr("k"), tr("θₖ"), tr("interval"), tr("finite-rank"), tr("large-rank"),
                       tr("pred. sd"), tr("obs. mean"), tr("obs. sd"), tr("z"), tr("error finite"),
                       tr("error large"), tr("reason"), tr("flags")},
                      ObservedMean, parent)
{
}

int OutlierModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_theory ? 0 : static_cast<int>(m_theory->groups.size());
}

const core::OutlierPrediction* OutlierModel::prediction(int row) const
{
    if (!m_theory || row < 0 || row >= rowCount())
        return nullptr;
    return &m_theory->theory.outliers[m_theory->groups[static_cast<std::size_t>(row)].first];
}

int OutlierModel::groupSize(int row) const
{
    if (!m_theory || row < 0 || row >= rowCount())
        return 0;
    return static_cast<int>(m_theory->groups[static_cast<std::size_t>(row)].size);
}

bool OutlierModel::absorbed(int row) const
{
    const auto* p = prediction(row);
    return p && p->absorbed;
}

const core::ObservedOutlier* OutlierModel::observed(int row) const
{
    if (!m_theory || !m_samples || row < 0 || row >= rowCount())
        return nullptr;
    const std::size_t first = m_theory->groups[static_cast<std::size_t>(row)].first;
    return first < m_samples->observed.size() ? &m_samples->observed[first] : nullptr;
}

double OutlierModel::value(int row, int column) const
{
    if (!m_theory || row < 0 || row >= rowCount())
        return kNaN;
    // Every member of a group has the same predictions and observation: the first one tells.
    const std::size_t first = m_theory->groups[static_cast<std::size_t>(row)].first;
    const auto& p = m_theory->theory.outliers[first];
    const core::ObservedOutlier* o = observed(row);
    const double mean = o && o->mean ? *o->mean : kNaN;
    // A Gaussian sd only where the core vouches for one (docs/model.md#validity).
    const bool gaussian = !m_theory->theory.heavyTails && !m_theory->theory.nonGaussian;
    const double sd = gaussian && p.sd && *p.sd > 0.0 ? *p.sd : kNaN;
    switch (column) {
    case Index:
        return static_cast<double>(first + 1);
    case Theta:
        return p.theta;
    case Interval:
        return p.interval < m_theory->theory.equivalent.support.size()
                   ? static_cast<double>(p.interval + 1)
                   : kNaN;
    case FiniteRank:
        return p.finiteRank.value_or(kNaN);
    case LargeRank:
        return p.largeRank.value_or(kNaN);
    case PredictedSd:
        return p.largeRank ? sd : kNaN;
    case ObservedMean:
        return mean;
    case ObservedSd:
        return o && o->sd ? *o->sd : kNaN;
    case Z: {
        // The observed mean's standard score: |z| of a few is what sampling noise gives.
        if (!p.largeRank || !o || o->samplesPresent < 1)
            return kNaN;
        const double z = (mean - *p.largeRank) / (sd / std::sqrt(o->samplesPresent));
        return std::isfinite(z) ? z : kNaN;
    }
    case ErrFinite:
        return p.finiteRank ? *p.finiteRank - mean : kNaN;
    case ErrLarge:
        return p.largeRank ? *p.largeRank - mean : kNaN;
    default:
        return kNaN;
    }
}

QString OutlierModel::text(int row, int column) const
{
    const auto* p = prediction(row);
    if (!p)
        return {};
    const core::Theory& t = m_theory->theory;
    switch (column) {
    case Interval: {
        if (p->interval >= t.equivalent.support.size())
            return {};
        const int k = static_cast<int>(p->interval) + 1;
        switch (outlierPlace(t, *p)) {
        case OutlierPlace::Above:
            return tr("%1 · above").arg(k);
        case OutlierPlace::Below:
            return tr("%1 · below").arg(k);
        case OutlierPlace::Gap:
            return tr("%1 · gap").arg(k);
        case OutlierPlace::Apart:
            return QString::number(k);
        case OutlierPlace::Absorbed:
            return tr("in bulk %1").arg(k);
        }
        return {};
    }
    case Reason:
        return QString::fromStdString(core::reasonText(t.equivalent.support, *p));
    case Flags: {
        QStringList names;
        for (const auto& n : core::flagNames(p->flags))
            names << QString::fromStdString(n);
        return names.join(", ");
    }
    default:
        return {};
    }
}

QString OutlierModel::toolTip(int row, int column) const
{
    const auto* p = prediction(row);
    const int m = groupSize(row);
    if (!p)
        return {};
    if (p->absorbed && (column == LargeRank || column == Reason))
        return tr("Absorbed: this spike's atom lies in a bulk interval of μ_N, so its "
                  "eigenvalues are part of the bulk and no outlier is predicted (the "
                  "finite-rank formula ignores the other spikes and may still predict one).");
    if (m > 1 && (column == Theta || column == Index))
        return tr("%1 equal spikes θ = %2: one component of μ_N of mass %1/N. Its centre is "
                  "predicted, not each eigenvalue; observed: the average of its %1 "
                  "eigenvalues per sample.")
            .arg(m)
            .arg(p->theta);
    const core::Theory& t = m_theory->theory;
    switch (column) {
    case Interval:
        return tr("The support interval of μ_N (numbered from the left) holding the spike's "
                  "outlier: above, below or in a gap between the bulk intervals; \"in bulk k\": "
                  "absorbed there, no outlier. The intervals and their counts are in the table "
                  "on the right.");
    case FiniteRank:
        return tr("θ + σ²/θ if |θ| > σ (BBP, exact when r/N → 0); — when no outlier is "
                  "predicted");
    case LargeRank:
        return hasFlag(p->flags, core::PredictionFlag::Cluster)
                   ? tr("The spike shares an outlier cluster with other spikes: the mean of the "
                        "classical locations of its ranks in the cluster.")
                   : tr("θ + σ² G(θ), G(θ) = (1/N) Σ_{k≠j} 1/(θ − s_k); — when the spike does "
                        "not separate from the bulk");
    case PredictedSd:
    case Z:
        if (t.heavyTails)
            return tr("No sd: heavy-tailed noise (no finite fourth moment), the fluctuation "
                      "theory does not hold.");
        if (t.nonGaussian)
            return tr("No sd: basis eigenvectors with non-Gaussian noise, the outlier's "
                      "fluctuations depend on the entries' law and are not Gaussian.");
        if (p->largeRank && !p->sd)
            return tr("No per-spike sd: the spike shares its cluster with other spikes (the "
                      "cluster's own numbers are in the interval table).");
        return column == Z ? tr("z = (observed mean − large-rank) / (predicted sd / √samples): "
                                "the observed mean's standard score; |z| ≲ 3 is sampling noise")
                           : tr("Predicted standard deviation over samples of the outlier (of "
                                "the group's mean for equal spikes), order N^(−1/2)");
    case ObservedMean:
    case ObservedSd:
        return tr("Mean and standard deviation over the samples of the eigenvalue matched to "
                  "this spike by position (in its cluster interval, above, below or in a gap)");
    case Reason:
        return tr("Why the spike has no outlier: below the BBP threshold, or absorbed by a "
                  "bulk interval");
    case Flags:
        return tr("cluster: shares its cluster with other spikes; "
                  "per-spike-overlap-out-of-range: 1 − σ²D leaves [0, 1], not reported; "
                  "non-gaussian: fluctuations depend on the noise law; heavy-tails: no finite "
                  "fourth moment, theory void");
    default:
        return {};
    }
}

namespace {

// Positions: 4 decimals at ordinary scales, 5 significant digits otherwise.
QString position(double v)
{
    const double a = std::abs(v);
    return a == 0.0 || (a >= 1e-3 && a < 1e5) ? QString::number(v, 'f', 4)
                                              : QString::number(v, 'g', 5);
}

// Standard deviations: 3 significant digits, trailing zeros kept (0.0400 beside 0.0436, not
// 0.04), so that a column reads at one precision.
QString threeDigits(double v)
{
    const double a = std::abs(v);
    if (a == 0.0)
        return QStringLiteral("0.000");
    const int e = static_cast<int>(std::floor(std::log10(a)));
    return e < -4 || e > 5 ? QString::number(v, 'e', 2)
                           : QString::number(v, 'f', std::max(0, 2 - e));
}

} // namespace

QVariant OutlierModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid())
        return {};
    const int row = index.row(), col = index.column();
    const bool textColumn = col == Reason || col == Flags;
    const double v = value(row, col);
    if (role == SortRole) {
        if (textColumn)
            return text(row, col);
        return std::isnan(v) ? QVariant(-std::numeric_limits<double>::infinity()) : QVariant(v);
    }
    if (role == Qt::TextAlignmentRole)
        return int((textColumn ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter);
    const int m = groupSize(row);
    const bool isAbsorbed = absorbed(row);
    if (role == Qt::DisplayRole) {
        switch (col) {
        case Index:
            return m > 1
                       ? QString("%1–%2").arg(static_cast<int>(v)).arg(static_cast<int>(v) + m - 1)
                       : QString::number(static_cast<int>(v));
        case Theta:
            return m > 1 ? QString("%1 × %2").arg(v, 0, 'f', 4).arg(m) : position(v);
        case Interval:
        case Reason:
        case Flags:
            return text(row, col);
        default:
            break;
        }
        if (isAbsorbed && (col == LargeRank || col == ErrLarge))
            return col == LargeRank ? tr("absorbed") : QStringLiteral("—");
        if (std::isnan(v))
            return QStringLiteral("—");
        if (col == ErrFinite || col == ErrLarge)
            return QString::asprintf("%+.4f", v);
        if (col == Z)
            return QString::asprintf("%+.2f", v);
        if (col == PredictedSd || col == ObservedSd)
            return threeDigits(v);
        return position(v);
    }
    if (role == Qt::ForegroundRole) {
        if (isAbsorbed && col == LargeRank)
            return QColor(Qt::gray);
        if (col == Z && std::abs(v) > 3.0)
            return QColor(213, 94, 0); // far beyond sampling noise
        if (col == Interval &&
            outlierPlace(m_theory->theory, *prediction(row)) == OutlierPlace::Gap)
            return QColor(204, 121, 167);
    }
    if (role == Qt::ToolTipRole)
        return toolTip(row, col);
    return {};
}

QString OutlierModel::summary() const
{
    if (!m_theory)
        return {};
    // Predictions within the window of a bulk interval cannot be told apart from the bulk at
    // this N (the observed count uses the same claims, core/outliers/window.h): count them apart.
    const core::Theory& th = m_theory->theory;
    auto clear = [&th](const std::optional<double>& x) {
        if (!x)
            return false;
        const int k = core::intervalOf(th, *x);
        return k < 0 || th.equivalent.support[static_cast<std::size_t>(k)].kind ==
                            core::IntervalKind::Cluster;
    };
    int finite = 0, large = 0, finiteClear = 0, largeClear = 0, absorbedCount = 0;
    for (const auto& p : th.outliers) {
        finite += p.finiteRank ? 1 : 0;
        large += p.largeRank ? 1 : 0;
        finiteClear += clear(p.finiteRank) ? 1 : 0;
        largeClear += clear(p.largeRank) ? 1 : 0;
        absorbedCount += p.absorbed ? 1 : 0;
    }
    QString text = tr("Predicted outliers: finite-rank %1, large-rank %2").arg(finite).arg(large);
    if (finiteClear != finite || largeClear != large)
        text += tr(" (%1, %2 clear of the edge zone)").arg(finiteClear).arg(largeClear);
    if (absorbedCount > 0)
        text += tr(", %1 spike%2 absorbed in the bulk")
                    .arg(absorbedCount)
                    .arg(absorbedCount == 1 ? "" : "s");
    if (m_samples && m_samples->done > 0) {
        text += tr("  ·  observed: %1 per sample (%2 sample%3)")
                    .arg(m_samples->meanOutlierCount, 0, 'f', 2)
                    .arg(m_samples->done)
                    .arg(m_samples->done == 1 ? "" : "s");
        // Root-mean-square errors of each prediction over the matched spikes (a group of m
        // counts m times, like its m eigenvalues).
        double sf = 0, sl = 0;
        int nf = 0, nl = 0;
        for (int r = 0; r < rowCount(); ++r) {
            const double ef = value(r, ErrFinite), el = value(r, ErrLarge);
            const int m = groupSize(r);
            if (!std::isnan(ef)) {
                sf += m * ef * ef;
                nf += m;
            }
            if (!std::isnan(el)) {
                sl += m * el * el;
                nl += m;
            }
        }
        if (nf > 0 || nl > 0)
            text += tr("  ·  rms error: finite %1, large %2")
                        .arg(nf ? QString::number(std::sqrt(sf / nf), 'f', 4) : "—")
                        .arg(nl ? QString::number(std::sqrt(sl / nl), 'f', 4) : "—");
    } else {
        text += tr("  ·  observed: waiting for samples");
    }
    return text;
}

} // namespace ws::ui
