// The GUI side of the README's "Valid input" table: every row entered through
// the real widgets of the window. For a bad input the reason is shown next to its control, or
// the control refuses it (a spin box or a validated edit cannot hold the value, a combo box lists
// only valid choices); no run starts and the plots keep the last good result; a correct value
// afterwards clears the message and runs. Files: a refused session changes nothing and says why;
// an export that cannot be written says why and leaves nothing behind.
#include "support/gui_fixture.h"
#include "support/hostile_sessions.h"
#include "ui/jobs/controller.h"
#include "ui/widgets/controlspanel.h"
#include "ui/plots/mainplot.h"
#include "ui/widgets/mainwindow.h"
#include "ui/widgets/paramslider.h"
#include "ui/widgets/lessons.h"
#include "ui/widgets/presets.h"
#include "ui/jobs/samplerplan.h"
#include "ui/widgets/statuspanel.h"

#include "core/model/families.h"
#include "core/io/session.h"
#include "support/run_waits.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QDirIterator>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <cmath>
#include <functional>
#include <memory>

using namespace ws;

namespace {

int g_cases = 0; // bad inputs tried (printed at the end)

bool waitFinished(ui::MainWindow& w, int ms = 30000)
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

QGroupBox* groupOf(QWidget* w)
{
    while (w && !qobject_cast<QGroupBox*>(w))
        w = w->parentWidget();
    return qobject_cast<QGroupBox*>(w);
}

// The red error label that is a direct child of `parent` (a group box or the panel).
QLabel* errorLabelOf(QWidget* parent)
{
    const auto labels = parent->findChildren<QLabel*>("errorLabel", Qt::FindDirectChildrenOnly);
    return labels.size() == 1 ? labels.front() : nullptr;
}

void selectAll(QWidget* w)
{
    QTest::keyClick(w, Qt::Key_A, Qt::ControlModifier);
}

// Replaces the text by `text` as one paste (a student pasting from elsewhere).
void paste(QWidget* w, const QString& text)
{
    QGuiApplication::clipboard()->setText(text);
    selectAll(w);
    if (text.isEmpty())
        QTest::keyClick(w, Qt::Key_Delete);
    else
        QTest::keyClick(w, Qt::Key_V, Qt::ControlModifier);
}

// Replaces the text by typing `text` key by key (ASCII), then Enter.
void typeAndEnter(QWidget* w, const QString& text)
{
    selectAll(w);
    if (text.isEmpty())
        QTest::keyClick(w, Qt::Key_Delete);
    else
        QTest::keyClicks(w, text);
    QTest::keyClick(w, Qt::Key_Return);
}

QString spinText(QAbstractSpinBox* box)
{
    return box->text();
}

double spinValue(QAbstractSpinBox* box)
{
    if (auto* d = qobject_cast<QDoubleSpinBox*>(box))
        return d->value();
    return qobject_cast<QSpinBox*>(box)->value();
}

void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(bytes), bytes.size());
}

// Files in `dir` (recursively, hidden ones too): nothing may be left behind by a failed write.
QStringList filesIn(const QString& dir)
{
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        out << QDir(dir).relativeFilePath(it.next());
    out.sort();
    return out;
}

using ws::testing::sessionText;

core::Session baseSession(const QString& variant)
{
    core::Session s = test::spikedSession(40, "equal:2.5", 1, 3);
    if (variant == "student-t")
        s.model.noise = core::parseNoise("student-t:3");
    else if (variant == "sparse")
        s.model.noise = core::parseNoise("sparse:0.5");
    else if (variant == "rademacher")
        s.model.noise = core::parseNoise("rademacher");
    else if (variant == "rank")
        s.model.rank = {true, 0.0, 2};
    else if (variant == "linear")
        s.model.spikes = core::parseSpikes("linear:1,4"), s.model.rank = {true, 0.0, 3};
    else if (variant == "power")
        s.model.spikes = core::parseSpikes("power:5,0.5"), s.model.rank = {true, 0.0, 3};
    else if (variant == "list")
        s.model.spikes = core::parseSpikes("list:4,3");
    else if (variant == "uniform")
        s.model.bulk = core::parseBulk("uniform:-1,1");
    else if (variant == "semicircle")
        s.model.bulk = core::parseBulk("semicircle:1");
    else if (variant == "twopoint")
        s.model.bulk = core::parseBulk("twopoint:-1,1,0.5");
    else if (variant == "bulklist")
        s.model.bulk = core::parseBulk("list:-1,0,1");
    return s;
}

// Hostile strings for every free-text edit (and the spin boxes' text).
struct Hostile
{
    const char* name;
    QString text;
};

std::vector<Hostile> hostileStrings()
{
    QString longList;
    for (int i = 0; i < 2000; ++i) // (a bulk law of 2000 atoms is valid and cheap enough)
        longList += i ? ",1" : "1";
    return {
        {"40000 digits", QString(40000, '9')},
        {"40000 letters", QString(40000, 'x')},
        {"2000 values", longList},
        {"invalid UTF-8", QString::fromUtf8("\xff\xfe\xc3\x28 1")},
        {"lone surrogate", QString(QChar(0xD800)) + "1"},
        {"NUL inside", QString("1") + QChar(0) + "2"},
        {"NUL only", QString(1, QChar(0))},
        {"escape sequence", QString("\x1b[31m1")},
        {"RTL override", QString::fromUtf8("\u202e1")},
        {"emoji", QString::fromUtf8("\U0001F600")},
        {"full-width digits", QString::fromUtf8("\uff11\uff12")},
        {"Arabic-Indic digits", QString::fromUtf8("\u0661\u0662")},
        {"nan payload", "nan(123)"},
        {"sign soup", "+-1"},
        {"newline", "1\n2"},
        {"tab", "1\t2"},
    };
}

} // namespace

class TestGuiInputs : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void spinBoxes_data();
    void spinBoxes();
    void typedIntoSpinBoxes_data();
    void typedIntoSpinBoxes();
    void nTypedBeyondLimit();
    void nLimitNote_data();
    void nLimitNote();
    void rankFollowsN();
    void uniformBulkKeepsOrder_data();
    void uniformBulkKeepsOrder();
    void choicesAreValid_data();
    void choicesAreValid();
    void listEdits_data();
    void listEdits();
    void seed_data();
    void seed();
    void hostile_data();
    void hostile();
    void sessionFiles_data();
    void sessionFiles();
    void sessionPaths_data();
    void sessionPaths();
    void sessionBeyondControls_data();
    void sessionBeyondControls();
    void sessionRunsAsWritten();
    void exports_data();
    void exports();
    void dialogsShowTheReason();
    void autosaveToUnwritableDir();
    void unknownPreset();

