#include "ui/views/sweepstatus.h"

#include "core/model/families.h"

#include <QObject>

#include <cmath>

namespace ws::ui {

namespace {

// "about 40 s", "about 3 min": a rough estimate, rounded.
QString about(double s)
{
    if (s < 1.0)
        return QObject::tr("under a second");
    if (s < 90.0)
        return QObject::tr("about %1 s").arg(std::lround(s));
    return QObject::tr("about %1 min").arg(std::lround(s / 60.0));
}

} // namespace

QString durationText(double seconds)
{
    // 0.9995 s and above would round to "1000 ms".
    if (seconds >= 0.9995)
        return QObject::tr("%1 s").arg(seconds, 0, 'f', 1);
    const double ms = seconds * 1e3;
    return QObject::tr("%1 ms").arg(ms < 10.0 ? QString::number(ms, 'g', 2)
                                              : QString::number(ms, 'f', 0));
}

QString estimateText(double seconds, const SweepTiming& timing, const QString& symbol, bool withN)
{
    return QObject::tr(" A run takes %1 (one sample at %2 = %3%4 took %5).")
        .arg(about(seconds), symbol, QString::number(timing.value, 'g', 4),
             withN ? QObject::tr(", N = %1").arg(timing.n) : QString(),
             durationText(timing.sampleSeconds));
}

QString emptyNoteText(const QString& symbol, const core::SweepSpec& s, int samples, bool withTheory)
{
    const QString grid =
        s.steps == 1
            ? QObject::tr("%1 = %2").arg(symbol, QString::number(s.from, 'g', 4))
            : QObject::tr("%1 grid points of %2 from %3 to %4")
                  .arg(s.steps)
                  .arg(symbol, QString::number(s.from, 'g', 4), QString::number(s.to, 'g', 4));
    const QString text =
        withTheory ? QObject::tr("Press “Run sweep” to add samples:\n%1, %2 each.")
                   : QObject::tr("Nothing sampled yet.\nPress “Run sweep” to sample %1\n(%2 "
                                 "samples each).");
    return text.arg(grid).arg(samples);
}

QString sweepRefusalText(const std::exception& e)
{
    // "param" is the CLI's --param; in a tab, the tab is the swept parameter: the message alone.
    if (const auto* input = dynamic_cast<const core::InputError*>(&e);
        input && input->param() == "param")
        return QString::fromStdString(input->message());
    return QString::fromStdString(e.what());
}

QString sweepProblem(const core::SweepSpec& spec)
{
    try {
        (void)core::checkedSweepModels(spec, core::sweepGrid(spec));
    } catch (const std::exception& e) {
        return sweepRefusalText(e);
    }
    return {};
}

QString problemNoteText(const QString& reason)
{
    QString text = QObject::tr("Cannot run this sweep:");
    QString line;
    for (const QString& word : reason.split(' ', Qt::SkipEmptyParts)) {
        if (!line.isEmpty() && line.size() + 1 + word.size() > 60) {
            text += '\n' + line;
            line.clear();
        }
        line += (line.isEmpty() ? "" : " ") + word;
    }
    if (!line.isEmpty())
        text += '\n' + line;
    return text;
}

QString resultText(const core::SweepResult& r, const core::SweepSpec& ran)
{
    QString samplers;
    for (const auto& p : r.points) {
        const QString s = QString::fromStdString(core::toString(p.sampler));
        if (!samplers.contains(s))
            samplers += (samplers.isEmpty() ? "" : "/") + s;
    }
    // A sentence of its own: the estimate (" A run takes ...") follows it.
    return QObject::tr("%1 of %2 grid points, %3 samples each, seed %4 at every point, %5 "
                       "sampler, %6%7.")
        .arg(r.points.size())
        .arg(r.requested)
        .arg(ran.run.samples)
        .arg(ran.run.seed)
        .arg(samplers.isEmpty() ? QObject::tr("no") : samplers, durationText(r.totalSeconds),
             r.cancelled ? QObject::tr(" — cancelled") : QString());
}

} // namespace ws::ui
