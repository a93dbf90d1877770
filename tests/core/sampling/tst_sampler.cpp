// Noise families (moments, structure), Haar eigenvectors, the assembled H of the dense sampler,
// sampler selection. Tolerances are k standard errors computed from the families' own moments.
#include "support/core_models.h"
#include "core/model/families.h"
#include "core/model/model.h"
#include "core/sampling/rng.h"
#include "core/sampling/sampler.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numeric>
#include <type_traits>
#include <vector>

using namespace ws::core;
using cplx = std::complex<double>;

namespace {

constexpr double kSe = 5.0; // tolerance in standard errors (false alarm ~ 6e-7 per check)

std::size_t at(int i, int j, int n)
{
    return static_cast<std::size_t>(j) * static_cast<std::size_t>(n) + static_cast<std::size_t>(i);
}

// max_ij |(O^H O - I)_ij| of the n x n column-major o (O^T O for a real o): 0 for an orthogonal
// or unitary matrix.
template <class T> double gramError(const std::vector<T>& o, int n)
{
    double worst = 0.0;
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            T dot = 0.0;
            for (int k = 0; k < n; ++k) {
                if constexpr (std::is_same_v<T, double>)
                    dot += o[at(k, i, n)] * o[at(k, j, n)];
                else
                    dot += std::conj(o[at(k, i, n)]) * o[at(k, j, n)];
            }
            worst = std::max(worst, std::abs(dot - (i == j ? 1.0 : 0.0)));
        }
    return worst;
}

// E X^(2k) of each off-diagonal law (unit variance), k = 1..4; infinite -> NaN.
double evenMoment(const NoiseFamily& f, int k)
{
    switch (f.kind) {
    case NoiseKind::Gaussian: {
        double m = 1.0; // (2k-1)!!
        for (int i = 1; i <= k; ++i)
            m *= 2.0 * i - 1.0;
        return m;
    }
    case NoiseKind::Rademacher:
        return 1.0;
    case NoiseKind::Uniform:
        return std::pow(3.0, k) / (2.0 * k + 1.0); // a^(2k)/(2k+1), a = sqrt(3)
    case NoiseKind::StudentT: {
        // t_nu scaled by sqrt((nu-2)/nu): (nu-2)^k prod_{i<=k} (2i-1)/(nu-2i), finite if nu > 2k.
        const double nu = f.param;
        if (nu <= 2.0 * k)
            return std::nan("");
        double m = std::pow(nu - 2.0, k);
        for (int i = 1; i <= k; ++i)
            m *= (2.0 * i - 1.0) / (nu - 2.0 * i);
        return m;
    }
    case NoiseKind::Sparse: {
        double g = 1.0;
        for (int i = 1; i <= k; ++i)
            g *= 2.0 * i - 1.0;
        return g / std::pow(f.param, k - 1); // p * (2k-1)!! / p^k
    }
    case NoiseKind::Complex:
        break;
    }
    return std::nan("");
}

Model smallModel(int n, const char* noise, const char* spikes, const char* bulk, Eigvecs ev)
{
    Model m{testsupport::families(1.0, noise, spikes, bulk), n};
    m.rank.isExplicit = true;
    m.rank.rank = static_cast<int>(m.spikes.kind == SpikeKind::List ? m.spikes.params.size() : 1);
    m.eigvecs = ev;
    validate(m);
    return m;
}

} // namespace

class TestSampler : public QObject
{
    Q_OBJECT
private slots:
    void realNoiseMoments_data();
    void realNoiseMoments();
    void complexNoiseMoments();
    void noiseKindMismatch();
    void noiseIsReproducible();
    void haarOrthogonal();
    void haarUnitary();
    void haarLaw();
    void haarColumnsAreTheFirstColumns();
    void signalIsAssembled_data();
    void signalIsAssembled();
    void traceMoments_data();
    void traceMoments();
    void solversAgree_data();
    void solversAgree();
    void parallelTwoStageSizes();
    void sampleStreams();
    void cancelGivesEmpty();
    void peakBytes();
    void choice();
};

