// Choosing an animation writer by the output's name (see frameencoder.h).
#include "ui/render/frameencoder.h"

#include "ui/render/gifencoder.h"
#include "ui/render/mp4encoder.h"
#include "ui/render/pngsequence.h"

#include "core/util/enum_names.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace ws::render {
namespace {

bool endsWith(const std::string& s, const char* suffix)
{
    const std::string t(suffix);
    if (s.size() < t.size())
        return false;
    return std::equal(t.rbegin(), t.rend(), s.rbegin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
    });
}

} // namespace

std::optional<OutputFormat> outputFormatOf(const std::string& path)
{
    if (path.empty())
        return std::nullopt;
    if (path.back() == '/')
        return OutputFormat::PngFrames;
    if (endsWith(path, ".gif") && path.size() > 4)
        return OutputFormat::Gif;
    if (endsWith(path, ".mp4") && path.size() > 4)
        return OutputFormat::Mp4;
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        return OutputFormat::PngFrames;
    return std::nullopt;
}

constexpr core::EnumNames<OutputFormat, 3> kOutputFormatNames{
    {{OutputFormat::Gif, "GIF"},
     {OutputFormat::Mp4, "MP4"},
     {OutputFormat::PngFrames, "PNG frames"}}};

std::string toString(OutputFormat f)
{
    return std::string(core::enumName(kOutputFormatNames, f));
}

std::unique_ptr<FrameEncoder> openEncoder(OutputFormat format, const std::string& path,
                                          const EncoderOptions& options)
{
    switch (format) {
    case OutputFormat::Gif:
        return std::make_unique<GifEncoder>(path, options);
    case OutputFormat::Mp4:
        return std::make_unique<Mp4Encoder>(path, options);
    case OutputFormat::PngFrames:
        return std::make_unique<PngSequence>(path, options);
    }
    throw EncodeError("cannot write " + path + ": unknown format");
}

std::size_t encoderPeakBytes(OutputFormat format, QSize size)
{
    const std::size_t pixels = static_cast<std::size_t>(std::max(size.width(), 1)) *
                               static_cast<std::size_t>(std::max(size.height(), 1));
    switch (format) {
    case OutputFormat::Gif:
        return 3 * pixels + (1u << 18); // two index frames, a line, the lookup table
    case OutputFormat::Mp4:
        return 64 * pixels * 3 / 2 + 4 * pixels; // ~40 look-ahead frames and references, 4:2:0
    case OutputFormat::PngFrames:
        return 8 * pixels; // the compressor's buffers
    }
    return 0;
}

} // namespace ws::render
