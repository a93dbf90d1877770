// MP4 / H.264 writer (see mp4encoder.h).
#include "ui/render/mp4encoder.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

#include <cmath>

namespace ws::render {

Mp4Encoder::Mp4Encoder(const std::string& path, const EncoderOptions& options)
    : m_output(path, AtomicOutput::Kind::File), m_options(options)
{
    const int w = options.size.width(), h = options.size.height();
    if (w < 2 || h < 2 || w % 2 || h % 2)
        throw EncodeError("cannot write " + path +
                          ": an MP4 (H.264, 4:2:0) needs an even width "
                          "and height, got " +
                          std::to_string(w) + "x" + std::to_string(h));
    if (!(options.fps > 0.0 && options.fps <= 240.0))
        throw EncodeError("cannot write " + path + ": the frame rate must be in (0, 240]");
    // The library's own messages would break the one-error-line contract of the CLI; errors come
    // back as codes instead.
    av_log_set_level(AV_LOG_QUIET);

    const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
    if (!codec)
        codec = avcodec_find_encoder(AV_CODEC_ID_H264);
    if (!codec)
        throw EncodeError("cannot write " + path + ": this FFmpeg has no H.264 encoder");
    const int rc =
        avformat_alloc_output_context2(&m_format, nullptr, "mp4", m_output.path().c_str());
    if (rc < 0 || !m_format)
        failReleasing(rc < 0 ? rc : AVERROR(ENOMEM), "mp4 muxer");
    m_stream = avformat_new_stream(m_format, nullptr);
    m_codec = avcodec_alloc_context3(codec);
    m_frame = av_frame_alloc();
    m_packet = av_packet_alloc();
    if (!m_stream || !m_codec || !m_frame || !m_packet)
        failReleasing(AVERROR(ENOMEM), "allocation");
    openCodec(codec);
    prepareFrame();
    writeHeader();
}

void Mp4Encoder::failReleasing(int averror, const char* step)
{
    release();
    fail(averror, step);
}

// H.264 at the options' size and rate, yuv420p, BT.709; the stream takes its parameters.
void Mp4Encoder::openCodec(const AVCodec* codec)
{
    const AVRational rate = av_d2q(m_options.fps, 100000);
    m_codec->width = m_options.size.width();
    m_codec->height = m_options.size.height();
    m_codec->framerate = rate;
    m_codec->time_base = av_inv_q(rate);
    m_codec->pix_fmt = AV_PIX_FMT_YUV420P;
    m_codec->gop_size = std::max(1, static_cast<int>(std::lround(2.0 * m_options.fps)));
    m_codec->color_range = AVCOL_RANGE_MPEG;
    m_codec->colorspace = AVCOL_SPC_BT709;
    m_codec->color_primaries = AVCOL_PRI_BT709;
    m_codec->color_trc = AVCOL_TRC_BT709;
    if (m_format->oformat->flags & AVFMT_GLOBALHEADER)
        m_codec->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    // x264's own options (ignored by other encoders): plots are flat colour and thin lines.
    av_opt_set(m_codec->priv_data, "preset", "medium", 0);
    av_opt_set(m_codec->priv_data, "tune", "animation", 0);
    av_opt_set(m_codec->priv_data, "crf", std::to_string(m_options.crf).c_str(), 0);
    int rc = avcodec_open2(m_codec, codec, nullptr);
    if (rc < 0)
        failReleasing(rc, "H.264 encoder");
    if ((rc = avcodec_parameters_from_context(m_stream->codecpar, m_codec)) < 0)
        failReleasing(rc, "stream parameters");
    m_stream->time_base = m_codec->time_base;
    m_stream->avg_frame_rate = rate;
}

// The reusable YUV frame and the RGB -> YUV conversion into it.
void Mp4Encoder::prepareFrame()
{
    const int w = m_options.size.width(), h = m_options.size.height();
    m_frame->format = AV_PIX_FMT_YUV420P;
    m_frame->width = w;
    m_frame->height = h;
    if (const int rc = av_frame_get_buffer(m_frame, 0); rc < 0)
        failReleasing(rc, "frame buffer");
    // RGB (full range) -> BT.709 limited-range YUV, what players assume for HD video.
    m_sws = sws_getContext(w, h, AV_PIX_FMT_RGB0, w, h, AV_PIX_FMT_YUV420P,
                           SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INP, nullptr, nullptr,
                           nullptr);
    if (!m_sws)
        failReleasing(AVERROR(EINVAL), "colour conversion");
    sws_setColorspaceDetails(m_sws, sws_getCoefficients(SWS_CS_DEFAULT), 1,
                             sws_getCoefficients(SWS_CS_ITU709), 0, 0, 1 << 16, 1 << 16);
}

// Opens the (temporary) file and writes the header, moov atom first (+faststart) for streaming.
void Mp4Encoder::writeHeader()
{
    int rc = avio_open(&m_format->pb, m_output.path().c_str(), AVIO_FLAG_WRITE);
    if (rc < 0)
        failReleasing(rc, "open");
    AVDictionary* opts = nullptr;
    av_dict_set(&opts, "movflags", "+faststart", 0);
    rc = avformat_write_header(m_format, &opts);
    av_dict_free(&opts);
    if (rc < 0)
        failReleasing(rc, "header");
}

Mp4Encoder::~Mp4Encoder()
{
    release(); // m_output then removes the temporary
}

void Mp4Encoder::release()
{
    sws_freeContext(m_sws);
    m_sws = nullptr;
    av_frame_free(&m_frame);
    av_packet_free(&m_packet);
    avcodec_free_context(&m_codec);
    if (m_format) {
        if (m_format->pb)
            avio_closep(&m_format->pb);
        avformat_free_context(m_format);
        m_format = nullptr;
    }
    m_stream = nullptr;
}

void Mp4Encoder::fail(int averror, const char* step) const
{
    char why[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(averror, why, sizeof why);
    throw EncodeError("cannot write " + m_output.target() + ": " + step + ": " + why);
}

bool Mp4Encoder::encode(AVFrame* frame, const std::atomic<bool>* cancel)
{
    int rc = avcodec_send_frame(m_codec, frame);
    if (rc < 0)
        fail(rc, "H.264 encoder");
    for (;;) {
        if (cancel && cancel->load())
            return false;
        rc = avcodec_receive_packet(m_codec, m_packet);
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
            return true;
        if (rc < 0)
            fail(rc, "H.264 encoder");
        av_packet_rescale_ts(m_packet, m_codec->time_base, m_stream->time_base);
        m_packet->stream_index = m_stream->index;
        rc = av_interleaved_write_frame(m_format, m_packet); // takes the packet's data
        if (rc < 0)
            fail(rc, "write");
    }
}

void Mp4Encoder::add(const QImage& frame)
{
    if (!m_codec)
        throw EncodeError("cannot write " + m_output.target() + ": the MP4 is already finished");
    QImage img = frame.size() == m_options.size ? frame : frame.scaled(m_options.size);
    // Bytes R, G, B, x in memory on any machine.
    img = img.convertToFormat(QImage::Format_RGBX8888);
    int rc = av_frame_make_writable(m_frame);
    if (rc < 0)
        fail(rc, "frame buffer");
    const std::uint8_t* src[1] = {img.constBits()};
    const int stride[1] = {static_cast<int>(img.bytesPerLine())};
    sws_scale(m_sws, src, stride, 0, img.height(), m_frame->data, m_frame->linesize);
    m_frame->pts = m_frames;
    encode(m_frame, nullptr);
    ++m_frames;
}

bool Mp4Encoder::finish(const std::atomic<bool>* cancel)
{
    if (!m_codec)
        return false;
    if (!encode(nullptr, cancel)) {
        release();
        return false;
    }
    int rc = av_write_trailer(m_format); // +faststart moves the index to the front here
    if (rc < 0)
        fail(rc, "trailer");
    rc = avio_closep(&m_format->pb);
    release();
    if (rc < 0)
        fail(rc, "close");
    if (cancel && cancel->load())
        return false;
    m_output.commit();
    return true;
}

} // namespace ws::render
