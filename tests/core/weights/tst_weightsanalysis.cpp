// Real-weights numerics (core/weights/weights_analysis.h): singular values against an independent
// SVD (Eigen's BDCSVD) within the Gram path's error bound, the noise fit on synthetic W = noise +
// low rank (sigma recovered, the count above the edge = the spikes above the BBP threshold sigma
// c^(1/4), false-positive rate on pure noise, the Tracy-Widom scaling of the largest noise singular
// value), pruning against the SVD's truncation (Eckart-Young), determinism over thread counts,
// cancellation, memory guard and bad input. TBB before any Qt header (Qt's emit macro clashes with
// oneTBB).

#include "core/model/families.h"
#include "core/sampling/rng.h"
#include "core/util/tracy_widom.h"
#include "core/weights/weights_analysis.h"

#include "support/reference.h"
#include "support/tbb_threads.h"
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

using namespace ws::core;

namespace {

constexpr double kEps = std::numeric_limits<double>::epsilon();

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

std::vector<double> toVector(const RowMatrix& m)
{
    return std::vector<double>(m.data(), m.data() + m.size());
}

RowMatrix fromVector(int rows, int cols, const std::vector<double>& v)
{
    return Eigen::Map<const RowMatrix>(v.data(), rows, cols);
}

// (sigma/sqrt(N)) X, X Gaussian or Rademacher.
RowMatrix noise(int rows, int cols, double sigma, std::uint64_t seed, bool rademacher = false)
{
    Rng rng(seed, 0);
    RowMatrix w(rows, cols);
    const double scale = sigma / std::sqrt(static_cast<double>(rows));
    for (Eigen::Index i = 0; i < w.size(); ++i)
        w.data()[i] = scale * (rademacher ? (rng.bernoulli(0.5) ? 1.0 : -1.0) : rng.normal());
    return w;
}

// n x r matrix with orthonormal, delocalized columns (QR of a Gaussian matrix).
Eigen::MatrixXd orthonormal(int n, int r, Rng& rng)
{
    Eigen::MatrixXd g(n, r);
    for (Eigen::Index i = 0; i < g.size(); ++i)
        g.data()[i] = rng.normal();
    return ws::testing::householderQ(g);
}

// S = sum_j theta_j u_j v_j^T with random orthonormal u_j (N) and v_j (M).
RowMatrix lowRank(int rows, int cols, const std::vector<double>& theta, std::uint64_t seed)
{
    Rng rng(seed, 1);
    const int r = static_cast<int>(theta.size());
    if (r == 0)
        return RowMatrix::Zero(rows, cols);
    const Eigen::MatrixXd u = orthonormal(rows, r, rng), v = orthonormal(cols, r, rng);
    const Eigen::VectorXd t = Eigen::Map<const Eigen::VectorXd>(theta.data(), r);
    return u * t.asDiagonal() * v.transpose();
}

std::vector<double> referenceSingularValues(const RowMatrix& w)
{
    const Eigen::VectorXd s = ws::testing::singularValues(w);
    return std::vector<double>(s.data(), s.data() + s.size());
}

// max |a_ij - b_ij| (a plain loop: Eigen's maxCoeff trips GCC 12's -Wnull-dereference here).
double maxAbsDiff(const RowMatrix& a, const Eigen::MatrixXd& b)
{
    double d = 0.0;
    for (Eigen::Index i = 0; i < a.rows(); ++i)
        for (Eigen::Index j = 0; j < a.cols(); ++j)
            d = std::max(d, std::abs(a(i, j) - b(i, j)));
    return d;
}

// A matrix with a spread spectrum (condition number ~1e3): noise with geometric column scales.
RowMatrix spread(int rows, int cols, std::uint64_t seed)
{
    RowMatrix w = noise(rows, cols, 1.0, seed);
    for (int j = 0; j < cols; ++j)
        w.col(j) *= std::pow(1e-3, static_cast<double>(j) / cols);
    return w;
}

// Spikes theta_j = f_j sigma c^(1/4), i.e. f_j times the BBP threshold.
std::vector<double> spikes(double sigma, double c, const std::vector<double>& factors)
{
    std::vector<double> t;
    for (double f : factors)
        t.push_back(f * sigma * std::pow(c, 0.25));
    return t;
}

} // namespace

class TestWeightsAnalysis : public QObject
{
    Q_OBJECT

private slots:
    // ---- singularValues -----------------------------------------------------------------------

