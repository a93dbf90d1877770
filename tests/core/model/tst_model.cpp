// Model values, the family-string parser/printer and validation.
#include "core/model/families.h"
#include "core/model/model.h"
#include "core/sampling/rng.h"

#include <QtTest>

#include <cmath>
#include <limits>
#include <numeric>

using namespace ws::core;

class TestModel : public QObject
{
    Q_OBJECT
private slots:
    void roundTrip_data();
    void roundTrip();
    void badFamilies_data();
    void badFamilies();
    void rankRule();
    void spikeProfiles();
    void bulkQuantiles();
    void validation_data();
    void validation();
    void numbers();
    void rngStreams();
    void extremesWithoutBuildingValues();
};

void TestModel::roundTrip_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("text");
    for (const char* t :
         {"gaussian", "complex", "rademacher", "uniform", "student-t:3.5", "sparse:0.25"})
        QTest::newRow(t) << "noise" << t;
    for (const char* t : {"equal:3", "linear:1.5,4", "power:3,0.5", "list:4,2.5,-1.6,0.1"})
        QTest::newRow(t) << "spikes" << t;
    for (const char* t :
         {"zero", "uniform:-1,1", "semicircle:0.5", "twopoint:-1,1,0.3", "list:1,2,3"})
        QTest::newRow(t) << "bulk" << t;
}

void TestModel::roundTrip()
{
    QFETCH(QString, kind);
    QFETCH(QString, text);
    const std::string s = text.toStdString();
    if (kind == "noise") {
        const auto f = parseNoise(s);
        QCOMPARE(QString::fromStdString(toString(f)), text);
        QVERIFY(parseNoise(toString(f)) == f);
    } else if (kind == "spikes") {
        const auto f = parseSpikes(s);
        QCOMPARE(QString::fromStdString(toString(f)), text);
        QVERIFY(parseSpikes(toString(f)) == f);
    } else {
        const auto f = parseBulk(s);
        QCOMPARE(QString::fromStdString(toString(f)), text);
        QVERIFY(parseBulk(toString(f)) == f);
    }
}

void TestModel::badFamilies_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("needle");
    QTest::newRow("empty noise") << "noise"
                                 << ""
                                 << "noise: empty";
    QTest::newRow("unknown noise") << "noise"
                                   << "cauchy"
                                   << "unknown family";
    QTest::newRow("gaussian with value") << "noise"
                                         << "gaussian:2"
                                         << "takes no parameters";
    QTest::newRow("student no nu") << "noise"
                                   << "student-t"
                                   << "needs 1 value";
    QTest::newRow("student nan") << "noise"
                                 << "student-t:nan"
                                 << "finite";
    QTest::newRow("sparse two") << "noise"
                                << "sparse:0.1,0.2"
                                << "needs 1 value";
    QTest::newRow("power one") << "spikes"
                               << "power:3"
                               << "needs 2 values";
    QTest::newRow("equal garbage") << "spikes"
                                   << "equal:abc"
                                   << "expected a number";
    QTest::newRow("equal two signs") << "spikes"
                                     << "equal:+-1"
                                     << "expected a number";
    QTest::newRow("list double plus") << "spikes"
                                      << "list:1,++2"
                                      << "expected a number";
    QTest::newRow("lone plus") << "spikes"
                               << "equal:+"
                               << "expected a number";
    QTest::newRow("equal inf") << "spikes"
                               << "equal:inf"
                               << "finite";
    QTest::newRow("list empty") << "spikes"
                                << "list:"
                                << "no values";
    QTest::newRow("list hole") << "spikes"
                               << "list:1,,2"
                               << "empty value";
    QTest::newRow("list trailing") << "spikes"
                                   << "list:1,2,"
                                   << "empty value";
    QTest::newRow("unknown spikes") << "spikes"
                                    << "gaussian:1"
                                    << "unknown family";
    QTest::newRow("bulk uniform one") << "bulk"
                                      << "uniform:1"
                                      << "needs 2 values";
    QTest::newRow("bulk twopoint") << "bulk"
                                   << "twopoint:1,2"
                                   << "needs 3 values";
    QTest::newRow("bulk zero args") << "bulk"
                                    << "zero:1"
                                    << "takes no parameters";
    QTest::newRow("bulk 1e999") << "bulk"
                                << "semicircle:1e999"
                                << "finite";
}

