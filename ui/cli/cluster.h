#pragma once
// The CLI's view of a cluster run (docs/cluster.md): P processes started by mpirun, each running
// the same command. This interface is all the commands see; ui/cli/mpi/ implements it with MPI
// (linked into wignerscope-cli only when the build has WS_MPI), SerialCluster is the one-process
// case. No MPI here, so ws_cli and the GUI never link it.
//
// The protocol: every process runs the same steps in the same order. A step that can fail on
// some processes only (a memory budget, an unreadable file, a failed computation) ends in
// agree(): every process learns the first failure (lowest rank) and throws it, so all of them
// end with the same status and only rank 0 prints the message. Rank 0 alone sums up the results
// and writes; finish() then gives its exit status to the others.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace ws::cli {

// An exit status and the message that goes with it (without "error: "; empty: none).
struct Failure
{
    int status = 0;
    std::string message;
};

// A failure agreed by every process of a cluster run: thrown on each, printed by rank 0.
class ClusterFailure : public std::runtime_error
{
public:
    explicit ClusterFailure(Failure f) : std::runtime_error(f.message), m_failure(std::move(f)) {}
    const Failure& failure() const { return m_failure; }

private:
    Failure m_failure;
};

class Cluster
{
public:
    virtual ~Cluster() = default;
    virtual int rank() const = 0;
    virtual int size() const = 0;
    // The default --threads of each process: the cores it may use when the processes of one
    // node share them (0 = all cores, as without a cluster).
    virtual int defaultThreads() const = 0;
    // Collective: every process passes its outcome (status 0 = fine); every process gets the
    // failure of the lowest rank that failed, or status 0.
    virtual Failure agree(const Failure& mine) = 0;
    // Collective: rank 0 gets every process's block in rank order; the others get nothing.
    virtual std::vector<std::string> gather(const std::string& mine) = 0;
    // Collective: every process gets rank 0's block (the others' argument is ignored).
    virtual std::string broadcast(const std::string& fromRoot) = 0;

    bool isRoot() const { return rank() == 0; }
};

// One process: agree() returns its own outcome, gather() its own block.
class SerialCluster final : public Cluster
{
public:
    int rank() const override { return 0; }
    int size() const override { return 1; }
    int defaultThreads() const override { return 0; }
    Failure agree(const Failure& mine) override { return mine; }
    std::vector<std::string> gather(const std::string& mine) override { return {mine}; }
    std::string broadcast(const std::string& fromRoot) override { return fromRoot; }
};

// The static split of a run's work items (samples, or (grid point, sample) pairs) over
// `processes`: items in decreasing cost (equal costs: in order), each to the least loaded
// process, ties to the highest rank -- so rank 0, which also sums up and writes, gets the least.
// Deterministic: the owner of each item depends only on the costs and the process count (and
// the results never depend on the split at all: docs/cluster.md).
std::vector<int> splitWork(const std::vector<double>& costs, int processes);

// Binary blocks for gather/broadcast between processes of the same build.
class BlockWriter
{
public:
    void putInt(std::int64_t v);
    void putDouble(double v);
    void putDoubles(const std::vector<double>& v);
    void putInts(const std::vector<std::int64_t>& v);
    void putString(const std::string& s);
    std::string take() { return std::move(m_data); }

private:
    std::string m_data;
};

class BlockReader
{
public:
    explicit BlockReader(const std::string& data) : m_data(data) {}
    std::int64_t getInt();
    double getDouble();
    std::vector<double> getDoubles();
    std::vector<std::int64_t> getInts();
    std::string getString();
    bool atEnd() const { return m_pos == m_data.size(); }

private:
    void read(void* to, std::size_t bytes);
    const std::string& m_data;
    std::size_t m_pos = 0;
};

} // namespace ws::cli
