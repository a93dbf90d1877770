#include "ui/widgets/familyinput.h"

#include "ui/widgets/paramslider.h"

#include "core/model/families.h"
#include "core/model/model.h"

#include <QComboBox>
#include <QDoubleSpinBox>
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

} // namespace ws::ui
