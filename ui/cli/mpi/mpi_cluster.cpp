// wignerscope-cli's cluster over MPI (see mpi_cluster.h).
#include "ui/cli/mpi/mpi_cluster.h"

#include "core/sampling/run_setup.h"

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <thread>

namespace ws::cli {

namespace {

// Blocks larger than this go in several messages (MPI counts are ints).
constexpr std::size_t kChunk = std::size_t{1} << 30;
constexpr int kTagSize = 1, kTagData = 2;

// Waits for a request, sleeping between tests: Open MPI's blocking calls poll at 100% of a core,
// which would take it from the oneTBB threads of a process still computing on the same node.
void await(MPI_Request& request)
{
    int done = 0;
    for (int spins = 0;; ++spins) {
        MPI_Test(&request, &done, MPI_STATUS_IGNORE);
        if (done)
            return;
        if (spins > 100)
            std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
}

class MpiCluster final : public Cluster
{
public:
    MpiCluster()
    {
        MPI_Comm_dup(MPI_COMM_WORLD, &m_comm);
        MPI_Comm_rank(m_comm, &m_rank);
        MPI_Comm_size(m_comm, &m_size);
        // The processes of this node share its cores, unless mpirun bound this one to some
        // (oneTBB then sees only those).
        MPI_Comm node;
        MPI_Comm_split_type(m_comm, MPI_COMM_TYPE_SHARED, m_rank, MPI_INFO_NULL, &node);
        int local = 1;
        MPI_Comm_size(node, &local);
        MPI_Comm_free(&node);
        const int visible = core::hardwareThreads();
        const auto all = static_cast<int>(std::thread::hardware_concurrency());
        m_threads = visible < all ? visible : std::max(1, visible / std::max(local, 1));
    }
    ~MpiCluster() override
    {
        MPI_Comm_free(&m_comm);
        MPI_Finalize();
    }
    MpiCluster(const MpiCluster&) = delete;
    MpiCluster& operator=(const MpiCluster&) = delete;

    int rank() const override { return m_rank; }
    int size() const override { return m_size; }
    int defaultThreads() const override { return m_threads; }

    Failure agree(const Failure& mine) override
    {
        std::vector<int> status(static_cast<std::size_t>(m_size), 0);
        int own = mine.status;
        MPI_Request request;
        MPI_Iallgather(&own, 1, MPI_INT, status.data(), 1, MPI_INT, m_comm, &request);
        await(request);
        const auto first = std::find_if(status.begin(), status.end(), [](int s) { return s != 0; });
        if (first == status.end())
            return {};
        const int from = static_cast<int>(first - status.begin());
        return {*first, broadcastFrom(from, mine.message)};
    }

    std::vector<std::string> gather(const std::string& mine) override
    {
        if (m_rank != 0) {
            send(mine, 0);
            return {};
        }
        std::vector<std::string> all;
        all.reserve(static_cast<std::size_t>(m_size));
        all.push_back(mine);
        for (int r = 1; r < m_size; ++r)
            all.push_back(receive(r));
        return all;
    }

    std::string broadcast(const std::string& fromRoot) override
    {
        return broadcastFrom(0, fromRoot);
    }

private:
    std::string broadcastFrom(int root, const std::string& data)
    {
        std::int64_t size = m_rank == root ? static_cast<std::int64_t>(data.size()) : 0;
        MPI_Request request;
        MPI_Ibcast(&size, 1, MPI_INT64_T, root, m_comm, &request);
        await(request);
        std::string out = m_rank == root ? data : std::string(static_cast<std::size_t>(size), '\0');
        for (std::size_t at = 0; at < out.size(); at += kChunk) {
            const auto n = static_cast<int>(std::min(kChunk, out.size() - at));
            MPI_Ibcast(out.data() + at, n, MPI_CHAR, root, m_comm, &request);
            await(request);
        }
        return out;
    }

    void send(const std::string& data, int to)
    {
        std::int64_t size = static_cast<std::int64_t>(data.size());
        MPI_Request request;
        MPI_Isend(&size, 1, MPI_INT64_T, to, kTagSize, m_comm, &request);
        await(request);
        for (std::size_t at = 0; at < data.size(); at += kChunk) {
            const auto n = static_cast<int>(std::min(kChunk, data.size() - at));
            MPI_Isend(data.data() + at, n, MPI_CHAR, to, kTagData, m_comm, &request);
            await(request);
        }
    }

    std::string receive(int from)
    {
        std::int64_t size = 0;
        MPI_Request request;
        MPI_Irecv(&size, 1, MPI_INT64_T, from, kTagSize, m_comm, &request);
        await(request);
        if (size < 0)
            throw std::runtime_error("cluster: a negative block size");
        std::string data(static_cast<std::size_t>(size), '\0');
        for (std::size_t at = 0; at < data.size(); at += kChunk) {
            const auto n = static_cast<int>(std::min(kChunk, data.size() - at));
            MPI_Irecv(data.data() + at, n, MPI_CHAR, from, kTagData, m_comm, &request);
            await(request);
        }
        return data;
    }

    MPI_Comm m_comm = MPI_COMM_NULL;
    int m_rank = 0, m_size = 1, m_threads = 0;
};

} // namespace

bool launchedByMpi()
{
    // Open MPI's mpirun, then the PMI/PMIx variables of MPICH's hydra and Slurm's srun.
    for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
        if (std::getenv(name))
            return true;
    return false;
}

std::unique_ptr<Cluster> startMpi(int* argc, char*** argv)
{
    MPI_Init(argc, argv);
    return std::make_unique<MpiCluster>();
}

} // namespace ws::cli
