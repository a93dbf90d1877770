// Lessons: each shipped lesson file loads and tells the story in at least six steps; every step
// applies (the model of the controls, the tab, its caption visible on screen, the example
// weights); keys move between steps while the lesson panel has the keyboard and not while the
// slider has it; a broken lesson is refused with its step named; a lesson or a preset a teacher
// puts in the user's directory shows up in the menus and runs; a preset's lesson line shows on
// screen.
#include "ui/jobs/controller.h"
#include "ui/views/viewtabs.h"
#include "ui/views/weightsview.h"
#include "ui/widgets/controlspanel.h"
#include "ui/widgets/datadirs.h"
#include "ui/widgets/demomenus.h"
#include "ui/widgets/lessonpanel.h"
#include "ui/widgets/lessonplayer.h"
#include "ui/widgets/lessons.h"
#include "ui/widgets/mainwindow.h"
#include "ui/widgets/paramslider.h"
#include "ui/widgets/presets.h"

#include "core/model/families.h"
#include "support/run_waits.h"

#include <QComboBox>
#include <QMenu>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace ws;

namespace {

void writeFile(const QString& path, const QByteArray& text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

const QByteArray kUserLesson = R"({
  "format": "wignerscope-lesson", "version": 1, "title": "My own lesson",
  "steps": [
    {"title": "Small", "caption": "A small matrix.", "tab": "main",
     "format": "wignerscope-session", "version": 1,
     "model": {"n": 120, "spikes": "equal:2.5"}, "run": {"samples": 2, "seed": 4}},
    {"title": "Bigger", "caption": "Twice as big, on the BBP diagram.", "tab": "bbp",
     "format": "wignerscope-session", "version": 1,
     "model": {"n": 240, "spikes": "equal:2.5"}, "run": {"samples": 2, "seed": 4}}
  ]})";

} // namespace

class TestLessons : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void shippedLessonsLoad();
    void everyStepApplies();
    void keysMoveBetweenSteps();
    void brokenLessonIsRefused_data();
    void brokenLessonIsRefused();
    void userLessonAndPresetShowUp();
    void presetNoteOnScreen();

private:
    QTemporaryDir m_data; // the user's data directory (WIGNERSCOPE_DATA_DIR)
};

void TestLessons::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_data.isValid());
    qputenv("WIGNERSCOPE_DATA_DIR", m_data.path().toUtf8());
    QCOMPARE(ui::userDataDir(), m_data.path());
}

void TestLessons::shippedLessonsLoad()
{
    QStringList errors;
    const std::vector<ui::Lesson> all = ui::lessons(&errors);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join('\n')));
    QVERIFY(!all.empty());
    QCOMPARE(all.front().file, QString(":/lessons/story.json"));
    const ui::Lesson& story = all.front();
    QVERIFY(story.steps.size() >= 6);
    QStringList tabs;
    for (const ui::LessonStep& s : story.steps) {
        QVERIFY(!s.caption.isEmpty() && !s.title.isEmpty());
        QVERIFY(ui::lessonTabs().contains(s.tab));
        core::validate(s.session.model);
        tabs << s.tab;
    }
    // The story: the semicircle, one spike, a growing rank, a full-rank signal, overlaps,
    // real weights.
    QCOMPARE(story.steps[0].session.model.spikes.params, std::vector<double>{0.0});
    QVERIFY(story.steps[1].session.model.spikes.params.at(0) < 1.0); // below the threshold
    QVERIFY(std::any_of(story.steps.begin(), story.steps.end(), [](const auto& s) {
        return !s.session.model.rank.isExplicit && s.session.model.rank.alpha >= 0.5;
    }));
    QVERIFY(std::any_of(story.steps.begin(), story.steps.end(), [](const auto& s) {
        return s.session.model.bulk.kind != core::BulkKind::Zero;
    }));
    QVERIFY(tabs.contains("overlaps") && tabs.contains("weights"));
}

