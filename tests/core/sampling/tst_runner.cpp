// Runner: thread-count independence, cancellation, callbacks, memory guard, option checks.
#include "support/core_models.h"
#include "core/model/families.h"
#include "core/sampling/banded/banded.h"
#include "core/model/model.h"
#include "core/sampling/run_setup.h"
#include "core/sampling/runner.h"
#include "core/sampling/sampler.h"

#include <QtTest>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <vector>

using namespace ws::core;

namespace {

Model model(int n, const char* noise, const char* bulk, Eigvecs ev)
{
    Model m{testsupport::families(1.0, noise, "list:3,-2", bulk), n};
    m.eigvecs = ev;
    validate(m);
    return m;
}

RunOptions options(int samples, int threads, std::uint64_t seed = 17)
{
    return testsupport::runOptions(samples, seed, threads);
}

} // namespace

class TestRunner : public QObject
{
    Q_OBJECT
private slots:
    void threadCountIndependent_data();
    void threadCountIndependent();
    void callbacks();
    void cancelPromptly();
    void cancelBeforeStart();
    void memoryGuard();
    void invalidOptions();
    void subsetRuns();
};

void TestRunner::threadCountIndependent_data()
{
    QTest::addColumn<Model>("m");
    QTest::addColumn<int>("sampler");
    QTest::newRow("gaussian auto")
        << model(180, "gaussian", "zero", Eigvecs::Basis) << int(SamplerChoice::Auto);
    QTest::newRow("gaussian dense")
        << model(180, "gaussian", "zero", Eigvecs::Haar) << int(SamplerChoice::Dense);
    QTest::newRow("rademacher haar")
        << model(180, "rademacher", "uniform:-1,1", Eigvecs::Haar) << int(SamplerChoice::Auto);
    QTest::newRow("complex haar") << model(180, "complex", "semicircle:1", Eigvecs::Haar)
                                  << int(SamplerChoice::Auto);
    QTest::newRow("sparse basis") << model(180, "sparse:0.2", "zero", Eigvecs::Basis)
                                  << int(SamplerChoice::Auto);
    // N >= kTwoStageMinN: the TBB-parallel band reduction runs inside each sample.
    QTest::newRow("large uniform")
        << model(kTwoStageMinN + 50, "uniform", "uniform:-1,1", Eigvecs::Basis)
        << int(SamplerChoice::Auto);
    QTest::newRow("large complex")
        << model(kTwoStageMinNComplex + 50, "complex", "uniform:-1,1", Eigvecs::Basis)
        << int(SamplerChoice::Dense);
}

void TestRunner::threadCountIndependent()
{
    QFETCH(Model, m);
    QFETCH(int, sampler);
    const int n = m.n;
    RunOptions one = options(7, 1), two = options(7, 2);
    one.sampler = two.sampler = static_cast<SamplerChoice>(sampler);
    const RunResult a = runSamples(m, one);
    const RunResult b = runSamples(m, two);
    QCOMPARE(a.completed, 7);
    QCOMPARE(b.completed, 7);
    QVERIFY(!a.cancelled && !b.cancelled);
    QVERIFY(a.sampler == b.sampler);
    QCOMPARE(a.sampleIndex, std::vector<int>({0, 1, 2, 3, 4, 5, 6}));
    QCOMPARE(b.sampleIndex, a.sampleIndex);
    for (int k = 0; k < 7; ++k) {
        const auto ks = static_cast<std::size_t>(k);
        QVERIFY2(a.eigenvalues[ks] == b.eigenvalues[ks], "1 and 2 threads differ"); // bit-identical
        QCOMPARE(a.eigenvalues[ks].size(), static_cast<std::size_t>(n));
        QVERIFY(std::is_sorted(a.eigenvalues[ks].begin(), a.eigenvalues[ks].end()));
    }
    QVERIFY(a.eigenvalues[0] != a.eigenvalues[1]);
    // And the same numbers as the sampler called directly for sample k.
    const auto direct = makeSampler(m, one.sampler, one.seed);
    QVERIFY(direct->sample(5, nullptr) == a.eigenvalues[5]);
    QVERIFY(a.totalSeconds > 0.0);
}

