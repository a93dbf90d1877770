// The CLI on every kind of spectrum (docs/model.md#support-intervals): the
// commands a new user would try, with the labelled intervals, counts, predicted sds, reasons,
// flags and the heavy-tail warning in their outputs.
#include "clitest.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <cmath>
#include <sstream>

using namespace clitest;
using json = nlohmann::json;

namespace {

const Args kTwoLumps = {"--n",       "1000", "--sigma", "0.5", "--bulk", "twopoint:-2,2,0.5",
                        "--samples", "4",    "--seed",  "1"};

std::vector<std::string> labels(const json& intervals)
{
    std::vector<std::string> out;
    for (const auto& iv : intervals)
        out.push_back(iv.at("label").get<std::string>());
    return out;
}

} // namespace

class TestCliSpectra : public QObject
{
    Q_OBJECT
private slots:
    void outlierInTheGapIsObserved();
    void spikesAboveInTheGapAndBelowInASweep();
    void growingRankCountsTheCluster();
    void overlapsAreSquaredProjections();
    void equalSpikesReportTheirSpread();
    void fullRankCluster();
    void heavyTailsWarnOnce();
};

void TestCliSpectra::outlierInTheGapIsObserved()
{
    // The spike 0.5 between the two lumps: its outlier (~0.4666) is observed in all 4 samples,
    // exactly one outlier per sample; three intervals bulk, cluster, bulk with their counts.
    const Result r =
        cli(concat({"sample"}, concat(kTwoLumps, {"--spikes", "list:0.5", "--json", "-"})));
    QVERIFY2(r.code == 0 && r.err.empty(), describe(r).c_str());
    const json j = json::parse(r.out);
    QCOMPARE(labels(j.at("intervals")), (std::vector<std::string>{"bulk", "cluster", "bulk"}));
    const int counts[] = {499, 1, 500};
    for (std::size_t k = 0; k < 3; ++k) {
        const json& iv = j.at("intervals")[k];
        QCOMPARE(iv.at("predicted_count").get<int>(), counts[k]);
        QVERIFY(std::abs(iv.at("observed_count").get<double>() - counts[k]) <= 3.0);
    }
    QCOMPARE(j.at("observed_outliers").get<double>(), 1.0);
    QCOMPARE(j.at("unexplained").at("per_sample").get<double>(), 0.0);
    const json& o = j.at("outliers")[0];
    QCOMPARE(o.at("observed_in_samples").get<int>(), 4);
    QVERIFY(o.at("reason").is_null() && o.at("flags").empty());
    const double sd = o.at("predicted_sd").get<double>();
    QVERIFY(sd > 0.015 && sd < 0.03); // 0.0215
    QVERIFY(std::abs(o.at("observed_mean").get<double>() - o.at("large_rank").get<double>()) <
            4.0 * sd / 2.0);
    // The summary lists the intervals.
    const Result s = cli(concat({"sample"}, concat(kTwoLumps, {"--spikes", "list:0.5"})));
    QVERIFY2(s.code == 0, describe(s).c_str());
    QVERIFY2(s.out.find("cluster  count 1") != std::string::npos &&
                 s.out.find("bulk     count 499") != std::string::npos,
             s.out.c_str());
}

void TestCliSpectra::spikesAboveInTheGapAndBelowInASweep()
{
    // list:3,0.5,-3 in the two-lump model: 3 observed outliers per sample (the former main-bulk
    // rule counted the lower lump: 501).
    const Result r = cli(concat(
        {"sweep"}, concat(kTwoLumps, {"--spikes", "list:3,0.5,-3", "--param", "theta", "--from",
                                      "3", "--to", "3", "--steps", "1", "--csv", "-"})));
    QVERIFY2(r.code == 0, describe(r).c_str());
    std::istringstream in(r.out);
    std::string header, row;
    do // past the provenance lines ("# ...")
        std::getline(in, header);
    while (header.starts_with("#"));
    std::getline(in, row);
    auto cells = [](const std::string& line) {
        std::vector<std::string> out;
        std::stringstream ss(line);
        for (std::string c; std::getline(ss, c, ',');)
            out.push_back(c);
        return out;
    };
    const auto h = cells(header), v = cells(row);
    QCOMPARE(h.size(), v.size());
    const auto col = [&](const std::string& name) {
        const auto it = std::find(h.begin(), h.end(), name);
        return v[static_cast<std::size_t>(it - h.begin())];
    };
    QCOMPARE(col("observed_outliers"), std::string("3"));
    QCOMPARE(col("predicted_outliers_large"), std::string("3"));
    QCOMPARE(col("intervals"), std::string("5"));
    QCOMPARE(col("clusters"), std::string("3"));
    QCOMPARE(col("observed_unexplained"), std::string("0"));
}

