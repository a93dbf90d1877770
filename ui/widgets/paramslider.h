#pragma once
// A labelled parameter: a slider for dragging over a useful range and a spin box for typing
// any allowed value (the spin box range may be wider than the slider's). Linear or logarithmic
// slider scale. valueChanged is emitted only on user changes, never from setValue().

#include <QWidget>

class QLabel;
class QSlider;
class QDoubleSpinBox;

namespace ws::ui {

class ParamSlider : public QWidget
{
    Q_OBJECT
public:
    enum class Scale { Linear, Log };
    ParamSlider(const QString& label, double sliderMin, double sliderMax, double min, double max,
                int decimals, Scale scale = Scale::Linear, QWidget* parent = nullptr);

    double value() const;
    void setValue(double v); // no signal
    // New slider and spin-box ranges; the value is clamped into [min, max]. No signal.
    void setRanges(double sliderMin, double sliderMax, double min, double max);
    void setLabel(const QString& text);
    void setSuffixText(const QString& text); // shown right of the spin box (e.g. "r = 32")
    void setToolTips(const QString& text);
    QSlider* slider() const { return m_slider; }
    QDoubleSpinBox* spinBox() const { return m_spin; }

signals:
    void valueChanged(double value);

private:
    int toSlider(double v) const;
    double fromSlider(int pos) const;

    QLabel* m_label;
    QSlider* m_slider;
    QDoubleSpinBox* m_spin;
    QLabel* m_suffix;
    double m_sliderMin, m_sliderMax;
    Scale m_scale;
    bool m_updating = false;
};

} // namespace ws::ui
