// The window fits every projector: at 1280x720, 1366x768 and 1920x1080, in normal and
// presentation mode, on every tab, the window's minimum size fits the screen (less a title bar
// and a desktop panel), the window takes exactly the size it is given, and no visible control
// is cut off (tests/support/layout_checks.h). Leaving presentation mode restores the layout.
#include "ui/views/viewtabs.h"
#include "ui/views/weightsview.h"
#include "ui/widgets/lessonplayer.h"
#include "ui/widgets/lessons.h"
#include "ui/widgets/mainwindow.h"
#include "ui/plots/mainplot.h"
#include "ui/widgets/intervaltable.h"
#include "ui/widgets/outliertable.h"
#include "ui/widgets/presentationlayout.h"
#include "ui/widgets/presets.h"

#include "support/layout_checks.h"
#include "support/run_waits.h"

#include <QDockWidget>
#include <QSignalSpy>
#include <QHeaderView>
#include <QSplitter>
#include <QTableView>
#include <QtTest>

#include <memory>

using namespace ws;

namespace {

// A window manager's title bar plus one desktop panel (GNOME's top bar).
constexpr int kTitleAndPanel = 64;

const char* const kTabs[] = {"main",     "residuals", "bbp",     "convergence",
                             "overlaps", "rank",      "weights", "rectangular"};

} // namespace

class TestLayout : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void fitsScreen_data();
    void fitsScreen();
    void leavingPresentationRestoresLayout();
    void plotAndTableGetTheRoom_data();
    void plotAndTableGetTheRoom();
    void draggedSplitterStays();
};

void TestLayout::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestLayout::fitsScreen_data()
{
    QTest::addColumn<QSize>("screen");
    QTest::addColumn<bool>("presentation");
    for (const QSize s : {QSize(1280, 720), QSize(1366, 768), QSize(1920, 1080)})
        for (const bool p : {false, true})
            QTest::addRow("%dx%d %s", s.width(), s.height(), p ? "presentation" : "normal")
                << s << p;
}

void TestLayout::fitsScreen()
{
    QFETCH(QSize, screen);
    QFETCH(bool, presentation);
    const QSize usable(screen.width(), screen.height() - kTitleAndPanel);
    ui::MainWindow w(ui::MainWindow::Options{false, false});
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    // The weights tab with a matrix: its side panel holds the most text.
    QSignalSpy loaded(w.viewTabs()->weightsView(), &ui::WeightsView::loaded);
    w.viewTabs()->weightsView()->openExample();
    QVERIFY(loaded.wait(60000));
    w.setPresentationMode(presentation);
    w.resize(usable);
    w.presentationLayout()->applyWindowScale(); // what the debounced resize does
    auto check = [&](const QString& tab) {
        QVERIFY(w.viewTabs()->selectTab(tab));
        test::settleLayouts();
        const QSize min = w.minimumSizeHint().expandedTo(w.minimumSize());
        QVERIFY2(min.width() <= usable.width() && min.height() <= usable.height(),
                 qPrintable(QString("tab %1: the window needs at least %2x%3")
                                .arg(tab)
                                .arg(min.width())
                                .arg(min.height())));
        QCOMPARE(w.size(), usable);
        const QStringList cut = test::cutOffControls(&w);
        QVERIFY2(cut.isEmpty(), qPrintable(QString("tab %1:\n  ").arg(tab) + cut.join("\n  ")));
    };
    for (const char* tab : kTabs) {
        check(tab);
        if (QTest::currentTestFailed())
            return;
    }
    // With a lesson's caption above the plots (its longest step), on every tab.
    const ui::Lesson story = ui::lessons().front();
    w.lessonPlayer()->start(story);
    std::size_t longest = 0;
    for (std::size_t i = 0; i < story.steps.size(); ++i)
        if (story.steps[i].caption.size() > story.steps[longest].caption.size())
            longest = i;
    w.lessonPlayer()->showStep(static_cast<int>(longest));
    for (const char* tab : kTabs) {
        check(tab);
        if (QTest::currentTestFailed())
            return;
    }
}

