#pragma once
// Test helpers: read back what the animation encoders wrote, with the reference decoders
// (giflib's DGifSlurp, FFmpeg's libavformat/libavcodec), and a sample animation to draw.
#include "core/animation/animation.h"
#include "core/model/families.h"

#include <gif_lib.h>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

#include <QColor>
#include <QImage>

#include <string>
#include <vector>

namespace decoded {

// A rank-one theta animation through the BBP threshold, small enough to compute in a test.
inline ws::core::AnimationPlan samplePlan(int frames = 5, int n = 300)
{
    ws::core::AnimationSpec s;
    s.base.n = n;
    s.base.spikes = ws::core::parseSpikes("equal:3");
    s.param = ws::core::SweepParam::Theta;
    s.from = 0.5;
    s.to = 3.5;
    s.frames = frames;
    s.run.samples = 2;
    s.run.seed = 3;
    s.points = 300;
    return ws::core::planAnimation(s);
}

struct Gif
{
    bool ok = false;
    int width = 0, height = 0, images = 0;
    bool loops = false;         // NETSCAPE2.0 application extension
    std::vector<int> delays;    // hundredths of a second, per image
    std::vector<QImage> frames; // each image drawn over the previous ones (what a viewer shows)
};

// DGifSlurp and composite every image (disposal "do not dispose", transparent index skipped).
inline Gif readGif(const std::string& path)
{
    Gif g;
    int err = 0;
    GifFileType* gif = DGifOpenFileName(path.c_str(), &err);
    if (!gif)
        return g;
    if (DGifSlurp(gif) != GIF_OK) {
        DGifCloseFile(gif, &err);
        return g;
    }
    g.ok = true;
    g.width = gif->SWidth;
    g.height = gif->SHeight;
    g.images = gif->ImageCount;
    QImage canvas(g.width, g.height, QImage::Format_RGB32);
    canvas.fill(Qt::black);
    for (int i = 0; i < gif->ImageCount; ++i) {
        const SavedImage& im = gif->SavedImages[i];
        for (int b = 0; b < im.ExtensionBlockCount; ++b) {
            const ExtensionBlock& e = im.ExtensionBlocks[b];
            if (e.Function == APPLICATION_EXT_FUNC_CODE && e.ByteCount == 11 &&
                std::string(reinterpret_cast<const char*>(e.Bytes), 11) == "NETSCAPE2.0")
                g.loops = true;
        }
        GraphicsControlBlock gcb{};
        gcb.TransparentColor = NO_TRANSPARENT_COLOR;
        DGifSavedExtensionToGCB(gif, i, &gcb);
        g.delays.push_back(gcb.DelayTime);
        const ColorMapObject* map = im.ImageDesc.ColorMap ? im.ImageDesc.ColorMap : gif->SColorMap;
        const GifImageDesc& d = im.ImageDesc;
        for (int y = 0; y < d.Height; ++y)
            for (int x = 0; x < d.Width; ++x) {
                const int idx = im.RasterBits[y * d.Width + x];
                if (idx == gcb.TransparentColor)
                    continue;
                const GifColorType c = map->Colors[idx];
                canvas.setPixel(d.Left + x, d.Top + y, qRgb(c.Red, c.Green, c.Blue));
            }
        g.frames.push_back(canvas.copy());
    }
    DGifCloseFile(gif, &err);
    return g;
}

struct Video
{
    bool ok = false;
    int width = 0, height = 0;
    std::string codec, pixelFormat;
    std::vector<QImage> frames; // decoded and converted to RGB
};

// Every frame of the first video stream, decoded by libavcodec.
inline Video readVideo(const std::string& path)
{
    Video v;
    AVFormatContext* fmt = nullptr;
    if (avformat_open_input(&fmt, path.c_str(), nullptr, nullptr) < 0)
        return v;
    avformat_find_stream_info(fmt, nullptr);
    const int si = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (si < 0) {
        avformat_close_input(&fmt);
        return v;
    }
    const AVCodecParameters* par = fmt->streams[si]->codecpar;
    const AVCodec* codec = avcodec_find_decoder(par->codec_id);
    AVCodecContext* ctx = avcodec_alloc_context3(codec);
    avcodec_parameters_to_context(ctx, par);
    avcodec_open2(ctx, codec, nullptr);
    v.codec = codec->name;
    v.width = par->width;
    v.height = par->height;
    v.pixelFormat = av_get_pix_fmt_name(static_cast<AVPixelFormat>(par->format));
    AVPacket* pkt = av_packet_alloc();
    AVFrame* frame = av_frame_alloc();
    SwsContext* sws = nullptr;
    auto drain = [&] {
        while (avcodec_receive_frame(ctx, frame) == 0) {
            QImage img(frame->width, frame->height, QImage::Format_RGBX8888);
            sws = sws_getCachedContext(sws, frame->width, frame->height,
                                       static_cast<AVPixelFormat>(frame->format), frame->width,
                                       frame->height, AV_PIX_FMT_RGB0, SWS_BICUBIC, nullptr,
                                       nullptr, nullptr);
            sws_setColorspaceDetails(sws, sws_getCoefficients(SWS_CS_ITU709), 0,
                                     sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16);
            uint8_t* dst[1] = {img.bits()};
            const int stride[1] = {static_cast<int>(img.bytesPerLine())};
            sws_scale(sws, frame->data, frame->linesize, 0, frame->height, dst, stride);
            v.frames.push_back(img.convertToFormat(QImage::Format_RGB32));
        }
    };
    while (av_read_frame(fmt, pkt) >= 0) {
        if (pkt->stream_index == si && avcodec_send_packet(ctx, pkt) == 0)
            drain();
        av_packet_unref(pkt);
    }
    avcodec_send_packet(ctx, nullptr);
    drain();
    v.ok = true;
    sws_freeContext(sws);
    av_frame_free(&frame);
    av_packet_free(&pkt);
    avcodec_free_context(&ctx);
    avformat_close_input(&fmt);
    return v;
}

// Pixels of `img` inside `r` that differ from `background` by more than `tolerance` in any
// channel.
inline int inkPixels(const QImage& img, const QRect& r, QColor background = Qt::white,
                     int tolerance = 24)
{
    int n = 0;
    const QRect box = r.intersected(img.rect());
    for (int y = box.top(); y <= box.bottom(); ++y)
        for (int x = box.left(); x <= box.right(); ++x) {
            const QColor c = img.pixelColor(x, y);
            if (std::abs(c.red() - background.red()) > tolerance ||
                std::abs(c.green() - background.green()) > tolerance ||
                std::abs(c.blue() - background.blue()) > tolerance)
                ++n;
        }
    return n;
}

// Mean absolute difference per channel over `r`.
inline double meanDifference(const QImage& a, const QImage& b, const QRect& r)
{
    double sum = 0.0;
    long count = 0;
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x) {
            const QRgb p = a.pixel(x, y), q = b.pixel(x, y);
            sum += std::abs(qRed(p) - qRed(q)) + std::abs(qGreen(p) - qGreen(q)) +
                   std::abs(qBlue(p) - qBlue(q));
            count += 3;
        }
    return count ? sum / static_cast<double>(count) : 0.0;
}

} // namespace decoded
