#include "ui/widgets/crashguard.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace ws::ui {

CrashGuard::CrashGuard(QString sessionPath) : m_session(std::move(sessionPath)) {}

QString CrashGuard::markerPath() const
{
    return m_session + ".running";
}

bool CrashGuard::armed() const
{
    return QFileInfo::exists(markerPath());
}

QString CrashGuard::setAside(const QString& prefix)
{
    const QFileInfo info(m_session);
    if (!info.exists() && !info.isSymLink())
        return {};
    const QString stamp = QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss");
    QString target = info.absolutePath() + "/" + prefix + "-" + stamp + ".json";
    for (int k = 2; QFileInfo::exists(target); ++k) // several in one second
        target =
            info.absolutePath() + "/" + prefix + "-" + stamp + "-" + QString::number(k) + ".json";
    // A rename: whatever the file is (even a FIFO) it is moved, never opened.
    return QFile::rename(m_session, target) ? target : QString();
}

QString CrashGuard::setAsideIfUnshown()
{
    if (!armed())
        return {};
    const QString moved = setAside("crashed-session");
    disarm();
    return moved;
}

QString CrashGuard::setAsideUnreadable()
{
    return setAside("unreadable-session");
}

void CrashGuard::arm()
{
    QDir().mkpath(QFileInfo(markerPath()).absolutePath());
    QFile marker(markerPath());
    if (marker.open(QIODevice::WriteOnly | QIODevice::Truncate))
        marker.write("the session next to this file has not been shown yet\n");
}

void CrashGuard::disarm()
{
    QFile::remove(markerPath());
}

} // namespace ws::ui
