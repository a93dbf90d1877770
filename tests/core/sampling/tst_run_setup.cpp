// The shared run prologue (core/sampling/run_setup.h): what it resolves, what it refuses, and
// that every run refuses the same options with the same message.
#include "support/core_checks.h"
#include "support/core_models.h"
#include "core/model/families.h"
#include "core/outliers/overlap.h"
#include "core/rectangular/rectangular.h"
#include "core/sampling/banded/banded.h"
#include "core/sampling/run_setup.h"
#include "core/sampling/runner.h"
#include "core/sweeps/sweep.h"
#include "core/theory/theory.h"

#include <tbb/info.h>

#include <QtTest>

#include <algorithm>

#include <functional>
#include <string>

using namespace ws::core;
using testsupport::errorMessage;

namespace {

// The default seed: what is resolved here does not depend on it.
RunOptions options(int samples, int threads)
{
    return testsupport::runOptions(samples, RunOptions{}.seed, threads);
}

} // namespace

class TestRunSetup : public QObject
{
    Q_OBJECT
private slots:
    void resolvesThreadsInFlightAndBudget();
    void refusesBadOptions();
    void modelFirstThenOptionsThenSampler();
    void everyRunRefusesTheSameWay();
};

void TestRunSetup::resolvesThreadsInFlightAndBudget()
{
    // A request beyond the cores is capped to them (the results do not depend on the count).
    const int three = std::min(3, hardwareThreads());
    RunShape s = runShape(options(5, 3));
    QCOMPARE(s.threads, three);
    QCOMPARE(s.inFlight, three);
    QCOMPARE(runShape(options(5, hardwareThreads() + 5)).threads, hardwareThreads());
    QCOMPARE(s.budget, defaultMemoryBudget());
    s = runShape(options(2, 8));
    QCOMPARE(s.inFlight, std::min(2, hardwareThreads())); // never more in flight than samples
    s = runShape(options(100, 0));
    QCOMPARE(s.threads, tbb::info::default_concurrency());
    QCOMPARE(s.inFlight, std::min(100, tbb::info::default_concurrency()));
    RunOptions o = options(1, 1);
    o.memoryBudget = 12345;
    QCOMPARE(runShape(o).budget, std::size_t{12345});
}

void TestRunSetup::refusesBadOptions()
{
    QCOMPARE(errorMessage([] { runShape(options(0, 1)); }),
             std::string("samples: must be at least 1, got 0"));
    QCOMPARE(errorMessage([] { runShape(options(1, -2)); }),
             std::string("threads: must be >= 0 (0 = all cores), got -2"));
}

void TestRunSetup::modelFirstThenOptionsThenSampler()
{
    Model bad = testsupport::rankOneModel(40);
    bad.sigma = -1.0;
    RunOptions o = options(0, -1);
    o.sampler = SamplerChoice::Banded;
    QVERIFY(errorMessage([&] { runSetup(bad, o); }).rfind("sigma: ", 0) == 0);
    Model rademacher = testsupport::rankOneModel(40);
    rademacher.noise = parseNoise("rademacher");
    QVERIFY(errorMessage([&] { runSetup(rademacher, o); }).rfind("samples: ", 0) == 0);
    o = options(1, 1);
    o.sampler = SamplerChoice::Banded;
    QCOMPARE(errorMessage([&] { runSetup(rademacher, o); }),
             "sampler: " + bandedInapplicableReason(rademacher));
    o.sampler = SamplerChoice::Auto; // auto falls back to dense: nothing to refuse
    QCOMPARE(runSetup(rademacher, o).inFlight, 1);
}

// The same bad options through each run: one message (the prologue is shared).
void TestRunSetup::everyRunRefusesTheSameWay()
{
    const Model m = testsupport::rankOneModel(40);
    const Theory th = computeTheory(m, 50);
    RectModel rm;
    rm.n = 20;
    rm.m = 30;
    for (const RunOptions& o : {options(0, 1), options(2, -1)}) {
        const std::string want = errorMessage([&] { runShape(o); });
        QCOMPARE(errorMessage([&] { runSamples(m, o); }), want);
        QCOMPARE(errorMessage([&] { runBandedSpectra(m, o, {}); }), want);
        QCOMPARE(errorMessage([&] { runOverlaps(m, th, o); }), want);
        SweepSpec spec;
        spec.base = m;
        spec.run = o;
        spec.steps = 2;
        QCOMPARE(errorMessage([&] { runSweep(spec); }), want);
        QCOMPARE(errorMessage([&] { runRectSamples(rm, o); }), want);
    }
}

QTEST_APPLESS_MAIN(TestRunSetup)
#include "tst_run_setup.moc"
