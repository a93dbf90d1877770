#include "ui/widgets/controlspanel.h"

#include "ui/widgets/bulkeditor.h"
#include "ui/widgets/errorlabel.h"
#include "ui/widgets/familyinput.h"
#include "ui/widgets/paramslider.h"
#include "ui/widgets/seededit.h"
#include "ui/widgets/thetascale.h"
#include "ui/jobs/samplerplan.h"

#include "core/model/families.h"
#include "core/model/model.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ws::ui {

ControlsPanel::ControlsPanel(QWidget* parent) : QWidget(parent)
{
    auto* root = new QVBoxLayout(this);
    root->addWidget(buildMatrixGroup());
    root->addWidget(buildSpikesGroup());
    m_bulk = new BulkEditor(this);
    root->addWidget(m_bulk);
    root->addWidget(buildSamplingGroup());
    m_error = makeErrorLabel(this);
    root->addWidget(m_error);
    root->addStretch(1);
    setPageDefaults();
    connectSignals();
    setSession(core::Session{});
}

QGroupBox* ControlsPanel::buildMatrixGroup()
{
    using Scale = ParamSlider::Scale;
    auto* matrix = new QGroupBox(tr("Matrix  H = (σ/√N) X + S"), this);
    auto* ml = new QVBoxLayout(matrix);
    m_n = new ParamSlider("N", 10, kBandedMaxN, 2, kBandedMaxN, 0, Scale::Log, matrix);
    m_nMax = kBandedMaxN;
    m_nNote = new QLabel(matrix);
    m_nNote->setObjectName("nLimitLabel");
    m_nNote->setWordWrap(true);
    m_nNote->setStyleSheet("color: #c46a00; font-weight: bold;");
    m_nNote->setVisible(false);
    m_sigma = new ParamSlider("σ", 0.1, 3.0, 0.001, 1000, 3, Scale::Linear, matrix);
    m_sigma->setToolTips(tr("σ: noise level. The pure-noise semicircle lives on [-2σ, 2σ]; a "
                            "rank-one spike θ gives an outlier when |θ| > σ (BBP)."));
    m_noiseKind = choiceBox({{tr("gaussian (GOE)"), "gaussian"},
                             {tr("complex (GUE)"), "complex"},
                             {tr("rademacher ±1"), "rademacher"},
                             {tr("uniform"), "uniform"},
                             {tr("student-t (heavy tails)"), "student-t"},
                             {tr("sparse (Bernoulli p)"), "sparse"}},
                            tr("Distribution of the Wigner noise X (independent entries, mean 0, "
                               "E|X_ij|^2 = 1). Student-t with ν <= 4 has no fourth moment: the "
                               "theory is expected to fail there."),
                            matrix);
    m_noiseNu = new ParamSlider("ν", 2.1, 20, 2.001, 1e6, 3, Scale::Log, matrix);
    m_noiseNu->setToolTips(tr("ν: degrees of freedom of the Student-t noise (ν > 2; heavy tails, "
                              "infinite fourth moment for ν <= 4)."));
    m_noiseP = new ParamSlider("p", 0.001, 1.0, 0.001, 1.0, 3, Scale::Log, matrix);
    m_noiseP->setToolTips(tr("p: probability that an entry of the sparse noise is non-zero "
                             "(entries Bernoulli(p) N(0, 1/p))."));
    m_eigvecs = choiceBox({{tr("basis (localized)"), "basis"}, {tr("Haar (delocalized)"), "haar"}},
                          tr("Eigenvectors O of S = O diag(s) O^T: the standard basis, or a Haar "
                             "random rotation drawn once per seed."),
                          matrix);
    auto* noiseRow = new QFormLayout;
    noiseRow->addRow(tr("noise X"), m_noiseKind);
    ml->addWidget(m_n);
    ml->addWidget(m_nNote);
    ml->addWidget(m_sigma);
    ml->addLayout(noiseRow);
    ml->addWidget(m_noiseNu);
    ml->addWidget(m_noiseP);
    auto* vecRow = new QFormLayout;
    vecRow->addRow(tr("eigvecs of S"), m_eigvecs);
    ml->addLayout(vecRow);
    return matrix;
}

