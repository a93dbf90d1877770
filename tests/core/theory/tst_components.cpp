// Theory: what computeTheory adds to each support interval (core/theory/components.h): labels
// and counts, absorption, moments against quadrature, edge scales, classical locations, the
// refined per-spike predictions and their sd.
// TBB before any Qt header (Qt's emit macro clashes with oneTBB).
#include <tbb/task_arena.h>

#include "theory_fixtures.h"

#include "core/theory/components.h"
#include "core/theory/far_field.h"

#include <QElapsedTimer>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <vector>

using namespace ws::core;
using namespace theorytest;

using testsupport::Integral;
using testsupport::trapezoid;
using testsupport::withRank;

class TestComponents : public QObject
{
    Q_OBJECT
private slots:
    void groupPredictionIsTheComponentMean_data();
    void groupPredictionIsTheComponentMean();
    void spikesInABulkIntervalHaveNoOutlier_data();
    void spikesInABulkIntervalHaveNoOutlier();
    void absorptionMatchesAScanOfF();
    void labelsAndCounts_data();
    void labelsAndCounts();
    void intervalMomentsMatchQuadrature_data();
    void intervalMomentsMatchQuadrature();
    void treeMomentsMatchDirectSums();
    void momentsCostLinearInTheAtoms();
    void edgeScaleIsTheDensitysSquareRoot();
    void classicalLocationsAreQuantiles();
    void predictedSd();
};

void TestComponents::groupPredictionIsTheComponentMean_data()
{
    QTest::addColumn<Model>("m");
    QTest::addColumn<double>("theta"); // the group
    QTest::newRow("equal:3, r = 32, N = 1000") << model(1000, 1.0, "equal:3", "zero", 0.5) << 3.0;
    QTest::newRow("triple 4 + others, uniform bulk")
        << model(2000, 1.0, "list:4,4,4,2.5,-3", "uniform:-1,1", 0.0) << 4.0;
    QTest::newRow("pair -3.5, twopoint bulk")
        << model(500, 1.0, "list:5,-3.5,-3.5", "twopoint:-1,1,0.3", 0.0) << -3.5;
}

void TestComponents::groupPredictionIsTheComponentMean()
{
    // m equal spikes form one component C of mu_N of mass m/N (a band of width ~ 4 sigma
    // sqrt(m/N)), not m separate outliers. The large-rank value theta + sigma^2 G (G without the
    // group's own atom) is the mean of x over C: by subordination, G_mu(z) = g(omega) with
    // g(omega) = sum_a w_a/(omega - s_a), z = omega + sigma^2 g(omega), so
    //   int_C x dmu = (1/2 pi i) oint z G_mu(z) dz = (1/2 pi i) oint (omega + sigma^2 g) g (1 +
    //   sigma^2 g') d omega
    // around the atoms in C's u-interval; the residues give sum_{a in C} w_a s_a + sigma^2 sum_{a
    // in C} w_a sum_{b not in C} w_b/(s_a - s_b) (the g^2, omega g g' and g^2 g' terms give
    // 2x, -1x and 0x the cross sum). For C holding one atom theta of weight m/N, dividing by the
    // mass gives exactly theta + sigma^2 G. So the two agree up to the quadrature error only
    // (not just to O(m/N)); the tolerance is the quadrature's own error estimate, which is
    // far below the differences that matter here (finite-rank value, the band's edges).
    QFETCH(Model, m);
    QFETCH(double, theta);
    const Theory th = computeTheory(m, 400);
    const auto atoms = groupAtoms(signalSpectrum(m));
    const auto j =
        static_cast<std::size_t>(std::find_if(th.outliers.begin(), th.outliers.end(),
                                              [&](const auto& p) { return p.theta == theta; }) -
                                 th.outliers.begin());
    QVERIFY(j < th.outliers.size());
    const int mult = static_cast<int>(std::count_if(
        th.outliers.begin(), th.outliers.end(), [&](const auto& p) { return p.theta == theta; }));
    QVERIFY(th.outliers[j].largeRank.has_value());
    const double want = *th.outliers[j].largeRank;
    // The group's component: the one holding its atom.
    const auto atom = static_cast<std::size_t>(
        std::find_if(atoms.begin(), atoms.end(), [&](const Atom& a) { return a.value == theta; }) -
        atoms.begin());
    const auto& sup = th.equivalent.support;
    const auto k = static_cast<std::size_t>(
        std::find_if(sup.begin(), sup.end(),
                     [&](const auto& iv) { return iv.firstAtom <= atom && atom <= iv.lastAtom; }) -
        sup.begin());
    QVERIFY(k < sup.size() && sup[k].kind == IntervalKind::Cluster);
    QCOMPARE(th.outliers[j].interval, k);
    QCOMPARE(sup[k].firstAtom, sup[k].lastAtom); // the group alone
    const double mass = static_cast<double>(mult) / m.n;
    QVERIFY(std::abs(sup[k].mass - mass) < 1e-15);

    const Moments mo = componentMoments(atoms, m.sigma, sup[k].a, sup[k].b, 64);
    const double tolMass = 10.0 * mo.massErr + 1e-12 * mass;
    const double tol = 10.0 * mo.meanErr + 1e-12 * (std::abs(want) + sup[k].b - sup[k].a);
    qInfo("group %g x%d: component [%.5f, %.5f], mean %.12f, theta + sigma^2 G %.12f (tol %.1e)",
          theta, mult, sup[k].a, sup[k].b, mo.mean, want, tol);
    QVERIFY2(std::abs(mo.mass - mass) < tolMass,
             qPrintable(QString("mass %1 vs %2").arg(mo.mass).arg(mass)));
    QVERIFY2(std::abs(mo.mean - want) < tol,
             qPrintable(QString("mean %1 vs %2").arg(mo.mean, 0, 'g', 15).arg(want, 0, 'g', 15)));
    // The check has power: the finite-rank value and the band's edges are rejected.
    QVERIFY(tol < 1e-6);
    QVERIFY(std::abs(*th.outliers[j].finiteRank - want) > 1e-3);
    QVERIFY(std::min(std::abs(sup[k].a - want), std::abs(sup[k].b - want)) > 1e-2);
}

