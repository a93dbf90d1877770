#include "ui/views/sweepview.h"

#include "ui/views/sweeprunner.h"

#include "ui/widgets/exporter.h"

#include "core/model/families.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace ws::ui {

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

QVector<double> toQ(const std::vector<double>& v)
{
    return QVector<double>(v.begin(), v.end());
}

QColor faded(QColor c, int alpha)
{
    c.setAlpha(alpha);
    return c;
}

void appendNum(QByteArray& s, double v)
{
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    s.append(buf, static_cast<int>(r.ptr - buf));
}

void appendOpt(QByteArray& s, const std::optional<double>& v)
{
    if (v)
        appendNum(s, *v);
}

QString slopeText(const std::optional<double>& s)
{
    return s ? QString::number(*s, 'f', 2) : QStringLiteral("–");
}

// Both ends of [lo, hi] padded by a fraction of the span (or by 1 for a point).
QCPRange padded(double lo, double hi, double frac = 0.06)
{
    if (!(lo <= hi))
        return {0.0, 1.0};
    const double w = hi > lo ? (hi - lo) * frac : std::max(std::abs(lo) * 0.1, 0.5);
    return {lo - w, hi + w};
}

struct Defaults
{
    double from, to;
    int steps, samples;
    bool rankOne;
};

Defaults defaultsOf(SweepView::Kind k)
{
    switch (k) {
    case SweepView::Kind::Bbp:
        return {0.2, 3.0, 15, 8, true};
    case SweepView::Kind::Convergence:
        return {100, 3200, 6, 8, false};
    case SweepView::Kind::Overlaps:
        return {0.5, 3.0, 11, 8, false};
    case SweepView::Kind::Rank:
        return {0.0, 1.0, 6, 4, false};
    }
    return {0.0, 1.0, 5, 4, false};
}

} // namespace

QString SweepView::title(Kind kind)
{
    switch (kind) {
    case Kind::Bbp:
        return tr("BBP diagram");
    case Kind::Convergence:
        return tr("Convergence in N");
    case Kind::Overlaps:
        return tr("Eigenvector overlaps");
    case Kind::Rank:
        return tr("Rank-exponent sweep");
    }
    return {};
}

QString SweepView::key(Kind kind)
{
    switch (kind) {
    case Kind::Bbp:
        return "bbp";
    case Kind::Convergence:
        return "convergence";
    case Kind::Overlaps:
        return "overlaps";
    case Kind::Rank:
        return "rank";
    }
    return {};
}