void TestSampler::realNoiseMoments_data()
{
    QTest::addColumn<QString>("noise");
    for (const char* t :
         {"gaussian", "rademacher", "uniform", "student-t:10", "student-t:2.5", "sparse:0.5"})
        QTest::newRow(t) << t;
}

void TestSampler::realNoiseMoments()
{
    QFETCH(QString, noise);
    const NoiseFamily f = parseNoise(noise.toStdString());
    const int n = 300, mats = 8;
    const double m4 = evenMoment(f, 2), m8 = evenMoment(f, 4);

    double s1 = 0, s2 = 0, s4 = 0, sNeighbour = 0, sFar = 0; // off-diagonal sums
    double d1 = 0, d2 = 0;                                   // diagonal sums
    std::size_t off = 0, diag = 0, pairs = 0, farPairs = 0;
    std::vector<double> x(static_cast<std::size_t>(n) * n);
    for (int t = 0; t < mats; ++t) {
        Rng rng(42, static_cast<std::uint64_t>(t));
        fillNoiseReal(f, n, rng, x.data());
        for (int j = 0; j < n; ++j) {
            for (int i = 0; i < n; ++i)
                QCOMPARE(x[at(i, j, n)], x[at(j, i, n)]); // exactly symmetric
            const double d = x[at(j, j, n)];
            d1 += d;
            d2 += d * d;
            ++diag;
            for (int i = j + 1; i < n; ++i) {
                const double v = x[at(i, j, n)];
                s1 += v;
                s2 += v * v;
                s4 += v * v * v * v;
                ++off;
                if (i + 1 < n) {
                    sNeighbour += v * x[at(i + 1, j, n)];
                    ++pairs;
                }
                if (j + 37 < n && i > j + 37) { // a column in another generation block
                    sFar += v * x[at(i, j + 37, n)];
                    ++farPairs;
                }
            }
        }
    }
    const double M = static_cast<double>(off);
    // Mean 0, variance 1: SE of the mean is 1/sqrt(M); of the variance sqrt((m4 - 1)/M).
    QVERIFY2(std::abs(s1 / M) < kSe / std::sqrt(M), qPrintable(QString::number(s1 / M)));
    QVERIFY2(std::abs(sNeighbour / static_cast<double>(pairs)) <
                 kSe / std::sqrt(static_cast<double>(pairs)),
             "neighbouring entries are correlated");
    QVERIFY2(std::abs(sFar / static_cast<double>(farPairs)) <
                 kSe / std::sqrt(static_cast<double>(farPairs)),
             "entries in different generation blocks are correlated");
    const double D = static_cast<double>(diag);
    if (std::isfinite(m4)) {
        const double seVar = std::sqrt((m4 - 1.0) / M);
        QVERIFY2(std::abs(s2 / M - 1.0) < kSe * seVar + 1e-12,
                 qPrintable(QString("variance %1").arg(s2 / M)));
        // Diagonal: sqrt(2) times an off-diagonal draw -> variance 2, Var(d^2) = 4 (m4 - 1).
        const double seDiag = 2.0 * std::sqrt((m4 - 1.0) / D);
        QVERIFY2(std::abs(d2 / D - 2.0) < kSe * seDiag + 1e-12,
                 qPrintable(QString("diagonal variance %1").arg(d2 / D)));
        QVERIFY2(std::abs(d1 / D) < kSe * std::sqrt(2.0 / D), "diagonal mean");
    } else {
        // Infinite fourth moment (student-t, nu <= 4): the sample variance has no CLT; a loose
        // check that it is of order 1 is all that is meaningful.
        QVERIFY(s2 / M > 0.5 && s2 / M < 2.0);
    }
    if (std::isfinite(m8)) {
        const double se4 = std::sqrt((m8 - m4 * m4) / M);
        QVERIFY2(std::abs(s4 / M - m4) < kSe * se4 + 1e-12,
                 qPrintable(QString("fourth moment %1, expected %2").arg(s4 / M).arg(m4)));
    }
}

