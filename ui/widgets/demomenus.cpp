#include "ui/widgets/demomenus.h"

#include "ui/widgets/datadirs.h"
#include "ui/widgets/lessons.h"
#include "ui/widgets/presets.h"

#include <QAction>
#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QMenu>
#include <QMenuBar>
#include <QUrl>

namespace ws::ui {

namespace {
constexpr int kKindRole = Qt::UserRole;       // "preset" or "lesson"
constexpr int kTargetRole = Qt::UserRole + 1; // preset name or lesson file
} // namespace

DemoMenus::DemoMenus(QMenuBar* bar, QAction* lessonPanel, QObject* parent)
    : QObject(parent), m_presets(bar->addMenu(tr("&Presets"))),
      m_lessons(bar->addMenu(tr("&Lessons"))), m_lessonPanel(lessonPanel), m_box(new QComboBox)
{
    m_presets->setToolTipsVisible(true);
    m_lessons->setToolTipsVisible(true);
    // As wide as a short name: the list opens as wide as the longest.
    m_box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_box->setMinimumContentsLength(9);
    m_box->setToolTip(tr("Load a prepared demonstration, or start a lesson."));
    connect(m_box, &QComboBox::activated, this, [this](int i) {
        const QString kind = m_box->itemData(i, kKindRole).toString();
        const QString target = m_box->itemData(i, kTargetRole).toString();
        m_box->setCurrentIndex(0);
        if (kind == "preset")
            emit presetChosen(target);
        else if (kind == "lesson")
            emit lessonChosen(target);
    });
    connect(m_presets, &QMenu::aboutToShow, this, &DemoMenus::refresh);
    connect(m_lessons, &QMenu::aboutToShow, this, &DemoMenus::refresh);
    refresh();
}

void DemoMenus::refresh()
{
    m_presets->clear();
    m_lessons->clear();
    m_box->clear();
    m_box->addItem(tr("Presets…"));
    for (const Preset& p : presets()) {
        QAction* a =
            m_presets->addAction(p.name, this, [this, name = p.name] { emit presetChosen(name); });
        a->setToolTip(p.lesson);
        a->setStatusTip(p.lesson);
        m_box->addItem(p.name);
        m_box->setItemData(m_box->count() - 1, p.lesson, Qt::ToolTipRole);
        m_box->setItemData(m_box->count() - 1, "preset", kKindRole);
        m_box->setItemData(m_box->count() - 1, p.name, kTargetRole);
    }
    QStringList errors;
    const std::vector<Lesson> all = lessons(&errors);
    if (!all.empty())
        m_box->insertSeparator(m_box->count());
    for (const Lesson& l : all) {
        const QString text = tr("Lesson: %1 (%2 steps)").arg(l.title).arg(l.steps.size());
        m_lessons->addAction(text, this, [this, file = l.file] { emit lessonChosen(file); });
        m_box->addItem(text);
        m_box->setItemData(m_box->count() - 1, "lesson", kKindRole);
        m_box->setItemData(m_box->count() - 1, l.file, kTargetRole);
    }
    for (const QString& e : errors) {
        QAction* a = m_lessons->addAction(tr("Cannot read a lesson (see the tool tip)"));
        a->setEnabled(false);
        a->setToolTip(e);
    }
    m_lessons->addSeparator();
    m_lessons->addAction(m_lessonPanel);
    m_lessons->addAction(tr("Open my lessons folder"), this, [] {
        const QString dir = userDataDir() + "/lessons";
        QDir().mkpath(dir);
        QDesktopServices::openUrl(QUrl::fromLocalFile(dir));
    });
}

} // namespace ws::ui
