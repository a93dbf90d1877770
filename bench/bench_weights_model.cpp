// Whole-model benchmark: the report of `weights MODEL --all` (core/weights/model_report.h:
// reading, singular values, noise fit, threshold, alpha) on a synthetic model of 12 layers with
// the shapes of a small transformer (4 blocks of 768 x 768, 768 x 3072 and 3072 x 768), written
// as a float32 .safetensors file, against numpy on the same layers in the same run (Debian's
// /usr/bin/python3 with python3-numpy, same OpenBLAS, all its threads):
//   full SVD     np.linalg.svd(W, full_matrices=False) of every layer (what a spectral tool
//                needs for vectors; the reference)
//   values only  np.linalg.svd(W, compute_uv=False)
// numpy is timed on float64 copies already in memory (reading excluded: in numpy's favour).
//
// Planted signal, sigma = 1, spikes theta u v^T with random unit u, v. Each spike is placed by its
// predicted outlier position (rectangular BBP, sigma sqrt((1 + t^2)(c + t^2))/t, t = theta/sigma)
// expressed in Tracy-Widom scales of the edge (tracyWidomScales), relative to the layer's 1%
// threshold t_1%:
//   noise   no spike (3 layers): any detection is false;
//   strong  spikes at t_1% + 30 and + 100 scales (strong: must be found) and one at + 10
//           (moderate: reported; an outlier's own fluctuations are Gaussian with an sd of several
//           edge scales at this size, sd(s) ~ N^(-1/2) against the edge's N^(-2/3));
//   near    one strong spike (+ 50) plus spikes at t_1% + 2 and t_1% - 2 scales (reported;
//           found about half the time each);
//   many    8 strong spikes (+ 25 ... + 95).
// Detected ranks are compared with the truth: found >= strong, found <= all planted.
//
//   bench_weights_model [--repeats N] [--keep DIR]
//
// Output: per-layer lines, "RESULT ..." (seconds, medians) and "RATIO ..." (report / numpy).

#include "bench/bench_common.h"
#include "core/weights/model_report.h"
#include "core/weights/planted.h"
#include "core/weights/weights_analysis.h"

#include <tbb/info.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace ws::core;

