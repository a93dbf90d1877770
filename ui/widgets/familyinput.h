#pragma once
// What the model controls and the family editors (bulkeditor.h) share: a typed list read as the
// CLI reads it, a loaded value set as it is, a page of a family's controls, a combo box of keyed
// choices.

#include <QString>

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

class QComboBox;
class QWidget;

namespace ws::ui {

class ParamSlider;

// The values as a list line edit shows them ("4, 2.5, -1.6").
QString joinedValues(const std::vector<double>& v);
// "4, 2.5 -1" or "list:4,2.5,-1" -> "list:4,2.5,-1" for the core parsers. Commas (or
// semicolons) separate items, so an empty one ("1,,2", a trailing comma) stays empty and is
// refused as in the CLI; spaces alone also separate. `what` names the parameter in the error
// for an empty list (core::InputError).
std::string listText(const QString& text, const char* what);
// Sets a loaded value as it is: a session file may carry values beyond the range or the
// precision the spin box was built with (the CLI reads them as they are, so the app must too),
// so the box grows to hold it. At most 12 decimals (a relative change below 1e-12 is not a
// different model).
void loadValue(ParamSlider* p, double v);
// A page of a stacked widget: the widgets one under the other, top-aligned.
QWidget* stackPage(std::initializer_list<QWidget*> widgets);
// A combo box of choices: each a label and the key it stands for (its item data).
QComboBox* choiceBox(std::initializer_list<std::pair<QString, QString>> choices,
                     const QString& toolTip, QWidget* parent);

} // namespace ws::ui
