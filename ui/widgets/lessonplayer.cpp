#include "ui/widgets/lessonplayer.h"

#include "ui/views/sweepview.h"
#include "ui/views/viewtabs.h"
#include "ui/views/weightsview.h"
#include "ui/widgets/exporter.h"
#include "ui/widgets/lessonpanel.h"
#include "ui/widgets/presets.h"

#include <QAction>
#include <QKeySequence>

namespace ws::ui {

LessonPlayer::LessonPlayer(LessonPanel* panel, ViewTabs* tabs, Apply apply, QObject* parent)
    : QObject(parent), m_panel(panel), m_tabs(tabs), m_apply(std::move(apply)),
      m_action(new QAction(tr("&Lesson panel"), this))
{
    m_action->setShortcut(QKeySequence(tr("Ctrl+L")));
    m_action->setToolTip(tr("Start the first lesson, or give the lesson panel the keyboard "
                            "(then Page Down / Page Up step through it)."));
    connect(m_action, &QAction::triggered, this, [this] {
        if (m_panel->isVisible()) {
            m_panel->activate();
            return;
        }
        const std::vector<Lesson> all = lessons();
        if (!all.empty())
            start(all.front());
    });
    connect(m_panel, &LessonPanel::nextRequested, this, &LessonPlayer::next);
    connect(m_panel, &LessonPanel::previousRequested, this, &LessonPlayer::previous);
    connect(m_panel, &LessonPanel::closeRequested, this, &LessonPlayer::stop);
}

void LessonPlayer::start(const Lesson& lesson)
{
    m_lesson = lesson;
    m_active = !lesson.steps.empty();
    if (m_active)
        showStep(0);
}

bool LessonPlayer::startFile(const QString& file, QString* error)
{
    return reportingErrors(error, [&] { start(readLesson(file)); });
}

void LessonPlayer::showStep(int index)
{
    if (!m_active || index < 0 || index >= static_cast<int>(m_lesson.steps.size()))
        return;
    m_index = index;
    const LessonStep& step = m_lesson.steps[static_cast<std::size_t>(index)];
    m_apply(step.session);
    m_tabs->selectTab(step.tab);
    if (step.exampleWeights)
        m_tabs->weightsView()->openExample();
    if (SweepView* v = m_tabs->view(step.tab); v && step.runSweep)
        v->run();
    m_panel->showStep(m_lesson.title, index, static_cast<int>(m_lesson.steps.size()), step.title,
                      step.caption);
    emit stepShown(index);
}

void LessonPlayer::next()
{
    showStep(m_index + 1);
}

void LessonPlayer::previous()
{
    showStep(m_index - 1);
}

void LessonPlayer::stop()
{
    m_active = false;
    m_panel->hide();
}

void LessonPlayer::showNote(const QString& title, const QString& text)
{
    m_active = false;
    m_panel->showNote(title, text);
}

void LessonPlayer::showPresetNote(const QString& name)
{
    for (const Preset& p : presets())
        if (p.name == name && !p.lesson.isEmpty())
            showNote(tr("Preset: %1").arg(name), p.lesson);
}

} // namespace ws::ui
