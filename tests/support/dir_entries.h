#pragma once
// What a folder holds after a test wrote (or refused to write) into it: every entry, hidden ones
// included, so that a temporary left behind by an interrupted or failed write shows. Header-only
// (QtCore).

#include <QDir>
#include <QString>
#include <QStringList>

namespace ws::test {

inline QStringList dirEntries(const QString& dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
}

} // namespace ws::test
