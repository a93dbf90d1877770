// Controls for a live demonstration: the spike slider follows sigma (range, the threshold
// theta = sigma marked, finer steps near it); the keyboard drives it; "Hold axes" and a user's
// zoom keep the view through parameter changes until a reset; the outliers show as a rug of
// ticks under the plot, with their values in a tool tip.
#include "support/gui_fixture.h"
#include "ui/jobs/controller.h"
#include "ui/plots/mainplot.h"
#include "ui/plots/outlierrug.h"
#include "ui/widgets/controlspanel.h"
#include "ui/widgets/mainwindow.h"
#include "ui/widgets/paramslider.h"

#include "core/model/families.h"
#include "support/run_waits.h"

#include <QAction>
#include <QDoubleSpinBox>
#include <QSlider>
#include <QToolTip>
#include <QtTest>

#include <cmath>
#include <memory>

using namespace ws;

class TestDemoControls : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void thetaSliderFollowsSigma();
    void keysMoveTheMainSlider();
    void heldAxesStayThroughChanges();
    void userZoomStaysUntilReset();
    void rugShowsOutliersWithValues();

private:
    QAction* action(const QString& text) const;
    bool waitRun() { return test::waitRunEnded(*m_w, 60000); }

    std::unique_ptr<ui::MainWindow> m_w;
};

void TestDemoControls::init()
{
    m_w = test::shownWindow();
    QVERIFY(QTest::qWaitForWindowExposed(m_w.get()));
    core::Session s = test::spikedSession(300, "equal:2", 4, 5);
    m_w->applySession(s);
    QVERIFY(waitRun());
}

void TestDemoControls::cleanup()
{
    m_w.reset();
}

QAction* TestDemoControls::action(const QString& text) const
{
    for (QAction* a : m_w->findChildren<QAction*>())
        if (a->text().remove('&') == text)
            return a;
    return nullptr;
}

void TestDemoControls::thetaSliderFollowsSigma()
{
    ui::ParamSlider* theta = m_w->controls()->thetaControl();
    QCOMPARE(theta->sliderMinimum(), -4.0);
    QCOMPARE(theta->sliderMaximum(), 4.0);
    QCOMPARE(theta->marks().size(), 2);
    QCOMPARE(theta->marks()[1].value, 1.0); // theta = sigma
    // The user sets sigma = 2: the range is [-4 sigma, 4 sigma] again, the mark at sigma.
    m_w->controls()->sigmaControl()->spinBox()->setValue(2.0);
    QVERIFY(waitRun());
    QCOMPARE(m_w->controller()->theory()->session.model.sigma, 2.0);
    QCOMPARE(theta->sliderMinimum(), -8.0);
    QCOMPARE(theta->sliderMaximum(), 8.0);
    QCOMPARE(theta->marks()[0].value, -2.0);
    QCOMPARE(theta->marks()[1].value, 2.0);
    QCOMPARE(theta->value(), 2.0); // the value stays: now right at the threshold
    // Steps: finer near the threshold (0.05 sigma) than far from it (0.1 sigma).
    QSlider* s = theta->slider();
    s->triggerAction(QAbstractSlider::SliderSingleStepAdd);
    QVERIFY(std::abs(theta->value() - 2.1) < 1e-9);
    theta->setValue(7.0);
    s->triggerAction(QAbstractSlider::SliderSingleStepAdd);
    QVERIFY(std::abs(theta->value() - 7.2) < 1e-9);
    QVERIFY(waitRun());
}

void TestDemoControls::keysMoveTheMainSlider()
{
    QVERIFY(!m_w->controls()->mainSlider()->slider()->hasFocus());
    m_w->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_w.get()));
    // The shortcut gives the slider the focus; then the arrow and page keys move it.
    QTest::keyClick(m_w.get(), Qt::Key_T, Qt::ControlModifier);
    QSlider* slider = m_w->controls()->mainSlider()->slider();
    QVERIFY(slider->hasFocus());
    QCOMPARE(m_w->controls()->mainSlider(), m_w->controls()->thetaControl());
    QTest::keyClick(slider, Qt::Key_Right); // 2 -> 2.1 (0.1 sigma beyond 1.5 sigma)
    QVERIFY(waitRun());
    QCOMPARE(m_w->controller()->theory()->session.model.spikes.params.at(0), 2.1);
    QTest::keyClick(slider, Qt::Key_PageDown); // 2.1 -> 1.6
    QTest::keyClick(slider, Qt::Key_Left);     // 1.6 -> 1.5
    QTest::keyClick(slider, Qt::Key_Left);     // 1.5 -> 1.45 (finer near the threshold)
    QVERIFY(waitRun());
    QVERIFY(std::abs(m_w->controller()->theory()->session.model.spikes.params.at(0) - 1.45) < 1e-9);
}