SweepView::SweepView(Kind kind, SessionProvider provider, QWidget* parent)
    : QWidget(parent), m_kind(kind), m_provider(std::move(provider)),
      m_runner(new SweepRunner(this)), m_plot(new QCustomPlot)
{
    const Defaults d = defaultsOf(kind);
    const bool isN = kind == Kind::Convergence;
    const bool isAlpha = kind == Kind::Rank;

    auto spin = [](double lo, double hi, double value, int decimals, double step) {
        auto* s = new QDoubleSpinBox;
        s->setRange(lo, hi);
        s->setDecimals(decimals);
        s->setSingleStep(step);
        s->setValue(value);
        s->setKeyboardTracking(false);
        return s;
    };
    if (isN) {
        m_from = spin(2, 1e6, d.from, 0, 100);
        m_to = spin(2, 1e6, d.to, 0, 100);
    } else if (isAlpha) {
        m_from = spin(0, 1, d.from, 2, 0.05);
        m_to = spin(0, 1, d.to, 2, 0.05);
    } else {
        m_from = spin(-1e3, 1e3, d.from, 2, 0.1);
        m_to = spin(-1e3, 1e3, d.to, 2, 0.1);
    }
    const QString unit = isN ? tr("N") : isAlpha ? tr("α") : tr("θ");
    m_from->setToolTip(tr("First grid value of %1.").arg(unit));
    m_to->setToolTip(tr("Last grid value of %1.").arg(unit));
    m_steps = new QSpinBox;
    m_steps->setRange(1, 200);
    m_steps->setValue(d.steps);
    m_steps->setToolTip(tr("Grid points%1.").arg(isN ? tr(" (geometric grid)") : QString()));
    m_samples = new QSpinBox;
    m_samples->setRange(1, 10000);
    m_samples->setValue(d.samples);
    m_samples->setToolTip(tr("Matrices sampled at every grid point (same seed at every point)."));
    m_n = new QSpinBox;
    m_n->setRange(0, 100000);
    m_n->setSingleStep(100);
    m_n->setSpecialValueText(tr("as controls"));
    m_n->setValue(0);
    m_n->setToolTip(tr("Matrix size N for this sweep (\"as controls\": the N of the parameter "
                       "panel). A smaller N keeps a sweep quick."));
    m_rankOne = new QCheckBox(tr("rank one"));
    m_rankOne->setChecked(d.rankOne);
    m_rankOne->setToolTip(tr("Sweep a single spike θ (rank one, bulk kept). Off: scale the "
                             "spike family of the controls so that its strongest spike is θ."));
    m_runButton = new QPushButton(tr("Run sweep"));
    m_runButton->setDefault(true);
    m_cancelButton = new QPushButton(tr("Cancel"));
    m_cancelButton->setEnabled(false);
    m_progress = new QProgressBar;
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setTextVisible(false);
    m_progress->setMaximumWidth(160);
    auto* exportPlot = new QPushButton(tr("Export plot…"));
    exportPlot->setToolTip(tr("Save the plot as PNG, SVG or PDF."));
    auto* exportCsv = new QPushButton(tr("Export CSV…"));
    exportCsv->setToolTip(tr("Save the data of every grid point as CSV."));

    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(unit + tr(" from")));
    bar->addWidget(m_from);
    bar->addWidget(new QLabel(tr("to")));
    bar->addWidget(m_to);
    bar->addWidget(new QLabel(tr("steps")));
    bar->addWidget(m_steps);
    bar->addWidget(new QLabel(tr("samples")));
    bar->addWidget(m_samples);
    if (!isN) {
        bar->addWidget(new QLabel(tr("N")));
        bar->addWidget(m_n);
    } else {
        m_n->setParent(this); // unused here, but owned, so that it is deleted with the view
        m_n->hide();
    }
    if (kind == Kind::Bbp || kind == Kind::Overlaps)
        bar->addWidget(m_rankOne);
    else {
        m_rankOne->setParent(this);
        m_rankOne->hide();
    }
    bar->addWidget(m_runButton);
    bar->addWidget(m_cancelButton);
    bar->addWidget(m_progress);
    bar->addStretch(1);
    bar->addWidget(exportPlot);
    bar->addWidget(exportCsv);

    m_note = new QLabel;
    m_note->setWordWrap(true);
    switch (kind) {
    case Kind::Bbp:
        m_note->setText(tr("Top eigenvalue against the spike strength θ. Below the threshold it "
                           "sticks to the bulk edge; above it an outlier separates and follows "
                           "the predictions."));
        break;
    case Kind::Convergence:
        m_note->setText(tr("Mean |observed − predicted| outlier position against N (log–log). "
                           "With a full-rank bulk the finite-rank error stalls; with a growing "
                           "rank r = N^α it falls only like N^(α−1). The large-rank error "
                           "follows the noise floor."));
        break;
    case Kind::Overlaps:
        m_note->setText(tr("Squared overlap |⟨u, v⟩|² of each outlier's eigenvector u with its "
                           "spike's eigenvector v (top eigenvectors only), against 1 − σ²/θ² "
                           "and 1 − σ²D(θ)."));
        break;
    case Kind::Rank:
        m_note->setText(tr("Rank r = ⌈N^α⌉: number of outliers predicted by each theory and "
                           "observed (top), and the mean error of each prediction (bottom)."));
        break;
    }
    m_status = new QLabel;
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_note);
    layout->addWidget(m_plot, 1);
    layout->addWidget(m_status);
    m_plot->setMinimumHeight(250);

    setupPlot();

    connect(m_runButton, &QPushButton::clicked, this, [this] { run(); });
    connect(m_cancelButton, &QPushButton::clicked, this, &SweepView::cancel);
    connect(exportPlot, &QPushButton::clicked, this, &SweepView::exportPlotDialog);
    connect(exportCsv, &QPushButton::clicked, this, &SweepView::exportCsvDialog);
    connect(m_runner, &SweepRunner::started, this, [this] {
        m_runButton->setEnabled(false);
        m_cancelButton->setEnabled(true);
        m_progress->setValue(0);
        m_error.clear();
        redraw();
        updateStatus();
    });
    connect(m_runner, &SweepRunner::progress, this, [this](double f, int, int) {
        m_progress->setValue(static_cast<int>(std::lround(1000.0 * f)));
        updateStatus();
    });
    connect(m_runner, &SweepRunner::curvesReady, this, &SweepView::redraw);
    connect(m_runner, &SweepRunner::pointReady, this, [this] {
        redraw();
        updateStatus();
    });
    connect(m_runner, &SweepRunner::finished, this, [this](bool cancelled) {
        m_runButton->setEnabled(true);
        m_cancelButton->setEnabled(false);
        if (!cancelled)
            m_progress->setValue(1000);
        redraw();
        updateStatus();
        emit finished(cancelled);
    });
    connect(m_runner, &SweepRunner::failed, this, [this](const QString& message) {
        m_runButton->setEnabled(true);
        m_cancelButton->setEnabled(false);
        m_error = message;
        updateStatus();
        emit finished(true);
    });
    updateStatus();
}

SweepView::~SweepView() = default;

core::SweepSpec SweepView::spec() const
{
    const std::optional<core::Session> s = m_provider ? m_provider() : std::nullopt;
    if (!s)
        throw core::InputError("the parameters of the controls are not valid");
    core::SweepSpec spec;
    spec.base = s->model;
    if (m_n->value() > 0 && m_kind != Kind::Convergence) {
        spec.base.n = m_n->value();
        if (spec.base.rank.isExplicit)
            spec.base.rank.rank = std::min(spec.base.rank.rank, spec.base.n);
    }
    spec.run.seed = s->seed;
    spec.run.samples = m_samples->value();
    spec.from = m_from->value();
    spec.to = m_to->value();
    spec.steps = m_steps->value();
    switch (m_kind) {
    case Kind::Bbp:
        spec.param = core::SweepParam::Theta;
        spec.rankOne = m_rankOne->isChecked();
        break;
    case Kind::Convergence:
        spec.param = core::SweepParam::N;
        spec.log = true;
        break;
    case Kind::Overlaps:
        spec.param = core::SweepParam::Theta;
        spec.rankOne = m_rankOne->isChecked();
        spec.overlaps = true;
        break;
    case Kind::Rank:
        spec.param = core::SweepParam::Alpha;
        break;
    }
    return spec;
}

