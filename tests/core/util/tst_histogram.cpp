// Histogram: edges, bin assignment (last bin closed), totals, density normalization.
#include "core/util/histogram.h"

#include <QtTest>

#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>

using namespace ws::core;

class TestHistogram : public QObject
{
    Q_OBJECT
private slots:
    void edges();
    void binAssignment();
    void outOfRangeAndNaN();
    void densityIntegratesToFractionInRange();
    void emptyHistogram();
    void awkwardRange();
    void badArguments();
};

void TestHistogram::edges()
{
    const Histogram h = makeHistogram(-1.0, 3.0, 8);
    QCOMPARE(h.edges.size(), std::size_t(9));
    QCOMPARE(h.counts.size(), std::size_t(8));
    QCOMPARE(h.edges.front(), -1.0);
    QCOMPARE(h.edges.back(), 3.0);
    for (std::size_t i = 0; i < h.edges.size(); ++i)
        QCOMPARE(h.edges[i], -1.0 + 0.5 * static_cast<double>(i)); // exact in binary
    QCOMPARE(h.total, std::uint64_t(0));
}

void TestHistogram::binAssignment()
{
    Histogram h = makeHistogram(0.0, 4.0, 4);
    // Bin i is [i, i+1); 4.0 (= hi) lands in the last bin.
    h.add({0.0, 0.5, 0.999, 1.0, 2.5, 3.0, 3.999, 4.0});
    QCOMPARE(h.counts[0], std::uint64_t(3));
    QCOMPARE(h.counts[1], std::uint64_t(1));
    QCOMPARE(h.counts[2], std::uint64_t(1));
    QCOMPARE(h.counts[3], std::uint64_t(3));
    QCOMPARE(h.total, std::uint64_t(8));
    // add() accumulates.
    h.add({1.5});
    QCOMPARE(h.counts[1], std::uint64_t(2));
    QCOMPARE(h.total, std::uint64_t(9));
}

void TestHistogram::outOfRangeAndNaN()
{
    Histogram h = makeHistogram(-1.0, 1.0, 10);
    const double inf = std::numeric_limits<double>::infinity();
    h.add({-1.0000001, 1.0000001, std::nan(""), inf, -inf, 0.05});
    QCOMPARE(h.total, std::uint64_t(6)); // documented: they all count in the total
    std::uint64_t inBins = 0;
    for (auto c : h.counts)
        inBins += c;
    QCOMPARE(inBins, std::uint64_t(1));
    QCOMPARE(h.counts[5], std::uint64_t(1));
}

void TestHistogram::densityIntegratesToFractionInRange()
{
    std::mt19937_64 gen(42);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::vector<double> values(20000);
    for (double& v : values)
        v = normal(gen);
    Histogram h = makeHistogram(-2.0, 1.5, 37);
    h.add(values);
    std::uint64_t inRange = 0;
    for (double v : values)
        inRange += (v >= -2.0 && v <= 1.5) ? 1 : 0;
    const std::vector<double> d = h.density();
    QCOMPARE(d.size(), std::size_t(37));
    double integral = 0.0;
    std::uint64_t counted = 0;
    for (std::size_t i = 0; i < d.size(); ++i) {
        integral += d[i] * (h.edges[i + 1] - h.edges[i]);
        counted += h.counts[i];
        // Each bin agrees with its edges.
        std::uint64_t expect = 0;
        for (double v : values)
            expect += (v >= h.edges[i] &&
                       (v < h.edges[i + 1] || (i + 1 == d.size() && v == h.edges[i + 1])))
                          ? 1
                          : 0;
        QCOMPARE(h.counts[i], expect);
    }
    QCOMPARE(counted, inRange);
    QVERIFY(std::abs(integral - static_cast<double>(inRange) / 20000.0) < 1e-12);
    // A range covering everything integrates to 1.
    Histogram all = makeHistogram(-10.0, 10.0, 50);
    all.add(values);
    double one = 0.0;
    const auto da = all.density();
    for (std::size_t i = 0; i < da.size(); ++i)
        one += da[i] * (all.edges[i + 1] - all.edges[i]);
    QVERIFY(std::abs(one - 1.0) < 1e-12);
}

void TestHistogram::emptyHistogram()
{
    const Histogram h = makeHistogram(0.0, 1.0, 3);
    const auto d = h.density();
    QCOMPARE(d.size(), std::size_t(3));
    for (double v : d)
        QCOMPARE(v, 0.0);
}

void TestHistogram::awkwardRange()
{
    // Edges that are not exact in binary: every value must land in the bin its edges say.
    const double lo = 0.1, hi = 0.7;
    Histogram h = makeHistogram(lo, hi, 3);
    QCOMPARE(h.edges.back(), hi);
    std::vector<double> values;
    for (double e : h.edges) {
        values.push_back(e);
        values.push_back(std::nextafter(e, -1.0));
        values.push_back(std::nextafter(e, 2.0));
    }
    h.add(values);
    std::uint64_t counted = 0;
    for (std::size_t i = 0; i < 3; ++i) {
        std::uint64_t expect = 0;
        for (double v : values)
            expect += (v >= h.edges[i] && (v < h.edges[i + 1] || (i == 2 && v == hi))) ? 1 : 0;
        QCOMPARE(h.counts[i], expect);
        counted += h.counts[i];
    }
    QCOMPARE(counted, std::uint64_t(values.size() - 2)); // just below lo and just above hi
}

void TestHistogram::badArguments()
{
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeHistogram(0.0, 1.0, 0));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeHistogram(1.0, 1.0, 5));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeHistogram(2.0, 1.0, 5));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeHistogram(std::nan(""), 1.0, 5));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             makeHistogram(0.0, std::numeric_limits<double>::infinity(), 5));
}

QTEST_APPLESS_MAIN(TestHistogram)
#include "tst_histogram.moc"
