#pragma once
// The seed field of the controls (main panel and Rectangular tab): digits only, up to 19 of
// them as typed (a session may set any seed up to 2^64 - 1, as the CLI's --seed). Empty is
// possible while editing; seedOf() then has no seed and the panels say why.

#include <QLineEdit>

#include <cstdint>
#include <optional>

namespace ws::ui {

QLineEdit* makeSeedEdit(QWidget* parent = nullptr);

// The seed in the field, or none if it is empty or beyond 2^64 - 1.
std::optional<std::uint64_t> seedOf(const QLineEdit* edit);

} // namespace ws::ui
