#pragma once
// Convergence in N: the mean |observed - predicted| outlier position of each prediction against
// N on log-log axes (a geometric grid of N), with the fitted slopes in the legend and the noise
// floor sd/sqrt(samples).

#include "ui/views/sweepview.h"

class QCPGraph;

namespace ws::ui {

class ConvergenceView final : public SweepView
{
    Q_OBJECT
public:
    explicit ConvergenceView(SessionProvider provider, QWidget* parent = nullptr);

private:
    static Settings settings();
    void draw() override;

    QCPGraph* m_finite = nullptr;
    QCPGraph* m_large = nullptr;
    QCPGraph* m_floor = nullptr;
};

} // namespace ws::ui
