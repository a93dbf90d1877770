#pragma once
// Eigenvector overlaps: the squared overlap |<u_j, v_j>|^2 of each outlier's eigenvector with its
// spike's, observed (mean +- sd) against theta_j, with the predictions 1 - sigma^2/theta^2
// (finite rank) and 1 - sigma^2 D_j (large rank; docs/model.md). Its CSV has one row per grid
// point and spike.

#include "ui/views/sweepview.h"

class QCPErrorBars;
class QCPGraph;

namespace ws::ui {

class OverlapView final : public SweepView
{
    Q_OBJECT
public:
    explicit OverlapView(SessionProvider provider, QWidget* parent = nullptr);

private:
    static Settings settings();
    void draw() override;
    QByteArray csvOf(const core::SweepResult& r) const override;

    QCPGraph* m_observed = nullptr;
    QCPErrorBars* m_errors = nullptr; // +- sd of m_observed
    QCPGraph* m_finite = nullptr;
    QCPGraph* m_large = nullptr;    // curve of the strongest spike
    QCPGraph* m_perSpike = nullptr; // large-rank prediction of every spike (several spikes only)
};

} // namespace ws::ui
