#include "ui/views/viewtabs.h"

#include "ui/views/animationview.h"
#include "ui/views/bbpview.h"
#include "ui/views/convergenceview.h"
#include "ui/views/overlapview.h"
#include "ui/views/rankview.h"
#include "ui/views/rectview.h"
#include "ui/views/residualview.h"
#include "ui/views/weightsview.h"

#include <QHash>

namespace ws::ui {

ViewTabs::ViewTabs(QWidget* mainPlot, SweepView::SessionProvider provider, QWidget* parent)
    : QTabWidget(parent)
{
    setDocumentMode(true);
    addPage(mainPlot, tr("Eigenvalues"),
            tr("Histogram of the sampled eigenvalues with the theory."), "main");
    // Next to the eigenvalues: the errors of both theories for the same run.
    m_residuals = new ResidualView;
    addPage(m_residuals, ResidualView::title(), ResidualView::tabToolTip(), ResidualView::key());
    m_views = {new BbpView(provider), new ConvergenceView(provider), new OverlapView(provider),
               new RankView(provider)};
    for (SweepView* v : m_views)
        addPage(v, v->title(), v->tabToolTip(), v->key());
    m_animation = addSavedPage(
        new AnimationView(provider), tr("Animation"),
        tr("One parameter moving over a range: every frame complete before it is shown, "
           "computed ahead of playback; export as GIF, MP4 or PNG frames."),
        "animation");
    m_weights = addSavedPage(new WeightsView, tr("Real weights"),
                             tr("Singular values of a trained weight matrix against the fitted "
                                "Marchenko–Pastur bulk, and an RMT pruning preview."),
                             "weights");
    m_rect = addSavedPage(new RectView, tr("Rectangular"),
                          tr("Singular values of the rectangular model W = (σ/√N) X + S: "
                             "Marchenko–Pastur, the deterministic equivalent and the outliers."),
                          "rectangular");
    // The window's minimum size is the current tab's, not the largest of all tabs: the hidden
    // pages' size hints are ignored.
    connect(this, &QTabWidget::currentChanged, this, &ViewTabs::sizeToCurrentPage);
    sizeToCurrentPage();
}

void ViewTabs::addPage(QWidget* page, const QString& title, const QString& toolTip,
                       const QString& key)
{
    setTabToolTip(addTab(page, title), toolTip);
    m_keys << key;
}

void ViewTabs::sizeToCurrentPage()
{
    for (int i = 0; i < count(); ++i) {
        const auto p = i == currentIndex() ? QSizePolicy::Preferred : QSizePolicy::Ignored;
        widget(i)->setSizePolicy(p, p);
    }
}

SweepView* ViewTabs::view(const QString& key) const
{
    for (SweepView* v : m_views)
        if (v->key() == key)
            return v;
    return nullptr;
}

bool ViewTabs::selectTab(const QString& key)
{
    const int i = static_cast<int>(m_keys.indexOf(key));
    if (i < 0)
        return false;
    setCurrentIndex(i);
    return true;
}

QString ViewTabs::currentKey() const
{
    const int i = currentIndex();
    return i >= 0 && i < m_keys.size() ? m_keys[i] : QStringLiteral("main");
}

bool ViewTabs::usesControls() const
{
    const QString key = currentKey();
    return key != "weights" && key != "rectangular";
}

bool ViewTabs::showsMainRun() const
{
    const QString key = currentKey();
    return key == "main" || key == ResidualView::key();
}

void ViewTabs::setPlotStyle(const Style& s)
{
    for (SweepView* v : m_views)
        v->setPlotStyle(s);
    m_weights->setPlotStyle(s);
    m_rect->setPlotStyle(s);
    m_residuals->setPlotStyle(s);
    m_animation->setPlotStyle(s);
    setCompactTitles(s.presentation);
}

void ViewTabs::setCompactTitles(bool compact)
{
    // Presentation fonts make nine full titles wider than a 1280-pixel projector: the longest
    // ones lose their second word there (the tool tips keep the full names).
    static const QHash<QString, QString> shorter = {
        {"bbp", tr("BBP")}, {"rank", tr("Rank")}, {"weights", tr("Weights")}};
    if (m_fullTitles.isEmpty())
        for (int i = 0; i < count(); ++i)
            m_fullTitles << tabText(i);
    for (int i = 0; i < count() && i < m_keys.size(); ++i) {
        const auto it = shorter.constFind(m_keys.at(i));
        setTabText(i, compact && it != shorter.constEnd() ? *it : m_fullTitles.value(i));
    }
}

void ViewTabs::controlsChanged()
{
    for (SweepView* v : m_views)
        v->controlsChanged();
    m_animation->controlsChanged();
}

QJsonObject ViewTabs::toJson() const
{
    QJsonObject o;
    o["tab"] = currentKey();
    for (SweepView* v : m_views)
        o[v->key()] = v->toJson();
    o["weights"] = m_weights->toJson();
    o["rectangular"] = m_rect->toJson();
    return o;
}

void ViewTabs::fromJson(const QJsonObject& o)
{
    for (SweepView* v : m_views) {
        const QString k = v->key();
        if (o.contains(k))
            v->fromJson(o.value(k).toObject());
    }
    if (o.value("weights").isObject())
        m_weights->fromJson(o.value("weights").toObject());
    if (o.value("rectangular").isObject())
        m_rect->fromJson(o.value("rectangular").toObject());
    if (o.contains("tab"))
        selectTab(o.value("tab").toString());
}

} // namespace ws::ui