void TestRunner::callbacks()
{
    const Model m = model(120, "uniform", "zero", Eigvecs::Basis);
    const int K = 23;
    std::vector<int> perSample(K, 0);
    std::vector<int> dones;
    int inCallback = 0, maxInCallback = 0; // serialized: never more than one at once
    const RunResult r = runSamples(
        m, options(K, 2), nullptr,
        [&](int done, int total) {
            ++inCallback;
            maxInCallback = std::max(maxInCallback, inCallback);
            QCOMPARE(total, K);
            dones.push_back(done);
            --inCallback;
        },
        [&](int k, const std::vector<double>& ev) {
            ++inCallback;
            maxInCallback = std::max(maxInCallback, inCallback);
            QVERIFY(k >= 0 && k < K);
            QCOMPARE(ev.size(), std::size_t(120));
            ++perSample[static_cast<std::size_t>(k)];
            --inCallback;
        });
    QCOMPARE(r.completed, K);
    QCOMPARE(maxInCallback, 1);
    for (int c : perSample)
        QCOMPARE(c, 1); // onSample once per sample
    QCOMPARE(static_cast<int>(dones.size()), K);
    for (int i = 0; i < K; ++i)
        QCOMPARE(dones[static_cast<std::size_t>(i)], i + 1); // 1, 2, ..., K in order
}

void TestRunner::cancelPromptly()
{
    // 400 samples of N = 500 take many seconds; cancelling after the third must return at once
    // (the samples already running finish, nothing new starts).
    const Model m = model(500, "gaussian", "uniform:-1,1", Eigvecs::Basis);
    const int K = 400;
    std::atomic<bool> cancel{false};
    int seen = 0;
    using clock = std::chrono::steady_clock;
    clock::time_point cancelledAt;
    const RunResult r =
        runSamples(m, options(K, 2), &cancel, {}, [&](int, const std::vector<double>&) {
            if (++seen == 3) {
                cancel = true;
                cancelledAt = clock::now();
            }
        });
    const double after = std::chrono::duration<double>(clock::now() - cancelledAt).count();
    QVERIFY(r.cancelled);
    QCOMPARE(r.requested, K);
    QVERIFY2(r.completed >= 3 && r.completed < 10, qPrintable(QString::number(r.completed)));
    QCOMPARE(static_cast<int>(r.eigenvalues.size()), r.completed);
    QCOMPARE(static_cast<int>(r.sampleIndex.size()), r.completed);
    QVERIFY(std::is_sorted(r.sampleIndex.begin(), r.sampleIndex.end()));
    QVERIFY2(after < 1.0, qPrintable(QString("returned %1 s after cancel").arg(after)));
    // The partial results are the real samples k, not garbage.
    const auto direct = makeSampler(m, SamplerChoice::Auto, 17);
    for (std::size_t i = 0; i < r.eigenvalues.size(); ++i)
        QVERIFY(r.eigenvalues[i] ==
                direct->sample(static_cast<std::uint64_t>(r.sampleIndex[i]), nullptr));
}

void TestRunner::cancelBeforeStart()
{
    const Model m = model(300, "gaussian", "zero", Eigvecs::Basis);
    std::atomic<bool> cancel{true};
    int calls = 0;
    const RunResult r = runSamples(m, options(50, 2), &cancel, [&](int, int) { ++calls; });
    QVERIFY(r.cancelled);
    QCOMPARE(r.completed, 0);
    QVERIFY(r.eigenvalues.empty());
    QCOMPARE(calls, 0);
}

void TestRunner::memoryGuard()
{
    QVERIFY(physicalMemoryBytes() > (std::size_t{64} << 20));
    QCOMPARE(defaultMemoryBudget(), physicalMemoryBytes() / 2);

    for (const char* noise : {"rademacher", "complex"}) {
        Model m = model(5000, noise, "uniform:-1,1", Eigvecs::Haar);
        RunOptions o = options(1, 1);
        o.memoryBudget = std::size_t{8} << 20; // 8 MiB
        QString message;
        try {
            runSamples(m, o);
            QFAIL("expected ResourceError");
        } catch (const ResourceError& e) {
            message = QString::fromUtf8(e.what());
        }
        QVERIFY2(message.contains("budget") && message.contains("8.0 MiB") &&
                     message.contains("N = 5000"),
                 qPrintable(message));
        const QRegularExpression re("largest N that fits is (\\d+)");
        const auto match = re.match(message);
        QVERIFY2(match.hasMatch(), qPrintable(message));
        const int fit = match.captured(1).toInt();
        // 8 MiB holds about two or three N x N matrices (H, and S with its build) of this type.
        QVERIFY2(fit > 200 && fit < 1000, qPrintable(message));
        // The largest N that fits does fit (and runs), one more does not.
        m.n = fit;
        const RunResult r = runSamples(m, o);
        QCOMPARE(r.completed, 1);
        m.n = fit + 1;
        QVERIFY_THROWS_EXCEPTION(ResourceError, runSamples(m, o));
    }
    // More samples in flight need more memory: 2 threads can be refused where 1 fits.
    Model m = model(600, "gaussian", "uniform:-1,1", Eigvecs::Basis);
    RunOptions o = options(2, 1);
    const std::size_t one = denseSamplerPeakBytes(m, 1), two = denseSamplerPeakBytes(m, 2);
    QVERIFY(two > one);
    o.memoryBudget = (one + two) / 2 + 2 * 600 * sizeof(double) + 1024;
    QCOMPARE(runSamples(m, o).completed, 2);
    o.threads = 2;
    if (hardwareThreads() >= 2) {
        QVERIFY_THROWS_EXCEPTION(ResourceError, runSamples(m, o));
    } else {
        // One core (the TSan stage pins each test to one): the request is capped to one thread,
        // one sample in flight, and the run fits as above.
        QCOMPARE(runSamples(m, o).completed, 2);
    }
}

