#include "ui/widgets/seededit.h"

#include <QRegularExpression>
#include <QRegularExpressionValidator>

namespace ws::ui {

QLineEdit* makeSeedEdit(QWidget* parent)
{
    auto* edit = new QLineEdit(parent);
    edit->setValidator(new QRegularExpressionValidator(QRegularExpression("[0-9]{1,19}"), edit));
    return edit;
}

std::optional<std::uint64_t> seedOf(const QLineEdit* edit)
{
    bool ok = false;
    const std::uint64_t seed = edit->text().toULongLong(&ok);
    if (!ok)
        return std::nullopt;
    return seed;
}

} // namespace ws::ui
