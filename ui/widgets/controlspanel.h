#pragma once
// The parameter controls: N, sigma, the noise family, the eigenvectors of S, the rank rule and
// the signal-spectrum family (spikeeditor.h), the bulk family of S (bulkeditor.h), samples and
// seed. Controls constrain what they can (ranges, a <= b); what they cannot (a
// malformed list) is explained in a red label under the control, and no change is emitted
// until the parameters are valid again, so the plots keep the last good result.

#include "core/io/session.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace ws::ui {

class BulkEditor;
class ParamSlider;
class SpikeEditor;

class ControlsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ControlsPanel(QWidget* parent = nullptr);

    void setSession(const core::Session& s); // updates every control; emits nothing
    // The current parameters if valid, else none (the controls then show why). Read once per
    // edit, when the controls change (refresh), not here: a plain getter.
    std::optional<core::Session> session() const { return m_session; }

    // For tests and the main window.
    ParamSlider* nControl() const { return m_n; }
    // Why N was clamped (hidden unless a change lowered the largest allowed N below it).
    QLabel* nLimitLabel() const { return m_nNote; }
    int maxN() const { return m_nMax; }
    ParamSlider* alphaControl() const;
    ParamSlider* sigmaControl() const { return m_sigma; }
    ParamSlider* thetaControl() const;
    // The slider a presenter drives from the keyboard: the top spike of the spike family shown
    // (equal t, linear top, power t), or sigma for a list of spikes.
    ParamSlider* mainSlider() const;
    QComboBox* spikeKindBox() const;
    QComboBox* bulkKindBox() const;
    QComboBox* noiseKindBox() const { return m_noiseKind; }
    QLineEdit* spikeListEdit() const;
    QLabel* spikeErrorLabel() const;
    QSpinBox* samplesBox() const { return m_samples; }
    QLineEdit* seedEdit() const { return m_seed; }
    QPushButton* newSeedButton() const { return m_newSeed; }

signals:
    void changed(); // the parameters changed and are valid

private:
    QGroupBox* buildMatrixGroup();
    QGroupBox* buildSamplingGroup();
    void connectSignals();
    void onEdited();
    // Reads the controls into m_session (none if invalid), with what that entails on the
    // controls: errors shown next to them, N clamped to the sampler's limit (applyNLimit), the
    // rank's maximum and label. Once per edit (onEdited) and per setSession.
    void refresh();
    void updateNoiseControls();             // the parameter of the noise family shown
    std::optional<core::Model> readModel(); // shows parse errors
    // Fits the N control's range to what the sampler for `m` allows (samplerplan.h); clamps
    // m.n and the control if needed and says why next to the control.
    void applyNLimit(core::Model& m);
    void clearErrors();

    bool m_loading = false;
    std::optional<core::Session> m_session; // the controls' parameters at the last refresh
    // matrix
    ParamSlider* m_n = nullptr;
    QLabel* m_nNote = nullptr;
    int m_nMax = 0;
    int m_nClampedAt = 0; // N set by the last clamp (the note stays while N and the limit do)
    // A key of the N box was refused since its text was last edited: the note stays when the
    // value the box kept runs (it is not the N the user typed).
    bool m_nRefusedKey = false;
    ParamSlider* m_sigma = nullptr;
    QComboBox* m_noiseKind = nullptr;
    ParamSlider* m_noiseNu = nullptr;
    ParamSlider* m_noiseP = nullptr;
    QComboBox* m_eigvecs = nullptr;
    // spikes and rank, bulk
    SpikeEditor* m_spikes = nullptr;
    BulkEditor* m_bulk = nullptr;
    // sampling
    QSpinBox* m_samples = nullptr;
    QLineEdit* m_seed = nullptr;
    QPushButton* m_newSeed = nullptr;
    QLabel* m_error = nullptr;
};

} // namespace ws::ui
