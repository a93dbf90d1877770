// The sampler plan (core/sampling/sampler_plan.h): the one rule for dense / banded / banded with
// inertia counts that the CLI, the sweeps and the GUI follow.
#include "support/core_models.h"
#include "core/model/families.h"
#include "core/sampling/sampler.h"
#include "core/sampling/sampler_plan.h"

#include <QtTest>

using namespace ws::core;
using testsupport::rankOneModel;

namespace {

} // namespace

class TestSamplerPlan : public QObject
{
    Q_OBJECT
private slots:
    void ruleTable();
    void costBoundaryIsSixteenN();
    void binsCountAndNoneCountsAsZero();
    void choiceAndAllEigenvalues();
    void usesBandedFollowsTheChoice();
    void autoPicksTheCheaperSampler();
    void costModelMatchesTheBench();
    void secondsGrowWithNAndRank();
    void names();
    void nameTablesRoundTrip();
};

void TestSamplerPlan::ruleTable()
{
    Model m = rankOneModel(1000);
    QCOMPARE(toString(planSampler(m, SamplerChoice::Auto, 100)),
             toString(SamplerPlan::BandedCounts)); // 250 < 16000
    m.n = 999;
    QCOMPARE(toString(planSampler(m, SamplerChoice::Auto, 100)),
             toString(SamplerPlan::Banded)); // below N = 1000
    m.n = 4000;
    m.rank = {false, 0.5, 1}; // r = 64: 100 + 3300 < 64000
    QCOMPARE(toString(planSampler(m, SamplerChoice::Auto, 100)),
             toString(SamplerPlan::BandedCounts));
    m.n = 1000;
    m.rank = {false, 0.9, 1}; // r = 502: 100 + 25200 > 16000 (dsterf is cheaper)
    QCOMPARE(toString(planSampler(m, SamplerChoice::Auto, 100)), toString(SamplerPlan::Banded));
    m.noise = parseNoise("rademacher");
    QCOMPARE(toString(planSampler(m, SamplerChoice::Auto, 100)), toString(SamplerPlan::Dense));
    m = rankOneModel(5000);
    m.bulk = parseBulk("uniform:-1,1"); // distinct bulk values: no band model
    QCOMPARE(toString(planSampler(m, SamplerChoice::Auto, 100)), toString(SamplerPlan::Dense));
    m.bulk = parseBulk("uniform:0.5,0.5"); // constant: the band model applies
    QCOMPARE(toString(planSampler(m, SamplerChoice::Auto, 100)),
             toString(SamplerPlan::BandedCounts));
}

// bins + 50 (r + 2) < 16 N, strictly. r = 318, bins = 0: 16000 < 16 N from N = 1001.
void TestSamplerPlan::costBoundaryIsSixteenN()
{
    Model m = rankOneModel(1000);
    m.rank = {true, 0.0, 318};
    QVERIFY(!bandedFastPathPays(m, 0)); // 16000 == 16000
    m.n = 1001;
    QVERIFY(bandedFastPathPays(m, 0));
    QVERIFY(bandedFastPathPays(m, 15));  // 16015 < 16016
    QVERIFY(!bandedFastPathPays(m, 16)); // 16016 == 16016
}

void TestSamplerPlan::binsCountAndNoneCountsAsZero()
{
    Model m = rankOneModel(20000);
    m.rank = {true, 0.0, 20}; // 50 * 22 = 1100 < 320000; with bins: b + 1100 < 320000
    QVERIFY(bandedFastPathPays(m, 0));
    QVERIFY(bandedFastPathPays(m, 318899));
    QVERIFY(!bandedFastPathPays(m, 318900));
    QCOMPARE(bandedFastPathPays(m, -5), bandedFastPathPays(m, 0));
}