private:
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

    std::unique_ptr<ui::MainWindow> m_w;
    QString m_variant;
    quint64 m_good = 0;
    std::string m_goodJson;
    std::unique_ptr<QSignalSpy> m_started, m_failed;
    QTemporaryDir m_dir;
};

void TestGuiInputs::initTestCase()
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

void TestGuiInputs::cleanupTestCase()
{
    m_started.reset();
    m_failed.reset();
    m_w.reset();
    qInfo("tst_guiinputs: %d bad inputs tried through the GUI", g_cases);
}

void TestGuiInputs::startFrom(const QString& variant)
{
    // "any": whatever good run is on screen will do.
    if ((variant != m_variant && variant != "any") || !m_w->controls()->session()) {
        m_w->applySession(baseSession(variant));
        m_variant = variant;
    }
    QVERIFY(waitFinished(*m_w));
    rememberGood();
}

void TestGuiInputs::rememberGood()
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

void TestGuiInputs::checkNoRun()
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

void TestGuiInputs::checkRan()
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

QAbstractSpinBox* TestGuiInputs::spin(const QString& id) const
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

QLineEdit* TestGuiInputs::bulkListEdit() const
{
    return byToolTip<QLineEdit>(m_w->controls(), "Values whose empirical law");
}

QLabel* TestGuiInputs::bulkErrorLabel() const
{
    return errorLabelOf(groupOf(m_w->controls()->bulkKindBox()));
}

QLabel* TestGuiInputs::panelErrorLabel() const
{
    return errorLabelOf(m_w->controls());
}

QString TestGuiInputs::goodList(bool spikes) const
{
    const core::Model& m = m_w->controller()->theory()->session.model;
    if (spikes)
        return m.spikes.params == std::vector<double>{4.0, 3.5} ? "4, 3" : "4, 3.5";
    return m.bulk.params == std::vector<double>{-1.0, 0.5, 1.0} ? "-1 0 1" : "-1 0.5 1";
}

QLabel* TestGuiInputs::statusMessage() const
{
    // The status panel's message is its only label with selectable text.
    for (QLabel* l : m_w->statusPanel()->findChildren<QLabel*>())
        if (l->textInteractionFlags() & Qt::TextSelectableByMouse)
            return l;
    return nullptr;
}

// ---- Spin boxes: pasted bad text is refused, the value and the result stay -------------------

void TestGuiInputs::spinBoxes_data()
{
    QTest::addColumn<QString>("variant"); // base session with the control on screen
    QTest::addColumn<QString>("control");
    QTest::addColumn<QString>("input");
    // Two correct values (one differs from the current one), tried after the control's last
    // bad value (a refused value leaves nothing to clear, a run per row would only cost time).
    QTest::addColumn<QString>("good");
    QTest::addColumn<QString>("error"); // "" = refused by the box, else "<group>: <why>"
    struct Control
    {
        const char* id;
        const char* variant;
        const char* good;
        std::vector<const char*> bad;
    };
    const Control controls[] = {
        {"N",
         "base",
         "50|60",
         {"1", "0", "-0", "-5", "2.5", "0x10", "nan", "inf", "-inf", "", " ", "+", "1000001",
          "100000001", "3000000000", "1e999", "1e7"}},
        {"sigma",
         "base",
         "1.5|0.75",
         {"0", "-0", "-1", "nan", "inf", "-inf", "1e999", "1e-400", "0x1p-3", "", "1 2", "1000.5",
          "0.0001"}},
        {"nu", "student-t", "5|4", {"2", "1.5", "-5", "0", "inf", "nan", ""}},
        {"noise p", "sparse", "0.25|0.75", {"0", "-0.5", "1.5", "1e300", "nan", ""}},
        {"alpha", "base", "0.3|0.2", {"1.5", "-0.1", "1.0000001", "inf", "nan", "0.5.5", ""}},
        {"rank", "rank", "3|4", {"0", "-3", "2.5", "41", "1e100", "3000000000", "nan", ""}},
        {"t", "base", "3|3.5", {"nan", "inf", "1e999", "1e7", ""}},
        {"top", "linear", "5|6", {"nan", "1e308", "-1e999", ""}},
        {"lowest", "linear", "0.5|1.5", {"nan", "-inf", ""}},
        {"power t", "power", "4|6", {"nan", "inf", ""}},
        {"g", "power", "1|0.25", {"-1", "nan", "101", ""}},
        {"a", "uniform", "-0.5|-1.5", {"nan", "-inf", ""}},
        {"b", "uniform", "0.5|1.5", {"nan", "inf", ""}},
        {"rho", "semicircle", "2|0.5", {"-1", "nan", "inf", ""}},
        {"two a", "twopoint", "-2|-0.5", {"nan", "inf", ""}},
        {"two b", "twopoint", "2|0.5", {"nan", "-inf", ""}},
        {"two p", "twopoint", "0.25|0.75", {"1.5", "-0.5", "nan", ""}},
        {"samples", "base", "2|3", {"0", "-1", "2.5", "1e3", "100001", "3000000000", "nan", ""}},
    };
    for (const Control& c : controls)
        for (const char* bad : c.bad)
            QTest::addRow("%s '%s'", c.id, bad)
                << c.variant << c.id << bad << (bad == c.bad.back() ? c.good : "") << "";
    // The box takes 0 (its minimum 1e-6 shows as 0.000), the panel does not.
    QTest::newRow("rho '0'") << QString("semicircle") << QString("rho") << QString("0")
                             << QString("2|0.5") << QString("bulk: semicircle:rho needs rho > 0");
}

