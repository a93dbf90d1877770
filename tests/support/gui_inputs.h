#pragma once
// The window the GUI input tests drive (tst_guiinputs: numbers and choices, tst_guitext: lists,
// seed and hostile strings, tst_guifiles: session files and exports), the README's "Valid
// input" table entered through the real widgets: a bad input is refused or explained next to its
// control, no run starts and the plots keep the last good result; a correct value afterwards
// clears the message and runs. The fixture keeps one window for a whole test and checks that.
// Header-only, for the tests that link ws_ui.

#include "support/gui_fixture.h"
#include "support/run_waits.h"
#include "ui/jobs/controller.h"
#include "ui/plots/mainplot.h"
#include "ui/widgets/controlspanel.h"
#include "ui/widgets/mainwindow.h"
#include "ui/widgets/paramslider.h"
#include "ui/widgets/statuspanel.h"

#include "core/io/session.h"
#include "core/model/families.h"

#include <QAbstractSpinBox>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QDirIterator>
#include <QDoubleSpinBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>
#include <string>

namespace ws::test {

inline bool waitFinished(ui::MainWindow& w, int ms = 30000)
{
    return test::waitRunEnded(w, ms);
}

// The one widget of type T below `root` whose tool tip starts with `tip` (null if none or
// several): the controls the panel does not expose are found by what they tell the user.
template <class T> T* byToolTip(QWidget* root, const QString& tip)
{
    T* found = nullptr;
    for (T* w : root->findChildren<T*>()) {
        if (!w->toolTip().startsWith(tip))
            continue;
        if (found)
            return nullptr;
        found = w;
    }
    return found;
}

inline QGroupBox* groupOf(QWidget* w)
{
    while (w && !qobject_cast<QGroupBox*>(w))
        w = w->parentWidget();
    return qobject_cast<QGroupBox*>(w);
}

// The red error label that is a direct child of `parent` (a group box or the panel).
inline QLabel* errorLabelOf(QWidget* parent)
{
    const auto labels = parent->findChildren<QLabel*>("errorLabel", Qt::FindDirectChildrenOnly);
    return labels.size() == 1 ? labels.front() : nullptr;
}

inline void selectAll(QWidget* w)
{
    QTest::keyClick(w, Qt::Key_A, Qt::ControlModifier);
}

// Replaces the text by `text` as one paste (a student pasting from elsewhere).
inline void paste(QWidget* w, const QString& text)
{
    QGuiApplication::clipboard()->setText(text);
    selectAll(w);
    if (text.isEmpty())
        QTest::keyClick(w, Qt::Key_Delete);
    else
        QTest::keyClick(w, Qt::Key_V, Qt::ControlModifier);
}

// Replaces the text by typing `text` key by key (ASCII), then Enter.
inline void typeAndEnter(QWidget* w, const QString& text)
{
    selectAll(w);
    if (text.isEmpty())
        QTest::keyClick(w, Qt::Key_Delete);
    else
        QTest::keyClicks(w, text);
    QTest::keyClick(w, Qt::Key_Return);
}

inline QString spinText(QAbstractSpinBox* box)
{
    return box->text();
}

inline double spinValue(QAbstractSpinBox* box)
{
    if (auto* d = qobject_cast<QDoubleSpinBox*>(box))
        return d->value();
    return qobject_cast<QSpinBox*>(box)->value();
}

inline void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(bytes), bytes.size());
}

// Files in `dir` (recursively, hidden ones too): nothing may be left behind by a failed write.
inline QStringList filesIn(const QString& dir)
{
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        out << QDir(dir).relativeFilePath(it.next());
    out.sort();
    return out;
}

