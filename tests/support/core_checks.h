#pragma once
// Checks the core tests share: an exact comparison of observed outliers (a sweep point or an
// animation frame against the single run it must equal), "this call throws an InputError
// whose message starts with ...", and the message a call throws.
#include "core/model/families.h"
#include "core/outliers/outliers.h"

#include <QString>
#include <QtTest>

#include <string>
#include <vector>

namespace testsupport {

// Every observed field equal (exact double comparison).
inline void compareObserved(const std::vector<ws::core::ObservedOutlier>& a,
                            const std::vector<ws::core::ObservedOutlier>& b)
{
    QCOMPARE(a.size(), b.size());
    for (std::size_t j = 0; j < a.size(); ++j) {
        QCOMPARE(a[j].mean, b[j].mean);
        QCOMPARE(a[j].sd, b[j].sd);
        QCOMPARE(a[j].samplesPresent, b[j].samplesPresent);
        QCOMPARE(a[j].groupSize, b[j].groupSize);
    }
}

// The message of the E that f() throws, or "" if it throws none (any other exception escapes).
template <class E = ws::core::InputError, class F> std::string errorMessage(F f)
{
    try {
        f();
    } catch (const E& e) {
        return e.what();
    }
    return {};
}

// f() throws ws::core::InputError with a message that starts with `start`.
template <class F> void expectInputError(F f, const char* start)
{
    try {
        f();
        QFAIL(qPrintable(QString("no error, expected '%1...'").arg(start)));
    } catch (const ws::core::InputError& e) {
        QVERIFY2(std::string(e.what()).rfind(start, 0) == 0, e.what());
    }
}

} // namespace testsupport
