#include "ui/widgets/paramslider.h"

#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QLabel>
#include <QPainter>
#include <QSignalBlocker>
#include <QSlider>
#include <QStyleOptionSlider>

#include <algorithm>
#include <cmath>

namespace ws::ui {

namespace {
constexpr int kSteps = 1000;

// QDoubleSpinBox reads the locale's group separator as nothing at all, so "1,5" in an English
// locale became 15 without a word. People who type a comma in a number mean a decimal mark, so
// the separator that is not the locale's decimal point is taken as the decimal point. In a
// whole-number box that makes the key invalid (refused, and N says why next to it).
class DecimalSpinBox : public QDoubleSpinBox
{
public:
    using QDoubleSpinBox::QDoubleSpinBox;
    QValidator::State validate(QString& input, int& pos) const override
    {
        const QString group = locale().groupSeparator();
        const QString point = locale().decimalPoint();
        if (!group.isEmpty() && group != point)
            input.replace(group, point);
        return QDoubleSpinBox::validate(input, pos);
    }
};

// A slider with lines across it at given positions (a threshold), drawn over the groove so that
// the handle can be seen to cross them.
class MarkedSlider : public QSlider
{
public:
    using QSlider::QSlider;
    void setMarks(QList<QPair<int, QColor>> marks)
    {
        m_marks = std::move(marks);
        update();
    }

protected:
    void paintEvent(QPaintEvent* event) override
    {
        QSlider::paintEvent(event);
        if (m_marks.isEmpty())
            return;
        QStyleOptionSlider opt;
        initStyleOption(&opt);
        const QRect groove =
            style()->subControlRect(QStyle::CC_Slider, &opt, QStyle::SC_SliderGroove, this);
        const QRect handle =
            style()->subControlRect(QStyle::CC_Slider, &opt, QStyle::SC_SliderHandle, this);
        const int span = groove.width() - handle.width();
        QPainter p(this);
        for (const auto& [pos, color] : m_marks) {
            const int x = groove.x() + handle.width() / 2 +
                          QStyle::sliderPositionFromValue(minimum(), maximum(), pos, span);
            p.setPen(QPen(color, 2));
            p.drawLine(x, 1, x, height() - 2);
        }
    }

private:
    QList<QPair<int, QColor>> m_marks;
};
} // namespace

ParamSlider::ParamSlider(const QString& label, double sliderMin, double sliderMax, double min,
                         double max, int decimals, Scale scale, QWidget* parent)
    : QWidget(parent), m_label(new QLabel(label, this)),
      m_slider(new MarkedSlider(Qt::Horizontal, this)), m_spin(new DecimalSpinBox(this)),
      m_suffix(new QLabel(this)), m_sliderMin(sliderMin), m_sliderMax(sliderMax), m_scale(scale)
{
    m_slider->setRange(0, kSteps);
    m_slider->setPageStep(kSteps / 20);
    m_spin->setRange(min, max);
    m_spin->setDecimals(decimals);
    m_spin->setKeyboardTracking(false); // typed numbers apply on Enter / focus out
    m_spin->setAccelerated(true);
    const double span = sliderMax - sliderMin;
    m_spin->setSingleStep(decimals == 0 ? 1.0
                                        : std::pow(10.0, std::floor(std::log10(span / 50.0))));
    if (scale == Scale::Log)
        m_spin->setStepType(QAbstractSpinBox::AdaptiveDecimalStepType);
    m_spin->setMinimumWidth(80);
    m_label->setMinimumWidth(24);

    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(6);
    grid->addWidget(m_label, 0, 0);
    grid->addWidget(m_slider, 0, 1);
    grid->addWidget(m_spin, 0, 2);
    grid->addWidget(m_suffix, 0, 3);
    grid->setColumnStretch(1, 1);
    m_suffix->setVisible(false);

    connect(m_slider, &QSlider::valueChanged, this, [this](int pos) {
        if (m_updating)
            return;
        const double v = fromSlider(pos);
        m_updating = true;
        m_spin->setValue(v);
        m_updating = false;
        emit valueChanged(m_spin->value());
    });
    connect(m_spin, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        if (m_updating)
            return;
        m_updating = true;
        m_slider->setValue(toSlider(v));
        m_updating = false;
        emit valueChanged(v);
    });
}

