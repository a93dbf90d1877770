#pragma once
// Session files: the JSON the GUI saves and `wignerscope-cli --session` reads.
// {
//   "format": "wignerscope-session", "version": 1,
//   "model": {"n": 1000, "sigma": 1, "noise": "gaussian", "alpha": 0 | "rank": 5,
//             "spikes": "equal:3", "bulk": "zero", "eigvecs": "basis"},
//   "run": {"samples": 1, "seed": 1},
//   "view": {...}          // GUI settings, kept opaque by the core
// }
// Unknown keys are ignored; wrong types, missing required fields and invalid values raise
// InputError naming the key.

#include "core/model/model.h"

#include <cstdint>
#include <string>

namespace ws::core {

struct Session
{
    Model model;
    int samples = 1;
    std::uint64_t seed = 1;
    std::string viewJson = "{}"; // opaque JSON object text for the GUI
};

std::string sessionToJson(const Session& s);
Session sessionFromJson(const std::string& text); // InputError on anything malformed
Session loadSession(const std::string& path);     // InputError if unreadable too

} // namespace ws::core
