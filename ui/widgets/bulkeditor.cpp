#include "ui/widgets/bulkeditor.h"

#include "ui/widgets/errorlabel.h"
#include "ui/widgets/familyinput.h"
#include "ui/widgets/paramslider.h"

#include "core/model/families.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace ws::ui {

BulkEditor::BulkEditor(QWidget* parent)
    : QGroupBox(tr("Bulk of S (the other N − r eigenvalues)"), parent)
{
    auto* bl = new QVBoxLayout(this);
    m_family.kind = choiceBox({{tr("zero (S has rank r)"), "zero"},
                               {tr("uniform on [a, b]"), "uniform"},
                               {tr("semicircle of radius ρ"), "semicircle"},
                               {tr("two-point: a (mass p), b"), "twopoint"},
                               {tr("list (empirical law)"), "list"}},
                              tr("Law of the N − r non-spike eigenvalues of S (deterministic "
                                 "quantiles). A non-zero bulk makes S full rank."),
                              this);
    auto* uniformA = new ParamSlider("a", -5, 5, -1e6, 1e6, 3);
    uniformA->setToolTips(tr("a: left end of the uniform bulk of S (a <= b)."));
    auto* uniformB = new ParamSlider("b", -5, 5, -1e6, 1e6, 3);
    uniformB->setToolTips(tr("b: right end of the uniform bulk of S (a <= b)."));
    auto* semiRho = new ParamSlider("ρ", 0.01, 5, 1e-6, 1e6, 3);
    semiRho->setToolTips(tr("ρ: radius of the semicircle law of the bulk of S."));
    auto* twoA = new ParamSlider("a", -5, 5, -1e6, 1e6, 3);
    twoA->setToolTips(tr("a: first value of the two-point bulk (mass p)."));
    auto* twoB = new ParamSlider("b", -5, 5, -1e6, 1e6, 3);
    twoB->setToolTips(tr("b: second value of the two-point bulk (mass 1 − p)."));
    auto* twoP = new ParamSlider("p", 0, 1, 0, 1, 3);
    twoP->setToolTips(tr("p: fraction of the bulk at a."));
    m_family.sliders = {{core::BulkKind::Zero, {}},
                        {core::BulkKind::Uniform, {uniformA, uniformB}},
                        {core::BulkKind::Semicircle, {semiRho}},
                        {core::BulkKind::TwoPoint, {twoA, twoB, twoP}}};
    m_family.list = new QLineEdit;
    m_family.list->setPlaceholderText("-1, 0, 0.5, 1");
    m_family.list->setToolTip(tr("Values whose empirical law gives the bulk of S (quantiles)."));
    m_family.error = makeErrorLabel(this);
    m_pages = new QStackedWidget(this);
    m_pages->addWidget(stackPage({}));
    m_pages->addWidget(stackPage({uniformA, uniformB}));
    m_pages->addWidget(stackPage({semiRho}));
    m_pages->addWidget(stackPage({twoA, twoB, twoP}));
    m_pages->addWidget(stackPage({m_family.list}));
    bl->addWidget(m_family.kind);
    bl->addWidget(m_pages);
    bl->addWidget(m_family.error);
    m_noBulk = new QLabel(tr("r = N: every eigenvalue of S is a spike, so S has no bulk and this "
                             "setting has no effect."),
                          this);
    m_noBulk->setObjectName("noBulkNote");
    m_noBulk->setWordWrap(true);
    m_noBulk->setForegroundRole(QPalette::PlaceholderText); // a remark, not an error
    m_noBulk->setVisible(false);
    bl->addWidget(m_noBulk);

    // Defaults of the pages not shown yet, so switching families gives sensible values.
    const std::pair<ParamSlider*, double> defaults[] = {
        {uniformA, -1.0}, {uniformB, 1.0}, {semiRho, 1.0}, {twoA, -1.0}, {twoB, 1.0}, {twoP, 0.5}};
    for (const auto& [slider, value] : defaults)
        slider->setValue(value);
    m_family.list->setText("-1, 0, 0.5, 1");

    for (ParamSlider* p : {semiRho, twoA, twoB, twoP})
        connect(p, &ParamSlider::valueChanged, this, &BulkEditor::edited);
    // Keep a <= b for the uniform bulk by pushing the other end.
    connect(uniformA, &ParamSlider::valueChanged, this, [this, uniformB](double a) {
        if (a > uniformB->value())
            uniformB->setValue(a);
        emit edited();
    });
    connect(uniformB, &ParamSlider::valueChanged, this, [this, uniformA](double b) {
        if (b < uniformA->value())
            uniformA->setValue(b);
        emit edited();
    });
    connect(m_family.kind, &QComboBox::currentIndexChanged, this, [this] {
        updatePages();
        emit edited();
    });
    connect(m_family.list, &QLineEdit::textChanged, this, &BulkEditor::edited);
    updatePages();
}

void BulkEditor::updatePages()
{
    m_pages->setCurrentIndex(m_family.kind->currentIndex());
    m_pages->setVisible(m_family.kind->currentIndex() != 0);
}

std::optional<core::BulkFamily> BulkEditor::family()
{
    return readFamily(m_family, &core::parseBulk, "bulk");
}

void BulkEditor::setFamily(const core::BulkFamily& b)
{
    showFamily(m_family, b);
    updatePages();
}

void BulkEditor::setNoBulk(bool noBulk)
{
    m_noBulk->setVisible(noBulk);
}

bool BulkEditor::noBulkShown() const
{
    return !m_noBulk->isHidden();
}

void BulkEditor::showError(const QString& message)
{
    ui::showError(m_family.error, message);
}

} // namespace ws::ui
