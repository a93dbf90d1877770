// Eigenvector overlaps: the partial solvers (dense tridiagonalization + bisection + inverse
// iteration per cluster, band inverse iteration) against a full Eigen decomposition of the same
// matrices, the rebuilt H against the
// dense sampler, and the predictions at N = 1500 with a full-rank bulk: 1 - sigma^2/theta^2
// rejected, 1 - sigma^2 D_j accepted, with tolerances from the standard errors.
#include "core/sampling/banded/banded.h"
#include "core/model/families.h"
#include "core/model/model.h"
#include "core/outliers/outliers.h"
#include "core/outliers/overlap.h"
#include "core/sampling/runner.h"
#include "core/sampling/sampler.h"
#include "core/theory/theory.h"

#include <QtTest>
#include <QRegularExpression>

#include "support/band_dense.h"
#include "support/core_models.h"
#include "support/reference.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <type_traits>
#include <vector>

using namespace ws::core;
using testsupport::bandToDense;
using testsupport::runOptions;
using testsupport::squareModel;
using cplx = std::complex<double>;

namespace {

// Overlaps per spike from a FULL eigendecomposition, by the definition of overlap.h: for each
// cluster interval C whose eigenvalues (intervalOf) number exactly its count, each spike's
// ||P_C v_j||^2 = sum_{i in C} |<u_i, v_j>|^2, averaged over its equal spikes. `v` holds the
// spikes' eigenvectors as columns (spike order).
template <class Mat>
std::vector<std::optional<double>> referenceOverlaps(const Mat& h, const Mat& v, const Theory& t)
{
    const auto es = ws::testing::eigenDecomposition(h);
    const Eigen::VectorXd& w = es.values; // ascending
    const Mat& u = es.vectors;
    const auto& sup = t.equivalent.support;
    std::vector<std::vector<int>> members(sup.size());
    for (int i = 0; i < w.size(); ++i) {
        const int k = intervalOf(t, w(i));
        if (k >= 0)
            members[static_cast<std::size_t>(k)].push_back(i);
    }
    std::vector<std::optional<double>> out(t.outliers.size());
    for (std::size_t j = 0; j < t.outliers.size(); ++j) {
        const auto& p = t.outliers[j];
        const auto& iv = sup[p.interval];
        if (p.absorbed || static_cast<int>(members[p.interval].size()) != iv.count)
            continue;
        double sum = 0.0;
        int equal = 0;
        for (std::size_t g = 0; g < t.outliers.size(); ++g) {
            if (t.outliers[g].theta != p.theta)
                continue;
            ++equal;
            for (int i : members[p.interval])
                sum += std::norm(v.col(static_cast<Eigen::Index>(g)).dot(u.col(i)));
        }
        out[j] = sum / equal;
    }
    return out;
}

template <class Mat> constexpr bool isReal = std::is_same_v<typename Mat::Scalar, double>;

// The spikes' eigenvectors v_1..v_r as columns (spike order), as the sampler draws them.
template <class Mat> Mat spikeVectors(const Model& m, std::uint64_t seed)
{
    const int r = rankOf(m);
    if (m.eigvecs == Eigvecs::Basis)
        return Mat::Identity(m.n, r);
    const auto o = [&] {
        if constexpr (isReal<Mat>)
            return haarOrthogonal(m.n, seed);
        else
            return haarUnitary(m.n, seed);
    }();
    return Eigen::Map<const Mat>(o.data(), m.n, m.n).leftCols(r);
}

// Sample k's dense H, as the dense sampler assembles it.
template <class Mat> Mat denseMatrix(const Model& m, std::uint64_t seed, std::uint64_t k)
{
    const auto a = [&] {
        if constexpr (isReal<Mat>)
            return denseMatrixReal(m, seed, k);
        else
            return denseMatrixComplex(m, seed, k);
    }();
    return Eigen::Map<const Mat>(a.data(), m.n, m.n);
}

void compareOverlaps(const std::vector<std::optional<double>>& got,
                     const std::vector<std::optional<double>>& want, double tol)
{
    QCOMPARE(got.size(), want.size());
    for (std::size_t j = 0; j < got.size(); ++j) {
        QVERIFY2(got[j].has_value() == want[j].has_value(),
                 qPrintable(QString("spike %1 presence").arg(j)));
        if (got[j])
            QVERIFY2(std::abs(*got[j] - *want[j]) < tol,
                     qPrintable(QString("spike %1: %2 vs %3").arg(j).arg(*got[j]).arg(*want[j])));
    }
}

// Sample k's reference overlaps: the full decomposition of the H the solver works on, the dense
// sampler's or (`banded`) the band model's, real or complex as that H is.
std::vector<std::optional<double>> referenceOverlapsOf(const Model& m, const Theory& t,
                                                       std::uint64_t seed, std::uint64_t k,
                                                       bool banded)
{
    const auto reference = [&](const auto& h) {
        using Mat = std::decay_t<decltype(h)>;
        return referenceOverlaps(h, spikeVectors<Mat>(m, seed), t);
    };
    if (banded) {
        const BandMatrix h = drawBandMatrix(m, seed, k);
        return h.isComplex() ? reference(bandToDense<Eigen::MatrixXcd>(h))
                             : reference(bandToDense<Eigen::MatrixXd>(h));
    }
    return m.noise.isComplex() ? reference(denseMatrix<Eigen::MatrixXcd>(m, seed, k))
                               : reference(denseMatrix<Eigen::MatrixXd>(m, seed, k));
}

// The solver's overlaps (dense or banded) of samples 0..samples-1 against the reference of the
// same H, to `tol`; at least `minPresent` of them computed, so that the comparison is not vacuous.
void checkSolverMatchesReference(const Model& m, std::uint64_t seed, bool banded, int samples,
                                 double tol, int minPresent)
{
    const Theory t = computeTheory(m, 100);
    const OverlapSolver solver(m, t, seed, banded);
    int present = 0;
    for (std::uint64_t k = 0; k < static_cast<std::uint64_t>(samples); ++k) {
        const SampleOverlaps got = solver.sample(k);
        compareOverlaps(got.perSpike, referenceOverlapsOf(m, t, seed, k, banded), tol);
        for (const auto& o : got.perSpike)
            present += o ? 1 : 0;
    }
    QVERIFY(present >= minPresent);
}

} // namespace

