#pragma once
// The ways into prepared demonstrations: the Presets menu and the tool bar's preset box (the
// presets of presets.h, with their lesson line as the tool tip). They only report the choice;
// the window loads it.

#include <QObject>

class QComboBox;
class QMenuBar;

namespace ws::ui {

class DemoMenus : public QObject
{
    Q_OBJECT
public:
    DemoMenus(QMenuBar* bar, QObject* parent);

    QComboBox* presetBox() const { return m_presetBox; }

signals:
    void presetChosen(const QString& name);

private:
    QComboBox* m_presetBox;
};

} // namespace ws::ui
