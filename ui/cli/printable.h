#pragma once
// Text from files and arguments (tensor names, file names, values quoted in errors) made safe to
// print on a terminal: a control character in a safetensors header or a file name could
// otherwise move the cursor, clear the screen or recolour the output of wignerscope-cli.

#include <string>
#include <string_view>

namespace ws::cli {

// `text` with every C0 control character (below 0x20, tab and line breaks included), DEL, C1
// control character (U+0080..U+009F, e.g. the 8-bit CSI) and byte that is not part of valid
// UTF-8 written as \xNN (the bytes, in hex); printable ASCII and valid UTF-8 (e.g. "ä") stay as
// they are. Pure.
std::string printable(std::string_view text);

} // namespace ws::cli
