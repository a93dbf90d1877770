#pragma once
// Writers of animations: an animated GIF (giflib), an MP4 with H.264 video (FFmpeg's
// libraries) or a directory of numbered PNG frames. Every one writes under a temporary name and
// renames the result into place at the end (atomicoutput.h): an error, a cancel or a destroyed
// encoder leaves nothing behind.

#include <QColor>
#include <QImage>
#include <QSize>

#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ws::render {

enum class OutputFormat { Gif, Mp4, PngFrames };

// From the name: *.gif, *.mp4 (any case), or a directory: a name ending in '/' or an existing
// directory (PNG frames). nullopt for anything else.
std::optional<OutputFormat> outputFormatOf(const std::string& path);
std::string toString(OutputFormat f); // "GIF", "MP4", "PNG frames"

struct EncoderOptions
{
    QSize size{1280, 720}; // every frame's size; MP4 needs even width and height
    double fps = 10.0;     // frames per second, > 0 (GIF: delays in 1/100 s, at most 50 fps)
    // The colours the frames are drawn with (GIF palette; framestyle.h), and the background.
    std::vector<QColor> inks;
    QColor background{255, 255, 255};
    int crf = 20; // MP4: H.264 constant rate factor (lower = better, larger)
};

class FrameEncoder
{
public:
    virtual ~FrameEncoder() = default; // without finish(): removes what was written
    // Appends a frame of the size given at open (other formats are converted). EncodeError.
    virtual void add(const QImage& frame) = 0;
    // Completes the output and renames it into place. Returns false, leaving nothing, if
    // `cancel` gets set meanwhile (MP4: the encoder's delayed frames take a moment). EncodeError.
    virtual bool finish(const std::atomic<bool>* cancel = nullptr) = 0;
    // Frames added so far.
    virtual int frames() const = 0;
};

// Opens the writer of `format` at `path` (its temporary, really). Throws EncodeError ("cannot
// write PATH: reason") for an unwritable target, a size the format refuses (MP4: odd width or
// height), or a missing H.264 encoder. Not thread-safe: one thread per encoder.
std::unique_ptr<FrameEncoder> openEncoder(OutputFormat format, const std::string& path,
                                          const EncoderOptions& options);

// Estimated peak memory of an encoder of that size, for the memory budget (the H.264 encoder
// keeps about 40 frames of look-ahead).
std::size_t encoderPeakBytes(OutputFormat format, QSize size);

} // namespace ws::render
