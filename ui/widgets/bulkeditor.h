#pragma once
// The bulk of S (the N − r non-spike eigenvalues): the family (zero, uniform on [a, b],
// semicircle of radius ρ, two-point, an explicit list), the controls of the family chosen, and a
// red label under them for what is wrong with it. A group box, so that the label sits in the
// group it concerns.

#include "ui/widgets/familyinput.h"

#include "core/model/model.h"

#include <QGroupBox>

#include <optional>

class QLabel;
class QStackedWidget;

namespace ws::ui {

class BulkEditor : public QGroupBox
{
    Q_OBJECT
public:
    explicit BulkEditor(QWidget* parent = nullptr);

    // The family shown, or none with the reason under the controls (a malformed list).
    std::optional<core::BulkFamily> family();
    void setFamily(const core::BulkFamily& b); // emits edited() only if a control changes
    void showError(const QString& message);    // empty clears
    // r = N: S is all spikes, the family chosen here describes no eigenvalue; a grey note says
    // so under the controls (they stay editable: lowering alpha or r brings the bulk back).
    void setNoBulk(bool noBulk);
    bool noBulkShown() const;

    QComboBox* kindBox() const { return m_family.kind; }

signals:
    void edited(); // any control changed

private:
    void updatePages();

    FamilyControls<core::BulkKind> m_family;
    QStackedWidget* m_pages = nullptr;
    QLabel* m_noBulk = nullptr;
};

} // namespace ws::ui