QGroupBox* ControlsPanel::buildSpikesGroup()
{
    using Scale = ParamSlider::Scale;
    auto* spikes = new QGroupBox(tr("Signal spectrum: spikes θ₁ ≥ … ≥ θᵣ"), this);
    auto* sl = new QVBoxLayout(spikes);
    m_alpha = new ParamSlider("α", 0.0, 1.0, 0.0, 1.0, 2, Scale::Linear, spikes);
    m_alpha->setToolTips(tr("α: rank exponent, r = ceil(N^α) spikes. α = 0 is rank one (BBP); "
                            "α near 1 makes the rank a fraction of N, where the finite-rank "
                            "formula drifts."));
    auto* rankRow = new QHBoxLayout;
    m_fixedRank = new QCheckBox(tr("fixed rank r"), spikes);
    m_fixedRank->setToolTip(tr("Use an explicit rank r instead of r = ceil(N^α)."));
    m_rank = new QSpinBox(spikes);
    m_rank->setRange(1, 100000);
    m_rank->setKeyboardTracking(false);
    m_rank->setToolTip(tr("Explicit rank r: the number of spikes (1 <= r <= N)."));
    m_rankInfo = new QLabel(spikes);
    m_rankInfo->setToolTip(tr("The resulting number of spikes r."));
    rankRow->addWidget(m_fixedRank);
    rankRow->addWidget(m_rank);
    rankRow->addStretch(1);
    rankRow->addWidget(m_rankInfo);
    m_spikeKind = choiceBox({{tr("equal: all θₖ = t"), "equal"},
                             {tr("linear: from top down to lowest"), "linear"},
                             {tr("power: θₖ = t·k^(-g)"), "power"},
                             {tr("list of values"), "list"}},
                            tr("Profile of the r spikes of S: equal values, evenly spaced, a "
                               "power-law decay like trained weights, or an explicit list (the "
                               "rank is then the list's length)."),
                            spikes);
    buildSpikeFamilyControls();
    m_spikeError = makeErrorLabel(spikes);
    m_spikePages = new QStackedWidget(spikes);
    m_spikePages->addWidget(stackPage({m_equalT}));
    m_spikePages->addWidget(stackPage({m_linearTop, m_linearLow}));
    m_spikePages->addWidget(stackPage({m_powerT, m_powerG}));
    m_spikePages->addWidget(stackPage({m_spikeList}));
    sl->addWidget(m_alpha);
    sl->addLayout(rankRow);
    sl->addWidget(m_spikeKind);
    sl->addWidget(m_spikePages);
    sl->addWidget(m_spikeError);
    return spikes;
}

// The sliders of each spike family (the pages of the spikes group).
void ControlsPanel::buildSpikeFamilyControls()
{
    using Scale = ParamSlider::Scale;
    m_equalT = new ParamSlider("t", -8, 8, -1e6, 1e6, 3, Scale::Linear);
    m_equalT->setToolTips(tr("t: the value of every spike θₖ. An outlier appears when |t| > σ "
                             "(rank one) or beyond the large-rank threshold."));
    m_linearTop = new ParamSlider(tr("top"), -8, 8, -1e6, 1e6, 3, Scale::Linear);
    m_linearTop->setToolTips(tr("Top spike θ₁ (b in linear:a,b)."));
    m_linearLow = new ParamSlider(tr("lowest"), -8, 8, -1e6, 1e6, 3, Scale::Linear);
    m_linearLow->setToolTips(tr("Lowest spike θᵣ (a in linear:a,b); the spikes are evenly spaced "
                                "between."));
    m_powerT = new ParamSlider("t", -8, 8, -1e6, 1e6, 3, Scale::Linear);
    m_powerT->setToolTips(tr("t: the top spike θ₁ of the decay θₖ = t·k^(-g)."));
    m_powerG = new ParamSlider("g", 0, 3, 0, 100, 3, Scale::Linear);
    m_powerG->setToolTips(tr("g: decay exponent of θₖ = t·k^(-g) (g >= 0)."));
    m_spikeList = new QLineEdit;
    m_spikeList->setPlaceholderText("4, 2.5, -1.6");
    m_spikeList->setToolTip(tr("Explicit spike values, separated by commas or spaces; the rank r "
                               "is their count."));
}

