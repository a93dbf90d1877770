#pragma once
// Debounced autosave of the session: every change (schedule()) starts a countdown of delay() ms
// that the next change restarts, so a burst of changes is written once; a continuous stream of
// changes (an animation, a long drag) is still written at least every 5 delays. The writing is
// the owner's `save` callback, which must be atomic (QSaveFile): a crash or a kill at any moment
// leaves the previous or the new file.

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
    void saveNow();  // writes at once (creating the directory), cancelling the countdown
    void stop();     // cancels the countdown without writing
    int delay() const;
    void setDelay(int ms); // restarts a pending countdown with the new delay
    bool pending() const;

signals:
    void saved(const QString& path, bool ok, const QString& error);

private:
    Save m_save;
    QTimer* m_timer;
    QElapsedTimer m_since; // the oldest unsaved change
};

} // namespace ws::ui