void TestLessons::everyStepApplies()
{
    ui::MainWindow w(ui::MainWindow::Options{false, false});
    w.resize(1280, 656);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    const ui::Lesson story = ui::lessons().front();
    QVERIFY(w.startLesson(story.file));
    ui::LessonPanel* panel = w.lessonPanel();
    QSignalSpy loaded(w.viewTabs()->weightsView(), &ui::WeightsView::loaded);
    for (std::size_t i = 0; i < story.steps.size(); ++i) {
        const ui::LessonStep& step = story.steps[i];
        if (i > 0)
            panel->nextButton()->click();
        QCOMPARE(w.lessonPlayer()->stepIndex(), static_cast<int>(i));
        QCOMPARE(w.viewTabs()->currentKey(), step.tab);
        QVERIFY(w.controls()->session()->model == step.session.model);
        QCOMPARE(w.controls()->samplesBox()->value(), step.session.samples);
        // The caption is on screen: a visible label inside the window, not a tool tip.
        QVERIFY(panel->isVisible());
        QCOMPARE(panel->captionText(), step.caption);
        QVERIFY(panel->headingText().contains(step.title.toHtmlEscaped()));
        QVERIFY(panel->headingText().contains(
            QString("step %1 of %2").arg(i + 1).arg(story.steps.size())));
        if (step.exampleWeights)
            QVERIFY(loaded.count() == 1 || loaded.wait(60000));
        // Steps 1 and 2 say the rug of outliers is empty and nothing leaves the bulk: with their
        // seed the run shows exactly that. (With seed 1, two of step 1's 100 samples had an edge
        // eigenvalue past the Tracy-Widom window -- about 1 sample in 400 does, by design -- and
        // the screen contradicted the caption.)
        if (i < 2) {
            QVERIFY(step.caption.contains("empty") || step.caption.contains("nothing leaves"));
            QVERIFY(test::waitRunEnded(w, 120000));
            const auto f = w.controller()->samples();
            QCOMPARE(f->done, step.session.samples);
            QCOMPARE(f->meanOutlierCount, 0.0);
        }
    }
    QVERIFY(!panel->nextButton()->isEnabled()); // the last step
    QVERIFY(w.viewTabs()->weightsView()->data());
}

void TestLessons::keysMoveBetweenSteps()
{
    ui::MainWindow w(ui::MainWindow::Options{false, false});
    w.show();
    w.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    // Ctrl+L starts the first lesson; the panel has the keyboard.
    QTest::keyClick(&w, Qt::Key_L, Qt::ControlModifier);
    ui::LessonPlayer* player = w.lessonPlayer();
    QVERIFY(player->isActive());
    QCOMPARE(player->stepIndex(), 0);
    QWidget* focus = QApplication::focusWidget();
    QVERIFY(focus && w.lessonPanel()->isAncestorOf(focus));
    for (const auto& [key, step] : std::vector<std::pair<Qt::Key, int>>{{Qt::Key_PageDown, 1},
                                                                        {Qt::Key_N, 2},
                                                                        {Qt::Key_Right, 3},
                                                                        {Qt::Key_PageUp, 2},
                                                                        {Qt::Key_P, 1},
                                                                        {Qt::Key_Left, 0},
                                                                        {Qt::Key_Left, 0}}) {
        QTest::keyClick(QApplication::focusWidget(), key);
        QCOMPARE(player->stepIndex(), step);
    }
    // With the slider focused, Page Down moves the slider, not the lesson.
    QTest::keyClick(&w, Qt::Key_T, Qt::ControlModifier);
    QSlider* slider = w.controls()->mainSlider()->slider();
    QVERIFY(slider->hasFocus());
    const int position = slider->value();
    QTest::keyClick(slider, Qt::Key_PageDown);
    QCOMPARE(player->stepIndex(), 0);
    QVERIFY(slider->value() != position);
    // Ctrl+L gives the keyboard back; Esc closes the lesson.
    QTest::keyClick(&w, Qt::Key_L, Qt::ControlModifier);
    QVERIFY(w.lessonPanel()->isAncestorOf(QApplication::focusWidget()));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_PageDown);
    QCOMPARE(player->stepIndex(), 1);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
    QVERIFY(!w.lessonPanel()->isVisible());
    QVERIFY(!player->isActive());
}