void TestModel::badFamilies()
{
    QFETCH(QString, kind);
    QFETCH(QString, text);
    QFETCH(QString, needle);
    const std::string s = text.toStdString();
    try {
        if (kind == "noise")
            parseNoise(s);
        else if (kind == "spikes")
            parseSpikes(s);
        else
            parseBulk(s);
        QFAIL("expected InputError");
    } catch (const InputError& e) {
        const QString msg = QString::fromUtf8(e.what());
        QVERIFY2(msg.startsWith(kind + ":"), qPrintable(msg));
        QVERIFY2(msg.contains(needle), qPrintable(msg));
    }
}

void TestModel::rankRule()
{
    Model m;
    m.n = 100;
    m.rank.alpha = 0.5;
    QCOMPARE(rankOf(m), 10); // exactly 100^0.5, not 11 from rounding
    m.rank.alpha = 0.0;
    QCOMPARE(rankOf(m), 1);
    m.rank.alpha = 1.0;
    QCOMPARE(rankOf(m), 100);
    m.n = 4000;
    m.rank.alpha = 0.3;
    QCOMPARE(rankOf(m), 13); // 4000^0.3 = 12.04 (12 would be the floor, not the ceil)
    m.rank = {true, 0.0, 7};
    QCOMPARE(rankOf(m), 7);
    m.spikes = parseSpikes("list:1,2,3");
    QCOMPARE(rankOf(m), 3); // the list fixes the rank
}

void TestModel::spikeProfiles()
{
    Model m;
    m.n = 50;
    m.rank = {true, 0.0, 5};
    m.spikes = parseSpikes("linear:1,3");
    QCOMPARE(spikeValues(m), (std::vector<double>{3.0, 2.5, 2.0, 1.5, 1.0}));
    m.rank.rank = 1;
    QCOMPARE(spikeValues(m), std::vector<double>{3.0}); // r = 1 gives b
    m.rank.rank = 4;
    m.spikes = parseSpikes("power:4,1");
    QCOMPARE(spikeValues(m), (std::vector<double>{4.0, 2.0, 4.0 / 3.0, 1.0}));
    m.spikes = parseSpikes("list:1.6,-2,4");
    QCOMPARE(spikeValues(m), (std::vector<double>{4.0, 1.6, -2.0})); // sorted descending
    QCOMPARE(signalSpectrum(m).size(), std::size_t(50));
}

void TestModel::bulkQuantiles()
{
    Model m;
    m.n = 11;
    m.spikes = parseSpikes("equal:5");
    m.bulk = parseBulk("uniform:-1,1");
    const auto b = bulkValues(m); // 10 values at (i - 1/2)/10 quantiles
    QCOMPARE(b.size(), std::size_t(10));
    QCOMPARE(b.front(), -0.9);
    QVERIFY(std::fabs(b.back() - 0.9) < 1e-15);
    QVERIFY(!bulkIsConstant(m));

    m.n = 1001;
    m.bulk = parseBulk("semicircle:2");
    const auto sc = bulkValues(m);
    const double mean = std::accumulate(sc.begin(), sc.end(), 0.0) / 1000.0;
    double var = 0.0;
    for (double v : sc)
        var += v * v / 1000.0;
    QVERIFY(std::fabs(mean) < 1e-12);     // symmetric quantiles
    QVERIFY(std::fabs(var - 1.0) < 5e-3); // semicircle of radius rho has variance rho^2/4
    QVERIFY(sc.front() > -2.0 && sc.back() < 2.0);

    m.bulk = parseBulk("twopoint:-1,2,0.3");
    const auto tp = bulkValues(m);
    QCOMPARE(std::count(tp.begin(), tp.end(), -1.0), 300L);
    QCOMPARE(std::count(tp.begin(), tp.end(), 2.0), 700L);

    m.bulk = parseBulk("zero");
    QVERIFY(bulkIsConstant(m));
    m.bulk = parseBulk("list:0.5,0.5");
    QVERIFY(bulkIsConstant(m));
}

