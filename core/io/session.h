#pragma once
// Session files: the JSON the GUI saves and `wignerscope-cli --session` (and `rect ... --session`)
// reads.
// {
//   "format": "wignerscope-session", "version": 2,
//   "model": {"n": 1000, "sigma": 1, "noise": "gaussian", "alpha": 0 | "rank": 5,
//             "spikes": "equal:3", "bulk": "zero", "eigvecs": "basis"},
//   "run": {"samples": 1, "seed": 1},
//   "rect": {"model": {"n": 400, "m": 800, "sigma": ..., ...as "model"},   // optional
//            "run": {"samples": 10, "seed": 1}},
//   "view": {...}          // GUI settings, kept opaque by the core
// }
// Both models write their shared fields (core::NoiseAndSignal) with the same keys. Unknown keys
// are ignored; wrong types, missing required fields ("model", "model.n", "rect.model",
// "rect.model.n", "rect.model.m") and invalid values raise InputError naming the key
// (param() "model.spikes", "rect.run.seed", ...).
// Version 1 files load too: their rectangular model, if any, was the Rectangular tab's control
// values in view.sweeps.rectangular; it is read into `rect` when it is a valid model (and left
// out otherwise). The view object is kept as it is.

#include "core/model/model.h"
#include "core/rectangular/rectangular.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace ws::core {

// The rectangular model and its run settings (the Rectangular tab; `wignerscope-cli rect`).
struct RectSession
{
    RectModel model;
    int samples = 1;
    std::uint64_t seed = 1;
    bool operator==(const RectSession&) const = default;
};

struct Session
{
    Model model;
    int samples = 1;
    std::uint64_t seed = 1;
    std::optional<RectSession> rect; // absent in sessions written without the rectangular model
    std::string viewJson = "{}";     // opaque JSON object text for the GUI
};

// Session files are small (a few KiB; the opaque view may hold more): larger files are refused
// with their size before they are read, and so are FIFOs and devices (core/io/read_file.h).
constexpr std::size_t kMaxSessionBytes = std::size_t{64} << 20;

std::string sessionToJson(const Session& s);
Session sessionFromJson(const std::string& text); // InputError on anything malformed
Session loadSession(const std::string& path);     // InputError if unreadable too

} // namespace ws::core
