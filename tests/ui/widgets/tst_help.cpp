// Help for every tab: F1 on a tab opens that tab's page (what it shows, how to read it, which
// controls matter); the pages link to each other and every link resolves; the keys page lists
// every shortcut of the Run and View menus.
//
// WS_HELP_SHOT_DIR=dir: also saves a picture of each tab's page.
#include "ui/views/viewtabs.h"
#include "ui/widgets/helpdialog.h"
#include "ui/widgets/mainwindow.h"

#include <QFile>
#include <QMenuBar>
#include <QRegularExpression>
#include <QTabBar>
#include <QTextBrowser>
#include <QtTest>

using namespace ws;

namespace {

QString readPage(const QString& page)
{
    QFile f(":/help/" + page + ".html");
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// The heading of each tab's page (the tab's title may be shorter).
const QList<QPair<QString, QString>> kPages = {{"main", "Eigenvalues"},
                                               {"residuals", "Errors of the outlier predictions"},
                                               {"bbp", "BBP diagram"},
                                               {"convergence", "Convergence"},
                                               {"overlaps", "Eigenvector overlaps"},
                                               {"rank", "Rank sweep"},
                                               {"animation", "Animation"},
                                               {"weights", "Real weights"},
                                               {"rectangular", "Rectangular"}};

} // namespace

class TestHelp : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void f1OpensTheTabsPage();
    void linksResolve();
    void keysPageListsTheShortcuts();
};

void TestHelp::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestHelp::f1OpensTheTabsPage()
{
    ui::MainWindow w(ui::MainWindow::Options{false, false});
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QCOMPARE(w.viewTabs()->count(), kPages.size()); // a page for every tab
    for (const auto& [key, heading] : kPages) {
        QVERIFY(w.viewTabs()->selectTab(key));
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QTest::keyClick(&w, Qt::Key_F1);
        ui::HelpDialog* help = w.helpMenu()->dialog();
        QVERIFY(help);
        QVERIFY(help->isVisible());
        QCOMPARE(help->page(), key);
        const QString text = help->browser()->toPlainText();
        QVERIFY2(text.startsWith(heading), qPrintable(text.left(40)));
        // The page is about the tab shown: its heading names it.
        QVERIFY(heading.contains(w.viewTabs()->tabText(w.viewTabs()->currentIndex()),
                                 Qt::CaseInsensitive));
        for (const char* part : {"What it shows.", "How to read it.", "Controls that matter."})
            QVERIFY2(text.contains(part), qPrintable(key + ": " + part));
        // WS_HELP_SHOT_DIR=dir: a picture of each page (run under xvfb-run for real fonts).
        if (!qEnvironmentVariableIsEmpty("WS_HELP_SHOT_DIR"))
            help->grab().save(qEnvironmentVariable("WS_HELP_SHOT_DIR") + "/help-" + key + ".png");
    }
}

void TestHelp::linksResolve()
{
    const QRegularExpression href("href=\"([^\"#]+)\"");
    QStringList pages = {"help", "keys"};
    for (const auto& p : kPages)
        pages << p.first;
    for (const QString& page : pages) {
        const QString html = readPage(page);
        QVERIFY2(!html.isEmpty(), qPrintable(page));
        for (auto it = href.globalMatch(html); it.hasNext();) {
            const QString target = it.next().captured(1);
            if (target.startsWith("http"))
                continue;
            QVERIFY2(QFile::exists(":/help/" + target), qPrintable(page + " -> " + target));
        }
    }
}

void TestHelp::keysPageListsTheShortcuts()
{
    ui::MainWindow w(ui::MainWindow::Options{false, false});
    const QString keys = readPage("keys");
    int checked = 0;
    for (QAction* menu : w.menuBar()->actions()) {
        const QString title = menu->text().remove('&');
        if (title != "Run" && title != "View")
            continue;
        for (QAction* a : menu->menu()->actions())
            for (const QKeySequence& k : a->shortcuts()) {
                QString text = k.toString(QKeySequence::PortableText);
                text.replace("PgUp", "Page Up").replace("PgDown", "Page Down");
                QVERIFY2(keys.contains("<b>" + text + "</b>"), qPrintable(a->text() + ": " + text));
                ++checked;
            }
    }
    QVERIFY(checked >= 8);
}

QTEST_MAIN(TestHelp)
#include "tst_help.moc"