void TestModel::validation_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::newRow("n=1") << "n"
                         << "1";
    QTest::newRow("n huge") << "n"
                            << "2000000000";
    QTest::newRow("sigma=0") << "sigma"
                             << "0";
    QTest::newRow("sigma<0") << "sigma"
                             << "-1";
    QTest::newRow("sigma nan") << "sigma"
                               << "nan";
    QTest::newRow("sigma inf") << "sigma"
                               << "inf";
    QTest::newRow("alpha<0") << "alpha"
                             << "-0.1";
    QTest::newRow("alpha>1") << "alpha"
                             << "1.5";
    QTest::newRow("alpha nan") << "alpha"
                               << "nan";
    QTest::newRow("rank 0") << "rank"
                            << "0";
    QTest::newRow("rank > N") << "rank"
                              << "101";
    QTest::newRow("nu=2") << "noise"
                          << "2";
    QTest::newRow("p=0") << "noise"
                         << "0";
    QTest::newRow("p>1") << "noise"
                         << "1.5";
    QTest::newRow("list > N") << "spikes"
                              << "101";
    QTest::newRow("bulk a>b") << "bulk"
                              << "uniform";
    QTest::newRow("bulk rho<0") << "bulk"
                                << "semicircle";
    QTest::newRow("bulk p>1") << "bulk"
                              << "twopoint";
}

void TestModel::validation()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    Model m;
    m.n = 100;
    validate(m); // the defaults are valid
    const double v = value == "nan"   ? std::nan("")
                     : value == "inf" ? std::numeric_limits<double>::infinity()
                                      : value.toDouble();
    QString expectedField = field;
    if (field == "n") {
        m.n = static_cast<int>(v);
    } else if (field == "sigma") {
        m.sigma = v;
    } else if (field == "alpha") {
        m.rank.alpha = v;
    } else if (field == "rank") {
        m.rank = {true, 0.0, static_cast<int>(v)};
    } else if (field == "noise") {
        m.noise = {QString(QTest::currentDataTag()).startsWith("nu") ? NoiseKind::StudentT
                                                                     : NoiseKind::Sparse,
                   v};
    } else if (field == "spikes") {
        m.spikes = {SpikeKind::List, std::vector<double>(static_cast<std::size_t>(v), 1.0)};
    } else if (value == "uniform") {
        m.bulk = {BulkKind::Uniform, {1.0, -1.0}};
    } else if (value == "semicircle") {
        m.bulk = {BulkKind::Semicircle, {-1.0}};
    } else {
        m.bulk = {BulkKind::TwoPoint, {0.0, 1.0, 1.5}};
    }
    try {
        validate(m);
        QFAIL("expected InputError");
    } catch (const InputError& e) {
        QVERIFY2(QString::fromUtf8(e.what()).startsWith(expectedField + ":"), e.what());
    }
}

void TestModel::numbers()
{
    QCOMPARE(parseFiniteDouble(" +2.5 ", "x"), 2.5);
    QCOMPARE(parseInteger("1e5", "n"), 100000LL);
    QCOMPARE(parseInteger("42", "n"), 42LL);
    QVERIFY_THROWS_EXCEPTION(InputError, parseInteger("2.5", "n"));
    QVERIFY_THROWS_EXCEPTION(InputError, parseInteger("99999999999999999999", "n"));
    QVERIFY_THROWS_EXCEPTION(InputError, parseFiniteDouble("1.0x", "x"));
    QVERIFY_THROWS_EXCEPTION(InputError, parseFiniteDouble("", "x"));
    for (double v : {0.1, 1.0 / 3.0, -2.5e-300, 1e300, 4.2554})
        QCOMPARE(parseFiniteDouble(formatDouble(v), "x"), v); // round-trips exactly
}

