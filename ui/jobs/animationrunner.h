#pragma once
// Computes an animation's frames (core/animation/animation.h) ahead of playback on a JobRunner
// (jobrunner.h, Serial: a new animation waits for a cancelled one's worker to return). The plan
// (grid, models, theory, fixed axes) is made on the worker too, then every frame in order; each
// frame is posted to the GUI thread when it is complete (all its samples), so a player shows
// only complete frames and can start while later ones are still computed. The frames are
// exactly core::runAnimation's for the same spec (the same seed at every frame: common random
// numbers), bit for bit.
//
// Signals, all on the GUI thread: started(), planned() (plan() is set), frameReady(i) for
// i = 0, 1, ... in order, progress() a few times a second, then exactly one of finished(false)
// (every frame), finished(true) (cancelled: final at once, the frames done so far are kept) or
// failed() (an invalid spec or beyond the memory budget; the message names the parameter).

#include "ui/jobs/jobrunner.h"

#include "core/animation/animation.h"

#include <QObject>

#include <memory>
#include <vector>

namespace ws::ui {

class AnimationRunner : public QObject
{
    Q_OBJECT
public:
    explicit AnimationRunner(QObject* parent = nullptr);
    ~AnimationRunner() override; // cancels and waits for the worker

    // Supersedes the current animation (its frames are dropped) and starts this one.
    void start(const core::AnimationSpec& spec);
    void cancel(); // final at once: finished(true) before it returns
    bool isRunning() const { return m_jobs.isRunning(); }

    // The plan of the current animation (null before planned()); shared with the renderer and
    // the exporter, which may outlive a restart.
    std::shared_ptr<const core::AnimationPlan> plan() const { return m_plan; }
    // Complete frames in order. Room for every frame is reserved at planned(): a reference to a
    // frame stays valid until the next start().
    const std::vector<core::AnimationFrame>& frames() const { return m_frames; }
    // Frames of the plan (0 before planned()), complete frames so far.
    int frameCount() const;
    int readyCount() const { return static_cast<int>(m_frames.size()); }
    bool complete() const { return m_plan && readyCount() == frameCount() && frameCount() > 0; }
    double fraction() const { return m_fraction; }
    double seconds() const { return m_seconds; } // of the last finished precomputation
    // The runner underneath (busy workers, workersIdle()).
    const JobRunner* jobs() const { return &m_jobs; }

signals:
    void started();
    void planned();
    void frameReady(int index);
    void progress(double fraction, int framesDone, int frames);
    void finished(bool cancelled);
    void failed(const QString& message, const QString& param);

private:
    std::shared_ptr<const core::AnimationPlan> m_plan;
    std::vector<core::AnimationFrame> m_frames;
    double m_fraction = 0.0;
    double m_seconds = 0.0;
    JobRunner m_jobs{JobRunner::Policy::Serial}; // last: its worker goes before the state above
};

} // namespace ws::ui
