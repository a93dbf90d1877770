#pragma once
// Playback of an animation whose frames are still being computed (AnimationRunner): a frame is
// shown only once it is complete. The player walks through the complete frames at `fps`;
// when the next frame is not ready yet it waits on the one shown (waiting() is true) and goes
// on at the next tick once it is; at the end it starts again from the first frame (loop) or
// pauses. Steps and seeks move within the complete frames. QtCore only (a QTimer).

#include <QObject>
#include <QTimer>

namespace ws::ui {

class AnimationPlayer : public QObject
{
    Q_OBJECT
public:
    explicit AnimationPlayer(QObject* parent = nullptr);

    // A new animation of `frames` frames, none complete yet: nothing shown (current() == -1).
    // Keeps playing if it was (the first frame shows as soon as it is complete).
    void reset(int frames);
    // Frames 0 ... ready - 1 are complete. The first one is shown at once.
    void setReady(int ready);

    void setFps(double fps); // clamped to [0.5, 60]
    double fps() const { return m_fps; }
    void setLoop(bool on) { m_loop = on; }
    bool loop() const { return m_loop; }

    void play();
    void pause();
    void toggle() { m_timer.isActive() ? pause() : play(); }
    bool isPlaying() const { return m_timer.isActive(); }
    // Pause and show the next / previous complete frame (wrapping when looping).
    void stepForward();
    void stepBack();
    void seek(int index); // a complete frame; others are ignored

    int frames() const { return m_frames; }
    int ready() const { return m_ready; }
    int current() const { return m_current; } // -1 when none is shown
    bool waiting() const { return m_waiting; }

signals:
    void frameShown(int index);
    void playingChanged(bool playing);
    void waitingChanged(bool waiting);

private:
    void tick();
    void show(int index);
    void setWaiting(bool on);

    QTimer m_timer;
    int m_frames = 0, m_ready = 0, m_current = -1;
    double m_fps = 10.0;
    bool m_loop = true;
    bool m_waiting = false;
};

} // namespace ws::ui