QGroupBox* ControlsPanel::buildSamplingGroup()
{
    auto* sampling = new QGroupBox(tr("Sampling"), this);
    auto* form = new QFormLayout(sampling);
    m_samples = new QSpinBox(sampling);
    m_samples->setRange(1, 100000);
    m_samples->setKeyboardTracking(false);
    m_samples->setToolTip(tr("Number of independent matrices H drawn; the histogram accumulates "
                             "all their eigenvalues, the outliers are averaged over them."));
    m_seed = makeSeedEdit(sampling);
    m_seed->setToolTip(tr("Random seed: the same seed gives the same matrices on any machine "
                          "and thread count (also fixes the Haar eigenvectors of S)."));
    m_newSeed = new QPushButton(tr("New seed"), sampling);
    m_newSeed->setToolTip(tr("Draw a fresh random seed and resample."));
    auto* seedRow = new QHBoxLayout;
    seedRow->addWidget(m_seed, 1);
    seedRow->addWidget(m_newSeed);
    form->addRow(tr("samples"), m_samples);
    form->addRow(tr("seed"), seedRow);
    return sampling;
}

// Defaults of the pages not shown yet, so switching families gives sensible values.
void ControlsPanel::setPageDefaults()
{
    const std::pair<ParamSlider*, double> defaults[] = {
        {m_noiseNu, 3.0},   {m_noiseP, 0.1}, {m_equalT, 3.0}, {m_linearTop, 4.0},
        {m_linearLow, 1.5}, {m_powerT, 5.0}, {m_powerG, 0.5}};
    for (const auto& [slider, value] : defaults)
        slider->setValue(value);
    m_spikeList->setText("4, 2.5, -1.6");
}

void ControlsPanel::connectSignals()
{
    for (ParamSlider* p : {m_n, m_sigma, m_noiseNu, m_noiseP, m_alpha, m_equalT, m_linearTop,
                           m_linearLow, m_powerT, m_powerG})
        connect(p, &ParamSlider::valueChanged, this, &ControlsPanel::onEdited);
    connect(m_sigma, &ParamSlider::valueChanged, this, &ControlsPanel::updateSpikeScales);
    connect(m_bulk, &BulkEditor::edited, this, &ControlsPanel::onEdited);
    for (QComboBox* c : {m_noiseKind, m_eigvecs, m_spikeKind})
        connect(c, &QComboBox::currentIndexChanged, this, [this] {
            updateVisibility();
            onEdited();
        });
    connect(m_fixedRank, &QCheckBox::toggled, this, [this] {
        updateVisibility();
        onEdited();
    });
    connect(m_rank, &QSpinBox::valueChanged, this, &ControlsPanel::onEdited);
    connect(m_samples, &QSpinBox::valueChanged, this, &ControlsPanel::onEdited);
    connect(m_spikeList, &QLineEdit::textChanged, this, &ControlsPanel::onEdited);
    connect(m_seed, &QLineEdit::editingFinished, this, &ControlsPanel::onEdited);
    // editingFinished never comes for an empty seed: say at once why nothing runs.
    connect(m_seed, &QLineEdit::textEdited, this, [this] {
        if (!m_seed->hasAcceptableInput())
            onEdited();
    });
    // A key the N box refuses (a letter, a digit beyond the largest N): the range and its reason
    // next to the box.
    if (auto* edit = m_n->spinBox()->findChild<QLineEdit*>())
        connect(edit, &QLineEdit::inputRejected, this, [this] {
            const QString why = m_n->spinBox()->property("limitReason").toString();
            showError(m_nNote, tr("N: a whole number from 2 to %1%2")
                                   .arg(m_nMax)
                                   .arg(why.isEmpty() ? QString() : " (" + why + ")"));
        });
    connect(m_newSeed, &QPushButton::clicked, this, [this] {
        m_seed->setText(QString::number(QRandomGenerator::global()->bounded(1, 1000000000)));
        onEdited();
    });
}

void ControlsPanel::updateVisibility()
{
    const QString noise = m_noiseKind->currentData().toString();
    m_noiseNu->setVisible(noise == "student-t");
    m_noiseP->setVisible(noise == "sparse");
    m_spikePages->setCurrentIndex(m_spikeKind->currentIndex());
    const bool list = m_spikeKind->currentData().toString() == "list";
    m_fixedRank->setEnabled(!list);
    m_rank->setEnabled(!list && m_fixedRank->isChecked());
    m_alpha->setEnabled(!list && !m_fixedRank->isChecked());
}