void TestSampler::complexNoiseMoments()
{
    const NoiseFamily f = parseNoise("complex");
    const int n = 300, mats = 6;
    std::vector<cplx> x(static_cast<std::size_t>(n) * n);
    cplx s1 = 0, sSquare = 0; // E X, E X^2 (= 0 for a circular law)
    double s2 = 0, s4 = 0, d1 = 0, d2 = 0;
    std::size_t off = 0, diag = 0;
    for (int t = 0; t < mats; ++t) {
        Rng rng(7, static_cast<std::uint64_t>(t));
        fillNoiseComplex(f, n, rng, x.data());
        for (int j = 0; j < n; ++j) {
            for (int i = 0; i < n; ++i)
                QCOMPARE(x[at(i, j, n)], std::conj(x[at(j, i, n)])); // exactly Hermitian
            QCOMPARE(x[at(j, j, n)].imag(), 0.0);
            const double d = x[at(j, j, n)].real();
            d1 += d;
            d2 += d * d;
            ++diag;
            for (int i = j + 1; i < n; ++i) {
                const cplx v = x[at(i, j, n)];
                s1 += v;
                sSquare += v * v;
                const double a = std::norm(v);
                s2 += a;
                s4 += a * a;
                ++off;
            }
        }
    }
    const double M = static_cast<double>(off), D = static_cast<double>(diag);
    // |X|^2 ~ Exp(1): E|X|^2 = 1, E|X|^4 = 2, E|X|^8 = 24; Re, Im ~ N(0, 1/2).
    QVERIFY(std::abs(s1 / M) < kSe * std::sqrt(1.0 / M));
    QVERIFY2(std::abs(sSquare / M) < kSe * std::sqrt(1.0 / M), "E X^2 != 0: not circular");
    QVERIFY(std::abs(s2 / M - 1.0) < kSe * std::sqrt(1.0 / M));
    QVERIFY(std::abs(s4 / M - 2.0) < kSe * std::sqrt(20.0 / M));
    QVERIFY(std::abs(d1 / D) < kSe * std::sqrt(1.0 / D));
    QVERIFY2(std::abs(d2 / D - 1.0) < kSe * std::sqrt(2.0 / D), "diagonal variance != 1");
}

void TestSampler::noiseKindMismatch()
{
    std::vector<double> x(16);
    std::vector<cplx> z(16);
    Rng rng(1, 1);
    QVERIFY_THROWS_EXCEPTION(InputError, fillNoiseReal(parseNoise("complex"), 4, rng, x.data()));
    QVERIFY_THROWS_EXCEPTION(InputError,
                             fillNoiseComplex(parseNoise("gaussian"), 4, rng, z.data()));
}

void TestSampler::noiseIsReproducible()
{
    const int n = 70; // three generation blocks
    std::vector<double> a(n * n), b(n * n), c(n * n);
    Rng r1(5, 9), r2(5, 9), r3(5, 10);
    fillNoiseReal(parseNoise("sparse:0.3"), n, r1, a.data());
    fillNoiseReal(parseNoise("sparse:0.3"), n, r2, b.data());
    fillNoiseReal(parseNoise("sparse:0.3"), n, r3, c.data());
    QVERIFY(a == b);
    QVERIFY(a != c);
}

void TestSampler::haarOrthogonal()
{
    for (int n : {1, 5, 64, 150}) {
        const double worst = gramError(ws::core::haarOrthogonal(n, 3), n);
        QVERIFY2(worst < 1e-13 * n + 1e-14, qPrintable(QString("O^T O - I: %1").arg(worst)));
    }
    QVERIFY(ws::core::haarOrthogonal(20, 3) == ws::core::haarOrthogonal(20, 3)); // once per seed
    QVERIFY(ws::core::haarOrthogonal(20, 3) != ws::core::haarOrthogonal(20, 4));
}

