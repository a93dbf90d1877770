// Ctrl+E exports the shown tab's figure, Ctrl+Shift+E its data (ui/widgets/tabexports.h): every
// tab (Eigenvalues, the sweep tabs, Animation, Real weights, Rectangular) writes a PNG of the
// preset's exact pixel size that is its own plot (not the hidden Eigenvalues plot), an SVG and a
// PDF, and a CSV with the provenance lines; the figure dialog's choice is remembered.
#include "support/gui_fixture.h"
#include "ui/jobs/animationrunner.h"
#include "ui/jobs/sweeprunner.h"
#include "ui/plots/mainplot.h"
#include "ui/views/animationview.h"
#include "ui/views/rectplot.h"
#include "ui/views/rectview.h"
#include "ui/views/sweepview.h"
#include "ui/views/viewtabs.h"
#include "ui/views/weightsplot.h"
#include "ui/views/weightsview.h"
#include "ui/widgets/figure.h"
#include "ui/widgets/mainwindow.h"
#include "ui/widgets/tabexports.h"

#include "core/model/families.h"
#include "support/run_waits.h"

#include <QAction>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <qcustomplot.h>

using namespace ws;

class TestTabExports : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void everyTabExportsItsFigureAndData();
    void figureSizes();
    void choiceRemembered();
    void shortcutsExportTheShownTab();

private:
    test::DataDirFixture m_dir;
};

void TestTabExports::initTestCase()
{
    QVERIFY(m_dir.setUp());
}