bool SweepView::run()
{
    try {
        m_runner->start(spec(), m_kind == Kind::Bbp || m_kind == Kind::Overlaps);
        return true;
    } catch (const std::exception& e) {
        m_error = QString::fromStdString(e.what());
        updateStatus();
        return false;
    }
}

void SweepView::cancel()
{
    m_runner->cancel();
}

bool SweepView::isRunning() const
{
    return m_runner->isRunning();
}

void SweepView::setGrid(double from, double to, int steps)
{
    m_from->setValue(from);
    m_to->setValue(to);
    m_steps->setValue(steps);
}

void SweepView::setSamples(int samples)
{
    m_samples->setValue(samples);
}

void SweepView::setN(int n)
{
    m_n->setValue(n);
}

void SweepView::setRankOne(bool on)
{
    m_rankOne->setChecked(on);
}

void SweepView::setPlotStyle(const Style& s)
{
    m_style = s;
    m_style.applyTo(m_plot);
    redraw();
}

void SweepView::setupPlot()
{
    QCustomPlot* p = m_plot;
    p->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    p->plotLayout()->insertRow(0);
    p->plotLayout()->addElement(0, 0, new QCPTextElement(p, QString(), QFont()));
    p->legend->setVisible(true);
    switch (m_kind) {
    case Kind::Bbp: {
        p->xAxis->setLabel(tr("spike strength θ"));
        p->yAxis->setLabel(tr("top eigenvalue"));
        QCPGraph* hi = p->addGraph();
        QCPGraph* lo = p->addGraph();
        hi->setName(tr("observed: mean ± sd"));
        lo->removeFromLegend();
        hi->setChannelFillGraph(lo);
        QCPGraph* samples = p->addGraph();
        samples->setName(tr("individual samples"));
        samples->setLineStyle(QCPGraph::lsNone);
        QCPGraph* mean = p->addGraph();
        mean->removeFromLegend();
        QCPGraph* finite = p->addGraph();
        finite->setName(tr("finite-rank: θ + σ²/θ"));
        QCPGraph* large = p->addGraph();
        large->setName(tr("large-rank: θ + σ²G(θ)"));
        QCPGraph* edge = p->addGraph();
        edge->setName(tr("main-bulk edge (theory)"));
        // The dashed finite-rank curve is drawn over the solid large-rank one: where they
        // coincide (rank one, zero bulk) both stay visible.
        p->addLayer("front", p->layer("main"), QCustomPlot::limAbove);
        finite->setLayer("front");
        p->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
        break;
    }
    case Kind::Convergence: {
        p->xAxis->setLabel(tr("matrix size N"));
        p->yAxis->setLabel(tr("mean |observed − predicted| outlier position"));
        for (QCPAxis* a : {p->xAxis, p->yAxis}) {
            a->setScaleType(QCPAxis::stLogarithmic);
            a->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
            a->setNumberFormat("gb");
            a->setNumberPrecision(3);
        }
        p->addGraph()->setName(tr("finite-rank error"));
        p->addGraph()->setName(tr("large-rank error"));
        p->addGraph()->setName(tr("noise floor: sd/√samples"));
        p->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignLeft);
        break;
    }
    case Kind::Overlaps: {
        p->xAxis->setLabel(tr("spike θ_j"));
        p->yAxis->setLabel(tr("squared overlap |⟨u_j, v_j⟩|²"));
        QCPGraph* obs = p->addGraph();
        obs->setName(tr("observed: mean ± sd"));
        obs->setLineStyle(QCPGraph::lsNone);
        auto* err = new QCPErrorBars(p->xAxis, p->yAxis);
        err->setDataPlottable(obs);
        err->removeFromLegend();
        p->addGraph()->setName(tr("finite-rank: 1 − σ²/θ²"));
        p->addGraph()->setName(tr("large-rank: 1 − σ²D(θ)"));
        QCPGraph* each = p->addGraph();
        each->setName(tr("large-rank, per spike"));
        each->setLineStyle(QCPGraph::lsNone);
        p->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
        break;
    }
    case Kind::Rank: {
        p->xAxis->setLabel(tr("rank exponent α  (r = ⌈N^α⌉)"));
        p->yAxis->setLabel(tr("number of outliers"));
        p->addGraph()->setName(tr("predicted, finite-rank"));
        p->addGraph()->setName(tr("predicted, large-rank"));
        QCPGraph* obs = p->addGraph();
        obs->setName(tr("observed (mean over samples)"));
        obs->setLineStyle(QCPGraph::lsNone);
        auto* lower = new QCPAxisRect(p);
        p->plotLayout()->addElement(2, 0, lower);
        lower->axis(QCPAxis::atBottom)->setLabel(p->xAxis->label());
        lower->axis(QCPAxis::atLeft)->setLabel(tr("mean |observed − predicted|"));
        QCPAxis* lx = lower->axis(QCPAxis::atBottom);
        QCPAxis* ly = lower->axis(QCPAxis::atLeft);
        ly->setScaleType(QCPAxis::stLogarithmic);
        ly->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
        ly->setNumberFormat("gb");
        p->addGraph(lx, ly)->setName(tr("finite-rank error"));
        p->addGraph(lx, ly)->setName(tr("large-rank error"));
        p->addGraph(lx, ly)->setName(tr("noise floor"));
        // Both panels share the alpha axis.
        connect(p->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), lx,
                qOverload<const QCPRange&>(&QCPAxis::setRange));
        auto* group = new QCPMarginGroup(p);
        p->axisRect()->setMarginGroup(QCP::msLeft | QCP::msRight, group);
        lower->setMarginGroup(QCP::msLeft | QCP::msRight, group);
        p->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
        break;
    }
    }
    m_style.applyTo(p);
    redraw();
}