void TestSampler::haarUnitary()
{
    for (int n : {1, 5, 64, 150}) {
        const double worst = gramError(ws::core::haarUnitary(n, 3), n);
        QVERIFY2(worst < 1e-13 * n + 1e-14, qPrintable(QString("O^H O - I: %1").arg(worst)));
    }
}

void TestSampler::haarLaw()
{
    // Entries of a Haar matrix: mean 0, E O_ij^2 = 1/n. Householder QR without the sign fix
    // gives O_11 of one sign always (it is -sign(a_11) |a_1|/|a_1|), so the mean test has power.
    const int n = 4, seeds = 3000;
    double sum11 = 0, sumSq = 0, sumNN = 0;
    cplx sumU = 0;
    for (int s = 0; s < seeds; ++s) {
        const std::vector<double> o = ws::core::haarOrthogonal(n, static_cast<std::uint64_t>(s));
        sum11 += o[0];
        sumSq += o[0] * o[0];
        sumNN += o[at(n - 1, n - 1, n)];
        const std::vector<cplx> u = ws::core::haarUnitary(n, static_cast<std::uint64_t>(s));
        sumU += u[0] + u[at(n - 1, n - 1, n)];
    }
    const double S = seeds;
    const double se = std::sqrt(1.0 / n / S);
    QVERIFY2(std::abs(sum11 / S) < kSe * se, qPrintable(QString("E O_11 = %1").arg(sum11 / S)));
    QVERIFY2(std::abs(sumNN / S) < kSe * se, qPrintable(QString("E O_nn = %1").arg(sumNN / S)));
    QVERIFY2(std::abs(sumU / S) < kSe * std::sqrt(2.0 / n / S), "E U_11 + U_nn != 0");
    // O_11^2 ~ Beta(1/2, (n-1)/2): mean 1/n, variance 2(n-1)/(n^2 (n+2)).
    const double seSq = std::sqrt(2.0 * (n - 1) / (n * n * (n + 2.0)) / S);
    QVERIFY(std::abs(sumSq / S - 1.0 / n) < kSe * seSq);
}

void TestSampler::haarColumnsAreTheFirstColumns()
{
    // The low-rank signal path uses only the first r columns of O; they must be those of the
    // full Haar matrix (same seed), so basis-free results and overlaps agree.
    const int n = 90, r = 7;
    const auto full = ws::core::haarOrthogonal(n, 21);
    const auto cols = ws::core::haarOrthogonalColumns(n, r, 21);
    QCOMPARE(cols.size(), static_cast<std::size_t>(n * r));
    double worst = 0.0;
    for (std::size_t i = 0; i < cols.size(); ++i)
        worst = std::max(worst, std::abs(cols[i] - full[i]));
    QVERIFY2(worst < 1e-12, qPrintable(QString::number(worst)));
    const auto fullC = ws::core::haarUnitary(n, 21);
    const auto colsC = ws::core::haarUnitaryColumns(n, r, 21);
    worst = 0.0;
    for (std::size_t i = 0; i < colsC.size(); ++i)
        worst = std::max(worst, std::abs(colsC[i] - fullC[i]));
    QVERIFY2(worst < 1e-12, qPrintable(QString::number(worst)));
}

void TestSampler::signalIsAssembled_data()
{
    QTest::addColumn<QString>("noise");
    QTest::addColumn<bool>("haar");
    QTest::addColumn<QString>("bulk");
    QTest::newRow("gaussian basis") << "gaussian" << false << "uniform:-1,1";
    QTest::newRow("gaussian haar") << "gaussian" << true << "uniform:-1,1";
    QTest::newRow("complex basis") << "complex" << false << "uniform:-1,1";
    QTest::newRow("complex haar") << "complex" << true << "uniform:-1,1";
    QTest::newRow("rademacher haar") << "rademacher" << true << "uniform:-1,1";
    // Constant bulks take the low-rank path S = c I + O_r diag(theta - c) O_r^T.
    QTest::newRow("gaussian haar zero bulk") << "gaussian" << true << "zero";
    QTest::newRow("gaussian haar constant bulk") << "gaussian" << true << "uniform:0.7,0.7";
    QTest::newRow("complex haar constant bulk") << "complex" << true << "twopoint:-0.4,2,0";
}

