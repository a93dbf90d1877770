// Exact Gaussian banded sampler, both its models (the band model and the tridiagonal model the
// sampler draws): same law as the dense sampler (two-sample KS tests, with a proof of power),
// inertia counts equal to the counts of the full spectrum, the large-N limits (BBP outliers,
// semicircle), and the same bits for any thread count and either kernel copy.
#include "support/band_dense.h"
#include "support/core_models.h"
#include "core/sampling/banded/banded.h"
#include "core/model/families.h"
#include "core/util/histogram.h"
#include "core/model/model.h"
#include "core/sampling/runner.h"
#include "core/sampling/sampler.h"

#include <QtTest>

#include "support/reference.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <complex>
#include <list>
#include <numeric>
#include <thread>
#include <vector>

using namespace ws::core;
using testsupport::denseEigenvalues;

namespace {

constexpr int kKsN = 150;
constexpr int kKsSamples = 400;
constexpr double kKsAlpha = 1e-3;

Model spikedModel(int n, bool complex, const std::string& spikes, const std::string& bulk = "zero",
                  double sigma = 1.0)
{
    Model m{testsupport::families(sigma, complex ? "complex" : "gaussian", spikes, bulk), n};
    validate(m);
    return m;
}

// Two-sample Kolmogorov-Smirnov statistic sup |F_a - F_b|.
double ksStatistic(std::vector<double> a, std::vector<double> b)
{
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    std::size_t i = 0, j = 0;
    double d = 0.0;
    const auto na = static_cast<double>(a.size()), nb = static_cast<double>(b.size());
    while (i < a.size() && j < b.size()) {
        const double x = std::min(a[i], b[j]);
        while (i < a.size() && a[i] <= x)
            ++i;
        while (j < b.size() && b[j] <= x)
            ++j;
        d = std::max(d, std::abs(static_cast<double>(i) / na - static_cast<double>(j) / nb));
    }
    return d;
}

// Asymptotic critical value at level alpha: P(D > c) ~ 2 exp(-2 c^2 nm/(n+m)).
double ksCritical(std::size_t n, std::size_t m, double alpha)
{
    const auto dn = static_cast<double>(n), dm = static_cast<double>(m);
    return std::sqrt(-std::log(alpha / 2.0) * (dn + dm) / (2.0 * dn * dm));
}

// Statistics of one spectrum compared between samplers: extremes, a bulk eigenvalue, and
// tr H^2 (its mean carries the sum of all chi degrees of freedom: the sharpest check of them).
struct Stats
{
    std::vector<double> top, bottom, middle, quarter, sumSq;
    void add(const std::vector<double>& ev)
    {
        top.push_back(ev.back());
        bottom.push_back(ev.front());
        middle.push_back(ev[ev.size() / 2]);
        quarter.push_back(ev[ev.size() / 4]);
        double s = 0.0;
        for (double x : ev)
            s += x * x;
        sumSq.push_back(s);
    }
};

const char* kStatNames[] = {"largest", "smallest", "middle", "quarter", "tr H^2"};

std::vector<double> Stats::*const kStatMembers[] = {&Stats::top, &Stats::bottom, &Stats::middle,
                                                    &Stats::quarter, &Stats::sumSq};

// Which of the two exact models a test draws.
enum class Kind { Band, Tridiagonal };

BandMatrix drawKind(Kind kind, const Model& m, std::uint64_t seed, std::uint64_t k,
                    int dofOffset = 0)
{
    if (kind == Kind::Band)
        return drawBandMatrix(m, seed, k, dofOffset);
    return *drawTridiagonal(m, seed, k, nullptr, dofOffset);
}

Stats bandedStats(Kind kind, const Model& m, std::uint64_t seed, int dofOffset)
{
    Stats s;
    for (int k = 0; k < kKsSamples; ++k)
        s.add(bandEigenvalues(drawKind(kind, m, seed, static_cast<std::uint64_t>(k), dofOffset)));
    return s;
}

Model withRank(Model m, int r)
{
    m.rank.isExplicit = true;
    m.rank.rank = r;
    validate(m);
    return m;
}

double semicircleCdf(double x, double sigma)
{
    const double t = std::clamp(x / (2.0 * sigma), -1.0, 1.0);
    return 0.5 + (t * std::sqrt(1.0 - t * t) + std::asin(t)) / M_PI;
}

} // namespace

class TestBanded : public QObject
{
    Q_OBJECT
private slots:
    void structure_data();
    void structure();
    void bandSolverMatchesDense_data();
    void bandSolverMatchesDense();
    void ksAgainstDense_data();
    void ksAgainstDense();
    void ksHasPower_data();
    void ksHasPower();
    void inertiaCountsExact_data();
    void inertiaCountsExact();
    void largeN_data();
    void largeN();
    void largeNRank100_data();
    void largeNRank100();
    void samplerInterface();
    void portableKernelsAgree_data();
    void portableKernelsAgree();
    void runFastPath();
    void rankOneIsTheBand_data();
    void rankOneIsTheBand();
    void tridiagonalCarriesTheSpikes_data();
    void tridiagonalCarriesTheSpikes();
    void tridiagonalPortableSameBits_data();
    void tridiagonalPortableSameBits();
    void sameBitsForAnyThreadCount();
    void cancelStopsTheDraw();

private:
    const Stats& denseStats(const Model& m);
    std::list<std::pair<Model, Stats>> m_dense; // list: references stay valid
};