// The base session (N = 40, one spike 2.5, one sample, seed 3) with what puts the control of
// `variant` on screen: a noise, spike or bulk family, or a fixed rank ("base": none).
inline core::Session baseSession(const QString& variant)
{
    struct Variant
    {
        const char* name;
        const char* noise;
        const char* spikes;
        const char* bulk;
        int rank; // 0: the rule of the session
    };
    static const Variant variants[] = {
        {"student-t", "student-t:3", nullptr, nullptr, 0},
        {"sparse", "sparse:0.5", nullptr, nullptr, 0},
        {"rademacher", "rademacher", nullptr, nullptr, 0},
        {"rank", nullptr, nullptr, nullptr, 2},
        {"linear", nullptr, "linear:1,4", nullptr, 3},
        {"power", nullptr, "power:5,0.5", nullptr, 3},
        {"list", nullptr, "list:4,3", nullptr, 0},
        {"uniform", nullptr, nullptr, "uniform:-1,1", 0},
        {"semicircle", nullptr, nullptr, "semicircle:1", 0},
        {"twopoint", nullptr, nullptr, "twopoint:-1,1,0.5", 0},
        {"bulklist", nullptr, nullptr, "list:-1,0,1", 0},
    };
    core::Session s = test::spikedSession(40, "equal:2.5", 1, 3);
    for (const Variant& v : variants) {
        if (variant != QLatin1String(v.name))
            continue;
        if (v.noise)
            s.model.noise = core::parseNoise(v.noise);
        if (v.spikes)
            s.model.spikes = core::parseSpikes(v.spikes);
        if (v.bulk)
            s.model.bulk = core::parseBulk(v.bulk);
        if (v.rank > 0)
            s.model.rank = {true, 0.0, v.rank};
    }
    return s;
}

class GuiInputsFixture
{
protected:
    // initTestCase: the window, small (less to paint per run), on the base session's result.
    void openWindow();
    // cleanupTestCase: closes it and reports how many bad inputs `test` tried.
    void closeWindow(const char* test);
    // Loads the variant's base session (unless it is loaded already) and waits for its run.
    void startFrom(const QString& variant);
    // Records the finished run the next checks compare against.
    void rememberGood();
    // (2): no run started since rememberGood(), the plots show the last good result.
    void checkNoRun();
    // (3): a run of exactly the controls' parameters happened after rememberGood().
    void checkRan();
    QAbstractSpinBox* spin(const QString& id) const;
    QLineEdit* bulkListEdit() const;
    QLabel* bulkErrorLabel() const;
    QLabel* panelErrorLabel() const;
    QLabel* statusMessage() const;
    // A correct list that differs from the one of the last run.
    QString goodList(bool spikes) const;

    int m_cases = 0; // bad inputs tried (printed at the end)
    std::unique_ptr<ui::MainWindow> m_w;
    QString m_variant;
    quint64 m_good = 0;
    std::string m_goodJson;
    std::unique_ptr<QSignalSpy> m_started, m_failed;
    QTemporaryDir m_dir;
};

inline void GuiInputsFixture::openWindow()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    m_w = std::make_unique<ui::MainWindow>(ui::MainWindow::Options{false, false});
    m_w->resize(1000, 700); // small: less to paint per run
    m_w->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_w.get()));
    // A request starts on the next event-loop pass: "no run started" needs no long wait.
    m_w->controller()->setThrottleInterval(1);
    startFrom("base");
}

inline void GuiInputsFixture::closeWindow(const char* test)
{
    m_started.reset();
    m_failed.reset();
    m_w.reset();
    qInfo("%s: %d bad inputs tried through the GUI", test, m_cases);
}

inline void GuiInputsFixture::startFrom(const QString& variant)
{
    // "any": whatever good run is on screen will do.
    if ((variant != m_variant && variant != "any") || !m_w->controls()->session()) {
        m_w->applySession(baseSession(variant));
        m_variant = variant;
    }
    QVERIFY(waitFinished(*m_w));
    rememberGood();
}