void TestSampler::signalIsAssembled()
{
    // With sigma tiny the eigenvalues of H are those of S = O diag(s) O^T up to ||noise|| ~ 2
    // sigma (Weyl): a wrong O (not orthogonal), a lost diagonal or a transposed S shows up.
    QFETCH(QString, noise);
    QFETCH(bool, haar);
    QFETCH(QString, bulk);
    Model m = smallModel(120, noise.toUtf8().constData(), "list:5,3.5,-2",
                         bulk.toUtf8().constData(), haar ? Eigvecs::Haar : Eigvecs::Basis);
    m.sigma = 1e-7;
    std::vector<double> s = signalSpectrum(m);
    std::sort(s.begin(), s.end());
    const auto sampler = makeDenseSampler(m, 11);
    const std::vector<double> ev = sampler->sample(0, nullptr);
    QCOMPARE(ev.size(), s.size());
    QVERIFY(std::is_sorted(ev.begin(), ev.end()));
    double worst = 0.0;
    for (std::size_t i = 0; i < s.size(); ++i)
        worst = std::max(worst, std::abs(ev[i] - s[i]));
    QVERIFY2(worst < 5.0 * m.sigma + 1e-11, qPrintable(QString("max |ev - s| = %1").arg(worst)));
}

void TestSampler::traceMoments_data()
{
    QTest::addColumn<QString>("noise");
    QTest::addColumn<bool>("haar");
    QTest::addColumn<double>("m4"); // E|X_ij|^4 off the diagonal
    QTest::newRow("gaussian basis") << "gaussian" << false << 3.0;
    QTest::newRow("uniform haar") << "uniform" << true << 1.8;
    QTest::newRow("complex haar") << "complex" << true << 2.0;
}

void TestSampler::traceMoments()
{
    // tr H = c tr X + tr S and ||H||_F^2 = c^2 ||X||_F^2 + 2c tr(XS) + tr S^2, c = sigma/sqrt(N):
    // E tr H = sum s, E ||H||_F^2 = sum s^2 + sigma^2 (N + 1) (real: N(N-1) off-diagonal entries
    // of variance 1, N diagonal of variance 2) or sigma^2 N (complex). Checks the noise scale and
    // the diagonal variance of the assembled H through its eigenvalues.
    QFETCH(QString, noise);
    QFETCH(bool, haar);
    QFETCH(double, m4);
    Model m = smallModel(100, noise.toUtf8().constData(), "list:2", "uniform:-1,1",
                         haar ? Eigvecs::Haar : Eigvecs::Basis);
    m.sigma = 1.5;
    const bool complex = m.noise.isComplex();
    const std::vector<double> s = signalSpectrum(m);
    double trS = 0, trS2 = 0;
    for (double v : s) {
        trS += v;
        trS2 += v * v;
    }
    const double N = m.n, sig2 = m.sigma * m.sigma;
    const double expectF = trS2 + sig2 * (complex ? N : N + 1.0);
    // Var tr H = c^2 N Var(X_ii) = sigma^2 (2 real, 1 complex). Var ||H||_F^2 = c^4 Var ||X||_F^2
    // + 4 c^2 Var tr(XS) (no covariance: odd moments vanish) ~ 2 sigma^4 (m4 - 1) (N + 1)/N
    // + 8 sigma^2 tr S^2 / N (real; half of the last term for complex -- kept as a bound).
    const double varT = sig2 * (complex ? 1.0 : 2.0);
    const double varF = 2.0 * sig2 * sig2 * (m4 - 1.0) * (N + 1.0) / N + 8.0 * sig2 * trS2 / N;
    const auto sampler = makeDenseSampler(m, 5);
    const int K = 400;
    double sumT = 0, sumF = 0;
    for (int k = 0; k < K; ++k) {
        const std::vector<double> ev = sampler->sample(static_cast<std::uint64_t>(k), nullptr);
        for (double v : ev) {
            sumT += v;
            sumF += v * v;
        }
    }
    const double meanT = sumT / K, meanF = sumF / K;
    QVERIFY2(std::abs(meanT - trS) < kSe * std::sqrt(varT / K),
             qPrintable(QString("E tr H = %1, expected %2").arg(meanT).arg(trS)));
    QVERIFY2(std::abs(meanF - expectF) < kSe * std::sqrt(varF / K),
             qPrintable(QString("E ||H||^2 = %1, expected %2 (SE %3)")
                            .arg(meanF)
                            .arg(expectF)
                            .arg(std::sqrt(varF / K))));
}

