#include "ui/widgets/demomenus.h"

#include "ui/widgets/presets.h"

#include <QAction>
#include <QComboBox>
#include <QMenu>
#include <QMenuBar>

namespace ws::ui {

DemoMenus::DemoMenus(QMenuBar* bar, QObject* parent) : QObject(parent), m_presetBox(new QComboBox)
{
    QMenu* presetMenu = bar->addMenu(tr("&Presets"));
    // As wide as a short name: the list opens as wide as the longest.
    m_presetBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_presetBox->setMinimumContentsLength(9);
    m_presetBox->addItem(tr("Presets…"));
    for (const auto& p : presets()) {
        QAction* a =
            presetMenu->addAction(p.name, this, [this, name = p.name] { emit presetChosen(name); });
        a->setToolTip(p.lesson);
        a->setStatusTip(p.lesson);
        m_presetBox->addItem(p.name);
        m_presetBox->setItemData(m_presetBox->count() - 1, p.lesson, Qt::ToolTipRole);
    }
    presetMenu->setToolTipsVisible(true);
    m_presetBox->setToolTip(tr("Load a prepared demonstration."));
    connect(m_presetBox, &QComboBox::activated, this, [this](int i) {
        const QString name = m_presetBox->itemText(i);
        m_presetBox->setCurrentIndex(0);
        if (i > 0)
            emit presetChosen(name);
    });
}

} // namespace ws::ui