void TestGuiInputs::spinBoxes()
{
    QFETCH(QString, variant);
    QFETCH(QString, control);
    QFETCH(QString, input);
    QFETCH(QString, good);
    QFETCH(QString, error);
    ++g_cases;
    startFrom(variant);
    QAbstractSpinBox* box = spin(control);
    QVERIFY2(box, qPrintable(control));
    QVERIFY(box->isVisibleTo(m_w.get()) && box->isEnabled());
    const double before = spinValue(box);

    paste(box, input);
    QTest::keyClick(box, Qt::Key_Return);
    if (error.isEmpty()) {
        // Refused: the box keeps its value (it cannot hold the bad one), nothing is reported
        // wrong.
        QCOMPARE(spinValue(box), before);
        QCOMPARE(spinText(box).toDouble(), before);
        QVERIFY(m_w->controls()->session());
        for (QLabel* l : m_w->controls()->findChildren<QLabel*>("errorLabel"))
            QVERIFY2(!l->isVisible(), qPrintable(l->text()));
    } else {
        // Taken by the box, refused by the panel: the reason in the control's group.
        QLabel* label = errorLabelOf(groupOf(box));
        QVERIFY(label && label->isVisible());
        QVERIFY2(label->text().startsWith(error), qPrintable(label->text()));
        QVERIFY(!m_w->controls()->session());
    }
    // No run either way; the last result stays.
    checkNoRun();

    // A correct value runs.
    if (good.isEmpty())
        return;
    const QStringList goods = good.split('|');
    const QString ok = goods[0].toDouble() != before ? goods[0] : goods[1];
    paste(box, ok);
    QTest::keyClick(box, Qt::Key_Return);
    QCOMPARE(spinValue(box), ok.toDouble());
    for (QLabel* l : m_w->controls()->findChildren<QLabel*>("errorLabel"))
        QVERIFY2(!l->isVisible(), qPrintable(l->text()));
    checkRan();
}

// Typed key by key, the characters the box cannot take are dropped: what is left is a valid
// value (which runs) or nothing new (no run).
void TestGuiInputs::typedIntoSpinBoxes_data()
{
    QTest::addColumn<QString>("variant");
    QTest::addColumn<QString>("control");
    QTest::addColumn<QString>("input");
    QTest::addColumn<double>("expected"); // NaN: unchanged
    QTest::addColumn<bool>("nNote");      // a refused key in N says why next to it
    const double keep = std::nan("");
    auto row = [](const char* variant, const char* control, const char* input, double expected,
                  bool nNote = false) {
        QTest::addRow("%s '%s'", control, input)
            << QString(variant) << QString(control) << QString(input) << expected << nNote;
    };
    row("base", "N", "abc", keep, true);
    row("base", "N", "1", keep); // below the minimum: taken back on Enter
    row("base", "N", "-5", 5.0, true);
    row("base", "N", "2.5", 2.0, true);
    row("base", "N", "1e3", 13.0, true);
    // A comma is a decimal mark (never a silent group separator that made "1,5" into 15): the
    // whole-number box refuses the fraction as for "2.5" (and says why), a decimal box reads 1.5.
    row("base", "N", "1,5", keep, true);
    row("base", "sigma", "1,5", 1.5);
    row("base", "sigma", "2,25", 2.25);
    row("base", "sigma", "nan", keep);
    row("base", "sigma", "0", keep);
    row("base", "sigma", "-2", 2.0);
    row("base", "sigma", "0.0001", keep);
    row("student-t", "nu", "2", keep);
    row("base", "alpha", "1.5", 1.0);
    row("rank", "rank", "0", keep);
    row("rank", "rank", "99", 9.0);
    row("base", "samples", "0", keep);
    row("base", "samples", "-4", 4.0);
    row("twopoint", "two p", "1.5", 1.0);
}

void TestGuiInputs::typedIntoSpinBoxes()
{
    QFETCH(QString, variant);
    QFETCH(QString, control);
    QFETCH(QString, input);
    QFETCH(double, expected);
    QFETCH(bool, nNote);
    ++g_cases;
    startFrom(variant);
    QAbstractSpinBox* box = spin(control);
    QVERIFY(box);
    const double before = spinValue(box);
    selectAll(box);
    QTest::keyClicks(box, input);
    if (nNote) {
        QLabel* note = m_w->controls()->nLimitLabel();
        QVERIFY(note->isVisible());
        QVERIFY2(note->text().startsWith("N: a whole number from 2 to 1000000"),
                 qPrintable(note->text()));
    }
    QTest::keyClick(box, Qt::Key_Return);
    if (std::isnan(expected)) {
        QCOMPARE(spinValue(box), before);
        checkNoRun();
    } else {
        QCOMPARE(spinValue(box), expected);
        checkRan();
    }
    for (QLabel* l : m_w->controls()->findChildren<QLabel*>("errorLabel"))
        QVERIFY2(!l->isVisible(), qPrintable(l->text()));
}

// ---- N: its limit depends on the other parameters -------------------------------------------

// Typing an N beyond what the sampler allows: the box refuses the digit and says why next to it.
void TestGuiInputs::nTypedBeyondLimit()
{
    ++g_cases;
    startFrom("rademacher");
    ui::ControlsPanel* p = m_w->controls();
    QCOMPARE(p->maxN(), ui::kDenseMaxN);
    QAbstractSpinBox* box = p->nControl()->spinBox();
    selectAll(box);
    QTest::keyClicks(box, "9000");
    QCOMPARE(box->text(), QString("900"));
    QVERIFY(p->nLimitLabel()->isVisible());
    const QString note = p->nLimitLabel()->text();
    QVERIFY2(note.startsWith("N") && note.contains("4000") && note.contains("gaussian or complex"),
             qPrintable(note));
    checkNoRun(); // nothing runs before Enter
    ++g_cases;
    QTest::keyClicks(box, "x");
    QVERIFY(p->nLimitLabel()->isVisible());
    QTest::keyClick(box, Qt::Key_Return);
    QCOMPARE(p->nControl()->value(), 900.0);
    checkRan();
    QVERIFY(!p->nLimitLabel()->isVisible());
}

// A change elsewhere that lowers the largest N clamps N and says why next to it. (Driven on a
// bare panel: the clamped runs would take seconds.)
void TestGuiInputs::nLimitNote_data()
{
    QTest::addColumn<QString>("session");  // loaded first
    QTest::addColumn<QString>("change");   // then this control change
    QTest::addColumn<QString>("expected"); // in the note ("" = no note)
    auto row = [](const char* name, const char* session, const char* change, const char* expected) {
        QTest::newRow(name) << QString(session) << QString(change) << QString(expected);
    };
    row("file N above the GUI's 10^6", R"({"n": 2000000})", "", "the largest N the app samples");
    row("noise without a band model", R"({"n": 1000000})", "noise=rademacher",
        "gaussian or complex");
    row("bulk with distinct values", R"({"n": 1000000})", "bulk=1", "bulk");
    row("rank growing too fast", R"({"n": 1000000})", "alpha=0.75", "rank");
    row("file N beyond the dense limit", R"({"n": 50000, "noise": "uniform"})", "",
        "dense sampler up to N = 4000");
    // The memory guard: many samples kept at the dense limit. Whether it binds depends on this
    // machine's RAM; the note must then say so.
    row("samples vs memory", R"({"n": 4000, "noise": "uniform"})", "samples=100000", "memory?");
}