const Stats& TestBanded::denseStats(const Model& m)
{
    for (const auto& [model, stats] : m_dense)
        if (model == m)
            return stats;
    const auto dense = makeDenseSampler(m, 777);
    Stats s;
    for (int k = 0; k < kKsSamples; ++k)
        s.add(dense->sample(static_cast<std::uint64_t>(k), nullptr));
    m_dense.emplace_back(m, std::move(s));
    return m_dense.back().second;
}

void TestBanded::structure_data()
{
    QTest::addColumn<bool>("complex");
    QTest::addColumn<int>("n");
    QTest::addColumn<QString>("spikes");
    QTest::newRow("real r=1") << false << 7 << "list:2";
    QTest::newRow("real r=3") << false << 11 << "list:3,0.5,-2.5";
    QTest::newRow("complex r=3") << true << 11 << "list:3,0.5,-2.5";
    QTest::newRow("real r=n") << false << 4 << "list:1,2,3,4";
}

// The drawn band has the shape of the derivation: bandwidth r, spikes on the first diagonal
// block, R factors (positive diagonal at offset r, zeros below it) between blocks.
void TestBanded::structure()
{
    QFETCH(bool, complex);
    QFETCH(int, n);
    QFETCH(QString, spikes);
    const Model m = spikedModel(n, complex, spikes.toStdString(), "zero", 1e-9);
    const int r = rankOf(m);
    const BandMatrix h = drawBandMatrix(m, 5, 0);
    QCOMPARE(h.n, n);
    QCOMPARE(h.kd, std::min(r, n - 1));
    QCOMPARE(h.re.size(), static_cast<std::size_t>(n) * static_cast<std::size_t>(h.kd + 1));
    const auto th = spikeValues(m);
    for (int i = 0; i < r; ++i) // sigma tiny: the diagonal is the spectrum of S
        QVERIFY(std::abs(h.re[h.index(i, i)] - th[static_cast<std::size_t>(i)]) < 1e-6);
    for (int i = r; i < n; ++i)
        QVERIFY(std::abs(h.re[h.index(i, i)]) < 1e-6);
    // Block row b >= 1 starts at row b r; its left neighbour is R (upper triangular): the
    // entries H(b r + i, (b-1) r + j) with j < i lie outside the band (offset > r), and the
    // diagonal j == i (offset exactly r) is a chi variable: real and positive.
    for (int b0 = r; b0 < n; b0 += r)
        for (int i = 0; i < std::min(r, n - b0); ++i) {
            const std::size_t idx = h.index(b0 - r + i, b0 + i); // conj stored above
            QVERIFY(h.re[idx] > 1e-12);
            if (h.isComplex())
                QCOMPARE(h.im[idx], 0.0);
        }
}

void TestBanded::bandSolverMatchesDense_data()
{
    QTest::addColumn<bool>("complex");
    QTest::addColumn<QString>("spikes");
    QTest::addColumn<int>("n");
    QTest::newRow("real r=1") << false << "list:2.5" << 60;
    QTest::newRow("real r=4") << false << "list:3,1,-2,0.2" << 61;
    QTest::newRow("complex r=1") << true << "list:2.5" << 60;
    QTest::newRow("complex r=5") << true << "list:3,1,-2,0.2,4" << 63;
    QTest::newRow("real r=n") << false << "list:1,2,3,-4,0,0.5" << 6;
    QTest::newRow("complex r=n") << true << "list:1,2,3,-4,0,0.5" << 6;
}

// LAPACK on the band storage gives the eigenvalues of the same matrix built densely.
void TestBanded::bandSolverMatchesDense()
{
    QFETCH(bool, complex);
    QFETCH(QString, spikes);
    QFETCH(int, n);
    const Model m = spikedModel(n, complex, spikes.toStdString());
    const BandMatrix h = drawBandMatrix(m, 3, 9);
    const std::vector<double> a = bandEigenvalues(h);
    const std::vector<double> b = denseEigenvalues(h);
    QCOMPARE(a.size(), b.size());
    QVERIFY(std::is_sorted(a.begin(), a.end()));
    for (std::size_t i = 0; i < a.size(); ++i)
        QVERIFY2(std::abs(a[i] - b[i]) < 1e-11, qPrintable(QString::number(a[i] - b[i])));
}

