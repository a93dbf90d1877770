#pragma once
// Hostile session files, shared by the CLI (tst_cli_inputs) and GUI (tst_guifiles) input tests:
// each must be refused with a message naming `names` (the offending key; "" = no key to name),
// without running anything or touching any file.

#include <string>
#include <vector>

namespace ws::testing {

struct HostileSession
{
    std::string name;     // the test row
    std::string contents; // the file's bytes (invalid UTF-8 stays invalid)
    std::string names;    // what the message must name
};
std::vector<HostileSession> hostileSessions();

// A version-1 session document around `model` (a JSON object text), with `rest` appended inside
// the top-level object (e.g. R"(, "run": {...})").
std::string sessionText(const std::string& model, const std::string& rest = "");

} // namespace ws::testing