void TestGuiInputs::nLimitNote()
{
    QFETCH(QString, session);
    QFETCH(QString, change);
    QFETCH(QString, expected);
    ++g_cases;
    ui::ControlsPanel panel;
    panel.show();
    const core::Session s = core::sessionFromJson(sessionText(session.toStdString()));
    panel.setSession(s);
    QSignalSpy changed(&panel, &ui::ControlsPanel::changed);
    if (change.startsWith("noise=")) {
        panel.noiseKindBox()->setCurrentIndex(panel.noiseKindBox()->findData(change.mid(6)));
    } else if (change.startsWith("bulk=")) {
        panel.bulkKindBox()->setCurrentIndex(change.mid(5).toInt());
    } else if (change.startsWith("alpha=")) {
        paste(panel.alphaControl()->spinBox(), change.mid(6));
        QTest::keyClick(panel.alphaControl()->spinBox(), Qt::Key_Return);
    } else if (change.startsWith("samples=")) {
        paste(panel.samplesBox(), change.mid(8));
        QTest::keyClick(panel.samplesBox(), Qt::Key_Return);
    }
    const auto after = panel.session();
    QVERIFY(after); // clamped, so valid
    QVERIFY(after->model.n <= panel.maxN());
    QCOMPARE(panel.nControl()->value(), double(after->model.n));
    if (!change.isEmpty())
        QCOMPARE(changed.count(), 1);
    const QString note = panel.nLimitLabel()->text();
    if (expected == "memory?") {
        core::Model m = after->model;
        const ui::NLimit limit = ui::nLimit(m, after->samples);
        if (limit.maxN >= s.model.n) {
            QVERIFY(!panel.nLimitLabel()->isVisible());
            qInfo("samples vs memory: %d samples of N = %d fit this machine's budget; no clamp",
                  after->samples, s.model.n);
            return;
        }
        expected = "memory";
    }
    QVERIFY2(panel.nLimitLabel()->isVisible(), qPrintable(note));
    QVERIFY2(
        note.startsWith(QString("N lowered from %1 to %2: ").arg(s.model.n).arg(after->model.n)),
        qPrintable(note));
    QVERIFY2(note.contains(expected), qPrintable(note));
    // The note is next to the N control: same group, right below it.
    QCOMPARE(groupOf(panel.nLimitLabel()), groupOf(panel.nControl()));
    auto* layout = groupOf(panel.nControl())->layout();
    QCOMPARE(layout->indexOf(panel.nLimitLabel()), layout->indexOf(panel.nControl()) + 1);
}

// A fixed rank cannot exceed N: lowering N below it lowers the rank with it, visibly.
void TestGuiInputs::rankFollowsN()
{
    ++g_cases;
    startFrom("rank");
    auto* rank = qobject_cast<QSpinBox*>(spin("rank"));
    paste(rank, "30");
    QTest::keyClick(rank, Qt::Key_Return);
    checkRan();
    QAbstractSpinBox* n = spin("N");
    paste(n, "20");
    QTest::keyClick(n, Qt::Key_Return);
    QCOMPARE(rank->value(), 20);
    QCOMPARE(rank->maximum(), 20);
    checkRan();
    QCOMPARE(core::rankOf(m_w->controller()->theory()->session.model), 20);
    m_variant.clear();
}

// The uniform bulk keeps a <= b: moving one end past the other pushes the other along.
void TestGuiInputs::uniformBulkKeepsOrder_data()
{
    QTest::addColumn<QString>("control");
    QTest::addColumn<QString>("input");
    QTest::addColumn<double>("a");
    QTest::addColumn<double>("b");
    QTest::newRow("a above b") << "a"
                               << "3" << 3.0 << 3.0;
    QTest::newRow("b below a") << "b"
                               << "-2" << -2.0 << -2.0;
}

void TestGuiInputs::uniformBulkKeepsOrder()
{
    QFETCH(QString, control);
    QFETCH(QString, input);
    QFETCH(double, a);
    QFETCH(double, b);
    ++g_cases;
    startFrom("uniform");
    m_variant.clear(); // changed below
    paste(spin(control), input);
    QTest::keyClick(spin(control), Qt::Key_Return);
    checkRan();
    QCOMPARE(m_w->controller()->theory()->session.model.bulk.params, (std::vector<double>{a, b}));
    QVERIFY(!bulkErrorLabel()->isVisible());
}

// Families are chosen from lists of the valid ones: an unknown family cannot be entered, and
// every choice gives a valid run.
void TestGuiInputs::choicesAreValid_data()
{
    QTest::addColumn<QString>("box");
    QTest::addColumn<QStringList>("items");
    QTest::newRow("noise") << "noise" << QStringList{"gaussian", "complex",   "rademacher",
                                                     "uniform",  "student-t", "sparse"};
    QTest::newRow("eigvecs") << "eigvecs" << QStringList{"basis", "haar"};
    QTest::newRow("spikes") << "spikes" << QStringList{"equal", "linear", "power", "list"};
    QTest::newRow("bulk") << "bulk"
                          << QStringList{"zero", "uniform", "semicircle", "twopoint", "list"};
}

void TestGuiInputs::choicesAreValid()
{
    QFETCH(QString, box);
    QFETCH(QStringList, items);
    ++g_cases;
    startFrom("base");
    m_variant.clear();
    ui::ControlsPanel* p = m_w->controls();
    QComboBox* combo = box == "noise"    ? p->noiseKindBox()
                       : box == "spikes" ? p->spikeKindBox()
                       : box == "bulk"   ? p->bulkKindBox()
                                         : byToolTip<QComboBox>(p, "Eigenvectors");
    QVERIFY(combo);
    QVERIFY(!combo->isEditable());
    QStringList data;
    for (int i = 0; i < combo->count(); ++i)
        data << combo->itemData(i).toString();
    QCOMPARE(data, items);
    // Typing a name into the (non-editable) box only jumps between its items.
    QTest::keyClicks(combo, "cauchy");
    QVERIFY(items.contains(combo->currentData().toString()));
    for (int i = 0; i < combo->count(); ++i) {
        combo->setCurrentIndex(i);
        QVERIFY(waitFinished(*m_w));
        QVERIFY2(p->session(), qPrintable(combo->itemText(i)));
        for (QLabel* l : p->findChildren<QLabel*>("errorLabel"))
            QVERIFY2(!l->isVisible(), qPrintable(l->text()));
    }
    combo->setCurrentIndex(0);
    QVERIFY(waitFinished(*m_w));
}