void TestBanded::ksAgainstDense_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<bool>("complex");
    QTest::addColumn<QString>("spikes");
    QTest::addColumn<int>("rank"); // 0: the list's own
    QTest::addColumn<QString>("bulk");
    QTest::addColumn<double>("sigma");
    QTest::addColumn<bool>("haar");
    const QString three = "list:3,0.5,-2.5";
    for (const Kind kind : {Kind::Band, Kind::Tridiagonal}) {
        const char* name = kind == Kind::Band ? "band" : "tridiagonal";
        const int k = static_cast<int>(kind);
        QTest::addRow("%s beta=1", name) << k << false << three << 0 << "zero" << 1.0 << false;
        QTest::addRow("%s beta=2", name) << k << true << three << 0 << "zero" << 1.0 << false;
        // The constant c of S = c I + rank r sits on the whole diagonal; sigma scales the noise
        // only; Haar eigenvectors of S do not change the law.
        QTest::addRow("%s beta=1 bulk 0.7, sigma 0.8, haar", name)
            << k << false << three << 0 << "uniform:0.7,0.7" << 0.8 << true;
    }
    // The tridiagonal model at ranks 2, 10 (mostly row steps) and 100 (49 row steps, then the
    // dense 101 x 101 block).
    const int t = static_cast<int>(Kind::Tridiagonal);
    QTest::newRow("tridiagonal beta=1 r=2")
        << t << false << "list:3,-2.5" << 0 << "zero" << 1.0 << false;
    QTest::newRow("tridiagonal beta=1 r=10 equal")
        << t << false << "equal:2.5" << 10 << "zero" << 1.0 << false;
    QTest::newRow("tridiagonal beta=2 r=100 linear, bulk 0.5")
        << t << true << "linear:-3,4" << 100 << "uniform:0.5,0.5" << 1.0 << false;
}

// N = 150, 400 samples of the model vs 400 dense samples; each statistic passes the two-sample
// KS test at 1e-3. Spikes 3 (supercritical), 0.5 (subcritical), -2.5 (supercritical, negative),
// or the row's family.
void TestBanded::ksAgainstDense()
{
    QFETCH(int, kind);
    QFETCH(bool, complex);
    QFETCH(QString, spikes);
    QFETCH(int, rank);
    QFETCH(QString, bulk);
    QFETCH(double, sigma);
    QFETCH(bool, haar);
    Model m = spikedModel(kKsN, complex, spikes.toStdString(), bulk.toStdString(), sigma);
    if (rank > 0)
        m = withRank(m, rank);
    m.eigvecs = haar ? Eigvecs::Haar : Eigvecs::Basis;
    const Stats& dense = denseStats(m);
    const Stats band = bandedStats(static_cast<Kind>(kind), m, 2024, 0);
    const double crit = ksCritical(kKsSamples, kKsSamples, kKsAlpha);
    for (std::size_t s = 0; s < std::size(kStatMembers); ++s) {
        const double d = ksStatistic(band.*kStatMembers[s], dense.*kStatMembers[s]);
        qInfo("%s: KS D = %.4f (critical %.4f at alpha %.0e)", kStatNames[s], d, crit, kKsAlpha);
        QVERIFY2(d < crit, kStatNames[s]);
    }
}

void TestBanded::ksHasPower_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<bool>("complex");
    for (const Kind kind : {Kind::Band, Kind::Tridiagonal}) {
        const char* name = kind == Kind::Band ? "band" : "tridiagonal";
        QTest::addRow("%s beta=1", name) << static_cast<int>(kind) << false;
        QTest::addRow("%s beta=2", name) << static_cast<int>(kind) << true;
    }
}

// The power check made permanent: every chi degree of freedom off by one (the bug a wrong
// derivation would make) must be rejected by the same KS test against the dense sampler. A
// dof change of +1 adds 2 (beta = 1) to E tr(sqrt(N) H / sigma)^2 per off-diagonal chi, about
// 2 N in all (both models have about N chi variables), while its standard deviation is about
// 2 N: tr H^2 moves by one sd.
void TestBanded::ksHasPower()
{
    QFETCH(int, kind);
    QFETCH(bool, complex);
    const Model m = spikedModel(kKsN, complex, "list:3,0.5,-2.5");
    const Stats& dense = denseStats(m);
    const double crit = ksCritical(kKsSamples, kKsSamples, kKsAlpha);
    for (int offset : {+1, -1}) {
        const Stats broken = bandedStats(static_cast<Kind>(kind), m, 2024, offset);
        bool rejected = false;
        for (std::size_t s = 0; s < std::size(kStatMembers); ++s) {
            const double d = ksStatistic(broken.*kStatMembers[s], dense.*kStatMembers[s]);
            qInfo("dof offset %+d, %s: KS D = %.4f (critical %.4f)", offset, kStatNames[s], d,
                  crit);
            rejected = rejected || d > crit;
        }
        QVERIFY2(rejected, "the KS tests do not see a chi dof off by one");
    }
}

void TestBanded::inertiaCountsExact_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<bool>("complex");
    QTest::addColumn<int>("n");
    QTest::addColumn<QString>("spikes");
    QTest::addColumn<int>("rank"); // 0: the list's own
    QTest::addColumn<QString>("bulk");
    QTest::addColumn<double>("sigma");
    const int b = static_cast<int>(Kind::Band), t = static_cast<int>(Kind::Tridiagonal);
    QTest::newRow("band real r=1") << b << false << 400 << "list:2.5" << 0 << "zero" << 1.0;
    QTest::newRow("band real r=4") << b << false << 300 << "list:3,1,-2,0.2" << 0 << "zero" << 1.0;
    QTest::newRow("band real r=13 const bulk")
        << b << false << 260 << "linear:-3,4" << 13 << "uniform:0.5,0.5" << 0.7;
    QTest::newRow("band complex r=1") << b << true << 300 << "list:-3" << 0 << "zero" << 1.0;
    QTest::newRow("band complex r=5")
        << b << true << 300 << "list:3,1,-2,0.2,4" << 0 << "zero" << 2.0;
    QTest::newRow("band real r=n") << b << false << 30 << "linear:-1,1" << 30 << "zero" << 1.0;
    // The tridiagonal model at ranks 1, 2, 10, 100 and N.
    QTest::newRow("tridiagonal real r=1") << t << false << 400 << "list:2.5" << 0 << "zero" << 1.0;
    QTest::newRow("tridiagonal real r=2") << t << false << 300 << "list:3,-2" << 0 << "zero" << 1.0;
    QTest::newRow("tridiagonal real r=10 const bulk")
        << t << false << 300 << "linear:-3,4" << 10 << "uniform:0.5,0.5" << 0.7;
    QTest::newRow("tridiagonal complex r=10")
        << t << true << 300 << "linear:-3,4" << 10 << "zero" << 2.0;
    QTest::newRow("tridiagonal real r=100")
        << t << false << 300 << "equal:3" << 100 << "zero" << 1.0;
    QTest::newRow("tridiagonal complex r=100")
        << t << true << 300 << "linear:-3,4" << 100 << "zero" << 1.0;
    QTest::newRow("tridiagonal real r=n")
        << t << false << 30 << "linear:-1,1" << 30 << "zero" << 1.0;
}