void SweepView::redraw()
{
    // Pens and colours follow the style (re-applied on every redraw: cheap).
    switch (m_kind) {
    case Kind::Bbp:
        drawBbp();
        break;
    case Kind::Convergence:
        drawConvergence();
        break;
    case Kind::Overlaps:
        drawOverlaps();
        break;
    case Kind::Rank:
        drawRank();
        break;
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

namespace {

void styleLine(QCPGraph* g, const QColor& c, double width, Qt::PenStyle style = Qt::SolidLine)
{
    g->setPen(QPen(c, width, style));
    g->setLineStyle(QCPGraph::lsLine);
}

void styleMarkers(QCPGraph* g, const QColor& c, QCPScatterStyle::ScatterShape shape, double size,
                  bool filled = true)
{
    g->setPen(QPen(c, 1.5));
    g->setScatterStyle(QCPScatterStyle(shape, QPen(c, 1.5), filled ? QBrush(c) : QBrush(), size));
}

void setTitle(QCustomPlot* p, const QString& text)
{
    if (auto* t = qobject_cast<QCPTextElement*>(p->plotLayout()->element(0, 0)))
        t->setText(text);
}

// Vertical marker line with a label at the top of the axis rect.
void markX(QCustomPlot* p, double x, const QColor& c, const QString& label, double width,
           double labelY)
{
    auto* line = new QCPItemStraightLine(p);
    line->setPen(QPen(c, width, Qt::DashLine));
    line->point1->setCoords(x, 0.0);
    line->point2->setCoords(x, 1.0);
    auto* text = new QCPItemText(p);
    text->position->setTypeX(QCPItemPosition::ptPlotCoords);
    text->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    text->position->setCoords(x, labelY);
    text->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
    text->setPadding(QMargins(4, 2, 4, 2));
    text->setColor(c);
    text->setText(label);
}

QString modelText(const core::Model& m)
{
    return QStringLiteral("N = %1, σ = %2, %3, bulk %4")
        .arg(m.n)
        .arg(QString::fromStdString(core::formatDouble(m.sigma)))
        .arg(QString::fromStdString(core::toString(m.noise)))
        .arg(QString::fromStdString(core::toString(m.bulk)));
}

} // namespace

void SweepView::drawBbp()
{
    QCustomPlot* p = m_plot;
    p->clearItems();
    const auto& r = m_runner->result();
    const auto& c = m_runner->curves();
    const double lw = m_style.lineWidth();
    QVector<double> x, hi, lo, mean, sx, sy;
    double yLo = std::numeric_limits<double>::infinity(), yHi = -yLo;
    QVector<double> edgeX, edgeY;
    for (const auto& pt : r.points) {
        if (pt.topMean.empty())
            continue;
        x.push_back(pt.value);
        mean.push_back(pt.topMean[0]);
        hi.push_back(pt.topMean[0] + pt.topSd[0]);
        lo.push_back(pt.topMean[0] - pt.topSd[0]);
        yLo = std::min(yLo, lo.back());
        yHi = std::max(yHi, hi.back());
        // The faint points: every sample's eigenvalues at the top ranks the spikes can reach.
        const std::size_t ranks = std::min<std::size_t>(
            static_cast<std::size_t>(std::max(pt.rank, 1)), pt.top.empty() ? 0 : pt.top[0].size());
        for (const auto& t : pt.top)
            for (std::size_t i = 0; i < std::min(ranks, t.size()); ++i) {
                sx.push_back(pt.value);
                sy.push_back(t[i]);
                yLo = std::min(yLo, t[i]);
                yHi = std::max(yHi, t[i]);
            }
        edgeX.push_back(pt.value);
        edgeY.push_back(pt.mainBulkHi);
    }
    QCPGraph* gHi = p->graph(0);
    QCPGraph* gLo = p->graph(1);
    QCPGraph* gSamples = p->graph(2);
    QCPGraph* gMean = p->graph(3);
    QCPGraph* gFinite = p->graph(4);
    QCPGraph* gLarge = p->graph(5);
    QCPGraph* gEdge = p->graph(6);
    gHi->setData(x, hi, true);
    gLo->setData(x, lo, true);
    gMean->setData(x, mean, true);
    gSamples->setData(sx, sy);
    gEdge->setData(edgeX, edgeY, true);
    const QColor obs = m_style.observed;
    gHi->setPen(QPen(faded(obs, 90), 1.0));
    gLo->setPen(QPen(faded(obs, 90), 1.0));
    gHi->setBrush(QBrush(faded(m_style.bars, 90)));
    styleLine(gMean, obs, lw);
    gMean->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(obs, 1.5), QBrush(obs), 5));
    gSamples->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, QPen(Qt::NoPen),
                                              QBrush(faded(obs, 60)),
                                              m_style.presentation ? 6 : 4));
    gSamples->setPen(QPen(faded(obs, 60)));

    gFinite->setData(toQ(c.x), toQ(c.finite), true);
    gLarge->setData(toQ(c.x), toQ(c.large), true);
    styleLine(gFinite, m_style.finiteRank, lw, Qt::DashLine);
    styleLine(gLarge, m_style.largeRank, lw);
    styleLine(gEdge, m_style.semicircle, std::max(1.0, lw - 1.0), Qt::DotLine);
    for (std::size_t i = 0; i < c.x.size(); ++i)
        for (double v : {c.finite[i], c.large[i]})
            if (std::isfinite(v)) {
                yLo = std::min(yLo, v);
                yHi = std::max(yHi, v);
            }

    const auto& spec = m_runner->spec();
    const bool any = !r.points.empty() || !c.x.empty();
    if (any) {
        const double xl = std::min(spec.from, spec.to), xh = std::max(spec.from, spec.to);
        p->xAxis->setRange(padded(xl, xh, 0.03));
        p->yAxis->setRange(padded(yLo, yHi, 0.08));
        // Thresholds: |theta| = sigma (finite rank); the large-rank one where its prediction
        // first appears on the fine grid.
        const double sigma = spec.base.sigma;
        if (sigma >= xl && sigma <= xh)
            markX(p, sigma, m_style.thresholdFinite, tr("θ = σ (finite-rank threshold)"),
                  std::max(1.0, lw - 0.5), 0.62);
        for (std::size_t i = 0; i < c.x.size(); ++i)
            if (std::isfinite(c.large[i]) && c.x[i] > 0.0) {
                if (i > 0 && std::abs(c.x[i] - sigma) > 1e-9 * (1.0 + sigma))
                    markX(p, c.x[i], m_style.thresholdLarge, tr("large-rank threshold"),
                          std::max(1.0, lw - 0.5), 0.70);
                break;
            }
    }
    const core::Model base = r.points.empty() ? spec.base : r.points.front().model;
    setTitle(p, tr("BBP transition: top eigenvalue vs θ (%1; %2)")
                    .arg(spec.rankOne ? tr("rank one") : tr("spikes scaled"))
                    .arg(modelText(base)));
}

