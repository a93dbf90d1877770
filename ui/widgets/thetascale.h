#pragma once
// The spike sliders follow the noise level sigma: a slider spans [-reach sigma, reach sigma],
// with the BBP threshold |theta| = sigma marked on it and steps twice as fine within
// [0.5 sigma, 1.5 sigma] as elsewhere, so that a live demo of the transition can creep through
// the threshold. Keys: an arrow moves theta by 0.05 sigma near the threshold (0.1 sigma
// elsewhere), Page Up / Page Down by 0.25 sigma (0.5 sigma).

class QColor;

namespace ws::ui {

class ParamSlider;

void applyThetaScale(ParamSlider* slider, double sigma, double reach, const QColor& mark);

} // namespace ws::ui
