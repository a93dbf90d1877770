#include "ui/views/sweepview.h"

#include "ui/jobs/sweeprunner.h"
#include "ui/plots/modelwords.h"
#include "ui/plots/plotparts.h"
#include "ui/views/sweepgrid.h"
#include "ui/views/sweepstatus.h"
#include "ui/widgets/exporter.h"
#include "ui/widgets/flowlayout.h"
#include "ui/widgets/progressstrip.h"

#include "core/io/provenance.h"
#include "core/model/families.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace ws::ui {

SweepView::SweepView(Settings settings, SessionProvider provider, QWidget* parent)
    : QWidget(parent), m_settings(std::move(settings)), m_provider(std::move(provider)),
      m_runner(new SweepRunner(this)), m_plot(new QCustomPlot),
      m_estimator(new SweepEstimator(this)),
      m_theory(m_settings.theory ? new SweepTheory(this) : nullptr),
      m_estimateDelay(new QTimer(this))
{
    m_autoGrid = m_settings.followThreshold;
    buildControls();
    buildLayout();
    // The plot items common to every view; the view adds its own, then calls finishSetup().
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_title = plotparts::addTitleRow(m_plot);
    m_plot->installEventFilter(this);
    plotparts::adaptTickCounts(m_plot);
    m_plot->legend->setVisible(true);

    connect(m_runButton, &QPushButton::clicked, this, [this] { run(); });
    connect(m_progress, &ProgressStrip::cancelRequested, this, &SweepView::cancel);
    connect(m_exportPlot, &QPushButton::clicked, this, &SweepView::exportPlotDialog);
    connect(m_exportCsv, &QPushButton::clicked, this, &SweepView::exportCsvDialog);
    connectRunner();
    // The estimate: 400 ms after the last change, while the tab is shown.
    m_estimateDelay->setSingleShot(true);
    m_estimateDelay->setInterval(400);
    connect(m_estimateDelay, &QTimer::timeout, this, &SweepView::startEstimate);
    connect(m_estimator, &SweepEstimator::estimated, this,
            [this](double seconds, const SweepTiming& t) {
                m_estimate = seconds;
                m_timing = t;
                m_estimating = false;
                updateStatus();
            });
    for (auto signal : {&SweepEstimator::cancelled})
        connect(m_estimator, signal, this, [this] {
            m_estimating = false;
            updateStatus();
        });
    connect(m_estimator, &SweepEstimator::failed, this, [this] {
        m_estimating = false;
        updateStatus();
    });
    if (m_theory) {
        connect(m_theory, &SweepTheory::ready, this, [this] {
            redraw();
            updateStatus();
        });
        connect(m_theory, &SweepTheory::failed, this, &SweepView::updateStatus);
    }
    for (QDoubleSpinBox* b : {m_from, m_to})
        connect(b, &QDoubleSpinBox::valueChanged, this, [this] {
            if (!m_settingGrid)
                m_autoGrid = false; // the user's grid from now on
            settingsEdited();
        });
    for (QSpinBox* b : {m_steps, m_samples, m_n})
        if (b)
            connect(b, &QSpinBox::valueChanged, this, &SweepView::settingsEdited);
    if (m_rankOne)
        connect(m_rankOne, &QCheckBox::toggled, this, &SweepView::settingsEdited);
    updateStatus();
}

SweepView::~SweepView() = default;

