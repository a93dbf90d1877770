#pragma once
// The BBP diagram: the top eigenvalue against the spike strength theta (mean +- sd band, every
// sample as a faint point), both predictions on a fine theta grid, the large-rank prediction's
// band of +-1 predicted sd, the upper edge of the top bulk interval with (where the spike has no
// outlier) the Tracy-Widom band of the top eigenvalue there, and the thresholds theta = sigma and
// the large-rank one (docs/model.md#fluctuations). No band where the theory says the fluctuations
// are not Gaussian (heavy tails, basis eigenvectors with non-Gaussian noise): the title says why.

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
    void drawBands(double lw);
    QString noBandReason() const;

    QCPGraph* m_hi = nullptr; // mean + sd (its channel fill down to m_lo is the band)
    QCPGraph* m_lo = nullptr; // mean - sd
    QCPGraph* m_samples = nullptr;
    QCPGraph* m_mean = nullptr;
    QCPGraph* m_finite = nullptr;
    QCPGraph* m_large = nullptr;
    QCPGraph* m_edge = nullptr;
    QCPGraph* m_sdHi = nullptr; // large-rank + sd (channel fill down to m_sdLo)
    QCPGraph* m_sdLo = nullptr;
    QCPGraph* m_twHi = nullptr; // edge + gamma N^(-2/3) (mean_TW + sd_TW), fill to m_twLo
    QCPGraph* m_twLo = nullptr;
};

} // namespace ws::ui