void TestComponents::spikesInABulkIntervalHaveNoOutlier_data()
{
    QTest::addColumn<Model>("m");
    QTest::addColumn<int>("outliers"); // large-rank predictions computeTheory keeps
    // S = 3 I (r = N): one cluster of N outliers, the semicircle moved to 3. With r = N there is
    // no bulk of S; the bulk family (zero) marks where it would be, at 0, outside the cluster's
    // u-interval (docs/model.md#support-intervals). So the outlier count is continuous in
    // alpha: N - 1 outliers at r = N - 1 (the one zero left is its own tiny bulk), N at r = N.
    // (A rule "the largest interval is the bulk" would say 0 here and jump at the last step.)
    QTest::newRow("equal:3, alpha = 1") << model(1000, 1.0, "equal:3", "zero", 1.0) << 1000;
    QTest::newRow("linear:1,5, alpha = 1") << model(500, 1.0, "linear:1,5", "zero", 1.0) << 500;
    QTest::newRow("rank one theta = 3") << model(1000, 1.0, "equal:3", "zero", 0.0) << 1;
    QTest::newRow("full rank, three spikes")
        << model(2000, 1.0, "list:4,2.5,1.6", "uniform:-1,1", 0.0) << 3;
    QTest::newRow("equal:3, alpha = 0.5") << model(1000, 1.0, "equal:3", "zero", 0.5) << 32;
    // The bulk family's support meets the interval: a bulk, the spikes absorbed.
    QTest::newRow("linear:-1,1 at r = N, uniform family")
        << model(400, 1.0, "linear:-1,1", "uniform:-1,1", 1.0) << 0;
}

void TestComponents::spikesInABulkIntervalHaveNoOutlier()
{
    QFETCH(Model, m);
    QFETCH(int, outliers);
    const Theory th = computeTheory(m, 300);
    const auto design = predictOutliers(m); // the per-spike formula, unrefined
    const auto& sup = th.equivalent.support;
    QCOMPARE(th.outliers.size(), design.size());
    int kept = 0;
    for (std::size_t j = 0; j < design.size(); ++j) {
        const auto& p = th.outliers[j];
        QVERIFY(!design[j].absorbed);
        QCOMPARE(p.separation, design[j].separation);
        QCOMPARE(p.finiteRank, design[j].finiteRank);
        QCOMPARE(p.absorbed, sup[p.interval].kind == IntervalKind::Bulk);
        if (p.absorbed) {
            QVERIFY(!p.largeRank && !p.overlapLargeRank && !p.sd);
            QVERIFY(p.reason != NoOutlierReason::None);
        } else if (sup[p.interval].firstAtom == sup[p.interval].lastAtom) {
            // Alone in its cluster: the per-spike formulas, bit for bit.
            QCOMPARE(p.largeRank, design[j].largeRank);
            QCOMPARE(p.overlapLargeRank, design[j].overlapLargeRank);
            QVERIFY(p.reason == NoOutlierReason::None);
        }
        kept += p.largeRank ? 1 : 0;
        // What is kept lies in its cluster.
        if (p.largeRank)
            QVERIFY(*p.largeRank >= sup[p.interval].a && *p.largeRank <= sup[p.interval].b);
    }
    QCOMPARE(kept, outliers);
    int clustered = 0;
    for (const auto& iv : sup)
        clustered += iv.kind == IntervalKind::Cluster ? iv.count : 0;
    QCOMPARE(clustered, outliers);
    // At alpha = 1 the separation criterion alone would predict an outlier for every spike.
    if (m.rank.alpha == 1.0)
        QVERIFY(std::all_of(design.begin(), design.end(),
                            [](const auto& p) { return p.largeRank.has_value(); }));
}

