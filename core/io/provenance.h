#pragma once
// Where a data file came from: the comment lines every CSV of the app and the CLI starts with,
// so a table found later names the program, the model, the seed, the samples and the date that
// made it. One builder for both front ends (ui/cli and ui/widgets/exporter call it), so that the
// app's CSV for a model equals the CLI's byte for byte after these lines.
//
//   # wignerscope 0.9.0
//   # model: --n 1000 --sigma 1 --noise gaussian --alpha 0.5 --spikes equal:3 --bulk zero --eigvecs
//   basis # seed: 7 # samples: 4 # date: 2026-12-06T16:47:13Z
//
// Lines whose value is unknown (a weights table has no seed) are left out. A CSV reader skips
// them with its comment option (pandas: comment='#'; numpy: the default of loadtxt).

#include "core/model/model.h"
#include "core/sweeps/sweep.h"

#include <cstdint>
#include <optional>
#include <string>

namespace ws::core {

// The model as the CLI reads it: "--n N --sigma S --noise F --alpha A|--rank R --spikes F
// --bulk F --eigvecs E" (the families in their spec grammar, numbers in shortest round-trip
// form). Passing it to `wignerscope-cli sample` gives the same model.
std::string modelArguments(const Model& m);
// The part both models share: "--sigma S --noise F --alpha A|--rank R --spikes F --bulk F
// --eigvecs E" (the rectangular model's CSVs: "rect --n N --m M " before it).
std::string signalArguments(const NoiseAndSignal& s);

struct Provenance
{
    std::string model;                 // modelArguments(), or another description
    std::optional<std::uint64_t> seed; // the run's seed
    std::optional<int> samples;        // samples per run (per grid point, per frame)
    std::int64_t time = 0;             // seconds since 1970-01-01 UTC (provenanceTime())
    std::string extra;                 // further "# key: value" lines, each ending in '\n'
};

// A sweep's: the base model, its seed and samples per grid point, and a "# sweep: ..." line
// naming the parameter and the grid ("theta from 0.5 to 3, 10 steps, rank one"). The app's sweep
// tabs and `wignerscope-cli sweep --csv` write it.
Provenance sweepProvenance(const SweepSpec& spec, std::int64_t time);

// "2026-12-06T16:47:13Z" (ISO 8601, UTC) for seconds since 1970-01-01 UTC.
std::string isoUtc(std::int64_t unixSeconds);

// The time files are stamped with: `sourceDateEpoch` (the SOURCE_DATE_EPOCH environment variable
// of reproducible builds, which the front ends pass; tests set it) when it is a non-negative
// integer, else now. No side effects.
std::int64_t provenanceTime(const char* sourceDateEpoch);

// The comment lines above (each "# ...\n"); the version is WS_VERSION. Line breaks in `model`
// are replaced by spaces (one comment line each).
std::string csvProvenance(const Provenance& p);

// Eigenvalues, one row per value: "sample,index,value", values in shortest round-trip form
// (core::formatDouble). `sample` is each list's sample number; `index` the value's rank among
// the N eigenvalues of its sample (0-based) -- its position in the list unless `ranks` gives it
// (the banded path lists only some eigenvalues). The app and the CLI write this table.
std::string eigenvaluesCsvRows(const std::vector<int>& sample,
                               const std::vector<std::vector<double>>& values,
                               const std::vector<std::vector<std::int64_t>>* ranks = nullptr);

} // namespace ws::core
