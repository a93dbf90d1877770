// Options of wignerscope-cli animate (see animate.h).
#include "ui/cli/animate.h"

#include "ui/cli/args.h"

#include "core/model/families.h"
#include "core/sweeps/sweep.h"

#include <climits>
#include <cmath>

namespace ws::cli {
namespace {

using core::InputError;

const std::vector<OptionDef> kAnimateOptions = {
    {"--n"},         {"--sigma"},   {"--noise"},   {"--alpha"},         {"--rank"},    {"--spikes"},
    {"--bulk"},      {"--eigvecs"}, {"--session"}, {"--memory-budget"}, {"--samples"}, {"--seed"},
    {"--threads"},   {"--sampler"}, {"--param"},   {"--from"},          {"--to"},      {"--frames"},
    {"--log", true}, {"--bins"},    {"--size"},    {"--fps"},           {"--out"}};

// The options the sample command parses in the same way: the model, the session and the run.
const char* const kModelAndRun[] = {
    "--n",       "--sigma",   "--noise",         "--alpha",   "--rank", "--spikes",  "--bulk",
    "--eigvecs", "--session", "--memory-budget", "--samples", "--seed", "--threads", "--sampler"};

[[noreturn]] void fail(const std::string& option, const std::string& why)
{
    throw InputError(option, why);
}

// 1280x720 (default), 1920x1080, 4:3 (1024x768), 16:9 (1280x720) or WxH.
std::pair<int, int> parseSize(const std::string& text)
{
    if (text == "4:3")
        return {1024, 768};
    if (text == "16:9")
        return {1280, 720};
    const std::string expectation =
        "WxH in pixels (width 160..7680, height 120..4320), e.g. 1280x720 or 1920x1080, or 4:3 "
        "(1024x768)";
    const auto x = text.find('x');
    if (x == std::string::npos || text.find('x', x + 1) != std::string::npos)
        fail("--size", "must be " + expectation + ", got " + quote(text));
    long long w = 0, h = 0;
    try {
        w = core::parseInteger(text.substr(0, x), "--size");
        h = core::parseInteger(text.substr(x + 1), "--size");
    } catch (const InputError&) {
        fail("--size", "must be " + expectation + ", got " + quote(text));
    }
    if (w < 160 || w > 7680 || h < 120 || h > 4320)
        fail("--size", "must be " + expectation + ", got " + quote(text));
    return {static_cast<int>(w), static_cast<int>(h)};
}

} // namespace

AnimateOptions parseAnimateArgs(const std::vector<std::string>& args)
{
    AnimateOptions o;
    const CollectedArgs a = collectOptions(args, 1, "animate", kAnimateOptions, 0);
    if (a.help) {
        o.help = true;
        return o;
    }
    if (!a.has("--param"))
        fail("--param", "required: the animated parameter, theta, n, alpha, sigma, spikes:K or "
                        "bulk:K");
    core::AnimationSpec& s = o.spec;
    try {
        const core::SweepTarget t = core::parseSweepTarget(a.get("--param"));
        s.param = t.param;
        s.familyIndex = t.familyIndex;
    } catch (const InputError& e) {
        throw withOptionName(e);
    }
    for (const char* n : {"--from", "--to"})
        if (!a.has(n))
            fail(n, std::string("required: the ") + (n[2] == 'f' ? "first" : "last") +
                        " frame's value");
    s.from = parseDoubleOption("--from", a.get("--from"), "a finite number");
    s.to = parseDoubleOption("--to", a.get("--to"), "a finite number");
    if (a.has("--frames"))
        s.frames = static_cast<int>(
            parseIntOption("--frames", a.get("--frames"), 1, 1000, "an integer in [1, 1000]"));
    s.log = a.has("--log");
    if (a.has("--bins"))
        s.bins = static_cast<int>(
            parseIntOption("--bins", a.get("--bins"), 1, 1'000'000, "an integer in [1, 1000000]"));

    // The model and run options, exactly as the sample command reads them. An N animation sets
    // N at every frame: --n is not needed then (the base gets the first frame's N).
    std::vector<std::string> sample{"sample"};
    for (const char* name : kModelAndRun)
        if (a.has(name)) {
            sample.push_back(name);
            sample.push_back(a.get(name));
        }
    if (s.param == core::SweepParam::N && !a.has("--n") && !a.has("--session")) {
        const double n = std::round(s.from);
        sample.push_back("--n");
        sample.push_back(n >= 2.0 && n <= INT_MAX ? std::to_string(static_cast<long long>(n))
                                                  : "1000");
    }
    const Options base = parseArgs(sample);
    s.base = base.model;
    s.run = runOptionsOf(base);

    if (a.has("--size")) {
        const auto [w, h] = parseSize(a.get("--size"));
        o.width = w;
        o.height = h;
    }
    if (a.has("--fps")) {
        o.fps =
            parseDoubleOption("--fps", a.get("--fps"), "a number of frames per second in [1, 60]");
        if (!(o.fps >= 1.0 && o.fps <= 60.0))
            fail("--fps",
                 "must be a number of frames per second in [1, 60], got " + quote(a.get("--fps")));
    }
    if (!a.has("--out"))
        fail("--out", "required: the animation's file, NAME.gif or NAME.mp4, or a directory "
                      "for PNG frames (NAME/)");
    o.outPath = a.get("--out");
    const auto format = render::outputFormatOf(o.outPath);
    if (!format)
        fail("--out", "must end in .gif or .mp4, or name a directory for PNG frames (ending in "
                      "/), got " +
                          quote(o.outPath));
    o.format = *format;
    if (o.format == render::OutputFormat::Mp4 && (o.width % 2 || o.height % 2))
        fail("--size", "an MP4 needs an even width and height (H.264 4:2:0), got " +
                           std::to_string(o.width) + "x" + std::to_string(o.height));
    if (o.format == render::OutputFormat::Gif && o.fps > 50.0)
        fail("--fps", "a GIF plays at most 50 frames per second (delays are in 1/100 s), got " +
                          quote(a.get("--fps")));

    // The grid and every frame's model, before anything runs (planAnimation checks them again
    // with the theory).
    try {
        const core::SweepSpec sweep = core::sweepSpecOf(s);
        for (double v : core::sweepGrid(sweep))
            (void)core::sweepModel(sweep, v);
    } catch (const InputError& e) {
        throw withOptionName(e);
    }
    return o;
}

} // namespace ws::cli