// Counts per bin from inertia counts equal the counts of the full spectrum of the same matrix
// (Eigen's dense solve, independent of LAPACK); the located extremes equal it too.
void TestBanded::inertiaCountsExact()
{
    QFETCH(int, kind);
    QFETCH(bool, complex);
    QFETCH(int, n);
    QFETCH(QString, spikes);
    QFETCH(int, rank);
    QFETCH(QString, bulk);
    QFETCH(double, sigma);
    Model m = spikedModel(n, complex, spikes.toStdString(), bulk.toStdString(), sigma);
    if (rank > 0)
        m = withRank(m, rank);
    for (std::uint64_t k = 0; k < 3; ++k) {
        const BandMatrix h = drawKind(static_cast<Kind>(kind), m, 99, k);
        const std::vector<double> ev = denseEigenvalues(h);
        const double scale = std::max(std::abs(ev.front()), std::abs(ev.back()));

        // Irregular edges across the whole spectrum and past both ends.
        std::vector<double> edges;
        const double lo = ev.front() - 0.3, hi = ev.back() + 0.3;
        for (int i = 0; i <= 80; ++i)
            edges.push_back(lo + (hi - lo) * (i + 0.3 * std::sin(1.7 * i)) / 80.0);
        edges.front() = lo;
        edges.back() = hi;
        // An edge within 1e-4 scale of an eigenvalue moves to the middle of its eigenvalue gap
        // (ties are not what this test is about; the reference is LAPACK's, not the counts').
        for (double& e : edges) {
            const auto it = std::lower_bound(ev.begin(), ev.end(), e);
            const bool nearAbove = it != ev.end() && *it - e < 1e-4 * scale;
            const bool nearBelow = it != ev.begin() && e - *(it - 1) < 1e-4 * scale;
            if (nearAbove && it + 1 != ev.end())
                e = 0.5 * (*it + *(it + 1));
            else if (nearBelow && it != ev.end())
                e = 0.5 * (*(it - 1) + *it);
        }
        std::sort(edges.begin(), edges.end());
        edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
        double gap = std::numeric_limits<double>::infinity();
        for (double e : edges) {
            const auto it = std::lower_bound(ev.begin(), ev.end(), e);
            if (it != ev.end())
                gap = std::min(gap, *it - e);
            if (it != ev.begin())
                gap = std::min(gap, e - *(it - 1));
        }
        // Counts are exact up to ~1e-10 scale, or 1.2e-5 scale if an edge had to be nudged (see
        // bandCountBelow): edges this far from every eigenvalue are unambiguous.
        QVERIFY2(gap > 2e-5 * scale, "an edge sits on an eigenvalue: choose other edges");

        BandedSpectrumRequest req;
        req.edges = edges;
        req.topCount = 3;
        req.bottomCount = 2;
        req.above = ev[ev.size() - 5] + 1e-3; // 4 eigenvalues above (gaps here are >> 1e-3)
        const BandedSpectrum s = bandedSpectrum(h, req);
        QVERIFY(!s.cancelled);
        QCOMPARE(s.counts.size(), edges.size() - 1);
        std::uint64_t sum = s.below + s.above;
        for (std::size_t i = 0; i + 1 < edges.size(); ++i) {
            const auto expect =
                static_cast<std::uint64_t>(std::lower_bound(ev.begin(), ev.end(), edges[i + 1]) -
                                           std::lower_bound(ev.begin(), ev.end(), edges[i]));
            QCOMPARE(s.counts[i], expect);
            sum += s.counts[i];
        }
        QCOMPARE(sum, static_cast<std::uint64_t>(n));
        QCOMPARE(s.below, std::uint64_t{0});
        QCOMPARE(s.above, std::uint64_t{0});
        for (std::size_t i = 0; i < edges.size(); ++i)
            QCOMPARE(bandCountBelow(h, edges[i]),
                     static_cast<std::int64_t>(std::lower_bound(ev.begin(), ev.end(), edges[i]) -
                                               ev.begin()));

        // Extremes by bisection agree with LAPACK to its accuracy.
        QCOMPARE(s.top.size(), std::size_t{4});
        QCOMPARE(s.bottom.size(), std::size_t{2});
        const double tol = 1e-11 * scale;
        for (std::size_t j = 0; j < s.top.size(); ++j)
            QVERIFY2(std::abs(s.top[j] - ev[ev.size() - 1 - j]) < tol,
                     qPrintable(QString::number(s.top[j] - ev[ev.size() - 1 - j])));
        for (std::size_t j = 0; j < s.bottom.size(); ++j)
            QVERIFY(std::abs(s.bottom[j] - ev[j]) < tol);

        // Uniform bins through accumulate() equal Histogram::add on all eigenvalues.
        Histogram viaAdd = makeHistogram(ev.front() - 0.05, ev.back() + 0.05, 37);
        Histogram viaCounts = viaAdd;
        viaAdd.add(ev);
        BandedSpectrumRequest r2;
        r2.edges = viaCounts.edges;
        accumulate(bandedSpectrum(h, r2), viaCounts);
        QCOMPARE(viaCounts.counts, viaAdd.counts);
        QCOMPARE(viaCounts.total, viaAdd.total);
    }
}

