#include "spectrumplot.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace ws::ui {

SpectrumPlot::SpectrumPlot(QWidget* parent) : QCustomPlot(parent)
{
    xAxis->setLabel(tr("eigenvalues of S: spikes θₖ (stems) and bulk (bars)"));
    yAxis->setTickLabels(false);
    yAxis->setTicks(false);
    yAxis->setRange(0, 1.25);

    m_bulk = new QCPBars(xAxis, yAxis);
    m_bulk->setWidthType(QCPBars::wtPlotCoords);
    m_bulk->setName(tr("bulk of S (scaled)"));
    m_separated = addGraph();
    m_separated->setLineStyle(QCPGraph::lsImpulse);
    m_separated->setName(tr("spike that separates"));
    m_inside = addGraph();
    m_inside->setLineStyle(QCPGraph::lsImpulse);
    m_inside->setName(tr("spike absorbed by the bulk"));
    m_finiteLegend = addGraph();
    m_finiteLegend->setName(tr("|θ| = σ (finite-rank threshold)"));
    m_largeLegend = addGraph();
    m_largeLegend->setName(tr("large-rank threshold"));

    legend->setVisible(true);
    legend->setWrap(5);
    legend->setFillOrder(QCPLegend::foColumnsFirst, true);
    auto* sub = new QCPLayoutGrid;
    plotLayout()->addElement(1, 0, sub);
    sub->setMargins(QMargins(6, 0, 6, 4));
    sub->addElement(0, 0, legend);
    plotLayout()->setRowStretchFactor(1, 0.001);
    setPlotStyle(m_style);
}

void SpectrumPlot::setPlotStyle(const Style& s)
{
    m_style = s;
    s.applyTo(this);
    const double w = s.lineWidth();
    m_bulk->setPen(Qt::NoPen);
    m_bulk->setBrush(s.bulkOfS);
    m_separated->setPen(QPen(s.spikeSeparated, w));
    m_separated->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDisc, s.spikeSeparated, s.markerSize() * 0.7));
    m_inside->setPen(QPen(s.spikeInside, w));
    m_inside->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDisc, s.spikeInside, s.markerSize() * 0.7));
    m_finiteLegend->setPen(QPen(s.thresholdFinite, w * 0.75, Qt::DashLine));
    m_largeLegend->setPen(QPen(s.thresholdLarge, w * 0.75, Qt::DashDotLine));
    for (auto* l : m_finiteLines)
        l->setPen(m_finiteLegend->pen());
    for (auto* l : m_largeLines)
        l->setPen(m_largeLegend->pen());
    replot(QCustomPlot::rpQueuedReplot);
}

QList<double> SpectrumPlot::thresholds() const
{
    QList<double> out;
    for (auto* l : m_finiteLines + m_largeLines)
        out << l->point1->coords().x();
    return out;
}

void SpectrumPlot::setTheory(std::shared_ptr<const TheoryFrame> theory)
{
    m_theory = std::move(theory);
    const TheoryFrame& t = *m_theory;
    clearItems(); // threshold lines and multiplicity labels
    m_finiteLines.clear();
    m_largeLines.clear();

    auto vline = [this](double x, const QPen& pen) {
        auto* l = new QCPItemStraightLine(this);
        l->point1->setCoords(x, 0);
        l->point2->setCoords(x, 1);
        l->setPen(pen);
        return l;
    };
    const double sigma = t.session.model.sigma;
    m_finiteLines << vline(sigma, m_finiteLegend->pen()) << vline(-sigma, m_finiteLegend->pen());
    if (t.thresholdLargeHi)
        m_largeLines << vline(*t.thresholdLargeHi, m_largeLegend->pen());
    if (t.thresholdLargeLo)
        m_largeLines << vline(*t.thresholdLargeLo, m_largeLegend->pen());

    // Spikes: stems of height 1, coloured by the large-rank separation.
    QVector<double> sx, sy, ix, iy;
    std::map<double, int> multiplicity;
    for (std::size_t k = 0; k < t.spikes.size(); ++k) {
        const bool sep = k < t.theory.outliers.size() && t.theory.outliers[k].largeRank.has_value();
        (sep ? sx : ix).push_back(t.spikes[k]);
        (sep ? sy : iy).push_back(1.0);
        ++multiplicity[t.spikes[k]];
    }
    std::sort(sx.begin(), sx.end());
    std::sort(ix.begin(), ix.end());
    m_separated->setData(sx, sy, true);
    m_inside->setData(ix, iy, true);
    int labels = 0;
    for (const auto& [v, count] : multiplicity) {
        if (count < 2 || ++labels > 12)
            continue;
        auto* text = new QCPItemText(this);
        text->position->setCoords(v, 1.06);
        text->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
        text->setText(QString("×%1").arg(count));
        text->setColor(m_style.foreground);
        QFont f = font();
        f.setPointSize(m_style.plotFontSize() - 1);
        text->setFont(f);
    }

    // Bulk of S: a histogram scaled to a height of 0.6 (a constant bulk is one bar).
    m_bulk->data()->clear();
    if (!t.bulk.empty()) {
        const double lo = t.bulk.front(), hi = t.bulk.back();
        if (hi - lo < 1e-12 * std::max(1.0, std::abs(lo))) {
            const double span = std::max(t.viewHi - t.viewLo, 1e-9);
            m_bulk->setWidth(span / 150.0);
            m_bulk->addData(lo, 0.6);
            m_bulk->setName(tr("bulk of S: %1 values at %2").arg(t.bulk.size()).arg(lo));
        } else {
            const int bins = std::clamp(static_cast<int>(std::sqrt(t.bulk.size())), 5, 80);
            const double w = (hi - lo) / bins;
            std::vector<double> counts(static_cast<std::size_t>(bins), 0.0);
            for (double v : t.bulk)
                counts[static_cast<std::size_t>(
                    std::clamp(static_cast<int>((v - lo) / w), 0, bins - 1))] += 1.0;
            const double cmax = *std::max_element(counts.begin(), counts.end());
            m_bulk->setWidth(w);
            for (int i = 0; i < bins; ++i)
                m_bulk->addData(lo + (i + 0.5) * w,
                                0.6 * counts[static_cast<std::size_t>(i)] / cmax);
            m_bulk->setName(tr("bulk of S (%1 values, scaled histogram)").arg(t.bulk.size()));
        }
    }
    m_largeLegend->setVisible(!m_largeLines.isEmpty());
    if (m_largeLines.isEmpty())
        m_largeLegend->removeFromLegend();
    else if (!legend->hasItemWithPlottable(m_largeLegend))
        m_largeLegend->addToLegend();
    replot(QCustomPlot::rpQueuedReplot);
}

} // namespace ws::ui