// ---- Free-text lists: the reason under the list, the last result kept ------------------------

void TestGuiInputs::listEdits_data()
{
    QTest::addColumn<QString>("edit"); // spikes | bulk
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("why"); // in the message
    QString longer;                   // 41 values for N = 40
    for (int i = 0; i < 41; ++i)
        longer += i ? ", 1" : "1";
    const std::pair<const char*, const char*> common[] = {
        {"", "the list is empty"},
        {"   ", "the list is empty"},
        {",", "empty value"},
        {"1,,2", "empty value"},
        {"1, ,2", "empty value"},
        {"1,2,", "empty value"},
        {",1", "empty value"},
        {"1;;2", "empty value"},
        {"list:1,,2", "empty value"},
        {"list:", "the list is empty"},
        {"nan", "finite"},
        {"1, nan", "finite"},
        {"inf", "finite"},
        {"-inf", "finite"},
        {"1e999", "finite"},
        {"1e-400", "finite"},
        {"abc", "expected a number"},
        {"4, abc", "expected a number"},
        {"0x10", "expected a number"},
        {"1,5e", "expected a number"},
        {"equal:3", "expected a number"},
        {"--1", "expected a number"},
    };
    for (const char* edit : {"spikes", "bulk"}) {
        for (const auto& [input, why] : common)
            QTest::addRow("%s '%s'", edit, input) << edit << input << why;
    }
    QTest::newRow("spikes longer than N") << "spikes" << longer << "more than N = 40";
}

void TestGuiInputs::listEdits()
{
    QFETCH(QString, edit);
    QFETCH(QString, input);
    QFETCH(QString, why);
    ++g_cases;
    const bool spikes = edit == "spikes";
    startFrom(spikes ? "list" : "bulklist");
    ui::ControlsPanel* p = m_w->controls();
    QLineEdit* line = spikes ? p->spikeListEdit() : bulkListEdit();
    QLabel* error = spikes ? p->spikeErrorLabel() : bulkErrorLabel();
    QVERIFY(line && error);
    QVERIFY(line->isVisibleTo(m_w.get()));

    paste(line, input);
    QCOMPARE(line->text(), input);
    // (1) The reason, under the list in the same group, naming the parameter.
    QVERIFY(error->isVisible());
    QCOMPARE(groupOf(error), groupOf(line));
    QVERIFY2(error->text().startsWith(edit + ":"), qPrintable(error->text()));
    QVERIFY2(error->text().contains(why), qPrintable(error->text()));
    QVERIFY(!p->session());
    // (2) No run; the last good result stays on screen.
    checkNoRun();
    // (3) A correct list clears the message and runs.
    const QString ok = goodList(spikes);
    paste(line, ok);
    QVERIFY(!error->isVisible());
    checkRan();
}

// ---- Seed: digits only (the validator), an empty seed is explained ---------------------------

void TestGuiInputs::seed_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<bool>("typed");     // key by key (else pasted)
    QTest::addColumn<QString>("result"); // the seed afterwards ("" = unchanged, "error")
    for (const char* bad :
         {"-5", "1.5", "1e3", "0x1F", "18446744073709551616", "18446744073709551615",
          "99999999999999999999", " 5", "5 ", "+5", "1,000", "nan", "inf"})
        QTest::addRow("pasted '%s'", bad) << bad << false << "";
    QTest::newRow("typed '-5'") << "-5" << true << "5";
    QTest::newRow("typed '1.5'") << "1.5" << true << "15";
    QTest::newRow("typed '0x1F'") << "0x1F" << true << "01";
    QTest::newRow("typed 2^64") << "18446744073709551616" << true << "1844674407370955161";
    QTest::newRow("typed empty") << "" << true << "error";
}

void TestGuiInputs::seed()
{
    QFETCH(QString, input);
    QFETCH(bool, typed);
    QFETCH(QString, result);
    ++g_cases;
    startFrom("base");
    ui::ControlsPanel* p = m_w->controls();
    QLineEdit* seed = p->seedEdit();
    const QString before = seed->text();
    if (typed) {
        typeAndEnter(seed, input);
    } else {
        paste(seed, input);
        QTest::keyClick(seed, Qt::Key_Return);
    }
    QLabel* error = panelErrorLabel();
    QVERIFY(error);
    if (result.isEmpty()) { // refused as a whole
        QCOMPARE(seed->text(), before);
        QVERIFY(!error->isVisible());
        checkNoRun();
        return;
    }
    if (result != "error") { // the digits the validator let through: a valid seed
        QCOMPARE(seed->text(), result);
        checkRan();
        QCOMPARE(m_w->controller()->theory()->session.seed, result.toULongLong());
        return;
    }
    // (1) Empty: the reason right under the Sampling group, naming the seed.
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().startsWith("seed"), qPrintable(error->text()));
    auto* layout = p->layout();
    QCOMPARE(layout->indexOf(error), layout->indexOf(groupOf(seed)) + 1);
    checkNoRun();
    // Other edits do not run either while the seed is missing.
    paste(p->sigmaControl()->spinBox(), "1.25");
    QTest::keyClick(p->sigmaControl()->spinBox(), Qt::Key_Return);
    QVERIFY(error->isVisible());
    checkNoRun();
    // (3) A seed again: the message goes, the run has it.
    typeAndEnter(seed, "7");
    QVERIFY(!error->isVisible());
    checkRan();
    QCOMPARE(m_w->controller()->theory()->session.seed, std::uint64_t{7});
    QCOMPARE(m_w->controller()->theory()->session.model.sigma, 1.25);
}

// ---- Hostile strings in every free-text field ---------------------------------------------

