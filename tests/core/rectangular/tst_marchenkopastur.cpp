// Marchenko-Pastur law (core/rectangular/marchenko_pastur.h): normalisation, moments and the
// closed-form CDF against quadrature of the density (independent of the closed form), cdf/quantile
// inverse and monotonicity, the c <-> 1/c relation, and the law against simulated Gaussian W =
// X/sqrt(N) for c = 0.25, 1, 3 (both the dgesdd and the Gram path of singularValues) with a KS
// bound.
#include "core/model/families.h"
#include "core/rectangular/marchenko_pastur.h"
#include "core/sampling/rng.h"
#include "core/weights/weights_analysis.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

using namespace ws::core;

namespace {

// Integral of f over [a, b] by composite Gauss-Legendre (5 points per panel) on `panels` panels
// graded as a + (b - a) (j/panels)^3, fine near a (where the c ~ 1 densities have their
// sharp feature).
template <class F> double integrate(const F& f, double a, double b, int panels = 400)
{
    static const double x[5] = {-0.9061798459386640, -0.5384693101056831, 0.0, 0.5384693101056831,
                                0.9061798459386640};
    static const double w[5] = {0.2369268850561891, 0.4786286704993665, 0.5688888888888889,
                                0.4786286704993665, 0.2369268850561891};
    auto node = [&](int j) {
        const double r = static_cast<double>(j) / panels;
        return a + (b - a) * r * r * r;
    };
    double sum = 0.0;
    for (int k = 0; k < panels; ++k) {
        const double lo = node(k), hi = node(k + 1), h = hi - lo, mid = 0.5 * (lo + hi);
        for (int i = 0; i < 5; ++i)
            sum += 0.5 * h * w[i] * f(mid + 0.5 * h * x[i]);
    }
    return sum;
}

// Integral over [lowerEdge, lambda] of g(lambda') density(lambda'), substituting
// lambda' = a + (b - a) sin^2(t/2), t in [0, T]: the edge square roots become smooth (and the
// lambda^(-1/2) singularity of c = 1 cancels against d lambda = (b - a) sin(t)/2 dt).
template <class G> double integrateDensity(const MarchenkoPastur& mp, double lambda, const G& g)
{
    const double a = mp.lowerEdge(), b = mp.upperEdge();
    const double x = std::clamp((lambda - a) / (b - a), 0.0, 1.0);
    const double tMax = 2.0 * std::asin(std::sqrt(x));
    return integrate(
        [&](double t) {
            const double s = std::sin(0.5 * t);
            const double l = a + (b - a) * s * s;
            if (l <= 0.0)
                return 0.0;
            // density * d lambda/dt, written to avoid 0 * inf at lambda = 0.
            const double jac = 0.5 * (b - a) * std::sin(t);
            const double root = std::sqrt((b - l) * (l - a));
            return g(l) * root * jac /
                   (2.0 * std::numbers::pi * mp.sigma * mp.sigma * std::min(1.0, mp.c) * l);
        },
        0.0, tMax);
}

const double kRatios[] = {0.01, 0.1, 0.25, 0.5, 0.9, 0.999, 1.0, 1.001, 2.0, 3.0, 10.0, 100.0};

std::vector<double> gaussianMatrix(int rows, int cols, std::uint64_t seed, std::uint64_t stream)
{
    Rng rng(seed, stream);
    std::vector<double> w(static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols));
    const double scale = 1.0 / std::sqrt(static_cast<double>(rows));
    for (double& v : w)
        v = scale * rng.normal();
    return w;
}

// sup |F_n - F| of the sample against the law.
double ksDistance(std::vector<double> lambda, const MarchenkoPastur& mp)
{
    std::sort(lambda.begin(), lambda.end());
    const double n = static_cast<double>(lambda.size());
    double d = 0.0;
    for (std::size_t i = 0; i < lambda.size(); ++i) {
        const double f = mp.cdf(lambda[i]);
        d = std::max({d, std::abs(f - static_cast<double>(i) / n),
                      std::abs(f - static_cast<double>(i + 1) / n)});
    }
    return d;
}

} // namespace

class TestMarchenkoPastur : public QObject
{
    Q_OBJECT

private slots:
    void edges()
    {
        const MarchenkoPastur mp{0.7, 3.0};
        QCOMPARE(mp.lowerEdge(), 0.49 * std::pow(1.0 - std::sqrt(3.0), 2));
        QCOMPARE(mp.upperEdge(), 0.49 * std::pow(1.0 + std::sqrt(3.0), 2));
        QCOMPARE(mp.quantile(0.0), mp.lowerEdge());
        QCOMPARE(mp.quantile(1.0), mp.upperEdge());
        QCOMPARE(mp.cdf(mp.lowerEdge()), 0.0);
        QCOMPARE(mp.cdf(mp.upperEdge()), 1.0);
        QCOMPARE(mp.density(mp.upperEdge() * 1.01), 0.0);
        QCOMPARE(mp.density(mp.lowerEdge() * 0.99), 0.0);
        QCOMPARE((MarchenkoPastur{2.0, 1.0}.lowerEdge()), 0.0);
        QCOMPARE((MarchenkoPastur{2.0, 1.0}.upperEdge()), 16.0);
    }