void TestCliSpectra::growingRankCountsTheCluster()
{
    // The issue's alpha sweep: at alpha = 0.9 (r = 410) the spikes' cluster holds 410
    // eigenvalues above the noise's bulk (390): 410 predicted by the large-rank theory (formerly
    // 0) and observed (formerly 390, the noise eigenvalues).
    const Result r =
        cli({"sweep", "--n", "800", "--spikes", "linear:1.5,4", "--param", "alpha", "--from", "0.2",
             "--to", "0.9", "--steps", "4", "--samples", "3", "--json", "-"});
    QVERIFY2(r.code == 0, describe(r).c_str());
    const json j = json::parse(r.out);
    const json& last = j.at("points").back();
    QCOMPARE(last.at("predicted_outliers").at("large_rank").get<int>(), 410);
    QCOMPARE(last.at("observed_outliers").get<double>(), 410.0);
    QCOMPARE(labels(last.at("intervals")), (std::vector<std::string>{"bulk", "cluster"}));
    QCOMPARE(last.at("intervals")[0].at("predicted_count").get<int>(), 390);
    QCOMPARE(last.at("intervals")[1].at("observed_count").get<double>(), 410.0);
    QVERIFY(last.at("error").at("large_rank").get<double>() < 0.01);
    // The summary names the intervals of each point.
    const Result s = cli({"sweep", "--n", "800", "--spikes", "linear:1.5,4", "--param", "alpha",
                          "--from", "0.9", "--to", "0.9", "--steps", "1", "--samples", "1"});
    QVERIFY2(s.out.find("cluster [1.148, 4.852] 410 (obs 410)") != std::string::npos,
             s.out.c_str());
}

void TestCliSpectra::overlapsAreSquaredProjections()
{
    // alpha = 0.667: the per-spike 1 - sigma^2 D_j is between -4 and -1.5 for the 87 close spikes;
    // the reported overlaps are projections onto the cluster's eigenvectors, in (0, 1], observed
    // alike, and the formula's failure is a flag.
    const Result r = cli({"sweep", "--n", "800", "--spikes", "linear:1.5,4", "--param", "alpha",
                          "--from", "0.667", "--to", "0.667", "--steps", "1", "--samples", "2",
                          "--overlaps", "--json", "-"});
    QVERIFY2(r.code == 0, describe(r).c_str());
    const json p = json::parse(r.out).at("points")[0];
    QCOMPARE(p.at("outliers").size(), std::size_t(87));
    for (const auto& o : p.at("outliers")) {
        const double pred = o.at("overlap_large_rank").get<double>();
        const double obs = o.at("overlap_mean").get<double>();
        QVERIFY(pred > 0.0 && pred <= 1.0 && obs > 0.0 && obs <= 1.0);
        QVERIFY(std::abs(obs - pred) < 0.05);
        const auto flags = o.at("flags").get<std::vector<std::string>>();
        QVERIFY(std::find(flags.begin(), flags.end(), "per-spike-overlap-out-of-range") !=
                flags.end());
    }
    const json& cluster = p.at("intervals")[1];
    QVERIFY(std::abs(cluster.at("overlap_group_mean").get<double>() -
                     cluster.at("overlap_group").get<double>()) < 0.01);
}

