#pragma once
// The tabs beside the main plot: the eigenvalue plot itself, the errors of its outlier
// predictions (residualview.h: it follows the main run), the four exploration views
// (bbpview.h, convergenceview.h, overlapview.h, rankview.h over sweepview.h), the animation
// (animationview.h; its settings are saved by the window under "animate"), the real-weights view
// (weightsview.h) and the rectangular model (rectview.h). Their settings and the current tab are
// saved in the session's "view" object under "sweeps": {"tab": "main" | "residuals" | "bbp" | ... |
// "animation" | "weights" | "rectangular", "bbp": {...}, ..., "weights": {...}, "rectangular":
// {...}}.

#include "ui/views/sweepview.h"

#include <QJsonObject>
#include <QStringList>
#include <QTabWidget>

#include <vector>

namespace ws::ui {

class AnimationView;
class RectView;
class ResidualView;
class WeightsView;

class ViewTabs : public QTabWidget
{
    Q_OBJECT
public:
    ViewTabs(QWidget* mainPlot, SweepView::SessionProvider provider, QWidget* parent = nullptr);

    // The exploration view with the JSON key `key` ("bbp", "convergence", "overlaps", "rank"),
    // null for another key.
    SweepView* view(const QString& key) const;
    const std::vector<SweepView*>& views() const { return m_views; }
    WeightsView* weightsView() const { return m_weights; }
    RectView* rectView() const { return m_rect; }
    ResidualView* residualView() const { return m_residuals; }
    AnimationView* animationView() const { return m_animation; }
    // Selects a tab by its JSON key ("main", "residuals", "bbp", "convergence", "overlaps", "rank",
    // "animation", "weights", "rectangular").
    bool selectTab(const QString& key);
    QString currentKey() const;
    // The current tab shows the model of the parameter controls (not weights, rectangular).
    bool usesControls() const;
    // The current tab shows the run of the parameter controls (Eigenvalues, Errors); the other
    // tabs run their own sweeps, frames or samples, with their own progress.
    bool showsMainRun() const;

    void setPlotStyle(const Style& s);
    // The model of the parameter controls changed (SweepView::controlsChanged).
    void controlsChanged();
    QJsonObject toJson() const;
    void fromJson(const QJsonObject& o);

signals:
    // A setting of a view changed (for the autosave of the session).
    void settingsChanged();

private:
    // A tab with its tool tip, known by `key` (currentKey, selectTab).
    void addPage(QWidget* page, const QString& title, const QString& toolTip, const QString& key);
    // ... a view with settings of its own: its settingsChanged is the tabs'.
    template <class View>
    View* addSavedPage(View* view, const QString& title, const QString& toolTip, const QString& key)
    {
        addPage(view, title, toolTip, key);
        connect(view, &View::settingsChanged, this, &ViewTabs::settingsChanged);
        return view;
    }
    void sizeToCurrentPage();
    // Shorter titles for the widest tabs (presentation mode), or the full ones back.
    void setCompactTitles(bool compact);

    std::vector<SweepView*> m_views;
    WeightsView* m_weights = nullptr;
    RectView* m_rect = nullptr;
    ResidualView* m_residuals = nullptr;
    AnimationView* m_animation = nullptr;
    QStringList m_keys;       // per tab index
    QStringList m_fullTitles; // per tab index, recorded before the first shortening
};

} // namespace ws::ui
