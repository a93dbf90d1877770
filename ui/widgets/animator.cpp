#include "ui/widgets/animator.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QStyle>
#include <QToolButton>

#include <cmath>

namespace ws::ui {

namespace {
constexpr int kStepMs = 100;
} // namespace

Animator::Animator(QObject* parent) : QObject(parent)
{
    m_timer.setInterval(kStepMs);
    connect(&m_timer, &QTimer::timeout, this, &Animator::step);
}

void Animator::setRange(double from, double to)
{
    m_from = from;
    m_to = to;
}

double Animator::valueAt(double phase) const
{
    const double t = phase <= 1.0 ? phase : 2.0 - phase;
    if (m_param == AnimParam::N && m_from > 0 && m_to > 0)
        return std::exp(std::log(m_from) + t * (std::log(m_to) - std::log(m_from)));
    return m_from + t * (m_to - m_from);
}

void Animator::start()
{
    if (m_timer.isActive())
        return;
    m_phase = 0.0;
    m_timer.start();
    emit valueChanged(m_param, valueAt(m_phase));
    emit runningChanged(true);
}

void Animator::stop()
{
    if (!m_timer.isActive())
        return;
    m_timer.stop();
    emit runningChanged(false);
}

void Animator::step()
{
    m_phase += kStepMs / 1000.0 / std::max(m_seconds, 0.2);
    if (m_phase >= 2.0)
        m_phase -= 2.0;
    emit valueChanged(m_param, valueAt(m_phase));
}

AnimateBar::AnimateBar(Animator* animator, QWidget* parent)
    : QWidget(parent), m_animator(animator), m_param(new QComboBox(this)),
      m_from(new QDoubleSpinBox(this)), m_to(new QDoubleSpinBox(this)),
      m_seconds(new QDoubleSpinBox(this)), m_play(new QToolButton(this))
{
    // Short names: the bar shares a tool bar row with the others on a 1280 px projector.
    m_param->addItem(tr("θ (spike)"), "theta");
    m_param->setItemData(0, tr("θ: the top spike"), Qt::ToolTipRole);
    m_param->addItem(tr("α (rank)"), "alpha");
    m_param->setItemData(1, tr("α: the rank exponent, r = ⌈N^α⌉"), Qt::ToolTipRole);
    m_param->addItem(tr("N"), "n");
    m_param->setToolTip(tr("The parameter the animation sweeps back and forth."));
    for (QDoubleSpinBox* b : {m_from, m_to}) {
        b->setRange(-1e6, 1e6);
        b->setDecimals(2);
        b->setKeyboardTracking(false);
    }
    m_from->setToolTip(tr("Start of the sweep."));
    m_to->setToolTip(tr("End of the sweep."));
    m_seconds->setRange(0.5, 600);
    m_seconds->setDecimals(1);
    m_seconds->setSuffix(tr(" s"));
    m_seconds->setToolTip(tr("Duration of one sweep from start to end."));
    m_play->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_play->setCheckable(true);
    m_play->setToolTip(tr("Play / pause the animation (sweeps the chosen parameter)."));
    m_play->setObjectName("animatePlay");

    auto* l = new QHBoxLayout(this);
    l->setContentsMargins(4, 0, 4, 0);
    l->addWidget(new QLabel(tr("Animate"), this));
    l->addWidget(m_param);
    l->addWidget(new QLabel(tr("from"), this));
    l->addWidget(m_from);
    l->addWidget(new QLabel(tr("to"), this));
    l->addWidget(m_to);
    l->addWidget(new QLabel(tr("in"), this));
    l->addWidget(m_seconds);
    l->addWidget(m_play);

    fromJson({});
    connect(m_param, &QComboBox::currentIndexChanged, this, [this] {
        // Sensible default ranges per parameter.
        const QString p = m_param->currentData().toString();
        if (p == "theta") {
            m_from->setValue(0.2);
            m_to->setValue(3.0);
        } else if (p == "alpha") {
            m_from->setValue(0.0);
            m_to->setValue(1.0);
        } else {
            m_from->setValue(100);
            m_to->setValue(3000);
        }
        apply();
    });
    for (QDoubleSpinBox* b : {m_from, m_to, m_seconds})
        connect(b, &QDoubleSpinBox::valueChanged, this, &AnimateBar::apply);
    connect(m_play, &QToolButton::toggled, this, [this](bool on) {
        apply();
        on ? m_animator->start() : m_animator->stop();
    });
    connect(m_animator, &Animator::runningChanged, this, [this](bool on) {
        const QSignalBlocker block(m_play); // reflect the state, do not re-apply the bar
        m_play->setChecked(on);
        m_play->setIcon(style()->standardIcon(on ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    });
}

void AnimateBar::apply()
{
    const QString p = m_param->currentData().toString();
    m_animator->setParameter(p == "alpha" ? AnimParam::Alpha
                             : p == "n"   ? AnimParam::N
                                          : AnimParam::Theta);
    m_animator->setRange(m_from->value(), m_to->value());
    m_animator->setSeconds(m_seconds->value());
}

QJsonObject AnimateBar::toJson() const
{
    return {{"param", m_param->currentData().toString()},
            {"from", m_from->value()},
            {"to", m_to->value()},
            {"seconds", m_seconds->value()}};
}

void AnimateBar::fromJson(const QJsonObject& o)
{
    const QSignalBlocker b0(m_param), b1(m_from), b2(m_to), b3(m_seconds);
    const int i = m_param->findData(o.value("param").toString("theta"));
    m_param->setCurrentIndex(i < 0 ? 0 : i);
    m_from->setValue(o.value("from").toDouble(0.2));
    m_to->setValue(o.value("to").toDouble(3.0));
    m_seconds->setValue(o.value("seconds").toDouble(8.0));
    apply();
}

} // namespace ws::ui