void TestTabExports::everyTabExportsItsFigureAndData()
{
    ui::MainWindow w(ui::MainWindow::Options{false, false});
    core::Session s;
    s.model.n = 200;
    s.model.spikes = core::parseSpikes("equal:3");
    s.model.rank = core::RankRule{true, 0.0, 1};
    s.samples = 2;
    w.applySession(s);
    QVERIFY(test::waitRunEnded(w, 120000));
    w.resize(1280, 720);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    ui::ViewTabs* tabs = w.viewTabs();

    // Something to show on every tab.
    ui::SweepView* bbp = tabs->view("bbp");
    bbp->setGrid(0.5, 2.5, 3);
    bbp->setSamples(1);
    bbp->setN(100);
    QSignalSpy bbpDone(bbp, &ui::SweepView::finished);
    QVERIFY(bbp->run());
    QVERIFY(bbpDone.wait(120000));
    ui::AnimationView* anim = tabs->animationView();
    anim->setFrames(3);
    anim->setSamples(1);
    QSignalSpy animDone(anim->runner(), &ui::AnimationRunner::finished);
    QVERIFY(anim->compute());
    QVERIFY(animDone.wait(120000));
    QSignalSpy loaded(tabs->weightsView(), &ui::WeightsView::loaded);
    tabs->weightsView()->openExample();
    QVERIFY(loaded.wait(60000));
    QVERIFY(loaded.at(0).at(0).toBool());
    QSignalSpy rectDone(tabs->rectView(), &ui::RectView::finished);
    core::RectSession rs;
    rs.model.n = 100;
    rs.model.m = 200;
    rs.samples = 1;
    tabs->rectView()->setSession(rs);
    QVERIFY(tabs->rectView()->apply());
    QVERIFY(rectDone.wait(120000));

    ui::FigureOptions o;
    o.size = ui::FigureOptions::Size::Slide169;
    o.dpi = 96;
    const QSize px(960, 540);
    QCOMPARE(o.pixels(), px);
    const QImage mainPng =
        QImage::fromData(ui::renderFigure(w.mainPlot(), ui::ImageFormat::Png, o));
    // The DPI sets the resolution, not the layout: at 192 DPI the same figure with twice the
    // pixels (text in points scales with it), so scaled down it is the 96-DPI one up to
    // antialiasing. (Fonts sized by the image's DPI as well as by the page transform made text
    // 1.5 to 2 times too large for its room, cut at the edges.)
    {
        ui::FigureOptions hi = o;
        hi.dpi = 192;
        const QImage big =
            QImage::fromData(ui::renderFigure(w.mainPlot(), ui::ImageFormat::Png, hi));
        QCOMPARE(big.size(), 2 * px);
        const QImage down = big.scaled(px, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        double diff = 0.0;
        for (int y = 0; y < px.height(); ++y)
            for (int x = 0; x < px.width(); ++x)
                diff += std::abs(qGray(down.pixel(x, y)) - qGray(mainPng.pixel(x, y)));
        diff /= double(px.width()) * px.height();
        qInfo("mean grey difference, 192 DPI scaled down vs 96 DPI: %.2f", diff);
        QVERIFY2(diff < 7.0,
                 qPrintable(QString::number(diff))); // 4.9 here (thin lines); 9.7 with the bug
    }
    for (const QString key : {"main", "bbp", "convergence", "overlaps", "rank", "animation",
                              "weights", "rectangular"}) {
        QVERIFY(tabs->selectTab(key));
        const QString png = m_dir.filePath(key + ".png");
        QString error;
        QVERIFY2(w.tabExports()->exportFigure(png, o, &error), qPrintable(key + ": " + error));
        const QImage img(png);
        QCOMPARE(img.size(), px);
        // Drawn (axes, text, data), and (except on the Eigenvalues tab) not the main plot.
        int ink = 0;
        for (int y = 0; y < img.height(); y += 2)
            for (int x = 0; x < img.width(); x += 2)
                ink += qGray(img.pixel(x, y)) < 200 ? 1 : 0;
        QVERIFY2(ink > 500, qPrintable(key));
        if (key != "main")
            QVERIFY2(img != mainPng, qPrintable(key));
        for (const char* ext : {".svg", ".pdf"}) {
            const QString path = m_dir.filePath(key + ext);
            QVERIFY2(w.tabExports()->exportFigure(path, o, &error), qPrintable(key + ": " + error));
            QVERIFY(test::readAll(path).size() > 500);
        }
        // The data: provenance lines, then a header and rows. (Sweep tabs other than the one
        // that ran have no data yet: they say so.)
        const QString csv = m_dir.filePath(key + ".csv");
        const bool hasData = key != "convergence" && key != "overlaps" && key != "rank";
        QCOMPARE(w.tabExports()->exportData(csv, &error), hasData);
        if (!hasData) {
            QVERIFY(error.contains("no grid point"));
            continue;
        }
        const QByteArray text = test::readAll(csv);
        QVERIFY2(text.startsWith("# wignerscope "), qPrintable(key));
        QVERIFY(text.contains("\n# date: "));
        QVERIFY(text.count('\n') > 8);
    }
    QVERIFY(test::readAll(m_dir.filePath("animation.csv")).contains("\n# frame: 1 of 3, theta = "));
    QVERIFY(test::readAll(m_dir.filePath("rectangular.csv"))
                .contains("\n# model: rect --n 100 --m 200 "));
    QVERIFY(test::readAll(m_dir.filePath("weights.csv")).contains("\nindex,value\n0,"));
}

void TestTabExports::figureSizes()
{
    ui::FigureOptions o;
    o.dpi = 200;
    o.size = ui::FigureOptions::Size::Slide43;
    QCOMPARE(o.pixels(), QSize(2000, 1500));
    o.size = ui::FigureOptions::Size::Column;
    QCOMPARE(o.pixels(), QSize(700, 525));
    o.size = ui::FigureOptions::Size::Custom;
    o.custom = QSizeF(4.0, 3.0);
    o.dpi = 300;
    QCOMPARE(o.pixels(), QSize(1200, 900));
    // A larger font scale lays the plot out on a smaller page (so text is larger relative to
    // it); the pixels stay.
    o.fontScale = 2.0;
    QCOMPARE(o.logical(), QSize(192, 144));
    QCOMPARE(o.pixels(), QSize(1200, 900));
    QCustomPlot plot;
    plot.resize(400, 300);
    const QImage img = QImage::fromData(ui::renderFigure(&plot, ui::ImageFormat::Png, o));
    QCOMPARE(img.size(), QSize(1200, 900));
}

void TestTabExports::choiceRemembered()
{
    ui::FigureOptions o;
    o.size = ui::FigureOptions::Size::Custom;
    o.custom = QSizeF(5.5, 3.25);
    o.dpi = 220;
    o.fontScale = 1.4;
    o.save();
    QVERIFY(ui::FigureOptions::settingsPath().startsWith(m_dir.filePath("data")));
    QVERIFY(QFile::exists(ui::FigureOptions::settingsPath()));
    QCOMPARE(ui::FigureOptions::load(), o);
}

void TestTabExports::shortcutsExportTheShownTab()
{
    ui::MainWindow w(ui::MainWindow::Options{false, false});
    QAction* figure = nullptr;
    QAction* data = nullptr;
    for (QAction* a : w.findChildren<QAction*>()) {
        if (a->shortcut() == QKeySequence(tr("Ctrl+E")))
            figure = a;
        if (a->shortcut() == QKeySequence(tr("Ctrl+Shift+E")))
            data = a;
    }
    QVERIFY(figure && data);
    QVERIFY(figure->text().contains("this tab"));
    QVERIFY(data->text().contains("this tab"));
}

QTEST_MAIN(TestTabExports)
#include "tst_tabexports.moc"
