// The parallel two-stage solver of the dense sampler (core/sampling/dense): the parallel bulge
// chasing gives the same bits as its serial order at 1, 2, 3 and 8 threads -- for complex bands
// LAPACK's own serial zhetrd_hb2st, for real ones the serial order of chase_kernels.cpp's tasks,
// whose SSE2 and AVX2 copies agree bit for bit and whose tridiagonal has the eigenvalues of
// LAPACK's dsytrd_sb2st to rounding, also at the ends of the floating-point range; the whole
// solve is bit-identical across thread counts and agrees with LAPACK's dsyevd / zheevd to
// rounding (a few ulps of the norm times a modest factor).
#include "core/sampling/dense/dense_kernels.h"

#include "support/tbb_threads.h"
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstring>
#include <random>
#include <type_traits>
#include <vector>

extern "C" {
void dsytrd_sb2st_(const char*, const char*, const char*, const lapack_int*, const lapack_int*,
                   double*, const lapack_int*, double*, double*, double*, const lapack_int*,
                   double*, const lapack_int*, lapack_int*, std::size_t, std::size_t, std::size_t);
void zhetrd_hb2st_(const char*, const char*, const char*, const lapack_int*, const lapack_int*,
                   std::complex<double>*, const lapack_int*, double*, double*,
                   std::complex<double>*, const lapack_int*, std::complex<double>*,
                   const lapack_int*, lapack_int*, std::size_t, std::size_t, std::size_t);
}

using namespace ws::core::dense;