    // The density integrates to 1, the mean is sigma^2 max(1, c) (= trace(W^T W) / number of
    // nonzero eigenvalues), the second moment sigma^4 max(1,c)^2 (1 + y).
    void normalisationAndMoments()
    {
        for (double c : kRatios) {
            const MarchenkoPastur mp{1.3, c};
            const double v = 1.69 * std::max(1.0, c), y = std::min(c, 1.0 / c);
            const double b = mp.upperEdge();
            const double mass = integrateDensity(mp, b, [](double) { return 1.0; });
            const double mean = integrateDensity(mp, b, [](double l) { return l; });
            const double second = integrateDensity(mp, b, [](double l) { return l * l; });
            QVERIFY2(std::abs(mass - 1.0) < 1e-12, qPrintable(QString::number(c)));
            QVERIFY2(std::abs(mean / v - 1.0) < 1e-12, qPrintable(QString::number(c)));
            QVERIFY2(std::abs(second / (v * v) - (1.0 + y)) < 1e-12,
                     qPrintable(QString::number(c)));
            // The singular-value density also integrates to 1 (plain quadrature in s).
            const double lo = std::sqrt(mp.lowerEdge()), hi = std::sqrt(b);
            const double massS =
                integrate([&](double s) { return mp.singularDensity(s); }, lo, hi, 4000);
            QVERIFY2(std::abs(massS - 1.0) < 2e-4, qPrintable(QString::number(c)));
        }
        // c = 1: quarter circle for s.
        const MarchenkoPastur qc{0.8, 1.0};
        for (double s : {0.0, 0.1, 0.7, 1.2, 1.59})
            QVERIFY(std::abs(qc.singularDensity(s) -
                             std::sqrt(4 * 0.64 - s * s) / (std::numbers::pi * 0.64)) < 1e-13);
    }

    // Closed-form CDF = quadrature of the density, everywhere including both edges.
    void cdfMatchesQuadrature()
    {
        for (double c : kRatios) {
            const MarchenkoPastur mp{0.9, c};
            const double a = mp.lowerEdge(), b = mp.upperEdge();
            for (double f : {1e-6, 1e-3, 0.01, 0.1, 0.3, 0.5, 0.77, 0.9, 0.99, 0.999, 1 - 1e-6}) {
                const double l = a + f * (b - a);
                const double q = integrateDensity(mp, l, [](double) { return 1.0; });
                QVERIFY2(std::abs(mp.cdf(l) - q) < 1e-12,
                         qPrintable(QString("c=%1 f=%2 cdf=%3 quad=%4")
                                        .arg(c)
                                        .arg(f)
                                        .arg(mp.cdf(l), 0, 'g', 17)
                                        .arg(q, 0, 'g', 17)));
            }
        }
    }

    void quantileInvertsCdf()
    {
        for (double c : kRatios) {
            const MarchenkoPastur mp{1.1, c};
            double prevQ = mp.lowerEdge();
            for (int i = 1; i < 2000; ++i) {
                const double p = i / 2000.0;
                const double q = mp.quantile(p);
                QVERIFY(q >= prevQ);
                prevQ = q;
                QVERIFY2(std::abs(mp.cdf(q) - p) < 4e-15 / std::min(c, 1.0 / c) + 1e-15,
                         qPrintable(QString("c=%1 p=%2").arg(c).arg(p)));
            }
            // lambda -> cdf -> quantile in the interior (density bounded away from 0 there).
            const double a = mp.lowerEdge(), b = mp.upperEdge();
            for (double f : {0.05, 0.2, 0.5, 0.8, 0.95}) {
                const double l = a + f * (b - a);
                QVERIFY(std::abs(mp.quantile(mp.cdf(l)) - l) < 1e-9 * b);
            }
            // Monotone at the rounding level too, also right at the edges.
            double prev = 0.0;
            for (int i = 0; i <= 20000; ++i) {
                const double t = i / 20000.0;
                const double l = a + (b - a) * t * t * t; // dense near the lower edge
                const double f = mp.cdf(l);
                QVERIFY(f >= prev && f <= 1.0);
                prev = f;
            }
            prev = 0.0;
            for (int i = 20000; i >= 0; --i) {
                const double t = i / 20000.0;
                const double l = b - (b - a) * t * t * t; // dense near the upper edge
                const double f = mp.cdf(l);
                QVERIFY(f >= prev);
                prev = f;
            }
        }
    }

