#pragma once
// The main view's sampling as a job for a JobRunner (jobrunner.h): runs the theory frame's
// sampler plan (core::runSamples, or the banded fast path core::runBandedSpectra), accumulates
// the histogram and every sample's eigenvalues on the worker, and builds the immutable
// SampleFrames there too (histogram copy, the outlier statistics), so the GUI thread
// only swaps pointers.
//
// Frames: the first sample's at once, then at most one per refreshMs, and never a new one while
// the previous is still waiting in the GUI thread's queue; the last one (finished = true) always.
// A cancelled run posts nothing more (the Controller finalizes it). Frames carry the theory
// frame's generation; `onFrame` runs on the GUI thread through JobContext::post.

#include "ui/jobs/frames.h"
#include "ui/jobs/jobrunner.h"

#include <functional>
#include <memory>

namespace ws::ui {

using FrameCallback = std::function<void(std::shared_ptr<const SampleFrame>)>;

// `theory` must be a frame of makeTheoryFrame (its session is what runs). Throws, on the worker,
// what the core samplers throw (InputError, ResourceError).
JobRunner::Work samplingJob(std::shared_ptr<const TheoryFrame> theory, FrameCallback onFrame,
                            int refreshMs = 100);

// The frame shown before any sample: the theory's (empty) histogram, the predicted sampler.
std::shared_ptr<const SampleFrame> emptySampleFrame(const TheoryFrame& theory);

} // namespace ws::ui