void SweepView::drawConvergence()
{
    QCustomPlot* p = m_plot;
    p->clearItems();
    const auto& r = m_runner->result();
    std::vector<double> n, ef, el, fl;
    QVector<double> fx, fy, lx, ly, zx, zy;
    for (const auto& pt : r.points) {
        if (pt.errorFinite && *pt.errorFinite > 0.0) {
            fx.push_back(pt.model.n);
            fy.push_back(*pt.errorFinite);
        }
        if (pt.errorLarge && *pt.errorLarge > 0.0) {
            lx.push_back(pt.model.n);
            ly.push_back(*pt.errorLarge);
        }
        if (pt.errorFloor && *pt.errorFloor > 0.0) {
            zx.push_back(pt.model.n);
            zy.push_back(*pt.errorFloor);
        }
    }
    const auto sf = core::logLogSlope(std::vector<double>(fx.begin(), fx.end()),
                                      std::vector<double>(fy.begin(), fy.end()));
    const auto sl = core::logLogSlope(std::vector<double>(lx.begin(), lx.end()),
                                      std::vector<double>(ly.begin(), ly.end()));
    const double lw = m_style.lineWidth();
    QCPGraph* gf = p->graph(0);
    QCPGraph* gl = p->graph(1);
    QCPGraph* gz = p->graph(2);
    gf->setData(fx, fy, true);
    gl->setData(lx, ly, true);
    gz->setData(zx, zy, true);
    gf->setName(tr("finite-rank error, slope %1").arg(slopeText(sf)));
    gl->setName(tr("large-rank error, slope %1").arg(slopeText(sl)));
    styleLine(gf, m_style.finiteRank, lw);
    styleMarkers(gf, m_style.finiteRank, QCPScatterStyle::ssSquare, m_style.markerSize());
    gf->setLineStyle(QCPGraph::lsLine);
    styleLine(gl, m_style.largeRank, lw);
    styleMarkers(gl, m_style.largeRank, QCPScatterStyle::ssDiamond, m_style.markerSize() + 2);
    gl->setLineStyle(QCPGraph::lsLine);
    styleLine(gz, m_style.semicircle, std::max(1.0, lw - 1.0), Qt::DotLine);
    gz->setScatterStyle(QCPScatterStyle::ssNone);

    const auto& spec = m_runner->spec();
    double yLo = std::numeric_limits<double>::infinity(), yHi = 0.0;
    for (const auto* v : {&fy, &ly, &zy})
        for (double y : *v) {
            yLo = std::min(yLo, y);
            yHi = std::max(yHi, y);
        }
    const double xl = std::min(spec.from, spec.to), xh = std::max(spec.from, spec.to);
    if (xl > 0 && xh > 0)
        p->xAxis->setRange(xl / 1.25, xh * 1.25);
    // N ticks at the grid values (a log ticker labels only the decades).
    QSharedPointer<QCPAxisTickerText> ticks(new QCPAxisTickerText);
    for (const auto& pt : r.points)
        ticks->addTick(pt.model.n, QString::number(pt.model.n));
    if (!r.points.empty())
        p->xAxis->setTicker(ticks);
    if (yHi > 0)
        p->yAxis->setRange(yLo / 2.0, yHi * 2.0);
    const core::Model& m = spec.base;
    QString rank = m.spikes.kind == core::SpikeKind::List
                       ? tr("rank %1 (list)").arg(m.spikes.params.size())
                   : m.rank.isExplicit
                       ? tr("rank %1").arg(m.rank.rank)
                       : tr("α = %1").arg(QString::fromStdString(core::formatDouble(m.rank.alpha)));
    setTitle(p, tr("Convergence in N: %1, spikes %2, bulk %3")
                    .arg(rank)
                    .arg(QString::fromStdString(core::toString(m.spikes)))
                    .arg(QString::fromStdString(core::toString(m.bulk))));
}