void TestCliSpectra::equalSpikesReportTheirSpread()
{
    // N = 3000, alpha = 0.6, equal:2.5: the 122 outliers form one cluster; the group's own
    // spread (~0.186) is reported next to the sd of its mean over samples (~0.002).
    const Result r = cli({"sample", "--n", "3000", "--alpha", "0.6", "--spikes", "equal:2.5",
                          "--samples", "3", "--json", "-"});
    QVERIFY2(r.code == 0, describe(r).c_str());
    const json j = json::parse(r.out);
    const json& c = j.at("intervals")[1];
    QCOMPARE(c.at("label").get<std::string>(), std::string("cluster"));
    QCOMPARE(c.at("predicted_count").get<int>(), 122);
    QCOMPARE(c.at("observed_complete_samples").get<int>(), 3);
    QVERIFY(std::abs(c.at("spread").get<double>() - 0.18554) < 1e-4);
    QVERIFY(std::abs(c.at("observed_spread").get<double>() - 0.18554) < 0.01);
    const json& o = j.at("outliers")[0];
    QVERIFY(std::abs(o.at("observed_spread").get<double>() - 0.18554) < 0.01);
    QVERIFY(std::abs(o.at("predicted_sd").get<double>() - 0.00215) < 1e-4);
    QVERIFY(o.at("observed_sd").get<double>() < 0.01);
}

void TestCliSpectra::fullRankCluster()
{
    // S = 3 I: one cluster of all N eigenvalues, centred at 3 (docs/model.md#support-intervals).
    const Result r =
        cli({"theory", "--n", "400", "--alpha", "1", "--spikes", "equal:3", "--json", "-"});
    QVERIFY2(r.code == 0, describe(r).c_str());
    const json j = json::parse(r.out);
    QCOMPARE(j.at("support").size(), std::size_t(1));
    QCOMPARE(j.at("support")[0].at("label").get<std::string>(), std::string("cluster"));
    QCOMPARE(j.at("support")[0].at("predicted_count").get<int>(), 400);
    QCOMPARE(j.at("support")[0].at("centre").get<double>(), 3.0);
    QCOMPARE(j.at("outliers")[0].at("absorbed").get<bool>(), false);
}

void TestCliSpectra::heavyTailsWarnOnce()
{
    // student-t:3 has no finite fourth moment: one warning line on stderr, exit 0, the flag in
    // the JSON, no predicted sd. Gaussian noise: nothing on stderr.
    for (const Args& args :
         {Args{"sample", "--n", "300", "--noise", "student-t:3", "--samples", "2", "--json", "-"},
          Args{"theory", "--n", "300", "--noise", "student-t:3", "--json", "-"},
          Args{"sweep", "--n", "200", "--noise", "student-t:3", "--param", "theta", "--from", "3",
               "--to", "3", "--steps", "1", "--samples", "1", "--json", "-"}}) {
        const Result r = cli(args);
        QVERIFY2(r.code == 0, describe(r).c_str());
        QVERIFY2(r.err.rfind("warning: noise student-t:3 has no finite fourth moment", 0) == 0 &&
                     r.err.find('\n') == r.err.size() - 1,
                 describe(r).c_str());
        const json j = json::parse(r.out);
        QCOMPARE(j.at("validity").at("heavy_tails").get<bool>(), true);
        QVERIFY(j.at("validity").at("kappa4").is_null());
        const json& outliers =
            args[0] == "sweep" ? j.at("points")[0].at("outliers") : j.at("outliers");
        const auto flags = outliers[0].at("flags").get<std::vector<std::string>>();
        QVERIFY(std::find(flags.begin(), flags.end(), "heavy-tails") != flags.end());
        QVERIFY(outliers[0].at("predicted_sd").is_null());
    }
    const Result g = cli({"theory", "--n", "300", "--json", "-"});
    QVERIFY(g.code == 0 && g.err.empty());
    QCOMPARE(json::parse(g.out).at("validity").at("heavy_tails").get<bool>(), false);
}

QTEST_APPLESS_MAIN(TestCliSpectra)
#include "tst_cli_spectra.moc"
