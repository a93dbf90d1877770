#pragma once
// Picks one tensor of a .safetensors file: every tensor is listed with its name, dtype, shape
// and size; those the view cannot analyse (not 2-D, an unsupported dtype, an empty dimension)
// are greyed out, with the reason as their tooltip.

#include "core/weights/weights_io.h"

#include <QDialog>

#include <vector>

class QDialogButtonBox;
class QTreeWidget;

namespace ws::ui {

class TensorDialog : public QDialog
{
    Q_OBJECT
public:
    TensorDialog(const QString& file, const std::vector<core::TensorInfo>& tensors,
                 QWidget* parent = nullptr);

    QString selectedTensor() const;         // "" if none
    bool selectTensor(const QString& name); // false if absent or not selectable
    QTreeWidget* list() const { return m_list; }

    // Why a tensor cannot be analysed ("" if it can).
    static QString reason(const core::TensorInfo& t);

private:
    QTreeWidget* m_list;
    QDialogButtonBox* m_buttons;
};

} // namespace ws::ui
