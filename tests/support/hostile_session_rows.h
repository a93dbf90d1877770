#pragma once
// The hostile session files (hostile_sessions.h) as the rows of a data-driven Qt test, one per
// file: "contents" (the bytes; invalid UTF-8 stays invalid) and "names" (what the message must
// name). Header-only: ws_test_support has no Qt.

#include "support/hostile_sessions.h"

#include <QByteArray>
#include <QString>
#include <QtTest>

namespace ws::testing {

inline void addHostileSessionRows()
{
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<QString>("names");
    for (const auto& h : hostileSessions())
        QTest::newRow(h.name.c_str())
            << QByteArray(h.contents.data(), static_cast<qsizetype>(h.contents.size()))
            << QString::fromStdString(h.names);
}

} // namespace ws::testing