class TestOverlap : public QObject
{
    Q_OBJECT
private slots:
    void rebuiltMatrixIsTheSamplersMatrix_data();
    void rebuiltMatrixIsTheSamplersMatrix();
    void denseOverlapsMatchFullDecomposition_data();
    void denseOverlapsMatchFullDecomposition();
    void bandEigenvectorsAreEigenvectors();
    void bandedOverlapsMatchFullDecomposition_data();
    void bandedOverlapsMatchFullDecomposition();
    void noPredictedOutliersNothingComputed();
    void wholeSpectrumClusterProjectsOntoEverything();
    void runIsThreadIndependent();
    void bandedAndDenseAgreeStatistically();
    void largeRankPredictionWinsWithFullRankBulk();
    void memoryRefusalNamesLargestN();
};

void TestOverlap::rebuiltMatrixIsTheSamplersMatrix_data()
{
    QTest::addColumn<Model>("m");
    const auto model = [](const char* noise, const char* eigvecs) {
        return squareModel(90, noise, "list:3,-2.5", "uniform:-1,1", eigvecs);
    };
    QTest::newRow("gaussian basis") << model("gaussian", "basis");
    QTest::newRow("uniform haar") << model("uniform", "haar");
    QTest::newRow("complex haar") << model("complex", "haar");
    QTest::newRow("student-t basis") << model("student-t:5", "basis");
}

void TestOverlap::rebuiltMatrixIsTheSamplersMatrix()
{
    QFETCH(Model, m);
    const std::uint64_t seed = 11, k = 3;
    const std::vector<double> want = makeDenseSampler(m, seed)->sample(k, nullptr);
    const Eigen::VectorXd got =
        m.noise.isComplex() ? ws::testing::eigenvalues(denseMatrix<Eigen::MatrixXcd>(m, seed, k))
                            : ws::testing::eigenvalues(denseMatrix<Eigen::MatrixXd>(m, seed, k));
    QCOMPARE(static_cast<std::size_t>(got.size()), want.size());
    for (int i = 0; i < got.size(); ++i)
        QVERIFY2(std::abs(got(i) - want[static_cast<std::size_t>(i)]) < 1e-11,
                 qPrintable(QString("eigenvalue %1: %2 vs %3")
                                .arg(i)
                                .arg(got(i))
                                .arg(want[static_cast<std::size_t>(i)])));
}

