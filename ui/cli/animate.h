#pragma once
// wignerscope-cli animate: an animation of the histogram and its theory while one parameter
// moves, written as an animated GIF, an MP4 or numbered PNG frames, without a display.
//
//   wignerscope-cli animate MODEL --param theta|n|alpha|sigma|spikes:K|bulk:K --from A --to B
//                   [--frames K] [--log] [--samples S] [--seed S] [--threads T]
//                   [--sampler auto|dense|banded] [--bins B]
//                   [--size 1280x720|1920x1080|4:3|WxH] [--fps F] --out FILE.gif|FILE.mp4|DIR/
//
// Frames come from core/animation (every frame complete, the same seed at every frame, axes
// fixed before the first), are drawn by ui/render's FrameRenderer and written by its encoders.
// This is a library of its own (ws_cli_animate) because it needs QtGui, giflib and FFmpeg,
// which ws_cli does not: the program passes runAnimateCommand in RunEnv::animate.

#include "ui/cli/cli.h"

#include "core/animation/animation.h"
#include "ui/render/frameencoder.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace ws::cli {

struct AnimateOptions
{
    bool help = false;
    core::AnimationSpec spec; // model, grid, run options, bins
    int width = 1280, height = 720;
    double fps = 10.0;
    std::string outPath;
    render::OutputFormat format = render::OutputFormat::Gif;
};

// Parses and checks everything but the output's directory (InputError naming the option).
AnimateOptions parseAnimateArgs(const std::vector<std::string>& args);

// The command (args[0] == "animate"). Throws what the other commands throw (InputError,
// ResourceError); returns kExitOk or kExitInterrupted (nothing written). Creates a
// QGuiApplication on the offscreen platform for the fonts if there is none.
int runAnimateCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                      const RunEnv& env);

} // namespace ws::cli