    // For c > 1 the nonzero eigenvalues are those of W W^T = c sigma^2 (X X^T / M): the law with
    // ratio 1/c and variance c sigma^2.
    void ratioAndInverseRatio()
    {
        const double sigma = 0.6;
        for (double c : {1.5, 3.0, 40.0}) {
            const MarchenkoPastur big{sigma, c}, small{sigma * std::sqrt(c), 1.0 / c};
            QVERIFY(std::abs(big.upperEdge() - small.upperEdge()) < 1e-14 * big.upperEdge());
            QVERIFY(std::abs(big.lowerEdge() - small.lowerEdge()) < 1e-13 * big.upperEdge());
            for (double p : {0.1, 0.4, 0.9})
                QVERIFY(std::abs(big.quantile(p) - small.quantile(p)) < 1e-13 * big.upperEdge());
            const double l = big.quantile(0.3);
            QVERIFY(std::abs(big.density(l) - small.density(l)) < 1e-12 * big.density(l));
        }
    }

    // Simulated W = X/sqrt(N) (sigma = 1), X Gaussian: the squared singular values against the
    // MP CDF. Bound: 1.63/sqrt(n), the 1% critical value of the KS statistic for n iid draws;
    // eigenvalues are far more rigid than iid draws (their empirical CDF deviates by O(log n/n)),
    // so this is conservative, and the finite-N deviation from the limit law is O(1/N) << it.
    // Power: the same data must be rejected against sigma' = 1.1 sigma and against c' = 1/c.
    void simulationMatchesLaw_data()
    {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("samples");
        QTest::newRow("c=0.25 (dgesdd)") << 800 << 200 << 10;
        QTest::newRow("c=1 (dgesdd)") << 400 << 400 << 8;
        QTest::newRow("c=1 (Gram)") << 700 << 700 << 4;
        QTest::newRow("c=3 (dgesdd)") << 200 << 600 << 12;
        QTest::newRow("c=3 (Gram)") << 400 << 1200 << 5;
    }
    void simulationMatchesLaw()
    {
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(int, samples);
        const double c = static_cast<double>(cols) / rows;
        std::vector<double> lambda;
        for (int k = 0; k < samples; ++k) {
            const std::vector<double> s =
                singularValues(rows, cols, gaussianMatrix(rows, cols, 2024, k));
            QCOMPARE(static_cast<int>(s.size()), std::min(rows, cols));
            for (double v : s)
                lambda.push_back(v * v);
        }
        const double bound = 1.63 / std::sqrt(static_cast<double>(lambda.size()));
        const double d = ksDistance(lambda, MarchenkoPastur{1.0, c});
        QVERIFY2(d < bound, qPrintable(QString("KS %1 >= bound %2").arg(d).arg(bound)));
        const double dSigma = ksDistance(lambda, MarchenkoPastur{1.1, c});
        QVERIFY2(dSigma > bound, qPrintable(QString("no power vs sigma: %1").arg(dSigma)));
        if (c != 1.0) {
            const double dRatio = ksDistance(lambda, MarchenkoPastur{1.0, 1.0 / c});
            QVERIFY2(dRatio > bound, qPrintable(QString("no power vs 1/c: %1").arg(dRatio)));
        }
        // The extreme singular values sit at the edges (within the TW scale times a few).
        const MarchenkoPastur mp{1.0, c};
        const auto [mn, mx] = std::minmax_element(lambda.begin(), lambda.end());
        QVERIFY(*mx < mp.upperEdge() * 1.05 && *mx > mp.upperEdge() * 0.95);
        QVERIFY(*mn > mp.lowerEdge() * 0.8 - 0.01);
    }

    void invalidParameters()
    {
        QVERIFY_THROWS_EXCEPTION(InputError, (MarchenkoPastur{0.0, 1.0}.upperEdge()));
        QVERIFY_THROWS_EXCEPTION(InputError, (MarchenkoPastur{-1.0, 1.0}.density(1.0)));
        QVERIFY_THROWS_EXCEPTION(InputError, (MarchenkoPastur{1.0, 0.0}.cdf(1.0)));
        QVERIFY_THROWS_EXCEPTION(InputError, (MarchenkoPastur{NAN, 1.0}.quantile(0.5)));
        QVERIFY_THROWS_EXCEPTION(InputError, (MarchenkoPastur{1.0, INFINITY}.quantile(0.5)));
        QVERIFY_THROWS_EXCEPTION(InputError, (MarchenkoPastur{1.0, 1.0}.quantile(-0.1)));
        QVERIFY_THROWS_EXCEPTION(InputError, (MarchenkoPastur{1.0, 1.0}.quantile(1.5)));
        QVERIFY_THROWS_EXCEPTION(InputError, (MarchenkoPastur{1.0, 1.0}.quantile(NAN)));
        QVERIFY_THROWS_EXCEPTION(InputError, (MarchenkoPastur{1.0, 1.0}.cdf(NAN)));
        QCOMPARE((MarchenkoPastur{1.0, 2.0}.density(NAN)), 0.0);
        QCOMPARE((MarchenkoPastur{1.0, 2.0}.cdf(-INFINITY)), 0.0);
        QCOMPARE((MarchenkoPastur{1.0, 2.0}.cdf(INFINITY)), 1.0);
    }
};

QTEST_APPLESS_MAIN(TestMarchenkoPastur)
#include "tst_marchenkopastur.moc"
