#pragma once
// Output files, for every file the programs write (sessions, autosaves, CLI outputs, exported
// plots and tables, pruned .npy matrices): a file is either the old one or the complete new
// one, never half-written, also when the process dies mid-write; and the outputs of one result
// (the CLI's --json and --eigenvalues) are replaced together or not at all (OutputSet).
//
// Where the bytes go (resolveOutput):
// - A regular file, or a name that does not exist yet: replaced atomically. The bytes go to an
//   unnamed temporary file in the same directory (O_TMPFILE; a named ".NAME.tmp-XXXXXX" where
//   the filesystem lacks it), written in full and fsync'ed; at commit it gets a temporary name,
//   is renamed over the target, and the directory is fsync'ed so that the rename survives a
//   crash. A process killed while writing leaves nothing behind (the unnamed file vanishes).
//   The file keeps the target's permissions if it exists, else 0666 minus the umask.
// - A symbolic link: followed (at most 40 links) to the file it names, which is replaced in its
//   own directory; the link stays. A dangling link creates the file it names.
// - A character device, FIFO or socket (/dev/null, a named pipe, a terminal), or anything
//   reached through /proc's links to open files (/dev/stdout, /dev/fd/N): written in place, as
//   a shell redirection would; there is nothing to replace. A failed write reports the system's
//   reason (/dev/full: "No space left on device").
// - A directory (EISDIR) or a block device: refused.
// Temporary names are cut to fit the 255-byte limit of a file name, so any name that can be
// created can be written.
//
// Errors: std::runtime_error "cannot write PATH: REASON" (PATH as the caller gave it; REASON the
// strerror of the failing call); WriteCancelled when the cancel flag is set while writing
// (checked between 1 MiB pieces, and a blocking open or write of a FIFO returns on a signal).
// Either way no target has been replaced and no temporary file is left.

#include "core/util/cancelled.h"

#include <atomic>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ws::core {

// Writing was cancelled. what() says what happened ("nothing written", or which device or FIFO
// received part of its output); no file was replaced.
class WriteCancelled : public Cancelled
{
public:
    using Cancelled::Cancelled;
};

struct OutputTarget
{
    std::string path;    // the file to replace (links followed), or the path to write in place
    bool direct = false; // written in place: a character device, FIFO, socket or /proc link
};

// Where `path`'s bytes would go (see above). Throws std::runtime_error for an empty name, a
// directory, a block device, a link loop or a path that cannot be looked up (ENOTDIR, EACCES,
// ENAMETOOLONG). Does not create anything.
OutputTarget resolveOutput(const std::string& path);

// "DIR/.NAME.tmp-XXXXXX" for `target` (NAME cut at a character boundary so that the whole fits
// the 255-byte limit of a file name): the pattern of every temporary name here, for mkstemp or
// mkdtemp by writers that need a named temporary of their own (an encoder writing a file).
std::string temporaryPattern(const std::string& target);

// Throws std::runtime_error "cannot write PATH: REASON" unless `path` can be written as
// writeFileAtomically will: its directory accepts a temporary file under the names the write
// uses (created and removed again), or, for an in-place target, it is writable (access W_OK;
// a FIFO is not opened, which could block).
void checkOutputWritable(const std::string& path);

// Writes `contents` to `path` (see above). Blocks for the write and two fsyncs. Thread-safe.
void writeFileAtomically(const std::string& path, std::string_view contents,
                         const std::atomic<bool>* cancel = nullptr);

// Outputs that form one result: every file of the set is replaced, or none is. add() resolves
// the target and writes its temporary file at once (in-place targets are written at commit);
// commit() writes the in-place targets, then renames the temporaries over their files; if a
// rename fails, the files already replaced get their old contents back (they were swapped, not
// overwritten: renameat2 RENAME_EXCHANGE) and commit() throws. Without commit() -- an error, a
// cancel -- the destructor removes every temporary file and no target changes.
// In-place outputs cannot be taken back: they are written after every temporary file is
// complete and before any rename, so a failure there still leaves every file untouched.
// Not thread-safe (one thread uses a set); `contents` must stay valid until commit().
class OutputSet
{
public:
    explicit OutputSet(const std::atomic<bool>* cancel = nullptr);
    ~OutputSet();
    OutputSet(const OutputSet&) = delete;
    OutputSet& operator=(const OutputSet&) = delete;

    void add(const std::string& path, std::string_view contents);
    void commit();

    struct Entry; // one output (defined in the .cpp)

private:
    void commitSteps();
    void abandon() noexcept;
    const std::atomic<bool>* m_cancel;
    std::vector<Entry> m_entries;
    bool m_committed = false;
};

} // namespace ws::core
