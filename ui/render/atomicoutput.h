#pragma once
// An output written under a temporary name next to its target and renamed over it at the end,
// so that an error or Ctrl-C never leaves a half-written file (or directory of frames) behind.
// File targets are resolved as core's writer does (core/io/atomic_file.h): a link is followed to
// the file it names, a device or FIFO is written in place at commit.

#include <stdexcept>
#include <string>

namespace ws::render {

// An output cannot be written. Message: "cannot write PATH: reason".
class EncodeError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

class AtomicOutput
{
public:
    enum class Kind { File, Directory };

    // Creates the temporary (".NAME.XXXXXX" in the target's directory; a file or a directory).
    // Throws EncodeError if it cannot.
    AtomicOutput(std::string target, Kind kind);
    // Without commit(), removes the temporary and everything in it.
    ~AtomicOutput();
    AtomicOutput(const AtomicOutput&) = delete;
    AtomicOutput& operator=(const AtomicOutput&) = delete;

    const std::string& target() const { return m_target; }
    const std::string& path() const { return m_temp; } // where to write

    // Flushes (fsync) and renames the temporary over the target. A directory target that
    // exists is swapped with the new one in one step (renameat2 RENAME_EXCHANGE) and the old
    // one removed; checkTarget() says beforehand whether it may be replaced.
    // Throws EncodeError (the temporary is then removed by the destructor).
    void commit();

    // Throws EncodeError unless `target` can be written as `kind`: its directory exists and
    // accepts new entries, a file target is not a directory, a directory target is not a file
    // and, if it exists, holds nothing but frame_NNNN.png files (a previous output, replaced
    // as a whole).
    static void checkTarget(const std::string& target, Kind kind);

private:
    std::string m_target;
    std::string m_place;   // where a file goes: the target, or the file a link names
    bool m_direct = false; // a device or FIFO: its bytes are written in place at commit
    std::string m_temp;
    Kind m_kind;
    bool m_committed = false;
};

// "frame_0001.png" for index 0: the names of a frame directory.
std::string frameFileName(int index);

} // namespace ws::render
