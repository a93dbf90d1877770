#pragma once
// Debounced autosave of the session: every change (schedule()) starts a countdown of delay() ms
// that the next change restarts, so a burst of changes is written once; a continuous stream of
// changes (an animation, a long drag) is still written at least every 5 delays. The writing is
// the owner's `save` callback, which must be atomic (QSaveFile): a crash or a kill at any moment
// leaves the previous or the new file.

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <functional>

class QTimer;

namespace ws::ui {

class Autosaver : public QObject
{
    Q_OBJECT
public:
    // Writes the session to `path`; false with the reason in `error` on failure.
    using Save = std::function<bool(const QString& path, QString* error)>;

    Autosaver(Save save, QObject* parent);

    // $WIGNERSCOPE_DATA_DIR/last-session.json if that variable is set (tests point it at a
    // temporary directory), else last-session.json in the AppDataLocation.
    static QString path();

    void schedule(); // a change
    // Writes at once (creating the directory), cancelling the countdown -- unless another window
    // (another process) has saved a session there since this one last wrote or read it, later
    // than this window's last change: that newer session is kept, and kept() says so.
    void saveNow();
    void stop(); // cancels the countdown without writing
    // The file as it is now is this window's own (it was just restored from it).
    void adopt();
    int delay() const;
    void setDelay(int ms); // restarts a pending countdown with the new delay
    bool pending() const;

signals:
    void saved(const QString& path, bool ok, const QString& error);
    // Not written: `reason` names the newer session that was kept.
    void kept(const QString& path, const QString& reason);

private:
    Save m_save;
    QTimer* m_timer;
    QElapsedTimer m_since;  // the oldest unsaved change
    QDateTime m_lastChange; // wall clock of the latest change (or of the construction)
    QDateTime m_ownStamp;   // the file's modification time after this window wrote or read it
};

} // namespace ws::ui