void TestComponents::absorptionMatchesAScanOfF()
{
    // Independent check of `absorbed`: the spike's atom is in the bulk's u-interval iff
    // sum_a w_a/(u - s_a)^2 >= 1/sigma^2 all the way from the spike to the bulk's atom (a dense
    // scan here). Rank one at N = 10^6, sigma = 2: at theta = 2.01 the spike is inside the
    // critical window |theta| - sigma ~ sigma N^(-1/3) = 0.02 and has not split off yet
    // (although separation = (N-1)/N sigma^2/theta^2 < 1): absorbed, not below the threshold;
    // at 2.2 it has split off.
    for (double theta : {2.01, 2.05, 2.2, 3.0}) {
        const Model m = model(1'000'000, 2.0, qPrintable("list:" + QString::number(theta)), "zero");
        const Theory th = computeTheory(m, 200);
        const auto pred = predictOutliers(m);
        QVERIFY(pred[0].separation < 1.0 && pred[0].largeRank);
        const std::vector<Atom> atoms = {{0.0, 1.0 - 1e-6}, {theta, 1e-6}};
        bool splits = false;
        for (int i = 1; i < 100000 && !splits; ++i)
            splits = F0(atoms, theta * i / 100000.0) * 4.0 < 1.0;
        qInfo("theta %.2f: split %d, absorbed %d", theta, splits, th.outliers[0].absorbed);
        QCOMPARE(th.outliers[0].absorbed, !splits);
        QCOMPARE(th.outliers[0].largeRank.has_value(), splits);
        QVERIFY(th.outliers[0].reason ==
                (splits ? NoOutlierReason::None : NoOutlierReason::Absorbed));
        if (theta == 2.01)
            QVERIFY(!splits);
        if (theta >= 2.2)
            QVERIFY(splits);
    }
    // Below the threshold: theta = 1.5 < sigma = 2.
    const Theory below = computeTheory(model(1000, 2.0, "list:1.5", "zero"), 200);
    QVERIFY(below.outliers[0].absorbed);
    QVERIFY(below.outliers[0].reason == NoOutlierReason::BelowThreshold);
    QCOMPARE(toString(below.outliers[0].reason), std::string("below the BBP threshold"));
    // Inside the range of the bulk of S: absorbed, with the interval in the text.
    const Theory inside = computeTheory(model(1000, 1.0, "list:0.3", "uniform:-1,1"), 200);
    QVERIFY(inside.outliers[0].reason == NoOutlierReason::Absorbed);
    const std::string text = reasonText(inside.equivalent.support, inside.outliers[0]);
    QVERIFY2(text.rfind("absorbed by the bulk interval [-2.29", 0) == 0, text.c_str());
}

