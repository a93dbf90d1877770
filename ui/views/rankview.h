#pragma once
// Rank-exponent sweep: against alpha (r = ceil(N^alpha)), the number of outliers each theory
// predicts and the number observed (upper panel), and the mean error of each prediction with the
// noise floor (lower panel, sharing the alpha axis).

#include "ui/views/sweepview.h"

class QCPAxisRect;
class QCPGraph;

namespace ws::ui {

class RankView final : public SweepView
{
    Q_OBJECT
public:
    explicit RankView(SessionProvider provider, QWidget* parent = nullptr);

private:
    static Settings settings();
    void draw() override;
    void styleGraphs();

    QCPGraph* m_predictedFinite = nullptr;
    QCPGraph* m_predictedLarge = nullptr;
    QCPGraph* m_observed = nullptr;
    QCPAxisRect* m_lower = nullptr;
    QCPGraph* m_errorFinite = nullptr; // lower panel
    QCPGraph* m_errorLarge = nullptr;
    QCPGraph* m_floor = nullptr;
};

} // namespace ws::ui