int ParamSlider::toSlider(double v) const
{
    if (m_scale == Scale::Knots) {
        if (v <= m_knots.front().y())
            return static_cast<int>(m_knots.front().x());
        for (qsizetype i = 1; i < m_knots.size(); ++i)
            if (v <= m_knots[i].y()) {
                const QPointF a = m_knots[i - 1], b = m_knots[i];
                return static_cast<int>(
                    std::lround(a.x() + (v - a.y()) / (b.y() - a.y()) * (b.x() - a.x())));
            }
        return static_cast<int>(m_knots.back().x());
    }
    double t;
    if (m_scale == Scale::Log)
        t = (std::log(std::max(v, 1e-300)) - std::log(m_sliderMin)) /
            (std::log(m_sliderMax) - std::log(m_sliderMin));
    else
        t = (v - m_sliderMin) / (m_sliderMax - m_sliderMin);
    return static_cast<int>(std::lround(std::clamp(t, 0.0, 1.0) * kSteps));
}

double ParamSlider::fromSlider(int pos) const
{
    if (m_scale == Scale::Knots) {
        for (qsizetype i = 1; i < m_knots.size(); ++i)
            if (pos <= m_knots[i].x()) {
                const QPointF a = m_knots[i - 1], b = m_knots[i];
                return a.y() + (pos - a.x()) / (b.x() - a.x()) * (b.y() - a.y());
            }
        return m_knots.back().y();
    }
    const double t = static_cast<double>(pos) / kSteps;
    if (m_scale == Scale::Log)
        return std::exp(std::log(m_sliderMin) +
                        t * (std::log(m_sliderMax) - std::log(m_sliderMin)));
    return m_sliderMin + t * (m_sliderMax - m_sliderMin);
}

double ParamSlider::value() const
{
    return m_spin->value();
}

void ParamSlider::setValue(double v)
{
    m_updating = true;
    const QSignalBlocker b1(m_spin), b2(m_slider);
    m_spin->setValue(v);
    m_slider->setValue(toSlider(m_spin->value()));
    m_updating = false;
}

void ParamSlider::setRanges(double sliderMin, double sliderMax, double min, double max)
{
    m_updating = true;
    const QSignalBlocker b1(m_spin), b2(m_slider);
    m_sliderMin = sliderMin;
    m_sliderMax = sliderMax;
    m_spin->setRange(min, max);
    m_slider->setValue(toSlider(m_spin->value()));
    m_updating = false;
}

void ParamSlider::setKnots(const QList<QPointF>& knots, int single, int page)
{
    if (knots.size() < 2)
        return;
    m_updating = true;
    const QSignalBlocker b1(m_spin), b2(m_slider);
    m_scale = Scale::Knots;
    m_knots = knots;
    m_sliderMin = knots.front().y();
    m_sliderMax = knots.back().y();
    m_slider->setRange(static_cast<int>(knots.front().x()), static_cast<int>(knots.back().x()));
    m_slider->setSingleStep(single);
    m_slider->setPageStep(page);
    m_slider->setValue(toSlider(m_spin->value()));
    m_updating = false;
    setMarks(m_marks); // at their new positions
}

void ParamSlider::setMarks(const QList<Mark>& marks)
{
    m_marks = marks;
    QList<QPair<int, QColor>> positions;
    for (const Mark& m : marks)
        if (m.value >= m_sliderMin && m.value <= m_sliderMax)
            positions.append({toSlider(m.value), m.color});
    static_cast<MarkedSlider*>(m_slider)->setMarks(positions);
}

double ParamSlider::sliderMinimum() const
{
    return fromSlider(m_slider->minimum());
}

double ParamSlider::sliderMaximum() const
{
    return fromSlider(m_slider->maximum());
}

void ParamSlider::setLabel(const QString& text)
{
    m_label->setText(text);
}

void ParamSlider::setSuffixText(const QString& text)
{
    m_suffix->setText(text);
    m_suffix->setVisible(!text.isEmpty());
}

void ParamSlider::setToolTips(const QString& text)
{
    for (QWidget* w : {static_cast<QWidget*>(m_label), static_cast<QWidget*>(m_slider),
                       static_cast<QWidget*>(m_spin)})
        w->setToolTip(text);
}

} // namespace ws::ui
