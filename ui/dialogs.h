#pragma once
// The help page (model, both predictions, formulas; resources/help.html) and the About box.

class QWidget;

namespace ws::ui {

void showHelp(QWidget* parent);
void showAbout(QWidget* parent);

} // namespace ws::ui
