#include "ui/widgets/autosaver.h"

#include "ui/widgets/datadirs.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTimer>

namespace ws::ui {

Autosaver::Autosaver(Save save, QObject* parent)
    : QObject(parent), m_save(std::move(save)), m_timer(new QTimer(this))
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
    QDir().mkpath(QFileInfo(file).absolutePath());
    QString error;
    const bool ok = m_save(file, &error);
    emit saved(file, ok, error);
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
