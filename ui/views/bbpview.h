#pragma once
// The BBP diagram: the top eigenvalue against the spike strength theta (mean +- sd band, every
// sample as a faint point), both predictions on a fine theta grid, the main-bulk edge and the
// thresholds theta = sigma and the large-rank one (docs/model.md).

#include "ui/views/sweepview.h"

class QCPGraph;

namespace ws::ui {

class BbpView final : public SweepView
{
    Q_OBJECT
public:
    explicit BbpView(SessionProvider provider, QWidget* parent = nullptr);

private:
    static Settings settings();
    void draw() override;

    QCPGraph* m_hi = nullptr; // mean + sd (its channel fill down to m_lo is the band)
    QCPGraph* m_lo = nullptr; // mean - sd
    QCPGraph* m_samples = nullptr;
    QCPGraph* m_mean = nullptr;
    QCPGraph* m_finite = nullptr;
    QCPGraph* m_large = nullptr;
    QCPGraph* m_edge = nullptr;
};

} // namespace ws::ui