void TestModel::rngStreams()
{
    // Streams are reproducible and distinct; normals have mean 0 and variance 1.
    Rng a(7, 3), b(7, 3), c(7, 4), d(8, 3);
    for (int i = 0; i < 100; ++i)
        QCOMPARE(a.next(), b.next());
    QVERIFY(Rng(7, 3).next() != c.next());
    QVERIFY(Rng(7, 3).next() != d.next());
    Rng g(1, 0);
    const int n = 200000;
    double s1 = 0, s2 = 0, s4 = 0, c2 = 0;
    for (int i = 0; i < n; ++i) {
        const double x = g.normal();
        s1 += x;
        s2 += x * x;
        s4 += x * x * x * x;
        const double y = g.chi(5.0);
        c2 += y * y;
    }
    // Standard errors: mean 1/sqrt(n), variance sqrt(2/n), fourth moment sqrt(96/n),
    // chi^2_5 mean sqrt(10/n). Five standard errors each.
    QVERIFY(std::fabs(s1 / n) < 5.0 / std::sqrt(n));
    QVERIFY(std::fabs(s2 / n - 1.0) < 5.0 * std::sqrt(2.0 / n));
    QVERIFY(std::fabs(s4 / n - 3.0) < 5.0 * std::sqrt(96.0 / n));
    QVERIFY(std::fabs(c2 / n - 5.0) < 5.0 * std::sqrt(10.0 / n));
}

// spikeRange and bulkRange (used where N values must not be built: validation at N = 10^8, the
// banded sampler's rule) give exactly the extremes of spikeValues and bulkValues.
void TestModel::extremesWithoutBuildingValues()
{
    using namespace ws::core;
    int tried = 0;
    for (const char* spikes :
         {"equal:3", "equal:-2", "linear:1.5,4", "linear:4,-1.5", "linear:-8e307,8e307",
          "power:3,0.5", "power:-3,1.5", "power:5,0", "list:4,2.5,-1.6,0.1", "list:-7"})
        for (const char* bulk : {"zero", "uniform:-1,1", "uniform:2,2", "semicircle:0.5",
                                 "twopoint:-1,1,0.3", "twopoint:1,-1,0.3", "twopoint:3,-3,0",
                                 "twopoint:3,-3,1", "list:3,-2,1,1", "list:1e308,-1e308"})
            for (int n : {2, 3, 17, 1000})
                for (int rank : {1, 2, 5}) {
                    Model m;
                    m.n = n;
                    m.spikes = parseSpikes(spikes);
                    m.bulk = parseBulk(bulk);
                    m.rank.isExplicit = true;
                    m.rank.rank = std::min(rank, n);
                    try {
                        validate(m);
                    } catch (const InputError&) {
                        continue; // e.g. a list longer than N
                    }
                    ++tried;
                    const std::vector<double> sp = spikeValues(m);
                    const auto [slo, shi] = spikeRange(m);
                    QCOMPARE(slo, *std::min_element(sp.begin(), sp.end()));
                    QCOMPARE(shi, *std::max_element(sp.begin(), sp.end()));
                    const std::vector<double> b = bulkValues(m);
                    const auto range = bulkRange(m);
                    QCOMPARE(range.has_value(), !b.empty());
                    if (range) {
                        QCOMPARE(range->first, b.front());
                        QCOMPARE(range->second, b.back());
                    }
                }
    QVERIFY(tried > 1000);
}

QTEST_APPLESS_MAIN(TestModel)
#include "tst_model.moc"
