// The enum name tables (core/util/enum_names.h): names and aliases, the list of valid names in
// messages, the error for an unknown name, and that the core's enums print what they parse.
#include "core/util/enum_names.h"

#include "core/sampling/sampler.h"
#include "core/sampling/sampler_plan.h"
#include "core/weights/weights_io.h"

#include <QtTest>

#include <string>

using namespace ws::core;

namespace {

enum class Colour { Red, Green, Blue };

// "grey" is an alias of Green: accepted, never printed or listed.
constexpr EnumNames<Colour, 4> kColours{{{Colour::Red, "red"},
                                         {Colour::Green, "green"},
                                         {Colour::Blue, "blue"},
                                         {Colour::Green, "grey"}}};

// The InputError of parse(text), or a failure note if it did not throw one.
template <class Parse> InputError errorOf(Parse parse)
{
    try {
        parse();
    } catch (const InputError& e) {
        return e;
    }
    return InputError("test", "no InputError");
}

} // namespace

class TestEnumNames : public QObject
{
    Q_OBJECT
private slots:
    void namesAndAliases();
    void unknownNameListsTheValidOnes();
    void lists();
    void coreEnumsRoundTrip();
    void coreNamesAreTheDocumentedOnes();
};

void TestEnumNames::namesAndAliases()
{
    QCOMPARE(enumName(kColours, Colour::Green), std::string_view("green")); // the first row
    QCOMPARE(enumName(kColours, static_cast<Colour>(7)), std::string_view("?"));
    QVERIFY(findEnum(kColours, "grey") == Colour::Green);
    QVERIFY(findEnum(kColours, "blue") == Colour::Blue);
    QVERIFY(!findEnum(kColours, "Blue")); // exact: case counts
    QVERIFY(!findEnum(kColours, " blue"));
    QVERIFY(!findEnum(kColours, ""));
    QVERIFY(parseEnum(kColours, "grey", "colour") == Colour::Green);
}

void TestEnumNames::unknownNameListsTheValidOnes()
{
    const InputError e = errorOf([] { parseEnum(kColours, "purple", "colour"); });
    QCOMPARE(e.param(), std::string("colour"));
    QCOMPARE(std::string(e.what()),
             std::string("colour: must be red, green or blue, got 'purple'"));
    // Hostile input is cut in the message.
    const std::string longName(100, 'x');
    const InputError cut = errorOf([&] { parseEnum(kColours, longName, "colour"); });
    QCOMPARE(cut.message(), "must be red, green or blue, got '" + std::string(60, 'x') + "...'");
}

void TestEnumNames::lists()
{
    constexpr EnumNames<Colour, 1> one{{{Colour::Red, "red"}}};
    constexpr EnumNames<Colour, 2> two{{{Colour::Red, "red"}, {Colour::Blue, "blue"}}};
    QCOMPARE(enumNameList(one), std::string("red"));
    QCOMPARE(enumNameList(two), std::string("red or blue"));
    QCOMPARE(enumNameList(kColours), std::string("red, green or blue"));
}

void TestEnumNames::coreEnumsRoundTrip()
{
    for (SamplerChoice c : {SamplerChoice::Auto, SamplerChoice::Dense, SamplerChoice::Banded})
        QVERIFY(parseSamplerChoice(toString(c)) == c);
    for (SamplerKind k : {SamplerKind::Dense, SamplerKind::Banded})
        QVERIFY(parseSamplerKind(toString(k)) == k);
    for (SpectrumSource s : {SpectrumSource::Eigenvalues, SpectrumSource::InertiaCounts})
        QVERIFY(parseSpectrumSource(toString(s)) == s);
    QCOMPARE(std::string(errorOf([] { parseSamplerKind("auto"); }).what()),
             std::string("sampler: must be dense or banded, got 'auto'"));
    QCOMPARE(std::string(errorOf([] { parseSpectrumSource("counts"); }).what()),
             std::string("source: must be eigenvalues or inertia, got 'counts'"));
}

void TestEnumNames::coreNamesAreTheDocumentedOnes()
{
    // The names the CLI and the benchmarks print.
    QCOMPARE(toString(DenseSolver::Auto), std::string("auto"));
    QCOMPARE(toString(DenseSolver::Lapack), std::string("lapack"));
    QCOMPARE(toString(DenseSolver::LapackTwoStage), std::string("lapack-2stage"));
    QCOMPARE(toString(DenseSolver::ParallelTwoStage), std::string("parallel-2stage"));
    QCOMPARE(toString(DenseSolver::Eigen), std::string("eigen"));
    QCOMPARE(toString(SamplerPlan::BandedCounts), std::string("banded (inertia counts)"));
    QCOMPARE(toString(SamplerPlan::Banded), std::string("banded"));
    QCOMPARE(toString(SamplerPlan::Dense), std::string("dense"));
    QCOMPARE(toString(WeightsFormat::Npy), std::string("npy"));
    QCOMPARE(toString(WeightsFormat::Text), std::string("text"));
}

QTEST_APPLESS_MAIN(TestEnumNames)
#include "tst_enum_names.moc"