void SweepView::buildControls()
{
    const Settings& s = m_settings;
    auto spin = [&s](double value) {
        auto* box = new QDoubleSpinBox;
        box->setRange(s.box.lo, s.box.hi);
        box->setDecimals(s.box.decimals);
        box->setSingleStep(s.box.step);
        box->setValue(value);
        box->setKeyboardTracking(false);
        return box;
    };
    m_from = spin(s.grid.from);
    m_to = spin(s.grid.to);
    m_from->setToolTip(tr("First grid value of %1.").arg(s.box.symbol));
    m_to->setToolTip(tr("Last grid value of %1.").arg(s.box.symbol));
    m_steps = new QSpinBox;
    m_steps->setRange(1, 200);
    m_steps->setValue(s.grid.steps);
    m_steps->setToolTip(tr("Grid points%1.").arg(s.log ? tr(" (geometric grid)") : QString()));
    m_samples = new QSpinBox;
    m_samples->setRange(1, 10000);
    m_samples->setValue(s.grid.samples);
    m_samples->setToolTip(tr("Matrices sampled at every grid point (same seed at every point)."));
    if (s.nBox) {
        m_n = new QSpinBox;
        m_n->setRange(0, 100000);
        m_n->setSingleStep(100);
        m_n->setSpecialValueText(tr("as controls"));
        m_n->setValue(0);
        m_n->setToolTip(tr("Matrix size N for this sweep (\"as controls\": the N of the parameter "
                           "panel). A smaller N keeps a sweep quick."));
    }
    if (s.rankOneBox) {
        m_rankOne = new QCheckBox(tr("rank one"));
        m_rankOne->setChecked(s.rankOne);
        m_rankOne->setToolTip(tr("Sweep a single spike θ (rank one, bulk kept). Off: scale the "
                                 "spike family of the controls so that its strongest spike is θ."));
    }
    m_runButton = new QPushButton(tr("Run sweep"));
    m_runButton->setDefault(true);
    m_progress = new ProgressStrip(160);
    m_exportPlot = new QPushButton(tr("Export plot…"));
    m_exportPlot->setToolTip(tr("Save the plot as PNG, SVG or PDF."));
    m_exportCsv = new QPushButton(tr("Export CSV…"));
    m_exportCsv->setToolTip(tr("Save the data of every grid point as CSV."));
}

void SweepView::buildLayout()
{
    // The bar wraps onto more rows in a narrow window; a label stays with its box.
    auto* bar = new FlowLayout;
    bar->addWidget(flowGroup(
        {new QLabel(m_settings.box.symbol + tr(" from")), m_from, new QLabel(tr("to")), m_to}));
    bar->addWidget(flowGroup({new QLabel(tr("steps")), m_steps}));
    bar->addWidget(flowGroup({new QLabel(tr("samples")), m_samples}));
    if (m_n)
        bar->addWidget(flowGroup({new QLabel(tr("N")), m_n}));
    if (m_rankOne)
        bar->addWidget(m_rankOne);
    bar->addWidget(flowGroup({m_runButton, m_progress}));
    bar->addStretch();
    bar->addWidget(flowGroup({m_exportPlot, m_exportCsv}));

    auto* note = new QLabel(m_settings.note);
    m_note = note;
    note->setWordWrap(true);
    m_status = new QLabel;
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(note);
    layout->addWidget(m_plot, 1);
    layout->addWidget(m_status);
    m_plot->setMinimumHeight(250);
}

void SweepView::connectRunner()
{
    connect(m_runner, &SweepRunner::started, this, [this] {
        m_running = true;
        m_fraction = 0.0;
        updateRunButton();
        m_progress->start();
        m_error.clear();
        redraw();
        updateStatus();
    });
    connect(m_runner, &SweepRunner::progress, this, [this](double f, int, int) {
        m_fraction = f;
        m_progress->setFraction(f);
        updateStatus();
    });
    connect(m_runner, &SweepRunner::curvesReady, this, &SweepView::redraw);
    connect(m_runner, &SweepRunner::pointReady, this, [this] {
        redraw();
        updateStatus();
    });
    connect(m_runner, &SweepRunner::finished, this, [this](bool cancelled) {
        m_running = false;
        updateRunButton();
        m_progress->setBusy(false);
        if (!cancelled) {
            m_fraction = 1.0;
            m_progress->setFraction(1.0);
        }
        redraw();
        updateStatus();
        emit finished(cancelled);
    });
    connect(m_runner, &SweepRunner::failed, this, [this](const QString& message) {
        m_running = false;
        updateRunButton();
        m_progress->setBusy(false);
        m_error = message;
        updateStatus();
        emit finished(true);
    });
}

QCustomPlot* SweepView::setUpAxes(const QString& xLabel, const QString& yLabel)
{
    m_plot->xAxis->setLabel(xLabel);
    m_plot->yAxis->setLabel(yLabel);
    return m_plot;
}

void SweepView::finishSetup(Qt::Alignment legendCorner)
{
    if (legendCorner)
        m_plot->axisRect()->insetLayout()->setInsetAlignment(0, legendCorner);
    m_style.applyTo(m_plot);
    controlsChanged();
}

void SweepView::controlsChanged()
{
    if (m_autoGrid)
        applyModelGrid();
    settingsEdited();
}