void TestOverlap::denseOverlapsMatchFullDecomposition_data()
{
    QTest::addColumn<Model>("m");
    const auto model = [](const char* noise, const char* spikes, const char* bulk,
                          const char* eigvecs) {
        return squareModel(160, noise, spikes, bulk, eigvecs);
    };
    QTest::newRow("basis, both ends")
        << model("gaussian", "list:4,2.5,-3", "uniform:-1,1", "basis");
    QTest::newRow("haar") << model("rademacher", "list:3.5,2.2", "semicircle:1", "haar");
    QTest::newRow("group of equal spikes") << model("gaussian", "list:3,3,3,-4", "zero", "haar");
    QTest::newRow("complex haar") << model("complex", "list:3,-3,2", "uniform:0,1", "haar");
}

void TestOverlap::denseOverlapsMatchFullDecomposition()
{
    QFETCH(Model, m);
    checkSolverMatchesReference(m, 5, false, 3, 1e-9, 3);
}

void TestOverlap::bandEigenvectorsAreEigenvectors()
{
    for (const bool complex : {false, true})
        for (const int rank : {1, 2, 5}) {
            Model m =
                squareModel(200, complex ? "complex" : "gaussian", "equal:3", "zero", "basis");
            m.rank.rank = rank;
            m.spikes = parseSpikes("linear:2,4");
            const BandMatrix h = drawBandMatrix(m, 3, 1);
            BandedSpectrumRequest req;
            req.topCount = rank + 1;
            req.bottomCount = 1;
            const BandedSpectrum sp = bandedSpectrum(h, req);
            std::vector<double> lambdas = sp.top;
            lambdas.push_back(sp.bottom.front());
            const std::vector<cplx> z = bandEigenvectors(h, lambdas);
            const Eigen::MatrixXcd a = bandToDense<Eigen::MatrixXcd>(h);
            for (std::size_t q = 0; q < lambdas.size(); ++q) {
                const Eigen::Map<const Eigen::VectorXcd> u(z.data() + q * 200, 200);
                QVERIFY(std::abs(u.norm() - 1.0) < 1e-12);
                const double res = (a * u - lambdas[q] * u).norm();
                QVERIFY2(res < 1e-9, qPrintable(QString("complex %1 rank %2 pair %3: residual %4")
                                                    .arg(complex)
                                                    .arg(rank)
                                                    .arg(q)
                                                    .arg(res)));
                for (std::size_t p = 0; p < q; ++p) {
                    const Eigen::Map<const Eigen::VectorXcd> v(z.data() + p * 200, 200);
                    QVERIFY(std::abs(v.dot(u)) < 1e-8);
                }
            }
        }
}

void TestOverlap::bandedOverlapsMatchFullDecomposition_data()
{
    // Zero bulk, basis eigenvectors (the spikes' vectors are e_1..e_r): the band model.
    QTest::addColumn<Model>("m");
    const auto model = [](int n, const char* noise, const char* spikes) {
        return squareModel(n, noise, spikes, "zero", "basis");
    };
    QTest::newRow("rank one") << model(300, "gaussian", "list:3");
    QTest::newRow("three spikes, both ends") << model(300, "gaussian", "list:4,2.5,-3");
    QTest::newRow("group") << model(300, "gaussian", "list:3,3,3,1.5");
    QTest::newRow("complex rank one") << model(300, "complex", "list:2.5");
    QTest::newRow("complex") << model(300, "complex", "list:3.5,2,-2.5");
    QTest::newRow("wide band: dense path") << model(12, "gaussian", "list:4,3.5,3,2.5,2,1.5,-2,-3");
}

void TestOverlap::bandedOverlapsMatchFullDecomposition()
{
    QFETCH(Model, m);
    checkSolverMatchesReference(m, 9, true, 4, 1e-8, 4);
}

