// libFuzzer target: the session JSON reader (core::sessionFromJson), i.e. what
// `wignerscope-cli --session` and the GUI read from disk. Properties checked:
// - any input either loads or raises InputError (no other exception, no crash, bounded work);
// - a session that loads survives a save/load round trip unchanged.
#include "core/model/families.h"
#include "core/io/session.h"
#include "fuzz/fuzz_check.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace ws::core;

namespace {

[[noreturn]] void failed(const char* what, const std::string& text)
{
    ws::fuzz::failed(what, text, 2000);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(ws::fuzz::inputOf(data, size));
    const auto loaded = ws::fuzz::parsedOrRejected([&] { return sessionFromJson(text); });
    if (!loaded)
        return 0;
    const Session& s = *loaded;
    const std::string saved = sessionToJson(s);
    const Session back = ws::fuzz::reparsed([&] { return sessionFromJson(saved); }, saved,
                                            "the saved session does not load", 2000);
    if (!(back.model == s.model) || back.samples != s.samples || back.seed != s.seed ||
        back.viewJson != s.viewJson)
        failed("save/load round trip changed the session", saved);
    return 0;
}