void SweepView::settingsEdited()
{
    std::optional<core::SweepSpec> current;
    try {
        current = spec();
        m_preview = *current;
    } catch (const std::exception&) {
        // Invalid controls: the grid boxes still frame the plot.
        m_preview.from = m_from->value();
        m_preview.to = m_to->value();
        m_preview.steps = m_steps->value();
        m_preview.param = m_settings.param;
    }
    const auto& r = m_runner->result();
    const bool shown = !r.points.empty() || !m_runner->curves().x.empty();
    const core::SweepSpec& ran = m_runner->spec();
    m_stale = m_hasRun && !m_running && shown && current &&
              !(current->base == ran.base && current->run.seed == ran.run.seed &&
                current->rankOne == ran.rankOne);
    // Said before Run is pressed, not after (invalid controls are reported by their own panel).
    m_problem = current ? sweepProblem(*current) : QString();
    if (!m_running)
        m_error.clear();
    updateRunButton();
    startTheory();
    redraw();
    scheduleEstimate();
    updateStatus();
}

void SweepView::updateRunButton()
{
    m_runButton->setEnabled(!m_running && m_problem.isEmpty());
    m_runButton->setToolTip(m_problem.isEmpty() ? QString() : tr("Cannot run: %1").arg(m_problem));
}

void SweepView::applyModelGrid()
{
    const std::optional<core::Session> s = m_provider ? m_provider() : std::nullopt;
    if (!s)
        return;
    core::Model m = s->model;
    if (m_n && m_n->value() > 0)
        m.n = m_n->value();
    if (m_rankOne && m_rankOne->isChecked()) {
        m.rank = {true, 0.0, 1};
        m.spikes = {core::SpikeKind::Equal, {1.0}};
    }
    try {
        const auto [from, to] = thetaGrid(m, m_settings.grid.from, m_settings.grid.to);
        m_settingGrid = true;
        m_from->setValue(from);
        m_to->setValue(to);
        m_settingGrid = false;
    } catch (const std::exception&) {
        m_settingGrid = false; // a model the controls will report
    }
}

void SweepView::startTheory()
{
    // After a run the plot shows the run (greyed out once the model changes): no theory needed.
    if (!m_theory || m_hasRun || !isVisible())
        return;
    try {
        const core::SweepSpec s = spec();
        const bool have = m_theory->hasResult() && sameTheory(m_theory->result().spec, s);
        const bool coming = m_theory->isRunning() && sameTheory(m_theory->requested(), s);
        if (!have && !coming)
            m_theory->start(s, m_settings.curves);
        else if (have && m_theory->isRunning())
            m_theory->cancel(); // back to the grid drawn
    } catch (const std::exception&) {
        m_theory->cancel(); // invalid settings: the run would say why
    }
}

bool SweepView::theoryShown() const
{
    if (!m_theory || !m_theory->hasResult() || !m_runner->result().points.empty())
        return false;
    return !m_hasRun || sameTheory(m_theory->result().spec, m_runner->spec());
}

void SweepView::scheduleEstimate()
{
    m_estimate.reset();
    m_estimateDelay->stop();
    m_estimator->cancel();
    m_estimating = isVisible() && !m_running;
    if (m_estimating)
        m_estimateDelay->start();
}

void SweepView::startEstimate()
{
    if (!isVisible() || m_running)
        return;
    try {
        m_estimator->start(spec());
    } catch (const std::exception&) {
        m_estimating = false; // the run would say why
        updateStatus();
    }
}

void SweepView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    startTheory();
    scheduleEstimate();
    updateStatus();
}

void SweepView::hideEvent(QHideEvent* event)
{
    QWidget::hideEvent(event);
    m_estimateDelay->stop();
    m_estimator->cancel(); // no timing competes with the tab shown
    if (m_theory)
        m_theory->cancel();
}

QString SweepView::estimateText() const
{
    if (m_estimating)
        return tr(" Estimating the time of a run…");
    if (!m_estimate)
        return {};
    return ui::estimateText(*m_estimate, m_timing, m_settings.box.symbol,
                            m_settings.param != core::SweepParam::N);
}

core::Session SweepView::controlsSession(const SessionProvider& provider)
{
    const std::optional<core::Session> s = provider ? provider() : std::nullopt;
    if (!s)
        throw core::InputError("the parameters of the controls are not valid");
    return *s;
}