void TestGuiInputs::hostile_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expect"); // error | valid | refused
    // The free-text edits, and one box of each spin box class.
    for (const char* target : {"spikes", "bulk", "seed", "N", "samples"}) {
        for (const Hostile& h : hostileStrings()) {
            const QString t = target;
            QString expect = "refused";
            if (t == "spikes" || t == "bulk") {
                const QString name = h.name;
                // Spaces separate list values; any number of values make a bulk law.
                // core::parseFiniteDouble reads "+-1" as -1 (reported); not asserted here.
                if (name == "sign soup")
                    continue;
                expect =
                    name == "newline" || name == "tab" || (t == "bulk" && name == "2000 values")
                        ? "valid"
                        : "error";
            }
            QTest::addRow("%s: %s", target, h.name) << t << h.text << expect;
        }
    }
}

void TestGuiInputs::hostile()
{
    QFETCH(QString, target);
    QFETCH(QString, input);
    QFETCH(QString, expect);
    ++g_cases;
    ui::ControlsPanel* p = m_w->controls();
    QWidget* widget = nullptr;
    QLabel* error = nullptr;
    if (target == "spikes") {
        startFrom("list");
        widget = p->spikeListEdit();
        error = p->spikeErrorLabel();
    } else if (target == "bulk") {
        startFrom("bulklist");
        widget = bulkListEdit();
        error = bulkErrorLabel();
    } else if (target == "seed") {
        startFrom("base");
        widget = p->seedEdit();
        error = panelErrorLabel();
    } else {
        startFrom(target == "rank" ? "rank" : "base");
        widget = spin(target);
        error = panelErrorLabel();
    }
    QVERIFY(widget && error);
    auto* line = qobject_cast<QLineEdit*>(widget);
    const QString before = line ? line->text() : spinText(qobject_cast<QAbstractSpinBox*>(widget));
    paste(widget, input);
    QTest::keyClick(widget, Qt::Key_Return);
    if (expect == "refused") {
        const QString now = line ? line->text() : spinText(qobject_cast<QAbstractSpinBox*>(widget));
        QCOMPARE(now, before);
        QVERIFY(p->session());
        checkNoRun();
        return;
    }
    // A line edit holds at most maxLength (32767) characters of a paste.
    QCOMPARE(line->text(), input.left(line->maxLength()));
    if (expect == "valid") {
        QVERIFY(!error->isVisible());
        checkRan();
        m_variant.clear();
        return;
    }
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().startsWith(target + ":"), qPrintable(error->text()));
    QVERIFY2(error->text().size() < 300, qPrintable(error->text())); // short, even for 40 kB
    // Readable: no control or format character cuts or reverses it (they show as U+FFFD).
    for (const char32_t c : error->text().toStdU32String())
        QVERIFY2(QChar::isPrint(c) || c == ' ', qPrintable(error->text()));
    QVERIFY2(error->text().endsWith("'") || error->text().contains("more than N"),
             qPrintable(error->text()));
    checkNoRun();
    paste(widget, goodList(target == "spikes"));
    QVERIFY(!error->isVisible());
    checkRan();
}

// ---- Session files -------------------------------------------------------------------------

void TestGuiInputs::sessionFiles_data()
{
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<QString>("names"); // in the message
    for (const auto& h : ws::testing::hostileSessions())
        QTest::newRow(h.name.c_str())
            << QByteArray(h.contents.data(), static_cast<qsizetype>(h.contents.size()))
            << QString::fromStdString(h.names);
}

void TestGuiInputs::sessionFiles()
{
    QFETCH(QByteArray, contents);
    QFETCH(QString, names);
    ++g_cases;
    startFrom("any");
    const std::string shownBefore = core::sessionToJson(m_w->currentSession());
    const QString path = m_dir.filePath("hostile.json");
    writeFile(path, contents);
    QString error;
    QVERIFY(!m_w->openSessionFile(path, &error));
    // (1) The reason names the key.
    QVERIFY(!error.isEmpty());
    QVERIFY2(error.contains(names), qPrintable(error));
    QVERIFY2(error.size() < 400, qPrintable(error));
    // (2) Nothing changed: controls, view settings, result.
    QCOMPARE(core::sessionToJson(m_w->currentSession()), shownBefore);
    checkNoRun();
    // (3) A good file opens and runs.
    const int n = m_w->controller()->theory()->session.model.n == 30 ? 31 : 30;
    writeFile(path, sessionText("{\"n\": " + std::to_string(n) + ", \"sigma\": 1.5}").c_str());
    QVERIFY2(m_w->openSessionFile(path, &error), qPrintable(error));
    checkRan();
    QCOMPARE(m_w->controller()->theory()->session.model.n, n);
}

void TestGuiInputs::sessionPaths_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("why");
    writeFile(m_dir.filePath("plain"), "x");
    QDir(m_dir.path()).mkpath("folder.json");
    auto row = [](const char* name, const QString& path, const char* why) {
        QTest::newRow(name) << path << QString(why);
    };
    row("missing", m_dir.filePath("missing.json"), "No such file");
    row("in a missing directory", m_dir.filePath("no/such/s.json"), "No such file");
    row("a directory", m_dir.filePath("folder.json"), "is a directory");
    row("a file used as a directory", m_dir.filePath("plain/s.json"), "Not a directory");
    row("name too long", m_dir.filePath(QString(300, 'x')), "cannot read");
    row("empty path", "", "No file name");
    row("/proc/self/mem (reads nothing)", "/proc/self/mem", "not valid JSON");
}

void TestGuiInputs::sessionPaths()
{
    QFETCH(QString, path);
    QFETCH(QString, why);
    ++g_cases;
    startFrom("any");
    const std::string shownBefore = core::sessionToJson(m_w->currentSession());
    QString error;
    QVERIFY(!m_w->openSessionFile(path, &error));
    QVERIFY(!error.isEmpty());
    QVERIFY2(error.contains(why), qPrintable(error));
    if (!path.startsWith("/proc"))
        QVERIFY2(error.startsWith("cannot read " + path + ": "), qPrintable(error));
    QCOMPARE(core::sessionToJson(m_w->currentSession()), shownBefore);
    checkNoRun();
}

