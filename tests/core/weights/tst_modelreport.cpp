// The whole-model report (core/weights/model_tensors.h, model_report.h): listing and reading
// .safetensors, .npz (stored and deflated) and directories; the conv-kernel reshape read back
// element by element; the reasons of tensors that are not analysed; a planted-spike model's rows
// (noise level, detected rank, Frobenius share, stable rank) against their definitions; the
// power-law estimator on Pareto samples of known exponent; the same rows for 1 and 2 threads;
// memory budget, cancellation and bad paths. TBB before any Qt header.

#include "core/model/families.h"
#include "core/sampling/rng.h"
#include "core/weights/model_prune.h"
#include "core/weights/model_report.h"
#include "core/weights/model_tensors.h"
#include "core/weights/planted.h"

#include "support/model_files.h"
#include "support/tbb_threads.h"
#include <QtTest>

#include <QTemporaryDir>

#include <algorithm>
#include <bit>
#include <cstring>
#include <cmath>
#include <numeric>
#include <vector>

using namespace ws::core;
using ws::testing::ModelArray;

namespace {

// (1/sqrt(N)) X + sum theta_j u_j v_j^T, u, v random unit vectors (core/weights/planted.h).
std::vector<double> spiked(int rows, int cols, const std::vector<double>& theta, std::uint64_t seed)
{
    return plantedWeights(rows, cols, 1.0, theta, seed);
}

std::vector<ModelArray> sampleModel()
{
    std::vector<double> bad = spiked(40, 50, {}, 9);
    bad[3 * 50 + 7] = std::nan("");
    Rng rng(5, 0);
    std::vector<double> conv(32 * 16 * 3 * 3);
    for (double& x : conv)
        x = rng.normal() / 12.0;
    return {
        {"embed", "F32", {300, 120}, ws::testing::f32Bytes(spiked(300, 120, {5.0, 4.0}, 1))},
        {"attn", "F64", {200, 200}, ws::testing::f64Bytes(spiked(200, 200, {6.0, 3.0, 2.5}, 2))},
        {"attn_bias", "F32", {200}, ws::testing::f32Bytes(std::vector<double>(200, 0.1))},
        {"mlp", "F32", {150, 400}, ws::testing::f32Bytes(spiked(150, 400, {}, 3))},
        {"conv", "F32", {32, 16, 3, 3}, ws::testing::f32Bytes(conv)},
        {"tiny", "F32", {4, 4}, ws::testing::f32Bytes(std::vector<double>(16, 1.0))},
        {"steps", "I64", {2, 3}, std::string(48, '\0')},
        {"bad", "F64", {40, 50}, ws::testing::f64Bytes(bad)},
    };
}

// v (exact in the type) as NumPy stores it: type '2', '4' or '8' (float16/32/64), either byte
// order.
std::string storedBytes(double v, char type, bool bigEndian)
{
    std::uint64_t bits = 0;
    if (type == '8') {
        bits = std::bit_cast<std::uint64_t>(v);
    } else {
        const auto f = std::bit_cast<std::uint32_t>(static_cast<float>(v));
        bits = f;
        if (type == '2') { // a normal float16 or zero: rebias the exponent, keep 10 mantissa bits
            const std::uint32_t e = (f >> 23) & 0xffu;
            bits =
                ((f >> 16) & 0x8000u) | (e == 0 ? 0u : ((e - 112u) << 10) | ((f >> 13) & 0x3ffu));
        }
    }
    const std::size_t size = type == '2' ? 2 : type == '4' ? 4 : 8;
    std::string s(size, '\0');
    for (std::size_t b = 0; b < size; ++b)
        s[bigEndian ? size - 1 - b : b] = static_cast<char>((bits >> (8 * b)) & 0xffu);
    return s;
}

const LayerReport& layer(const ModelReport& r, const std::string& name)
{
    for (const auto& l : r.layers)
        if (l.tensor.name == name)
            return l;
    throw std::runtime_error("no layer " + name);
}

} // namespace

