#pragma once
// Ticks of a logarithmic axis that stay readable on a short range: QCPAxisTickerLog labels only
// powers of the base, so an axis spanning one or two decades shows a single number. This one
// labels 1-2-5 (or finer) steps within a decade until enough ticks fall in the range, with
// minor ticks at 2..9 x 10^k. Optionally a "zero" tick: counts of 0 drawn at a height below 1
// on a log axis get a tick labelled "0" there (and no other tick below `lowest`).

#include <qcustomplot.h>

#include <limits>

namespace ws::ui::plotparts {

class LogTicker : public QCPAxisTickerLog
{
public:
    // A tick at `at` labelled "0"; no other ticks below `lowest`. NaN: none (the default).
    void setZeroTick(double at, double lowest);

protected:
    QVector<double> createTickVector(double tickStep, const QCPRange& range) override;
    QVector<double> createSubTickVector(int subTickCount, const QVector<double>& ticks) override;
    QString getTickLabel(double tick, const QLocale& locale, QChar formatChar,
                         int precision) override;

private:
    double m_zeroAt = std::numeric_limits<double>::quiet_NaN();
    double m_lowest = 0.0;
    bool m_powersOnly = true; // the last ticks were powers of ten: minor ticks as QCP draws them
};

} // namespace ws::ui::plotparts