void TestComponents::labelsAndCounts_data()
{
    // The cases of the research note (docs/model.md#support-intervals): kind and count of
    // each interval, ascending ("B" bulk, "C" cluster), and the edges of one interval.
    QTest::addColumn<Model>("m");
    QTest::addColumn<QString>("labels");
    QTest::addColumn<int>("which");
    QTest::addColumn<double>("a");
    QTest::addColumn<double>("b");
    QTest::newRow("twopoint, spike in the gap")
        << model(1000, 0.5, "list:0.5", "twopoint:-2,2,0.5", 0.0) << "B499 C1 B500" << 1 << 0.4362
        << 0.4970;
    QTest::newRow("twopoint, above, gap, below")
        << model(1000, 0.5, "list:3,0.5,-3", "twopoint:-2,2,0.5", 0.0) << "C1 B498 C1 B499 C1" << 0
        << -3.1791 << -3.1201;
    QTest::newRow("twopoint, a spike inside a lump")
        << model(1000, 0.5, "list:2.3,1.0", "twopoint:-2,2,0.5", 0.0) << "B499 C1 B500" << 1
        << 0.8873 << 0.9460;
    QTest::newRow("linear, alpha = 0.9")
        << model(800, 1.0, "linear:1.5,4", "zero", 0.9) << "B390 C410" << 0 << -1.5517 << 1.0975;
    QTest::newRow("linear, alpha = 0.95")
        << model(800, 1.0, "linear:1.5,4", "zero", 0.95) << "B227 C573" << 1 << 0.7959 << 5.0048;
    QTest::newRow("linear, r = N")
        << model(800, 1.0, "linear:1.5,4", "zero", 1.0) << "C800" << 0 << 0.3102 << 5.1898;
    QTest::newRow("linear, r = N - 1")
        << withRank(model(800, 1.0, "linear:1.5,4", "zero", 0.0), 799) << "B1 C799" << 0 << -0.4566
        << -0.3275;
    QTest::newRow("equal:3, r = N")
        << model(800, 1.0, "equal:3", "zero", 1.0) << "C800" << 0 << 1.0 << 5.0;
    QTest::newRow("power:3,1, r = N")
        << model(800, 1.0, "power:3,1", "zero", 1.0) << "B798 C1 C1" << 0 << -1.979 << 2.036;
    QTest::newRow("uniform bulk, four spikes")
        << model(1000, 1.0, "list:4,2.5,0.3,-3", "uniform:-1,1", 0.0) << "C1 B997 C1 C1" << 1
        << -2.2925 << 2.2919;
    QTest::newRow("equal:2.5, N = 3000")
        << model(3000, 1.0, "equal:2.5", "zero", 0.6) << "B2878 C122" << 1 << 2.5160 << 3.2575;
}

void TestComponents::labelsAndCounts()
{
    QFETCH(Model, m);
    QFETCH(QString, labels);
    QFETCH(int, which);
    QFETCH(double, a);
    QFETCH(double, b);
    const Theory th = computeTheory(m, 300);
    checkFinite(th);
    QStringList got;
    int total = 0;
    for (const auto& iv : th.equivalent.support) {
        got << QString("%1%2").arg(iv.kind == IntervalKind::Bulk ? "B" : "C").arg(iv.count);
        total += iv.count;
        QVERIFY(std::abs(iv.mass * m.n - iv.count) < 1e-6);
        if (iv.kind == IntervalKind::Cluster)
            QCOMPARE(iv.spikes, iv.count);
    }
    QCOMPARE(got.join(' '), labels);
    QCOMPARE(total, m.n);
    const auto& iv = th.equivalent.support[static_cast<std::size_t>(which)];
    const double tol = std::abs(a) < 2.5 && std::abs(b) < 2.5 && (b - a) > 3 ? 1e-3 : 1e-4;
    QVERIFY2(std::abs(iv.a - a) < tol && std::abs(iv.b - b) < tol,
             qPrintable(QString("[%1, %2]").arg(iv.a, 0, 'f', 5).arg(iv.b, 0, 'f', 5)));
    // Every spike in a cluster has a prediction inside it, every absorbed one a reason.
    for (const auto& p : th.outliers) {
        const auto& own = th.equivalent.support[p.interval];
        QCOMPARE(p.absorbed, own.kind == IntervalKind::Bulk);
        if (!p.absorbed)
            QVERIFY(p.largeRank && *p.largeRank >= own.a && *p.largeRank <= own.b);
        else
            QVERIFY(p.reason != NoOutlierReason::None && !p.largeRank);
    }
}

void TestComponents::intervalMomentsMatchQuadrature_data()
{
    QTest::addColumn<Model>("m");
    QTest::addColumn<int>("which");
    // A cluster of 87 distinct spikes (centre 3.100351, spread 0.701950 in the note), one of
    // 122 equal spikes, a single spike in a gap, a tiny bulk interval (one zero left at r = N -
    // 1, count 1 <= 16).
    QTest::newRow("87 close spikes") << model(800, 1.0, "linear:1.5,4", "zero", 0.667) << 1;
    QTest::newRow("122 equal spikes") << model(3000, 1.0, "equal:2.5", "zero", 0.6) << 1;
    QTest::newRow("spike in a gap") << model(1000, 0.5, "list:0.5", "twopoint:-2,2,0.5", 0.0) << 1;
    QTest::newRow("one bulk value left")
        << withRank(model(300, 1.0, "linear:1.5,4", "zero", 0.0), 299) << 0;
}

