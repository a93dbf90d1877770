#pragma once
// The "Errors" tab: for each outlier of the main run, predicted
// minus observed position, for both theories -- finite-rank theta + sigma^2/theta and large-rank
// (subordination, core/theory/theory.h) -- against theta, with the band of the fluctuations of
// the observed mean. It shows what the main plot cannot when the rank grows (r = 178 at N = 1000):
// the finite-rank errors lie on a trend in theta far outside the band while the large-rank ones
// stay in it. Two panels on one theta axis: both theories (top), and the large-rank errors zoomed
// to the band (bottom), where the band is wide enough to see. No run of its own: it follows the
// main run's frames (theory, then samples as they arrive).
//
// The band: +-kBandSds sd of the observed mean, sd / sqrt(samples where the outlier was seen),
// with sd the predicted sd of the outlier (OutlierPrediction::sd, docs/model.md#fluctuations)
// where theory gives one, else -- spikes that share a cluster with others have no per-spike
// prediction -- the sd observed over the samples (ObservedOutlier::sd, core/outliers/outliers.h).
// Equal spikes are one point (their group's mean).

#include "ui/jobs/frames.h"
#include "ui/widgets/theme.h"

#include <QStringList>
#include <QWidget>

#include <memory>
#include <vector>

class QCPAxisRect;
class QCPGraph;
class QCPItemText;
class QCPTextElement;
class QCustomPlot;
class QLabel;

namespace ws::ui {

inline constexpr double kBandSds = 3.0;

// One outlier (a group of equal spikes) of the residual plot. NaN where absent: no prediction
// (finite-rank below theta = sigma; large-rank absorbed), no observation yet, no sd.
struct ResidualRow
{
    double theta = 0.0;
    int groupSize = 1;
    double finiteError = 0.0; // finite-rank prediction - observed mean
    double largeError = 0.0;  // large-rank prediction - observed mean
    double band = 0.0;        // kBandSds x sd of the observed mean
    bool predictedSd = false; // the sd is theory's (else the one observed over the samples)
};

// The rows for a theory frame and a sample frame of the same run, ascending in theta.
std::vector<ResidualRow> residualRows(const TheoryFrame& theory, const SampleFrame& samples);

// How many rows' error of one theory lies within the band, of those with both.
struct BandCount
{
    int within = 0, total = 0;
};
BandCount countWithinBand(const std::vector<ResidualRow>& rows, bool largeRank);

class ResidualView : public QWidget
{
    Q_OBJECT
public:
    explicit ResidualView(QWidget* parent = nullptr);

    static QString key() { return QStringLiteral("residuals"); }
    static QString title();
    static QString tabToolTip();

    void setTheory(std::shared_ptr<const TheoryFrame> theory); // clears the rows
    void setSamples(std::shared_ptr<const SampleFrame> samples);
    void setPlotStyle(const Style& s);

    const std::vector<ResidualRow>& rows() const { return m_rows; }
    QCustomPlot* plot() const { return m_plot; }
    QString summaryText() const;
    QCPGraph* finiteGraph() const { return m_finite; }
    QCPGraph* largeGraph() const { return m_large; }
    QCPAxisRect* zoomPanel() const { return m_zoom; }

signals:
    // The rows were recomputed from a sample frame (samples done so far).
    void updated(int samplesDone);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void redraw();
    void styleGraphs();

    Style m_style = Style::make(false, false);
    std::shared_ptr<const TheoryFrame> m_theory;
    std::shared_ptr<const SampleFrame> m_samples;
    std::vector<ResidualRow> m_rows;
    QStringList m_titleParts;

    QCustomPlot* m_plot = nullptr;
    QCPTextElement* m_title = nullptr;
    QCPGraph* m_bandHi = nullptr;
    QCPGraph* m_bandLo = nullptr;
    QCPGraph* m_finite = nullptr;
    QCPGraph* m_large = nullptr;
    QCPAxisRect* m_zoom = nullptr; // the large-rank errors at the scale of the band
    QCPGraph* m_zoomBandHi = nullptr;
    QCPGraph* m_zoomBandLo = nullptr;
    QCPGraph* m_zoomLarge = nullptr;
    QCPItemText* m_note = nullptr;
    QLabel* m_summary = nullptr;
};

} // namespace ws::ui
