#pragma once
// How the GUI shows an input or file error: in red bold next to what it concerns (the control of
// the parameter named in the error, a file's status line), hidden while there is none.

#include <QString>

class QLabel;
class QWidget;

namespace ws::ui {

// The error style sheet, for a label that shows errors and other messages.
inline constexpr const char* kErrorStyle = "color: #d62728; font-weight: bold;";

// A hidden, word-wrapped error label (object name "errorLabel": the tests find it so).
QLabel* makeErrorLabel(QWidget* parent = nullptr);
// The text under the control; an empty text hides the label.
void showError(QLabel* label, const QString& text);
// A status line's text, in the error style if `error`.
void showStatus(QLabel* label, const QString& text, bool error);

} // namespace ws::ui
