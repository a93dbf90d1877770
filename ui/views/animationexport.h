#pragma once
// Export animation…: draws the complete frames of an animation with ui/render's FrameRenderer at
// a chosen size (independent of the window) and writes them as an animated GIF, an MP4 (H.264)
// or numbered PNG frames, on a JobRunner (jobrunner.h) so the window stays live. The encoders
// write under a temporary name and rename at the end (ui/render/atomicoutput.h): a cancel or an
// error leaves no file behind (the temporary goes when the worker returns: workersIdle()).
//
// Signals on the GUI thread: started(), progress(written, frames), then exactly one of
// finished(path), cancelled() or failed(message).

#include "ui/jobs/jobrunner.h"

#include "core/animation/animation.h"
#include "ui/render/frameencoder.h"

#include <QObject>
#include <QSize>
#include <QString>

#include <memory>
#include <vector>

namespace ws::ui {

// The frame sizes offered for slides.
struct FrameSizePreset
{
    QString name; // "1280 × 720 (16:9)"
    QSize size;
};
const std::vector<FrameSizePreset>& frameSizePresets(); // 1280x720, 1920x1080, 1024x768 (4:3)

class AnimationExporter : public QObject
{
    Q_OBJECT
public:
    struct Target
    {
        QString path; // NAME.gif, NAME.mp4 or a directory (PNG frames)
        render::OutputFormat format = render::OutputFormat::Gif;
        QSize size{1280, 720};
        double fps = 10.0;
        // The dark palette (ui::framePalette): what the app's dark preview shows.
        bool dark = false;
    };

    explicit AnimationExporter(QObject* parent = nullptr);
    ~AnimationExporter() override; // cancels and waits: the temporary is removed

    // Checks the target on the calling thread (a message, and nothing started, if it cannot be
    // written: an unwritable directory, an odd MP4 size, a GIF above 50 fps), then writes.
    // Returns the message, empty when started. `frames` are complete frames of `plan`.
    QString start(std::shared_ptr<const core::AnimationPlan> plan,
                  std::vector<core::AnimationFrame> frames, const Target& target);
    void cancel(); // final at once: cancelled() before it returns
    bool isRunning() const { return m_jobs.isRunning(); }
    const JobRunner* jobs() const { return &m_jobs; }

signals:
    void started();
    void progress(int written, int frames);
    void finished(const QString& path);
    void cancelled();
    void failed(const QString& message);

private:
    QString m_path;
    JobRunner m_jobs{JobRunner::Policy::Serial}; // last: its worker goes before the state above
};

} // namespace ws::ui