void TestComponents::intervalMomentsMatchQuadrature()
{
    // centre and spread from the residues at the interval's atoms (theory.h) against Gauss-
    // Chebyshev quadrature of the density over [a, b]: agreement to the quadrature's own error.
    // The spread is the sd of x over the interval; the equal-spike special case is exact:
    // spread^2 = sigma^2 p (1 - sigma^2 (1 - p)/theta^2).
    QFETCH(Model, m);
    QFETCH(int, which);
    const Theory th = computeTheory(m, 300);
    const auto& iv = th.equivalent.support[static_cast<std::size_t>(which)];
    QVERIFY(iv.centre && iv.spread && iv.sdMean);
    const auto atoms = groupAtoms(signalSpectrum(m));
    const Moments mo = componentMoments(atoms, m.sigma, iv.a, iv.b, 256);
    const double sd = std::sqrt(mo.var);
    qInfo("[%.5f, %.5f]: centre %.8f vs %.8f, spread %.8f vs %.8f", iv.a, iv.b, *iv.centre, mo.mean,
          *iv.spread, sd);
    QVERIFY(std::abs(mo.mass - iv.mass) < 10.0 * mo.massErr + 1e-9 * iv.mass);
    QVERIFY(std::abs(*iv.centre - mo.mean) < 10.0 * mo.meanErr + 1e-8 * (iv.b - iv.a));
    QVERIFY(std::abs(*iv.spread - sd) < 10.0 * mo.varErr / (2 * sd) + 1e-7 * (iv.b - iv.a));
    // Power: for the 87 distinct spikes the equal-spike formula at their mean 2.75 would give
    // a spread of 0.310, not 0.702.
    if (iv.firstAtom != iv.lastAtom)
        QVERIFY(*iv.spread > 2.0 * 0.310);
}

