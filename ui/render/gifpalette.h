#pragma once
// A fixed 255-colour palette for plot frames and a fast lookup into it. Plots use a handful of
// colours; antialiasing blends them with the background and with each other. So the palette
// holds every ink blended with the background in eight steps, a grey ramp, blends between pairs
// of inks and a coarse colour cube for the rest, and each pixel maps to its nearest entry
// (no dithering: flat areas stay flat and compress well). Index 255 is left free for the
// transparent pixels of frame differences.

#include <QColor>
#include <QRgb>

#include <cstdint>
#include <vector>

namespace ws::render {

class GifPalette
{
public:
    static constexpr int kTransparent = 255;

    GifPalette(const std::vector<QColor>& inks, QColor background);

    // At most 255 colours (index kTransparent is not one of them).
    const std::vector<QRgb>& colours() const { return m_colours; }
    // Nearest palette index (6 bits per channel, weighted RGB distance).
    std::uint8_t indexOf(QRgb c) const
    {
        return m_lookup[(static_cast<unsigned>(qRed(c)) >> 2 << 12) |
                        (static_cast<unsigned>(qGreen(c)) >> 2 << 6) |
                        (static_cast<unsigned>(qBlue(c)) >> 2)];
    }

private:
    std::vector<QRgb> m_colours;
    std::vector<std::uint8_t> m_lookup; // 64^3 entries
};

} // namespace ws::render