core::SweepSpec SweepView::spec() const
{
    const core::Session s = controlsSession(m_provider);
    core::SweepSpec spec;
    spec.base = s.model;
    if (m_n && m_n->value() > 0) {
        spec.base.n = m_n->value();
        if (spec.base.rank.isExplicit)
            spec.base.rank.rank = std::min(spec.base.rank.rank, spec.base.n);
    }
    spec.run.seed = s.seed;
    spec.run.samples = m_samples->value();
    spec.from = m_from->value();
    spec.to = m_to->value();
    spec.steps = m_steps->value();
    spec.param = m_settings.param;
    spec.log = m_settings.log;
    spec.rankOne = m_rankOne && m_rankOne->isChecked();
    spec.overlaps = m_settings.overlaps;
    return spec;
}

bool SweepView::run()
{
    // Running from here on, whether the runner says started() within start() or later; a
    // refused start leaves the previous state (a sweep still going keeps going).
    const bool wasRunning = m_running;
    m_running = true;
    try {
        m_runner->start(spec(), m_settings.curves);
        m_hasRun = true;
        m_stale = false;
        m_estimateDelay->stop();
        m_estimator->cancel();
        m_estimating = false;
        if (m_theory)
            m_theory->cancel(); // the run computes its own theory
        return true;
    } catch (const std::exception& e) {
        m_running = wasRunning;
        m_error = sweepRefusalText(e);
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
    return m_running;
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
    if (m_n)
        m_n->setValue(n);
}

void SweepView::setRankOne(bool on)
{
    if (m_rankOne)
        m_rankOne->setChecked(on);
}

void SweepView::setPlotStyle(const Style& s)
{
    m_style = s;
    m_style.applyTo(m_plot);
    // Presenting, the plot gets the room; the note stays in the tab's help page (F1).
    m_note->setVisible(!s.presentation);
    redraw();
}

void SweepView::redraw()
{
    m_plot->clearItems();
    draw();
    // A legend below the plot takes the columns that fit its font and the names draw() gave.
    if (m_plot->legend->layout() != m_plot->axisRect()->insetLayout())
        plotparts::fitLegendColumns(m_plot, 4);
    if (!m_running && m_runner->result().points.empty() && m_runner->curves().x.empty())
        addEmptyNote();
    if (m_stale)
        plotparts::addStaleOverlay(m_plot, tr("model changed: rerun"), m_style);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void SweepView::addEmptyNote()
{
    // Before a run: say what a run adds (the status line does not repeat it).
    QCPItemText* note = plotparts::addCentredNote(
        m_plot,
        m_problem.isEmpty() ? emptyNoteText(m_settings.box.symbol, m_preview, m_samples->value(),
                                            m_theory != nullptr)
                            : problemNoteText(m_problem),
        m_style, 0.05, 1);
    note->setObjectName("emptyNote");
    // Near the top: the legends sit at the bottom (an inset in presentation mode is large).
    note->setPositionAlignment(Qt::AlignHCenter | Qt::AlignTop);
    if (m_theory) {
        // Top left, under the threshold labels: the theory curves rise to the right.
        note->position->setCoords(0.02, 0.12);
        note->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
        note->setTextAlignment(Qt::AlignLeft);
    }
    // Translucent: a theory curve that passes under it shows through.
    QColor box = m_style.background;
    box.setAlpha(215);
    note->setBrush(box);
}

const core::SweepResult& SweepView::result() const
{
    return m_runner->result();
}

const SweepCurves& SweepView::curves() const
{
    if (m_runner->curves().x.empty() && theoryShown())
        return m_theory->result().curves;
    return m_runner->curves();
}

const std::vector<GridTheory>* SweepView::gridTheory() const
{
    return theoryShown() ? &m_theory->result().points : nullptr;
}

const core::SweepSpec& SweepView::runSpec() const
{
    return m_runner->spec();
}

const core::SweepSpec& SweepView::shownSpec() const
{
    return m_hasRun ? m_runner->spec() : m_preview;
}

void SweepView::setTitle(const QStringList& parts)
{
    m_titleParts = parts;
    plotparts::fitTitle(m_title, parts, m_plot->width() - 24);
}

bool SweepView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_plot && event->type() == QEvent::Resize) {
        plotparts::fitTitle(m_title, m_titleParts, m_plot->width() - 24);
        // A legend below the plot (not an inset) takes the columns that fit.
        if (m_plot->legend->layout() != m_plot->axisRect()->insetLayout())
            plotparts::fitLegendColumns(m_plot, 4);
    }
    return QWidget::eventFilter(watched, event);
}