void TestComponents::treeMomentsMatchDirectSums()
{
    // intervalMoments through the tree of all atoms (what analyseSupport uses for intervals
    // with many atoms outside) against it without (exact O(atoms) sums; for the group of 1500,
    // trees of its own) and the sums against long-double direct ones, on one support of many
    // components: 1000 single atoms 3 sigma apart with groups of 2..60 close atoms (0.01 sigma
    // apart, each one interval) between them, and a group of 1500 beyond. The groups take each
    // path of FarField::outsideSquares: pairs (<= 4 atoms), P's coefficients from the atoms
    // (<= 41), from their multipole moments, and near atoms through a tree of the group (> 1024).
    std::vector<double> values;
    for (int k = 0; k < 1000; ++k)
        values.push_back(3.0 * k);
    const int groups[] = {2, 3, 4, 5, 8, 20, 60};
    for (std::size_t g = 0; g < std::size(groups); ++g)
        for (int i = 0; i < groups[g]; ++i)
            values.push_back(3.0 * (100 + 130 * static_cast<int>(g)) + 1.5 + 0.01 * i);
    for (int i = 0; i < 1500; ++i)
        values.push_back(3050.0 + 0.01 * i);
    std::sort(values.begin(), values.end());
    std::vector<Atom> atoms;
    double total = 0.0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        atoms.push_back({values[i], 1.0 + 0.5 * std::sin(static_cast<double>(i))});
        total += atoms.back().weight;
    }
    for (Atom& a : atoms)
        a.weight /= total;
    const double sigma = 1.0;
    const auto equivalent = deterministicEquivalent(atoms, sigma, 200);
    const biane_detail::AtomData data(atoms, sigma);
    const biane_detail::FarField tree(data.s, data.w, sigma, biane_detail::FarField::Use::Tree);
    QVERIFY(tree.ok());
    std::vector<std::size_t> sizes;
    double worst[6] = {}; // centre (sigma), spread (relative), overlaps; he, de, sum P^2
    for (const SupportInterval& iv : equivalent.support) {
        const std::size_t nc = iv.lastAtom - iv.firstAtom + 1;
        if (nc > 1 || iv.firstAtom % 97 == 0) // every group and some single atoms
            sizes.push_back(nc);
        else
            continue;
        const auto exact = biane_detail::intervalMoments(data, iv, 1, 1);
        const auto fast = biane_detail::intervalMoments(data, iv, 1, 1, &tree);
        QVERIFY(exact.finite && fast.finite);
        const QString what = QString("interval of %1 atoms at %2").arg(nc).arg(iv.a);
        worst[0] = std::max(worst[0], std::abs(fast.centre - exact.centre) / sigma);
        worst[1] = std::max(worst[1], std::abs(fast.spread - exact.spread) / exact.spread);
        for (std::size_t i = 0; i < exact.overlap.size(); ++i)
            worst[2] = std::max(worst[2], std::abs(fast.overlap[i] - exact.overlap[i]));
        QVERIFY2(std::abs(fast.centre - exact.centre) <= 1e-13 * sigma, qPrintable(what));
        QVERIFY2(std::abs(fast.spread - exact.spread) <= 1e-12 * exact.spread, qPrintable(what));
        QVERIFY2(std::abs(fast.sdMean - exact.sdMean) <= 1e-12 * exact.sdMean, qPrintable(what));
        QVERIFY2(std::abs(fast.overlapGroup - exact.overlapGroup) <= 1e-13, qPrintable(what));
        // The sums behind them, directly: he, de per atom (relative to the sum of |terms|) and
        // sum_e w_e P_e^2 (positive terms), which barely moves the spread here.
        const auto first = static_cast<Eigen::Index>(iv.firstAtom);
        const auto end = static_cast<Eigen::Index>(iv.lastAtom) + 1;
        // In long double, so that the differences are the tree's (not the references' rounding).
        std::vector<long double> pe(static_cast<std::size_t>(data.s.size()), 0.0L);
        for (Eigen::Index a = first; a < end; ++a) {
            long double he = 0.0L, de = 0.0L, abs = 0.0L;
            for (Eigen::Index e = 0; e < data.s.size(); ++e) {
                if (e >= first && e < end)
                    continue;
                const long double q = sigma / (static_cast<long double>(data.s[a]) - data.s[e]);
                he += data.w[e] * q;
                abs += data.w[e] * std::abs(q);
                de += data.w[e] * q * q;
                pe[static_cast<std::size_t>(e)] += data.w[a] * q;
            }
            double the = 0.0, tde = 0.0;
            tree.outsideSums(a, first, end, &the, &tde, nullptr);
            worst[3] = std::max(worst[3], static_cast<double>(std::abs(the - he) / abs));
            worst[4] = std::max(worst[4], static_cast<double>(std::abs(tde - de) / de));
        }
        long double ext = 0.0L;
        for (Eigen::Index e = 0; e < data.s.size(); ++e)
            ext += data.w[e] * pe[static_cast<std::size_t>(e)] * pe[static_cast<std::size_t>(e)];
        worst[5] = std::max(
            worst[5],
            static_cast<double>(std::abs(tree.outsideSquares(first, end, nullptr) - ext) / ext));
        QVERIFY2(worst[3] <= 1e-14 && worst[4] <= 1e-14 && worst[5] <= 1e-14, qPrintable(what));
        QCOMPARE(fast.overlap.size(), exact.overlap.size());
        for (std::size_t i = 0; i < exact.overlap.size(); ++i)
            QVERIFY2(std::abs(fast.overlap[i] - exact.overlap[i]) <= 1e-13, qPrintable(what));
    }
    qInfo("largest differences: centre %.1e sigma, spread %.1e relative, overlaps %.1e; sums: he "
          "%.1e, de %.1e, P^2 %.1e relative",
          worst[0], worst[1], worst[2], worst[3], worst[4], worst[5]);
    // Each group is its own interval.
    for (int g : groups)
        QVERIFY(std::count(sizes.begin(), sizes.end(), static_cast<std::size_t>(g)) == 1);
    QVERIFY(std::count(sizes.begin(), sizes.end(), std::size_t{1500}) == 1);
}

void TestComponents::momentsCostLinearInTheAtoms()
{
    // Every bulk value its own interval (uniform bulk spaced sigma apart, review item 3):
    // all N intervals get moments (count <= 16). Their cost, counted in terms summed
    // (components.h, momentTerms), must not grow with the atoms outside each interval: exact
    // sums would take 3 (N - 1) per interval (~4.9e4 here), the tree about 1.5e3 (log N).
    for (int n : {8192, 32768}) {
        const QByteArray bulk = QString("uniform:0,%1").arg(0.001 * n).toUtf8();
        const Model m = model(n, 0.001, "list:3.00001", bulk.constData());
        biane_detail::momentTerms(true);
        const Theory th = computeTheory(m, 100);
        const double perInterval = static_cast<double>(biane_detail::momentTerms()) /
                                   static_cast<double>(th.equivalent.support.size());
        qInfo("N = %d: %zu intervals, %.0f terms per interval", n, th.equivalent.support.size(),
              perInterval);
        QVERIFY(th.equivalent.support.size() >= static_cast<std::size_t>(n) - 1);
        QVERIFY2(perInterval < 4000.0, qPrintable(QString::number(perInterval)));
    }
}

