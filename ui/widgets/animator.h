#pragma once
// Classroom animation: sweeps theta (top spike), alpha or N back and forth over a range at a
// set speed (one sweep takes `seconds`), stepping ~10 times a second. N moves on a log scale.

#include "ui/widgets/controlspanel.h"

#include <QJsonObject>
#include <QTimer>
#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QToolButton;

namespace ws::ui {

class Animator : public QObject
{
    Q_OBJECT
public:
    explicit Animator(QObject* parent = nullptr);

    void setParameter(AnimParam p) { m_param = p; }
    void setRange(double from, double to);
    void setSeconds(double s) { m_seconds = s; }
    AnimParam parameter() const { return m_param; }
    double from() const { return m_from; }
    double to() const { return m_to; }
    double seconds() const { return m_seconds; }
    bool isRunning() const { return m_timer.isActive(); }
    double valueAt(double phase) const; // phase in [0, 2): 0 -> from, 1 -> to, 2 -> from

    void start();
    void stop();

signals:
    void valueChanged(ws::ui::AnimParam p, double value);
    void runningChanged(bool running);

private:
    void step();

    QTimer m_timer;
    AnimParam m_param = AnimParam::Theta;
    double m_from = 0.5, m_to = 3.0, m_seconds = 8.0;
    double m_phase = 0.0;
};

// Toolbar controls for the animator: parameter, from, to, seconds per sweep, play/pause.
class AnimateBar : public QWidget
{
    Q_OBJECT
public:
    AnimateBar(Animator* animator, QWidget* parent = nullptr);

    QJsonObject toJson() const;
    void fromJson(const QJsonObject& o);
    QToolButton* playButton() const { return m_play; }

private:
    void apply();

    Animator* m_animator;
    QComboBox* m_param;
    QDoubleSpinBox* m_from;
    QDoubleSpinBox* m_to;
    QDoubleSpinBox* m_seconds;
    QToolButton* m_play;
};

} // namespace ws::ui
