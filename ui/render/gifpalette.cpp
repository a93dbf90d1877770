// The GIF palette of plot frames (see gifpalette.h).
#include "ui/render/gifpalette.h"

#include <algorithm>
#include <limits>

namespace ws::render {
namespace {

QRgb blend(QColor a, QColor b, double t) // t of a, 1 - t of b
{
    auto mix = [t](int x, int y) { return static_cast<int>(x * t + y * (1.0 - t) + 0.5); };
    return qRgb(mix(a.red(), b.red()), mix(a.green(), b.green()), mix(a.blue(), b.blue()));
}

} // namespace

GifPalette::GifPalette(const std::vector<QColor>& inks, QColor background)
{
    constexpr std::size_t kMax = kTransparent; // indices 0 .. 254
    auto add = [this](QRgb c) {
        c |= 0xff000000u;
        if (m_colours.size() < kMax &&
            std::find(m_colours.begin(), m_colours.end(), c) == m_colours.end())
            m_colours.push_back(c);
    };
    // In order of importance: what most pixels are, then the antialiased edges.
    add(background.rgb());
    for (const QColor& ink : inks)
        add(ink.rgb());
    for (const QColor& ink : inks)
        for (int k = 1; k < 8; ++k)
            add(blend(ink, background, k / 8.0));
    for (int g = 0; g < 256; g += 17)
        add(qRgb(g, g, g));
    for (std::size_t i = 0; i < inks.size(); ++i)
        for (std::size_t j = i + 1; j < inks.size(); ++j)
            for (double t : {0.25, 0.5, 0.75})
                add(blend(inks[i], inks[j], t));
    for (int r = 0; r < 4; ++r)
        for (int g = 0; g < 4; ++g)
            for (int b = 0; b < 4; ++b)
                add(qRgb(r * 85, g * 85, b * 85));

    // Nearest entry for the centre of every 6-bit cell; green weighs most, as the eye does.
    m_lookup.resize(64 * 64 * 64);
    for (int r = 0; r < 64; ++r)
        for (int g = 0; g < 64; ++g)
            for (int b = 0; b < 64; ++b) {
                const int cr = r * 4 + 2, cg = g * 4 + 2, cb = b * 4 + 2;
                int best = 0;
                long bestD = std::numeric_limits<long>::max();
                for (std::size_t i = 0; i < m_colours.size(); ++i) {
                    const long dr = qRed(m_colours[i]) - cr, dg = qGreen(m_colours[i]) - cg,
                               db = qBlue(m_colours[i]) - cb;
                    const long d = 2 * dr * dr + 4 * dg * dg + 3 * db * db;
                    if (d < bestD) {
                        bestD = d;
                        best = static_cast<int>(i);
                    }
                }
                m_lookup[static_cast<std::size_t>((r << 12) | (g << 6) | b)] =
                    static_cast<std::uint8_t>(best);
            }
}

} // namespace ws::render