void TestComponents::edgeScaleIsTheDensitysSquareRoot()
{
    // gamma = sigma^2 |T3(e)|^(1/3) and density ~ (c/pi) sqrt|E - x|, c = gamma^(-3/2): checked
    // against the density itself close to the edge. The semicircle: gamma = sigma exactly.
    for (double sigma : {0.5, 1.0, 2.0}) {
        const auto de = deterministicEquivalent({{0.0, 1.0}}, sigma, 101);
        QVERIFY(std::abs(de.support[0].lo.gamma - sigma) < 1e-12 * sigma);
        QVERIFY(std::abs(de.support[0].hi.gamma - sigma) < 1e-12 * sigma);
    }
    const Model m = model(1000, 0.5, "list:4", "uniform:-1,1");
    const Theory th = computeTheory(m, 200);
    const auto atoms = groupAtoms(signalSpectrum(m));
    const auto& bulk = th.equivalent.support[0];
    for (const bool upper : {false, true}) {
        const double gamma = upper ? bulk.hi.gamma : bulk.lo.gamma;
        const double c = std::pow(gamma, -1.5);
        const double d = 1e-7 * (bulk.b - bulk.a);
        const double x = upper ? bulk.b - d : bulk.a + d;
        const double ratio =
            std::numbers::pi * deterministicEquivalentDensity(atoms, m.sigma, x) / std::sqrt(d) / c;
        qInfo("edge %s: gamma %.6f, density / ((c/pi) sqrt(d)) = %.6f", upper ? "hi" : "lo", gamma,
              ratio);
        QVERIFY(std::abs(ratio - 1.0) < 1e-3);
        // Not the semicircle's gamma = sigma (0.5): 0.654 here.
        QVERIFY(std::abs(gamma - 0.654) < 2e-3);
        // Regular over the window: Tracy-Widom applies.
        const EdgeScale& e = upper ? bulk.hi : bulk.lo;
        QVERIFY(e.regularity > 0.98 && e.regularity < 1.02 && e.tracyWidom);
    }
    // 87 distinct close spikes: the cluster's edges are shaped by the discrete atoms at this N,
    // not a square root over the window (note: 0.85 and 0.89): flagged, not Tracy-Widom.
    const Theory close = computeTheory(model(800, 1.0, "linear:1.5,4", "zero", 0.667), 200);
    const auto& cl = close.equivalent.support[1];
    qInfo("87-spike cluster: regularity %.3f, %.3f", cl.lo.regularity, cl.hi.regularity);
    QVERIFY(cl.lo.regularity < 0.9 && cl.hi.regularity < 0.9);
    QVERIFY(!cl.lo.tracyWidom && !cl.hi.tracyWidom);
    // Heavy tails: no edge is Tracy-Widom.
    Model heavy = model(300, 1.0, "equal:3", "zero", 0.5);
    heavy.noise = parseNoise("student-t:3");
    for (const auto& iv : computeTheory(heavy, 100).equivalent.support)
        QVERIFY(!iv.lo.tracyWidom && !iv.hi.tracyWidom);
}

void TestComponents::classicalLocationsAreQuantiles()
{
    // x_i, the predicted i-th eigenvalue of a cluster, is the (i - 1/2)/N quantile of mu_N in
    // it: the density integrated from a to x_i (Simpson in t = sqrt(x - a), which removes the
    // edge's square root) is (i - 1/2)/N to 1% of one eigenvalue's share.
    const Model m = model(800, 1.0, "linear:1.5,4", "zero", 0.667);
    const Theory th = computeTheory(m, 200);
    const auto& cl = th.equivalent.support[1];
    QCOMPARE(cl.locations.size(), std::size_t(87));
    QVERIFY(std::is_sorted(cl.locations.begin(), cl.locations.end()));
    QVERIFY(cl.locations.front() > cl.a && cl.locations.back() < cl.b);
    const auto atoms = groupAtoms(signalSpectrum(m));
    for (std::size_t i : {std::size_t(0), std::size_t(20), std::size_t(43), std::size_t(86)}) {
        const double top = std::sqrt(cl.locations[i] - cl.a);
        const int steps = 400;
        const double h = top / steps;
        double integral = 0.0;
        for (int k = 0; k <= steps; ++k) {
            const double t = k * h;
            const double f = 2.0 * t * deterministicEquivalentDensity(atoms, m.sigma, cl.a + t * t);
            integral += f * (k == 0 || k == steps ? 1.0 : (k % 2 ? 4.0 : 2.0)) * h / 3.0;
        }
        const double want = (static_cast<double>(i) + 0.5) / m.n;
        qInfo("x_%zu = %.6f: CDF %.8f vs %.8f", i + 1, cl.locations[i], integral, want);
        QVERIFY(std::abs(integral - want) < 0.01 / m.n);
    }
    // The spikes' positions are the locations of their ranks (87 distinct spikes: one each),
    // ascending with theta, and average to the cluster's centre up to the quadrature of the
    // quantile rule.
    double sum = 0.0;
    for (const auto& p : th.outliers) {
        QVERIFY(hasFlag(p.flags, PredictionFlag::Cluster));
        QCOMPARE(*p.largeRank, cl.locations[static_cast<std::size_t>(p.rank)]);
        sum += *p.largeRank / 87.0;
    }
    QVERIFY(std::abs(sum - *cl.centre) < 2e-3);
}

