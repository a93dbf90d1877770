#pragma once
// Shows one animation frame, drawn by ui/render's FrameRenderer at the widget's size: the same
// picture (fixed axes, theory, markers, caption) the exported GIF/MP4 frames have, so what the
// panel plays is what Export animation writes. Painting a frame takes a few milliseconds (no
// plot items to rebuild), which keeps playback at the chosen rate.

#include "core/animation/animation.h"

#include <QWidget>

#include <memory>

namespace ws::render {
class FrameRenderer;
}

namespace ws::ui {

class FrameWidget : public QWidget
{
    Q_OBJECT
public:
    explicit FrameWidget(QWidget* parent = nullptr);
    ~FrameWidget() override;

    // The animation whose frames follow (null: none; the placeholder text is shown).
    void setPlan(std::shared_ptr<const core::AnimationPlan> plan);
    // The frame to show (a copy is not made: `frame` must stay valid until the next call or
    // clearFrame()); repaints.
    void setFrame(const core::AnimationFrame* frame);
    void clearFrame() { setFrame(nullptr); }
    void setPlaceholder(const QString& text);
    // Frames in the dark palette (ui::framePalette) to match a dark theme.
    void setDark(bool dark);
    // The smallest text of the frame (tick labels, legend) in points: the app's plot font, so
    // that presentation mode's larger fonts reach the preview too (its frame is drawn to the
    // widget's height, which presentation mode makes smaller).
    void setTextPoints(double points);
    double textPoints() const { return m_textPoints; }
    bool isDark() const { return m_dark; }
    const core::AnimationFrame* frame() const { return m_frame; }
    int paints() const { return m_paints; } // frames painted so far (playback measurements)

signals:
    void painted(int index); // a frame was painted (its index)

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void makeRenderer();

    std::shared_ptr<const core::AnimationPlan> m_plan;
    std::unique_ptr<render::FrameRenderer> m_renderer; // reads *m_plan
    const core::AnimationFrame* m_frame = nullptr;
    QString m_placeholder;
    bool m_dark = false;
    double m_textPoints = 0.0;
    int m_paints = 0;
};

} // namespace ws::ui
