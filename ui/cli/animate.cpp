// wignerscope-cli animate (see animate.h).
#include "ui/cli/animate.h"

#include "ui/cli/args.h"
#include "ui/cli/distributed.h"
#include "ui/cli/format.h"
#include "ui/cli/output.h"
#include "ui/cli/printable.h"
#include "ui/cli/progress.h"

#include "core/animation/describe.h"
#include "core/model/families.h"
#include "ui/render/atomicoutput.h"
#include "ui/render/framerenderer.h"
#include "ui/render/framestyle.h"

#include <QGuiApplication>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <ostream>

namespace ws::cli {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t)
{
    return std::chrono::duration<double>(Clock::now() - t).count();
}

// Qt's own messages (font or platform notes) would break the one-error-line contract; the
// command reports its errors itself.
void quietQtMessages(QtMsgType, const QMessageLogContext&, const QString&) {}

// The fonts need a QGuiApplication; the offscreen platform needs no display. One that already
// exists (tests, the app) is used as it is.
class GuiForFonts
{
public:
    GuiForFonts()
    {
        if (QCoreApplication::instance())
            return;
        qInstallMessageHandler(quietQtMessages);
        m_app = std::make_unique<QGuiApplication>(m_argc, m_argv);
    }

private:
    int m_argc = 3;
    char m_name[16] = "wignerscope-cli";
    char m_option[10] = "-platform";
    char m_platform[10] = "offscreen";
    char* m_argv[4] = {m_name, m_option, m_platform, nullptr};
    std::unique_ptr<QGuiApplication> m_app;
};

std::string mebibytes(std::uintmax_t bytes)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f MB", static_cast<double>(bytes) / 1e6);
    return buf;
}

std::uintmax_t outputBytes(const std::string& path)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(path, ec))
        return fs::file_size(path, ec);
    std::uintmax_t total = 0;
    for (const auto& e : fs::directory_iterator(path, ec))
        total += e.file_size(ec);
    return total;
}

// "banded (inertia counts) for 60 frames" or "dense 30, banded 30".
std::string samplersUsed(const std::vector<core::AnimationFrame>& frames)
{
    std::map<std::string, int> count;
    for (const auto& f : frames)
        ++count[core::toString(f.sampler) +
                (f.source == core::SpectrumSource::InertiaCounts ? " (inertia counts)" : "")];
    std::string s;
    for (const auto& [name, k] : count)
        s += (s.empty() ? "" : ", ") + name + " for " + std::to_string(k) + " frame" +
             (k == 1 ? "" : "s");
    return s;
}

std::string summary(const AnimateOptions& o, const core::AnimationPlan& plan,
                    const std::vector<core::AnimationFrame>& frames, double computeSeconds,
                    double encodeSeconds)
{
    const core::AnimationSpec& s = o.spec;
    const std::size_t k = frames.size();
    std::string t;
    t += "animation " + std::to_string(k) + " frame" + (k == 1 ? "" : "s") + ", " + plan.valueName +
         " from " + num(plan.values.front()) + " to " + num(plan.values.back()) +
         (s.log ? " (log spacing)" : "") + ", " + std::to_string(s.run.samples) + " sample" +
         (s.run.samples == 1 ? "" : "s") + " per frame, seed " + std::to_string(s.run.seed) +
         " at every frame\n";
    t += "model     " + core::describeAnimation(plan) + "\n";
    t += "axes      eigenvalues [" + num(plan.axes.xLo, 4) + ", " + num(plan.axes.xHi, 4) + "], " +
         std::to_string(plan.axes.edges.size() - 1) + " bins; density [0, " +
         num(plan.axes.yMax, 3) + "]\n";
    t += "sampler   " + samplersUsed(frames) + "\n";
    char rate[96];
    std::snprintf(rate, sizeof rate, "%dx%d at %g fps (%.1f s)", o.width, o.height, o.fps,
                  static_cast<double>(k) / o.fps);
    t += "output    " + printable(o.outPath) + ": " + render::toString(o.format) + ", " +
         std::to_string(k) + " frames of " + rate + ", " + mebibytes(outputBytes(o.outPath)) + "\n";
    char timing[96];
    std::snprintf(timing, sizeof timing, "%.3g s computing the frames, %.3g s drawing and encoding",
                  computeSeconds, encodeSeconds);
    t += std::string("timing    ") + timing + "\n";
    return t;
}

} // namespace

int runAnimateCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                      const RunEnv& env)
{
    // In a cluster run every process reads the options and plans (the same inputs, the same
    // plan); the frames' samples are split, rank 0 draws and encodes (docs/cluster.md).
    AnimateOptions o = clusterStep(env, "animate", [&] { return parseAnimateArgs(args); });
    if (o.help) {
        if (isRoot(env))
            out << usage() << std::flush;
        return kExitOk;
    }
    const QSize size(o.width, o.height);
    clusterStep(env, "animate", [&] {
        if (!isRoot(env))
            return 0;
        // The output, before any work: its directory accepts the temporary, a directory of
        // frames holds nothing else.
        const auto kind = o.format == render::OutputFormat::PngFrames
                              ? render::AtomicOutput::Kind::Directory
                              : render::AtomicOutput::Kind::File;
        try {
            render::AtomicOutput::checkTarget(o.outPath, kind);
        } catch (const render::EncodeError& e) {
            throw core::InputError("--out", e.what());
        }
        return 0;
    });
    // Images in flight (the drawn frame and its converted copy) and the encoder's buffers: rank
    // 0's alone.
    if (isRoot(env))
        o.spec.extraBytes =
            3 * static_cast<std::size_t>(o.width) * static_cast<std::size_t>(o.height) * 4 +
            render::encoderPeakBytes(o.format, size);
    if (cancelled(env))
        return kExitInterrupted;
    noteThreads(o.spec.run.threads, err);
    o.spec.run.threads = clusterThreads(o.spec.run.threads, env);

    // Every frame, complete, before anything is written (Ctrl-C here ends the process at once).
    const auto computeStart = Clock::now();
    ComputingSection computing(env);
    const core::AnimationPlan plan = clusterStep(env, "animate", [&] {
        core::AnimationPlan p = core::planAnimation(o.spec, env.cancel);
        if (p.values.empty())
            throwInterrupted(); // agreed: every process stops
        return p;
    });
    if (cancelled(env))
        return kExitInterrupted;
    core::AnimationResult result;
    {
        std::atomic<int> frame{0}, done{0};
        const int frames = static_cast<int>(plan.values.size());
        const int samples = o.spec.run.samples;
        std::atomic<double> fraction{0.0};
        ProgressLine line(err, env, [&frame, &done, &fraction, frames, samples](double t) {
            char buf[160];
            const double f = fraction.load();
            const int len =
                f > 0.0 && f < 1.0
                    ? std::snprintf(buf, sizeof buf,
                                    "frames: %d/%d, %d/%d samples, %.1f s elapsed, ~%.0f s left",
                                    frame.load() + 1, frames, done.load(), samples, t,
                                    t / f * (1.0 - f))
                    : std::snprintf(buf, sizeof buf, "frames: %d/%d, %d/%d samples, %.1f s elapsed",
                                    frame.load() + 1, frames, done.load(), samples, t);
            return std::string(buf, static_cast<std::size_t>(std::clamp(len, 0, 159)));
        });
        std::optional<core::AnimationResult> got =
            clusterRunAnimation(plan, env, [&](const core::AnimationProgress& p) {
                frame.store(p.frame);
                done.store(p.samplesDone);
                fraction.store(p.fraction);
            });
        if (!got)
            return kExitOk; // this process's share is delivered; rank 0 draws and encodes
        result = std::move(*got);
    }
    if (result.cancelled || cancelled(env))
        return kExitInterrupted;
    computing.end();
    const double computeSeconds = secondsSince(computeStart);

    // Draw and encode; Ctrl-C is checked at every frame and removes the temporary output.
    const auto encodeStart = Clock::now();
    GuiForFonts gui;
    const render::style::Palette palette = render::style::Palette::light();
    const render::FrameRenderer renderer(plan, palette);
    render::EncoderOptions eo;
    eo.size = size;
    eo.fps = o.fps;
    eo.inks = palette.inks();
    eo.background = palette.background;
    std::unique_ptr<render::FrameEncoder> encoder;
    try {
        encoder = render::openEncoder(o.format, o.outPath, eo);
        std::atomic<int> written{0};
        const int frames = static_cast<int>(result.frames.size());
        const std::string what = render::toString(o.format);
        ProgressLine line(err, env, [&written, frames, what](double t) {
            char buf[128];
            const int len =
                std::snprintf(buf, sizeof buf, "encoding: frame %d/%d (%s), %.1f s elapsed",
                              written.load(), frames, what.c_str(), t);
            return std::string(buf, static_cast<std::size_t>(std::clamp(len, 0, 127)));
        });
        line.redraw();
        for (const core::AnimationFrame& f : result.frames) {
            if (cancelled(env))
                return kExitInterrupted;
            encoder->add(renderer.render(f, size));
            written.store(written.load() + 1);
        }
        if (!encoder->finish(env.cancel) || cancelled(env))
            return kExitInterrupted;
    } catch (const render::EncodeError& e) {
        throw OutputError(e.what());
    }
    const double encodeSeconds = secondsSince(encodeStart);
    out << summary(o, plan, result.frames, computeSeconds, encodeSeconds) << std::flush;
    return kExitOk;
}

} // namespace ws::cli
