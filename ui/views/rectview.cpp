#include "ui/views/rectview.h"

#include "ui/widgets/errorlabel.h"

#include "ui/widgets/paramslider.h"
#include "ui/widgets/progressstrip.h"
#include "ui/widgets/seededit.h"

#include "core/model/families.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <initializer_list>
#include <utility>
#include <cmath>

namespace ws::ui {

namespace {

// GUI limits: one dense SVD per sample costs ~ min(N,M)^2 max(N,M); beyond these a sample takes
// many seconds and cannot be interrupted.
constexpr int kMaxMinSide = 4000;
constexpr int kMaxSide = 10000;

QComboBox* familyBox(const QStringList& items, const QString& tip)
{
    auto* c = new QComboBox;
    c->setEditable(true);
    c->setInsertPolicy(QComboBox::NoInsert);
    c->addItems(items);
    c->setToolTip(tip);
    c->setMinimumContentsLength(14);
    return c;
}

QString optText(const std::optional<double>& v, bool square)
{
    if (!v)
        return QStringLiteral("–");
    return QString::number(square ? *v * *v : *v, 'f', 4);
}

} // namespace

RectView::RectView(QWidget* parent)
    : QWidget(parent), m_runner(new RectRunner(this)), m_plot(new RectPlot),
      m_debounce(new QTimer(this))
{
    QScrollArea* scroll = buildControls();
    QVBoxLayout* right = buildResults();
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(scroll);
    layout->addLayout(right, 1);
    m_plot->setMinimumHeight(250);

    applyDefaults();
    connectControls();
    connectRunner();
    setPlotStyle(m_style);
    m_plot->setFrame(nullptr);
    updateStatus();
}

// The model and run controls, in a scroll area (they outgrow short windows).
QScrollArea* RectView::buildControls()
{
    using Scale = ParamSlider::Scale;
    m_n = new ParamSlider("N", 10, kMaxMinSide, 1, 100000, 0, Scale::Log);
    m_n->setToolTips(tr("N: rows of W (logarithmic slider; type any value in the box). One "
                        "dense SVD per sample: min(N, M) ≤ %1 and max(N, M) ≤ %2 here.")
                         .arg(kMaxMinSide)
                         .arg(kMaxSide));
    m_c = new ParamSlider("c", 0.05, 20, 0.001, 1000, 3, Scale::Log);
    m_c->setToolTips(tr("c = M/N: aspect ratio (M = round(c N) columns). The noise bulk of the "
                        "singular values is σ[|1 − √c|, 1 + √c]."));
    QLabel* sizeError = addErrorLabel("size");
    m_sigma = new ParamSlider("σ", 0.1, 3.0, 0.001, 1000, 3);
    m_sigma->setToolTips(tr("σ: noise level; entries of the noise part have standard deviation "
                            "σ/√N."));
    QLabel* sigmaError = addErrorLabel("sigma");
    m_noise =
        familyBox({"gaussian", "complex", "rademacher", "uniform", "student-t:3", "sparse:0.1"},
                  tr("Noise family of X (iid entries, mean 0, variance 1): gaussian, "
                     "complex, rademacher, uniform, student-t:ν (ν > 2), sparse:p "
                     "(0 < p ≤ 1). Type any family string."));
    QLabel* noiseError = addErrorLabel("noise");
    m_eigvecs = new QComboBox;
    m_eigvecs->addItem(tr("basis (localized)"), "basis");
    m_eigvecs->addItem(tr("Haar (delocalized)"), "haar");
    m_eigvecs->setToolTip(tr("Singular vectors U, V of S = U diag(s) Vᵀ: the standard basis, or "
                             "Haar random ones drawn once per seed."));
    m_alpha = new ParamSlider("α", 0.0, 1.0, 0.0, 1.0, 2);
    m_alpha->setToolTips(tr("α: rank exponent, r = ⌈N^α⌉ spikes (at most min(N, M))."));
    m_rank = new QSpinBox;
    m_rank->setRange(0, 100000);
    m_rank->setSpecialValueText(tr("⌈N^α⌉"));
    m_rank->setKeyboardTracking(false);
    m_rank->setToolTip(tr("Explicit rank r (1 ≤ r ≤ min(N, M)); the first value uses ⌈N^α⌉."));
    QLabel* rankError = addErrorLabel("rank");
    m_spikes = familyBox({"equal:3", "linear:2,4", "power:5,0.5", "list:4,2.5,1.5"},
                         tr("The r spike singular values of S: equal:t, linear:a,b (b down to "
                            "a), power:t,g (t k^−g), list:v1,v2,… (the rank is then its length). "
                            "Singular values must be ≥ 0. A spike separates from the noise "
                            "when θ > σ c^(1/4) (rank one)."));
    QLabel* spikesError = addErrorLabel("spikes");
    m_bulk = familyBox({"zero", "uniform:0,1", "twopoint:0.5,1.5,0.5", "list:0.2,0.5,1"},
                       tr("The other min(N, M) − r singular values of S (deterministic "
                          "quantiles): zero (S has rank r), uniform:a,b, twopoint:a,b,p, list:…; "
                          "all ≥ 0. A non-zero bulk makes S full rank."));
    QLabel* bulkError = addErrorLabel("bulk");
    m_samples = new QSpinBox;
    m_samples->setRange(1, 100000);
    m_samples->setKeyboardTracking(false);
    m_samples->setToolTip(tr("Independent matrices W drawn; the histogram holds all their "
                             "singular values."));
    QLabel* samplesError = addErrorLabel("samples");
    m_seed = makeSeedEdit();
    m_seed->setToolTip(tr("Random seed: same seed, same matrices on any thread count."));
    m_squared = new QCheckBox(tr("squared (s², eigenvalues of WᵀW)"));
    m_squared->setToolTip(tr("Histogram of the squared singular values, Marchenko–Pastur's own "
                             "variable."));

    auto* matrix = new QGroupBox(tr("Noise: W = (σ/√N) X + S, N × M"));
    auto* ml = new QVBoxLayout(matrix);
    ml->addWidget(m_n);
    ml->addWidget(m_c);
    ml->addWidget(sizeError);
    ml->addWidget(m_sigma);
    ml->addWidget(sigmaError);
    // Labelled rows, then the error label of their parameter under them.
    auto addRows = [](QVBoxLayout* box, std::initializer_list<std::pair<QString, QWidget*>> rows,
                      QLabel* error) {
        auto* form = new QFormLayout;
        for (const auto& [label, widget] : rows)
            form->addRow(label, widget);
        box->addLayout(form);
        box->addWidget(error);
    };
    addRows(ml, {{tr("noise X"), m_noise}}, noiseError);
    auto* signal = new QGroupBox(tr("Signal S: singular values"));
    auto* sl = new QVBoxLayout(signal);
    sl->addWidget(m_alpha);
    addRows(sl, {{tr("rank r"), m_rank}}, rankError);
    addRows(sl, {{tr("spikes"), m_spikes}}, spikesError);
    addRows(sl, {{tr("bulk"), m_bulk}, {tr("vectors"), m_eigvecs}}, bulkError);
    auto* sampling = new QGroupBox(tr("Sampling"));
    auto* sf = new QFormLayout(sampling);
    sf->addRow(tr("samples"), m_samples);
    sf->addRow(tr("seed"), m_seed);
    sf->addRow(m_squared);
    sf->addRow(samplesError);

    auto* scroll = new QScrollArea;
    m_panel = scroll;
    scrollSidePanel(scroll, {matrix, signal, sampling}, Qt::ScrollBarAsNeeded, 4);
    return scroll;
}

// Plot, progress and status, the run's error, the outlier table.
QVBoxLayout* RectView::buildResults()
{
    m_progress = new ProgressStrip(160);
    m_progress->setCancelToolTip(tr("Stop sampling; the samples so far stay."));
    m_status = new QLabel;
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QLabel* runError = addErrorLabel("run");
    m_table = new QTableWidget(0, 5);
    m_table->setHorizontalHeaderLabels({tr("spike θ"), tr("finite-rank (BBP)"), tr("large-rank"),
                                        tr("observed mean ± sd"), tr("in samples")});
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setMaximumHeight(150);
    m_table->setMinimumHeight(80);
    m_table->setToolTip(tr("Outlier singular values: predicted (finite-rank BBP formula of "
                           "Benaych-Georges & Nadakuditi; large-rank: mean of the group's "
                           "component of the deterministic equivalent) and observed (mean over "
                           "the samples). Equal spikes are one row."));
    auto* statusRow = new QHBoxLayout;
    statusRow->addWidget(m_progress);
    statusRow->addWidget(m_status, 1);
    auto* right = new QVBoxLayout;
    right->addWidget(m_plot, 1);
    right->addLayout(statusRow);
    right->addWidget(runError);
    right->addWidget(m_table);
    return right;
}

void RectView::applyDefaults()
{
    // four spikes over a full-rank uniform bulk of S, 400 x 800: the bulk is no
    // longer Marchenko-Pastur, the finite-rank formula misplaces the outliers (and predicts one
    // for 1.5 that does not exist), the large-rank one tracks them.
    m_n->setValue(400);
    m_c->setValue(2.0);
    m_sigma->setValue(1.0);
    m_alpha->setValue(0.4);
    m_spikes->setCurrentText("list:4,3,2,1.5");
    m_bulk->setCurrentText("uniform:0,1.5");
    m_samples->setValue(10);
    m_seed->setText("1");
    updateSizeNote();
    updateRankControls();
    m_lastGood = session();
}

void RectView::connectControls()
{
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(120);
    connect(m_debounce, &QTimer::timeout, this, [this] {
        if (isVisible())
            apply();
    });
    for (ParamSlider* p : {m_n, m_c, m_sigma, m_alpha})
        connect(p, &ParamSlider::valueChanged, this, &RectView::onEdited);
    connect(m_n, &ParamSlider::valueChanged, this, &RectView::updateSizeNote);
    connect(m_c, &ParamSlider::valueChanged, this, &RectView::updateSizeNote);
    for (QSpinBox* s : {m_rank, m_samples})
        connect(s, &QSpinBox::valueChanged, this, &RectView::onEdited);
    connect(m_seed, &QLineEdit::editingFinished, this, &RectView::onEdited);
    // editingFinished never comes for an empty seed: say at once why nothing runs.
    connect(m_seed, &QLineEdit::textEdited, this, [this] {
        if (!m_seed->hasAcceptableInput())
            onEdited();
    });
    for (QComboBox* c : {m_noise, m_spikes, m_bulk})
        connect(c, &QComboBox::currentTextChanged, this, &RectView::onEdited);
    connect(m_eigvecs, &QComboBox::currentIndexChanged, this, &RectView::onEdited);
    connect(m_rank, &QSpinBox::valueChanged, this, &RectView::updateRankControls);
    connect(m_spikes, &QComboBox::currentTextChanged, this, &RectView::updateRankControls);
    connect(m_squared, &QCheckBox::toggled, this, [this](bool on) {
        m_plot->setSquared(on);
        updateTable();
        emit settingsChanged();
    });
    connect(m_progress, &ProgressStrip::cancelRequested, this, &RectView::cancel);
}

// The run's progress, frames and outcome.
void RectView::connectRunner()
{
    connect(m_runner, &RectRunner::started, this, [this] {
        m_progress->start();
        m_runError.clear();
        ui::showError(m_errors["run"], {});
        updateStatus();
    });
    connect(m_runner, &RectRunner::progress, this,
            [this](double f) { m_progress->setFraction(f); });
    connect(m_runner, &RectRunner::theoryReady, this, [this] {
        m_plot->setFrame(m_runner->frame());
        updateTable();
        updateStatus();
    });
    connect(m_runner, &RectRunner::snapshotReady, this, [this] {
        m_plot->setSnapshot(m_runner->snapshot());
        updateTable();
        updateStatus();
    });
    connect(m_runner, &RectRunner::finished, this, [this](bool cancelled) {
        m_progress->setBusy(false);
        if (!cancelled)
            m_progress->setFraction(1.0);
        updateStatus();
        emit finished(cancelled);
    });
    connect(m_runner, &RectRunner::failed, this, [this](const QString& message) {
        m_progress->setBusy(false);
        m_progress->setFraction(0.0);
        m_runError = message;
        showError({}, message);
        updateStatus();
        emit finished(true);
    });
}

RectView::~RectView()
{
    delete m_runner; // joins the workers before the widgets they report to go away
}

void RectView::updateRankControls()
{
    // A list sets the rank itself; otherwise an explicit rank overrides alpha.
    const bool list = m_spikes->currentText().trimmed().startsWith("list");
    m_rank->setEnabled(!list);
    m_alpha->setEnabled(!list && m_rank->value() == 0);
}

void RectView::updateSizeNote()
{
    const int n = static_cast<int>(std::lround(m_n->value()));
    const int m = std::max(1, static_cast<int>(std::lround(m_c->value() * n)));
    m_c->setSuffixText(QStringLiteral("M = %1").arg(m));
}

core::RectModel RectView::model() const
{
    core::RectModel m;
    m.n = static_cast<int>(std::lround(m_n->value()));
    m.m = std::max(1, static_cast<int>(std::lround(m_c->value() * m.n)));
    m.sigma = m_sigma->value();
    m.noise = core::parseNoise(m_noise->currentText().trimmed().toStdString());
    m.eigvecs =
        m_eigvecs->currentData().toString() == "haar" ? core::Eigvecs::Haar : core::Eigvecs::Basis;
    if (m_rank->value() > 0)
        m.rank = core::RankRule{true, 0.0, m_rank->value()};
    else
        m.rank = core::RankRule{false, m_alpha->value(), 1};
    m.spikes = core::parseSpikes(m_spikes->currentText().trimmed().toStdString());
    m.bulk = core::parseBulk(m_bulk->currentText().trimmed().toStdString());
    if (std::min(m.n, m.m) > kMaxMinSide || std::max(m.n, m.m) > kMaxSide)
        throw core::InputError(
            "size", "N × M = " + std::to_string(m.n) + " × " + std::to_string(m.m) +
                        " is beyond this view's limit (min(N, M) ≤ " + std::to_string(kMaxMinSide) +
                        ", max(N, M) ≤ " + std::to_string(kMaxSide) +
                        "): one dense SVD per sample would take too long to stay interactive");
    core::validate(m);
    return m;
}

int RectView::samples() const
{
    return m_samples->value();
}

std::optional<std::uint64_t> RectView::seed() const
{
    return seedOf(m_seed);
}

core::RectSession RectView::session() const
{
    try {
        const std::optional<std::uint64_t> s = seed();
        if (!s)
            return m_lastGood;
        return core::RectSession{model(), samples(), *s};
    } catch (const core::InputError&) {
        return m_lastGood;
    }
}

void RectView::setSession(const core::RectSession& s)
{
    const core::RectModel& m = s.model;
    m_n->setValue(m.n);
    // c with enough decimals that round(c N) gives M back.
    const double c = static_cast<double>(m.m) / m.n;
    QDoubleSpinBox* box = m_c->spinBox();
    int decimals = box->decimals();
    while (decimals < 12 && std::lround(QString::number(c, 'f', decimals).toDouble() * m.n) != m.m)
        ++decimals;
    box->setDecimals(decimals);
    box->setRange(std::min(box->minimum(), c), std::max(box->maximum(), c));
    m_c->setValue(c);
    m_sigma->setValue(m.sigma);
    m_alpha->setValue(m.rank.alpha);
    {
        const QSignalBlocker b1(m_rank), b2(m_samples), b3(m_seed), b4(m_noise), b5(m_spikes),
            b6(m_bulk), b7(m_eigvecs);
        m_rank->setValue(m.rank.isExplicit ? m.rank.rank : 0);
        m_samples->setMaximum(std::max(m_samples->maximum(), s.samples));
        m_samples->setValue(s.samples);
        m_seed->setText(QString::number(s.seed));
        m_noise->setCurrentText(QString::fromStdString(core::toString(m.noise)));
        m_spikes->setCurrentText(QString::fromStdString(core::toString(m.spikes)));
        m_bulk->setCurrentText(QString::fromStdString(core::toString(m.bulk)));
        m_eigvecs->setCurrentIndex(m.eigvecs == core::Eigvecs::Haar ? 1 : 0);
    }
    updateSizeNote();
    updateRankControls();
    m_lastGood = s;
    m_dirty = true;
    if (isVisible())
        m_debounce->start();
}

QLabel* RectView::addErrorLabel(const QString& control)
{
    return m_errors[control] = makeErrorLabel();
}

void RectView::clearErrors()
{
    for (QLabel* l : std::as_const(m_errors))
        ui::showError(l, {});
}

void RectView::showError(const std::string& param, const QString& message)
{
    // Next to the control of the parameter the error concerns (core::InputError::param); errors
    // of the run itself (and any without a parameter) under the plot.
    static const QHash<QString, QString> kControlOf = {
        {"n", "size"},      {"m", "size"},       {"size", "size"},       {"sigma", "sigma"},
        {"noise", "noise"}, {"rank", "rank"},    {"alpha", "rank"},      {"spikes", "spikes"},
        {"bulk", "bulk"},   {"eigvecs", "bulk"}, {"samples", "samples"}, {"seed", "samples"}};
    const QString control = kControlOf.value(QString::fromStdString(param), "run");
    const bool kept = m_runner->frame() != nullptr && control != "run";
    ui::showError(m_errors[control],
                  message + (kept ? tr(" (the last valid result stays)") : QString()));
}

void RectView::onEdited()
{
    m_dirty = true;
    m_debounce->start();
    emit settingsChanged();
}

bool RectView::apply()
{
    m_debounce->stop();
    clearErrors();
    core::RectModel m;
    try {
        m = model();
        if (m_samples->value() < 1)
            throw core::InputError("samples", "must be at least 1");
        const std::optional<std::uint64_t> s = seed();
        if (!s)
            throw core::InputError("seed", "expected a whole number");
        m_runner->start(m, m_samples->value(), *s);
        m_lastGood = core::RectSession{m, m_samples->value(), *s};
    } catch (const core::InputError& e) {
        showError(e.param(), QString::fromStdString(e.what()));
        return false;
    } catch (const std::exception& e) {
        showError({}, QString::fromStdString(e.what()));
        return false;
    }
    m_dirty = false;
    return true;
}

void RectView::cancel()
{
    m_debounce->stop();
    m_runner->cancel();
}

bool RectView::isRunning() const
{
    return m_runner->isRunning();
}

void RectView::showEvent(QShowEvent* e)
{
    QWidget::showEvent(e);
    if (m_dirty)
        m_debounce->start(0);
}

QString RectView::errorText(const QString& control) const
{
    return m_errors.value(control, m_errors.value("run"))->text();
}

QString RectView::statusText() const
{
    return m_status->text();
}

void RectView::updateStatus()
{
    const auto f = m_runner->frame();
    const auto s = m_runner->snapshot();
    if (!f) {
        m_status->setText(m_runner->isRunning() ? tr("Computing the theory…")
                                                : tr("Sampling starts when this tab is shown."));
        return;
    }
    const int p = f->theory.p;
    QString text;
    if (m_runner->isRunning())
        text = tr("Sampling… %1 of %2 samples").arg(s ? s->done : 0).arg(f->samples);
    else if (s)
        text = tr("%1 of %2 samples in %3 s%4")
                   .arg(s->done)
                   .arg(f->samples)
                   .arg(s->seconds, 0, 'f', 2)
                   .arg(s->finished ? QString() : tr(" (cancelled)"));
    else
        text = tr("No samples%1").arg(m_runError.isEmpty() ? tr(" (cancelled)") : QString());
    text += tr(" · p = min(N, M) = %1 singular values each, seed %2").arg(p).arg(f->seed);
    if (s && s->done > 0)
        text += tr(" · %1 outliers per sample (%2 unexplained)")
                    .arg(s->meanOutliers, 0, 'f', 2)
                    .arg(s->meanUnexplained, 0, 'f', 2);
    m_status->setText(text);
}

void RectView::updateTable()
{
    const auto f = m_runner->frame();
    m_table->setRowCount(0);
    if (!f)
        return;
    const auto s = m_runner->snapshot();
    const bool sq = m_plot->squared();
    const auto& out = f->theory.outliers;
    for (std::size_t j = 0; j < out.size(); ++j) {
        const auto& p = out[j];
        if (j > 0 && out[j - 1].theta == p.theta)
            continue; // a group of equal spikes is one row
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        QString theta = QString::number(p.theta, 'g', 6);
        if (p.multiplicity > 1)
            theta += QStringLiteral(" × %1").arg(p.multiplicity);
        QString observed = QStringLiteral("–"), present = QStringLiteral("–");
        if (s) {
            const auto& obs = sq ? s->observedSq : s->observed;
            if (j < obs.size()) {
                if (obs[j].mean)
                    observed =
                        QString::number(*obs[j].mean, 'f', 4) +
                        (obs[j].sd ? QStringLiteral(" ± ") + QString::number(*obs[j].sd, 'f', 4)
                                   : QString());
                present = QStringLiteral("%1 / %2").arg(obs[j].samplesPresent).arg(s->done);
            }
        }
        const QString large =
            sq ? (p.largeRankSquared ? QString::number(*p.largeRankSquared, 'f', 4)
                                     : QStringLiteral("–"))
               : optText(p.largeRank, false);
        const QStringList cells = {theta, optText(p.finiteRank, sq), large, observed, present};
        for (int c = 0; c < cells.size(); ++c)
            m_table->setItem(row, c, new QTableWidgetItem(cells[c]));
        if (m_table->rowCount() >= 200)
            break; // enough to read; the plot shows them all
    }
}

void RectView::setPlotStyle(const Style& s)
{
    m_style = s;
    m_plot->setPlotStyle(s);
    fitSidePanel(m_panel, s, 330, 440);
}

QJsonObject RectView::toJson() const
{
    return QJsonObject{{"squared", m_squared->isChecked()}};
}

void RectView::fromJson(const QJsonObject& o)
{
    if (o.value("squared").isBool())
        m_squared->setChecked(o.value("squared").toBool());
}

} // namespace ws::ui