void TestComponents::predictedSd()
{
    // Isolated outlier: Var = (sigma^2/N) [(2/beta) H' + kappa4 sigma^2 D H'^2]; rank one N = 500,
    // theta = 2 (the note's numbers): GOE 0.05479, GUE 0.03874; rademacher with basis vectors
    // 0.04940 (kappa4 = -2, non-Gaussian), with Haar vectors the universal 0.05479; no sd with
    // heavy tails. A group of equal spikes: the sd of its mean, sdMean.
    struct Row
    {
        const char* noise;
        const char* eigvecs;
        double sd; // 0: none
        unsigned flags;
    };
    const Row rows[] = {
        {"gaussian", "basis", 0.05479, 0},
        {"complex", "basis", 0.03874, 0},
        {"rademacher", "basis", 0.04940, unsigned(PredictionFlag::NonGaussian)},
        {"rademacher", "haar", 0.05479, 0},
        {"student-t:3", "basis", 0.0,
         unsigned(PredictionFlag::HeavyTails) | unsigned(PredictionFlag::NonGaussian)},
        {"student-t:3", "haar", 0.0, unsigned(PredictionFlag::HeavyTails)},
    };
    for (const Row& r : rows) {
        Model m = model(500, 1.0, "list:2", "zero");
        m.noise = parseNoise(r.noise);
        m.eigvecs = parseEigvecs(r.eigvecs);
        const Theory th = computeTheory(m, 100);
        const auto& p = th.outliers[0];
        QCOMPARE(p.flags, r.flags);
        QCOMPARE(th.heavyTails, r.sd == 0.0);
        if (r.sd == 0.0) {
            QVERIFY(!p.sd && !th.kappa4);
            continue;
        }
        QVERIFY2(std::abs(*p.sd - r.sd) < 1e-5,
                 qPrintable(QString("%1 %2: %3").arg(r.noise, r.eigvecs).arg(*p.sd, 0, 'f', 6)));
    }
    QCOMPARE(*fourthCumulant(parseNoise("uniform")), -1.2);
    QCOMPARE(*fourthCumulant(parseNoise("sparse:0.5")), 3.0);
    QCOMPARE(*fourthCumulant(parseNoise("student-t:6")), 3.0);
    QVERIFY(!fourthCumulant(parseNoise("student-t:4")) && heavyTailed(parseNoise("student-t:4")));
    // Equal spikes: the group's sd is its interval's sdMean = sqrt((2/beta) sigma^2 (1 - sigma^2
    // (1-p)/theta^2) / (N k)) (one atom, no other spike).
    const Theory group = computeTheory(model(3000, 1.0, "equal:2.5", "zero", 0.6), 100);
    const double p = 122.0 / 3000.0;
    const double want = std::sqrt(2.0 * (1.0 - (1.0 - p) / 6.25) / (3000.0 * 122.0));
    QVERIFY(std::abs(*group.outliers[0].sd - want) < 1e-12);
    QCOMPARE(*group.outliers[0].sd, *group.equivalent.support[1].sdMean);
    // Several atoms in one cluster: no per-spike sd (the cluster's sdMean and spread describe
    // it), flagged.
    const Theory close = computeTheory(model(800, 1.0, "linear:1.5,4", "zero", 0.667), 100);
    QVERIFY(!close.outliers[0].sd && hasFlag(close.outliers[0].flags, PredictionFlag::Cluster));
}

QTEST_APPLESS_MAIN(TestComponents)
#include "tst_components.moc"
