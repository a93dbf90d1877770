// The shared run prologue (see run_setup.h).
#include "core/sampling/run_setup.h"

#include "core/model/families.h"
#include "core/sampling/sampler.h"

#include <tbb/info.h>

#include <algorithm>
#include <string>

namespace ws::core {

int hardwareThreads()
{
    return tbb::info::default_concurrency();
}

int usedThreads(int requested)
{
    // More threads than cores never run at once anyway (oneTBB caps its workers, and warns on
    // stderr when an arena asks for more); the results do not depend on the count.
    const int cores = hardwareThreads();
    return requested > 0 ? std::min(requested, cores) : cores;
}

RunShape runShape(const RunOptions& opt)
{
    if (opt.samples < 1)
        throw InputError("samples", "must be at least 1, got " + std::to_string(opt.samples));
    if (opt.threads < 0)
        throw InputError("threads",
                         "must be >= 0 (0 = all cores), got " + std::to_string(opt.threads));
    for (std::size_t i = 0; i < opt.subset.size(); ++i) {
        const int k = opt.subset[i];
        if (k < 0 || k >= opt.samples || (i > 0 && k <= opt.subset[i - 1]))
            throw InputError("samples", "the subset of samples must be ascending indices in [0, " +
                                            std::to_string(opt.samples) + "), got " +
                                            std::to_string(k));
    }
    RunShape s;
    s.threads = usedThreads(opt.threads);
    s.count = opt.subset.empty() ? opt.samples : static_cast<int>(opt.subset.size());
    s.inFlight = std::max(1, std::min(s.threads, s.count));
    s.budget = opt.memoryBudget > 0 ? opt.memoryBudget : defaultMemoryBudget();
    return s;
}

RunShape runSetup(const Model& m, const RunOptions& opt)
{
    validate(m);
    const RunShape s = runShape(opt);
    if (opt.sampler == SamplerChoice::Banded) {
        const std::string why = bandedInapplicableReason(m);
        if (!why.empty())
            throw InputError("sampler", why);
    }
    return s;
}

} // namespace ws::core
