#include "ui/widgets/datadirs.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include <map>

namespace ws::ui {

QString userDataDir()
{
    return qEnvironmentVariableIsEmpty("WIGNERSCOPE_DATA_DIR")
               ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
               : qEnvironmentVariable("WIGNERSCOPE_DATA_DIR");
}

QStringList dataFiles(const QString& kind)
{
    const QString installed =
        QCoreApplication::applicationDirPath() + "/../share/wignerscope/" + kind;
    const QString builtIn = ":/" + kind;
    std::map<QString, QString> byStem; // stem -> file
    QStringList order;                 // stems, built-in ones first
    for (const QString& dir : {builtIn, installed, userDataDir() + "/" + kind}) {
        const QFileInfoList files =
            QDir(dir).entryInfoList({"*.json"}, QDir::Files | QDir::Readable, QDir::Name);
        for (const QFileInfo& f : files) {
            const QString stem = f.completeBaseName();
            const bool known = byStem.count(stem) > 0;
            if (known && dir == installed)
                continue; // an installed copy of a built-in file
            if (!known)
                order << stem;
            byStem[stem] = f.filePath();
        }
    }
    QStringList out;
    for (const QString& stem : order)
        out << byStem[stem];
    return out;
}

} // namespace ws::ui