void TestSampler::solversAgree_data()
{
    QTest::addColumn<QString>("noise");
    QTest::addColumn<bool>("haar");
    QTest::newRow("gaussian basis") << "gaussian" << false;
    QTest::newRow("student-t haar") << "student-t:3" << true;
    QTest::newRow("complex basis") << "complex" << false;
    QTest::newRow("complex haar") << "complex" << true;
}

void TestSampler::solversAgree()
{
    QFETCH(QString, noise);
    QFETCH(bool, haar);
    const Model m = smallModel(260, noise.toUtf8().constData(), "list:4,-3", "semicircle:1",
                               haar ? Eigvecs::Haar : Eigvecs::Basis);
    const auto ref = makeDenseSampler(m, 3, DenseSolver::Eigen)->sample(2, nullptr);
    for (DenseSolver s : {DenseSolver::Lapack, DenseSolver::LapackTwoStage,
                          DenseSolver::ParallelTwoStage, DenseSolver::Auto}) {
        const auto ev = makeDenseSampler(m, 3, s)->sample(2, nullptr);
        QCOMPARE(ev.size(), ref.size());
        double worst = 0.0;
        for (std::size_t i = 0; i < ev.size(); ++i)
            worst = std::max(worst, std::abs(ev[i] - ref[i]));
        QVERIFY2(worst < 1e-10, (toString(s) + " differs by " + std::to_string(worst)).c_str());
    }
}

void TestSampler::parallelTwoStageSizes()
{
    // Our band reduction around its block boundaries (half-width 32, task blocks of 128 rows),
    // real and complex: same eigenvalues as LAPACK's one-stage solver up to rounding.
    for (const char* noise : {"gaussian", "complex"})
        for (int n : {2, 3, 32, 33, 34, 65, 129, 161, 300}) {
            const Model m = smallModel(n, noise, "list:3", "uniform:-1,1", Eigvecs::Basis);
            const auto ref = makeDenseSampler(m, 8, DenseSolver::Lapack)->sample(1, nullptr);
            const auto ev =
                makeDenseSampler(m, 8, DenseSolver::ParallelTwoStage)->sample(1, nullptr);
            QCOMPARE(ev.size(), ref.size());
            double worst = 0.0;
            for (std::size_t i = 0; i < ev.size(); ++i)
                worst = std::max(worst, std::abs(ev[i] - ref[i]));
            QVERIFY2(worst < 1e-12,
                     qPrintable(QString("%1 n = %2: %3").arg(noise).arg(n).arg(worst)));
        }
}

void TestSampler::sampleStreams()
{
    const Model m = smallModel(90, "uniform", "equal:3", "zero", Eigvecs::Haar);
    const auto a = makeDenseSampler(m, 21);
    const auto b = makeDenseSampler(m, 21);
    QVERIFY(a->sample(4, nullptr) == b->sample(4, nullptr)); // same (seed, k): bit-identical
    QVERIFY(a->sample(4, nullptr) != a->sample(5, nullptr));
    QVERIFY(a->sample(4, nullptr) != makeDenseSampler(m, 22)->sample(4, nullptr));
    QCOMPARE(toString(a->kind()), std::string("dense"));
}

