// The outlier window (core/outliers/window.h): the formula max(q_beta gamma N^(-2/3), 3.29
// sdMean), the windows computeTheory gives each edge, and, in simulation, that a pure-noise edge
// lets about 1e-3 of its extreme eigenvalues out while an outlier is always out.
#include "core/model/families.h"
#include "core/outliers/outliers.h"
#include "core/outliers/window.h"
#include "core/rectangular/rectangular.h"
#include "core/sampling/banded/banded.h"
#include "core/sampling/runner.h"
#include "core/theory/theory.h"

#include <QtTest>

#include <cmath>
#include <stdexcept>

using namespace ws::core;

namespace {

// How many extreme eigenvalues of pure noise (both edges) fall beyond the bulk's claim, and
// beyond the bare edges, over `samples` samples of the exact tridiagonal model.
struct Crossings
{
    int window = 0, bare = 0, fixed = 0; // fixed: the former 3 sigma N^(-2/3)
};
Crossings crossings(const char* noise, int n, int samples, std::uint64_t seed)
{
    Model m;
    m.n = n;
    m.noise = parseNoise(noise);
    m.spikes = parseSpikes("equal:0"); // S = 0
    const Theory th = computeTheory(m, 100);
    const SupportInterval& bulk = th.equivalent.support.at(0);
    RunOptions opt;
    opt.samples = samples;
    opt.seed = seed;
    BandedSpectrumRequest req;
    req.topCount = 1;
    req.bottomCount = 1;
    const BandedRunResult run = runBandedSpectra(m, opt, req);
    const double fixed = 3.0 * m.sigma * std::pow(static_cast<double>(n), -2.0 / 3.0);
    Crossings c;
    for (const auto& s : run.spectra) {
        for (const double x : {s.top.front(), s.bottom.front()}) {
            c.window += intervalOf(th, x) < 0 ? 1 : 0;
            c.bare += x > bulk.b || x < bulk.a ? 1 : 0;
            c.fixed += x > bulk.b + fixed || x < bulk.a - fixed ? 1 : 0;
        }
    }
    return c;
}

} // namespace

class TestWindow : public QObject
{
    Q_OBJECT
private slots:
    void formula();
    void theoryWindowsPerEdge();
    void rectangularEdgeMarginIsTheEdgeWindow();
    void badSizeIsRefused();
    void pureNoiseCrossesAboutOnceInAThousand();
    void separatesTheBulkEdgeFromAnOutlier();
    void windowsNoNarrowerThanTheEigenvaluesAccuracy();
};

void TestWindow::formula()
{
    // 8x the size: 8^(-2/3) = 1/4 of the Tracy-Widom term.
    for (int n : {10, 125, 1000, 64000}) {
        const double ratio = outlierWindow(1.0, 8 * n, 1) / outlierWindow(1.0, n, 1);
        QVERIFY2(std::abs(ratio - 0.25) < 1e-14, qPrintable(QString::number(ratio, 'g', 17)));
    }
    QCOMPARE(outlierWindow(1.0, 1, 1), kTracyWidomQuantile1);
    QCOMPARE(outlierWindow(1.0, 1, 2), kTracyWidomQuantile2);
    QCOMPARE(tracyWidomQuantile(1), 3.2722);
    QCOMPARE(tracyWidomQuantile(2), 1.3144);
    QVERIFY(std::abs(outlierWindow(0.5, 1000, 1) - 0.5 * 3.2722 * 0.01) < 1e-16);
    // The Gaussian floor takes over when 3.29 sdMean is larger.
    QCOMPARE(outlierWindow(1.0, 1000, 1, 0.02), 3.29 * 0.02);
    QVERIFY(std::abs(outlierWindow(1.0, 1000, 1, 0.005) - 0.032722) < 1e-15);
    // Negative or NaN inputs count as 0.
    QCOMPARE(outlierWindow(-1.0, 1000, 1, std::nan("")), 0.0);
}

void TestWindow::theoryWindowsPerEdge()
{
    // The semicircle's edges: gamma = sigma exactly, window q_beta sigma N^(-2/3).
    Model m;
    m.n = 1000;
    m.sigma = 0.5;
    m.spikes = parseSpikes("equal:3");
    for (const char* noise : {"gaussian", "complex"}) {
        m.noise = parseNoise(noise);
        const Theory th = computeTheory(m, 100);
        QCOMPARE(th.equivalent.support.size(), std::size_t(2));
        const SupportInterval& bulk = th.equivalent.support[0];
        const double q = m.noise.isComplex() ? kTracyWidomQuantile2 : kTracyWidomQuantile1;
        QVERIFY(std::abs(bulk.hi.gamma - 0.5) < 1e-4); // the spike at 3 bends the edge slightly
        QVERIFY(std::abs(bulk.hi.window - q * bulk.hi.gamma * 0.01) < 1e-15);
        QVERIFY(bulk.hi.tracyWidom && bulk.lo.tracyWidom);
        // The outlier's own interval: one eigenvalue, Gaussian: the 3.29 sd floor, with the
        // interval's sd of the mean = the outlier's predicted sd (rank one: (2/beta) sigma^2
        // (1 - sigma^2/theta^2)/N up to the O(1/N) bulk of S).
        const SupportInterval& out = th.equivalent.support[1];
        QVERIFY(!out.lo.tracyWidom && std::isnan(out.lo.regularity));
        QVERIFY(std::abs(*out.sdMean - *th.outliers[0].sd) < 1e-15);
        QCOMPARE(out.lo.window, kGaussianQuantile * *out.sdMean);
        const double beta = m.noise.isComplex() ? 2.0 : 1.0;
        const double rankOne = std::sqrt(2.0 / beta * 0.25 * (1.0 - 0.25 / 9.0) / 1000.0);
        QVERIFY(std::abs(*out.sdMean - rankOne) < 1e-3 * rankOne);
    }
    // Claims contain the intervals.
    for (const auto& iv : computeTheory(m, 100).equivalent.support)
        QVERIFY(iv.claimLo < iv.a && iv.claimHi > iv.b);
}

