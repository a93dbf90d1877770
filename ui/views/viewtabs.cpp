#include "viewtabs.h"

namespace ws::ui {

ViewTabs::ViewTabs(QWidget* mainPlot, SweepView::SessionProvider provider, QWidget* parent)
    : QTabWidget(parent)
{
    setDocumentMode(true);
    addTab(mainPlot, tr("Eigenvalues"));
    setTabToolTip(0, tr("Histogram of the sampled eigenvalues with the theory."));
    for (const auto kind : {SweepView::Kind::Bbp, SweepView::Kind::Convergence,
                            SweepView::Kind::Overlaps, SweepView::Kind::Rank}) {
        auto* v = new SweepView(kind, provider);
        m_views.push_back(v);
        addTab(v, SweepView::title(kind));
    }
    setTabToolTip(1, tr("Top eigenvalue against the spike strength θ: the BBP transition."));
    setTabToolTip(2, tr("Error of each outlier prediction against N, log-log."));
    setTabToolTip(3, tr("Squared overlaps of outlier eigenvectors with their spikes."));
    setTabToolTip(4, tr("Number of outliers and prediction errors against the rank exponent α."));
}

SweepView* ViewTabs::view(SweepView::Kind kind) const
{
    for (SweepView* v : m_views)
        if (v->kind() == kind)
            return v;
    return nullptr;
}

bool ViewTabs::selectTab(const QString& key)
{
    if (key == "main") {
        setCurrentIndex(0);
        return true;
    }
    for (std::size_t i = 0; i < m_views.size(); ++i)
        if (SweepView::key(m_views[i]->kind()) == key) {
            setCurrentIndex(static_cast<int>(i) + 1);
            return true;
        }
    return false;
}

QString ViewTabs::currentKey() const
{
    const int i = currentIndex();
    if (i <= 0 || i > static_cast<int>(m_views.size()))
        return "main";
    return SweepView::key(m_views[static_cast<std::size_t>(i - 1)]->kind());
}

void ViewTabs::setPlotStyle(const Style& s)
{
    for (SweepView* v : m_views)
        v->setPlotStyle(s);
}

QJsonObject ViewTabs::toJson() const
{
    QJsonObject o;
    o["tab"] = currentKey();
    for (SweepView* v : m_views)
        o[SweepView::key(v->kind())] = v->toJson();
    return o;
}

void ViewTabs::fromJson(const QJsonObject& o)
{
    for (SweepView* v : m_views) {
        const QString k = SweepView::key(v->kind());
        if (o.contains(k))
            v->fromJson(o.value(k).toObject());
    }
    if (o.contains("tab"))
        selectTab(o.value("tab").toString());
}

} // namespace ws::ui
