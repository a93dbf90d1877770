#include "ui/widgets/autosaver.h"

#include "ui/widgets/datadirs.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTimer>

namespace ws::ui {

Autosaver::Autosaver(Save save, QObject* parent)
    : QObject(parent), m_save(std::move(save)), m_timer(new QTimer(this)),
      m_lastChange(QDateTime::currentDateTimeUtc())
{
    m_timer->setSingleShot(true);
    m_timer->setInterval(1000);
    connect(m_timer, &QTimer::timeout, this, &Autosaver::saveNow);
}

QString Autosaver::path()
{
    return userDataDir() + "/last-session.json";
}

void Autosaver::schedule()
{
    m_lastChange = QDateTime::currentDateTimeUtc();
    if (!m_timer->isActive())
        m_since.start();
    if (m_since.isValid() && m_since.elapsed() > 5 * m_timer->interval()) {
        saveNow();
        return;
    }
    m_timer->start();
}

void Autosaver::saveNow()
{
    stop();
    const QString file = path();
    const QFileInfo before(file);
    if (before.exists()) {
        const QDateTime stamp = before.lastModified().toUTC();
        if (stamp != m_ownStamp && stamp > m_lastChange) {
            // Written by someone else since, after this window's last change: newer than what
            // this window would write. (The next change here makes this window's state newest.)
            emit kept(file, tr("another Wignerscope window saved a newer session at %1; it was "
                               "kept (this window's changes are older)")
                                .arg(stamp.toLocalTime().toString("HH:mm:ss")));
            return;
        }
    }
    QDir().mkpath(QFileInfo(file).absolutePath());
    QString error;
    const bool ok = m_save(file, &error);
    if (ok)
        m_ownStamp = QFileInfo(file).lastModified().toUTC();
    emit saved(file, ok, error);
}

void Autosaver::adopt()
{
    const QFileInfo info(path());
    m_ownStamp = info.exists() ? info.lastModified().toUTC() : QDateTime();
}

void Autosaver::stop()
{
    m_timer->stop();
    m_since.invalidate();
}

int Autosaver::delay() const
{
    return m_timer->interval();
}

void Autosaver::setDelay(int ms)
{
    m_timer->setInterval(ms);
}

bool Autosaver::pending() const
{
    return m_timer->isActive();
}

} // namespace ws::ui
