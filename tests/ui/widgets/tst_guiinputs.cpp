// The GUI side of the README's "Valid input" table, numbers and choices (support/gui_inputs.h):
// pasted or typed bad text in every spin box is refused, the value and the result stay; N's
// limit follows the other parameters and says why; the rank follows N; a uniform bulk keeps its
// ends in order; the family boxes list only valid choices.
#include "support/gui_inputs.h"
#include "support/hostile_sessions.h"
#include "ui/jobs/samplerplan.h"

#include <QComboBox>

#include <cmath>

using namespace ws;
using namespace ws::test;
using ws::testing::sessionText;

class TestGuiInputs : public QObject, private GuiInputsFixture
{
    Q_OBJECT
private slots:
    void initTestCase() { openWindow(); }
    void cleanupTestCase() { closeWindow("tst_guiinputs"); }
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
};

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
    ++m_cases;
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
    ++m_cases;
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
    ++m_cases;
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
    ++m_cases;
    QTest::keyClicks(box, "x");
    QVERIFY(p->nLimitLabel()->isVisible());
    QTest::keyClick(box, Qt::Key_Return);
    QCOMPARE(p->nControl()->value(), 900.0);
    checkRan();
    // The run is of the 900 the box kept, not the 9000 typed: the note stays and says why,
    // until the box is edited again.
    QVERIFY(p->nLimitLabel()->isVisible());
    QCOMPARE(p->nLimitLabel()->text(), note);
    ++m_cases;
    selectAll(box);
    QTest::keyClicks(box, "800");
    QTest::keyClick(box, Qt::Key_Return);
    QCOMPARE(p->nControl()->value(), 800.0);
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
    ++m_cases;
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
    ++m_cases;
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
    ++m_cases;
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
    ++m_cases;
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

QTEST_MAIN(TestGuiInputs)
#include "tst_guiinputs.moc"