namespace {

struct Layer
{
    std::string name;
    int rows = 0, cols = 0;
    std::string kind;
    std::vector<double> targetScales; // planted spikes: predicted position minus t_1%, in scales
    int strong = 0, weak = 0;         // spikes that must be found; moderate and near ones
};

// theta (sigma = 1) whose predicted outlier sits `scales` Tracy-Widom scales above the edge.
double thetaAtScales(int rows, int cols, double scales)
{
    const double c = static_cast<double>(cols) / rows;
    auto z = [&](double t) {
        return tracyWidomScales(rows, cols, 1.0, std::sqrt((1 + t * t) * (c + t * t)) / t);
    };
    double lo = std::pow(c, 0.25) * (1 + 1e-12), hi = 100.0;
    for (int i = 0; i < 200; ++i) {
        const double mid = 0.5 * (lo + hi);
        (z(mid) < scales ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

std::vector<float> makeLayer(const Layer& l, std::uint64_t seed)
{
    const double t = detectionThreshold(l.rows, l.cols, 0.01);
    std::vector<double> thetas;
    for (double target : l.targetScales)
        thetas.push_back(thetaAtScales(l.rows, l.cols, t + target));
    const std::vector<double> w = plantedWeights(l.rows, l.cols, 1.0, thetas, seed);
    return std::vector<float>(w.begin(), w.end());
}

void writeSafetensors(const std::string& path, const std::vector<Layer>& layers)
{
    std::string header = "{";
    std::uint64_t off = 0;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const std::uint64_t bytes = 4ull * static_cast<std::uint64_t>(layers[i].rows) *
                                    static_cast<std::uint64_t>(layers[i].cols);
        if (i)
            header += ',';
        header.append("\"").append(layers[i].name).append("\":{\"dtype\":\"F32\",\"shape\":[");
        header.append(std::to_string(layers[i].rows)).append(",");
        header.append(std::to_string(layers[i].cols)).append("],\"data_offsets\":[");
        header.append(std::to_string(off)).append(",").append(std::to_string(off + bytes));
        header.append("]}");
        off += bytes;
    }
    header += "}";
    std::ofstream f(path, std::ios::binary);
    const std::uint64_t n = header.size();
    unsigned char len[8];
    for (int i = 0; i < 8; ++i)
        len[i] = static_cast<unsigned char>(n >> (8 * i));
    f.write(reinterpret_cast<const char*>(len), 8);
    f << header;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const std::vector<float> w = makeLayer(layers[i], 100 + i);
        f.write(reinterpret_cast<const char*>(w.data()),
                static_cast<std::streamsize>(w.size() * sizeof(float)));
    }
    if (!f)
        throw std::runtime_error("cannot write " + path);
}

// numpy's medians over the same file: {full SVD, values only}; negative if unavailable.
std::pair<double, double> numpyTimes(const std::string& path, int repeats)
{
    const std::string script =
        ws::bench::pythonMedianFunction(repeats) +
        "import json,struct,numpy as np\n"
        "b=open('" +
        path +
        "','rb').read()\n"
        "n=struct.unpack('<Q',b[:8])[0]; h=json.loads(b[8:8+n]); d=b[8+n:]\n"
        "Ws=[np.frombuffer(d[v['data_offsets'][0]:v['data_offsets'][1]],dtype=np.float32)"
        ".reshape(v['shape']).astype(np.float64) for v in h.values()]\n"
        "full=med(lambda: [np.linalg.svd(W,full_matrices=False) for W in Ws])\n"
        "vals=med(lambda: [np.linalg.svd(W,compute_uv=False) for W in Ws])\n"
        "print(full, vals)\n";
    const std::vector<double> t = ws::bench::pythonNumbers(script, 2);
    return t.empty() ? std::pair{-1.0, -1.0} : std::pair{t[0], t[1]};
}

} // namespace

int main(int argc, char** argv)
{
    int repeats = 3;
    std::string keep;
    ws::bench::BenchArgs args("usage: bench_weights_model [--repeats N] [--keep DIR]");
    args.option("--repeats", repeats).option("--keep", keep);
    if (!args.parse(argc, argv) || repeats < 1)
        return 2;
    const std::pair<int, int> shapes[] = {{768, 768}, {768, 3072}, {3072, 768}};
    const char* names[] = {"attn.out", "mlp.fc", "mlp.proj"};
    std::vector<Layer> layers;
    for (int b = 0; b < 4; ++b)
        for (int j = 0; j < 3; ++j) {
            Layer l;
            l.name = "block." + std::to_string(b) + "." + names[j] + ".weight";
            l.rows = shapes[j].first;
            l.cols = shapes[j].second;
            switch ((b + j) % 4) {
            case 0:
                l.kind = "noise";
                break;
            case 1:
                l.kind = "strong";
                l.targetScales = {100, 30, 10};
                l.strong = 2;
                l.weak = 1;
                break;
            case 2:
                l.kind = "near";
                l.targetScales = {50, 2, -2};
                l.strong = 1;
                l.weak = 2;
                break;
            default:
                l.kind = "many";
                for (int s = 0; s < 8; ++s)
                    l.targetScales.push_back(25.0 + 10.0 * s);
                l.strong = 8;
            }
            layers.push_back(l);
        }
    const std::string dir =
        keep.empty() ? (std::filesystem::temp_directory_path() / "ws_bench_model").string() : keep;
    std::filesystem::create_directories(dir);
    const std::string path = dir + "/model.safetensors";
    std::printf("# bench_weights_model: 12 layers (4 x {768x768, 768x3072, 3072x768}), float32, "
                "%d repeats; TBB threads = %d\n",
                repeats, tbb::info::default_concurrency());
    writeSafetensors(path, layers);

    ModelReport report;
    const std::vector<double> times =
        ws::bench::timeRepeats(repeats, [&](int) { report = analyseModel(path); });
    int falseLayers = 0, missedStrong = 0, weakFound = 0, weakTotal = 0, tooMany = 0;
    std::printf("# %-24s %-10s %-7s %-6s %-6s %-6s %s\n", "layer", "shape", "kind", "strong",
                "weak", "found", "outlier scales (threshold)");
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const Layer& l = layers[i];
        const LayerReport& lr = report.layers[i];
        const int found = lr.detectedRank;
        falseLayers += l.kind == "noise" && found > 0;
        missedStrong += std::max(0, l.strong - found);
        tooMany += found > l.strong + l.weak;
        weakTotal += l.weak;
        weakFound += std::clamp(found - l.strong, 0, l.weak);
        std::string scales;
        for (double z : lr.fit.outlierScales)
            scales += std::to_string(static_cast<int>(std::lround(z))) + " ";
        std::printf("  %-24s %4dx%-5d %-7s %-6d %-6d %-6d %s(%.2f)\n", l.name.c_str(), l.rows,
                    l.cols, l.kind.c_str(), l.strong, l.weak, found, scales.c_str(),
                    lr.fit.twThreshold);
    }
    const double tReport = ws::bench::median(times);
    std::printf("RESULT ws_model_report layers=12 median=%.3f\n", tReport);
    std::printf("TRUTH pure_noise_layers_with_detections=%d strong_spikes_missed=%d "
                "layers_over_planted=%d moderate_or_near_found=%d/%d\n",
                falseLayers, missedStrong, tooMany, weakFound, weakTotal);
    const auto [npFull, npVals] = numpyTimes(path, repeats);
    if (npFull < 0.0) {
        std::printf("# numpy peer unavailable (/usr/bin/python3 with python3-numpy)\n");
    } else {
        std::printf("RESULT numpy_full_svd layers=12 median=%.3f\n", npFull);
        std::printf("RESULT numpy_svd_values layers=12 median=%.3f\n", npVals);
        std::printf("RATIO report/numpy_full_svd = %.3f (target <= 0.3)\n", tReport / npFull);
        std::printf("RATIO report/numpy_svd_values = %.3f\n", tReport / npVals);
    }
    if (keep.empty())
        std::filesystem::remove_all(dir);
    return falseLayers == 0 && missedStrong == 0 && tooMany == 0 ? 0 : 1;
}
