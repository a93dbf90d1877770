#include "ui/views/sweepview.h"

#include "ui/jobs/sweeprunner.h"
#include "ui/plots/plotparts.h"
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
#include <cmath>

namespace ws::ui {

SweepView::SweepView(Settings settings, SessionProvider provider, QWidget* parent)
    : QWidget(parent), m_settings(std::move(settings)), m_provider(std::move(provider)),
      m_runner(new SweepRunner(this)), m_plot(new QCustomPlot)
{
    buildControls();
    buildLayout();
    // The plot items common to every view; the view adds its own, then calls finishSetup().
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_title = plotparts::addTitleRow(m_plot);
    m_plot->legend->setVisible(true);

    connect(m_runButton, &QPushButton::clicked, this, [this] { run(); });
    connect(m_cancelButton, &QPushButton::clicked, this, &SweepView::cancel);
    connect(m_exportPlot, &QPushButton::clicked, this, &SweepView::exportPlotDialog);
    connect(m_exportCsv, &QPushButton::clicked, this, &SweepView::exportCsvDialog);
    connectRunner();
    updateStatus();
}

SweepView::~SweepView() = default;

void SweepView::buildControls()
{
    const Settings& s = m_settings;
    auto spin = [&s](double value) {
        auto* box = new QDoubleSpinBox;
        box->setRange(s.lo, s.hi);
        box->setDecimals(s.decimals);
        box->setSingleStep(s.step);
        box->setValue(value);
        box->setKeyboardTracking(false);
        return box;
    };
    m_from = spin(s.from);
    m_to = spin(s.to);
    m_from->setToolTip(tr("First grid value of %1.").arg(s.symbol));
    m_to->setToolTip(tr("Last grid value of %1.").arg(s.symbol));
    m_steps = new QSpinBox;
    m_steps->setRange(1, 200);
    m_steps->setValue(s.steps);
    m_steps->setToolTip(tr("Grid points%1.").arg(s.log ? tr(" (geometric grid)") : QString()));
    m_samples = new QSpinBox;
    m_samples->setRange(1, 10000);
    m_samples->setValue(s.samples);
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
    m_cancelButton = new QPushButton(tr("Cancel"));
    m_cancelButton->setEnabled(false);
    m_progress = new QProgressBar;
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setTextVisible(false);
    m_progress->setMaximumWidth(160);
    m_exportPlot = new QPushButton(tr("Export plot…"));
    m_exportPlot->setToolTip(tr("Save the plot as PNG, SVG or PDF."));
    m_exportCsv = new QPushButton(tr("Export CSV…"));
    m_exportCsv->setToolTip(tr("Save the data of every grid point as CSV."));
}

void SweepView::buildLayout()
{
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(m_settings.symbol + tr(" from")));
    bar->addWidget(m_from);
    bar->addWidget(new QLabel(tr("to")));
    bar->addWidget(m_to);
    bar->addWidget(new QLabel(tr("steps")));
    bar->addWidget(m_steps);
    bar->addWidget(new QLabel(tr("samples")));
    bar->addWidget(m_samples);
    if (m_n) {
        bar->addWidget(new QLabel(tr("N")));
        bar->addWidget(m_n);
    }
    if (m_rankOne)
        bar->addWidget(m_rankOne);
    bar->addWidget(m_runButton);
    bar->addWidget(m_cancelButton);
    bar->addWidget(m_progress);
    bar->addStretch(1);
    bar->addWidget(m_exportPlot);
    bar->addWidget(m_exportCsv);

    auto* note = new QLabel(m_settings.note);
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
        m_runButton->setEnabled(false);
        m_cancelButton->setEnabled(true);
        m_progress->setValue(0);
        m_error.clear();
        redraw();
        updateStatus();
    });
    connect(m_runner, &SweepRunner::progress, this, [this](double f, int, int) {
        m_fraction = f;
        m_progress->setValue(static_cast<int>(std::lround(1000.0 * f)));
        updateStatus();
    });
    connect(m_runner, &SweepRunner::curvesReady, this, &SweepView::redraw);
    connect(m_runner, &SweepRunner::pointReady, this, [this] {
        redraw();
        updateStatus();
    });
    connect(m_runner, &SweepRunner::finished, this, [this](bool cancelled) {
        m_running = false;
        m_runButton->setEnabled(true);
        m_cancelButton->setEnabled(false);
        if (!cancelled) {
            m_fraction = 1.0;
            m_progress->setValue(1000);
        }
        redraw();
        updateStatus();
        emit finished(cancelled);
    });
    connect(m_runner, &SweepRunner::failed, this, [this](const QString& message) {
        m_running = false;
        m_runButton->setEnabled(true);
        m_cancelButton->setEnabled(false);
        m_error = message;
        updateStatus();
        emit finished(true);
    });
}

void SweepView::finishSetup()
{
    m_style.applyTo(m_plot);
    redraw();
}

core::SweepSpec SweepView::spec() const
{
    const std::optional<core::Session> s = m_provider ? m_provider() : std::nullopt;
    if (!s)
        throw core::InputError("the parameters of the controls are not valid");
    core::SweepSpec spec;
    spec.base = s->model;
    if (m_n && m_n->value() > 0) {
        spec.base.n = m_n->value();
        if (spec.base.rank.isExplicit)
            spec.base.rank.rank = std::min(spec.base.rank.rank, spec.base.n);
    }
    spec.run.seed = s->seed;
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
        return true;
    } catch (const std::exception& e) {
        m_running = wasRunning;
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
    redraw();
}

void SweepView::redraw()
{
    m_plot->clearItems();
    draw();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

const core::SweepResult& SweepView::result() const
{
    return m_runner->result();
}

const SweepCurves& SweepView::curves() const
{
    return m_runner->curves();
}

const core::SweepSpec& SweepView::runSpec() const
{
    return m_runner->spec();
}

void SweepView::setTitle(const QString& text)
{
    m_title->setText(text);
}

QString SweepView::modelText(const core::Model& m)
{
    return QStringLiteral("N = %1, σ = %2, %3, bulk %4")
        .arg(m.n)
        .arg(QString::fromStdString(core::formatDouble(m.sigma)))
        .arg(QString::fromStdString(core::toString(m.noise)))
        .arg(QString::fromStdString(core::toString(m.bulk)));
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
    return csvOf(m_runner->result());
}

QByteArray SweepView::csvOf(const core::SweepResult& r) const
{
    return QByteArray::fromStdString(core::sweepCsv(r));
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