void TestLayout::leavingPresentationRestoresLayout()
{
    ui::MainWindow w(ui::MainWindow::Options{false, false});
    w.resize(1500, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto* dock = w.findChild<QDockWidget*>("parametersDock");
    auto* splitter = w.findChild<QSplitter*>("centralSplitter");
    QVERIFY(dock && splitter);
    // A layout of the user's own: a wider dock, other splitter sizes, another window size.
    w.resizeDocks({dock}, {430}, Qt::Horizontal);
    test::settleLayouts();
    splitter->setSizes({500, 150, 120});
    w.resize(1400, 860);
    test::settleLayouts();
    const QByteArray state = w.saveState();
    const QRect geometry = w.geometry();
    const QList<int> sizes = splitter->sizes();
    const int dockWidth = dock->width();
    const QFont font = QApplication::font();

    w.setPresentationMode(true);
    test::settleLayouts();
    QVERIFY(QApplication::font().pointSizeF() > font.pointSizeF());
    w.setPresentationMode(false);
    test::settleLayouts();
    QCOMPARE(w.geometry(), geometry);
    QCOMPARE(w.saveState(), state);
    QCOMPARE(splitter->sizes(), sizes);
    QCOMPARE(dock->width(), dockWidth);
    QCOMPARE(QApplication::font(), font);
}

namespace {

// Rows of `view` shown whole in its viewport.
int wholeRows(const QTableView* view)
{
    int rows = 0;
    for (int r = 0; r < view->model()->rowCount(); ++r)
        if (view->viewport()->rect().contains(view->visualRect(view->model()->index(r, 0))))
            ++rows;
    return rows;
}

int axisRectHeight(ui::MainWindow& w)
{
    w.mainPlot()->replot(); // lays the plot out now (its own replots are queued)
    return w.mainPlot()->axisRect()->height();
}

} // namespace

// The review's H1 and H2 (1280 x 720 and up, a preset's banner on screen): in normal mode the
// outlier table shows the four outliers of the full-rank preset whole and, from 1366 px, its
// columns through z without a scroll, the interval table its counts; the main plot keeps a usable
// data area. Presenting, the data area keeps at least 60% of normal mode's and a seventh of the
// window's height (before: 65 px of 720, half of normal mode's), and the table still shows a
// whole row.
void TestLayout::plotAndTableGetTheRoom_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addColumn<int>("normalPlot"); // minimum data-area height in normal mode
    QTest::newRow("1280x720") << QSize(1280, 720) << 95;
    QTest::newRow("1366x768") << QSize(1366, 768) << 130;
    QTest::newRow("1920x1080") << QSize(1920, 1080) << 300;
}

