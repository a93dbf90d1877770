#include "ui/plots/spectrumplot.h"

#include "ui/plots/modelwords.h"
#include "ui/plots/plotparts.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace ws::ui {

SpectrumPlot::SpectrumPlot(QWidget* parent) : QCustomPlot(parent)
{
    xAxis->setLabel(tr("spectrum of S: spikes θₖ (pink: separate, grey: absorbed), bulk (blue)"));
    yAxis->setTickLabels(false);
    yAxis->setTicks(false);
    yAxis->grid()->setVisible(false);
    yAxis->setRange(0, 1.3);

    m_bulk = new QCPBars(xAxis, yAxis);
    m_bulk->setWidthType(QCPBars::wtPlotCoords);
    m_separated = addGraph();
    m_separated->setLineStyle(QCPGraph::lsImpulse);
    m_inside = addGraph();
    m_inside->setLineStyle(QCPGraph::lsImpulse);
    legend->setVisible(false);
    plotparts::adaptTickCounts(this);
    // The labels follow the size and the x range (shared with the main plot): placed after
    // every layout, before the items are drawn.
    connect(this, &QCustomPlot::afterLayout, this, &SpectrumPlot::placeLabels);
    // Left/right margins follow the main plot's (set by the main window) so the x axes align.
    axisRect()->setAutoMargins(QCP::msTop | QCP::msBottom);
    axisRect()->setMargins(QMargins(60, 0, 15, 0));
    setPlotStyle(m_style);
}

void SpectrumPlot::setPlotStyle(const Style& s)
{
    m_style = s;
    s.applyTo(this);
    yAxis->grid()->setVisible(false);
    const double w = s.lineWidth();
    m_bulk->setPen(Qt::NoPen);
    m_bulk->setBrush(s.bulkOfS);
    m_separated->setPen(QPen(s.spikeSeparated, w));
    m_separated->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDisc, s.spikeSeparated, s.markerSize() * 0.7));
    m_inside->setPen(QPen(s.spikeInside, w));
    m_inside->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDisc, s.spikeInside, s.markerSize() * 0.7));
    m_finitePen = QPen(s.thresholdFinite, w * 0.75, Qt::DashLine);
    m_largePen = QPen(s.thresholdLarge, w * 0.75, Qt::DashDotLine);
    if (m_theory)
        setTheory(m_theory); // labels and lines pick up the new look
    else
        replot(QCustomPlot::rpQueuedReplot);
}

void SpectrumPlot::followXAxisOf(QCustomPlot* main)
{
    connect(main, &QCustomPlot::afterReplot, this, [this, main] {
        const QMargins mm = main->axisRect()->margins();
        const QMargins sm = axisRect()->margins();
        if (sm.left() != mm.left() || sm.right() != mm.right()) {
            axisRect()->setMargins(QMargins(mm.left(), sm.top(), mm.right(), sm.bottom()));
            replot(QCustomPlot::rpQueuedReplot);
        }
    });
    connect(main->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this,
            [this](const QCPRange& r) {
                xAxis->setRange(r);
                replot(QCustomPlot::rpQueuedReplot);
            });
}

