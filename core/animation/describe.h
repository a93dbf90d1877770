#pragma once
// Words for an animation's frames: the title (the model) and the caption (the parameter's
// value). Plain text, no drawing; the renderer (ui/render/) lays them out.

#include "core/animation/animation.h"

#include <string>

namespace ws::core {

// The model in words for a title, without the animated parameter (it is in the caption), e.g.
// "N = 1000, rank-one spike, Gaussian noise" for a theta animation, "N = 2000, 3 spikes 4, 2.5,
// 1.6, uniform bulk on [-1, 1], Gaussian noise" for another one. A family value that moves is
// shown by its letter ("spikes evenly spaced from 1 to b").
std::string describeAnimation(const AnimationPlan& plan);

// The parameter's value for a caption: "theta = 2.35", "N = 1000", "alpha = 0.40 (r = 16)",
// "b = 2.35". The decimals follow the step between frames (two for a step of 0.04), so the
// text keeps its width from frame to frame.
std::string frameCaption(const AnimationPlan& plan, const AnimationFrame& frame);

} // namespace ws::core