void TestSamplerPlan::choiceAndAllEigenvalues()
{
    const Model m = rankOneModel(10000);
    QCOMPARE(toString(planSampler(m, SamplerChoice::Dense, 100)), toString(SamplerPlan::Dense));
    QCOMPARE(toString(planSampler(m, SamplerChoice::Banded, 100)),
             toString(SamplerPlan::BandedCounts));
    // All eigenvalues wanted (the CLI's --eigenvalues): never the inertia counts.
    QCOMPARE(toString(planSampler(m, SamplerChoice::Auto, 100, true)),
             toString(SamplerPlan::Banded));
    QCOMPARE(toString(planSampler(m, SamplerChoice::Banded, 100, true)),
             toString(SamplerPlan::Banded));
    // Banded asked for where it does not apply: the plan says banded, the runner refuses it.
    Model t = m;
    t.noise = parseNoise("student-t:5");
    QCOMPARE(toString(planSampler(t, SamplerChoice::Banded, 100)), toString(SamplerPlan::Banded));
    QCOMPARE(toString(planSampler(t, SamplerChoice::Auto, 100)), toString(SamplerPlan::Dense));
}

void TestSamplerPlan::usesBandedFollowsTheChoice()
{
    Model m = rankOneModel(300);
    QVERIFY(usesBandedSampler(m, SamplerChoice::Auto));
    QVERIFY(usesBandedSampler(m, SamplerChoice::Banded));
    QVERIFY(!usesBandedSampler(m, SamplerChoice::Dense));
    m.noise = parseNoise("complex");
    QVERIFY(usesBandedSampler(m, SamplerChoice::Auto));
    m.bulk = parseBulk("semicircle:1");
    QVERIFY(!usesBandedSampler(m, SamplerChoice::Auto));
    QVERIFY(usesBandedSampler(m, SamplerChoice::Banded));
}

// At alpha = 1, N = 1000 (r = N) the banded sampler's dense finish on all N rows is
// slower than the dense sampler; auto must pick dense there, and banded where r << N.
void TestSamplerPlan::autoPicksTheCheaperSampler()
{
    Model m = rankOneModel(1000);
    m.spikes = parseSpikes("linear:1.5,4");
    m.rank = {false, 1.0, 1};
    QVERIFY(bandedSampleSeconds(m) > denseSampleSeconds(m));
    QVERIFY(!usesBandedSampler(m, SamplerChoice::Auto));
    QCOMPARE(toString(planSampler(m, SamplerChoice::Auto, 100)), toString(SamplerPlan::Dense));
    QCOMPARE(toString(planSampler(m, SamplerChoice::Auto, 100, true)),
             toString(SamplerPlan::Dense));
    QCOMPARE(toString(makeSampler(m, SamplerChoice::Auto, 1)->kind()), std::string("dense"));
    // Asked for, banded still runs (the choice is the user's).
    QVERIFY(usesBandedSampler(m, SamplerChoice::Banded));
    QCOMPARE(toString(makeSampler(m, SamplerChoice::Banded, 1)->kind()), std::string("banded"));
    // Complex noise scales both: the same choice.
    m.noise = parseNoise("complex");
    QVERIFY(!usesBandedSampler(m, SamplerChoice::Auto));
    m.noise = parseNoise("gaussian");
    // alpha = 0.75 (r = 178) and a constant bulk: banded, 3x cheaper.
    m.rank = {false, 0.75, 1};
    m.bulk = parseBulk("uniform:0.5,0.5");
    QVERIFY(3.0 * bandedSampleSeconds(m) < denseSampleSeconds(m));
    QVERIFY(usesBandedSampler(m, SamplerChoice::Auto));
    QCOMPARE(toString(makeSampler(m, SamplerChoice::Auto, 1)->kind()), std::string("banded"));
    // The crossover moves with N: at N = 2000 banded up to r ~ 1000 (alpha = 0.9), dense from
    // r ~ 1370 (alpha = 0.95), as measured.
    m.n = 2000;
    m.rank = {false, 0.9, 1};
    QVERIFY(usesBandedSampler(m, SamplerChoice::Auto));
    m.rank = {false, 0.95, 1};
    QVERIFY(!usesBandedSampler(m, SamplerChoice::Auto));
}