void TestLayout::plotAndTableGetTheRoom()
{
    QFETCH(QSize, size);
    QFETCH(int, normalPlot);
    ui::MainWindow w(ui::MainWindow::Options{false, false});
    w.resize(size);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QString fullRank; // the preset by its file stem, as --preset full-rank finds it
    for (const auto& p : ui::presets())
        if (QFileInfo(p.resource).completeBaseName() == "full-rank")
            fullRank = p.name;
    QVERIFY(w.loadPreset(fullRank));
    QVERIFY(test::waitRunEnded(w, 120000));
    QCoreApplication::processEvents(); // the tables' widths, fitted once the run has finished
    test::settleLayouts();
    QCOMPARE(w.size(), size);
    QTableView* outliers = w.outlierTable()->view();
    QCOMPARE(outliers->model()->rowCount(), 4);

    const int normal = axisRectHeight(w);
    QVERIFY2(normal >= normalPlot, qPrintable(QString("data area %1 px").arg(normal)));
    QVERIFY2(wholeRows(outliers) >= 4, qPrintable(QString("%1 rows").arg(wholeRows(outliers))));
    // The outlier table's comparison (through z) in view from 1366 px; the interval table's
    // first four columns.
    const int z = outliers->horizontalHeader()->sectionViewportPosition(ui::OutlierModel::Z) +
                  outliers->horizontalHeader()->sectionSize(ui::OutlierModel::Z);
    if (size.width() >= 1366)
        QVERIFY2(
            z <= outliers->viewport()->width(),
            qPrintable(QString("z ends at %1 of %2").arg(z).arg(outliers->viewport()->width())));
    QTableView* intervals = w.outlierTable()->intervalView();
    const int observedEnd =
        intervals->horizontalHeader()->sectionViewportPosition(ui::IntervalModel::Observed) +
        intervals->horizontalHeader()->sectionSize(ui::IntervalModel::Observed);
    QVERIFY2(observedEnd <= intervals->viewport()->width(),
             qPrintable(QString("'observed' ends at %1 of %2")
                            .arg(observedEnd)
                            .arg(intervals->viewport()->width())));

    w.setPresentationMode(true);
    w.presentationLayout()->applyWindowScale(); // what the debounced resize does
    test::settleLayouts();
    const int presenting = axisRectHeight(w);
    // Larger fonts take some height; the data area keeps most of normal mode's.
    QVERIFY2(presenting * 10 >= normal * 6,
             qPrintable(QString("data area %1 px presenting, %2 px in normal mode")
                            .arg(presenting)
                            .arg(normal)));
    QVERIFY2(presenting >= size.height() / 7,
             qPrintable(QString("data area %1 px presenting").arg(presenting)));
    QVERIFY2(wholeRows(outliers) >= 1, "no whole row of the outlier table presenting");
}

// A splitter the user sized stays as sized when the window is resized; a new presentation
// arranges its own.
void TestLayout::draggedSplitterStays()
{
    ui::MainWindow w(ui::MainWindow::Options{false, false});
    w.resize(1366, 768);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    test::settleLayouts();
    auto* splitter = w.findChild<QSplitter*>("centralSplitter");
    QVERIFY(splitter && !w.presentationLayout()->userSizes());
    // What a drag of the lower handle does: the table pane 60 px taller.
    QSignalSpy moved(splitter, &QSplitter::splitterMoved);
    const QList<int> before = splitter->sizes();
    auto* handle = splitter->handle(2);
    const QPoint start = handle->rect().center();
    QTest::mousePress(handle, Qt::LeftButton, {}, start);
    QTest::mouseMove(handle, start - QPoint(0, 60));
    QTest::mouseRelease(handle, Qt::LeftButton, {}, start - QPoint(0, 60));
    QVERIFY(!moved.isEmpty());
    QVERIFY(w.presentationLayout()->userSizes());
    QVERIFY(splitter->sizes().at(2) > before.at(2));
    // Smaller: the splitter shares the loss out as Qt does, the table keeps more than the
    // automatic sizes would give it.
    w.resize(1280, 720);
    test::settleLayouts();
    ui::MainWindow automatic(ui::MainWindow::Options{false, false});
    automatic.resize(1280, 720);
    automatic.show();
    QVERIFY(QTest::qWaitForWindowExposed(&automatic));
    test::settleLayouts();
    auto* other = automatic.findChild<QSplitter*>("centralSplitter");
    QVERIFY2(splitter->sizes().at(2) > other->sizes().at(2) + 30,
             qPrintable(QString("table %1 px, automatic %2 px")
                            .arg(splitter->sizes().at(2))
                            .arg(other->sizes().at(2))));
    w.setPresentationMode(true);
    QVERIFY(!w.presentationLayout()->userSizes());
    w.setPresentationMode(false);
    QVERIFY(w.presentationLayout()->userSizes());
}

QTEST_MAIN(TestLayout)
#include "tst_layout.moc"
