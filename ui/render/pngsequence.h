#pragma once
// Numbered PNG frames in a directory (frame_0001.png, frame_0002.png, ...), for slide programs
// and video editors that take an image sequence. The directory is written under a temporary
// name next to the target and renamed into place by finish(), replacing a previous output.

#include "ui/render/atomicoutput.h"
#include "ui/render/frameencoder.h"

namespace ws::render {

class PngSequence final : public FrameEncoder
{
public:
    PngSequence(const std::string& directory, const EncoderOptions& options); // EncodeError
    void add(const QImage& frame) override;
    bool finish(const std::atomic<bool>* cancel) override;
    int frames() const override { return m_frames; }

private:
    AtomicOutput m_output;
    EncoderOptions m_options;
    int m_frames = 0;
    bool m_finished = false;
};

} // namespace ws::render
