#include "ui/views/animationexport.h"

#include "ui/render/atomicoutput.h"
#include "ui/render/framerenderer.h"
#include "ui/render/framestyle.h"
#include "ui/widgets/theme.h"

namespace ws::ui {

const std::vector<FrameSizePreset>& frameSizePresets()
{
    static const std::vector<FrameSizePreset> presets = {
        {QObject::tr("1280 × 720 (16:9, 720p)"), {1280, 720}},
        {QObject::tr("1920 × 1080 (16:9, 1080p)"), {1920, 1080}},
        {QObject::tr("1024 × 768 (4:3)"), {1024, 768}},
    };
    return presets;
}

AnimationExporter::AnimationExporter(QObject* parent) : QObject(parent)
{
    connect(&m_jobs, &JobRunner::started, this, &AnimationExporter::started);
    connect(&m_jobs, &JobRunner::progress, this,
            [this](quint64, double, int done, int total) { emit progress(done, total); });
    connect(&m_jobs, &JobRunner::finished, this, [this] { emit finished(m_path); });
    connect(&m_jobs, &JobRunner::cancelled, this, &AnimationExporter::cancelled);
    connect(&m_jobs, &JobRunner::failed, this,
            [this](quint64, const JobError& e) { emit failed(e.message); });
}

AnimationExporter::~AnimationExporter() = default;

void AnimationExporter::cancel()
{
    m_jobs.cancel();
}

QString AnimationExporter::start(std::shared_ptr<const core::AnimationPlan> plan,
                                 std::vector<core::AnimationFrame> frames, const Target& target)
{
    if (!plan || frames.empty())
        return tr("No complete frame to export yet.");
    if (target.format == render::OutputFormat::Mp4 &&
        (target.size.width() % 2 || target.size.height() % 2))
        return tr("An MP4 needs an even width and height.");
    if (target.format == render::OutputFormat::Gif && target.fps > 50.0)
        return tr("A GIF plays at most 50 frames per second.");
    const auto kind = target.format == render::OutputFormat::PngFrames
                          ? render::AtomicOutput::Kind::Directory
                          : render::AtomicOutput::Kind::File;
    try {
        render::AtomicOutput::checkTarget(target.path.toStdString(), kind);
    } catch (const render::EncodeError& e) {
        return QString::fromStdString(e.what());
    }
    m_path = target.path;
    m_jobs.start([plan, frames = std::move(frames), target](const JobContext& ctx) {
        render::EncoderOptions eo;
        eo.size = target.size;
        eo.fps = target.fps;
        const render::style::Palette palette = framePalette(target.dark);
        eo.inks = palette.inks();
        eo.background = palette.background;
        const render::FrameRenderer renderer(*plan, palette);
        // Destroyed without finish() (cancel, error): the temporary goes with it.
        std::unique_ptr<render::FrameEncoder> encoder =
            render::openEncoder(target.format, target.path.toStdString(), eo);
        const int total = static_cast<int>(frames.size());
        ctx.progress(0.0, 0, total);
        for (int i = 0; i < total; ++i) {
            if (ctx.cancelled())
                return;
            encoder->add(renderer.render(frames[static_cast<std::size_t>(i)], target.size));
            ctx.progress(static_cast<double>(i + 1) / (total + 1), i + 1, total);
        }
        if (!encoder->finish(ctx.cancelFlag()))
            return;
        ctx.progress(1.0, total, total);
    });
    return {};
}

} // namespace ws::ui