QList<QCPItemText*> SpectrumPlot::labels() const
{
    QList<QCPItemText*> out;
    for (const Label& l : m_labels)
        out << l.item;
    return out;
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
    clearItems(); // threshold lines and labels
    m_finiteLines.clear();
    m_largeLines.clear();
    m_labels.clear();

    QFont font = this->font();
    font.setPointSize(m_style.plotFontSize() - 1);
    auto label = [&](Label where, const QString& text, const QColor& color) {
        auto* item = new QCPItemText(this);
        item->position->setType(QCPItemPosition::ptAbsolute); // pixels, set by placeLabels
        item->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
        where.item = item;
        m_labels.push_back(where);
        item->setText(text);
        item->setColor(color);
        item->setFont(font);
        // Labels sit among stems and threshold lines: a translucent backing keeps them legible.
        QColor back = m_style.background;
        back.setAlpha(200);
        item->setBrush(back);
        item->setPadding(QMargins(2, 0, 2, 0));
        return item;
    };
    auto vline = [this](double x, const QPen& pen) {
        auto* l = new QCPItemStraightLine(this);
        l->point1->setCoords(x, 0);
        l->point2->setCoords(x, 1);
        l->setPen(pen);
        return l;
    };

    // Thresholds: |theta| = sigma to the left of its line, the large-rank one to the right of
    // its line a row lower (when the two coincide, rank one, they sit on either side of it).
    const double sigma = t.session.model.sigma;
    m_finiteLines << vline(sigma, m_finitePen) << vline(-sigma, m_finitePen);
    // Each label may also go beside the mirror-image line (-sigma, the lower large-rank one).
    const double none = std::numeric_limits<double>::quiet_NaN();
    label({.anchor = Anchor::Line, .x = sigma, .to = -sigma, .row = 0, .leftOfLine = true},
          tr("|θ| = σ"), m_finitePen.color());
    if (t.thresholdLargeHi) {
        m_largeLines << vline(*t.thresholdLargeHi, m_largePen);
        label({.anchor = Anchor::Line,
               .x = *t.thresholdLargeHi,
               .to = t.thresholdLargeLo.value_or(none),
               .row = 1},
              tr("large-rank threshold"), m_largePen.color());
    }
    if (t.thresholdLargeLo)
        m_largeLines << vline(*t.thresholdLargeLo, m_largePen);

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
    m_stems.assign(t.spikes.begin(), t.spikes.end());
    std::sort(m_stems.begin(), m_stems.end());
    int labels = 0;
    for (const auto& [v, count] : multiplicity)
        if (count > 1 && ++labels <= 12)
            label({.anchor = Anchor::Point, .x = v, .to = v, .row = 0, .count = true},
                  QString("×%1").arg(count), m_style.foreground);

    // Bulk of S: its histogram (binned by the worker) scaled to a height of 0.6; a constant
    // bulk is one bar, a bulk of a few distinct values one bar per value.
    m_bulk->data()->clear();
    if (t.bulkCount > 0 && !t.bulkHistogram.empty()) {
        const double lo = t.bulkLo, hi = t.bulkHi;
        QColor textColor = m_style.bulkOfS;
        textColor.setAlpha(255);
        const double narrow = std::max(t.viewHi - t.viewLo, 1e-9) / 150.0; // one value's bar
        if (t.bulkHistogram.size() == 1 || hi - lo < 1e-12 * std::max(1.0, std::abs(lo))) {
            m_bulk->setWidth(narrow);
            m_bulk->addData(lo, 0.6);
            label({.anchor = Anchor::Point, .x = lo, .to = lo, .row = 2, .droppable = true},
                  tr("bulk: %1 × %2")
                      .arg(words::grouped(static_cast<long long>(t.bulkCount)))
                      .arg(lo),
                  textColor);
        } else {
            // A few distinct values: a bar at each (bulkAtoms); else the bins over [lo, hi].
            const bool atoms = !t.bulkAtoms.empty();
            const std::size_t bars = t.bulkHistogram.size();
            const double w = (hi - lo) / static_cast<double>(bars);
            const double cmax = *std::max_element(t.bulkHistogram.begin(), t.bulkHistogram.end());
            m_bulk->setWidth(atoms ? narrow : w);
            for (std::size_t i = 0; i < bars; ++i)
                m_bulk->addData(atoms ? t.bulkAtoms[i] : lo + (static_cast<double>(i) + 0.5) * w,
                                0.6 * t.bulkHistogram[i] / cmax);
            label({.anchor = Anchor::Span, .x = lo, .to = hi, .row = 2, .droppable = true},
                  tr("bulk of S (%1 values)")
                      .arg(words::grouped(static_cast<long long>(t.bulkCount))),
                  textColor);
        }
    }
    replot(QCustomPlot::rpQueuedReplot); // placeLabels runs after its layout
}

} // namespace ws::ui
