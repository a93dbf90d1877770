#include "ui/plots/logticker.h"

#include <array>
#include <cmath>
#include <vector>

namespace ws::ui::plotparts {

namespace {

// Mantissas per decade, coarse to fine.
const std::array<std::vector<double>, 5> kSteps = {{{1.0},
                                                    {1.0, 3.0},
                                                    {1.0, 2.0, 5.0},
                                                    {1.0, 2.0, 3.0, 5.0, 7.0},
                                                    {1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0}}};

bool near(double a, double b)
{
    return std::abs(a - b) <= 1e-9 * std::abs(b);
}

} // namespace

void LogTicker::setZeroTick(double at, double lowest)
{
    m_zeroAt = at;
    m_lowest = lowest;
}

QVector<double> LogTicker::createTickVector(double tickStep, const QCPRange& range)
{
    QVector<double> ticks;
    const double decades = std::log10(range.upper / range.lower);
    m_powersOnly = true;
    if (!(range.lower > 0.0) || !(decades > 0.0) || !std::isfinite(decades) || decades > 60.0) {
        ticks = QCPAxisTickerLog::createTickVector(tickStep, range);
    } else {
        // The coarsest steps that put three labelled ticks in the range, unless more than fit
        // the axis: adaptTickCounts (plotparts.h) sets half the labels that fit on a log axis.
        const int room = std::max(2, 2 * tickCount());
        const int want = std::min(3, room);
        const int k0 = static_cast<int>(std::floor(std::log10(range.lower)));
        const int k1 = static_cast<int>(std::ceil(std::log10(range.upper)));
        QVector<double> coarser;
        bool coarserPowers = true;
        int powers = 0; // powers of ten in the range
        for (const auto& steps : kSteps) {
            ticks.clear();
            int inside = 0;
            for (int k = k0; k <= k1; ++k)
                for (double m : steps) {
                    const double v = m * std::pow(10.0, k);
                    if (v < m_lowest)
                        continue;
                    ticks.push_back(v);
                    inside += v >= range.lower && v <= range.upper ? 1 : 0;
                }
            m_powersOnly = steps.size() == 1;
            if (m_powersOnly)
                powers = inside;
            if (inside > room && !coarser.isEmpty()) { // too many: the coarser steps
                ticks = coarser;
                m_powersOnly = coarserPowers;
                break;
            }
            if (inside >= want)
                break;
            coarser = ticks;
            coarserPowers = m_powersOnly;
        }
        // More decades than fit: QCP thins the powers of ten.
        if (m_powersOnly && powers > room)
            ticks = QCPAxisTickerLog::createTickVector(tickStep, range);
    }
    if (std::isfinite(m_zeroAt)) {
        QVector<double> kept{m_zeroAt};
        for (double t : ticks)
            if (t >= m_lowest)
                kept.push_back(t);
        ticks = kept;
    }
    return ticks;
}

QVector<double> LogTicker::createSubTickVector(int subTickCount, const QVector<double>& ticks)
{
    if (m_powersOnly && !std::isfinite(m_zeroAt))
        return QCPAxisTickerLog::createSubTickVector(subTickCount, ticks);
    // Minor ticks at 2..9 x 10^k between the labelled ones (log paper).
    QVector<double> sub;
    for (int i = 0; i + 1 < ticks.size(); ++i) {
        const double a = ticks[i], b = ticks[i + 1];
        if (!(a > 0.0) || (std::isfinite(m_zeroAt) && near(a, m_zeroAt)))
            continue;
        const int k = static_cast<int>(std::floor(std::log10(a) + 1e-9));
        for (int e = k; e <= k + 1; ++e)
            for (int m = 2; m <= 9; ++m) {
                const double v = m * std::pow(10.0, e);
                if (v > a * (1 + 1e-9) && v < b * (1 - 1e-9))
                    sub.push_back(v);
            }
    }
    return sub;
}

QString LogTicker::getTickLabel(double tick, const QLocale& locale, QChar formatChar, int precision)
{
    if (std::isfinite(m_zeroAt) && near(tick, m_zeroAt))
        return QStringLiteral("0");
    return QCPAxisTickerLog::getTickLabel(tick, locale, formatChar, precision);
}

} // namespace ws::ui::plotparts
