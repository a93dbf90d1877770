#pragma once
// The help page of the model (both predictions, formulas; resources/help/help.html, in a
// HelpDialog) and the About box.

#include <QString>

class QWidget;

namespace ws::ui {

void showHelp(QWidget* parent);
void showAbout(QWidget* parent);
QString aboutText(); // the About box's text: app and library versions

} // namespace ws::ui