void TestSampler::cancelGivesEmpty()
{
    const Model m = smallModel(50, "gaussian", "equal:3", "zero", Eigvecs::Basis);
    std::atomic<bool> cancel{true};
    QVERIFY(makeDenseSampler(m, 1)->sample(0, &cancel).empty());
    cancel = false;
    QCOMPARE(makeDenseSampler(m, 1)->sample(0, &cancel).size(), std::size_t(50));
}

void TestSampler::peakBytes()
{
    for (const char* noise : {"gaussian", "complex"})
        for (Eigvecs ev : {Eigvecs::Basis, Eigvecs::Haar}) {
            const Model m = smallModel(400, noise, "equal:3", "zero", ev);
            const auto s = makeDenseSampler(m, 1);
            const std::size_t elem = m.noise.isComplex() ? 16 : 8;
            const std::size_t h = 400 * 400 * elem;
            QCOMPARE(s->peakBytes(3), denseSamplerPeakBytes(m, 3));
            QVERIFY(s->peakBytes(1) >= h);     // at least one H
            QVERIFY(s->peakBytes(3) >= 3 * h); // one H per sample in flight
            QVERIFY(s->peakBytes(3) < 3 * h * 2 + (ev == Eigvecs::Haar ? 3 * h : 0)); // not absurd
            if (ev == Eigvecs::Haar)
                QVERIFY(s->peakBytes(1) >= 2 * h); // + the shared S
        }
}

void TestSampler::choice()
{
    QVERIFY(parseSamplerChoice("auto") == SamplerChoice::Auto);
    QVERIFY(parseSamplerChoice("dense") == SamplerChoice::Dense);
    QVERIFY(parseSamplerChoice("banded") == SamplerChoice::Banded);
    for (auto c : {SamplerChoice::Auto, SamplerChoice::Dense, SamplerChoice::Banded})
        QVERIFY(parseSamplerChoice(toString(c)) == c);
    QVERIFY_THROWS_EXCEPTION(InputError, parseSamplerChoice("Dense"));
    QVERIFY_THROWS_EXCEPTION(InputError, parseSamplerChoice(""));

    const Model gauss = smallModel(40, "gaussian", "equal:3", "zero", Eigvecs::Haar);
    const Model cplxConst = smallModel(40, "complex", "list:3,2", "uniform:1,1", Eigvecs::Basis);
    const Model rad = smallModel(40, "rademacher", "equal:3", "zero", Eigvecs::Basis);
    const Model spread = smallModel(40, "gaussian", "equal:3", "uniform:-1,1", Eigvecs::Basis);
    QVERIFY(bandedInapplicableReason(gauss).empty());
    QVERIFY(bandedInapplicableReason(cplxConst).empty());
    QVERIFY(QString::fromStdString(bandedInapplicableReason(rad)).contains("gaussian"));
    QVERIFY(QString::fromStdString(bandedInapplicableReason(spread)).contains("bulk"));

    QCOMPARE(toString(makeSampler(rad, SamplerChoice::Auto, 1)->kind()), std::string("dense"));
    QCOMPARE(toString(makeSampler(spread, SamplerChoice::Auto, 1)->kind()), std::string("dense"));
    QCOMPARE(toString(makeSampler(gauss, SamplerChoice::Dense, 1)->kind()), std::string("dense"));
    QVERIFY_THROWS_EXCEPTION(InputError, makeSampler(rad, SamplerChoice::Banded, 1));
    QVERIFY_THROWS_EXCEPTION(InputError, makeSampler(spread, SamplerChoice::Banded, 1));
    // Where banded applies, the sampler it gives returns N eigenvalues, ascending.
    const auto ev = makeSampler(gauss, SamplerChoice::Banded, 1)->sample(0, nullptr);
    QCOMPARE(ev.size(), std::size_t(40));
    QVERIFY(std::is_sorted(ev.begin(), ev.end()));
}

QTEST_APPLESS_MAIN(TestSampler)
#include "tst_sampler.moc"