void TestBanded::largeN_data()
{
    QTest::addColumn<bool>("complex");
    QTest::newRow("beta=1") << false;
    QTest::newRow("beta=2") << true;
}

// N = 1e5, r = 1, theta = 3: the top eigenvalue sits at theta + 1/theta = 10/3 with Gaussian
// fluctuations of variance (2/beta)(1 - theta^-2)/N (sd 0.0042 for beta = 1); the bulk follows
// the semicircle: with rigid eigenvalues each bin count is off by O(log N) at most, so the L1
// distance of the bin masses is O(bins log N / N) ~ 1e-3; a 1% error in the scale gives > 1e-2.
void TestBanded::largeN()
{
    QFETCH(bool, complex);
    const int n = 100000;
    const Model m = spikedModel(n, complex, "list:3");
    const Histogram hist = makeHistogram(-2.5, 2.5, 100);
    BandedSpectrumRequest req;
    req.edges = hist.edges;
    req.topCount = 2;
    req.bottomCount = 1;
    const BandedSpectrum s = BandedSampler(m, 31).spectrum(0, req, nullptr);
    QVERIFY(!s.cancelled);
    const double theta = 3.0;
    const double sd = std::sqrt(2.0 * (1.0 - 1.0 / (theta * theta)) / n);
    qInfo("top %.6f (10/3 + %.2f sd), next %.6f, bottom %.6f", s.top[0],
          (s.top[0] - 10.0 / 3.0) / sd, s.top[1], s.bottom[0]);
    QVERIFY(std::abs(s.top[0] - 10.0 / 3.0) < 6.0 * sd);
    // The rest sticks to the bulk edges: TW fluctuations are O(N^-2/3) = 5e-4.
    QVERIFY(std::abs(s.top[1] - 2.0) < 10.0 * std::pow(n, -2.0 / 3.0));
    QVERIFY(std::abs(s.bottom[0] + 2.0) < 10.0 * std::pow(n, -2.0 / 3.0));

    double l1 = 0.0;
    for (std::size_t i = 0; i < s.counts.size(); ++i) {
        const double p = semicircleCdf(hist.edges[i + 1], 1.0) - semicircleCdf(hist.edges[i], 1.0);
        l1 += std::abs(static_cast<double>(s.counts[i]) / n - p);
    }
    l1 += static_cast<double>(s.below + s.above) / n; // the semicircle has no mass outside
    qInfo("L1(bins, semicircle) = %.2e", l1);
    QVERIFY(l1 < 4e-3);
}

void TestBanded::largeNRank100_data()
{
    QTest::addColumn<bool>("complex");
    QTest::newRow("beta=1") << false;
    QTest::newRow("beta=2") << true;
}

// N = 1e5, r = 100 equal spikes theta = 3 (the regime of the rank slider): the r outliers form a
// group centred at theta + (1 - r/N)/theta whose eigenvalues are those of an r x r GOE/GUE times
// sqrt((1 - theta^-2)/N) around it, so it spans +-2 sqrt(r (1 - theta^-2)/N) = +-0.0596; its mean
// fluctuates by sqrt(2 (1 - theta^-2) / (beta r N)) = 4.2e-4 (beta = 1). The rest is the
// semicircle, as at rank one.
void TestBanded::largeNRank100()
{
    QFETCH(bool, complex);
    const int n = 100000, r = 100;
    const Model m = withRank(spikedModel(n, complex, "equal:3"), r);
    const Histogram hist = makeHistogram(-2.5, 2.5, 100);
    BandedSpectrumRequest req;
    req.edges = hist.edges;
    req.topCount = r + 1;
    req.bottomCount = 1;
    const BandedSpectrum s = BandedSampler(m, 31).spectrum(0, req, nullptr);
    QVERIFY(!s.cancelled);
    QCOMPARE(s.above, std::uint64_t{100});
    QCOMPARE(s.below, std::uint64_t{0});
    const double theta = 3.0, beta = complex ? 2.0 : 1.0;
    const double q = 1.0 - 1.0 / (theta * theta);
    const double centre = theta + (1.0 - static_cast<double>(r) / n) / theta;
    const double half = 2.0 * std::sqrt(r * q / n);
    const double sdMean = std::sqrt(2.0 * q / (beta * r * n));
    const double mean = std::accumulate(s.top.begin(), s.top.begin() + r, 0.0) / r;
    qInfo("group [%.5f, %.5f] (predicted [%.5f, %.5f]), mean %.6f (centre + %.2f sd), next %.5f",
          s.top[r - 1], s.top[0], centre - half, centre + half, mean, (mean - centre) / sdMean,
          s.top[r]);
    QVERIFY(std::abs(mean - centre) < 6.0 * sdMean);
    // The group's edges: Tracy-Widom fluctuations of an r x r block, ~r^(-1/6) sqrt(q/N) = 1.4e-3.
    QVERIFY(std::abs(s.top[0] - (centre + half)) < 0.012);
    QVERIFY(std::abs(s.top[r - 1] - (centre - half)) < 0.012);
    QVERIFY(std::abs(s.top[r] - 2.0) < 10.0 * std::pow(n, -2.0 / 3.0));
    QVERIFY(std::abs(s.bottom[0] + 2.0) < 10.0 * std::pow(n, -2.0 / 3.0));
    double l1 = 0.0;
    for (std::size_t i = 0; i < s.counts.size(); ++i) {
        const double p = semicircleCdf(hist.edges[i + 1], 1.0) - semicircleCdf(hist.edges[i], 1.0);
        l1 += std::abs(static_cast<double>(s.counts[i]) / n - p);
    }
    l1 += static_cast<double>(s.below + s.above) / n;
    qInfo("L1(bins, semicircle) = %.2e", l1);
    QVERIFY(l1 < 4e-3);
}

