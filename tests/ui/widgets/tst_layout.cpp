// The window fits every projector: at 1280x720, 1366x768 and 1920x1080, in normal and
// presentation mode, on every tab, the window's minimum size fits the screen (less a title bar
// and a desktop panel), the window takes exactly the size it is given, and no visible control
// is cut off (tests/support/layout_checks.h). Leaving presentation mode restores the layout.
#include "ui/views/viewtabs.h"
#include "ui/views/weightsview.h"
#include "ui/widgets/lessonplayer.h"
#include "ui/widgets/lessons.h"
#include "ui/widgets/mainwindow.h"
#include "ui/widgets/presentationlayout.h"

#include "support/layout_checks.h"

#include <QDockWidget>
#include <QSignalSpy>
#include <QSplitter>
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

QTEST_MAIN(TestLayout)
#include "tst_layout.moc"
