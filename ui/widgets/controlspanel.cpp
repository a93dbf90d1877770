#include "ui/widgets/controlspanel.h"

#include "ui/widgets/bulkeditor.h"
#include "ui/widgets/errorlabel.h"
#include "ui/widgets/familyinput.h"
#include "ui/widgets/paramslider.h"
#include "ui/widgets/seededit.h"
#include "ui/widgets/spikeeditor.h"
#include "ui/jobs/samplerplan.h"

#include "core/model/families.h"
#include "core/model/model.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ws::ui {

ControlsPanel::ControlsPanel(QWidget* parent) : QWidget(parent)
{
    auto* root = new QVBoxLayout(this);
    root->addWidget(buildMatrixGroup());
    m_spikes = new SpikeEditor(this);
    root->addWidget(m_spikes);
    m_bulk = new BulkEditor(this);
    root->addWidget(m_bulk);
    root->addWidget(buildSamplingGroup());
    m_error = makeErrorLabel(this);
    root->addWidget(m_error);
    root->addStretch(1);
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
    // Defaults while another noise is shown, so switching families gives sensible values.
    m_noiseNu->setValue(3.0);
    m_noiseP->setValue(0.1);
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

void ControlsPanel::connectSignals()
{
    for (ParamSlider* p : {m_n, m_sigma, m_noiseNu, m_noiseP})
        connect(p, &ParamSlider::valueChanged, this, &ControlsPanel::onEdited);
    connect(m_sigma, &ParamSlider::valueChanged, m_spikes, &SpikeEditor::setSigma);
    connect(m_spikes, &SpikeEditor::edited, this, &ControlsPanel::onEdited);
    connect(m_bulk, &BulkEditor::edited, this, &ControlsPanel::onEdited);
    for (QComboBox* c : {m_noiseKind, m_eigvecs})
        connect(c, &QComboBox::currentIndexChanged, this, [this] {
            updateNoiseControls();
            onEdited();
        });
    connect(m_samples, &QSpinBox::valueChanged, this, &ControlsPanel::onEdited);
    connect(m_seed, &QLineEdit::editingFinished, this, &ControlsPanel::onEdited);
    // editingFinished never comes for an empty seed: say at once why nothing runs.
    connect(m_seed, &QLineEdit::textEdited, this, [this] {
        if (!m_seed->hasAcceptableInput())
            onEdited();
    });
    // A key the N box refuses (a letter, a digit beyond the largest N): the range and its reason
    // next to the box.
    if (auto* edit = m_n->spinBox()->findChild<QLineEdit*>()) {
        connect(edit, &QLineEdit::inputRejected, this, [this] {
            const QString why = m_n->spinBox()->property("limitReason").toString();
            m_nRefusedKey = true;
            showError(m_nNote, tr("N: a whole number from 2 to %1%2")
                                   .arg(m_nMax)
                                   .arg(why.isEmpty() ? QString() : " (" + why + ")"));
        });
        connect(edit, &QLineEdit::textEdited, this, [this] { m_nRefusedKey = false; });
    }
    connect(m_newSeed, &QPushButton::clicked, this, [this] {
        m_seed->setText(QString::number(QRandomGenerator::global()->bounded(1, 1000000000)));
        onEdited();
    });
}

void ControlsPanel::updateNoiseControls()
{
    const QString noise = m_noiseKind->currentData().toString();
    m_noiseNu->setVisible(noise == "student-t");
    m_noiseP->setVisible(noise == "sparse");
}

ParamSlider* ControlsPanel::alphaControl() const
{
    return m_spikes->alphaControl();
}

ParamSlider* ControlsPanel::thetaControl() const
{
    return m_spikes->thetaControl();
}

ParamSlider* ControlsPanel::mainSlider() const
{
    ParamSlider* top = m_spikes->topSlider();
    return top ? top : m_sigma;
}

QComboBox* ControlsPanel::spikeKindBox() const
{
    return m_spikes->kindBox();
}

QComboBox* ControlsPanel::bulkKindBox() const
{
    return m_bulk->kindBox();
}

QLineEdit* ControlsPanel::spikeListEdit() const
{
    return m_spikes->listEdit();
}

QLabel* ControlsPanel::spikeErrorLabel() const
{
    return m_spikes->errorLabel();
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
    } else if (!m_nRefusedKey && (m.n != m_nClampedAt || m_nMax != m_nClampedAt)) {
        m_nClampedAt = 0;
        showError(m_nNote, {});
    }
}

void ControlsPanel::clearErrors()
{
    m_spikes->showError({});
    m_bulk->showError({});
    showError(m_error, {});
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
    m.rank = m_spikes->rankRule();
    const std::optional<core::SpikeFamily> spikes = m_spikes->family();
    if (!spikes)
        return std::nullopt;
    m.spikes = *spikes;
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
        if (p == "spikes" || p == "rank")
            m_spikes->showError(message);
        else if (p == "bulk")
            m_bulk->showError(message);
        else
            showError(m_error, message);
        return std::nullopt;
    }
    return m;
}

void ControlsPanel::refresh()
{
    m_session.reset();
    m_spikes->setMaxRank(static_cast<int>(std::lround(m_n->value())));
    auto m = readModel();
    if (!m)
        return;
    m_spikes->showRank(core::rankOf(*m));
    m_bulk->setNoBulk(core::rankOf(*m) >= m->n);
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
    m_spikes->setSigma(m_sigma->value());
    selectKey(m_noiseKind, core::familyName(m.noise.kind));
    if (m.noise.kind == core::NoiseKind::StudentT)
        loadValue(m_noiseNu, m.noise.param);
    else if (m.noise.kind == core::NoiseKind::Sparse)
        loadValue(m_noiseP, m.noise.param);
    selectKey(m_eigvecs, core::toString(m.eigvecs));
    m_spikes->setMaxRank(std::max(m.n, 1));
    m_spikes->setRankRule(m.rank);
    m_spikes->setFamily(m.spikes);
    m_bulk->setFamily(m.bulk);
    m_samples->setMaximum(std::max(m_samples->maximum(), s.samples));
    m_samples->setValue(s.samples);
    m_seed->setText(QString::number(s.seed));
    updateNoiseControls();
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