void TestWindow::rectangularEdgeMarginIsTheEdgeWindow()
{
    // Johnstone's scale (sigma/2) (1 + c^(-1/2))^(1/3) N^(-2/3), three widths of it.
    RectModel m;
    m.n = 300;
    m.m = 600;
    m.sigma = 1.3;
    m.spikes = parseSpikes("equal:3");
    const RectTheory th = computeRectTheory(m, 100);
    QCOMPARE(th.edgeMargin, edgeWindow(0.5 * m.sigma, m.n, std::cbrt(1.0 + 1.0 / std::sqrt(2.0))));
    QVERIFY(std::abs(th.edgeMargin - 3.0 * 0.65 * std::cbrt(1.0 + std::sqrt(0.5)) *
                                         std::pow(300.0, -2.0 / 3.0)) < 1e-15);
}

void TestWindow::badSizeIsRefused()
{
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, outlierWindow(1.0, 0, 1));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, edgeWindow(1.0, -3));
}

void TestWindow::pureNoiseCrossesAboutOnceInAThousand()
{
    // P(TW_beta > q_beta) = 1e-3 per edge: 2 edges x 3000 samples, about 6 crossings expected
    // (measured for the exact tridiagonal models: 8e-4 .. 1.5e-3 per edge at N = 200 .. 5000).
    // The bound 16 is P(Poisson(6) > 16) ~ 4e-4. Without a window about 15% (GOE) and 3%
    // (GUE) of the edges show a spurious outlier (P(TW_beta > 0) at this N). For GUE the former
    // window 3 sigma N^(-2/3) was far too wide (P(TW2 > 3) = 3e-6): it lets nothing out, the new
    // one about as much as for GOE.
    const Crossings goe = crossings("gaussian", 400, 3000, 11);
    const Crossings gue = crossings("complex", 400, 3000, 12);
    qInfo("crossings of 6000 edges: GOE %d (bare %d), GUE %d (bare %d, former window %d)",
          goe.window, goe.bare, gue.window, gue.bare, gue.fixed);
    for (const Crossings& c : {goe, gue})
        QVERIFY2(c.window >= 1 && c.window <= 16, qPrintable(QString::number(c.window)));
    QVERIFY2(goe.bare > 600 && gue.bare > 100,
             qPrintable(QString("%1, %2").arg(goe.bare).arg(gue.bare)));
    QCOMPARE(gue.fixed, 0);
}

// With a spike theta = 3 the top eigenvalue (near 3 + 1/3) is outside the bulk's claim in every
// sample, and it belongs to the spike's cluster.
void TestWindow::separatesTheBulkEdgeFromAnOutlier()
{
    Model m;
    m.n = 400;
    m.spikes = parseSpikes("equal:3");
    RunOptions opt;
    opt.samples = 300;
    opt.seed = 11;
    const Theory spiked = computeTheory(m, 100);
    const RunResult withOutlier = runSamples(m, opt);
    for (const auto& ev : withOutlier.eigenvalues) {
        QVERIFY(ev.back() > spiked.equivalent.support[0].claimHi);
        QCOMPARE(intervalOf(spiked, ev.back()), 1);
    }
}

// sigma = 1e-14 against spikes at +-1: the windows from the theory (~1e-16) are far below the
// eigenvalues' accuracy (~1e-16 of |H| = 1 at best, the banded bisection 1e-13). Each spike's
// eigenvalue still lies in its own cluster and the 998 others in the bulk, for both samplers and
// down to sigma = 1e-150 (the review found every spike "unexplained").
void TestWindow::windowsNoNarrowerThanTheEigenvaluesAccuracy()
{
    for (const double sigma : {1e-14, 1e-150})
        for (const SamplerChoice sampler : {SamplerChoice::Dense, SamplerChoice::Banded}) {
            Model m;
            m.n = 1000;
            m.sigma = sigma;
            m.spikes = parseSpikes("list:1,-1");
            const Theory t = computeTheory(m, 100);
            QCOMPARE(t.equivalent.support.size(), std::size_t{3});
            RunOptions opt;
            opt.samples = 2;
            opt.sampler = sampler;
            const RunResult run = runSamples(m, opt);
            for (const auto& ev : run.eigenvalues) {
                QCOMPARE(intervalOf(t, ev.front()), 0);
                QCOMPARE(intervalOf(t, ev.back()), 2);
                for (std::size_t i = 1; i + 1 < ev.size(); ++i)
                    QCOMPARE(intervalOf(t, ev[i]), 1);
            }
            for (const SupportInterval& iv : t.equivalent.support)
                QVERIFY(iv.lo.window >= kWindowAccuracy && iv.hi.window >= kWindowAccuracy);
        }
}

QTEST_APPLESS_MAIN(TestWindow)
#include "tst_window.moc"