void TestBanded::samplerInterface()
{
    const Model m = spikedModel(500, false, "list:3,-2");
    const auto sampler = makeBandedSampler(m, 42);
    QVERIFY(sampler->kind() == SamplerKind::Banded);
    const std::vector<double> a = sampler->sample(3, nullptr);
    QCOMPARE(a.size(), std::size_t{500});
    QVERIFY(std::is_sorted(a.begin(), a.end()));
    QCOMPARE(sampler->sample(3, nullptr), a);  // stream (seed, k): reproducible
    QVERIFY(sampler->sample(4, nullptr) != a); // and a different matrix for another k
    std::atomic<bool> stop{true};
    QVERIFY(sampler->sample(3, &stop).empty());

    // Honest O(N + r^2) memory: the tridiagonal, dsterf's copies and the eigenvalues (5 N
    // doubles), whatever the rank; the fast path holds the tridiagonal only.
    for (const int r : {1, 100}) {
        const Model big = withRank(spikedModel(1000000, false, "equal:3"), r);
        const BandedSampler bigSampler(big, 1);
        QVERIFY(bigSampler.peakBytes(1) >= std::size_t{5} * 8 * 1000000);
        QVERIFY(bigSampler.peakBytes(1) < std::size_t{45} << 20);
        QVERIFY(bigSampler.peakBytes(2) >= 2 * bigSampler.peakBytes(1) - 1);
        QVERIFY(bigSampler.spectrumPeakBytes(1, 301) >= std::size_t{2} * 8 * 1000000);
        QVERIFY(bigSampler.spectrumPeakBytes(1, 301) < std::size_t{20} << 20);
    }

    // The histogram fast path on the sampler equals the counts of its own eigenvalues.
    const auto* banded = dynamic_cast<const BandedSampler*>(sampler.get());
    QVERIFY(banded);
    Histogram viaAdd = makeHistogram(-3.0, 4.0, 50);
    Histogram viaCounts = viaAdd;
    viaAdd.add(a);
    BandedSpectrumRequest req;
    req.edges = viaCounts.edges;
    accumulate(banded->spectrum(3, req, nullptr), viaCounts);
    QCOMPARE(viaCounts.counts, viaAdd.counts);

    // Inapplicable models are refused with the reason.
    Model heavy = m;
    heavy.noise = parseNoise("rademacher");
    QVERIFY_THROWS_EXCEPTION(InputError, makeBandedSampler(heavy, 1));
    Model spread = m;
    spread.bulk = parseBulk("uniform:-1,1");
    QVERIFY_THROWS_EXCEPTION(InputError, makeBandedSampler(spread, 1));
}

void TestBanded::portableKernelsAgree_data()
{
    QTest::addColumn<bool>("complex");
    QTest::addColumn<QString>("spikes");
    QTest::newRow("real r=1") << false << "list:3";
    QTest::newRow("real r=6") << false << "list:3,2,1,-1,-2,-3";
    QTest::newRow("complex r=6") << true << "list:3,2,1,-1,-2,-3";
    QTest::newRow("real r=50") << false << "equal:1.5"; // 1 lane per call (wide window)
}