void TestLessons::brokenLessonIsRefused_data()
{
    QTest::addColumn<QByteArray>("good");
    QTest::addColumn<QByteArray>("bad");
    QTest::addColumn<QString>("reason");
    QTest::newRow("unknown tab") << QByteArray("\"tab\": \"bbp\"")
                                 << QByteArray("\"tab\": \"nowhere\"")
                                 << QString("step 2: tab: unknown 'nowhere'");
    QTest::newRow("N = 1") << QByteArray("\"n\": 240") << QByteArray("\"n\": 1")
                           << QString("step 2: ");
}

void TestLessons::brokenLessonIsRefused()
{
    QFETCH(QByteArray, good);
    QFETCH(QByteArray, bad);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    const QString path = dir.filePath("broken.json");
    QByteArray text = kUserLesson;
    QVERIFY(text.contains(good));
    writeFile(path, text.replace(good, bad));
    try {
        ui::readLesson(path);
        QFAIL("a broken step was accepted");
    } catch (const core::InputError& e) {
        QVERIFY2(QString(e.what()).contains(reason), e.what());
    }
}

void TestLessons::userLessonAndPresetShowUp()
{
    writeFile(m_data.filePath("lessons/mine.json"), kUserLesson);
    writeFile(m_data.filePath("lessons/broken.json"), "{ not json");
    writeFile(m_data.filePath("presets/small.json"),
              R"({"format": "wignerscope-session", "version": 1, "name": "My small preset",
                  "lesson": "Just N = 150.", "model": {"n": 150, "spikes": "equal:3"},
                  "run": {"samples": 2, "seed": 1}})");
    QStringList errors;
    const auto all = ui::lessons(&errors);
    QCOMPARE(all.size(), std::size_t(2)); // shipped first, then the user's
    QCOMPARE(all.back().title, QString("My own lesson"));
    QCOMPARE(errors.size(), 1);
    QVERIFY(errors[0].contains("broken.json"));
    QCOMPARE(ui::presets().back().name, QString("My small preset"));

    ui::MainWindow w(ui::MainWindow::Options{false, false});
    w.show();
    // In the Lessons menu (read when it opens) and in the tool bar's box.
    ui::DemoMenus* menus = w.demoMenus();
    emit menus->lessonsMenu()->aboutToShow();
    QAction* mine = nullptr;
    for (QAction* a : menus->lessonsMenu()->actions())
        if (a->text().startsWith("Lesson: My own lesson (2 steps)"))
            mine = a;
    QVERIFY(mine);
    QVERIFY(menus->presetBox()->findText("Lesson: My own lesson (2 steps)") >= 0);
    QVERIFY(menus->presetBox()->findText("My small preset") >= 0);
    mine->trigger();
    QVERIFY(w.lessonPlayer()->isActive());
    QCOMPARE(w.lessonPlayer()->lesson().title, QString("My own lesson"));
    QCOMPARE(w.controls()->session()->model.n, 120);
    QCOMPARE(w.lessonPanel()->captionText(), QString("A small matrix."));
    w.lessonPanel()->nextButton()->click();
    QCOMPARE(w.viewTabs()->currentKey(), QString("bbp"));
    QCOMPARE(w.controls()->session()->model.n, 240);
    // The user's preset loads.
    QVERIFY(w.loadPreset("My small preset"));
    QCOMPARE(w.controls()->session()->model.n, 150);
    QVERIFY(test::waitRunEnded(w, 60000));
    QFile::remove(m_data.filePath("lessons/mine.json"));
    QFile::remove(m_data.filePath("lessons/broken.json"));
    QFile::remove(m_data.filePath("presets/small.json"));
}

void TestLessons::presetNoteOnScreen()
{
    ui::MainWindow w(ui::MainWindow::Options{false, false});
    w.show();
    const ui::Preset p = ui::presets().at(0);
    QVERIFY(!w.lessonPanel()->isVisible());
    QVERIFY(w.loadPreset(p.name));
    QVERIFY(w.lessonPanel()->isVisible());
    QCOMPARE(w.lessonPanel()->captionText(), p.lesson);
    QVERIFY(w.lessonPanel()->headingText().contains(p.name.toHtmlEscaped()));
    QVERIFY(!w.lessonPanel()->nextButton()->isVisible()); // a note, no steps
    QVERIFY(test::waitRunEnded(w, 120000));
}

QTEST_MAIN(TestLessons)
#include "tst_lessons.moc"
