// The GUI side of the README's "Valid input" table, free text (support/gui_inputs.h): a bad
// list shows the reason under it and keeps the last result; the seed takes digits only and an
// empty one is explained; hostile strings in every free-text field never crash nor run.
#include "support/gui_inputs.h"

#include <vector>

using namespace ws;
using namespace ws::test;

namespace {

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

class TestGuiText : public QObject, private GuiInputsFixture
{
    Q_OBJECT
private slots:
    void initTestCase() { openWindow(); }
    void cleanupTestCase() { closeWindow("tst_guitext"); }
    void listEdits_data();
    void listEdits();
    void seed_data();
    void seed();
    void hostile_data();
    void hostile();
};

// ---- Free-text lists: the reason under the list, the last result kept ------------------------

void TestGuiText::listEdits_data()
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

void TestGuiText::listEdits()
{
    QFETCH(QString, edit);
    QFETCH(QString, input);
    QFETCH(QString, why);
    ++m_cases;
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

void TestGuiText::seed_data()
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

void TestGuiText::seed()
{
    QFETCH(QString, input);
    QFETCH(bool, typed);
    QFETCH(QString, result);
    ++m_cases;
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

void TestGuiText::hostile_data()
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

void TestGuiText::hostile()
{
    QFETCH(QString, target);
    QFETCH(QString, input);
    QFETCH(QString, expect);
    ++m_cases;
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

QTEST_MAIN(TestGuiText)
#include "tst_guitext.moc"
