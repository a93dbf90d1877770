#pragma once
// A background job's progress bar (0..1000, no text) with its Cancel button, side by side: the
// views that run jobs show the same pair and drive it the same way. The bar is shown while a job
// runs and afterwards while it has a value (a finished or cancelled job's); an empty idle bar
// is hidden, its room kept.

#include <QWidget>

class QProgressBar;
class QPushButton;

namespace ws::ui {

class ProgressStrip : public QWidget
{
    Q_OBJECT
public:
    explicit ProgressStrip(int barWidth, QWidget* parent = nullptr);

    // A job starts: the bar at 0, Cancel enabled.
    void start();
    // Cancel enabled while busy; the bar keeps its value. With hiddenWhenIdle the strip is shown
    // only while busy.
    void setBusy(bool busy);
    void setHiddenWhenIdle(bool hidden);
    void setFraction(double f); // 0..1
    void setBarToolTip(const QString& tip);
    void setCancelToolTip(const QString& tip);

    QProgressBar* bar() const { return m_bar; }

signals:
    void cancelRequested();

private:
    void showBarIfUseful();

    QProgressBar* m_bar;
    QPushButton* m_cancel;
    bool m_hiddenWhenIdle = false;
};

} // namespace ws::ui