// The model against the CPU times bench_autochoice --full measured (sampler_plan.h), within 30%.
void TestSamplerPlan::costModelMatchesTheBench()
{
    struct Case
    {
        int n, r;
        double dense, banded;
    };
    const Case cases[] = {{1000, 178, 0.090, 0.021},  {1000, 502, 0.090, 0.066},
                          {1000, 1000, 0.092, 0.134}, {2000, 300, 0.550, 0.087},
                          {2000, 936, 0.498, 0.397},  {2000, 2000, 0.537, 1.088}};
    for (const Case& c : cases) {
        Model m = rankOneModel(c.n);
        m.spikes = parseSpikes("linear:1.5,4");
        m.rank = {true, 0.0, c.r};
        const double d = denseSampleSeconds(m), b = bandedSampleSeconds(m);
        QVERIFY2(std::abs(d / c.dense - 1.0) < 0.3, qPrintable(QString::number(d)));
        QVERIFY2(std::abs(b / c.banded - 1.0) < 0.3, qPrintable(QString::number(b)));
        // The choice agrees with the measured faster one.
        QCOMPARE(usesBandedSampler(m, SamplerChoice::Auto), c.banded < c.dense);
    }
}

void TestSamplerPlan::secondsGrowWithNAndRank()
{
    Model m = rankOneModel(100000);
    const double s1 = bandedFastPathSeconds(m, 300);
    m.n = 200000;
    QVERIFY(std::abs(bandedFastPathSeconds(m, 300) - 2.0 * s1) < 1e-12 * s1); // linear in N
    // Whole samples measured with bench_banded --table (100 bins), within a factor 2: N = 10^6,
    // r = 1: 0.23 s; N = 10^5, r = 100: 0.56 s.
    m.n = 1000000;
    QVERIFY(bandedFastPathSeconds(m, 100) > 0.23 / 2 && bandedFastPathSeconds(m, 100) < 0.46);
    m.n = 100000;
    m.rank = {true, 0.0, 100};
    QVERIFY(bandedFastPathSeconds(m, 100) > 0.56 / 2 && bandedFastPathSeconds(m, 100) < 1.12);
    const double r100 = bandedFastPathSeconds(m, 300);
    m.rank = {true, 0.0, 200};
    QVERIFY(bandedFastPathSeconds(m, 300) > 2.0 * r100); // the draw grows like r^2
}

void TestSamplerPlan::names()
{
    QCOMPARE(toString(SamplerPlan::Dense), std::string("dense"));
    QCOMPARE(toString(SamplerPlan::Banded), std::string("banded"));
    QCOMPARE(toString(SamplerPlan::BandedCounts), std::string("banded (inertia counts)"));
    QVERIFY(samplerKindOf(SamplerPlan::Dense) == SamplerKind::Dense);
    QVERIFY(samplerKindOf(SamplerPlan::BandedCounts) == SamplerKind::Banded);
    QVERIFY(spectrumSourceOf(SamplerPlan::Banded) == SpectrumSource::Eigenvalues);
    QVERIFY(spectrumSourceOf(SamplerPlan::BandedCounts) == SpectrumSource::InertiaCounts);
}

// One name table per kind: parse(toString(x)) == x, and a bad name names the parameter.
void TestSamplerPlan::nameTablesRoundTrip()
{
    for (SamplerKind k : {SamplerKind::Dense, SamplerKind::Banded})
        QVERIFY(parseSamplerKind(toString(k)) == k);
    for (SamplerChoice c : {SamplerChoice::Auto, SamplerChoice::Dense, SamplerChoice::Banded})
        QVERIFY(parseSamplerChoice(toString(c)) == c);
    for (SpectrumSource s : {SpectrumSource::Eigenvalues, SpectrumSource::InertiaCounts})
        QVERIFY(parseSpectrumSource(toString(s)) == s);
    QCOMPARE(toString(SamplerKind::Banded), std::string("banded"));
    QCOMPARE(toString(SpectrumSource::InertiaCounts), std::string("inertia"));
    try {
        parseSamplerChoice("fast");
        QFAIL("no error");
    } catch (const InputError& e) {
        QCOMPARE(e.param(), std::string("sampler"));
        QCOMPARE(std::string(e.what()),
                 std::string("sampler: must be auto, dense or banded, got 'fast'"));
    }
    QVERIFY_THROWS_EXCEPTION(InputError, parseSamplerKind("auto"));
    QVERIFY_THROWS_EXCEPTION(InputError, parseSpectrumSource(""));
}

QTEST_APPLESS_MAIN(TestSamplerPlan)
#include "tst_sampler_plan.moc"