void SweepView::drawOverlaps()
{
    QCustomPlot* p = m_plot;
    p->clearItems();
    const auto& r = m_runner->result();
    const auto& c = m_runner->curves();
    const double lw = m_style.lineWidth();
    // Every (grid point, spike) with an observed overlap, sorted by theta_j.
    struct Row
    {
        double theta, mean, sd;
        std::optional<double> large;
    };
    std::vector<Row> rows;
    std::vector<std::pair<double, double>> each;
    for (const auto& pt : r.points)
        for (std::size_t j = 0; j < pt.overlaps.size() && j < pt.predictions.size(); ++j) {
            const auto& pr = pt.predictions[j];
            if (pr.overlapLargeRank)
                each.emplace_back(pr.theta, *pr.overlapLargeRank);
            const auto& o = pt.overlaps[j];
            if (o.mean)
                rows.push_back({pr.theta, *o.mean, o.sd.value_or(0.0), pr.overlapLargeRank});
        }
    std::sort(rows.begin(), rows.end(),
              [](const Row& a, const Row& b) { return a.theta < b.theta; });
    std::sort(each.begin(), each.end());
    each.erase(std::unique(each.begin(), each.end()), each.end());
    QVector<double> x, y, e, ex, ey;
    for (const Row& row : rows) {
        x.push_back(row.theta);
        y.push_back(row.mean);
        e.push_back(row.sd);
    }
    for (const auto& [t, v] : each) {
        ex.push_back(t);
        ey.push_back(v);
    }
    QCPGraph* obs = p->graph(0);
    QCPGraph* fin = p->graph(1);
    QCPGraph* lar = p->graph(2);
    QCPGraph* per = p->graph(3);
    obs->setData(x, y);
    styleMarkers(obs, m_style.observed, QCPScatterStyle::ssCircle, m_style.markerSize() - 2);
    obs->setLineStyle(QCPGraph::lsNone);
    if (auto* bars = qobject_cast<QCPErrorBars*>(p->plottable(1))) {
        bars->setData(e);
        bars->setPen(QPen(m_style.observed, 1.2));
    }
    // 1 - sigma^2/theta^2 depends on theta_j only: drawn for every spike over the whole range.
    const auto& spec = m_runner->spec();
    const double sigma = spec.base.sigma;
    double xl = std::min(spec.from, spec.to), xh = std::max(spec.from, spec.to);
    for (const Row& row : rows) {
        xl = std::min(xl, row.theta);
        xh = std::max(xh, row.theta);
    }
    for (const auto& [t, v] : each) {
        xl = std::min(xl, t);
        xh = std::max(xh, t);
    }
    QVector<double> fx, fy;
    for (int i = 0; i <= 300; ++i) {
        const double t = xl + (xh - xl) * i / 300.0;
        fx.push_back(t);
        fy.push_back(std::abs(t) > sigma ? 1.0 - sigma * sigma / (t * t) : kNaN);
    }
    fin->setData(fx, fy, true);
    styleLine(fin, m_style.finiteRank, lw, Qt::DashLine);
    lar->setData(toQ(c.x), toQ(c.overlapLarge), true);
    styleLine(lar, m_style.largeRank, lw);
    per->setData(ex, ey, true);
    styleMarkers(per, m_style.largeRank, QCPScatterStyle::ssDiamond, m_style.markerSize() - 2,
                 false);
    per->setLineStyle(QCPGraph::lsNone);
    // The per-spike markers only add information when several spikes move at once.
    const bool several = !r.points.empty() && r.points.front().predictions.size() > 1;
    per->setVisible(several);
    if (several)
        per->addToLegend();
    else
        per->removeFromLegend();
    lar->setName(several ? tr("large-rank: 1 − σ²D(θ), strongest spike")
                         : tr("large-rank: 1 − σ²D(θ)"));

    p->xAxis->setRange(padded(xl, xh, 0.03));
    p->yAxis->setRange(-0.05, 1.05);
    if (sigma >= xl && sigma <= xh)
        markX(p, sigma, m_style.thresholdFinite, tr("θ = σ"), std::max(1.0, lw - 0.5), 0.04);
    const core::Model base = r.points.empty() ? spec.base : r.points.front().model;
    setTitle(p, tr("Eigenvector overlaps (%1; %2)")
                    .arg(spec.rankOne ? tr("rank one") : tr("spikes scaled"))
                    .arg(modelText(base)));
}

