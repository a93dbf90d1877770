#pragma once
// Plays a lesson (lessons.h) step by step: each step sets the session (model, samples, view
// settings), shows its tab, optionally starts that tab's sweep or loads the example weights,
// and puts its caption in the LessonPanel. Next / previous come from the panel (buttons and
// keys); Ctrl+L (lessonAction) gives the panel the keyboard, or starts the first lesson. The
// window applies the sessions (`apply`). A preset's lesson line goes to the same panel
// (showPresetNote).

#include "ui/widgets/lessons.h"

#include <QObject>

#include <functional>

class QAction;

namespace ws::ui {

class LessonPanel;
class ViewTabs;

class LessonPlayer : public QObject
{
    Q_OBJECT
public:
    using Apply = std::function<void(const core::Session&)>;
    LessonPlayer(LessonPanel* panel, ViewTabs* tabs, Apply apply, QObject* parent);

    void start(const Lesson& lesson); // its first step
    // Reads the lesson file and starts it; false with the reason in `error` if unreadable.
    bool startFile(const QString& file, QString* error);
    void showStep(int index);
    void next();
    void previous();
    void stop(); // hides the panel
    bool isActive() const { return m_active; }
    int stepIndex() const { return m_index; }
    const Lesson& lesson() const { return m_lesson; }
    // A note without steps (ends a lesson).
    void showNote(const QString& title, const QString& text);
    // The lesson line of the preset `name` (presets.h) as a note, if it has one.
    void showPresetNote(const QString& name);
    QAction* lessonAction() const { return m_action; }

signals:
    void stepShown(int index);

private:
    LessonPanel* m_panel;
    ViewTabs* m_tabs;
    Apply m_apply;
    Lesson m_lesson;
    int m_index = 0;
    bool m_active = false;
    QAction* m_action;
};

} // namespace ws::ui
