#pragma once
// Atomic file writes, for every file the programs write (sessions, autosaves, CLI outputs,
// exported plots and tables, pruned .npy matrices): the file is either the old one or the
// complete new one, never half-written, also when the process dies mid-write.
//
// How: a temporary file ".NAME.tmp-XXXXXX" in the target's directory (mkostemp, so the rename
// stays on one filesystem), with the target's permissions if it exists (else 0666 minus the
// umask), written in full, fsync'ed, closed, renamed over the target; then the directory is
// fsync'ed so the rename itself survives a crash.

#include <string>
#include <string_view>

namespace ws::core {

// Writes `contents` to `path` atomically. Throws std::runtime_error "cannot write PATH: REASON"
// (strerror of the failing call) on any failure; `path` is untouched then and no temporary file
// is left. Blocks for the write and two fsyncs. Thread-safe (distinct temporary names).
void writeFileAtomically(const std::string& path, std::string_view contents);

} // namespace ws::core
