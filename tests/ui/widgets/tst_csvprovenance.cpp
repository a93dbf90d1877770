// Every CSV names where it came from (core/io/provenance.h), and the app's eigenvalue CSV for a
// model equals `wignerscope-cli sample --eigenvalues` for the same model and seed byte for byte:
// the rows (the same column names, the same number format) and, with the date fixed by
// SOURCE_DATE_EPOCH, the comment lines too.
#include "support/gui_fixture.h"
#include "ui/jobs/controller.h"
#include "ui/widgets/mainwindow.h"

#include "core/io/provenance.h"
#include "core/model/families.h"
#include "support/run_waits.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace ws;

namespace {

// The lines after the leading "# ..." ones.
QByteArray rows(const QByteArray& csv)
{
    QByteArray t = csv;
    while (t.startsWith('#'))
        t = t.mid(t.indexOf('\n') + 1);
    return t;
}

} // namespace

class TestCsvProvenance : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void appCsvEqualsCliCsv_data();
    void appCsvEqualsCliCsv();
    void dateIsIso8601Utc();

private:
    test::DataDirFixture m_dir;
};

void TestCsvProvenance::initTestCase()
{
    QVERIFY(m_dir.setUp());
    qputenv("SOURCE_DATE_EPOCH", "1796515200"); // 2026-12-06T00:00:00Z
}

void TestCsvProvenance::appCsvEqualsCliCsv_data()
{
    QTest::addColumn<QStringList>("model");
    QTest::newRow("rank one") << QStringList{"--n", "90", "--rank", "1", "--spikes", "equal:2.5"};
    QTest::newRow("growing rank, bulk, rademacher")
        << QStringList{"--n",        "120",    "--alpha",      "0.4",     "--spikes",
                       "linear:1,3", "--bulk", "uniform:-1,1", "--noise", "rademacher"};
}

void TestCsvProvenance::appCsvEqualsCliCsv()
{
    QFETCH(QStringList, model);
    core::Session s;
    for (qsizetype i = 0; i + 1 < model.size(); i += 2) {
        const std::string k = model[i].toStdString(), v = model[i + 1].toStdString();
        if (k == "--n")
            s.model.n = std::stoi(v);
        else if (k == "--rank")
            s.model.rank = core::RankRule{true, 0.0, std::stoi(v)};
        else if (k == "--alpha")
            s.model.rank = core::RankRule{false, std::stod(v), 1};
        else if (k == "--spikes")
            s.model.spikes = core::parseSpikes(v);
        else if (k == "--bulk")
            s.model.bulk = core::parseBulk(v);
        else if (k == "--noise")
            s.model.noise = core::parseNoise(v);
    }
    s.samples = 3;
    s.seed = 41;
    ui::MainWindow w(ui::MainWindow::Options{false, false});
    w.applySession(s);
    QVERIFY(test::waitRunEnded(w, 120000));
    const QString app = m_dir.filePath(QString("app-%1.csv").arg(QTest::currentDataTag()));
    QString error;
    QVERIFY2(w.exportCsv(app, ui::MainWindow::CsvKind::Eigenvalues, &error), qPrintable(error));

    const QString cli = m_dir.filePath(QString("cli-%1.csv").arg(QTest::currentDataTag()));
    QProcess p;
    p.start(WS_CLI_PATH, QStringList{"sample"} + model +
                             QStringList{"--samples", "3", "--seed", "41", "--eigenvalues", cli});
    QVERIFY(p.waitForFinished(120000));
    QCOMPARE(p.exitCode(), 0);

    const QByteArray a = test::readAll(app), c = test::readAll(cli);
    QVERIFY(rows(a).startsWith("sample,index,value\n"));
    QCOMPARE(rows(a).count('\n'), 1 + 3 * s.model.n);
    QCOMPARE(rows(a), rows(c)); // the table, byte for byte
    QCOMPARE(a, c);             // and the comment lines, the date being fixed
    QVERIFY(a.startsWith("# wignerscope " WS_VERSION "\n# model: " +
                         QByteArray::fromStdString(core::modelArguments(s.model)) +
                         "\n# seed: 41\n# samples: 3\n# date: 2026-12-06T00:00:00Z\n"));
}

void TestCsvProvenance::dateIsIso8601Utc()
{
    QCOMPARE(core::isoUtc(0), std::string("1970-01-01T00:00:00Z"));
    QCOMPARE(core::isoUtc(951782400), std::string("2000-02-29T00:00:00Z"));
    QCOMPARE(core::isoUtc(1796558833), std::string("2026-12-06T12:07:13Z"));
    QCOMPARE(core::provenanceTime("86399"), std::int64_t{86399});
    // Not an integer: now (after 2026).
    QVERIFY(core::provenanceTime("soon") > 1796515200 - 86400 * 365);
    QVERIFY(core::provenanceTime(nullptr) > 1796515200 - 86400 * 365);
}

QTEST_MAIN(TestCsvProvenance)
#include "tst_csvprovenance.moc"
