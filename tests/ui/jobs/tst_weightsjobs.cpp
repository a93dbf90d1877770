// The Real-weights jobs (ui/jobs/weightsjob.h) on a JobRunner, as the view runs them: a load
// delivers the matrix, its singular values and fit; failures arrive as values with their kind;
// a cancelled load is final at once and delivers nothing; the pruned export writes exactly
// pruneTopK's matrix.
#include "support/job_waits.h"
#include "support/model_files.h"
#include "ui/jobs/weightsjob.h"

#include "core/model/families.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <random>

using namespace ws;
using ui::JobError;
using ui::JobRunner;

using ws::testing::noisePlusLowRank;

namespace {

struct Spies
{
    explicit Spies(JobRunner& r)
        : progress(&r, &JobRunner::progress), finished(&r, &JobRunner::finished),
          failed(&r, &JobRunner::failed), cancelled(&r, &JobRunner::cancelled),
          idle(&r, &JobRunner::workersIdle)
    {
    }
    int terminals() const
    {
        return static_cast<int>(finished.count() + failed.count() + cancelled.count());
    }
    QSignalSpy progress, finished, failed, cancelled, idle;
};

} // namespace

class TestWeightsJobs : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void loadDeliversMatrixAndFit();
    void failuresAreValues();
    void cancelledLoadDeliversNothing();
    void exportWritesPrunedMatrix();

private:
    QString rank3();
    QTemporaryDir m_dir;
};

void TestWeightsJobs::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

QString TestWeightsJobs::rank3()
{
    const QString path = m_dir.filePath("rank3.npy");
    if (!QFileInfo::exists(path))
        core::writeNpy(ui::localPath(path), 300, 200,
                       noisePlusLowRank(300, 200, 1.3, {6.0, 8.0, 11.0}));
    return path;
}

void TestWeightsJobs::loadDeliversMatrixAndFit()
{
    JobRunner r;
    Spies s(r);
    std::shared_ptr<const ui::WeightsData> got;
    const quint64 gen = r.start(ui::loadWeightsJob(
        {rank3(), {}, 0}, [&](std::shared_ptr<const ui::WeightsData> d) { got = std::move(d); }));
    QVERIFY(s.finished.wait(30000));
    QCOMPARE(s.finished.at(0).at(0).toULongLong(), gen);
    QCOMPARE(s.terminals(), 1);
    QVERIFY(got); // delivered before the terminal signal
    QCOMPARE(got->rows, 300);
    QCOMPARE(got->cols, 200);
    QCOMPARE(got->p(), 200);
    QCOMPARE(got->fit.above, 3);
    QVERIFY2(std::abs(got->fit.sigma - 1.3) < 0.03 * 1.3,
             qPrintable(QString::number(got->fit.sigma)));
    QVERIFY(std::is_sorted(got->singular.rbegin(), got->singular.rend()));
    QVERIFY(s.progress.count() >= 1);
    QCOMPARE(s.progress.back().at(1).toDouble(), 1.0);
}

void TestWeightsJobs::failuresAreValues()
{
    const QString csv = m_dir.filePath("bad.csv");
    {
        QFile f(csv);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("1,2,3\n4,five,6\n");
    }
    struct Case
    {
        ui::WeightsSource source;
        JobError::Kind kind;
        QString says;
    };
    const Case cases[] = {
        {{csv, {}, 0}, JobError::Kind::Input, "bad.csv"},
        {{m_dir.filePath("missing.npy"), {}, 0}, JobError::Kind::Input, "missing.npy"},
        {{rank3(), {}, 1024}, JobError::Kind::Resource, "memory"}, // a 1 KiB budget
    };
    for (const Case& c : cases) {
        JobRunner r;
        Spies s(r);
        bool delivered = false;
        r.start(ui::loadWeightsJob(
            c.source, [&](std::shared_ptr<const ui::WeightsData>) { delivered = true; }));
        QVERIFY(s.failed.wait(30000));
        const auto e = s.failed.at(0).at(1).value<JobError>();
        QCOMPARE(ui::toString(e.kind), ui::toString(c.kind));
        QVERIFY2(e.message.contains(c.says), qPrintable(e.message));
        QVERIFY(test::waitWorkersIdle(r, s.idle));
        QCOMPARE(s.terminals(), 1);
        QVERIFY(!delivered);
    }
}

// A 1500 x 2000 float32 file (12 MB): cancelled once its progress has begun, the load is final
// at once, and neither the matrix nor a failure arrives afterwards.
void TestWeightsJobs::cancelledLoadDeliversNothing()
{
    const QString big = m_dir.filePath("big.npy");
    {
        std::vector<double> w(1500 * 2000);
        std::mt19937 rng(5);
        std::uniform_real_distribution<double> u(-1.0, 1.0);
        for (double& x : w)
            x = u(rng);
        core::writeNpy(ui::localPath(big), 1500, 2000, w);
    }
    JobRunner r;
    Spies s(r);
    bool delivered = false;
    r.start(ui::loadWeightsJob({big, {}, 0},
                               [&](std::shared_ptr<const ui::WeightsData>) { delivered = true; }));
    QVERIFY(s.progress.wait(30000));
    r.cancel();
    QCOMPARE(s.cancelled.count(), 1);
    QCOMPARE(s.terminals(), 1);
    QVERIFY(!r.isRunning());
    const qsizetype progress = s.progress.count();
    QVERIFY(test::waitWorkersIdle(r, s.idle));
    QCOMPARE(s.terminals(), 1);
    QCOMPARE(s.progress.count(), progress);
    QVERIFY(!delivered);
}

void TestWeightsJobs::exportWritesPrunedMatrix()
{
    JobRunner r;
    Spies s(r);
    std::shared_ptr<const ui::WeightsData> d;
    r.start(ui::loadWeightsJob(
        {rank3(), {}, 0}, [&](std::shared_ptr<const ui::WeightsData> x) { d = std::move(x); }));
    QVERIFY(s.finished.wait(30000));
    QVERIFY(d);
    const QString out = m_dir.filePath("pruned.npy");
    bool saved = false;
    r.start(ui::exportPrunedJob(d, 5, out, [&] { saved = true; }));
    QVERIFY(s.finished.wait(30000));
    QVERIFY(saved);
    const core::WeightsMatrix back = core::readWeights(ui::localPath(out));
    const core::PruneResult expected = core::pruneTopK(d->rows, d->cols, *d->values, 5);
    QCOMPARE(back.rows, 300);
    QCOMPARE(back.cols, 200);
    QVERIFY(back.values == expected.lowRank);
    // An unwritable target fails as a value, and no file appears.
    saved = false;
    const QString bad = m_dir.filePath("no/such/dir/pruned.npy");
    r.start(ui::exportPrunedJob(d, 5, bad, [&] { saved = true; }));
    QVERIFY(s.failed.wait(30000));
    QVERIFY(!saved);
    QVERIFY(!QFileInfo::exists(bad));
    // Nothing loaded: refused on the worker, not a crash.
    r.start(ui::exportPrunedJob(nullptr, 5, out, [&] { saved = true; }));
    QVERIFY(s.failed.wait(30000));
    QCOMPARE(ui::toString(s.failed.back().at(1).value<JobError>().kind), QString("Input"));
    QVERIFY(test::waitWorkersIdle(r, s.idle));
    QCOMPARE(s.terminals(), 4);
}

QTEST_GUILESS_MAIN(TestWeightsJobs)
#include "tst_weightsjobs.moc"
