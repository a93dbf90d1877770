#include "ui/widgets/errorlabel.h"

#include <QLabel>

namespace ws::ui {

QLabel* makeErrorLabel(QWidget* parent)
{
    auto* l = new QLabel(parent);
    l->setObjectName("errorLabel");
    l->setWordWrap(true);
    l->setStyleSheet(kErrorStyle);
    l->setVisible(false);
    return l;
}

void showError(QLabel* label, const QString& text)
{
    label->setText(text);
    label->setVisible(!text.isEmpty());
}

void showStatus(QLabel* label, const QString& text, bool error)
{
    label->setText(text);
    label->setStyleSheet(error ? kErrorStyle : QString());
}

} // namespace ws::ui
