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
    void rangesAtTheEndOfDouble();
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

// Ranges whose width overflows a double (--range=-1e308:1e308, a spike of 1.7e308): every edge
// finite and increasing, the ends exact, values in the bin their edges say, densities finite.
void TestHistogram::rangesAtTheEndOfDouble()
{
    const double big = std::numeric_limits<double>::max();
    const std::pair<double, double> ranges[] = {
        {-1e308, 1e308}, {-big, big}, {-1.765, 1.7e308}, {-1.7e308, 3.0}, {0.0, big}};
    for (const auto& [lo, hi] : ranges) {
        for (int bins : {1, 2, 3, 100, 1000}) {
            const ws::core::Histogram h = ws::core::makeHistogram(lo, hi, bins);
            QCOMPARE(h.edges.front(), lo);
            QCOMPARE(h.edges.back(), hi);
            for (std::size_t i = 0; i + 1 < h.edges.size(); ++i) {
                QVERIFY2(std::isfinite(h.edges[i]), qPrintable(QString::number(i)));
                QVERIFY(h.edges[i] < h.edges[i + 1]);
            }
            ws::core::Histogram filled = h;
            const std::vector<double> values{lo, hi, 0.5 * lo + 0.5 * hi, 1.0, -1.0};
            filled.add(values);
            std::uint64_t inside = 0;
            for (std::size_t i = 0; i < filled.counts.size(); ++i) {
                inside += filled.counts[i];
                for (double x : values)
                    if (x >= h.edges[i] && (x < h.edges[i + 1] || i + 1 == filled.counts.size()))
                        QVERIFY(filled.counts[i] > 0);
            }
            QCOMPARE(inside, std::uint64_t(values.size() - (lo > -1.0 ? 1 : 0)));
            for (double d : filled.density())
                QVERIFY(std::isfinite(d));
        }
    }
    // Ordinary ranges keep their edges bit for bit (lo + (hi - lo) i / bins).
    const ws::core::Histogram h = ws::core::makeHistogram(-2.0, 3.0, 7);
    for (int i = 0; i < 7; ++i)
        QCOMPARE(h.edges[static_cast<std::size_t>(i)], -2.0 + 5.0 * i / 7.0);
}

QTEST_APPLESS_MAIN(TestHistogram)
#include "tst_histogram.moc"
