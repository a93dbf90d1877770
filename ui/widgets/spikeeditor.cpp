#include "ui/widgets/spikeeditor.h"

#include "ui/widgets/errorlabel.h"
#include "ui/widgets/familyinput.h"
#include "ui/widgets/paramslider.h"
#include "ui/widgets/thetascale.h"

#include "core/model/families.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace ws::ui {

SpikeEditor::SpikeEditor(QWidget* parent)
    : QGroupBox(tr("Signal spectrum: spikes θ₁ ≥ … ≥ θᵣ"), parent)
{
    auto* sl = new QVBoxLayout(this);
    m_alpha = new ParamSlider("α", 0.0, 1.0, 0.0, 1.0, 2, ParamSlider::Scale::Linear, this);
    m_alpha->setToolTips(tr("α: rank exponent, r = ceil(N^α) spikes. α = 0 is rank one (BBP); "
                            "α near 1 makes the rank a fraction of N, where the finite-rank "
                            "formula drifts."));
    auto* rankRow = new QHBoxLayout;
    m_fixedRank = new QCheckBox(tr("fixed rank r"), this);
    m_fixedRank->setToolTip(tr("Use an explicit rank r instead of r = ceil(N^α)."));
    m_rank = new QSpinBox(this);
    m_rank->setRange(1, 100000);
    m_rank->setKeyboardTracking(false);
    m_rank->setToolTip(tr("Explicit rank r: the number of spikes (1 <= r <= N)."));
    m_rankInfo = new QLabel(this);
    m_rankInfo->setToolTip(tr("The resulting number of spikes r."));
    rankRow->addWidget(m_fixedRank);
    rankRow->addWidget(m_rank);
    rankRow->addStretch(1);
    rankRow->addWidget(m_rankInfo);
    m_family.kind = choiceBox({{tr("equal: all θₖ = t"), "equal"},
                               {tr("linear: from top down to lowest"), "linear"},
                               {tr("power: θₖ = t·k^(-g)"), "power"},
                               {tr("list of values"), "list"}},
                              tr("Profile of the r spikes of S: equal values, evenly spaced, a "
                                 "power-law decay like trained weights, or an explicit list (the "
                                 "rank is then the list's length)."),
                              this);
    buildFamilyControls();
    m_family.error = makeErrorLabel(this);
    m_pages = new QStackedWidget(this);
    m_pages->addWidget(stackPage({m_equalT}));
    m_pages->addWidget(stackPage({m_linearTop, m_linearLow}));
    m_pages->addWidget(stackPage({m_powerT, m_powerG}));
    m_pages->addWidget(stackPage({m_family.list}));
    sl->addWidget(m_alpha);
    sl->addLayout(rankRow);
    sl->addWidget(m_family.kind);
    sl->addWidget(m_pages);
    sl->addWidget(m_family.error);

    // Defaults of the pages not shown yet, so switching families gives sensible values.
    const std::pair<ParamSlider*, double> defaults[] = {
        {m_equalT, 3.0}, {m_linearTop, 4.0}, {m_linearLow, 1.5}, {m_powerT, 5.0}, {m_powerG, 0.5}};
    for (const auto& [slider, value] : defaults)
        slider->setValue(value);
    m_family.list->setText("4, 2.5, -1.6");

    for (ParamSlider* p : {m_alpha, m_equalT, m_linearTop, m_linearLow, m_powerT, m_powerG})
        connect(p, &ParamSlider::valueChanged, this, &SpikeEditor::edited);
    connect(m_family.kind, &QComboBox::currentIndexChanged, this, [this] {
        updateControls();
        emit edited();
    });
    connect(m_fixedRank, &QCheckBox::toggled, this, [this] {
        updateControls();
        emit edited();
    });
    connect(m_rank, &QSpinBox::valueChanged, this, &SpikeEditor::edited);
    connect(m_family.list, &QLineEdit::textChanged, this, &SpikeEditor::edited);
    updateControls();
}

// The sliders of each spike family (the pages of the group).
void SpikeEditor::buildFamilyControls()
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
    m_family.list = new QLineEdit;
    m_family.list->setPlaceholderText("4, 2.5, -1.6");
    m_family.list->setToolTip(tr("Explicit spike values, separated by commas or spaces; the rank r "
                                 "is their count."));
    m_family.sliders = {{core::SpikeKind::Equal, {m_equalT}},
                        {core::SpikeKind::Linear, {m_linearLow, m_linearTop}},
                        {core::SpikeKind::Power, {m_powerT, m_powerG}}};
}

void SpikeEditor::updateControls()
{
    m_pages->setCurrentIndex(m_family.kind->currentIndex());
    const bool list = m_family.kind->currentData().toString() == "list";
    m_fixedRank->setEnabled(!list);
    m_rank->setEnabled(!list && m_fixedRank->isChecked());
    m_alpha->setEnabled(!list && !m_fixedRank->isChecked());
}

std::optional<core::SpikeFamily> SpikeEditor::family()
{
    return readFamily(m_family, &core::parseSpikes, "spikes");
}

core::RankRule SpikeEditor::rankRule() const
{
    core::RankRule r;
    r.isExplicit = m_fixedRank->isChecked();
    r.alpha = m_alpha->value();
    r.rank = m_rank->value();
    return r;
}

void SpikeEditor::setFamily(const core::SpikeFamily& f)
{
    showFamily(m_family, f);
    updateControls();
}

void SpikeEditor::setRankRule(const core::RankRule& r)
{
    m_fixedRank->setChecked(r.isExplicit);
    loadValue(m_alpha, r.alpha);
    m_rank->setValue(r.rank);
    updateControls();
}

void SpikeEditor::setMaxRank(int n)
{
    m_rank->setMaximum(n);
}

void SpikeEditor::showRank(int r)
{
    m_rankInfo->setText(tr("r = %1").arg(r));
    m_alpha->setSuffixText(tr("r = %1").arg(r));
}

void SpikeEditor::setSigma(double sigma)
{
    // The threshold in the colour of the finite-rank threshold line of the plots.
    const QColor mark(213, 94, 0);
    applyThetaScale(m_equalT, sigma, 4.0, mark);
    for (ParamSlider* p : {m_linearTop, m_linearLow, m_powerT})
        applyThetaScale(p, sigma, 8.0, mark);
}

ParamSlider* SpikeEditor::topSlider() const
{
    const QString kind = m_family.kind->currentData().toString();
    if (kind == "equal")
        return m_equalT;
    if (kind == "linear")
        return m_linearTop;
    return kind == "power" ? m_powerT : nullptr;
}

void SpikeEditor::showError(const QString& message)
{
    ui::showError(m_family.error, message);
}

} // namespace ws::ui
