// The sampler plan (core/sampling/sampler_plan.h): the one rule for dense / banded / banded with
// inertia counts that the CLI, the sweeps and the GUI follow.
#include "core/model/families.h"
#include "core/sampling/sampler_plan.h"

#include <QtTest>

using namespace ws::core;

namespace {

Model rankOne(int n)
{
    Model m;
    m.n = n;
    m.spikes = parseSpikes("equal:3");
    return m;
}

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
    void secondsGrowWithNAndRank();
    void names();
    void nameTablesRoundTrip();
};

void TestSamplerPlan::ruleTable()
{
    Model m = rankOne(1000);
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
    m = rankOne(5000);
    m.bulk = parseBulk("uniform:-1,1"); // distinct bulk values: no band model
    QCOMPARE(toString(planSampler(m, SamplerChoice::Auto, 100)), toString(SamplerPlan::Dense));
    m.bulk = parseBulk("uniform:0.5,0.5"); // constant: the band model applies
    QCOMPARE(toString(planSampler(m, SamplerChoice::Auto, 100)),
             toString(SamplerPlan::BandedCounts));
}

// bins + 50 (r + 2) < 16 N, strictly. r = 318, bins = 0: 16000 < 16 N from N = 1001.
void TestSamplerPlan::costBoundaryIsSixteenN()
{
    Model m = rankOne(1000);
    m.rank = {true, 0.0, 318};
    QVERIFY(!bandedFastPathPays(m, 0)); // 16000 == 16000
    m.n = 1001;
    QVERIFY(bandedFastPathPays(m, 0));
    QVERIFY(bandedFastPathPays(m, 15));  // 16015 < 16016
    QVERIFY(!bandedFastPathPays(m, 16)); // 16016 == 16016
}

void TestSamplerPlan::binsCountAndNoneCountsAsZero()
{
    Model m = rankOne(20000);
    m.rank = {true, 0.0, 20}; // 50 * 22 = 1100 < 320000; with bins: b + 1100 < 320000
    QVERIFY(bandedFastPathPays(m, 0));
    QVERIFY(bandedFastPathPays(m, 318899));
    QVERIFY(!bandedFastPathPays(m, 318900));
    QCOMPARE(bandedFastPathPays(m, -5), bandedFastPathPays(m, 0));
}

void TestSamplerPlan::choiceAndAllEigenvalues()
{
    const Model m = rankOne(10000);
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
    Model m = rankOne(100);
    QVERIFY(usesBandedSampler(m, SamplerChoice::Auto));
    QVERIFY(usesBandedSampler(m, SamplerChoice::Banded));
    QVERIFY(!usesBandedSampler(m, SamplerChoice::Dense));
    m.noise = parseNoise("complex");
    QVERIFY(usesBandedSampler(m, SamplerChoice::Auto));
    m.bulk = parseBulk("semicircle:1");
    QVERIFY(!usesBandedSampler(m, SamplerChoice::Auto));
    QVERIFY(usesBandedSampler(m, SamplerChoice::Banded));
}

void TestSamplerPlan::secondsGrowWithNAndRank()
{
    Model m = rankOne(100000);
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