inline void GuiInputsFixture::rememberGood()
{
    QVERIFY(waitFinished(*m_w));
    m_good = m_w->controller()->generation();
    const auto t = m_w->controller()->theory();
    QVERIFY(t && t->generation == m_good);
    m_goodJson = core::sessionToJson(t->session);
    // The controls show what ran.
    auto shown = m_w->controls()->session();
    QVERIFY(shown);
    QCOMPARE(core::sessionToJson(*shown), m_goodJson);
    m_started = std::make_unique<QSignalSpy>(m_w->controller(), &ui::Controller::started);
    m_failed = std::make_unique<QSignalSpy>(m_w->controller(), &ui::Controller::failed);
}

inline void GuiInputsFixture::checkNoRun()
{
    // A request with unchanged parameters (Enter in a box) is fine: it starts nothing.
    ui::Controller* c = m_w->controller();
    QVERIFY(test::waitRequestHandled(*c, 5000));
    QCOMPARE(m_started->count(), 0);
    QCOMPARE(m_failed->count(), 0);
    QVERIFY(!c->hasPending());
    QCOMPARE(c->generation(), m_good);
    QCOMPARE(m_w->mainPlot()->theoryGeneration(), m_good);
    QCOMPARE(m_w->mainPlot()->samplesGeneration(), m_good);
    QCOMPARE(core::sessionToJson(c->theory()->session), m_goodJson);
}

inline void GuiInputsFixture::checkRan()
{
    QVERIFY(waitFinished(*m_w));
    ui::Controller* c = m_w->controller();
    QVERIFY(c->generation() > m_good);
    QCOMPARE(m_failed->count(), 0);
    auto shown = m_w->controls()->session();
    QVERIFY(shown);
    QCOMPARE(core::sessionToJson(c->theory()->session), core::sessionToJson(*shown));
    rememberGood();
}

inline QAbstractSpinBox* GuiInputsFixture::spin(const QString& id) const
{
    ui::ControlsPanel* p = m_w->controls();
    if (id == "N")
        return p->nControl()->spinBox();
    if (id == "sigma")
        return p->sigmaControl()->spinBox();
    if (id == "alpha")
        return p->alphaControl()->spinBox();
    if (id == "t")
        return p->thetaControl()->spinBox();
    if (id == "samples")
        return p->samplesBox();
    if (id == "rank")
        return byToolTip<QSpinBox>(p, "Explicit rank");
    const std::pair<const char*, const char*> tips[] = {
        {"nu", "ν:"},          {"noise p", "p: probability"}, {"top", "Top spike"},
        {"lowest", "Lowest"},  {"power t", "t: the top"},     {"g", "g: decay"},
        {"a", "a: left end"},  {"b", "b: right end"},         {"rho", "ρ:"},
        {"two a", "a: first"}, {"two b", "b: second"},        {"two p", "p: fraction"},
    };
    for (const auto& [name, tip] : tips)
        if (id == name)
            return byToolTip<QDoubleSpinBox>(p, QString::fromUtf8(tip));
    return nullptr;
}

inline QLineEdit* GuiInputsFixture::bulkListEdit() const
{
    return byToolTip<QLineEdit>(m_w->controls(), "Values whose empirical law");
}

inline QLabel* GuiInputsFixture::bulkErrorLabel() const
{
    return errorLabelOf(groupOf(m_w->controls()->bulkKindBox()));
}

inline QLabel* GuiInputsFixture::panelErrorLabel() const
{
    return errorLabelOf(m_w->controls());
}

inline QString GuiInputsFixture::goodList(bool spikes) const
{
    const core::Model& m = m_w->controller()->theory()->session.model;
    if (spikes)
        return m.spikes.params == std::vector<double>{4.0, 3.5} ? "4, 3" : "4, 3.5";
    return m.bulk.params == std::vector<double>{-1.0, 0.5, 1.0} ? "-1 0 1" : "-1 0.5 1";
}

inline QLabel* GuiInputsFixture::statusMessage() const
{
    // The status panel's message is its only label with selectable text.
    for (QLabel* l : m_w->statusPanel()->findChildren<QLabel*>())
        if (l->textInteractionFlags() & Qt::TextSelectableByMouse)
            return l;
    return nullptr;
}

} // namespace ws::test
