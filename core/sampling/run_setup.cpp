// The shared run prologue (see run_setup.h).
#include "core/sampling/run_setup.h"

#include "core/model/families.h"
#include "core/sampling/sampler.h"

#include <tbb/info.h>

#include <algorithm>
#include <string>

namespace ws::core {

RunShape runShape(const RunOptions& opt)
{
    if (opt.samples < 1)
        throw InputError("samples", "must be at least 1, got " + std::to_string(opt.samples));
    if (opt.threads < 0)
        throw InputError("threads",
                         "must be >= 0 (0 = all cores), got " + std::to_string(opt.threads));
    RunShape s;
    s.threads = opt.threads > 0 ? opt.threads : tbb::info::default_concurrency();
    s.inFlight = std::min(s.threads, opt.samples);
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
