#pragma once
// The tabs beside the main plot: the eigenvalue plot itself, then the four exploration views
// (sweepview.h). Their settings and the current tab are saved in the session's "view" object
// under "sweeps": {"tab": "main" | "bbp" | ..., "bbp": {...}, ...}.

#include "sweepview.h"

#include <QJsonObject>
#include <QTabWidget>

#include <vector>

namespace ws::ui {

class ViewTabs : public QTabWidget
{
    Q_OBJECT
public:
    ViewTabs(QWidget* mainPlot, SweepView::SessionProvider provider, QWidget* parent = nullptr);

    SweepView* view(SweepView::Kind kind) const;
    const std::vector<SweepView*>& views() const { return m_views; }
    // Selects a tab by its JSON key ("main", "bbp", "convergence", "overlaps", "rank").
    bool selectTab(const QString& key);
    QString currentKey() const;

    void setPlotStyle(const Style& s);
    QJsonObject toJson() const;
    void fromJson(const QJsonObject& o);

private:
    std::vector<SweepView*> m_views;
};

} // namespace ws::ui
