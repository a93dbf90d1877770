#include "ui/views/weightssidepanel.h"

#include "ui/plots/modelwords.h"
#include "ui/views/weightsprunepanel.h"
#include "ui/widgets/theme.h"

#include <QFileInfo>
#include <QGroupBox>
#include <QLabel>
#include <QTextDocument>
#include <QVBoxLayout>

namespace ws::ui {

namespace {

QString num(double v, int digits = 4)
{
    return QString::number(v, 'g', digits);
}

} // namespace

QString weightsDisplayName(const WeightsSource& s)
{
    QString name = QFileInfo(s.path).fileName();
    if (s.path.startsWith(":/"))
        name += QObject::tr(" (example)");
    return name;
}

WeightsSidePanel::WeightsSidePanel(QWidget* parent)
    : QScrollArea(parent), m_info(new QLabel), m_fit(new QLabel), m_prune(new WeightsPrunePanel)
{
    m_info->setWordWrap(true);
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_info->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_fit->setWordWrap(true);
    auto* infoBox = new QGroupBox(tr("Matrix and noise fit"));
    auto* il = new QVBoxLayout(infoBox);
    il->addWidget(m_info);
    il->addWidget(m_fit);

    auto* note = new QLabel(
        tr("A weight matrix W (N × M) is modelled as noise + signal. The noise part gives the "
           "Marchenko–Pastur bulk of the singular values; the values above its edge (plus a "
           "Tracy–Widom margin, so that pure noise crosses it in only 1% of matrices) carry what "
           "training "
           "learned. Pruning keeps the top k singular values: W_k is the best rank-k "
           "approximation, stored as two factors with k(N + M) numbers."));
    note->setWordWrap(true);
    note->setObjectName("weightsNote");
    scrollSidePanel(this, {infoBox, m_prune, note}, Qt::ScrollBarAlwaysOff);
    setData(nullptr, 0);
}

void WeightsSidePanel::setData(std::shared_ptr<const WeightsData> shown, int k)
{
    m_prune->setData(shown, k);
    if (!shown) {
        m_info->setText(tr("No matrix loaded. Open a weight matrix (File ▸ Open weights…, "
                           "Ctrl+Shift+O) or the shipped example."));
        m_fit->clear();
        m_fit->setToolTip({});
        return;
    }
    const WeightsData& d = *shown;
    const core::NoiseFit& f = d.fit;
    auto row = [](const QString& name, const QString& value) {
        return QStringLiteral("<tr><td style='padding-right:8px'>%1</td><td>%2</td></tr>")
            .arg(name, value);
    };
    QString html = QStringLiteral("<table cellspacing='0'>");
    html += row(tr("file"), weightsDisplayName(d.source).toHtmlEscaped());
    html +=
        row(tr("tensor"), d.source.tensor.isEmpty() ? tr("—") : d.source.tensor.toHtmlEscaped());
    html += row(tr("shape"), tr("N × M = %1 × %2 (%3)")
                                 .arg(words::grouped(d.rows))
                                 .arg(words::grouped(d.cols))
                                 .arg(QString::fromStdString(d.dtype)));
    if (d.storedShape.size() == 4) // a convolution kernel, read as out x (in kh kw)
        html += row(tr("stored"), tr("4-D kernel %1 × %2 × %3 × %4 (out, in, kh, kw)")
                                      .arg(d.storedShape[0])
                                      .arg(d.storedShape[1])
                                      .arg(d.storedShape[2])
                                      .arg(d.storedShape[3]));
    html += row(tr("aspect ratio"), tr("c = M/N = %1").arg(num(f.c)));
    html += row(tr("fitted σ"),
                tr("<b>%1</b> (entry std σ/√N = %2)").arg(num(f.sigma)).arg(num(f.entryStd)));
    html += row(tr("bulk edge"), tr("σ(1 + √c) = %1").arg(num(f.upperEdge)));
    html += row(tr("TW margin"), tr("%1 (%2 Tracy–Widom scales, false-detection rate %3) → %4")
                                     .arg(num(f.margin, 3))
                                     .arg(num(f.twThreshold, 3))
                                     .arg(num(f.falseRate))
                                     .arg(num(f.upperEdge + f.margin)));
    html += row(tr("above edge + margin"),
                tr("<b>%1</b> of %2 singular values").arg(f.above).arg(d.p()));
    html += row(tr("time"), tr("read %1 s, singular values + fit %2 s")
                                .arg(d.readSeconds, 0, 'f', 2)
                                .arg(d.svdSeconds, 0, 'f', 2));
    html += QStringLiteral("</table>");
    m_info->setText(html);
    m_info->setToolTip(d.source.path);
    m_fit->setText(tr("Fit: σ by least squares of the 10–70 % quantiles of the lowest %1 "
                      "singular values against Marchenko–Pastur (%2 outliers deflated).")
                       .arg(d.p() - f.deflation)
                       .arg(f.deflation));
    m_fit->setToolTip(QString::fromStdString(f.method));
}

QString WeightsSidePanel::infoText() const
{
    QTextDocument doc;
    doc.setHtml(m_info->text());
    return doc.toPlainText() + "\n" + m_fit->text();
}

} // namespace ws::ui