// The portable (SSE2) kernels and the AVX2 ones picked at run time count the same (exactly, at
// shifts away from eigenvalues), and agree with the spectrum.
void TestBanded::portableKernelsAgree()
{
    QFETCH(bool, complex);
    QFETCH(QString, spikes);
    Model m = spikedModel(240, complex, spikes.toStdString());
    if (m.spikes.kind == SpikeKind::Equal) {
        m.rank.isExplicit = true;
        m.rank.rank = 50;
    }
    const BandMatrix h = drawBandMatrix(m, 8, 1);
    const std::vector<double> ev = bandEigenvalues(h);
    std::vector<double> xs;
    for (std::size_t i = 0; i + 1 < ev.size(); i += 7)
        xs.push_back(0.5 * (ev[i] + ev[i + 1])); // mid-gap: unambiguous
    xs.push_back(ev.front() - 1.0);
    xs.push_back(ev.back() + 1.0);
    std::vector<std::int64_t> a(xs.size()), b(xs.size());
    bandCountBelow(h, xs.data(), xs.size(), a.data());
    bandCountBelowPortable(h, xs.data(), xs.size(), b.data());
    QCOMPARE(a, b);
    for (std::size_t i = 0; i < xs.size(); ++i)
        QCOMPARE(a[i], static_cast<std::int64_t>(std::lower_bound(ev.begin(), ev.end(), xs[i]) -
                                                 ev.begin()));
}

// runBandedSpectra: the same counts for any thread count, equal to the histogram of
// runSamples' banded eigenvalues; cancellation stops it.
void TestBanded::runFastPath()
{
    const Model m = spikedModel(300, false, "list:3,-2.5,0.5");
    RunOptions opt;
    opt.samples = 6;
    opt.seed = 5;
    opt.sampler = SamplerChoice::Banded;
    BandedSpectrumRequest req;
    Histogram ref = makeHistogram(-3.0, 4.0, 70);
    req.edges = ref.edges;
    req.above = 2.2;
    req.below = -2.2;

    opt.threads = 1;
    const BandedRunResult one = runBandedSpectra(m, opt, req);
    opt.threads = 2;
    int calls = 0;
    const BandedRunResult two =
        runBandedSpectra(m, opt, req, nullptr, {}, [&](int, const BandedSpectrum&) { ++calls; });
    QCOMPARE(calls, 6);
    QCOMPARE(one.completed, 6);
    QVERIFY(!one.cancelled);
    QCOMPARE(one.counts, two.counts);
    QCOMPARE(one.total, std::uint64_t{6 * 300});
    for (int i = 0; i < 6; ++i) {
        QCOMPARE(one.sampleIndex[static_cast<std::size_t>(i)], i);
        QCOMPARE(one.spectra[static_cast<std::size_t>(i)].top,
                 two.spectra[static_cast<std::size_t>(i)].top);
    }

    const RunResult full = runSamples(m, opt);
    QVERIFY(full.sampler == SamplerKind::Banded);
    for (const auto& ev : full.eigenvalues)
        ref.add(ev);
    QCOMPARE(one.counts, ref.counts);
    QCOMPARE(one.total, ref.total);
    // Every eigenvalue beyond +-2.2 was located: the outliers of 3 and -2.5.
    for (std::size_t i = 0; i < full.eigenvalues.size(); ++i) {
        const auto& ev = full.eigenvalues[i];
        const auto above =
            static_cast<std::size_t>(ev.end() - std::upper_bound(ev.begin(), ev.end(), 2.2));
        QCOMPARE(one.spectra[i].top.size(), above);
        for (std::size_t j = 0; j < above; ++j)
            QVERIFY(std::abs(one.spectra[i].top[j] - ev[ev.size() - 1 - j]) < 1e-10);
        QVERIFY(!one.spectra[i].bottom.empty());
        QVERIFY(std::abs(one.spectra[i].bottom[0] - ev[0]) < 1e-10);
    }

    std::atomic<bool> stop{true};
    const BandedRunResult none = runBandedSpectra(m, opt, req, &stop);
    QVERIFY(none.cancelled);
    QCOMPARE(none.completed, 0);

    Model heavy = m;
    heavy.noise = parseNoise("uniform");
    QVERIFY_THROWS_EXCEPTION(InputError, runBandedSpectra(heavy, opt, req));
    opt.memoryBudget = 1000;
    QVERIFY_THROWS_EXCEPTION(ResourceError, runBandedSpectra(m, opt, req));
}

void TestBanded::rankOneIsTheBand_data()
{
    QTest::addColumn<bool>("complex");
    QTest::addColumn<int>("n");
    QTest::addColumn<QString>("bulk");
    QTest::newRow("real n=2") << false << 2 << "zero";
    QTest::newRow("real n=500 const bulk") << false << 500 << "uniform:0.4,0.4";
    QTest::newRow("complex n=3") << true << 3 << "zero";
    QTest::newRow("complex n=500") << true << 500 << "zero";
}

// With one spike the tridiagonal model is the band model: the same draws, the same bits.
void TestBanded::rankOneIsTheBand()
{
    QFETCH(bool, complex);
    QFETCH(int, n);
    QFETCH(QString, bulk);
    const Model m = spikedModel(n, complex, "list:3", bulk.toStdString());
    for (std::uint64_t k = 0; k < 3; ++k) {
        const BandMatrix band = drawBandMatrix(m, 17, k);
        const std::optional<BandMatrix> t = drawTridiagonal(m, 17, k);
        QVERIFY(t);
        QCOMPARE(t->kd, band.kd);
        QVERIFY(!t->isComplex() && !band.isComplex());
        QCOMPARE(t->re, band.re);
    }
}

