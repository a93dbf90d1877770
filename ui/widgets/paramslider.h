#pragma once
// A labelled parameter: a slider for dragging over a useful range and a spin box for typing
// any allowed value (the spin box range may be wider than the slider's). Linear or logarithmic
// slider scale, or a piecewise-linear one (setKnots: finer steps where they matter), with marks
// drawn across the slider at special values (a threshold). The slider takes the keyboard: arrow
// keys step, Page Up / Page Down take big steps. valueChanged is emitted only on user changes,
// never from setValue().

#include <QList>
#include <QPointF>
#include <QWidget>

class QLabel;
class QSlider;
class QDoubleSpinBox;

namespace ws::ui {

class ParamSlider : public QWidget
{
    Q_OBJECT
public:
    enum class Scale { Linear, Log, Knots };
    struct Mark
    {
        double value;
        QColor color;
    };
    ParamSlider(const QString& label, double sliderMin, double sliderMax, double min, double max,
                int decimals, Scale scale = Scale::Linear, QWidget* parent = nullptr);

    double value() const;
    void setValue(double v); // no signal
    // New slider and spin-box ranges; the value is clamped into [min, max]. No signal.
    void setRanges(double sliderMin, double sliderMax, double min, double max);
    void setLabel(const QString& text);
    // A piecewise-linear slider scale: knots (slider position, value), increasing in both; the
    // slider spans the first to the last position. `single` and `page` are the key steps in
    // slider positions. No signal.
    void setKnots(const QList<QPointF>& knots, int single, int page);
    // Lines across the slider at these values (none outside the slider's range).
    void setMarks(const QList<Mark>& marks);
    QList<Mark> marks() const { return m_marks; }
    // The values at the slider's two ends.
    double sliderMinimum() const;
    double sliderMaximum() const;
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
    QList<QPointF> m_knots;
    QList<Mark> m_marks;
    bool m_updating = false;
};

} // namespace ws::ui