void ControlsPanel::updateSpikeScales()
{
    // The threshold in the colour of the finite-rank threshold line of the plots.
    const QColor mark(213, 94, 0);
    const double sigma = m_sigma->value();
    applyThetaScale(m_equalT, sigma, 4.0, mark);
    for (ParamSlider* p : {m_linearTop, m_linearLow, m_powerT})
        applyThetaScale(p, sigma, 8.0, mark);
}

QComboBox* ControlsPanel::bulkKindBox() const
{
    return m_bulk->kindBox();
}

ParamSlider* ControlsPanel::mainSlider() const
{
    switch (m_spikeKind->currentIndex()) {
    case 0:
        return m_equalT;
    case 1:
        return m_linearTop;
    case 2:
        return m_powerT;
    default:
        return m_sigma;
    }
}

void ControlsPanel::clearErrors()
{
    showError(m_spikeError, {});
    m_bulk->showError({});
    showError(m_error, {});
}

void ControlsPanel::applyNLimit(core::Model& m)
{
    const NLimit limit = nLimit(m, m_samples->value());
    if (limit.maxN != m_nMax) {
        m_nMax = limit.maxN;
        m_n->setRanges(10, std::max(m_nMax, 11), 2, std::max(m_nMax, 2));
    }
    const QString why = QString::fromStdString(limit.reason);
    m_n->spinBox()->setProperty("limitReason", why); // for the note on a refused key
    m_n->setToolTips(
        tr("N: the size of the N x N matrix H (logarithmic slider; type any value in the box). "
           "Dense sampling costs O(N^3) per sample; the exact banded sampler (gaussian or complex "
           "noise, zero or constant bulk, small rank) reaches N = %1.\nLargest N now: %2%3")
            .arg(kBandedMaxN)
            .arg(m_nMax)
            .arg(why.isEmpty() ? QString() : " (" + why + ")"));
    if (m.n > m_nMax) {
        const int was = m.n;
        m.n = m_nMax;
        m_n->setValue(m.n);
        m_nClampedAt = m.n;
        showError(m_nNote, tr("N lowered from %1 to %2: %3")
                               .arg(was)
                               .arg(m.n)
                               .arg(why.isEmpty() ? tr("the largest N the app samples") : why));
    } else if (m.n != m_nClampedAt || m_nMax != m_nClampedAt) {
        m_nClampedAt = 0;
        showError(m_nNote, {});
    }
}

std::optional<core::Model> ControlsPanel::readModel()
{
    clearErrors();
    core::Model m;
    m.n = static_cast<int>(std::lround(m_n->value()));
    m.sigma = m_sigma->value();
    const QString noise = m_noiseKind->currentData().toString();
    std::string noiseText = noise.toStdString();
    if (noise == "student-t")
        noiseText.append(":").append(core::formatDouble(m_noiseNu->value()));
    else if (noise == "sparse")
        noiseText.append(":").append(core::formatDouble(m_noiseP->value()));
    m.noise = core::parseNoise(noiseText);
    m.eigvecs =
        m_eigvecs->currentData().toString() == "haar" ? core::Eigvecs::Haar : core::Eigvecs::Basis;
    m.rank.isExplicit = m_fixedRank->isChecked();
    m.rank.alpha = m_alpha->value();
    m.rank.rank = m_rank->value();

    const QString sk = m_spikeKind->currentData().toString();
    try {
        if (sk == "equal")
            m.spikes = {core::SpikeKind::Equal, {m_equalT->value()}};
        else if (sk == "linear")
            m.spikes = {core::SpikeKind::Linear, {m_linearLow->value(), m_linearTop->value()}};
        else if (sk == "power")
            m.spikes = {core::SpikeKind::Power, {m_powerT->value(), m_powerG->value()}};
        else
            m.spikes = core::parseSpikes(listText(m_spikeList->text(), "spikes"));
    } catch (const core::InputError& e) {
        showError(m_spikeError, QString::fromStdString(e.what()));
        return std::nullopt;
    }
    const std::optional<core::BulkFamily> bulk = m_bulk->family();
    if (!bulk)
        return std::nullopt;
    m.bulk = *bulk;
    applyNLimit(m);
    try {
        core::validate(m);
    } catch (const core::InputError& e) {
        // Placed by the parameter it concerns: under the spike or bulk controls, else below all.
        const std::string& p = e.param();
        const QString message = QString::fromStdString(e.what());
        if (p == "bulk")
            m_bulk->showError(message);
        else
            showError(p == "spikes" || p == "rank" ? m_spikeError : m_error, message);
        return std::nullopt;
    }
    return m;
}