void TestBanded::tridiagonalCarriesTheSpikes_data()
{
    QTest::addColumn<bool>("complex");
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("rank");
    QTest::newRow("real n=40 r=13") << false << 40 << 13; // row steps, then a 14 x 14 block
    QTest::newRow("complex n=40 r=13") << true << 40 << 13;
    QTest::newRow("real n=12 r=12") << false << 12 << 12; // the dense block only
    QTest::newRow("complex n=200 r=2") << true << 200 << 2;
}

// sigma -> 0: T's eigenvalues are those of S (the spikes and c N - r times), whatever the slots
// did with them on the way.
void TestBanded::tridiagonalCarriesTheSpikes()
{
    QFETCH(bool, complex);
    QFETCH(int, n);
    QFETCH(int, rank);
    const Model m = withRank(spikedModel(n, complex, "linear:-3,4", "uniform:0.5,0.5", 1e-9), rank);
    const std::vector<double> ev = bandEigenvalues(*drawTridiagonal(m, 5, 0));
    std::vector<double> s = signalSpectrum(m);
    std::sort(s.begin(), s.end());
    QCOMPARE(ev.size(), s.size());
    for (std::size_t i = 0; i < s.size(); ++i)
        QVERIFY2(std::abs(ev[i] - s[i]) < 1e-6, qPrintable(QString::number(ev[i] - s[i])));
}

void TestBanded::tridiagonalPortableSameBits_data()
{
    QTest::addColumn<bool>("complex");
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("rank");
    QTest::newRow("real r=2") << false << 300 << 2;
    QTest::newRow("real r=13") << false << 300 << 13;
    QTest::newRow("complex r=13") << true << 300 << 13;
    QTest::newRow("real r=100") << false << 250 << 100;
    QTest::newRow("complex r=100") << true << 250 << 100;
}

// The SSE2 copy of the row-step kernel and the AVX2 one picked at run time give the same bits
// (same operations in the same order, no fused multiply-add).
void TestBanded::tridiagonalPortableSameBits()
{
    QFETCH(bool, complex);
    QFETCH(int, n);
    QFETCH(int, rank);
    const Model m = withRank(spikedModel(n, complex, "linear:-3,4"), rank);
    const std::optional<BandMatrix> a = drawTridiagonal(m, 8, 2, nullptr, 0, false);
    const std::optional<BandMatrix> b = drawTridiagonal(m, 8, 2, nullptr, 0, true);
    QVERIFY(a && b);
    QCOMPARE(a->re, b->re);
}

// The same seed gives the same bits on 1, 2, 3 and 8 threads: samples in parallel, and the
// counts of one sample in parallel when threads are left over (a single sample).
void TestBanded::sameBitsForAnyThreadCount()
{
    const Model m = withRank(spikedModel(20000, false, "equal:3"), 10);
    BandedSpectrumRequest req;
    req.edges = makeHistogram(-2.5, 3.6, 160).edges;
    req.topCount = 3;
    req.bottomCount = 2;
    req.above = 2.05;
    for (const int samples : {1, 3}) {
        RunOptions opt;
        opt.samples = samples;
        opt.seed = 4;
        opt.threads = 1;
        const BandedRunResult ref = runBandedSpectra(m, opt, req);
        QCOMPARE(ref.completed, samples);
        QCOMPARE(ref.spectra.front().top.size(), std::size_t{10});
        for (const int threads : {2, 3, 8}) {
            opt.threads = threads;
            const BandedRunResult other = runBandedSpectra(m, opt, req);
            QCOMPARE(other.counts, ref.counts);
            for (std::size_t i = 0; i < ref.spectra.size(); ++i) {
                QCOMPARE(other.spectra[i].top, ref.spectra[i].top);
                QCOMPARE(other.spectra[i].bottom, ref.spectra[i].bottom);
            }
        }
    }
    // All eigenvalues (dsterf), as runSamples gives them.
    const Model small = withRank(spikedModel(1500, true, "linear:-3,4"), 20);
    RunOptions opt;
    opt.samples = 3;
    opt.seed = 4;
    opt.sampler = SamplerChoice::Banded;
    opt.threads = 1;
    const RunResult ref = runSamples(small, opt);
    for (const int threads : {2, 3, 8}) {
        opt.threads = threads;
        QCOMPARE(runSamples(small, opt).eigenvalues, ref.eigenvalues);
    }
}

// A set flag stops the draw at once (nullopt), and a flag set while a long draw runs stops it
// long before its end (N = 2e6, r = 100: seconds of work; the flag is read every few ms).
void TestBanded::cancelStopsTheDraw()
{
    const Model m = withRank(spikedModel(2000000, false, "equal:3"), 100);
    std::atomic<bool> stop{true};
    QVERIFY(!drawTridiagonal(m, 1, 0, &stop));
    const BandedSampler sampler(m, 1);
    QVERIFY(sampler.sample(0, &stop).empty());
    QVERIFY(sampler.spectrum(0, BandedSpectrumRequest{}, &stop).cancelled);

    stop = false;
    std::optional<BandMatrix> t;
    double seconds = 0.0;
    std::thread worker([&] {
        const auto t0 = std::chrono::steady_clock::now();
        t = drawTridiagonal(m, 1, 0, &stop);
        seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    });
    stop = true;
    worker.join();
    QVERIFY(!t);
    QVERIFY2(seconds < 0.5, qPrintable(QString::number(seconds)));
}

QTEST_GUILESS_MAIN(TestBanded)
#include "tst_banded.moc"
