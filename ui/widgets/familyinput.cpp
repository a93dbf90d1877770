#include "ui/widgets/familyinput.h"

#include "ui/widgets/errorlabel.h"
#include "ui/widgets/paramslider.h"

#include "core/model/families.h"
#include "core/model/model.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QStringList>
#include <QVBoxLayout>

#include <algorithm>

namespace ws::ui {

QString joinedValues(const std::vector<double>& v)
{
    QStringList parts;
    for (double x : v)
        parts << QString::fromStdString(core::formatDouble(x));
    return parts.join(", ");
}

std::string listText(const QString& text, const char* what)
{
    QString t = text.trimmed();
    if (t.startsWith("list:"))
        t = t.mid(5);
    if (t.trimmed().isEmpty())
        throw core::InputError(what, "the list is empty; enter at least one value");
    // Control and format characters (NUL, ESC, a right-to-left override) would cut or garble
    // the message that quotes the text: U+FFFD instead.
    std::u32string chars = t.toStdU32String();
    for (char32_t& c : chars)
        if (!QChar::isPrint(c) && !QChar::isSpace(c))
            c = QChar::ReplacementCharacter;
    t = QString::fromStdU32String(chars);
    QStringList items;
    for (const QString& item : t.split(QRegularExpression("[,;]"))) {
        const QStringList words = item.split(QRegularExpression("\\s+"), Qt::SkipEmptyParts);
        if (words.isEmpty())
            items << QString();
        else
            items << words;
    }
    return ("list:" + items.join(",")).toStdString();
}

void loadValue(ParamSlider* p, double v)
{
    QDoubleSpinBox* box = p->spinBox();
    int decimals = box->decimals();
    while (decimals < 12 && QString::number(v, 'f', decimals).toDouble() != v)
        ++decimals;
    box->setDecimals(decimals);
    box->setRange(std::min(box->minimum(), v), std::max(box->maximum(), v));
    p->setValue(v);
}

QWidget* stackPage(std::initializer_list<QWidget*> widgets)
{
    auto* w = new QWidget;
    auto* l = new QVBoxLayout(w);
    l->setContentsMargins(0, 0, 0, 0);
    for (QWidget* x : widgets)
        l->addWidget(x);
    l->addStretch(1);
    return w;
}

QComboBox* choiceBox(std::initializer_list<std::pair<QString, QString>> choices,
                     const QString& toolTip, QWidget* parent)
{
    auto* box = new QComboBox(parent);
    for (const auto& [label, key] : choices)
        box->addItem(label, key);
    box->setToolTip(toolTip);
    return box;
}

void selectKey(QComboBox* box, std::string_view key)
{
    box->setCurrentIndex(
        box->findData(QString::fromUtf8(key.data(), static_cast<qsizetype>(key.size()))));
}

template <class Family, class Kind>
std::optional<Family> readFamily(const FamilyControls<Kind>& c, Family (*parse)(std::string_view),
                                 const char* what)
{
    showError(c.error, {});
    const std::string key = c.kind->currentData().toString().toStdString();
    try {
        for (const auto& [kind, sliders] : c.sliders)
            if (kind != Kind::List && core::familyName(kind) == key) {
                std::vector<double> values;
                for (const ParamSlider* p : sliders)
                    values.push_back(p->value());
                return Family{kind, values};
            }
        return parse(listText(c.list->text(), what));
    } catch (const core::InputError& e) {
        showError(c.error, QString::fromStdString(e.what()));
        return std::nullopt;
    }
}

template <class Family, class Kind> void showFamily(const FamilyControls<Kind>& c, const Family& f)
{
    selectKey(c.kind, core::familyName(f.kind));
    if (f.kind == Kind::List)
        c.list->setText(joinedValues(f.params));
    for (const auto& [kind, sliders] : c.sliders)
        for (std::size_t i = 0; kind == f.kind && i < sliders.size() && i < f.params.size(); ++i)
            loadValue(sliders[i], f.params[i]);
}

template std::optional<core::SpikeFamily> readFamily(const FamilyControls<core::SpikeKind>&,
                                                     core::SpikeFamily (*)(std::string_view),
                                                     const char*);
template std::optional<core::BulkFamily> readFamily(const FamilyControls<core::BulkKind>&,
                                                    core::BulkFamily (*)(std::string_view),
                                                    const char*);
template void showFamily(const FamilyControls<core::SpikeKind>&, const core::SpikeFamily&);
template void showFamily(const FamilyControls<core::BulkKind>&, const core::BulkFamily&);

} // namespace ws::ui
