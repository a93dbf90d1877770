#pragma once
// The signal spectrum: the rank rule (r = ceil(N^α) or a fixed r), the spike family (equal,
// linear, power decay, an explicit list), the controls of the family chosen, and a red label
// under them for what is wrong with the spikes or the rank. A group box, so that the label sits
// in the group it concerns.

#include "ui/widgets/familyinput.h"

#include "core/model/model.h"

#include <QGroupBox>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QStackedWidget;

namespace ws::ui {

class ParamSlider;

class SpikeEditor : public QGroupBox
{
    Q_OBJECT
public:
    explicit SpikeEditor(QWidget* parent = nullptr);

    // The family shown, or none with the reason under the controls (a malformed list).
    std::optional<core::SpikeFamily> family();
    core::RankRule rankRule() const;
    void setFamily(const core::SpikeFamily& f); // emits edited() only if a control changes
    void setRankRule(const core::RankRule& r);
    void setMaxRank(int n);                 // the fixed rank is at most N
    void showRank(int r);                   // the resulting number of spikes
    void setSigma(double sigma);            // the spike sliders follow σ (thetascale.h)
    void showError(const QString& message); // empty clears

    QComboBox* kindBox() const { return m_family.kind; }
    QLineEdit* listEdit() const { return m_family.list; }
    QLabel* errorLabel() const { return m_family.error; }
    ParamSlider* alphaControl() const { return m_alpha; }
    ParamSlider* thetaControl() const { return m_equalT; }
    // The top spike's slider of the family shown; none for a list.
    ParamSlider* topSlider() const;

signals:
    void edited(); // any control changed

private:
    void buildFamilyControls();
    void updateControls(); // the page of the family, the rank controls that apply

    ParamSlider* m_alpha = nullptr;
    QCheckBox* m_fixedRank = nullptr;
    QSpinBox* m_rank = nullptr;
    QLabel* m_rankInfo = nullptr;
    QStackedWidget* m_pages = nullptr;
    ParamSlider* m_equalT = nullptr;
    ParamSlider* m_linearTop = nullptr;
    ParamSlider* m_linearLow = nullptr;
    ParamSlider* m_powerT = nullptr;
    ParamSlider* m_powerG = nullptr;
    FamilyControls<core::SpikeKind> m_family;
};

} // namespace ws::ui
