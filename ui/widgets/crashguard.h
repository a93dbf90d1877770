#pragma once
// Keeps a session that crashed the app from being restored silently at every start. A marker
// file next to the last session ("last-session.json.running") says "this session has not been
// shown yet": it is written before the last session is restored (and before an autosave writes
// a session whose run has not shown a frame yet) and removed once the window has drawn the
// run's first samples (or the run has ended, well or with an error) and on a clean exit. If the
// app dies in between -- a crash in that session, or a kill -- the marker is still there at the
// next start: the last session is then moved aside under a name of its own, which the user can
// open (File > Open session), and the app starts fresh, saying so.

#include <QString>

namespace ws::ui {

class CrashGuard
{
public:
    // `sessionPath`: the last session file (MainWindow::lastSessionPath()).
    explicit CrashGuard(QString sessionPath);

    QString markerPath() const;
    bool armed() const; // the marker exists

    // At start, before restoring: when the marker is there and so is the session, moves the
    // session to "crashed-session-YYYYMMDD-HHMMSS.json" in the same directory, removes the
    // marker and returns the new path; otherwise returns an empty string.
    QString setAsideIfUnshown();
    // Moves the session aside as "unreadable-session-....json" (it could not be restored, e.g.
    // written by a newer version): the next autosave must not replace it unseen. Returns the
    // new path, or an empty string if it could not be moved.
    QString setAsideUnreadable();

    void arm();    // writes the marker (creating the directory)
    void disarm(); // removes it

private:
    QString setAside(const QString& prefix);
    QString m_session;
};

} // namespace ws::ui
