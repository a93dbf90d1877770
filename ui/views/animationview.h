#pragma once
// The Animation tab: one parameter of the controls' model (theta, alpha, N, sigma or a value of
// the spike or bulk family) moves over a range in K frames of S samples each. The frames are
// computed ahead of playback on the job runner (AnimationRunner: core/animation, the same seed
// at every frame, axes fixed before the first frame); a progress bar shows how far; a frame is
// shown only when it is complete (AnimationPlayer), drawn by ui/render's FrameRenderer -- the
// same picture Export animation… writes as a GIF, an MP4 or PNG frames at a preset size
// (AnimationExporter). Playback: play/pause, step, loop, speed, a frame slider. The settings
// are saved in the session's "view" object under "animate":
// {"param": "theta"|"alpha"|"n"|"sigma"|"spikes"|"bulk", "value": K (family, 1-based),
//  "from", "to", "frames", "samples", "fps", "loop"}
// (sessions of the old Animate bar, {"param", "from", "to", "seconds"}, load too).

#include "ui/views/animationexport.h"
#include "ui/views/sweepview.h"

#include "core/animation/animation.h"

#include <QJsonObject>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;
class QToolButton;

namespace ws::ui {

class ProgressStrip;

class AnimationPlayer;
class AnimationRunner;
class FrameWidget;

class AnimationView : public QWidget
{
    Q_OBJECT
public:
    explicit AnimationView(SweepView::SessionProvider provider, QWidget* parent = nullptr);
    ~AnimationView() override;

    // The animation the settings describe over the controls' model (InputError if invalid).
    core::AnimationSpec spec() const;
    // Starts computing the frames (false, with the reason in the status line, if invalid).
    bool compute();
    void cancel();
    // Space: computes first if there is nothing to play, then plays / pauses.
    void togglePlay();
    // The frames follow the theme (light or dark palette), in the panel and in exports.
    void setPlotStyle(const Style& s);
    // Writes the complete frames (false with `error` if it cannot start; the outcome is a
    // signal of exporter()).
    bool exportAnimation(const AnimationExporter::Target& target, QString* error = nullptr);

    void setParameter(const QString& key, int familyValue = 1); // "theta", "alpha", "n", ...
    void setRange(double from, double to);
    void setFrames(int frames);
    void setSamples(int samples);
    void setFps(double fps);
    void setLoop(bool on);
    // The controls' model changed: frames of another model are marked as such.
    void controlsChanged();

    QJsonObject toJson() const;
    void fromJson(const QJsonObject& o);

    AnimationRunner* runner() const { return m_runner; }
    AnimationPlayer* player() const { return m_player; }
    AnimationExporter* exporter() const { return m_exporter; }
    FrameWidget* frameWidget() const { return m_frame; }
    QString statusText() const;

signals:
    void settingsChanged();

private:
    void buildControls();
    void buildLayout();
    void connectParts();
    void applyDefaultRange();
    void showFrame(int index);
    void updateStatus();
    void updateButtons();
    void exportDialog();

    SweepView::SessionProvider m_provider;
    QComboBox* m_param = nullptr;
    QSpinBox* m_value = nullptr; // which family value (1-based)
    QLabel* m_valueLabel = nullptr;
    QDoubleSpinBox* m_from = nullptr;
    QDoubleSpinBox* m_to = nullptr;
    QSpinBox* m_frames = nullptr;
    QSpinBox* m_samples = nullptr;
    QPushButton* m_compute = nullptr;
    ProgressStrip* m_progress = nullptr;
    QToolButton* m_play = nullptr;
    QToolButton* m_back = nullptr;
    QToolButton* m_forward = nullptr;
    QCheckBox* m_loop = nullptr;
    QDoubleSpinBox* m_fps = nullptr;
    QSlider* m_slider = nullptr;
    QPushButton* m_export = nullptr;
    QPushButton* m_cancelExport = nullptr;
    QLabel* m_status = nullptr;
    FrameWidget* m_frame = nullptr;
    QString m_error;        // why the last start was refused or failed
    QString m_exportStatus; // the last export's progress or outcome
    bool m_stale = false;   // the controls' model differs from the computed one
    AnimationPlayer* m_player = nullptr;
    AnimationRunner* m_runner = nullptr;
    AnimationExporter* m_exporter = nullptr;
};

} // namespace ws::ui