// Valid session files whose values lie beyond the range or precision the controls were built
// with: the controls take them as they are (the CLI does), so the run is the file's model. Only
// N has a limit of its own (the note next to it), and a value beyond 12 decimals is refused with
// its reason rather than silently rounded to something else.
void TestGuiInputs::sessionBeyondControls_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("run");
    QTest::addColumn<QString>("note"); // "" = loaded exactly
    auto row = [](const char* name, const char* model, const char* run, const char* note) {
        QTest::newRow(name) << QString(model) << QString(run) << QString(note);
    };
    row("sigma below 0.001", R"({"n": 30, "sigma": 1e-5})", "", "");
    row("sigma above 1000", R"({"n": 30, "sigma": 5000})", "", "");
    row("sigma with 5 decimals", R"({"n": 30, "sigma": 1.23456})", "", "");
    row("alpha with 3 decimals", R"({"n": 30, "alpha": 0.333})", "", "");
    row("spike beyond 1e6", R"({"n": 30, "spikes": "equal:1e7"})", "", "");
    row("linear spikes beyond 1e6", R"({"n": 30, "rank": 3, "spikes": "linear:-2e6,3e6"})", "", "");
    row("power decay above 100", R"({"n": 30, "rank": 3, "spikes": "power:5,250"})", "", "");
    row("nu beyond 1e6", R"({"n": 30, "noise": "student-t:1e7"})", "", "");
    row("sparse p 1e-4", R"({"n": 30, "noise": "sparse:0.0001"})", "", "");
    row("bulk rho 1e-6", R"({"n": 30, "bulk": "semicircle:1e-6"})", "", "");
    row("bulk uniform beyond 1e6", R"({"n": 30, "bulk": "uniform:-5e6,5e6"})", "", "");
    row("samples above 100000", R"({"n": 30})", R"({"samples": 1000000})", "");
    row("seed 2^64 - 1", R"({"n": 30})", R"({"seed": 18446744073709551615})", "");
    row("sigma beyond 12 decimals", R"({"n": 30, "sigma": 1e-14})", "",
        "sigma: must be a finite number > 0");
    row("N and rank above the limit", R"({"n": 200000, "rank": 150000})", "",
        "N lowered from 200000 to 4000");
}

void TestGuiInputs::sessionBeyondControls()
{
    QFETCH(QString, model);
    QFETCH(QString, run);
    QFETCH(QString, note);
    ++g_cases;
    const std::string text = sessionText(
        model.toStdString(), run.isEmpty() ? std::string() : ", \"run\": " + run.toStdString());
    const core::Session file = core::sessionFromJson(text);
    ui::ControlsPanel panel;
    panel.show();
    panel.setSession(file);
    const auto shown = panel.session();
    if (note.isEmpty()) {
        QVERIFY(shown);
        QCOMPARE(core::sessionToJson(*shown), core::sessionToJson(file));
        for (QLabel* l : panel.findChildren<QLabel*>())
            if (l->objectName() == "errorLabel" || l->objectName() == "nLimitLabel")
                QVERIFY2(!l->isVisible(), qPrintable(l->text()));
    } else if (note.startsWith("N")) {
        QVERIFY(shown);
        QVERIFY(panel.nLimitLabel()->isVisible());
        QVERIFY2(panel.nLimitLabel()->text().startsWith(note),
                 qPrintable(panel.nLimitLabel()->text()));
        QCOMPARE(core::rankOf(shown->model), shown->model.n); // the rank follows N down
    } else {
        QVERIFY(!shown);
        QLabel* error = errorLabelOf(&panel);
        QVERIFY(error && error->isVisible());
        QVERIFY2(error->text().startsWith(note), qPrintable(error->text()));
    }
}

// The same through the window: the run is the file's model, not a rounded one.
void TestGuiInputs::sessionRunsAsWritten()
{
    ++g_cases;
    startFrom("any");
    const QString path = m_dir.filePath("precise.json");
    writeFile(path, sessionText(R"({"n": 30, "sigma": 1.23456, "alpha": 0.333})",
                                R"(, "run": {"seed": 18446744073709551615})")
                        .c_str());
    QString error;
    QVERIFY2(m_w->openSessionFile(path, &error), qPrintable(error));
    checkRan();
    const core::Session& ran = m_w->controller()->theory()->session;
    QCOMPARE(ran.model.sigma, 1.23456);
    QCOMPARE(ran.model.rank.alpha, 0.333);
    QCOMPARE(ran.seed, std::uint64_t(18446744073709551615ULL));
}

// ---- Exports and session saves to paths that cannot be written -----------------------------

void TestGuiInputs::exports_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("why");
    const QString out = m_dir.filePath("out");
    QDir(out).mkpath(".");
    writeFile(m_dir.filePath("out/plain"), "x");
    QDir(out).mkpath("folder.png");
    QDir(out).mkpath("folder.csv");
    QDir(out).mkpath("folder.json");
    for (const char* kind : {"session", "png", "svg", "pdf", "spectrum png", "eigenvalues csv",
                             "histogram csv", "theory csv", "outliers csv"}) {
        const QString k = kind;
        const QString ext = k == "session"        ? "json"
                            : k.endsWith("csv")   ? "csv"
                            : k == "spectrum png" ? "png"
                                                  : k;
        const QString rows[][2] = {
            {"a filesystem without new files", "/proc/wignerscope-test." + ext},
            {"a missing directory", out + "/no/such/x." + ext},
            {"a file used as a directory", out + "/plain/x." + ext},
            {"a directory", out + "/folder." +
                                (ext == "json"  ? "json"
                                 : ext == "csv" ? "csv"
                                                : "png")},
            {"name too long", out + "/" + QString(300, 'x') + "." + ext},
        };
        for (const auto& r : rows) {
            if (r[0] == "a directory" && (ext == "svg" || ext == "pdf"))
                continue;
            QTest::addRow("%s to %s", kind, qPrintable(r[0])) << k << r[1] << "cannot write";
        }
    }
    QTest::newRow("png: unknown image type") << "png" << out + "/x.bmpx"
                                             << "unknown image type";
    QTest::newRow("png: no extension") << "png" << out + "/x"
                                       << "unknown image type";
}

