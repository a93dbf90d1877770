#pragma once
// The caption banner above the plots: what a lesson step (or a preset) asks the room to look at
// and what to change next, on screen in the application's font (large in presentation mode).
// For a lesson it shows "Lesson: title · step k of n", the step's title and caption, and
// Previous / Next / Close; for a preset only its note and Close. While the panel has the keyboard
// focus (its buttons take it when a step is shown; Ctrl+L gives it back), Page Down, N or Right
// ask for the next step, Page Up, P or Left for the previous one, Esc closes it: a presenter's
// remote sends Page Up / Page Down.

#include <QFrame>

class QLabel;
class QPushButton;
class QScrollArea;

namespace ws::ui {

class LessonPanel : public QFrame
{
    Q_OBJECT
public:
    explicit LessonPanel(QWidget* parent = nullptr);

    // A lesson step (`index` 0-based of `count`); shows the panel and gives it the focus.
    void showStep(const QString& lesson, int index, int count, const QString& title,
                  const QString& caption);
    // A note without steps (a preset's lesson line).
    void showNote(const QString& title, const QString& text);
    void activate(); // the keyboard to the panel

    QString captionText() const;
    QString headingText() const;
    QPushButton* nextButton() const { return m_next; }

signals:
    void nextRequested();
    void previousRequested();
    void closeRequested();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override; // the keys
    void resizeEvent(QResizeEvent* event) override;

private:
    void fitCaption();

    QLabel* m_heading;
    QLabel* m_caption;
    QPushButton* m_previous;
    QPushButton* m_next;
    QPushButton* m_close;
    QScrollArea* m_scroll; // holds the caption
};

} // namespace ws::ui
