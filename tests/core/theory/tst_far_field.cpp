// The far field of Biane's sums (core/theory/far_field.h): its expansions against the exact sums,
// the deterministic equivalent with it against the exact one (biane::exactEquivalent) on the
// arrangements of bench_theory and on random ones, and narrow components resolved by the density
// curve (determinism across thread counts: tst_theory).
#include "core/model/families.h"
#include "core/theory/atom_sums.h"
#include "core/theory/far_field.h"
#include "core/theory/theory.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using namespace ws::core;
using namespace ws::core::biane_detail;

namespace {

std::vector<Atom> evenAtoms(int n, double a, double b)
{
    std::vector<double> v;
    for (int i = 0; i < n; ++i)
        v.push_back(a + (b - a) * (i + 0.5) / n);
    return groupAtoms(v);
}

// Clumps of atoms with random positions, widths and weights (fixed seed per case).
std::vector<Atom> randomAtoms(unsigned seed, int n)
{
    std::mt19937_64 gen(seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const int clumps = 1 + static_cast<int>(unit(gen) * 40.0);
    std::vector<double> centre(static_cast<std::size_t>(clumps)), width(centre.size());
    for (std::size_t k = 0; k < centre.size(); ++k) {
        centre[k] = 200.0 * unit(gen) - 100.0;
        width[k] = std::pow(10.0, 2.0 * unit(gen) - 1.5);
    }
    std::vector<double> values;
    for (int i = 0; i < n; ++i) {
        const auto k = static_cast<std::size_t>(unit(gen) * clumps) % centre.size();
        values.push_back(centre[k] + width[k] * (unit(gen) - 0.5));
    }
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    std::vector<Atom> atoms;
    double total = 0.0;
    for (double v : values) {
        atoms.push_back({v, 0.2 + unit(gen)});
        total += atoms.back().weight;
    }
    for (Atom& a : atoms)
        a.weight /= total;
    return atoms;
}

struct Arrangement
{
    const char* name;
    std::vector<Atom> atoms;
    double sigma;
};

std::vector<Arrangement> benchArrangements()
{
    std::vector<Arrangement> out;
    out.push_back({"evenly spread on [0,100], sigma 0.05 (10,000 components)",
                   evenAtoms(10000, 0.0, 100.0), 0.05});
    out.push_back({"uniform [-1,1], sigma 0.05", evenAtoms(10000, -1.0, 1.0), 0.05});
    std::vector<double> v;
    for (int i = 0; i < 9900; ++i)
        v.push_back(-1.0 + 2.0 * (i + 0.5) / 9900);
    for (int k = 0; k < 100; ++k)
        v.push_back(3.0 + 9.0 * k / 99.0);
    out.push_back({"uniform bulk + 100 spikes on [3,12], sigma 0.1", groupAtoms(v), 0.1});
    out.push_back({"evenly spread on [0,100], sigma 0.3", evenAtoms(4000, 0.0, 100.0), 0.3});
    for (unsigned seed = 1; seed <= 6; ++seed)
        out.push_back({"random clumps", randomAtoms(seed, 2000 + 500 * static_cast<int>(seed)),
                       std::pow(10.0, -2.0 + 0.3 * seed)});
    return out;
}

// |a - b| <= tol * scale.
bool near(double a, double b, double tol, double scale)
{
    return std::abs(a - b) <= tol * scale;
}

} // namespace

class TestFarField : public QObject
{
    Q_OBJECT
private slots:
    void expansionsMatchExactSums();
    void equivalentMatchesExact();
    void narrowComponentResolved();
    void predictionsMatchExactSums();
};

// The local expansions at random points of random cells, with tau in [0, 1], against the sums
// over the far atoms: within 1e-13 of the far atoms' sums of |terms|.
void TestFarField::expansionsMatchExactSums()
{
    const std::vector<Atom> atoms = evenAtoms(5000, 0.0, 100.0);
    AtomData data(atoms, 0.05);
    data.useFarField();
    QVERIFY(data.far);
    const FarField& ff = *data.far;
    std::mt19937_64 gen(7);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (int trial = 0; trial < 200; ++trial) {
        const auto k = static_cast<std::size_t>(unit(gen) * static_cast<double>(ff.cells().size()));
        const FarField::Cell& cell = ff.cells()[k];
        const double h = cell.lo + (cell.hi - cell.lo) * unit(gen) - cell.offset;
        const double tau = trial % 4 == 0 ? 0.0 : unit(gen);
        std::vector<bool> isNear(atoms.size(), false);
        for (const auto& [b, e] : cell.near)
            for (Eigen::Index a = b; a < e; ++a)
                isNear[static_cast<std::size_t>(a)] = true;
        double g = 0.0, g2 = 0.0, re = 0.0, absRe = 0.0, f3 = 0.0, abs3 = 0.0;
        const double x0 = data.s[cell.centre] / data.sigma + cell.offset;
        for (std::size_t a = 0; a < atoms.size(); ++a) {
            if (isNear[a])
                continue;
            const double d = x0 + h - data.s[static_cast<Eigen::Index>(a)] / data.sigma;
            const double q = 1.0 / (d * d + tau);
            g += data.w[static_cast<Eigen::Index>(a)] * q;
            g2 += data.w[static_cast<Eigen::Index>(a)] * q * q;
            re += data.w[static_cast<Eigen::Index>(a)] * d * q;
            absRe += data.w[static_cast<Eigen::Index>(a)] * std::abs(d) * q;
            f3 += data.w[static_cast<Eigen::Index>(a)] / (d * d * d);
            abs3 += data.w[static_cast<Eigen::Index>(a)] / std::abs(d * d * d);
        }
        const FarTau fast = evalLocal(cell, h, tau);
        QVERIFY2(near(fast.g, g, 1e-13, g), qPrintable(QString::number(fast.g / g - 1.0)));
        QVERIFY(near(fast.g2, g2, 1e-13, g2));
        // The offset of the cell centre from the atoms is rounded to ~1e-16 of |s| / sigma.
        QVERIFY(near(fast.re, re, 1e-12, absRe));
        if (tau == 0.0) {
            const FarReal r = evalLocalReal(cell, h);
            QVERIFY(near(r.g0, re, 1e-12, absRe));
            QVERIFY(near(r.f, g, 1e-13, g));
            QVERIFY(near(r.df, -2.0 * f3, 1e-12, 2.0 * abs3));
        }
    }
    // A tree alone (predictOutliers, cluster moments) is built from 256 atoms on, whatever
    // their spread; cells only where some cell has few near atoms.
    const std::vector<Atom> dense = evenAtoms(300, -1.0, 1.0);
    AtomData denseData(dense, 1.0);
    QVERIFY(FarField(denseData.s, denseData.w, 1.0, FarField::Use::Tree).ok());
    QVERIFY(!FarField(denseData.s, denseData.w, 1.0, FarField::Use::Cells).ok());
    // The Barnes-Hut sums out of every cell, and in a cell with an atom left out.
    for (const double x : {-30.0, -1.0, 55.5, 130.0}) {
        double s1 = 0.0, s2 = 0.0, e1 = 0.0, e2 = 0.0, abs1 = 0.0;
        const Eigen::Index skip = x == 55.5 ? 2775 : -1;
        ff.realSums(0.0, x / data.sigma, skip, &s1, &s2);
        for (Eigen::Index a = 0; a < data.s.size(); ++a) {
            if (a == skip)
                continue;
            const double d = (x - data.s[a]) / data.sigma;
            e1 += data.w[a] / d;
            abs1 += data.w[a] / std::abs(d);
            e2 += data.w[a] / (d * d);
        }
        QVERIFY(near(s1, e1, 1e-12, abs1));
        QVERIFY(near(s2, e2, 1e-12, e2));
    }
}

// Support (atoms, edges, tracy-widom scales) and curve of deterministicEquivalent against the
// exact sums: edges and curve x within 1e-12 of the width of the support plus sigma, tau =
// (pi sigma y)^2 within 1e-12 of its maximum (y itself is a square root, ill-conditioned at the
// edges). Observed: <= 2e-16 and <= 4e-15.
void TestFarField::equivalentMatchesExact()
{
    for (const Arrangement& c : benchArrangements()) {
        const auto fast = deterministicEquivalent(c.atoms, c.sigma, 800);
        const auto exact = biane::exactEquivalent(c.atoms, c.sigma, 800);
        QVERIFY2(fast.support.size() == exact.support.size(), c.name);
        const double scale = exact.support.back().b - exact.support.front().a + c.sigma;
        for (std::size_t k = 0; k < fast.support.size(); ++k) {
            const SupportInterval &f = fast.support[k], &e = exact.support[k];
            QCOMPARE(f.firstAtom, e.firstAtom);
            QCOMPARE(f.lastAtom, e.lastAtom);
            QVERIFY2(near(f.a, e.a, 1e-12, scale) && near(f.b, e.b, 1e-12, scale), c.name);
            QVERIFY2(near(f.tLo, e.tLo, 1e-12, 1.0) && near(f.tHi, e.tHi, 1e-12, 1.0), c.name);
            QVERIFY(near(f.lo.gamma, e.lo.gamma, 1e-8, e.lo.gamma));
            QVERIFY(near(f.hi.gamma, e.hi.gamma, 1e-8, e.hi.gamma));
        }
        QCOMPARE(fast.density.x.size(), exact.density.x.size());
        double ymax = 0.0;
        for (double y : exact.density.y)
            ymax = std::max(ymax, y);
        for (std::size_t i = 0; i < fast.density.x.size(); ++i) {
            QVERIFY2(near(fast.density.x[i], exact.density.x[i], 1e-12, scale), c.name);
            const double yf = fast.density.y[i], ye = exact.density.y[i];
            QVERIFY2(near(yf * yf, ye * ye, 1e-12, ymax * ymax), c.name);
        }
    }
}

// A component 1e-4 of the range wide (one atom of weight 1e-7 far from a bulk of 2,000) gets
// its edges and interior points on the curve, and they carry its mass.
void TestFarField::narrowComponentResolved()
{
    std::vector<Atom> atoms = evenAtoms(2000, -1.0, 1.0);
    const double w = 1e-7;
    for (Atom& a : atoms)
        a.weight *= 1.0 - w;
    atoms.push_back({10.0, w});
    for (const int points : {100, 800}) {
        const auto de = deterministicEquivalent(atoms, 1.0, points);
        QCOMPARE(de.support.size(), std::size_t{2});
        const SupportInterval& iv = de.support[1];
        const double range = iv.b - de.support[0].a;
        QVERIFY(iv.b - iv.a < 2e-4 * range);
        QVERIFY(iv.b - iv.a > 0.0);
        std::vector<double> x, y;
        for (std::size_t i = 0; i < de.density.x.size(); ++i)
            if (de.density.x[i] >= iv.a && de.density.x[i] <= iv.b) {
                x.push_back(de.density.x[i]);
                y.push_back(de.density.y[i]);
            }
        QVERIFY(x.size() >= 5);
        double mass = 0.0;
        for (std::size_t i = 1; i < x.size(); ++i)
            mass += 0.5 * (y[i] + y[i - 1]) * (x[i] - x[i - 1]);
        // A semicircle-like bump sampled at >= 5 Chebyshev nodes: its trapezoid mass within 30%.
        QVERIFY2(std::abs(mass / w - 1.0) < 0.3, qPrintable(QString::number(mass / w)));
    }
}

// 5,000 spikes in one cluster next to a bulk of 5,000 (bench_theory's case): predictOutliers'
// sums (the atoms' tree from 64 spikes on) and the cluster's moments (trees of the inside and
// outside atoms) against direct sums over the values.
void TestFarField::predictionsMatchExactSums()
{
    Model m;
    m.n = 10000;
    m.rank.alpha = 0.9248;
    m.spikes = parseSpikes("linear:2,8");
    m.bulk = parseBulk("uniform:-1,1");
    const std::vector<double> spikes = spikeValues(m), bulk = bulkValues(m);
    const double n = m.n, s2 = m.sigma * m.sigma;
    const Theory th = computeTheory(m, 200);
    QCOMPARE(th.outliers.size(), spikes.size());
    // Per spike: the separation over the bulk and the large-rank position over all other values
    // (the cluster refines the latter away; predictOutliers keeps it).
    const auto pred = predictOutliers(m);
    for (std::size_t j = 0; j < spikes.size(); j += 97) {
        const double theta = spikes[j];
        double sep = 0.0, g = 0.0, gAbs = 0.0;
        for (double b : bulk)
            sep += s2 / n / ((theta - b) * (theta - b));
        for (const auto* values : {&bulk, &spikes})
            for (double v : *values)
                if (v != theta) {
                    g += s2 / n / (theta - v);
                    gAbs += s2 / n / std::abs(theta - v);
                }
        QVERIFY(near(pred[j].separation, sep, 1e-12, sep));
        QVERIFY(pred[j].largeRank);
        QVERIFY(near(*pred[j].largeRank, theta + g, 1e-12, gAbs));
    }
    // The cluster: centre = mean over its spikes of theta + sigma^2 G_outside(theta), and the
    // per-spike overlap 1 - sigma^2 D_outside(theta) (docs/model.md#clusters).
    const auto& sup = th.equivalent.support;
    const auto cluster = std::find_if(sup.begin(), sup.end(), [](const SupportInterval& iv) {
        return iv.kind == IntervalKind::Cluster;
    });
    QVERIFY(cluster != sup.end());
    QCOMPARE(cluster->count, static_cast<int>(spikes.size()));
    double centre = 0.0, centreAbs = 0.0;
    for (std::size_t j = 0; j < spikes.size(); ++j) {
        double g = 0.0, gAbs = 0.0, d = 0.0;
        for (double b : bulk) {
            g += s2 / n / (spikes[j] - b);
            gAbs += s2 / n / std::abs(spikes[j] - b);
            d += s2 / n / ((spikes[j] - b) * (spikes[j] - b));
        }
        centre += (spikes[j] + g) / static_cast<double>(spikes.size());
        centreAbs += (std::abs(spikes[j]) + gAbs) / static_cast<double>(spikes.size());
        const auto& p = th.outliers[j]; // both in the order of spikeValues
        QCOMPARE(p.theta, spikes[j]);
        QVERIFY(p.overlapLargeRank);
        QVERIFY(near(*p.overlapLargeRank, 1.0 - d, 1e-12, 1.0));
    }
    QVERIFY(cluster->centre);
    QVERIFY(near(*cluster->centre, centre, 1e-12, centreAbs));
}

QTEST_APPLESS_MAIN(TestFarField)
#include "tst_far_field.moc"
