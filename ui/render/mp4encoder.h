#pragma once
// MP4 with H.264 video through FFmpeg's libraries (libavformat, libavcodec, libswscale,
// libavutil): libx264 (else FFmpeg's default H.264 encoder), yuv420p (what every player and
// slide program decodes), BT.709 colours, constant rate factor 20 (sharp lines and text), a
// key frame every two seconds, the index at the front of the file (+faststart) so that it
// starts playing at once. Width and height must be even (4:2:0 chroma).

#include "ui/render/atomicoutput.h"
#include "ui/render/frameencoder.h"

struct AVFormatContext;
struct AVCodec;
struct AVCodecContext;
struct AVStream;
struct AVFrame;
struct AVPacket;
struct SwsContext;

namespace ws::render {

class Mp4Encoder final : public FrameEncoder
{
public:
    Mp4Encoder(const std::string& path, const EncoderOptions& options); // EncodeError
    ~Mp4Encoder() override;
    Mp4Encoder(const Mp4Encoder&) = delete;
    Mp4Encoder& operator=(const Mp4Encoder&) = delete;

    void add(const QImage& frame) override;
    bool finish(const std::atomic<bool>* cancel) override;
    int frames() const override { return m_frames; }

private:
    [[noreturn]] void fail(int averror, const char* step) const;
    [[noreturn]] void failReleasing(int averror, const char* step); // release(), then fail()
    void openCodec(const AVCodec* codec);
    void prepareFrame();
    void writeHeader();
    // Sends `frame` (nullptr: flush) and writes every packet the encoder has ready; false if
    // cancelled while draining.
    bool encode(AVFrame* frame, const std::atomic<bool>* cancel);
    void release();

    AtomicOutput m_output;
    EncoderOptions m_options;
    AVFormatContext* m_format = nullptr;
    AVCodecContext* m_codec = nullptr;
    AVStream* m_stream = nullptr;
    AVFrame* m_frame = nullptr;
    AVPacket* m_packet = nullptr;
    SwsContext* m_sws = nullptr;
    int m_frames = 0;
};

} // namespace ws::render