void SweepView::drawRank()
{
    QCustomPlot* p = m_plot;
    p->clearItems();
    const auto& r = m_runner->result();
    QVector<double> a, pf, pl, ob, efx, efy, elx, ely, zx, zy;
    double cMax = 1.0;
    for (const auto& pt : r.points) {
        a.push_back(pt.value);
        pf.push_back(pt.predictedFinite);
        pl.push_back(pt.predictedLarge);
        ob.push_back(pt.observedCount);
        cMax = std::max({cMax, static_cast<double>(pt.predictedFinite),
                         static_cast<double>(pt.predictedLarge), pt.observedCount});
        if (pt.errorFinite && *pt.errorFinite > 0) {
            efx.push_back(pt.value);
            efy.push_back(*pt.errorFinite);
        }
        if (pt.errorLarge && *pt.errorLarge > 0) {
            elx.push_back(pt.value);
            ely.push_back(*pt.errorLarge);
        }
        if (pt.errorFloor && *pt.errorFloor > 0) {
            zx.push_back(pt.value);
            zy.push_back(*pt.errorFloor);
        }
    }
    const double lw = m_style.lineWidth();
    // Counts span 1 .. N: a log axis once they spread over more than a decade; a count of 0 is
    // then drawn on the "none" line below 1.
    const bool logCounts = cMax > 20.0;
    constexpr double kNone = 0.6;
    if (logCounts)
        for (auto* v : {&pf, &pl, &ob})
            for (double& y : *v)
                y = y < 0.5 ? kNone : y;
    p->graph(0)->setData(a, pf, true);
    p->graph(1)->setData(a, pl, true);
    p->graph(2)->setData(a, ob, true);
    styleLine(p->graph(0), m_style.finiteRank, lw, Qt::DashLine);
    styleMarkers(p->graph(0), m_style.finiteRank, QCPScatterStyle::ssSquare,
                 m_style.markerSize() - 3);
    p->graph(0)->setLineStyle(QCPGraph::lsLine);
    styleLine(p->graph(1), m_style.largeRank, lw);
    styleMarkers(p->graph(1), m_style.largeRank, QCPScatterStyle::ssDiamond,
                 m_style.markerSize() - 2);
    p->graph(1)->setLineStyle(QCPGraph::lsLine);
    styleMarkers(p->graph(2), m_style.observed, QCPScatterStyle::ssCircle, m_style.markerSize());
    p->graph(2)->setLineStyle(QCPGraph::lsNone);
    p->graph(2)->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle,
                                                 QPen(m_style.observed, 2.0), QBrush(),
                                                 m_style.markerSize() + 2));
    p->graph(3)->setData(efx, efy, true);
    p->graph(4)->setData(elx, ely, true);
    p->graph(5)->setData(zx, zy, true);
    styleLine(p->graph(3), m_style.finiteRank, lw);
    styleMarkers(p->graph(3), m_style.finiteRank, QCPScatterStyle::ssSquare,
                 m_style.markerSize() - 3);
    p->graph(3)->setLineStyle(QCPGraph::lsLine);
    styleLine(p->graph(4), m_style.largeRank, lw);
    styleMarkers(p->graph(4), m_style.largeRank, QCPScatterStyle::ssDiamond,
                 m_style.markerSize() - 2);
    p->graph(4)->setLineStyle(QCPGraph::lsLine);
    styleLine(p->graph(5), m_style.semicircle, std::max(1.0, lw - 1.0), Qt::DotLine);
    p->graph(5)->setScatterStyle(QCPScatterStyle::ssNone);
    // The lower panel's entries repeat the colours of the upper one: the legend lists only the
    // noise floor from it.
    p->graph(3)->removeFromLegend();
    p->graph(4)->removeFromLegend();

    const auto& spec = m_runner->spec();
    p->xAxis->setRange(padded(std::min(spec.from, spec.to), std::max(spec.from, spec.to), 0.04));
    p->yAxis->setScaleType(logCounts ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (logCounts) {
        p->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
        p->yAxis->setRange(0.45, cMax * 2.0);
        auto* none = new QCPItemStraightLine(p);
        none->setPen(QPen(m_style.grid, 1.0, Qt::DashLine));
        none->point1->setCoords(0.0, kNone);
        none->point2->setCoords(1.0, kNone);
        auto* label = new QCPItemText(p);
        label->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
        label->position->setCoords(0.995, kNone);
        label->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);
        label->setColor(m_style.foreground);
        label->setText(tr("none"));
    } else {
        p->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
        p->yAxis->setRange(-0.5, cMax + 1.0);
    }
    if (p->axisRectCount() > 1) {
        QCPAxis* ly = p->axisRect(1)->axis(QCPAxis::atLeft);
        double lo = std::numeric_limits<double>::infinity(), hi = 0.0;
        for (const auto* v : {&efy, &ely, &zy})
            for (double y : *v) {
                lo = std::min(lo, y);
                hi = std::max(hi, y);
            }
        if (hi > 0)
            ly->setRange(lo / 2.0, hi * 2.0);
        p->axisRect(1)->axis(QCPAxis::atBottom)->setRange(p->xAxis->range());
    }
    const core::Model base = r.points.empty() ? spec.base : r.points.front().model;
    setTitle(p, tr("Rank-exponent sweep: spikes %1 (%2)")
                    .arg(QString::fromStdString(core::toString(base.spikes)))
                    .arg(modelText(base)));
}

QString SweepView::statusText() const
{
    return m_status->text();
}