SweepView::Settings SweepView::thetaSettings()
{
    Settings s;
    s.param = core::SweepParam::Theta;
    s.curves = true;
    s.rankOneBox = true;
    s.box = {.symbol = tr("θ"), .lo = -1e3, .hi = 1e3};
    s.followThreshold = true;
    return s;
}

QString SweepView::thetaSignal(const core::SweepSpec& spec, const core::Model& base)
{
    if (spec.rankOne) {
        const QString over = words::bulk(base.bulk);
        return over.isEmpty() ? tr("one spike θ") : tr("one spike θ over %1").arg(over);
    }
    return tr("spikes scaled so that the strongest is θ: %1")
        .arg(words::signal(base.spikes, base.rank, core::rankOf(base), base.bulk));
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
    if (m_running) {
        m_status->setText(tr("Sampling… %1 of %2 grid points done (%3%). The other tabs stay "
                             "usable; Cancel stops after the current sample.")
                              .arg(r.points.size())
                              .arg(r.requested)
                              .arg(std::lround(100.0 * m_fraction)));
        return;
    }
    if (r.points.empty() && r.requested == 0) {
        // The plot's note says what Run adds: here only the theory's state and the estimate.
        const QString theory = m_theory && m_theory->isRunning() && !m_theory->isReady()
                                   ? tr("Computing the theory of the grid…")
                                   : QString();
        m_status->setText((theory + estimateText()).trimmed());
        return;
    }
    QString stale;
    if (m_stale)
        stale = tr("\nModel changed: the plot shows %1. ")
                    .arg(words::model(m_runner->spec().base, QStringLiteral(", "))) +
                (m_problem.isEmpty()
                     ? tr("Press “Run sweep” to rerun with the model of the controls.")
                     : tr("The model of the controls cannot be swept: %1").arg(m_problem));
    m_status->setText(resultText(r, m_runner->spec()) + stale + estimateText());
}

QByteArray SweepView::csv() const
{
    // The same comment lines as `wignerscope-cli sweep --csv` (core/io/provenance.h).
    return QByteArray::fromStdString(core::csvProvenance(core::sweepProvenance(
               runSpec(), core::provenanceTime(qgetenv("SOURCE_DATE_EPOCH").constData())))) +
           csvOf(m_runner->result());
}

QByteArray SweepView::csvOf(const core::SweepResult& r) const
{
    return QByteArray::fromStdString(core::sweepCsv(r));
}

bool SweepView::exportPlot(const QString& path, QString* error)
{
    return reportingErrors(error, [&] { writePlotFile(path, m_plot, 1000, 620); });
}

bool SweepView::exportCsv(const QString& path, QString* error)
{
    return reportingErrors(error, [&] {
        if (m_runner->result().points.empty())
            throw std::runtime_error("no grid point computed yet");
        writeFileAtomically(path, csv());
    });
}

void SweepView::exportPlotDialog()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export %1").arg(m_settings.title), m_settings.key + ".png",
        tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"));
    QString error;
    if (!path.isEmpty() && !exportPlot(path, &error))
        QMessageBox::warning(this, tr("Cannot export the plot"), error);
}

void SweepView::exportCsvDialog()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export CSV"),
                                                      m_settings.key + ".csv", tr("CSV (*.csv)"));
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
    if (m_n)
        o["n"] = m_n->value();
    if (m_rankOne)
        o["rankOne"] = m_rankOne->isChecked();
    return o;
}

void SweepView::fromJson(const QJsonObject& o)
{
    // Missing or out-of-range values keep the current ones (the spin boxes clamp); keys of
    // boxes the view does not have are ignored.
    if (o.contains("from"))
        m_from->setValue(o.value("from").toDouble(m_from->value()));
    if (o.contains("to"))
        m_to->setValue(o.value("to").toDouble(m_to->value()));
    if (o.contains("steps"))
        m_steps->setValue(o.value("steps").toInt(m_steps->value()));
    if (o.contains("samples"))
        m_samples->setValue(o.value("samples").toInt(m_samples->value()));
    if (m_n && o.contains("n"))
        m_n->setValue(o.value("n").toInt(m_n->value()));
    if (m_rankOne && o.contains("rankOne"))
        m_rankOne->setChecked(o.value("rankOne").toBool(m_rankOne->isChecked()));
}

} // namespace ws::ui