void TestDemoControls::heldAxesStayThroughChanges()
{
    ui::MainPlot* plot = m_w->mainPlot();
    QAction* hold = action("Hold axes");
    QVERIFY(hold && hold->isCheckable());
    hold->trigger();
    QVERIFY(plot->holdAxes());
    const QCPRange x = plot->xAxis->range(), y = plot->yAxis->range();
    // theta 2 -> 3.5: the automatic view would widen to the outlier at 3.79.
    m_w->controls()->thetaControl()->spinBox()->setValue(3.5);
    QVERIFY(waitRun());
    QCOMPARE(plot->xAxis->range(), x);
    QCOMPARE(plot->yAxis->range(), y);
    QVERIFY(!x.contains(3.5 + 1.0 / 3.5));
    // Released: the view follows the parameters again.
    hold->trigger();
    QVERIFY(plot->xAxis->range().contains(3.5 + 1.0 / 3.5));
}

void TestDemoControls::userZoomStaysUntilReset()
{
    ui::MainPlot* plot = m_w->mainPlot();
    const QCPRange automatic = plot->xAxis->range();
    // A wheel turn over the plot zooms in.
    const QPoint centre = plot->axisRect()->rect().center();
    QWheelEvent wheel(centre, plot->mapToGlobal(centre), QPoint(), QPoint(0, 240), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(plot, &wheel);
    const QCPRange zoomed = plot->xAxis->range();
    QVERIFY(zoomed.size() < automatic.size() * 0.9);
    QVERIFY(plot->userView());
    m_w->controls()->thetaControl()->spinBox()->setValue(3.0);
    QVERIFY(waitRun());
    QCOMPARE(plot->xAxis->range(), zoomed); // not reset by the change
    // A double click asks for the automatic view of the new parameters.
    QTest::mouseDClick(plot, Qt::LeftButton, Qt::NoModifier, centre);
    QVERIFY(!plot->userView());
    QVERIFY(plot->xAxis->range().size() > zoomed.size());
    QVERIFY(plot->xAxis->range().contains(3.0 + 1.0 / 3.0));
}

void TestDemoControls::rugShowsOutliersWithValues()
{
    ui::MainPlot* plot = m_w->mainPlot();
    plot->replot();
    const auto& ticks = plot->rug()->ticks();
    // One spike theta = 2: a tick per prediction and one for the observed mean.
    QCOMPARE(ticks.size(), std::size_t(3));
    const auto pred = m_w->controller()->theory()->theory.outliers.at(0);
    const auto obs = plot->samples()->observed.at(0);
    QVERIFY(obs.mean);
    for (const auto& t : ticks) {
        const double expected = t.lane == ui::OutlierRug::FiniteRank  ? *pred.finiteRank
                                : t.lane == ui::OutlierRug::LargeRank ? *pred.largeRank
                                                                      : *obs.mean;
        QCOMPARE(t.x, expected);
        // Under the plot area, above the x axis line.
        const QPointF p = plot->rug()->tickPixel(t);
        QVERIFY(p.y() > plot->axisRect()->bottom());
        QVERIFY(p.y() < plot->axisRect()->bottom() + plot->xAxis->offset());
        QCOMPARE(plot->toolTipAt(p.toPoint()), t.text);
        QVERIFY(t.text.contains(QString::number(t.x, 'g', 5)));
    }
    QVERIFY(plot->toolTipAt(plot->axisRect()->rect().center()).isEmpty());
    // Hovering shows the tool tip.
    const auto& observed = *std::find_if(ticks.begin(), ticks.end(), [](const auto& t) {
        return t.lane == ui::OutlierRug::Observed;
    });
    const QPointF at = plot->rug()->tickPixel(observed);
    QMouseEvent move(QEvent::MouseMove, at, plot->mapToGlobal(at), Qt::NoButton, Qt::NoButton,
                     Qt::NoModifier);
    QApplication::sendEvent(plot, &move);
    QTRY_VERIFY_WITH_TIMEOUT(QToolTip::isVisible(), 5000);
    QVERIFY(QToolTip::text().startsWith("observed outlier: mean"));
}

QTEST_MAIN(TestDemoControls)
#include "tst_democontrols.moc"
