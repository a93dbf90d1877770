#pragma once
// Status bar content: which sampler ran, samples done / total with a progress bar, time per
// sample, a note where the theory drawn does not hold as drawn (heavy-tailed noise, non-Gaussian
// outlier fluctuations: the core's flags, docs/model.md#validity), a message (errors in red) and
// a Cancel button.

#include "ui/jobs/frames.h"

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace ws::ui {

class StatusPanel : public QWidget
{
    Q_OBJECT
public:
    explicit StatusPanel(QWidget* parent = nullptr);

    void setTheory(const TheoryFrame& t);
    void setSamples(const SampleFrame& s);
    void setRunning(bool running);
    void showError(const QString& message); // empty clears
    // A passing remark ("Preset: ..."), plain, cleared after `ms` unless replaced. It goes here,
    // not to QStatusBar::showMessage, because this panel covers the whole status bar.
    void showNotice(const QString& message, int ms);
    QString messageText() const;
    // The run's part (sampler, progress, time, theory note, Cancel) is the Eigenvalues tab's
    // run: hidden on tabs with runs of their own; messages stay.
    void setRunShown(bool shown);
    bool isRunShown() const { return m_runShown; }

    QString samplerText() const;
    QString progressText() const;
    QString theoryNoteText() const; // empty when the theory holds as drawn

signals:
    void cancelRequested();

private:
    QLabel* m_sampler;
    QLabel* m_count;
    QProgressBar* m_progress;
    QLabel* m_time;
    QLabel* m_theoryNote;
    QLabel* m_message;
    QPushButton* m_cancel;
    bool m_isError = false;
    bool m_runShown = true;
};

} // namespace ws::ui
