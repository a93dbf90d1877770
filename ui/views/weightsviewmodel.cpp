// The whole-model table (weightsviewmodel.h).
#include "ui/views/weightsviewmodel.h"

#include <QFileInfo>
#include <QHeaderView>

#include <cmath>

namespace ws::ui {
namespace {

QString num(double v, int digits = 4)
{
    return std::isfinite(v) ? QString::number(v, 'g', digits) : QStringLiteral("–");
}

QString shapeText(const core::ModelTensor& t)
{
    if (t.rows > 0)
        return QStringLiteral("%1 × %2%3")
            .arg(t.rows)
            .arg(t.cols)
            .arg(t.reshape.empty() ? "" : " *");
    QStringList dims;
    for (auto d : t.shape)
        dims << QString::number(d);
    return dims.join(QStringLiteral(" × "));
}

} // namespace

WeightsModelTable::WeightsModelTable(QWidget* parent) : QTableWidget(parent)
{
    setObjectName("weightsModelTable");
    const QStringList headers = {tr("layer"),
                                 tr("shape"),
                                 tr("c"),
                                 tr("σ"),
                                 tr("edge"),
                                 tr("rank"),
                                 tr("‖·‖² in outliers"),
                                 tr("stable rank"),
                                 tr("α (KS D)"),
                                 tr("note")};
    setColumnCount(static_cast<int>(headers.size()));
    setHorizontalHeaderLabels(headers);
    horizontalHeaderItem(1)->setToolTip(tr("* a convolution kernel (out, in, kh, kw) analysed as "
                                           "out × (in·kh·kw)"));
    horizontalHeaderItem(5)->setToolTip(tr("Detected rank: singular values above the threshold "
                                           "(the stated false-detection rate per layer)"));
    horizontalHeaderItem(8)->setToolTip(tr("Power-law exponent of the upper tail of s² (Clauset's "
                                           "estimator, as WeightWatcher's alpha), with the "
                                           "Kolmogorov–Smirnov distance of the fit"));
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    verticalHeader()->setVisible(false);
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setStretchLastSection(true);
    connect(this, &QTableWidget::currentCellChanged, this, [this](int row, int, int, int) {
        if (!m_report || row < 0 || row >= static_cast<int>(m_report->layers.size()))
            return;
        if (m_report->layers[static_cast<std::size_t>(row)].analysed)
            emit layerChosen(row);
    });
}

void WeightsModelTable::setReport(std::shared_ptr<const core::ModelReport> report)
{
    const QSignalBlocker block(this);
    m_report = std::move(report);
    clearContents();
    setRowCount(m_report ? static_cast<int>(m_report->layers.size()) : 0);
    if (!m_report)
        return;
    for (int r = 0; r < rowCount(); ++r) {
        const core::LayerReport& l = m_report->layers[static_cast<std::size_t>(r)];
        auto set = [&](int c, const QString& text) {
            auto* item = new QTableWidgetItem(text);
            if (!l.analysed) {
                item->setForeground(palette().brush(QPalette::Disabled, QPalette::Text));
                item->setFlags(item->flags() & ~Qt::ItemIsSelectable);
            }
            setItem(r, c, item);
        };
        set(0, QString::fromStdString(l.tensor.name));
        set(1, shapeText(l.tensor));
        if (!l.analysed) {
            set(9, QString::fromStdString(l.reason));
            continue;
        }
        set(2, num(l.aspect));
        set(3, num(l.fit.sigma, 5));
        set(4, num(l.fit.upperEdge, 5));
        set(5, QString::number(l.detectedRank));
        set(6, num(100.0 * l.outlierEnergy, 3) + " %");
        set(7, num(l.stableRank));
        set(8, l.tail.ok ? QStringLiteral("%1 (%2)").arg(num(l.tail.alpha, 3), num(l.tail.ks, 2))
                         : QStringLiteral("–"));
        set(9, {});
    }
}

QString WeightsModelTable::summaryText() const
{
    if (!m_report)
        return {};
    const auto& r = *m_report;
    const double rate = r.analysed > 0 ? r.expectedFalseLayers / r.analysed : 0.0;
    // The file's name, not its path (a shipped example's path is a Qt resource, ":/...").
    const QString path = QString::fromStdString(r.path);
    QString name = QFileInfo(path).fileName();
    if (path.startsWith(":/"))
        name += tr(" (example)");
    return tr("%1: %2 tensors, %3 analysed. False-detection rate %4 % per layer: over %3 layers of "
              "pure noise, %5 false detections expected, P(any) = %6 %. Select a row for its "
              "plots.")
        .arg(name.isEmpty() ? path : name)
        .arg(r.layers.size())
        .arg(r.analysed)
        .arg(num(100.0 * rate, 3))
        .arg(num(r.expectedFalseLayers, 3))
        .arg(num(100.0 * r.familyWiseRate, 3));
}

} // namespace ws::ui