    // Gram path error bound: the eigenvalues of G = W^T W are accurate to O(p eps ||G||), so
    // |s_i^2 - s_i^2(exact)| <= C p eps s_1^2 (C = 4 here); the top ones to 1e-10 relative.
    // dgesdd path: 1e-12 relative to s_1 for every value.
    void singularValuesMatchSvd_data()
    {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::addColumn<bool>("gram");
        QTest::newRow("50x80 dgesdd") << 50 << 80 << false;
        QTest::newRow("80x50 dgesdd") << 80 << 50 << false;
        QTest::newRow("1x300") << 1 << 300 << false;
        QTest::newRow("300x1") << 300 << 1 << false;
        QTest::newRow("700x520 Gram") << 700 << 520 << true;
        QTest::newRow("520x700 Gram") << 520 << 700 << true;
        QTest::newRow("3000x220 Gram") << 3000 << 220 << true;
    }
    void singularValuesMatchSvd()
    {
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(bool, gram);
        const RowMatrix w = spread(rows, cols, 7);
        const std::vector<double> s = singularValues(rows, cols, toVector(w));
        const std::vector<double> ref = referenceSingularValues(w);
        QCOMPARE(s.size(), ref.size());
        QVERIFY(std::is_sorted(s.rbegin(), s.rend()));
        const double p = static_cast<double>(s.size()), s1 = ref[0];
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (gram) {
                QVERIFY2(std::abs(s[i] * s[i] - ref[i] * ref[i]) <= 4.0 * p * kEps * s1 * s1,
                         qPrintable(QString("i=%1 s=%2 ref=%3").arg(i).arg(s[i]).arg(ref[i])));
                if (i < 10)
                    QVERIFY(std::abs(s[i] - ref[i]) <= 1e-10 * ref[i]);
            } else {
                QVERIFY(std::abs(s[i] - ref[i]) <= 1e-12 * s1);
            }
        }
    }

    // Exactly rank 4: the four values to 1e-10, the zeros come out at ~sqrt(p eps) s_1.
    void singularValuesRankDeficient()
    {
        Rng rng(3, 0);
        RowMatrix a(600, 4), b(4, 500);
        for (Eigen::Index i = 0; i < a.size(); ++i)
            a.data()[i] = rng.normal();
        for (Eigen::Index i = 0; i < b.size(); ++i)
            b.data()[i] = rng.normal();
        const RowMatrix w = a * b;
        const std::vector<double> s = singularValues(600, 500, toVector(w));
        const std::vector<double> ref = referenceSingularValues(w);
        for (int i = 0; i < 4; ++i)
            QVERIFY(std::abs(s[i] - ref[i]) <= 1e-10 * ref[i]);
        const double bound = 2.0 * std::sqrt(500 * kEps) * s[0];
        for (std::size_t i = 4; i < s.size(); ++i)
            QVERIFY(s[i] <= bound && s[i] >= 0.0);
    }

    // Same numbers for 1 and 2 threads (fixed tiles, BLAS on one thread); progress monotone to 1.
    void singularValuesDeterministicAndProgress()
    {
        const std::vector<double> w = toVector(noise(700, 600, 1.0, 11));
        std::vector<double> one, two;
        testsupport::withTbbThreads(1, [&] { one = singularValues(700, 600, w); });
        std::vector<double> fractions;
        testsupport::withTbbThreads(2, [&] {
            two = singularValues(700, 600, w, nullptr, [&](double f) { fractions.push_back(f); });
        });
        QVERIFY(one == two);
        QVERIFY(fractions.size() >= 3); // 3 x 3 tiles' lower triangle = 6 tiles, then 1
        QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
        QCOMPARE(fractions.back(), 1.0);
        QVERIFY(fractions.front() > 0.0);
    }

    void singularValuesCancel()
    {
        const std::vector<double> big = toVector(noise(700, 600, 1.0, 5));
        const std::vector<double> small = toVector(noise(30, 20, 1.0, 5));
        std::atomic<bool> cancel{true};
        QVERIFY_THROWS_EXCEPTION(Cancelled, singularValues(700, 600, big, &cancel));
        QVERIFY_THROWS_EXCEPTION(Cancelled, singularValues(30, 20, small, &cancel));
        // Cancelled while the Gram matrix is being built: the remaining tiles are skipped.
        std::atomic<bool> later{false};
        int calls = 0;
        QVERIFY_THROWS_EXCEPTION(Cancelled, singularValues(700, 600, big, &later, [&](double) {
                                     ++calls;
                                     later = true;
                                 }));
        QVERIFY(calls >= 1 && calls < 6);
    }

    // Entries near the ends of the double range are scaled by a power of two: exact.
    void singularValuesExtremeScales()
    {
        for (auto [rows, cols] : {std::pair{40, 30}, std::pair{600, 500}}) {
            const std::vector<double> w = toVector(noise(rows, cols, 1.0, 9));
            const std::vector<double> s = singularValues(rows, cols, w);
            for (int e : {500, -600, 1000}) {
                std::vector<double> we = w;
                for (double& v : we)
                    v = std::ldexp(v, e);
                const std::vector<double> se = singularValues(rows, cols, we);
                for (std::size_t i = 0; i < s.size(); ++i)
                    QCOMPARE(se[i], std::ldexp(s[i], e));
            }
        }
    }

    void singularValuesBadInput()
    {
        const std::vector<double> w(12, 1.0);
        QVERIFY_THROWS_EXCEPTION(InputError, singularValues(0, 12, w));
        QVERIFY_THROWS_EXCEPTION(InputError, singularValues(3, -4, w));
        QVERIFY_THROWS_EXCEPTION(InputError, singularValues(3, 5, w));
        std::vector<double> bad = w;
        bad[7] = std::numeric_limits<double>::quiet_NaN();
        QVERIFY_THROWS_EXCEPTION(InputError, singularValues(3, 4, bad));
        bad[7] = -std::numeric_limits<double>::infinity();
        QVERIFY_THROWS_EXCEPTION(InputError, singularValues(3, 4, bad));
        try {
            singularValues(3, 4, bad);
        } catch (const InputError& e) {
            QVERIFY(std::string(e.what()).find("[1, 3]") != std::string::npos);
        }
        // Memory guard: a tiny budget refuses, and the estimate covers the Gram matrix.
        QVERIFY_THROWS_EXCEPTION(ResourceError, singularValues(3, 4, w, nullptr, {}, 64));
        QVERIFY(singularValuesPeakBytes(4096, 11008) >= 4096ull * 4096ull * 8ull);
        QVERIFY(singularValuesPeakBytes(4096, 11008) < 4096ull * 4096ull * 8ull * 2ull);
    }

    // ---- fitNoise -----------------------------------------------------------------------------

    // sigma recovered within 2% (measured worst over 10 seeds: 0.65%; the bulk statistics
    // behind the fit fluctuate at O(1/p)), and `above` = the number of spikes above the BBP
    // threshold, for Gaussian and Rademacher noise, c = 0.5, 1, 2, and 0, 5, 5% and 10% of p
    // strong spikes (2.5-8 times the threshold), plus weak ones (0.5 times it) that must not
    // count. Without the deflation step the 10% case is off by 4-6.5% (docs/pruning.md).
    void fitRecoversSigma_data()
    {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::addColumn<bool>("rademacher");
        QTest::addColumn<QString>("signal");
        for (auto [rows, cols] : {std::pair{600, 300}, std::pair{400, 400}, std::pair{300, 600}})
            for (bool rad : {false, true})
                for (const char* sig : {"none", "rank5", "rank5%", "rank10%", "weak"})
                    QTest::addRow("%dx%d %s %s", rows, cols, rad ? "rademacher" : "gaussian", sig)
                        << rows << cols << rad << QString(sig);
    }
    void fitRecoversSigma()
    {
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(bool, rademacher);
        QFETCH(QString, signal);
        const double sigma = 0.7, c = static_cast<double>(cols) / rows;
        const int p = std::min(rows, cols);
        std::vector<double> factors;
        int expected = 0;
        if (signal == "rank5")
            factors = {3, 4, 5, 6, 7};
        if (signal == "rank5%" || signal == "rank10%") {
            const int r = signal == "rank5%" ? p / 20 : p / 10;
            for (int j = 0; j < r; ++j)
                factors.push_back(2.5 + 0.3 * j);
        }
        expected = static_cast<int>(factors.size());
        if (signal == "weak")
            factors = {0.5, 0.5, 0.5, 3.0, 4.0}, expected = 2;
        const std::uint64_t seed = 100 + static_cast<std::uint64_t>(rows);
        const RowMatrix w = noise(rows, cols, sigma, seed, rademacher) +
                            lowRank(rows, cols, spikes(sigma, c, factors), seed);
        const std::vector<double> s = singularValues(rows, cols, toVector(w));
        const NoiseFit f = fitNoise(s, rows, cols);
        QVERIFY2(std::abs(f.sigma / sigma - 1.0) < 0.02, qPrintable(QString::number(f.sigma)));
        QCOMPARE(f.above, expected);
        QCOMPARE(autoRank(f), expected);
        QCOMPARE(f.bulkCount, p - expected);
        QCOMPARE(f.c, c);
        QCOMPARE(f.entryStd, f.sigma / std::sqrt(static_cast<double>(rows)));
        QCOMPARE(f.upperEdge, f.sigma * (1.0 + std::sqrt(c)));
        QCOMPARE(f.lowerEdge, f.sigma * std::abs(1.0 - std::sqrt(c)));
        QVERIFY(f.margin > 0.0 && f.margin < 0.05 * f.upperEdge);
        QCOMPARE(f.falseRate, 0.01);
        QCOMPARE(f.twThreshold, detectionThreshold(rows, cols, 0.01));
        QCOMPARE(f.upperEdge + f.margin, tracyWidomThreshold(rows, cols, f.sigma, f.twThreshold));
        QCOMPARE(f.outlierScales.size(), static_cast<std::size_t>(f.above));
        for (int i = 0; i < f.above; ++i) {
            const auto at = static_cast<std::size_t>(i);
            QCOMPARE(f.outlierScales[at], tracyWidomScales(rows, cols, f.sigma, s[at]));
            QVERIFY(f.outlierScales[at] > f.twThreshold);
        }
        QVERIFY(!f.method.empty());
        // Every counted value is beyond edge + margin, the next one is not.
        if (f.above > 0)
            QVERIFY(s[static_cast<std::size_t>(f.above - 1)] > f.upperEdge + f.margin);
        QVERIFY(s[static_cast<std::size_t>(f.above)] <= f.upperEdge + f.margin);
    }

    // The Tracy-Widom distribution against published values (Bornemann 2010; Tracy & Widom's
    // tables): the quantiles F1(-3.8954) = 0.01, F1(0.9793) = 0.95, F1(2.0234) = 0.99, the
    // mean -1.2065 and sd 1.2680 by quadrature of the density, and the table behind the
    // convolved tail against the direct determinant.
    void tracyWidomDistribution()
    {
        QVERIFY(std::abs(tracyWidom1Cdf(-3.8954) - 0.01) < 2e-5);
        QVERIFY(std::abs(tracyWidom1Cdf(0.9793) - 0.95) < 2e-5);
        QVERIFY(std::abs(tracyWidom1Cdf(2.0234) - 0.99) < 2e-5);
        QVERIFY(std::abs(tracyWidom1UpperQuantile(0.01) - 2.0234) < 1e-3);
        QVERIFY(std::abs(tracyWidom1UpperQuantile(0.05) - 0.9793) < 1e-3);
        QVERIFY(std::abs(tracyWidom1UpperQuantile(0.001) - 3.2722) < 1e-3);
        double mean = 0.0, second = 0.0, prev = tracyWidom1Cdf(-6.0);
        for (double s = -6.0 + 0.02; s <= 12.0; s += 0.02) {
            const double cdf = tracyWidom1Cdf(s), mid = s - 0.01;
            mean += mid * (cdf - prev);
            second += mid * mid * (cdf - prev);
            prev = cdf;
        }
        QVERIFY2(std::abs(mean + 1.2065) < 2e-3, qPrintable(QString::number(mean)));
        QVERIFY(std::abs(std::sqrt(second - mean * mean) - 1.2680) < 2e-3);
        for (double s = -5.9; s < 13.0; s += 0.37) {
            const double direct = tracyWidom1Tail(s);
            QVERIFY2(std::abs(tracyWidom1TailWithGaussian(s, 0.0, 0.0) / direct - 1.0) < 1e-8,
                     qPrintable(QString::number(s)));
            QVERIFY(std::abs(tracyWidom1TailWithGaussian(s + 0.5, 0.5, 0.0) / direct - 1.0) < 1e-8);
        }
        // Monotone tails; the Gaussian term widens the distribution (a higher quantile).
        QVERIFY(tracyWidom1Tail(1.0) > tracyWidom1Tail(1.1));
        QVERIFY(tracyWidom1UpperQuantile(0.01, 0.0, 0.5) > tracyWidom1UpperQuantile(0.01) + 0.1);
        QCOMPARE(tracyWidom1UpperQuantile(0.01, 1.0, 0.0), tracyWidom1UpperQuantile(0.01) + 1.0);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, tracyWidom1UpperQuantile(0.0));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, tracyWidom1UpperQuantile(NAN));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, tracyWidom1UpperQuantile(0.01, 0.0, -1.0));
        QVERIFY(std::isnan(tracyWidom1Cdf(NAN)));
    }

    // The stated false-detection rate, by simulation: pure Gaussian noise of four shapes (aspect
    // ratios 1 to 4, both orientations), 300 seeds each, fitted with rates 10% and 1%. A
    // detection is above > 0. Each shape at 10%: at most 0.10 + 2 se (se = 0.017) and at least
    // 0.05 (a threshold far too high would pass the first check trivially); pooled over the 1200
    // matrices: at most the rate plus one standard error (0.0087 at 10%, 0.0029 at 1%). Without
    // the allowance for the fitted sigma's error (detectionThreshold) 100 x 100 gave 16% at 10%.
    // Measured (1000 seeds per shape, docs/pruning.md): 8.2-9.7% at 10%, 0.6-1.4% at 1%.
    void falseDetectionRate()
    {
        const std::pair<int, int> shapes[] = {{100, 100}, {60, 240}, {300, 100}, {120, 200}};
        const int seeds = 300;
        int pooled10 = 0, pooled1 = 0;
        for (auto [rows, cols] : shapes) {
            int at10 = 0;
            for (int seed = 0; seed < seeds; ++seed) {
                const std::vector<double> s = singularValues(
                    rows, cols,
                    toVector(noise(rows, cols, 0.8, 20000 + static_cast<std::uint64_t>(seed))));
                NoiseFitOptions o;
                o.falseRate = 0.1;
                at10 += fitNoise(s, rows, cols, o).above > 0;
                o.falseRate = 0.01;
                pooled1 += fitNoise(s, rows, cols, o).above > 0;
            }
            const double rate = static_cast<double>(at10) / seeds;
            QVERIFY2(rate <= 0.1 + 2.0 * std::sqrt(0.09 / seeds) && rate >= 0.05,
                     qPrintable(QString("%1 x %2: %3").arg(rows).arg(cols).arg(rate)));
            pooled10 += at10;
        }
        const double n = 4.0 * seeds;
        QVERIFY2(pooled10 / n <= 0.1 + std::sqrt(0.1 * 0.9 / n),
                 qPrintable(QString::number(pooled10)));
        QVERIFY2(pooled1 / n <= 0.01 + std::sqrt(0.01 * 0.99 / n),
                 qPrintable(QString::number(pooled1)));
    }

    // Detection power near the threshold: one spike theta u v^T in 200 x 400 noise, its strength
    // a factor f times the theta* whose predicted outlier position (rectangular BBP,
    // sigma sqrt((1 + t^2)(c + t^2))/t, t = theta/sigma) is the 1% threshold itself. 60 seeds per
    // f. Measured over 200 seeds: f = 0.8 -> 6%, 1.0 -> 52%, 1.1 -> 89%, 1.2 -> 99.5%.
    void detectionPower()
    {
        const int rows = 200, cols = 400, seeds = 60;
        const double c = 2.0;
        const double thr =
            tracyWidomThreshold(rows, cols, 1.0, detectionThreshold(rows, cols, 0.01));
        auto position = [c](double t) { return std::sqrt((1 + t * t) * (c + t * t)) / t; };
        double lo = std::pow(c, 0.25), hi = 10.0;
        for (int i = 0; i < 100; ++i)
            (position(0.5 * (lo + hi)) < thr ? lo : hi) = 0.5 * (lo + hi);
        auto power = [&](double f) {
            int found = 0;
            for (int seed = 0; seed < seeds; ++seed) {
                const auto sd = static_cast<std::uint64_t>(seed);
                const RowMatrix w =
                    noise(rows, cols, 1.0, 3000 + sd) + lowRank(rows, cols, {f * lo}, 3000 + sd);
                found += fitNoise(singularValues(rows, cols, toVector(w)), rows, cols).above >= 1;
            }
            return static_cast<double>(found) / seeds;
        };
        const double weak = power(0.8), mid = power(1.0), strong = power(1.25);
        QVERIFY2(weak <= 0.2, qPrintable(QString::number(weak)));
        QVERIFY2(mid >= 0.25 && mid <= 0.75, qPrintable(QString::number(mid)));
        QVERIFY2(strong >= 0.9, qPrintable(QString::number(strong)));
    }

    // The margin's Tracy-Widom scaling: T = (s_1^2 N/sigma^2 - mu)/s_TW of pure Gaussian noise
    // should have TW1's mean -1.21 and sd 1.27. 40 seeds: mean within 3 standard errors
    // (3 x 1.27/sqrt(40) = 0.60) plus 0.15 for the finite-N bias; sd in [0.8, 1.8]. A wrong
    // scale (e.g. N^(-1/2) instead of N^(-2/3)) or centring moves the mean by far more.
    void tracyWidomScaling()
    {
        const int rows = 200, cols = 400;
        const double a = std::sqrt(cols - 0.5), b = std::sqrt(rows - 0.5);
        const double mu = (a + b) * (a + b), sd = (a + b) * std::cbrt(1.0 / a + 1.0 / b);
        std::vector<double> t;
        for (std::uint64_t seed = 1; seed <= 40; ++seed) {
            const std::vector<double> s =
                singularValues(rows, cols, toVector(noise(rows, cols, 1.0, 900 + seed)));
            t.push_back((s[0] * s[0] * rows - mu) / sd);
        }
        const double mean = std::accumulate(t.begin(), t.end(), 0.0) / 40.0;
        double var = 0.0;
        for (double v : t)
            var += (v - mean) * (v - mean);
        const double sdev = std::sqrt(var / 39.0);
        QVERIFY2(std::abs(mean + 1.21) < 0.75, qPrintable(QString::number(mean)));
        QVERIFY2(sdev > 0.8 && sdev < 1.8, qPrintable(QString::number(sdev)));
        // The threshold formula is that quantile converted to singular-value units.
        QCOMPARE(tracyWidomThreshold(rows, cols, 2.0, 3.0),
                 2.0 * std::sqrt((mu + 3.0 * sd) / rows));
        QCOMPARE(tracyWidomThreshold(rows, cols, 0.0, 3.0), 0.0);
        // tracyWidomScales inverts it.
        QVERIFY(
            std::abs(tracyWidomScales(rows, cols, 2.0, tracyWidomThreshold(rows, cols, 2.0, 3.0)) -
                     3.0) < 1e-9);
        QCOMPARE(tracyWidomScales(rows, cols, 0.0, 1.0), std::numeric_limits<double>::infinity());
        // The allowance for the fitted sigma: wider for small and square matrices, and the rate
        // orders the thresholds.
        QVERIFY(detectionThreshold(100, 100, 0.01) > detectionThreshold(400, 400, 0.01));
        QVERIFY(detectionThreshold(400, 400, 0.01) > tracyWidom1UpperQuantile(0.01));
        QVERIFY(detectionThreshold(rows, cols, 0.001) > detectionThreshold(rows, cols, 0.01));
        QVERIFY_THROWS_EXCEPTION(InputError, detectionThreshold(rows, cols, 0.0));
        QVERIFY_THROWS_EXCEPTION(InputError, detectionThreshold(rows, cols, 0.6));
    }

    void fitDegenerate()
    {
        auto finite = [](const NoiseFit& f) {
            return std::isfinite(f.sigma) && std::isfinite(f.entryStd) && std::isfinite(f.margin) &&
                   std::isfinite(f.upperEdge) && std::isfinite(f.lowerEdge) && f.margin >= 0.0;
        };
        // All zeros.
        const NoiseFit z = fitNoise(std::vector<double>(30, 0.0), 30, 50);
        QVERIFY(finite(z));
        QCOMPARE(z.sigma, 0.0);
        QCOMPARE(z.above, 0);
        QCOMPARE(z.bulkCount, 30);
        // Exactly rank 3 without noise: the three stand out.
        const RowMatrix w = lowRank(50, 40, {5.0, 3.0, 1.0}, 4);
        const NoiseFit r3 = fitNoise(singularValues(50, 40, toVector(w)), 50, 40);
        QVERIFY(finite(r3));
        QCOMPARE(r3.above, 3);
        QVERIFY(r3.sigma < 1e-6);
        // A row vector, a 1 x 1 and a 2 x 3 matrix: sane, finite.
        for (auto [rows, cols] : {std::pair{1, 300}, std::pair{300, 1}, std::pair{1, 1},
                                  std::pair{2, 3}, std::pair{3, 2}}) {
            const std::vector<double> s =
                singularValues(rows, cols, toVector(noise(rows, cols, 1.0, 8)));
            const NoiseFit f = fitNoise(s, rows, cols);
            QVERIFY(finite(f) && f.sigma > 0.0);
            QCOMPARE(f.above, 0);
        }
        // A quarter of the spectrum huge (the window [0.1, 0.7] holds no outlier as long as they
        // are fewer than 30%): all counted. Half of it huge: beyond the breakdown point, still
        // finite.
        for (int huge : {10, 20}) {
            std::vector<double> v(40);
            for (int i = 0; i < 40; ++i)
                v[static_cast<std::size_t>(i)] = i < huge ? 1e6 - i : 1.0 - 0.01 * i;
            const NoiseFit h = fitNoise(v, 40, 40);
            QVERIFY(finite(h));
            QVERIFY(h.deflation <= 20);
            if (huge == 10)
                QCOMPARE(h.above, 10);
        }
        // All singular values equal.
        const NoiseFit eq = fitNoise(std::vector<double>(25, 2.0), 25, 25);
        QVERIFY(finite(eq) && eq.sigma > 0.0);
    }

    void fitBadInput()
    {
        const std::vector<double> s = {3.0, 2.0, 1.0};
        QVERIFY_THROWS_EXCEPTION(InputError, fitNoise(s, 0, 3));
        QVERIFY_THROWS_EXCEPTION(InputError, fitNoise(s, 3, -1));
        QVERIFY_THROWS_EXCEPTION(InputError, fitNoise(s, 4, 4));               // 4 values expected
        QVERIFY_THROWS_EXCEPTION(InputError, fitNoise({1.0, 2.0, 3.0}, 3, 3)); // ascending
        QVERIFY_THROWS_EXCEPTION(InputError, fitNoise({3.0, 2.0, -1.0}, 3, 3));
        QVERIFY_THROWS_EXCEPTION(InputError, fitNoise({3.0, NAN, 1.0}, 3, 3));
        QVERIFY_THROWS_EXCEPTION(InputError, fitNoise({INFINITY, 2.0, 1.0}, 3, 3));
        NoiseFitOptions o;
        o.qLow = 0.8;
        QVERIFY_THROWS_EXCEPTION(InputError, fitNoise(s, 3, 3, o));
        o = {};
        o.falseRate = 0.0;
        QVERIFY_THROWS_EXCEPTION(InputError, fitNoise(s, 3, 3, o));
        o.falseRate = NAN;
        QVERIFY_THROWS_EXCEPTION(InputError, fitNoise(s, 3, 3, o));
        o = {};
        o.maxIterations = 0;
        QVERIFY_THROWS_EXCEPTION(InputError, fitNoise(s, 3, 3, o));
        // A narrow window between two levels still uses one value.
        o = {};
        o.qLow = 0.4;
        o.qHigh = 0.41;
        QVERIFY(fitNoise(s, 3, 3, o).sigma > 0.0);
    }

    // The permuted noise reference: the same multiset of entries, a fixed copy per seed, and the
    // planted low-rank signal gone (the spikes of a 200 x 300 matrix found in the real one, none
    // in the permuted copy, whose sigma carries the signal's energy: sigma_ref^2 ~ ||W||_F^2/M).
    void permutedReference()
    {
        const int rows = 200, cols = 300;
        const double c = 1.5;
        const RowMatrix w =
            noise(rows, cols, 1.0, 41) + lowRank(rows, cols, spikes(1.0, c, {3, 5}), 41);
        const std::vector<double> v = toVector(w);
        const std::vector<double> a = permutedCopy(v, 7), b = permutedCopy(v, 7),
                                  d = permutedCopy(v, 8);
        QCOMPARE(a, b);
        QVERIFY(a != d && a != v);
        std::vector<double> sa = a, sv = v;
        std::sort(sa.begin(), sa.end());
        std::sort(sv.begin(), sv.end());
        QCOMPARE(sa, sv);
        QCOMPARE(fitNoise(singularValues(rows, cols, v), rows, cols).above, 2);
        const NoiseFit ref = fitNoise(singularValues(rows, cols, a), rows, cols);
        QCOMPARE(ref.above, 0);
        double energy = 0.0;
        for (double x : v)
            energy += x * x;
        QVERIFY(std::abs(ref.sigma / std::sqrt(energy / cols) - 1.0) < 0.03);
        QVERIFY(permutedCopy({}, 1).empty());
        QCOMPARE(permutedCopy({2.5}, 1), std::vector<double>{2.5});
    }

    // ---- pruneTopK ----------------------------------------------------------------------------

    // Against the truncated SVD (Eigen BDCSVD): W_k, the top singular values, retained energy,
    // parameter counts and the relative error sqrt(sum_{i>=k} s_i^2 / sum s_i^2).
    void pruneMatchesSvd_data()
    {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("k");
        for (auto [rows, cols] : {std::pair{60, 90}, std::pair{90, 60}})
            for (int k : {0, 1, 7, 59, 60})
                QTest::addRow("%dx%d k=%d", rows, cols, k) << rows << cols << k;
        QTest::newRow("300x700 k=20") << 300 << 700 << 20;
        QTest::newRow("700x300 k=20") << 700 << 300 << 20;
    }
    void pruneMatchesSvd()
    {
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(int, k);
        const RowMatrix w = noise(rows, cols, 1.0, 31) + lowRank(rows, cols, {9, 7, 5}, 31);
        const PruneResult r = pruneTopK(rows, cols, toVector(w), k);
        const ws::testing::ThinSvd svd = ws::testing::thinSvd(w);
        const Eigen::VectorXd& s = svd.s;
        const Eigen::MatrixXd ref =
            svd.u.leftCols(k) * s.head(k).asDiagonal() * svd.v.leftCols(k).transpose();
        const RowMatrix got = fromVector(rows, cols, r.lowRank);
        QVERIFY2(maxAbsDiff(got, ref) <= 1e-11 * s(0),
                 qPrintable(QString::number(maxAbsDiff(got, ref))));
        QCOMPARE(r.k, k);
        QCOMPARE(r.params, static_cast<std::int64_t>(k) * (rows + cols));
        QCOMPARE(r.originalParams, static_cast<std::int64_t>(rows) * cols);
        QCOMPARE(static_cast<int>(r.topSingular.size()), k);
        for (int i = 0; i < k; ++i)
            QVERIFY(std::abs(r.topSingular[static_cast<std::size_t>(i)] - s(i)) <= 1e-10 * s(0));
        const double total = s.squaredNorm(), kept = s.head(k).squaredNorm();
        QVERIFY(std::abs(r.retainedEnergy - kept / total) < 1e-12);
        QVERIFY(std::abs(r.relativeError - std::sqrt((total - kept) / total)) < 1e-10);
        QVERIFY(std::abs(r.relativeError * r.relativeError + r.retainedEnergy - 1.0) < 1e-12);
    }

    void pruneRankDeficientAndZero()
    {
        const RowMatrix w = lowRank(80, 120, {4.0, 2.0, 1.0}, 2);
        const PruneResult r = pruneTopK(80, 120, toVector(w), 5);
        QVERIFY(r.relativeError < 1e-10);
        QVERIFY(std::abs(r.retainedEnergy - 1.0) < 1e-12);
        QVERIFY(maxAbsDiff(fromVector(80, 120, r.lowRank), w) < 1e-12);
        QVERIFY(r.topSingular[3] < 1e-6 && std::abs(r.topSingular[0] - 4.0) < 1e-12);
        const PruneResult z = pruneTopK(30, 20, std::vector<double>(600, 0.0), 4);
        QCOMPARE(z.retainedEnergy, 1.0);
        QCOMPARE(z.relativeError, 0.0);
        QVERIFY(std::all_of(z.lowRank.begin(), z.lowRank.end(), [](double v) { return v == 0.0; }));
        // k = p returns W itself, bit for bit.
        const std::vector<double> full = toVector(noise(20, 30, 1.0, 6));
        const PruneResult all = pruneTopK(20, 30, full, 20);
        QVERIFY(all.lowRank == full);
        QCOMPARE(all.relativeError, 0.0);
        QCOMPARE(all.topSingular, singularValues(20, 30, full));
    }

    void pruneDeterministicCancelScale()
    {
        const std::vector<double> w = toVector(noise(600, 700, 1.0, 12));
        PruneResult one, two;
        testsupport::withTbbThreads(1, [&] { one = pruneTopK(600, 700, w, 16); });
        std::vector<double> fractions;
        testsupport::withTbbThreads(2, [&] {
            two = pruneTopK(600, 700, w, 16, nullptr, [&](double f) { fractions.push_back(f); });
        });
        QVERIFY(one.lowRank == two.lowRank);
        QCOMPARE(one.relativeError, two.relativeError);
        QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
        QCOMPARE(fractions.back(), 1.0);

        std::atomic<bool> cancel{true};
        QVERIFY_THROWS_EXCEPTION(Cancelled, pruneTopK(600, 700, w, 16, &cancel));
        std::atomic<bool> later{false};
        QVERIFY_THROWS_EXCEPTION(Cancelled,
                                 pruneTopK(600, 700, w, 16, &later, [&](double) { later = true; }));

        // 2^500 W: the same approximation times 2^500, exactly.
        std::vector<double> big = w;
        for (double& v : big)
            v = std::ldexp(v, 500);
        const PruneResult scaled = pruneTopK(600, 700, big, 16);
        for (std::size_t i = 0; i < w.size(); i += 997)
            QCOMPARE(scaled.lowRank[i], std::ldexp(one.lowRank[i], 500));
        QCOMPARE(scaled.relativeError, one.relativeError);
    }

    void pruneBadInput()
    {
        const std::vector<double> w(12, 1.0);
        QVERIFY_THROWS_EXCEPTION(InputError, pruneTopK(3, 4, w, -1));
        QVERIFY_THROWS_EXCEPTION(InputError, pruneTopK(3, 4, w, 4));
        QVERIFY_THROWS_EXCEPTION(InputError, pruneTopK(4, 4, w, 1));
        QVERIFY_THROWS_EXCEPTION(InputError, pruneTopK(0, 4, w, 0));
        std::vector<double> bad = w;
        bad[0] = NAN;
        QVERIFY_THROWS_EXCEPTION(InputError, pruneTopK(3, 4, bad, 1));
        QVERIFY_THROWS_EXCEPTION(ResourceError, pruneTopK(3, 4, w, 1, nullptr, {}, 64));
        QVERIFY(pruneTopKPeakBytes(2048, 2048, 32) >= 2ull * 2048ull * 2048ull * 8ull);
    }
};

QTEST_APPLESS_MAIN(TestWeightsAnalysis)
#include "tst_weightsanalysis.moc"