void TestOverlap::noPredictedOutliersNothingComputed()
{
    // theta = 0.5 < sigma: no cluster, so nothing is solved.
    const Model weak = squareModel(60, "gaussian", "equal:0.5", "zero", "basis");
    const OverlapSolver none(weak, computeTheory(weak, 100), 1, false);
    QCOMPARE(none.pairCount(), 0);
    const SampleOverlaps s0 = none.sample(0);
    QCOMPARE(s0.perSpike.size(), std::size_t(1));
    QVERIFY(!s0.perSpike[0]);
    QVERIFY(s0.eigenvalues.empty());
}

void TestOverlap::wholeSpectrumClusterProjectsOntoEverything()
{
    // S = 3 I (alpha = 1): one cluster of all N eigenvalues (docs/model.md). Its eigenvectors
    // span the space, so every spike's projection is 1, as predicted (no atom outside it:
    // 1 - sigma^2 Dx = 1); the per-spike pair overlap would not even be defined.
    Model m = squareModel(60, "gaussian", "equal:3", "zero", "basis");
    m.rank.isExplicit = false;
    m.rank.alpha = 1.0;
    const Theory t = computeTheory(m, 100);
    QCOMPARE(*t.outliers[0].overlapLargeRank, 1.0);
    QCOMPARE(*t.equivalent.support[0].overlapGroup, 1.0);
    const OverlapSolver solver(m, t, 1, false);
    QCOMPARE(solver.pairCount(), 60);
    const SampleOverlaps s = solver.sample(0);
    QCOMPARE(s.eigenvalues.size(), std::size_t(60));
    QCOMPARE(s.perSpike.size(), std::size_t(60));
    for (const auto& o : s.perSpike)
        QVERIFY(o && std::abs(*o - 1.0) < 1e-12);
    QVERIFY(s.perInterval[0] && std::abs(*s.perInterval[0] - 1.0) < 1e-12);
}

void TestOverlap::runIsThreadIndependent()
{
    const Model m = squareModel(150, "gaussian", "list:3,2", "uniform:-0.5,0.5", "haar");
    const Theory t = computeTheory(m, 100);
    RunOptions o = runOptions(5, 4);
    o.threads = 1;
    const OverlapRun a = runOverlaps(m, t, o);
    o.threads = 2;
    const OverlapRun b = runOverlaps(m, t, o);
    QVERIFY(a.sampler == SamplerKind::Dense);
    QCOMPARE(a.completed, 5);
    for (std::size_t k = 0; k < 5; ++k)
        for (std::size_t j = 0; j < 2; ++j)
            QCOMPARE(a.samples[k].perSpike[j], b.samples[k].perSpike[j]);
    // Cancelled before it starts: nothing completes.
    std::atomic<bool> cancel{true};
    const OverlapRun c = runOverlaps(m, t, o, &cancel);
    QVERIFY(c.cancelled);
    QCOMPARE(c.completed, 0);
}

void TestOverlap::bandedAndDenseAgreeStatistically()
{
    // Same law, different matrices: the mean overlaps of rank-one theta = 2 (prediction 0.75)
    // agree within 5 combined standard errors, and each within 5 SE of the prediction (+ 1/N).
    const Model m = squareModel(400, "gaussian", "list:2", "zero", "basis");
    const Theory t = computeTheory(m, 100);
    RunOptions o = runOptions(40, 21);
    o.sampler = SamplerChoice::Dense;
    const OverlapRun dense = runOverlaps(m, t, o);
    o.sampler = SamplerChoice::Banded;
    const OverlapRun band = runOverlaps(m, t, o);
    QVERIFY(band.sampler == SamplerKind::Banded);
    const ObservedOverlap& d = dense.observed[0];
    const ObservedOverlap& b = band.observed[0];
    QVERIFY(d.samplesPresent >= 35 && b.samplesPresent >= 35);
    const double seD = *d.sd / std::sqrt(d.samplesPresent),
                 seB = *b.sd / std::sqrt(b.samplesPresent);
    QVERIFY2(std::abs(*d.mean - *b.mean) < 5.0 * std::hypot(seD, seB),
             qPrintable(QString("dense %1 +- %2, banded %3 +- %4")
                            .arg(*d.mean)
                            .arg(seD)
                            .arg(*b.mean)
                            .arg(seB)));
    const double pred = *t.outliers[0].overlapLargeRank;
    QVERIFY(std::abs(*d.mean - pred) < 5.0 * seD + 1.0 / m.n);
    QVERIFY(std::abs(*b.mean - pred) < 5.0 * seB + 1.0 / m.n);
}

