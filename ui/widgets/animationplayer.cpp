#include "ui/widgets/animationplayer.h"

#include <algorithm>
#include <cmath>

namespace ws::ui {

AnimationPlayer::AnimationPlayer(QObject* parent) : QObject(parent)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    setFps(m_fps);
    connect(&m_timer, &QTimer::timeout, this, &AnimationPlayer::tick);
}

void AnimationPlayer::reset(int frames)
{
    m_frames = std::max(frames, 0);
    m_ready = 0;
    m_current = -1;
    setWaiting(isPlaying());
}

void AnimationPlayer::setReady(int ready)
{
    m_ready = std::clamp(ready, 0, m_frames);
    if (m_current < 0 && m_ready > 0)
        show(0);
}

void AnimationPlayer::setFps(double fps)
{
    m_fps = std::clamp(std::isfinite(fps) ? fps : 10.0, 0.5, 60.0);
    m_timer.setInterval(static_cast<int>(std::lround(1000.0 / m_fps)));
}

void AnimationPlayer::play()
{
    if (m_timer.isActive())
        return;
    // Played to the end without looping: from the start again.
    if (!m_loop && m_current >= 0 && m_current == m_frames - 1)
        show(0);
    m_timer.start();
    emit playingChanged(true);
}

void AnimationPlayer::pause()
{
    setWaiting(false);
    if (!m_timer.isActive())
        return;
    m_timer.stop();
    emit playingChanged(false);
}

void AnimationPlayer::stepForward()
{
    pause();
    if (m_ready == 0)
        return;
    const int next = m_current + 1;
    if (next < m_ready)
        show(next);
    else if (m_loop && m_ready == m_frames)
        show(0);
}

void AnimationPlayer::stepBack()
{
    pause();
    if (m_ready == 0)
        return;
    if (m_current > 0)
        show(m_current - 1);
    else if (m_loop && m_ready == m_frames)
        show(m_frames - 1);
}

void AnimationPlayer::seek(int index)
{
    if (index >= 0 && index < m_ready && index != m_current)
        show(index);
}

void AnimationPlayer::tick()
{
    if (m_ready == 0) {
        setWaiting(true);
        return;
    }
    const int next = m_current + 1;
    if (next < m_ready) {
        setWaiting(false);
        show(next);
    } else if (next < m_frames) {
        setWaiting(true); // computed ahead, but not this far yet
    } else if (m_loop) {
        setWaiting(false);
        show(0);
    } else {
        pause();
    }
}

void AnimationPlayer::show(int index)
{
    m_current = index;
    emit frameShown(index);
}

void AnimationPlayer::setWaiting(bool on)
{
    if (m_waiting == on)
        return;
    m_waiting = on;
    emit waitingChanged(on);
}

} // namespace ws::ui
