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
    m_kind = choiceBox({{tr("zero (S has rank r)"), "zero"},
                        {tr("uniform on [a, b]"), "uniform"},
                        {tr("semicircle of radius ρ"), "semicircle"},
                        {tr("two-point: a (mass p), b"), "twopoint"},
                        {tr("list (empirical law)"), "list"}},
                       tr("Law of the N − r non-spike eigenvalues of S (deterministic "
                          "quantiles). A non-zero bulk makes S full rank."),
                       this);
    m_uniformA = new ParamSlider("a", -5, 5, -1e6, 1e6, 3);
    m_uniformA->setToolTips(tr("a: left end of the uniform bulk of S (a <= b)."));
    m_uniformB = new ParamSlider("b", -5, 5, -1e6, 1e6, 3);
    m_uniformB->setToolTips(tr("b: right end of the uniform bulk of S (a <= b)."));
    m_semiRho = new ParamSlider("ρ", 0.01, 5, 1e-6, 1e6, 3);
    m_semiRho->setToolTips(tr("ρ: radius of the semicircle law of the bulk of S."));
    m_twoA = new ParamSlider("a", -5, 5, -1e6, 1e6, 3);
    m_twoA->setToolTips(tr("a: first value of the two-point bulk (mass p)."));
    m_twoB = new ParamSlider("b", -5, 5, -1e6, 1e6, 3);
    m_twoB->setToolTips(tr("b: second value of the two-point bulk (mass 1 − p)."));
    m_twoP = new ParamSlider("p", 0, 1, 0, 1, 3);
    m_twoP->setToolTips(tr("p: fraction of the bulk at a."));
    m_list = new QLineEdit;
    m_list->setPlaceholderText("-1, 0, 0.5, 1");
    m_list->setToolTip(tr("Values whose empirical law gives the bulk of S (quantiles)."));
    m_error = makeErrorLabel(this);
    m_pages = new QStackedWidget(this);
    m_pages->addWidget(stackPage({}));
    m_pages->addWidget(stackPage({m_uniformA, m_uniformB}));
    m_pages->addWidget(stackPage({m_semiRho}));
    m_pages->addWidget(stackPage({m_twoA, m_twoB, m_twoP}));
    m_pages->addWidget(stackPage({m_list}));
    bl->addWidget(m_kind);
    bl->addWidget(m_pages);
    bl->addWidget(m_error);

    // Defaults of the pages not shown yet, so switching families gives sensible values.
    const std::pair<ParamSlider*, double> defaults[] = {{m_uniformA, -1.0}, {m_uniformB, 1.0},
                                                        {m_semiRho, 1.0},   {m_twoA, -1.0},
                                                        {m_twoB, 1.0},      {m_twoP, 0.5}};
    for (const auto& [slider, value] : defaults)
        slider->setValue(value);
    m_list->setText("-1, 0, 0.5, 1");

    for (ParamSlider* p : {m_semiRho, m_twoA, m_twoB, m_twoP})
        connect(p, &ParamSlider::valueChanged, this, &BulkEditor::edited);
    // Keep a <= b for the uniform bulk by pushing the other end.
    connect(m_uniformA, &ParamSlider::valueChanged, this, [this](double a) {
        if (a > m_uniformB->value())
            m_uniformB->setValue(a);
        emit edited();
    });
    connect(m_uniformB, &ParamSlider::valueChanged, this, [this](double b) {
        if (b < m_uniformA->value())
            m_uniformA->setValue(b);
        emit edited();
    });
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this] {
        updatePages();
        emit edited();
    });
    connect(m_list, &QLineEdit::textChanged, this, &BulkEditor::edited);
    updatePages();
}

void BulkEditor::updatePages()
{
    m_pages->setCurrentIndex(m_kind->currentIndex());
    m_pages->setVisible(m_kind->currentIndex() != 0);
}

std::optional<core::BulkFamily> BulkEditor::family()
{
    showError({});
    const QString kind = m_kind->currentData().toString();
    try {
        if (kind == "zero")
            return core::BulkFamily{};
        if (kind == "uniform")
            return core::BulkFamily{core::BulkKind::Uniform,
                                    {m_uniformA->value(), m_uniformB->value()}};
        if (kind == "semicircle")
            return core::BulkFamily{core::BulkKind::Semicircle, {m_semiRho->value()}};
        if (kind == "twopoint")
            return core::BulkFamily{core::BulkKind::TwoPoint,
                                    {m_twoA->value(), m_twoB->value(), m_twoP->value()}};
        return core::parseBulk(listText(m_list->text(), "bulk"));
    } catch (const core::InputError& e) {
        showError(QString::fromStdString(e.what()));
        return std::nullopt;
    }
}

void BulkEditor::setFamily(const core::BulkFamily& b)
{
    const auto& bp = b.params;
    auto at = [&bp](std::size_t i, double d) { return i < bp.size() ? bp[i] : d; };
    switch (b.kind) {
    case core::BulkKind::Zero:
        m_kind->setCurrentIndex(0);
        break;
    case core::BulkKind::Uniform:
        m_kind->setCurrentIndex(1);
        loadValue(m_uniformA, at(0, -1.0));
        loadValue(m_uniformB, at(1, 1.0));
        break;
    case core::BulkKind::Semicircle:
        m_kind->setCurrentIndex(2);
        loadValue(m_semiRho, at(0, 1.0));
        break;
    case core::BulkKind::TwoPoint:
        m_kind->setCurrentIndex(3);
        loadValue(m_twoA, at(0, -1.0));
        loadValue(m_twoB, at(1, 1.0));
        loadValue(m_twoP, at(2, 0.5));
        break;
    case core::BulkKind::List:
        m_kind->setCurrentIndex(4);
        m_list->setText(joinedValues(bp));
        break;
    }
    updatePages();
}

void BulkEditor::showError(const QString& message)
{
    ui::showError(m_error, message);
}

} // namespace ws::ui
