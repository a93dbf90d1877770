// Sizes for people (core/util/bytes.h): each style's units, thresholds and digits.
#include "core/util/bytes.h"

#include <QtTest>

#include <string>

using namespace ws::core;

class TestBytes : public QObject
{
    Q_OBJECT
private slots:
    void fixed();
    void fixedFromMiB();
    void significant();
};

void TestBytes::fixed()
{
    QCOMPARE(formatBytes(0), std::string("0 B"));
    QCOMPARE(formatBytes(512), std::string("512 B"));
    QCOMPARE(formatBytes(1023), std::string("1023 B"));
    QCOMPARE(formatBytes(1024), std::string("1.0 KiB"));
    QCOMPARE(formatBytes(3.2 * 1024), std::string("3.2 KiB"));
    QCOMPARE(formatBytes(1024.0 * 1024 - 1), std::string("1024.0 KiB")); // rounds, stays KiB
    QCOMPARE(formatBytes(1024.0 * 1024), std::string("1.0 MiB"));
    QCOMPARE(formatBytes(15.3 * 1024 * 1024), std::string("15.3 MiB"));
    QCOMPARE(formatBytes(2.0 * 1024 * 1024 * 1024), std::string("2.00 GiB"));
    QCOMPARE(formatBytes(5000.0 * 1024 * 1024 * 1024), std::string("5000.00 GiB"));
}

void TestBytes::fixedFromMiB()
{
    // The runner's memory refusal: "needs about 198.4 MiB ... the budget is 1.0 MiB".
    QCOMPARE(formatBytes(100, ByteStyle::FixedFromMiB), std::string("0.0 MiB"));
    QCOMPARE(formatBytes(1024.0 * 1024, ByteStyle::FixedFromMiB), std::string("1.0 MiB"));
    QCOMPARE(formatBytes(198.4 * 1024 * 1024, ByteStyle::FixedFromMiB), std::string("198.4 MiB"));
    QCOMPARE(formatBytes(1024.0 * 1024 * 1024, ByteStyle::FixedFromMiB), std::string("1.00 GiB"));
}

void TestBytes::significant()
{
    QCOMPARE(formatBytes(512, ByteStyle::Significant), std::string("512 bytes"));
    QCOMPARE(formatBytes(1023, ByteStyle::Significant), std::string("1023 bytes"));
    QCOMPARE(formatBytes(1536, ByteStyle::Significant), std::string("1.5 KiB"));
    QCOMPARE(formatBytes(198.4 * 1024 * 1024, ByteStyle::Significant), std::string("198 MiB"));
    QCOMPARE(formatBytes(1024.0 * 1024 * 1024 * 1024, ByteStyle::Significant),
             std::string("1 TiB"));
    // Nothing beyond EiB: 16 EiB (2^64) stays in EiB.
    QCOMPARE(formatBytes(18446744073709551616.0, ByteStyle::Significant), std::string("16 EiB"));
    QCOMPARE(formatBytes(1e22, ByteStyle::Significant), std::string("8.67e+03 EiB"));
}

QTEST_APPLESS_MAIN(TestBytes)
#include "tst_bytes.moc"