void TestRunner::invalidOptions()
{
    const Model good = model(50, "gaussian", "zero", Eigvecs::Basis);
    QVERIFY_THROWS_EXCEPTION(InputError, runSamples(good, options(0, 1)));
    QVERIFY_THROWS_EXCEPTION(InputError, runSamples(good, options(-3, 1)));
    QVERIFY_THROWS_EXCEPTION(InputError, runSamples(good, options(2, -1)));
    Model bad = good;
    bad.n = 1;
    QVERIFY_THROWS_EXCEPTION(InputError, runSamples(bad, options(1, 1)));
    bad = good;
    bad.sigma = 0.0;
    QVERIFY_THROWS_EXCEPTION(InputError, runSamples(bad, options(1, 1)));
    bad = good;
    bad.noise = NoiseFamily{NoiseKind::StudentT, 2.0};
    QVERIFY_THROWS_EXCEPTION(InputError, runSamples(bad, options(1, 1)));
    // Banded on a model it does not cover.
    RunOptions banded = options(1, 1);
    banded.sampler = SamplerChoice::Banded;
    QVERIFY_THROWS_EXCEPTION(InputError,
                             runSamples(model(50, "rademacher", "zero", Eigvecs::Basis), banded));
    QVERIFY_THROWS_EXCEPTION(
        InputError, runSamples(model(50, "gaussian", "uniform:0,1", Eigvecs::Basis), banded));
    // threads = 0 means all cores and works.
    QCOMPARE(runSamples(good, options(3, 0)).completed, 3);
}

void TestRunner::subsetRuns()
{
    // A subset of the samples (RunOptions::subset, what each process of a cluster run draws):
    // sample k is bit for bit the full run's sample k, on the dense sampler, the banded sampler
    // and the banded fast path; the run reports the subset's indices and size.
    const Model dense = model(150, "uniform", "uniform:-1,1", Eigvecs::Basis);
    const Model banded = model(400, "gaussian", "zero", Eigvecs::Basis);
    for (const Model* m : {&dense, &banded}) {
        RunOptions all = options(6, 2);
        const RunResult full = runSamples(*m, all);
        RunOptions part = all;
        part.subset = {1, 4, 5};
        const RunResult sub = runSamples(*m, part);
        QCOMPARE(sub.requested, 3);
        QCOMPARE(sub.completed, 3);
        QVERIFY(!sub.cancelled);
        QCOMPARE(sub.sampleIndex, part.subset);
        QVERIFY(sub.sampler == full.sampler);
        for (std::size_t i = 0; i < 3; ++i)
            QVERIFY(sub.eigenvalues[i] ==
                    full.eigenvalues[static_cast<std::size_t>(part.subset[i])]);
    }
    BandedSpectrumRequest req;
    req.edges = {-3.0, -1.0, 0.0, 1.0, 3.0};
    req.topCount = 2;
    const BandedRunResult full = runBandedSpectra(banded, options(5, 1), req);
    RunOptions part = options(5, 1);
    part.subset = {0, 3};
    const BandedRunResult sub = runBandedSpectra(banded, part, req);
    QCOMPARE(sub.sampleIndex, part.subset);
    QCOMPARE(sub.completed, 2);
    for (std::size_t i = 0; i < 2; ++i) {
        const BandedSpectrum& a = sub.spectra[i];
        const BandedSpectrum& b = full.spectra[static_cast<std::size_t>(part.subset[i])];
        QVERIFY(a.counts == b.counts && a.top == b.top);
    }
    // Indices out of range, repeated or unsorted are refused before anything runs.
    for (const std::vector<int>& bad : {std::vector<int>{6}, std::vector<int>{-1},
                                        std::vector<int>{2, 2}, std::vector<int>{3, 1}}) {
        RunOptions o = options(6, 1);
        o.subset = bad;
        QVERIFY_THROWS_EXCEPTION(InputError, runSamples(dense, o));
    }
}

QTEST_APPLESS_MAIN(TestRunner)
#include "tst_runner.moc"
