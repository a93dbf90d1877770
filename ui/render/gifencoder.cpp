// Animated GIF writer (see gifencoder.h).
#include "ui/render/gifencoder.h"

#include <gif_lib.h>

#include <algorithm>
#include <cmath>

namespace ws::render {

GifEncoder::GifEncoder(const std::string& path, const EncoderOptions& options)
    : m_output(path, AtomicOutput::Kind::File), m_options(options),
      m_palette(options.inks, options.background)
{
    const int w = options.size.width(), h = options.size.height();
    if (w < 1 || h < 1 || w > 65535 || h > 65535)
        throw EncodeError("cannot write " + path + ": a GIF is 1 to 65535 pixels wide and high");
    if (!(options.fps > 0.0 && options.fps <= 50.0))
        throw EncodeError("cannot write " + path + ": a GIF plays at most 50 frames per second");
    int err = 0;
    m_gif = EGifOpenFileName(m_output.path().c_str(), false, &err);
    if (!m_gif)
        fail(err);
    EGifSetGifVersion(m_gif, true);

    std::vector<GifColorType> colours(256, GifColorType{0, 0, 0});
    const auto& pal = m_palette.colours();
    for (std::size_t i = 0; i < pal.size(); ++i)
        colours[i] = GifColorType{static_cast<GifByteType>(qRed(pal[i])),
                                  static_cast<GifByteType>(qGreen(pal[i])),
                                  static_cast<GifByteType>(qBlue(pal[i]))};
    ColorMapObject* map = GifMakeMapObject(256, colours.data());
    if (!map)
        fail(E_GIF_ERR_NOT_ENOUGH_MEM);
    const int rc = EGifPutScreenDesc(m_gif, w, h, 8, 0, map);
    GifFreeMapObject(map);
    if (rc != GIF_OK)
        fail(m_gif->Error);

    // Loop forever: NETSCAPE2.0 application extension, sub-block {1, count = 0}.
    static const char kApp[] = "NETSCAPE2.0";
    static const GifByteType kLoop[] = {1, 0, 0};
    if (EGifPutExtensionLeader(m_gif, APPLICATION_EXT_FUNC_CODE) != GIF_OK ||
        EGifPutExtensionBlock(m_gif, 11, kApp) != GIF_OK ||
        EGifPutExtensionBlock(m_gif, 3, kLoop) != GIF_OK ||
        EGifPutExtensionTrailer(m_gif) != GIF_OK)
        fail(m_gif->Error);
}

GifEncoder::~GifEncoder()
{
    if (m_gif) {
        int err = 0;
        EGifCloseFile(m_gif, &err); // m_output then removes the temporary
    }
}

void GifEncoder::fail(int gifError) const
{
    const char* why = GifErrorString(gifError);
    throw EncodeError("cannot write " + m_output.target() + ": " +
                      (why ? why : "GIF error " + std::to_string(gifError)));
}

int GifEncoder::delayOf(int index) const
{
    auto at = [this](int i) { return static_cast<int>(std::lround(100.0 * i / m_options.fps)); };
    return std::max(2, at(index + 1) - at(index)); // below 2/100 s many viewers slow down
}

void GifEncoder::add(const QImage& frame)
{
    if (!m_gif)
        throw EncodeError("cannot write " + m_output.target() + ": the GIF is already finished");
    const int w = m_options.size.width(), h = m_options.size.height();
    QImage img = frame.size() == m_options.size ? frame : frame.scaled(m_options.size);
    if (img.format() != QImage::Format_RGB32 && img.format() != QImage::Format_ARGB32)
        img = img.convertToFormat(QImage::Format_RGB32);
    const std::size_t pixels = static_cast<std::size_t>(w) * static_cast<std::size_t>(h);
    m_current.resize(pixels);
    for (int y = 0; y < h; ++y) {
        const QRgb* line = reinterpret_cast<const QRgb*>(img.constScanLine(y));
        std::uint8_t* out =
            m_current.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(w);
        for (int x = 0; x < w; ++x)
            out[x] = m_palette.indexOf(line[x]);
    }

    // The rectangle that changed since the previous frame (all of the first one).
    int left = 0, top = 0, right = w - 1, bottom = h - 1;
    const bool diff = m_frames > 0;
    if (diff) {
        left = w;
        top = h;
        right = -1;
        bottom = -1;
        for (int y = 0; y < h; ++y) {
            const std::size_t row = static_cast<std::size_t>(y) * static_cast<std::size_t>(w);
            for (int x = 0; x < w; ++x)
                if (m_current[row + static_cast<std::size_t>(x)] !=
                    m_previous[row + static_cast<std::size_t>(x)]) {
                    left = std::min(left, x);
                    right = std::max(right, x);
                    top = std::min(top, y);
                    bottom = std::max(bottom, y);
                }
        }
        if (right < 0) // nothing changed: one transparent pixel carries the delay
            left = right = top = bottom = 0;
    }

    GraphicsControlBlock gcb{};
    gcb.DisposalMode = DISPOSE_DO_NOT;
    gcb.UserInputFlag = false;
    gcb.DelayTime = delayOf(m_frames);
    gcb.TransparentColor = diff ? GifPalette::kTransparent : NO_TRANSPARENT_COLOR;
    GifByteType ext[4];
    const std::size_t extLen = EGifGCBToExtension(&gcb, ext);
    if (EGifPutExtension(m_gif, GRAPHICS_EXT_FUNC_CODE, static_cast<int>(extLen), ext) != GIF_OK)
        fail(m_gif->Error);
    const int rw = right - left + 1, rh = bottom - top + 1;
    if (EGifPutImageDesc(m_gif, left, top, rw, rh, false, nullptr) != GIF_OK)
        fail(m_gif->Error);
    std::vector<GifPixelType> line(static_cast<std::size_t>(rw));
    for (int y = top; y <= bottom; ++y) {
        const std::size_t row = static_cast<std::size_t>(y) * static_cast<std::size_t>(w);
        for (int x = left; x <= right; ++x) {
            const std::size_t i = row + static_cast<std::size_t>(x);
            const bool same = diff && m_current[i] == m_previous[i];
            line[static_cast<std::size_t>(x - left)] =
                same ? static_cast<GifPixelType>(GifPalette::kTransparent) : m_current[i];
        }
        if (EGifPutLine(m_gif, line.data(), rw) != GIF_OK)
            fail(m_gif->Error);
    }
    std::swap(m_previous, m_current);
    ++m_frames;
}

bool GifEncoder::finish(const std::atomic<bool>* cancel)
{
    if (!m_gif)
        return false;
    int err = 0;
    const int rc = EGifCloseFile(m_gif, &err);
    m_gif = nullptr;
    if (rc != GIF_OK)
        fail(err);
    if (cancel && cancel->load())
        return false; // m_output removes the file
    m_output.commit();
    return true;
}

} // namespace ws::render
