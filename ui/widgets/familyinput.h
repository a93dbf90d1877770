#pragma once
// What the model controls and the family editors (bulkeditor.h, spikeeditor.h) share: a typed
// list read as the CLI reads it, a loaded value set as it is, a page of a family's controls, a
// combo box of keyed choices, a family read from and shown in an editor's controls.

#include <QString>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
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
// Shows the choice keyed `key` (a family's name: core::familyName), whatever its place in the box.
void selectKey(QComboBox* box, std::string_view key);

// A family editor's controls (Kind: core::SpikeKind or core::BulkKind): the kind box keyed by the
// families' names, each family's sliders in the order of its parameters (none for a family
// without parameters or a list), the list's line edit, the red label for what is wrong.
template <class Kind> struct FamilyControls
{
    QComboBox* kind = nullptr;
    std::vector<std::pair<Kind, std::vector<ParamSlider*>>> sliders;
    QLineEdit* list = nullptr;
    QLabel* error = nullptr;
};

// The family the controls show (a list, or no family chosen: the list's line edit read by `parse`,
// the core's parser, as the CLI reads it), or none with the reason in the error label; `what`
// names the list in an error.
template <class Family, class Kind>
std::optional<Family> readFamily(const FamilyControls<Kind>& c, Family (*parse)(std::string_view),
                                 const char* what);
// Shows a family: its entry in the kind box, its values in its sliders (loadValue; a slider past
// the last value keeps its own) or in the list's line edit.
template <class Family, class Kind> void showFamily(const FamilyControls<Kind>& c, const Family& f);

} // namespace ws::ui
