// The large-rank separation threshold (core/theory/threshold.h): its defining equation, closed
// forms, and agreement with the per-spike separation of predictOutliers.
#include "core/model/families.h"
#include "core/theory/theory.h"
#include "core/theory/threshold.h"

#include <QtTest>

#include <cmath>

using namespace ws::core;

namespace {

// F(theta) = sigma^2 fraction sum_a w_a / (theta - s_a)^2, the criterion of threshold.h.
double criterion(const std::vector<Atom>& bulk, double fraction, double sigma, double theta)
{
    double sum = 0.0;
    for (const Atom& a : bulk)
        sum += a.weight / ((theta - a.value) * (theta - a.value));
    return sigma * sigma * fraction * sum;
}

// A rank-one model with spike theta over `bulk`, and the bulk's atoms and fraction.
struct Setup
{
    Model model;
    std::vector<Atom> atoms;
    double fraction = 0.0;
};

Setup setup(int n, const char* bulk, double theta)
{
    Setup s;
    s.model.n = n;
    s.model.spikes = parseSpikes("list:" + formatDouble(theta));
    s.model.bulk = parseBulk(bulk);
    validate(s.model);
    s.atoms = groupAtoms(bulkValues(s.model));
    s.fraction = static_cast<double>(n - 1) / n;
    return s;
}

} // namespace

class TestThreshold : public QObject
{
    Q_OBJECT
private slots:
    void zeroBulkIsSigmaAtFiniteN();
    void constantBulkShiftsIt();
    void solvesItsDefiningEquation();
    void agreesWithPredictOutliers();
    void noBulkNoThreshold();
};

void TestThreshold::zeroBulkIsSigmaAtFiniteN()
{
    // F = sigma^2 (N - r)/N / theta^2 = 1: theta = sigma sqrt((N - r)/N).
    const std::vector<Atom> zero = {{0.0, 1.0}};
    for (double sigma : {0.5, 1.0, 3.0})
        for (double fraction : {0.999, 0.9, 0.5}) {
            const double want = sigma * std::sqrt(fraction);
            const auto up = largeRankThreshold(zero, fraction, sigma, +1);
            const auto down = largeRankThreshold(zero, fraction, sigma, -1);
            QVERIFY(up && down);
            QVERIFY2(std::abs(*up - want) < 1e-14 * sigma, qPrintable(QString::number(*up)));
            QVERIFY(std::abs(*down + want) < 1e-14 * sigma);
        }
}

void TestThreshold::constantBulkShiftsIt()
{
    const std::vector<Atom> c = {{0.7, 1.0}};
    const auto up = largeRankThreshold(c, 0.75, 2.0, +1);
    const auto down = largeRankThreshold(c, 0.75, 2.0, -1);
    QVERIFY(std::abs(*up - (0.7 + 2.0 * std::sqrt(0.75))) < 1e-14);
    QVERIFY(std::abs(*down - (0.7 - 2.0 * std::sqrt(0.75))) < 1e-14);
}

void TestThreshold::solvesItsDefiningEquation()
{
    for (const char* bulk : {"uniform:-1,1", "semicircle:1.5", "twopoint:-1,2,0.3"}) {
        const Setup s = setup(2000, bulk, 0.0);
        for (int sign : {+1, -1}) {
            const double t = *largeRankThreshold(s.atoms, s.fraction, 0.8, sign);
            const double edge = sign > 0 ? s.atoms.back().value : s.atoms.front().value;
            QVERIFY(sign * (t - edge) > 0.0 && sign * (t - edge) <= 0.8);
            QVERIFY2(std::abs(criterion(s.atoms, s.fraction, 0.8, t) - 1.0) < 1e-9,
                     qPrintable(QString("%1 %2").arg(bulk).arg(sign)));
            // Beyond it the criterion is below 1, inside it above.
            QVERIFY(criterion(s.atoms, s.fraction, 0.8, t + sign * 1e-3) < 1.0);
            QVERIFY(criterion(s.atoms, s.fraction, 0.8, t - sign * 1e-3) > 1.0);
        }
    }
}

// A spike just beyond the threshold separates by predictOutliers' criterion (and gets a large-rank
// prediction), one just inside does not.
void TestThreshold::agreesWithPredictOutliers()
{
    const Setup s0 = setup(1000, "uniform:-1,1", 0.0);
    const double t = *largeRankThreshold(s0.atoms, s0.fraction, 1.0, +1);
    for (double delta : {1e-4, -1e-4}) {
        const Setup s = setup(1000, "uniform:-1,1", t + delta);
        const std::vector<OutlierPrediction> p = predictOutliers(s.model);
        QCOMPARE(p.size(), std::size_t{1});
        QCOMPARE(p[0].separation<1.0, delta> 0.0);
        QCOMPARE(p[0].largeRank.has_value(), delta > 0.0);
    }
}

void TestThreshold::noBulkNoThreshold()
{
    QVERIFY(!largeRankThreshold({}, 0.5, 1.0, +1));
    QVERIFY(!largeRankThreshold({{0.0, 1.0}}, 0.0, 1.0, +1));
}

QTEST_APPLESS_MAIN(TestThreshold)
#include "tst_threshold.moc"