void TestOverlap::largeRankPredictionWinsWithFullRankBulk()
{
    // N = 1500, bulk uniform on [-1, 1] (S full rank), spikes 4, 2.5, 2: D_j ~ 1/(theta^2 - 1),
    // so 1 - sigma^2 D_j = 0.933, 0.81, 0.667 against 1 - 1/theta^2 = 0.9375, 0.84, 0.75.
    // Overlaps fluctuate by O(N^-1/2) per sample; the tolerances are in standard errors of the
    // mean over the samples, plus a bias allowance of 2/N for finite-N corrections.
    const Model m = squareModel(1500, "gaussian", "list:4,2.5,2", "uniform:-1,1", "basis");
    const Theory t = computeTheory(m, 200);
    RunOptions o = runOptions(16, 3);
    const OverlapRun run = runOverlaps(m, t, o);
    QCOMPARE(run.completed, 16);
    int rejected = 0;
    for (std::size_t j = 0; j < 3; ++j) {
        const ObservedOverlap& ob = run.observed[j];
        QVERIFY2(ob.samplesPresent == 16,
                 qPrintable(QString("spike %1 found in %2 samples").arg(j).arg(ob.samplesPresent)));
        const double se = *ob.sd / std::sqrt(ob.samplesPresent);
        const double large = *t.outliers[j].overlapLargeRank;
        const double finite = *t.outliers[j].overlapFiniteRank;
        const double zLarge = (*ob.mean - large) / se, zFinite = (*ob.mean - finite) / se;
        qInfo("theta %.2f: observed %.4f +- %.4f (SE), large-rank %.4f (z %.1f), finite-rank "
              "%.4f (z %.1f)",
              t.outliers[j].theta, *ob.mean, se, large, zLarge, finite, zFinite);
        // Accepted: within 4 SE (+ 2/N) for every spike (three tests: Bonferroni-safe).
        QVERIFY(std::abs(*ob.mean - large) < 4.0 * se + 2.0 / m.n);
        if (std::abs(*ob.mean - finite) > 6.0 * se + 2.0 / m.n)
            ++rejected;
    }
    // Rejected: the finite-rank overlap is off by > 6 SE for the spikes near the bulk
    // (theta = 2.5 and 2, where the two predictions differ by 0.03 and 0.08).
    QVERIFY2(rejected >= 2,
             qPrintable(QString("finite-rank rejected for %1 spikes").arg(rejected)));
}

// A refused overlap run names the largest N that fits; that N then runs and one more is refused.
void TestOverlap::memoryRefusalNamesLargestN()
{
    for (const char* eig : {"haar", "basis"}) {
        Model m = squareModel(3000, "gaussian", "list:3,2", "uniform:-0.5,0.5", eig);
        RunOptions o = runOptions(1, 3);
        o.threads = 1;
        o.sampler = SamplerChoice::Dense;
        o.memoryBudget = std::size_t{8} << 20; // 8 MiB
        QString message;
        try {
            runOverlaps(m, computeTheory(m, 100), o);
            QFAIL("expected ResourceError");
        } catch (const ResourceError& e) {
            message = QString::fromUtf8(e.what());
        }
        QVERIFY2(message.contains("8.0 MiB") && message.contains("N = 3000"), qPrintable(message));
        const auto match = QRegularExpression("largest N that fits is (\\d+)").match(message);
        QVERIFY2(match.hasMatch(), qPrintable(message));
        const int fit = match.captured(1).toInt();
        // 8 MiB: about one dense N x N matrix (three more for the Haar basis).
        QVERIFY2(fit > 150 && fit < 1100, qPrintable(message));
        m.n = fit;
        QCOMPARE(runOverlaps(m, computeTheory(m, 100), o).completed, 1);
        m.n = fit + 1;
        QVERIFY_THROWS_EXCEPTION(ResourceError, runOverlaps(m, computeTheory(m, 100), o));
    }
}
QTEST_APPLESS_MAIN(TestOverlap)
#include "tst_overlap.moc"