namespace {

const int kThreads[] = {1, 2, 3, 8};

double draw(std::mt19937_64& g, double)
{
    return std::normal_distribution<double>()(g);
}
cplx draw(std::mt19937_64& g, cplx)
{
    std::normal_distribution<double> z;
    return {z(g), z(g)};
}

// Random Hermitian n x n (lower triangle, real diagonal), column-major.
template <class T> std::vector<T> randomHermitian(int n, unsigned seed)
{
    std::mt19937_64 g(seed);
    std::vector<T> a(static_cast<std::size_t>(n) * static_cast<std::size_t>(n), T(0.0));
    for (int j = 0; j < n; ++j)
        for (int i = j; i < n; ++i)
            a[at(i, j, n)] = i == j ? T(std::real(draw(g, T()))) : draw(g, T());
    return a;
}

// The band (lower storage, ldab = kd + 1) of a random Hermitian matrix of half-width kd.
template <class T> std::vector<T> randomBand(int n, int kd, unsigned seed)
{
    std::mt19937_64 g(seed);
    std::vector<T> ab(static_cast<std::size_t>(kd + 1) * static_cast<std::size_t>(n), T(0.0));
    for (int j = 0; j < n; ++j)
        for (int r = 0; r <= kd && j + r < n; ++r)
            ab[at(r, j, kd + 1)] = r == 0 ? T(std::real(draw(g, T()))) : draw(g, T());
    return ab;
}

// LAPACK's band-to-tridiagonal reduction (dsytrd_sb2st / zhetrd_hb2st, values only) of the
// lower band `ab`: the reference the kernel must equal bit for bit.
template <class T>
void lapackBandToTridiagonal(int n, int kd, std::vector<T> ab, std::vector<double>& d,
                             std::vector<double>& e)
{
    lapack_int nn = n, kk = kd, ld = kd + 1, info = 0, lh = -1, lw = -1;
    auto reduce = [&](T* hous, T* work) {
        if constexpr (std::is_same_v<T, double>)
            dsytrd_sb2st_("N", "N", "L", &nn, &kk, ab.data(), &ld, d.data(), e.data(), hous, &lh,
                          work, &lw, &info, 1, 1, 1);
        else
            zhetrd_hb2st_("N", "N", "L", &nn, &kk, ab.data(), &ld, d.data(), e.data(), hous, &lh,
                          work, &lw, &info, 1, 1, 1);
    };
    T hq{}, wq{};
    reduce(&hq, &wq); // workspace query: the sizes come back in hq and wq
    lh = static_cast<lapack_int>(std::real(hq));
    lw = static_cast<lapack_int>(std::real(wq));
    std::vector<T> hous(static_cast<std::size_t>(lh)), work(static_cast<std::size_t>(lw));
    reduce(hous.data(), work.data());
    QCOMPARE(info, 0);
}

bool sameBits(const std::vector<double>& a, const std::vector<double>& b)
{
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

extern "C" void dsterf_(const lapack_int* n, double* d, double* e, lapack_int* info);

std::vector<double> tridiagonalEigenvalues(std::vector<double> d, std::vector<double> e)
{
    const lapack_int n = static_cast<lapack_int>(d.size());
    lapack_int info = 0;
    dsterf_(&n, d.data(), e.data(), &info);
    return info == 0 ? d : std::vector<double>();
}

// Real bands: the parallel chase equals the serial order bit for bit at every thread count, the
// portable copy of the task equals the AVX2 one, and the eigenvalues equal those of LAPACK's
// tridiagonal to rounding -- also for bands scaled to the ends of the range, where the
// reflectors' norms must not overflow or underflow (dlarfg's rescaling).
void checkBulgeChaseReal()
{
    for (int n : {3, 4, 33, 65, 97, 200, 301})
        for (int kd : {2, 5, 32})
            for (double scale : {1.0, 1e-300, 1e300}) {
                if (kd >= n)
                    continue;
                auto ab = randomBand<double>(n, kd, static_cast<unsigned>(n * 100 + kd));
                for (double& x : ab)
                    x *= scale;
                const QString what = QString("n = %1, kd = %2, scale %3").arg(n).arg(kd).arg(scale);
                std::vector<double> d0(static_cast<std::size_t>(n)),
                    e0(static_cast<std::size_t>(n - 1)), dp(d0.size()), ep(e0.size());
                bandToTridiagonal(n, kd, ab.data(), d0.data(), e0.data(), {.serial = true});
                bandToTridiagonal(n, kd, ab.data(), dp.data(), ep.data(),
                                  {.serial = true, .portable = true});
                QVERIFY2(sameBits(dp, d0) && sameBits(ep, e0),
                         qPrintable(what + ": the portable task differs from the AVX2 one"));
                for (int threads : kThreads) {
                    std::vector<double> d(d0.size()), e(e0.size());
                    testsupport::withTbbThreads(
                        threads, [&] { bandToTridiagonal(n, kd, ab.data(), d.data(), e.data()); });
                    QVERIFY2(sameBits(d, d0) && sameBits(e, e0),
                             qPrintable(what + QString(", %1 threads: not the serial order's bits")
                                                   .arg(threads)));
                }
                std::vector<double> dl(d0.size()), el(e0.size());
                lapackBandToTridiagonal(n, kd, ab, dl, el);
                const auto ours = tridiagonalEigenvalues(d0, e0);
                const auto ref = tridiagonalEigenvalues(dl, el);
                QCOMPARE(ours.size(), ref.size());
                const double norm = std::max(std::abs(ref.front()), std::abs(ref.back()));
                QVERIFY(std::isfinite(norm) && norm > 0.0);
                double worst = 0.0;
                for (std::size_t i = 0; i < ref.size(); ++i)
                    worst = std::max(worst, std::abs(ours[i] - ref[i]) / norm);
                // both backward stable: differences of order n eps ||B||
                QVERIFY2(worst <= 1e-13,
                         qPrintable(what + QString(": %1 x norm from LAPACK's").arg(worst)));
            }
}

// Complex bands: LAPACK's tasks, so the parallel chase has zhetrd_hb2st's bits exactly.
template <class T> void checkBulgeChase()
{
    for (int n : {3, 4, 33, 65, 97, 200, 301})
        for (int kd : {2, 5, 32}) {
            if (kd >= n)
                continue;
            const auto ab = randomBand<T>(n, kd, static_cast<unsigned>(n * 100 + kd));
            std::vector<double> d0(static_cast<std::size_t>(n)),
                e0(static_cast<std::size_t>(n - 1));
            lapackBandToTridiagonal(n, kd, ab, d0, e0);
            for (int threads : kThreads) {
                std::vector<double> d(d0.size()), e(e0.size());
                testsupport::withTbbThreads(
                    threads, [&] { bandToTridiagonal(n, kd, ab.data(), d.data(), e.data()); });
                QVERIFY2(sameBits(d, d0) && sameBits(e, e0),
                         qPrintable(QString("n = %1, kd = %2, %3 threads: not LAPACK's bits")
                                        .arg(n)
                                        .arg(kd)
                                        .arg(threads)));
            }
        }
}

// LAPACK's eigenvalues (dsyevd / zheevd) of the n x n matrix a (column-major, lower triangle
// read); empty if LAPACK fails.
template <class T> std::vector<double> lapackEigenvalues(int n, std::vector<T> a)
{
    std::vector<double> w(static_cast<std::size_t>(n));
    lapack_int info = 0;
    if constexpr (std::is_same_v<T, double>)
        info = LAPACKE_dsyevd(LAPACK_COL_MAJOR, 'N', 'L', n, a.data(), n, w.data());
    else
        info = LAPACKE_zheevd(LAPACK_COL_MAJOR, 'N', 'L', n, a.data(), n, w.data());
    if (info != 0)
        return {};
    return w;
}

template <class T> void checkSolve(int n)
{
    const auto a = randomHermitian<T>(n, static_cast<unsigned>(n));
    const auto ref = lapackEigenvalues(n, a);
    QCOMPARE(ref.size(), static_cast<std::size_t>(n));
    const double norm = std::max(std::abs(ref.front()), std::abs(ref.back()));
    std::vector<double> first;
    for (int threads : kThreads) {
        auto work = a;
        std::vector<double> ev;
        testsupport::withTbbThreads(threads,
                                    [&] { ev = solveParallelTwoStage(n, work.data(), nullptr); });
        QCOMPARE(ev.size(), ref.size());
        double worst = 0.0;
        for (std::size_t i = 0; i < ev.size(); ++i)
            worst = std::max(worst, std::abs(ev[i] - ref[i]));
        // Backward-stable solvers: differences of order n eps ||H||; 1e-13 ||H|| at n <= 500.
        QVERIFY2(worst <= 1e-13 * norm,
                 qPrintable(QString("n = %1, %2 threads: %3 x norm from dsyevd")
                                .arg(n)
                                .arg(threads)
                                .arg(worst / norm)));
        if (first.empty())
            first = ev;
        else
            QVERIFY2(sameBits(ev, first),
                     qPrintable(QString("n = %1: %2 threads differ from 1").arg(n).arg(threads)));
    }
}

} // namespace

class TestDenseSolver : public QObject
{
    Q_OBJECT

private slots:
    // Results must not depend on BLAS threads either (the samplers pin them, pinBlasToOneThread).
    void initTestCase() { openblas_set_num_threads(1); }
    void bulgeChaseReal() { checkBulgeChaseReal(); }
    void bulgeChaseMatchesLapackComplex() { checkBulgeChase<cplx>(); }
    void solveReal()
    {
        for (int n : {2, 3, 40, 129, 500})
            checkSolve<double>(n);
    }
    void solveComplex()
    {
        for (int n : {2, 3, 40, 129, 300})
            checkSolve<cplx>(n);
    }
};

QTEST_APPLESS_MAIN(TestDenseSolver)
#include "tst_dense_solver.moc"
