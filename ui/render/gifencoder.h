#pragma once
// Animated GIF through giflib: GIF89a, a fixed palette for plot colours (gifpalette.h), an
// endless loop (NETSCAPE2.0 extension) and frame delays from the frame rate in 1/100 s, spread
// so that the mean rate is exact (12 fps: 8, 8, 9, 8, ... hundredths). After the first frame
// only the rectangle that changed is stored, with unchanged pixels transparent: the axes,
// title and legend of a plot cost nothing after the first frame.

#include "ui/render/atomicoutput.h"
#include "ui/render/frameencoder.h"
#include "ui/render/gifpalette.h"

#include <cstdint>
#include <memory>
#include <vector>

struct GifFileType;

namespace ws::render {

class GifEncoder final : public FrameEncoder
{
public:
    GifEncoder(const std::string& path, const EncoderOptions& options); // EncodeError
    ~GifEncoder() override;
    GifEncoder(const GifEncoder&) = delete;
    GifEncoder& operator=(const GifEncoder&) = delete;

    void add(const QImage& frame) override;
    bool finish(const std::atomic<bool>* cancel) override;
    int frames() const override { return m_frames; }

private:
    [[noreturn]] void fail(int gifError) const;
    int delayOf(int index) const; // hundredths of a second

    AtomicOutput m_output;
    EncoderOptions m_options;
    GifPalette m_palette;
    GifFileType* m_gif = nullptr;
    std::vector<std::uint8_t> m_previous, m_current; // palette indices of the last frames
    int m_frames = 0;
};

} // namespace ws::render
