#pragma once
// The ways into prepared demonstrations: the Presets menu, the Lessons menu and the tool bar's
// box that lists both (presets with their lesson line as the tool tip, then the lessons). The
// lists are read again each time a menu opens, so a file a teacher has just added shows up. They
// only report the choice; the window loads it.

#include <QObject>

class QAction;
class QComboBox;
class QMenu;
class QMenuBar;

namespace ws::ui {

class DemoMenus : public QObject
{
    Q_OBJECT
public:
    // `lessonPanel`: the Ctrl+L action of the lesson player, listed under the lessons.
    DemoMenus(QMenuBar* bar, QAction* lessonPanel, QObject* parent);

    QComboBox* presetBox() const { return m_box; }
    QMenu* lessonsMenu() const { return m_lessons; }
    void refresh(); // re-reads the presets and lessons

signals:
    void presetChosen(const QString& name);
    void lessonChosen(const QString& file);

private:
    QMenu* m_presets;
    QMenu* m_lessons;
    QAction* m_lessonPanel;
    QComboBox* m_box;
};

} // namespace ws::ui
