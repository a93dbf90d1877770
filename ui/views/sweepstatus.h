#pragma once
// The sweep tabs' texts (sweepview.h puts them on screen): durations, the time estimate of a run,
// the note in an empty plot, the summary of a finished run. Pure functions of their arguments.

#include "ui/jobs/sweepestimate.h"

#include "core/sweeps/sweep.h"

#include <QString>

#include <exception>

namespace ws::ui {

// A measured duration: below a second in ms ("0.18 ms", "12 ms"), from 1 s up in seconds with
// one decimal ("1.0 s", "42.3 s").
QString durationText(double seconds);

// " A run takes about 40 s (one sample at θ = 3, N = 1000 took 0.18 ms)." for an estimate of
// `seconds` from `timing`; `symbol` names the swept parameter, `withN` adds the N of the timed
// point (not for a sweep over N).
QString estimateText(double seconds, const SweepTiming& timing, const QString& symbol, bool withN);

// The note in a plot before a run: the grid a run will sample, and that it adds samples to the
// theory drawn (`withTheory`) or, without, that nothing is drawn yet.
QString emptyNoteText(const QString& symbol, const core::SweepSpec& grid, int samples,
                      bool withTheory);

// Why `spec` cannot run, as the run would say it (core::checkedSweepModels on its grid); empty if
// it can.
QString sweepProblem(const core::SweepSpec& spec);
// A refused sweep's reason in a tab: the exception's what(), except that an InputError about
// "param" (the CLI's --param: in a tab, the tab is the swept parameter) is its message alone.
QString sweepRefusalText(const std::exception& e);
// The note in a plot whose sweep cannot run: `reason`, broken into lines of about 60 characters.
QString problemNoteText(const QString& reason);

// "15 of 15 grid points, 8 samples each, seed 1 at every point, dense sampler, 2.1 s." for the
// result `r` of a sweep of `ran` (" — cancelled" before the period): a sentence, as the estimate
// after it.
QString resultText(const core::SweepResult& r, const core::SweepSpec& ran);

} // namespace ws::ui