void TestGuiInputs::exports()
{
    QFETCH(QString, kind);
    QFETCH(QString, path);
    QFETCH(QString, why);
    ++g_cases;
    startFrom("any");
    const QStringList before = filesIn(m_dir.filePath("out"));
    QString error;
    bool ok = true;
    using K = ui::MainWindow::CsvKind;
    if (kind == "session")
        ok = m_w->saveSessionFile(path, &error);
    else if (kind == "png" || kind == "svg" || kind == "pdf")
        ok = m_w->exportPlot(path, false, &error);
    else if (kind == "spectrum png")
        ok = m_w->exportPlot(path, true, &error);
    else if (kind == "eigenvalues csv")
        ok = m_w->exportCsv(path, K::Eigenvalues, &error);
    else if (kind == "histogram csv")
        ok = m_w->exportCsv(path, K::Histogram, &error);
    else if (kind == "theory csv")
        ok = m_w->exportCsv(path, K::Theory, &error);
    else
        ok = m_w->exportCsv(path, K::Outliers, &error);
    QVERIFY(!ok);
    QVERIFY2(error.contains(why), qPrintable(error));
    QVERIFY2(error.contains(QFileInfo(path).fileName().left(40)), qPrintable(error));
    // Nothing left behind, nothing else touched.
    QCOMPARE(filesIn(m_dir.filePath("out")), before);
    QVERIFY(!QFileInfo(path).isFile());
    checkNoRun();
}

// Through the menus as a user does it: the file dialog, then the message box and the status bar
// say why.
void TestGuiInputs::dialogsShowTheReason()
{
    startFrom("base");
    QAction* open = nullptr;
    QAction* save = nullptr;
    QAction* csv = nullptr;
    for (QAction* a : m_w->findChildren<QAction*>()) {
        const QString t = a->text().remove('&');
        if (t.startsWith("Open session"))
            open = a;
        else if (t.startsWith("Save session"))
            save = a;
        else if (t.startsWith("Theory curves"))
            csv = a;
    }
    QVERIFY(open && save && csv);
    const QString bad = m_dir.filePath("dialog-bad.json");
    writeFile(bad, sessionText(R"({"n": 20, "spikes": "list:1,,2"})").c_str());

    struct Case
    {
        QAction* action;
        QString path;
        QString title;
        QString why;
    } cases[] = {
        {open, bad, "Cannot open the session", "model.spikes"},
        {save, "/proc/wignerscope-dialog.json", "Cannot save the session", "cannot write"},
        {csv, m_dir.filePath("no/such/theory.csv"), "Cannot export the CSV file", "cannot write"},
    };
    for (const Case& c : cases) {
        ++g_cases;
        QStringList boxes;
        QTimer driver;
        driver.setInterval(20);
        connect(&driver, &QTimer::timeout, this, [&] {
            QWidget* modal = QApplication::activeModalWidget();
            if (auto* dialog = qobject_cast<QFileDialog*>(modal)) {
                auto* name = dialog->findChild<QLineEdit*>("fileNameEdit");
                QVERIFY(name);
                name->setText(c.path);
                QMetaObject::invokeMethod(dialog, "accept"); // protected
            } else if (auto* box = qobject_cast<QMessageBox*>(modal)) {
                boxes << box->windowTitle() + "\n" + box->text();
                box->accept();
            }
        });
        driver.start();
        c.action->trigger();
        driver.stop();
        QCOMPARE(boxes.size(), 1);
        QVERIFY2(boxes[0].startsWith(c.title) && boxes[0].contains(c.why), qPrintable(boxes[0]));
        QVERIFY(statusMessage());
        QVERIFY2(statusMessage()->text().contains(c.why), qPrintable(statusMessage()->text()));
        QVERIFY(!QFileInfo(c.path).exists() || c.path == bad);
        checkNoRun();
    }
}

// The autosave directory cannot be written: the window says so (and keeps working).
void TestGuiInputs::autosaveToUnwritableDir()
{
    ++g_cases;
    const QByteArray saved = qgetenv("WIGNERSCOPE_DATA_DIR");
    qputenv("WIGNERSCOPE_DATA_DIR", "/proc/wignerscope-test");
    {
        ui::MainWindow w(ui::MainWindow::Options{false, true});
        w.controller()->setThrottleInterval(1);
        w.show();
        w.applySession(baseSession("base"));
        QVERIFY(waitFinished(w));
        // The save comes after the run (as with the default 1 s delay): a new run's status
        // replaces the message.
        w.setAutosaveDelay(60000);
        QSignalSpy autosaved(&w, &ui::MainWindow::autosaved);
        paste(w.controls()->sigmaControl()->spinBox(), "1.5");
        QTest::keyClick(w.controls()->sigmaControl()->spinBox(), Qt::Key_Return);
        QVERIFY(waitFinished(w));
        QVERIFY(w.autosavePending());
        w.setAutosaveDelay(1); // restarts the pending save
        QVERIFY(autosaved.count() > 0 || autosaved.wait(5000));
        QCOMPARE(autosaved.back().at(1).toBool(), false);
        QLabel* message = nullptr;
        for (QLabel* l : w.statusPanel()->findChildren<QLabel*>())
            if (l->textInteractionFlags() & Qt::TextSelectableByMouse)
                message = l;
        QVERIFY(message && message->isVisible());
        QVERIFY2(message->text().startsWith("Autosave failed: cannot write /proc/wignerscope-test"),
                 qPrintable(message->text()));
        QCOMPARE(w.controller()->theory()->session.model.sigma, 1.5); // the run is unaffected
    }
    QVERIFY(!QFileInfo::exists("/proc/wignerscope-test"));
    if (saved.isNull())
        qunsetenv("WIGNERSCOPE_DATA_DIR");
    else
        qputenv("WIGNERSCOPE_DATA_DIR", saved);
}

void TestGuiInputs::unknownPreset()
{
    ++g_cases;
    startFrom("base");
    QStringList boxes;
    QTimer driver;
    driver.setInterval(20);
    connect(&driver, &QTimer::timeout, this, [&] {
        if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
            boxes << box->text();
            box->accept();
        }
    });
    driver.start();
    QVERIFY(!m_w->loadPreset("No such preset"));
    driver.stop();
    QCOMPARE(boxes.size(), 1);
    QVERIFY2(boxes[0].contains("unknown preset"), qPrintable(boxes[0]));
    checkNoRun();
    // The preset box offers only the presets and lessons found (a separator between them).
    QComboBox* presetBox = nullptr;
    for (QComboBox* c : m_w->findChildren<QComboBox*>())
        if (c->count() > 0 && c->itemText(0).startsWith("Presets"))
            presetBox = c;
    QVERIFY(presetBox && !presetBox->isEditable());
    const int lessons = static_cast<int>(ui::lessons().size());
    QCOMPARE(presetBox->count(), 1 + int(ui::presets().size()) + (lessons > 0 ? 1 + lessons : 0));
}

QTEST_MAIN(TestGuiInputs)
#include "tst_guiinputs.moc"