void SweepView::updateStatus()
{
    if (!m_error.isEmpty()) {
        m_status->setText(tr("Cannot run the sweep: %1").arg(m_error));
        return;
    }
    const auto& r = m_runner->result();
    if (m_runner->isRunning()) {
        m_status->setText(tr("Sampling… %1 of %2 grid points done (%3%). The other tabs stay "
                             "usable; Cancel stops after the current sample.")
                              .arg(r.points.size())
                              .arg(r.requested)
                              .arg(std::lround(100.0 * m_runner->fraction())));
        return;
    }
    if (r.points.empty() && r.requested == 0) {
        m_status->setText(tr("Press “Run sweep” to sample the grid around the model of the "
                             "controls."));
        return;
    }
    QString samplers;
    for (const auto& p : r.points)
        if (!samplers.contains(QString::fromStdString(core::toString(p.sampler))))
            samplers +=
                (samplers.isEmpty() ? "" : "/") + QString::fromStdString(core::toString(p.sampler));
    m_status->setText(tr("%1 of %2 grid points, %3 samples each, seed %4 at every point, %5 "
                         "sampler, %6 s%7")
                          .arg(r.points.size())
                          .arg(r.requested)
                          .arg(m_runner->spec().run.samples)
                          .arg(m_runner->spec().run.seed)
                          .arg(samplers.isEmpty() ? tr("no") : samplers)
                          .arg(r.totalSeconds, 0, 'f', 1)
                          .arg(r.cancelled ? tr(" — cancelled") : QString()));
}

QByteArray SweepView::csv() const
{
    const auto& r = m_runner->result();
    if (m_kind != Kind::Overlaps)
        return QByteArray::fromStdString(core::sweepCsv(r));
    // Overlaps: one row per grid point and spike.
    QByteArray s = "value,n,spike,theta,overlap_mean,overlap_sd,overlap_in_samples,"
                   "overlap_finite_rank,overlap_large_rank,observed_mean,finite_rank,large_rank\n";
    for (const auto& p : r.points)
        for (std::size_t j = 0; j < p.predictions.size(); ++j) {
            const auto& pr = p.predictions[j];
            appendNum(s, p.value);
            s +=
                ',' + QByteArray::number(p.model.n) + ',' + QByteArray::number(qulonglong(j)) + ',';
            appendNum(s, pr.theta);
            s += ',';
            if (j < p.overlaps.size()) {
                appendOpt(s, p.overlaps[j].mean);
                s += ',';
                appendOpt(s, p.overlaps[j].sd);
                s += ',' + QByteArray::number(p.overlaps[j].samplesPresent);
            } else {
                s += ",,0";
            }
            s += ',';
            appendOpt(s, pr.overlapFiniteRank);
            s += ',';
            appendOpt(s, pr.overlapLargeRank);
            s += ',';
            if (j < p.observed.size())
                appendOpt(s, p.observed[j].mean);
            s += ',';
            appendOpt(s, pr.finiteRank);
            s += ',';
            appendOpt(s, pr.largeRank);
            s += '\n';
        }
    return s;
}

bool SweepView::exportPlot(const QString& path, QString* error)
{
    try {
        const auto format = imageFormatFor(path);
        if (!format)
            throw std::runtime_error("unknown image type (use .png, .svg or .pdf): " +
                                     path.toStdString());
        const int w = std::max(m_plot->width(), 1000), h = std::max(m_plot->height(), 620);
        writeFileAtomically(path, renderPlot(m_plot, *format, w, h));
        return true;
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
}

bool SweepView::exportCsv(const QString& path, QString* error)
{
    try {
        if (m_runner->result().points.empty())
            throw std::runtime_error("no grid point computed yet");
        writeFileAtomically(path, csv());
        return true;
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
}

void SweepView::exportPlotDialog()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export %1").arg(title(m_kind)), key(m_kind) + ".png",
        tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"));
    QString error;
    if (!path.isEmpty() && !exportPlot(path, &error))
        QMessageBox::warning(this, tr("Cannot export the plot"), error);
}

void SweepView::exportCsvDialog()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export CSV"), key(m_kind) + ".csv",
                                                      tr("CSV (*.csv)"));
    QString error;
    if (!path.isEmpty() && !exportCsv(path, &error))
        QMessageBox::warning(this, tr("Cannot export the CSV file"), error);
}

QJsonObject SweepView::toJson() const
{
    QJsonObject o;
    o["from"] = m_from->value();
    o["to"] = m_to->value();
    o["steps"] = m_steps->value();
    o["samples"] = m_samples->value();
    if (m_kind != Kind::Convergence)
        o["n"] = m_n->value();
    if (m_kind == Kind::Bbp || m_kind == Kind::Overlaps)
        o["rankOne"] = m_rankOne->isChecked();
    return o;
}

void SweepView::fromJson(const QJsonObject& o)
{
    // Missing or out-of-range values keep the current ones (the spin boxes clamp).
    if (o.contains("from"))
        m_from->setValue(o.value("from").toDouble(m_from->value()));
    if (o.contains("to"))
        m_to->setValue(o.value("to").toDouble(m_to->value()));
    if (o.contains("steps"))
        m_steps->setValue(o.value("steps").toInt(m_steps->value()));
    if (o.contains("samples"))
        m_samples->setValue(o.value("samples").toInt(m_samples->value()));
    if (o.contains("n"))
        m_n->setValue(o.value("n").toInt(m_n->value()));
    if (o.contains("rankOne"))
        m_rankOne->setChecked(o.value("rankOne").toBool(m_rankOne->isChecked()));
}

} // namespace ws::ui
