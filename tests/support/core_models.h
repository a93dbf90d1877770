#pragma once
// The core tests' models, sweeps and run settings from the CLI's words, so that a test states
// only what it varies: the families both models share, a square model from them (a spike family
// other than a list gets a fixed rank of 1, as in test_session.h), a model with an explicit rank,
// a sweep over a grid, the run options of a seeded run; and the model as a QTest column.
#include "core/model/families.h"
#include "core/model/model.h"
#include "core/sampling/runner.h"
#include "core/sweeps/sweep.h"

#include <QMetaType>

#include <cstdint>
#include <string>

namespace testsupport {

// What the square and the rectangular model share: sigma, the noise, spike and bulk families,
// and the rank rule r = ceil(size^alpha) (a spike list gives its own rank). Not validated: give
// it a size, e.g. Model{families(...), n} or RectModel{families(...), n, m}.
inline ws::core::NoiseAndSignal families(double sigma, const std::string& noise,
                                         const std::string& spikes, const std::string& bulk,
                                         double alpha = 0.0)
{
    ws::core::NoiseAndSignal f;
    f.sigma = sigma;
    f.noise = ws::core::parseNoise(noise);
    f.spikes = ws::core::parseSpikes(spikes);
    f.bulk = ws::core::parseBulk(bulk);
    f.rank.alpha = alpha;
    return f;
}

// The square model of size n, sigma 1, validated (InputError otherwise).
inline ws::core::Model squareModel(int n, const std::string& noise, const std::string& spikes,
                                   const std::string& bulk, const std::string& eigvecs = "basis")
{
    ws::core::Model m{families(1.0, noise, spikes, bulk), n};
    m.eigvecs = ws::core::parseEigvecs(eigvecs);
    if (m.spikes.kind != ws::core::SpikeKind::List) {
        m.rank.isExplicit = true;
        m.rank.rank = 1;
    }
    ws::core::validate(m);
    return m;
}

// The model with an explicit rank r instead of its rank rule.
inline ws::core::Model withRank(ws::core::Model m, int r)
{
    m.rank = ws::core::RankRule{true, 0.0, r};
    return m;
}

// Spikes equal:3 at size n, the default rank rule (r = 1): the smallest model that has an
// outlier. Not validated.
inline ws::core::Model rankOneModel(int n)
{
    ws::core::Model m;
    m.n = n;
    m.spikes = ws::core::parseSpikes("equal:3");
    return m;
}

// `samples` samples from `seed` on `threads` threads (0: all); sampler and memory budget as the
// core chooses.
inline ws::core::RunOptions runOptions(int samples, std::uint64_t seed, int threads = 0)
{
    ws::core::RunOptions o;
    o.samples = samples;
    o.seed = seed;
    o.threads = threads;
    return o;
}

// A sweep grid: `steps` values of `param` from `from` to `to`, geometric if `log`.
struct Grid
{
    ws::core::SweepParam param = ws::core::SweepParam::Theta;
    double from = 0.0, to = 0.0;
    int steps = 1;
    bool log = false;
};

// The sweep of `base` along `grid`, `samples` samples at each point from `seed`; the other
// settings are SweepSpec's defaults.
inline ws::core::SweepSpec sweepSpec(const ws::core::Model& base, const Grid& grid, int samples,
                                     std::uint64_t seed = ws::core::RunOptions{}.seed)
{
    ws::core::SweepSpec s;
    s.base = base;
    s.param = grid.param;
    s.from = grid.from;
    s.to = grid.to;
    s.steps = grid.steps;
    s.log = grid.log;
    s.run = runOptions(samples, seed);
    return s;
}

// The BBP tab's sweep: one spike equal:theta (rank fixed at 1, the grid's theta its strength) at
// size n, `steps` values of theta from `from` to `to`, `samples` samples at each from `seed`.
inline ws::core::SweepSpec rankOneThetaSweep(int n, double from, double to, int steps,
                                             int samples = 1, std::uint64_t seed = 3)
{
    ws::core::SweepSpec s =
        sweepSpec(withRank(rankOneModel(n), 1), Grid{ws::core::SweepParam::Theta, from, to, steps},
                  samples, seed);
    s.rankOne = true;
    return s;
}

} // namespace testsupport

// A model as a QTest column (QTest::addColumn<ws::core::Model>("model")), so that a table's row
// states the model its test runs, built by the helpers above.
Q_DECLARE_METATYPE(ws::core::Model)