void ControlsPanel::refresh()
{
    m_session.reset();
    m_rank->setMaximum(static_cast<int>(std::lround(m_n->value())));
    auto m = readModel();
    if (!m)
        return;
    updateRankLabel(*m);
    const std::optional<std::uint64_t> seed = seedOf(m_seed);
    if (!seed) {
        showError(m_error, tr("seed: expected a whole number"));
        return;
    }
    core::Session s;
    s.model = *m;
    s.samples = m_samples->value();
    s.seed = *seed;
    m_session = s;
}

void ControlsPanel::updateRankLabel(const core::Model& m)
{
    const int r = core::rankOf(m);
    m_rankInfo->setText(tr("r = %1").arg(r));
    m_alpha->setSuffixText(tr("r = %1").arg(r));
}

void ControlsPanel::onEdited()
{
    if (m_loading)
        return;
    refresh();
    if (m_session)
        emit changed();
}

void ControlsPanel::setSession(const core::Session& s)
{
    m_loading = true;
    const core::Model& m = s.model;
    // Full range first, so that the value survives; applyNLimit below narrows it.
    m_nMax = kBandedMaxN;
    m_n->setRanges(10, kBandedMaxN, 2, kBandedMaxN);
    m_n->setValue(m.n);
    loadValue(m_sigma, m.sigma);
    updateSpikeScales();
    const char* noise = "gaussian";
    switch (m.noise.kind) {
    case core::NoiseKind::Gaussian:
        noise = "gaussian";
        break;
    case core::NoiseKind::Complex:
        noise = "complex";
        break;
    case core::NoiseKind::Rademacher:
        noise = "rademacher";
        break;
    case core::NoiseKind::Uniform:
        noise = "uniform";
        break;
    case core::NoiseKind::StudentT:
        noise = "student-t";
        loadValue(m_noiseNu, m.noise.param);
        break;
    case core::NoiseKind::Sparse:
        noise = "sparse";
        loadValue(m_noiseP, m.noise.param);
        break;
    }
    m_noiseKind->setCurrentIndex(m_noiseKind->findData(noise));
    m_eigvecs->setCurrentIndex(m.eigvecs == core::Eigvecs::Haar ? 1 : 0);
    m_fixedRank->setChecked(m.rank.isExplicit);
    loadValue(m_alpha, m.rank.alpha);
    m_rank->setMaximum(std::max(m.n, 1));
    m_rank->setValue(m.rank.rank);

    const auto& sp = m.spikes.params;
    auto at = [](const std::vector<double>& v, std::size_t i, double d) {
        return i < v.size() ? v[i] : d;
    };
    switch (m.spikes.kind) {
    case core::SpikeKind::Equal:
        m_spikeKind->setCurrentIndex(0);
        loadValue(m_equalT, at(sp, 0, 3.0));
        break;
    case core::SpikeKind::Linear:
        m_spikeKind->setCurrentIndex(1);
        loadValue(m_linearLow, at(sp, 0, 1.0));
        loadValue(m_linearTop, at(sp, 1, 4.0));
        break;
    case core::SpikeKind::Power:
        m_spikeKind->setCurrentIndex(2);
        loadValue(m_powerT, at(sp, 0, 5.0));
        loadValue(m_powerG, at(sp, 1, 0.5));
        break;
    case core::SpikeKind::List:
        m_spikeKind->setCurrentIndex(3);
        m_spikeList->setText(joinedValues(sp));
        break;
    }
    m_bulk->setFamily(m.bulk);
    m_samples->setMaximum(std::max(m_samples->maximum(), s.samples));
    m_samples->setValue(s.samples);
    m_seed->setText(QString::number(s.seed));
    updateVisibility();
    m_nClampedAt = 0;
    showError(m_nNote, {});
    // The file's N (the control may not hold it) fitted to the sampler's limit, the reason shown;
    // then the controls are read as after an edit.
    core::Model limited = m;
    applyNLimit(limited);
    refresh();
    m_loading = false;
}

} // namespace ws::ui