class TestModelReport : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string path(const char* name) const { return (m_dir.path() + "/" + name).toStdString(); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const auto arrays = sampleModel();
        ws::testing::writeFile(path("model.safetensors"), ws::testing::safetensorsBytes(arrays));
        std::vector<ModelArray> npz;
        for (const auto& a : arrays)
            if (a.dtype != "I64")
                npz.push_back(a);
        ws::testing::writeFile(path("model.npz"), ws::testing::npzBytes(npz, false));
        ws::testing::writeFile(path("modelz.npz"), ws::testing::npzBytes(npz, true));
    }

    // Listing: every tensor in file order, with the matrix shape or the reason.
    void listing()
    {
        const std::vector<ModelTensor> t = listModelTensors(path("model.safetensors"));
        QCOMPARE(t.size(), std::size_t{8});
        QCOMPARE(t[0].name, std::string("embed"));
        QCOMPARE(t[0].rows, 300);
        QCOMPARE(t[0].cols, 120);
        QVERIFY(t[0].reason.empty());
        QVERIFY(t[2].reason.find("1-D") != std::string::npos);
        QCOMPARE(t[4].rows, 32);
        QCOMPARE(t[4].cols, 16 * 3 * 3);
        QCOMPARE(t[4].reshape, std::string("out x (in kh kw)"));
        QVERIFY(t[5].reason.find("too small") != std::string::npos);
        QVERIFY(t[6].reason.find("I64") != std::string::npos);
        QVERIFY(t[7].reason.empty()); // the NaN is found when it is read
        for (const char* npz : {"model.npz", "modelz.npz"}) {
            const std::vector<ModelTensor> z = listModelTensors(path(npz));
            QCOMPARE(z.size(), std::size_t{7});
            QCOMPARE(z[1].name, std::string("attn"));
            QCOMPARE(z[1].rows, 200);
            QCOMPARE(z[4].rows, 32); // a 4-D member, analysed as from .safetensors
            QCOMPARE(z[4].cols, 16 * 3 * 3);
            QCOMPARE(z[4].reshape, std::string("out x (in kh kw)"));
            QVERIFY(z[4].reason.empty());
        }
    }

    // Reading: the same values from all three containers; the conv kernel's row i is output
    // channel i's filter, element (i, (a kh + b) kw + c) = K[i, a, b, c].
    void reading()
    {
        const auto arrays = sampleModel();
        const auto st = listModelTensors(path("model.safetensors"));
        const auto z = listModelTensors(path("modelz.npz"));
        const auto zs = listModelTensors(path("model.npz"));
        const WeightsMatrix a = readModelTensor(st[1]), b = readModelTensor(z[1]),
                            c = readModelTensor(zs[1]);
        QCOMPARE(a.values, b.values);
        QCOMPARE(a.values, c.values);
        QCOMPARE(a.values[17], spiked(200, 200, {6.0, 3.0, 2.5}, 2)[17]);
        const WeightsMatrix k = readModelTensor(st[4]);
        QCOMPARE(readModelTensor(z[4]).values, k.values);
        QCOMPARE(readModelTensor(zs[4]).values, k.values);
        QCOMPARE(k.rows, 32);
        QCOMPARE(k.cols, 144);
        std::vector<float> raw(32 * 144);
        std::memcpy(raw.data(), arrays[4].data.data(), arrays[4].data.size());
        for (int i : {0, 7, 31})
            for (int in : {0, 15})
                for (int kh : {0, 2})
                    for (int kw : {1, 2})
                        QCOMPARE(
                            k.at(i, (in * 3 + kh) * 3 + kw),
                            static_cast<double>(
                                raw[static_cast<std::size_t>(((i * 16 + in) * 3 + kh) * 3 + kw)]));
        QVERIFY_THROWS_EXCEPTION(InputError, readModelTensor(st[7])); // the NaN
        QVERIFY_THROWS_EXCEPTION(InputError, readModelTensor(st[2])); // 1-D
    }

    // The rows: planted spikes well above the threshold found, pure noise none; each number
    // against its definition from the singular values.
    void rows()
    {
        ModelReportOptions o;
        o.keepSingular = true;
        const ModelReport r = analyseModel(path("model.safetensors"), o);
        QCOMPARE(r.analysed, 4);
        QCOMPARE(layer(r, "embed").detectedRank, 2);
        QCOMPARE(layer(r, "attn").detectedRank, 3);
        QCOMPARE(layer(r, "mlp").detectedRank, 0);
        QCOMPARE(layer(r, "conv").detectedRank, 0);
        // conv entries have sd 1/12: sigma = sqrt(32)/12.
        QVERIFY(std::abs(layer(r, "conv").fit.sigma / (std::sqrt(32.0) / 12.0) - 1.0) < 0.05);
        for (const char* name : {"embed", "attn", "mlp"})
            QVERIFY(std::abs(layer(r, name).fit.sigma - 1.0) < 0.03);
        for (const auto& l : r.layers) {
            if (!l.analysed)
                continue;
            const auto& s = l.singular;
            const double total = std::inner_product(s.begin(), s.end(), s.begin(), 0.0);
            double top = 0.0;
            for (int i = 0; i < l.detectedRank; ++i)
                top += s[static_cast<std::size_t>(i)] * s[static_cast<std::size_t>(i)];
            QVERIFY(std::abs(l.outlierEnergy - top / total) < 1e-12);
            QVERIFY(std::abs(l.stableRank - total / (s[0] * s[0])) < 1e-9 * l.stableRank);
            QCOMPARE(l.aspect, static_cast<double>(l.tensor.cols) / l.tensor.rows);
            QVERIFY(l.tail.ok && l.tail.alpha > 1.0 && l.tail.ks > 0.0 && l.tail.ks < 1.0);
        }
        QVERIFY(layer(r, "bad").reason.find("NaN") != std::string::npos);
        QVERIFY(layer(r, "tiny").reason.find("too small") != std::string::npos);
        QCOMPARE(r.expectedFalseLayers, 4 * 0.01);
        QVERIFY(std::abs(r.familyWiseRate - (1.0 - std::pow(0.99, 4))) < 1e-15);
        // The npz archives give the same rows.
        const ModelReport z = analyseModel(path("modelz.npz"), o);
        QCOMPARE(layer(z, "attn").fit.sigma, layer(r, "attn").fit.sigma);
        QCOMPARE(layer(z, "embed").tail.alpha, layer(r, "embed").tail.alpha);
    }

    // A directory: every model file under it, named by relative path.
    void directory()
    {
        QTemporaryDir d;
        QVERIFY(QDir(d.path()).mkpath("sub"));
        const std::string root = d.path().toStdString();
        ws::testing::writeFile(
            root + "/sub/m.npz",
            ws::testing::npzBytes(
                {{"w", "F64", {60, 80}, ws::testing::f64Bytes(spiked(60, 80, {6.0}, 4))}}, false));
        ws::testing::writeFile(
            root + "/a.safetensors",
            ws::testing::safetensorsBytes(
                {{"x", "F32", {50, 50}, ws::testing::f32Bytes(spiked(50, 50, {}, 5))}}));
        ws::testing::writeFile(root + "/notes.txt", "not a model");
        const ModelReport r = analyseModel(root);
        QCOMPARE(r.layers.size(), std::size_t{2});
        QCOMPARE(r.layers[0].tensor.name, std::string("a.safetensors:x"));
        QCOMPARE(r.layers[1].tensor.name, std::string("sub/m.npz:w"));
        QCOMPARE(r.layers[1].detectedRank, 1);
        QVERIFY_THROWS_EXCEPTION(InputError, analyseModel(root + "/missing"));
        QVERIFY_THROWS_EXCEPTION(InputError, analyseModel(root + "/notes.txt"));
        QTemporaryDir empty;
        QVERIFY_THROWS_EXCEPTION(InputError, analyseModel(empty.path().toStdString()));
    }

    // 4-D kernels in .npy files and .npz members (stored and deflated), in every dtype, byte
    // order and storage order NumPy writes, are read as out x (in kh kw): element by element the
    // same matrix as its 2-D twin, and the same report row.
    void npyKernels()
    {
        const int O = 24, I = 5, H = 3, W = 2;
        Rng rng(11, 0);
        std::vector<double> k(static_cast<std::size_t>(O * I * H * W)); // C order (o, i, h, w)
        for (double& x : k) // multiples of 1/64 below 2 in magnitude: exact in float16
            x = std::clamp(std::round(rng.normal() * 16.0), -127.0, 127.0) / 64.0;
        QTemporaryDir d;
        const std::string root = d.path().toStdString();
        ws::testing::writeFile(
            root + "/twin.npy",
            ws::testing::npyBytes({"twin", "F64", {O, I * H * W}, ws::testing::f64Bytes(k)}));
        std::vector<ModelArray> members;
        for (const char* type : {"f2", "f4", "f8"})
            for (bool be : {false, true})
                for (bool fortran : {false, true}) {
                    std::string data;
                    for (double v : fortran ? ws::testing::fortranOrder(k, {O, I, H, W}) : k)
                        data += storedBytes(v, type[1], be);
                    std::string descr(be ? ">" : "<"); // (not ">" + s: GCC 12 warns falsely)
                    descr += type;
                    ModelArray a{std::string(type) + (be ? "be" : "le") + (fortran ? "F" : "C"),
                                 "F32",
                                 {O, I, H, W},
                                 data,
                                 descr,
                                 fortran};
                    ws::testing::writeFile(root + "/" + a.name + ".npy", ws::testing::npyBytes(a));
                    members.push_back(std::move(a));
                }
        ws::testing::writeFile(root + "/stored.npz", ws::testing::npzBytes(members, false));
        ws::testing::writeFile(root + "/deflated.npz", ws::testing::npzBytes(members, true));

        const ModelReport r = analyseModel(root);
        QCOMPARE(r.layers.size(), std::size_t{37}); // 12 .npy files, 2 x 12 members, the twin
        const LayerReport& twin = layer(r, "twin");
        QCOMPARE(twin.tensor.reshape, std::string());
        const WeightsMatrix expected = readModelTensor(twin.tensor);
        for (const LayerReport& l : r.layers) {
            if (&l == &twin)
                continue;
            const QByteArray name = QByteArray::fromStdString(l.tensor.name);
            QVERIFY2(l.analysed, qPrintable(name + ": " + QByteArray::fromStdString(l.reason)));
            QCOMPARE(l.tensor.shape, (std::vector<std::int64_t>{O, I, H, W}));
            QCOMPARE(l.tensor.rows, O);
            QCOMPARE(l.tensor.cols, I * H * W);
            QCOMPARE(l.tensor.reshape, std::string("out x (in kh kw)"));
            QVERIFY2(readModelTensor(l.tensor).values == expected.values, name.constData());
            QCOMPARE(l.fit.sigma, twin.fit.sigma);
            QCOMPARE(l.detectedRank, twin.detectedRank);
        }
    }

    // The single-matrix reader (readWeights, listTensors: the CLI without --all, the GUI's Open)
    // reads what the whole-model report reads: an .npz member by name (stored or deflated) and a
    // 4-D safetensors kernel, each the same matrix as its 2-D twin, with the stored shape kept.
    void singleFileReadsModelTensors()
    {
        const int O = 12, I = 3, H = 2, W = 2;
        std::vector<double> k(static_cast<std::size_t>(O * I * H * W));
        for (std::size_t i = 0; i < k.size(); ++i)
            k[i] = static_cast<double>((i * 37) % 101) / 8.0 - 6.0; // exact in float32
        const std::vector<std::int64_t> kernel{O, I, H, W};
        QTemporaryDir d;
        const std::string root = d.path().toStdString();
        const std::string twinPath = root + "/twin.npy";
        ws::testing::writeFile(
            twinPath,
            ws::testing::npyBytes({"twin", "F64", {O, I * H * W}, ws::testing::f64Bytes(k)}));
        const WeightsMatrix twin = readWeights(twinPath);
        const ModelArray conv{"conv", "F32", kernel, ws::testing::f32Bytes(k)};
        const ModelArray dense{"dense", "F64", {O, I * H * W}, ws::testing::f64Bytes(k)};
        const ModelArray bias{"bias", "F32", {O}, ws::testing::f32Bytes(std::vector<double>(O))};
        for (bool deflate : {false, true}) {
            const std::string npz = root + (deflate ? "/d.npz" : "/s.npz");
            ws::testing::writeFile(npz, ws::testing::npzBytes({conv, bias, dense}, deflate));
            QVERIFY(detectWeightsFormat(npz) == WeightsFormat::Npz);
            const std::vector<TensorInfo> list = listTensors(npz);
            QCOMPARE(list.size(), std::size_t{3});
            QCOMPARE(list[0].name, std::string("conv")); // the member without ".npy"
            QCOMPARE(list[0].shape, kernel);
            QVERIFY(list[0].readable() && list[0].isKernel());
            QCOMPARE(list[0].matrixRows(), std::int64_t{O});
            QCOMPARE(list[0].matrixCols(), std::int64_t{I * H * W});
            QVERIFY(!list[1].readable()); // 1-D
            QVERIFY(list[2].readable() && list[2].is2d());
            const WeightsMatrix m = readWeights(npz, "conv");
            QCOMPARE(m.tensor, std::string("conv"));
            QCOMPARE(m.source, npz);
            QCOMPARE(m.storedShape, kernel);
            QCOMPARE(m.rows, O);
            QCOMPARE(m.cols, I * H * W);
            QVERIFY(m.values == twin.values);
            QVERIFY(readWeights(npz, "dense").values == twin.values);
            // Two readable members: a name is needed, and the error offers both and --all.
            try {
                (void)readWeights(npz);
                QFAIL("no error for two readable members");
            } catch (const InputError& e) {
                const std::string w = e.what();
                QVERIFY2(w.find("--tensor") != std::string::npos &&
                             w.find("'conv'") != std::string::npos &&
                             w.find("'dense'") != std::string::npos &&
                             w.find("'bias'") == std::string::npos,
                         w.c_str());
            }
            QVERIFY_THROWS_EXCEPTION(InputError, readWeights(npz, "bias")); // 1-D: its reason
            QVERIFY_THROWS_EXCEPTION(InputError, readWeights(npz, "conv.npy"));
        }
        // One readable member: taken without a name.
        const std::string one = root + "/one.npz";
        ws::testing::writeFile(one, ws::testing::npzBytes({bias, conv}, true));
        QCOMPARE(readWeights(one).tensor, std::string("conv"));
        // A PyTorch zip is still refused, as before.
        ws::testing::writeFile(root + "/m.zip", ws::testing::npzBytes({conv}, false));
        QVERIFY_THROWS_EXCEPTION(InputError, detectWeightsFormat(root + "/m.zip"));

        // .safetensors: the 4-D kernel is readable, read as out x (in kh kw).
        const std::string st = root + "/k.safetensors";
        ws::testing::writeFile(st, ws::testing::safetensorsBytes({conv, bias}));
        const std::vector<TensorInfo> stList = listTensors(st);
        QVERIFY(stList[0].readable());
        const WeightsMatrix s = readWeights(st); // the only readable tensor
        QCOMPARE(s.tensor, std::string("conv"));
        QCOMPARE(s.storedShape, kernel);
        QCOMPARE(s.rows, O);
        QVERIFY(s.values == twin.values);
        QCOMPARE(twin.storedShape, (std::vector<std::int64_t>{O, I * H * W}));
    }

    // Other shapes in a .npy keep their reasons; a 4-D kernel that is empty, truncated or too
    // large to index is refused with one, and never read.
    void npyKernelsRefused()
    {
        QTemporaryDir d;
        const std::string root = d.path().toStdString();
        const std::string data = ws::testing::f32Bytes(std::vector<double>(64, 1.0));
        const std::vector<std::pair<std::vector<std::int64_t>, std::string>> cases = {
            {{4, 4, 4}, "is 3-D"},
            {{2, 2, 2, 2, 4}, "is 5-D"},
            {{8, 0, 3, 3}, "zero dimension"},
            {{8, 4, 3, 3}, "truncated"},
            {{8, 2000000000, 2000000000, 2000000000}, "too large"},
            {{8, 65536, 65536, 1}, "too large"},
        };
        for (std::size_t c = 0; c < cases.size(); ++c)
            ws::testing::writeFile(
                root + "/case" + std::to_string(c) + ".npy",
                ws::testing::npyBytes({"x", "F32", cases[c].first, data, "<f4", c % 2 == 1}));
        const std::vector<ModelTensor> t = listModelTensors(root);
        QCOMPARE(t.size(), cases.size());
        for (std::size_t c = 0; c < cases.size(); ++c) {
            QVERIFY2(t[c].reason.find(cases[c].second) != std::string::npos,
                     qPrintable(QString::fromStdString(t[c].name + ": " + t[c].reason)));
            QCOMPARE(t[c].rows, 0);
            QVERIFY_THROWS_EXCEPTION(InputError, readModelTensor(t[c]));
        }
    }

    // Clauset's estimator on exact Pareto samples (density ~ x^-alpha above 1, below it a
    // uniform bulk that the KS choice of xmin must cut away): alpha within 3 standard errors,
    // xmin at or above 1 with a tail of hundreds, and D of the order 1/sqrt(tail).
    void powerLaw()
    {
        for (double alpha : {2.5, 4.0}) {
            Rng rng(static_cast<std::uint64_t>(alpha * 10), 0);
            std::vector<double> x;
            for (int i = 0; i < 2000; ++i)
                x.push_back(std::pow(rng.uniformOpen(), -1.0 / (alpha - 1.0)));
            for (int i = 0; i < 2000; ++i)
                x.push_back(rng.uniformOpen()); // below xmin = 1
            const PowerLawFit f = fitPowerLawTail(x);
            QVERIFY(f.ok);
            QVERIFY2(
                std::abs(f.alpha - alpha) < 3.0 * f.alphaSe + 0.05,
                qPrintable(QString("%1 vs %2 (se %3)").arg(f.alpha).arg(alpha).arg(f.alphaSe)));
            // Any xmin >= 1 is a Pareto tail too; below 1 the uniform bulk would enter.
            QVERIFY2(f.xmin > 0.95 && f.tail >= 300,
                     qPrintable(QString("xmin %1, tail %2").arg(f.xmin).arg(f.tail)));
            QVERIFY(f.ks < 2.0 / std::sqrt(static_cast<double>(f.tail)));
            QVERIFY(std::abs(f.alphaSe - (f.alpha - 1.0) / std::sqrt(f.tail)) < 1e-12);
        }
        QVERIFY(!fitPowerLawTail({1.0, 2.0, 0.0}).ok);              // too few
        QVERIFY(!fitPowerLawTail(std::vector<double>(20, 3.0)).ok); // all equal
        QVERIFY_THROWS_EXCEPTION(InputError, fitPowerLawTail({1.0, 2.0}, 1));
    }

    // Threads: layers run in parallel; each row is the same for 1 and 2 threads.
    void deterministic()
    {
        ModelReport one, two;
        testsupport::withTbbThreads(1, [&] { one = analyseModel(path("model.safetensors")); });
        testsupport::withTbbThreads(2, [&] { two = analyseModel(path("model.safetensors")); });
        QCOMPARE(one.layers.size(), two.layers.size());
        for (std::size_t i = 0; i < one.layers.size(); ++i) {
            QCOMPARE(one.layers[i].fit.sigma, two.layers[i].fit.sigma);
            QCOMPARE(one.layers[i].detectedRank, two.layers[i].detectedRank);
            QCOMPARE(one.layers[i].tail.alpha, two.layers[i].tail.alpha);
            QCOMPARE(one.layers[i].reason, two.layers[i].reason);
        }
    }

    // A budget too small for some layers: those are rows with a memory reason, the others run.
    // Cancelled before the start: Cancelled, no report.
    void budgetAndCancel()
    {
        ModelReportOptions o;
        o.memoryBudget = 200'000; // conv (32 x 144) fits, the 200 x 200 does not
        const ModelReport r = analyseModel(path("model.safetensors"), o);
        QVERIFY(layer(r, "conv").analysed);
        QVERIFY(layer(r, "attn").reason.rfind("memory:", 0) == 0);
        std::atomic<bool> cancel{true};
        QVERIFY_THROWS_EXCEPTION(Cancelled, analyseModel(path("model.safetensors"), {}, &cancel));
        o = {};
        o.falseRate = 0.9;
        QVERIFY_THROWS_EXCEPTION(InputError, analyseModel(path("model.safetensors"), o));
    }

    // Pruning the model: each layer with k >= 1 holds its best rank-k approximation (float32 of
    // pruneTopK's result, element for element), every other byte of the file is unchanged; the
    // parameter counts; rank-0 layers kept; not a .safetensors file: refused.
    void pruning()
    {
        const ModelReport r = analyseModel(path("model.safetensors"));
        const PrunedModel m = pruneModel(r);
        QFile f(QString::fromStdString(path("model.safetensors")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const std::string orig = f.readAll().toStdString();
        QCOMPARE(m.bytes.size(), orig.size());
        std::vector<bool> changed(orig.size(), false);
        std::int64_t after = 0, before = 0;
        for (const auto& l : r.layers) {
            std::int64_t n = 1;
            for (auto d : l.tensor.shape)
                n *= d;
            before += n;
            if (!l.analysed || l.detectedRank == 0) {
                after += n;
                continue;
            }
            const int k = l.detectedRank;
            after += static_cast<std::int64_t>(k) * (l.tensor.rows + l.tensor.cols);
            const WeightsMatrix w = readModelTensor(l.tensor);
            const PruneResult want = pruneTopK(w.rows, w.cols, w.values, k);
            const bool f64 = l.tensor.dtype == "float64"; // embed is F32, attn F64
            for (std::size_t i = 0; i < want.lowRank.size(); ++i) {
                if (f64) {
                    double got = 0.0;
                    std::memcpy(&got, m.bytes.data() + l.tensor.offset + 8 * i, 8);
                    QCOMPARE(got, want.lowRank[i]);
                } else {
                    float got = 0.0f;
                    std::memcpy(&got, m.bytes.data() + l.tensor.offset + 4 * i, 4);
                    QCOMPARE(got, static_cast<float>(want.lowRank[i]));
                }
            }
            for (std::uint64_t b = l.tensor.offset; b < l.tensor.offset + l.tensor.bytes; ++b)
                changed[b] = true;
        }
        for (std::size_t b = 0; b < orig.size(); ++b)
            if (!changed[b] && m.bytes[b] != orig[b])
                QFAIL(qPrintable(QString("byte %1 changed").arg(b)));
        QCOMPARE(m.paramsBefore, before);
        QCOMPARE(m.paramsAfter, after);
        int replaced = 0;
        for (const auto& p : m.layers)
            replaced += p.replaced;
        QCOMPARE(replaced, 2); // embed and attn; mlp and conv have rank 0
        QVERIFY_THROWS_EXCEPTION(InputError, pruneModel(analyseModel(path("model.npz"))));
        ModelReport tiny = r;
        QVERIFY_THROWS_EXCEPTION(ResourceError, pruneModel(tiny, nullptr, 1000));
    }

    void halfPrecision()
    {
        QCOMPARE(toFloat16(1.0), std::uint16_t{0x3C00});
        QCOMPARE(toFloat16(-2.0), std::uint16_t{0xC000});
        QCOMPARE(toFloat16(0.5), std::uint16_t{0x3800});
        QCOMPARE(toFloat16(65504.0), std::uint16_t{0x7BFF});
        QCOMPARE(toFloat16(1e9), std::uint16_t{0x7BFF}); // clamped, not infinite
        QCOMPARE(toFloat16(std::ldexp(1.0, -24)), std::uint16_t{0x0001});
        QCOMPARE(toFloat16(std::ldexp(1.0, -14)), std::uint16_t{0x0400});
        QCOMPARE(toFloat16(1.0 + std::ldexp(1.0, -11)), std::uint16_t{0x3C00});     // tie: even
        QCOMPARE(toFloat16(1.0 + 3 * std::ldexp(1.0, -11)), std::uint16_t{0x3C02}); // tie: even
        QCOMPARE(toFloat16(2047.5), std::uint16_t{0x6800}); // rounds into the next binade: 2048
        QCOMPARE(toFloat16(0.0), std::uint16_t{0});
        QCOMPARE(toBFloat16(1.0), std::uint16_t{0x3F80});
        QCOMPARE(toBFloat16(-3.0), std::uint16_t{0xC040});
        QCOMPARE(toBFloat16(1.0 + std::ldexp(1.0, -8)), std::uint16_t{0x3F80}); // tie: even
    }

    // Damaged archives are refused with a message, never a crash.
    void damaged()
    {
        std::string zip = ws::testing::npzBytes(
            {{"w", "F64", {20, 20}, ws::testing::f64Bytes(spiked(20, 20, {}, 6))}}, true);
        for (std::size_t cut : {zip.size() - 5, zip.size() / 2, std::size_t{10}}) {
            ws::testing::writeFile(path("cut.npz"), zip.substr(0, cut));
            try {
                const ModelReport r = analyseModel(path("cut.npz"));
                for (const auto& l : r.layers)
                    QVERIFY(!l.analysed || l.tensor.rows == 20);
            } catch (const InputError&) {
            }
        }
        std::string corrupt = zip;
        corrupt[60] = static_cast<char>(corrupt[60] ^ 0x55); // inside the deflate stream
        ws::testing::writeFile(path("corrupt.npz"), corrupt);
        try {
            const ModelReport r = analyseModel(path("corrupt.npz"));
            QVERIFY(r.layers.size() == 1);
        } catch (const InputError&) {
        }
    }
};

QTEST_APPLESS_MAIN(TestModelReport)
#include "tst_modelreport.moc"
