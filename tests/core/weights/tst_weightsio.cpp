// Weight-matrix files (core/weights/weights_io.h): every format, dtype, byte order and storage
// order written byte by byte by the test and read back exactly; corrupt, truncated and unsupported
// files refused with InputError saying why; chunked reading (progress, cancel, memory budget);
// writeNpy round trip; optionally a cross-check against files NumPy writes.
#include "core/model/families.h"
#include "core/weights/weights_io.h"
#include "support/model_files.h"

#include <nlohmann/json.hpp>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

using namespace ws::core;
using ojson = nlohmann::ordered_json;

namespace {

// Runs `body`, which must throw E whose message contains every word.
template <class E>
void expectError(const std::function<void()>& body, std::initializer_list<std::string> words,
                 const char* what, int line)
{
    const QByteArray where = QByteArray(what) + " (line " + QByteArray::number(line) + ")";
    try {
        body();
    } catch (const E& e) {
        const std::string msg = e.what();
        for (const std::string& w : words)
            if (msg.find(w) == std::string::npos)
                QFAIL(qPrintable(
                    QString("%1: message \"%2\" lacks \"%3\"")
                        .arg(where, QString::fromStdString(msg), QString::fromStdString(w))));
        return;
    } catch (const std::exception& e) {
        QFAIL(qPrintable(QString("%1: wrong exception type: %2").arg(where, e.what())));
    }
    QFAIL(qPrintable(where + ": no exception"));
}
#define EXPECT_ERROR(Type, expr, ...)                                                              \
    do {                                                                                           \
        expectError<Type>([&] { (void)(expr); }, {__VA_ARGS__}, #expr, __LINE__);                  \
        if (QTest::currentTestFailed())                                                            \
            return;                                                                                \
    } while (0)

template <class U> std::string encodeBits(U bits, bool bigEndian)
{
    std::string s(sizeof(U), '\0');
    for (std::size_t i = 0; i < sizeof(U); ++i) {
        const auto byte = static_cast<char>((bits >> (8 * i)) & 0xffu);
        s[bigEndian ? sizeof(U) - 1 - i : i] = byte;
    }
    return s;
}

std::string encodeF64(double v, bool be = false)
{
    return encodeBits(std::bit_cast<std::uint64_t>(v), be);
}
std::string encodeF32(float v, bool be = false)
{
    return encodeBits(std::bit_cast<std::uint32_t>(v), be);
}
std::string encodeU16(std::uint16_t v, bool be = false)
{
    return encodeBits(v, be);
}

// A .npy file with the given header dict (no padding added) and data.
std::string npyFile(const std::string& dict, const std::string& data, int major = 1)
{
    std::string s = "\x93NUMPY";
    s += static_cast<char>(major);
    s += '\0';
    if (major == 1)
        s += encodeBits(static_cast<std::uint16_t>(dict.size()), false);
    else
        s += encodeBits(static_cast<std::uint32_t>(dict.size()), false);
    return s + dict + data;
}

std::string npyDict(const std::string& descr, bool fortran, const std::string& shape)
{
    return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
           ", 'shape': " + shape + ", }\n";
}

struct Tensor
{
    std::string name, dtype;
    std::vector<std::int64_t> shape;
    std::string data;
};

// A .safetensors file with tensors laid out in order; `edit` may change the header.
std::string safetensorsFile(const std::vector<Tensor>& tensors,
                            const std::function<void(ojson&)>& edit = {})
{
    ojson h = ojson::object();
    h["__metadata__"] = {{"format", "pt"}};
    std::string data;
    for (const Tensor& t : tensors) {
        h[t.name] = {{"dtype", t.dtype},
                     {"shape", t.shape},
                     {"data_offsets", {data.size(), data.size() + t.data.size()}}};
        data += t.data;
    }
    if (edit)
        edit(h);
    const std::string header = h.dump();
    return encodeBits(static_cast<std::uint64_t>(header.size()), false) + header + data;
}

bool sameBits(double a, double b)
{
    return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

// Awkward doubles: subnormals, signed zero, extremes, non-representable decimals.
const std::vector<double> kAwkward = {0.1,     -0.0,      DBL_MAX, -DBL_MIN, 4.9e-324,
                                      1.0 / 3, -2.5e-310, 6.02e23, -1e-300,  M_PI,
                                      65504.0, -1.0,      0.0,     1e308,    -7.25};

const std::vector<float> kAwkward32 = {0.1f,     -0.0f,     FLT_MAX,  -FLT_MIN, 1e-45f,
                                       1.0f / 3, -2.5e-40f, 6.02e23f, -1e-30f,  3.14159f,
                                       65504.0f, -1.0f,     0.0f,     3e38f,    -7.25f};

} // namespace

class TestWeightsIo : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    std::string path(const char* name) const { return (m_dir.path() + "/" + name).toStdString(); }
    std::string write(const char* name, const std::string& bytes) const
    {
        const std::string p = path(name);
        QFile f(QString::fromStdString(p));
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            f.write(bytes.data(), static_cast<qint64>(bytes.size())) !=
                static_cast<qint64>(bytes.size()))
            qFatal("cannot write %s", p.c_str());
        return p;
    }
    WeightsMatrix npy(const std::string& bytes) const { return readWeights(write("t.npy", bytes)); }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void npyEveryDtypeAndOrder()
    {
        const int rows = 3, cols = 5;
        for (const char* type : {"f8", "f4", "f2"})
            for (bool be : {false, true})
                for (bool fortran : {false, true})
                    for (int major : {1, 2, 3}) {
                        // Values exact in the dtype: float16 integers and halves below 2048.
                        auto value = [&](int i, int j) {
                            if (type[1] == '2')
                                return (i * cols + j) * 0.5 - 3.0;
                            if (type[1] == '4')
                                return static_cast<double>(
                                    kAwkward32[static_cast<std::size_t>(i * cols + j)]);
                            return kAwkward[static_cast<std::size_t>(i * cols + j)];
                        };
                        std::string data;
                        for (int k = 0; k < rows * cols; ++k) {
                            const int i = fortran ? k % rows : k / cols;
                            const int j = fortran ? k / rows : k % cols;
                            const double v = value(i, j);
                            if (type[1] == '8')
                                data += encodeF64(v, be);
                            else if (type[1] == '4')
                                data += encodeF32(static_cast<float>(v), be);
                            else // float16 of small multiples of 0.5: built by hand
                            {
                                const double a = std::fabs(v);
                                std::uint16_t bits = 0;
                                if (a != 0) {
                                    int e = 0;
                                    const double m = std::frexp(a, &e); // a = m 2^e, m in [.5,1)
                                    bits = static_cast<std::uint16_t>(
                                        ((e + 14) << 10) |
                                        (static_cast<int>(std::ldexp(m, 11)) & 0x3ff));
                                }
                                if (std::signbit(v))
                                    bits |= 0x8000;
                                data += encodeU16(bits, be);
                            }
                        }
                        const std::string descr = std::string(be ? ">" : "<") + type;
                        const WeightsMatrix m =
                            npy(npyFile(npyDict(descr, fortran, "(3, 5)"), data, major));
                        const QByteArray tag = QByteArray(descr.c_str()) + (fortran ? " F" : " C") +
                                               " v" + QByteArray::number(major);
                        QCOMPARE(m.rows, rows);
                        QCOMPARE(m.cols, cols);
                        QCOMPARE(m.values.size(), std::size_t(rows * cols));
                        QCOMPARE(m.dtype, std::string(type[1] == '8'   ? "float64"
                                                      : type[1] == '4' ? "float32"
                                                                       : "float16"));
                        QCOMPARE(m.tensor, std::string());
                        for (int i = 0; i < rows; ++i)
                            for (int j = 0; j < cols; ++j)
                                QVERIFY2(sameBits(m.at(i, j), value(i, j)),
                                         qPrintable(tag + QString(" [%1,%2] %3 != %4")
                                                              .arg(i)
                                                              .arg(j)
                                                              .arg(m.at(i, j))
                                                              .arg(value(i, j))));
                    }
    }

    void npyHeaderSpellings()
    {
        const std::string data = encodeF64(1) + encodeF64(2) + encodeF64(3) + encodeF64(4);
        for (const char* dict : {
                 "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }           \n",
                 "{\"shape\":(2,2),\"fortran_order\":False,\"descr\":\"<f8\"}",
                 "{ 'fortran_order' : False , 'descr' : '<f8' , 'shape' : ( 2 , 2 , ) }\n",
                 "{'descr': '<f8', 'fortran_order': False, 'shape': (2L, 2L)}",
                 "{'descr': '<f8', 'extra': [1, (2, 'x'), {'a': None}], 'fortran_order': "
                 "False, 'shape': (2, 2)}\n",
             }) {
            const WeightsMatrix m = npy(npyFile(dict, data));
            QCOMPARE(m.rows, 2);
            QCOMPARE(m.values, (std::vector<double>{1, 2, 3, 4}));
        }
        // Fortran order: the transpose of the storage.
        const WeightsMatrix f = npy(npyFile(npyDict("<f8", true, "(2, 2)"), data));
        QCOMPARE(f.values, (std::vector<double>{1, 3, 2, 4}));
        // Bytes after the data are ignored (NumPy does the same).
        QCOMPARE(npy(npyFile(npyDict("<f8", false, "(1, 2)"), data)).values,
                 (std::vector<double>{1, 2}));
        // In memory, the same parser.
        QCOMPARE(parseNpy(npyFile(npyDict("<f8", false, "(2, 2)"), data)).values,
                 (std::vector<double>{1, 2, 3, 4}));
        const auto list =
            listTensors(write("l.npy", npyFile(npyDict("<f4", true, "(4, 1)"), data)));
        QCOMPARE(list.size(), std::size_t(1));
        QCOMPARE(list[0].name, std::string());
        QCOMPARE(list[0].dtype, std::string("float32"));
        QCOMPARE(list[0].shape, (std::vector<std::int64_t>{4, 1}));
        QCOMPARE(list[0].bytes, std::uint64_t(16));
        QVERIFY(list[0].readable());
    }

    void npyRefused()
    {
        const std::string d16 = encodeF64(1) + encodeF64(2);
        const std::string d96(96, '\0');
        EXPECT_ERROR(InputError, npy("hello, world"), "t.npy", "\\x93NUMPY");
        EXPECT_ERROR(InputError, npy(npyFile(npyDict("<f8", false, "(1, 2)"), d16).substr(0, 30)),
                     "header length", "beyond the end");
        EXPECT_ERROR(InputError, npy(npyFile(npyDict("<i8", false, "(1, 2)"), d16)),
                     "dtype '<i8' is not supported; use float32 or float64");
        EXPECT_ERROR(InputError, npy(npyFile(npyDict("<c16", false, "(1, 1)"), d16)),
                     "dtype '<c16' is not supported");
        EXPECT_ERROR(InputError, npy(npyFile(npyDict("|O", false, "(1, 2)"), d16)),
                     "object arrays");
        EXPECT_ERROR(InputError, npy(npyFile(npyDict("|f8", false, "(1, 2)"), d16)), "byte order");
        EXPECT_ERROR(InputError,
                     npy(npyFile("{'descr': [('a', '<f8'), ('b', '<f8')], 'fortran_order': "
                                 "False, 'shape': (1,)}",
                                 d16)),
                     "structured");
        EXPECT_ERROR(InputError, npy(npyFile(npyDict("<f8", false, "(2,)"), d16)),
                     "shape (2,) is 1-D; a weight matrix needs 2 dimensions");
        EXPECT_ERROR(InputError, npy(npyFile(npyDict("<f8", false, "()"), d16)), "0-D");
        EXPECT_ERROR(InputError, npy(npyFile(npyDict("<f8", false, "(1, 1, 2)"), d16)),
                     "(1, 1, 2) is 3-D");
        EXPECT_ERROR(InputError, npy(npyFile(npyDict("<f8", false, "(1, 1, 1, 1, 2)"), d16)),
                     "(1, 1, 1, 1, 2) is 5-D");
        EXPECT_ERROR(InputError, npy(npyFile(npyDict("<f8", false, "(0, 2)"), d16)),
                     "zero dimension");
        EXPECT_ERROR(InputError, npy(npyFile(npyDict("<f8", true, "(2, 1, 0, 3)"), d16)),
                     "zero dimension");
        // 4-D kernels: truncated, and in x kh x kw beyond the matrix's int columns (the product
        // overflowing 64 bits too), refused from the header alone.
        EXPECT_ERROR(InputError, npy(npyFile(npyDict("<f4", true, "(2, 3, 2, 3)"), d96)),
                     "truncated", "needs 144 bytes", "has 96");
        EXPECT_ERROR(InputError, npy(npyFile(npyDict("<f4", false, "(2, 65536, 65536, 1)"), d96)),
                     "too large");
        EXPECT_ERROR(
            InputError,
            npy(npyFile(npyDict("<f4", false, "(2, 2000000000, 2000000000, 2000000000)"), d96)),
            "too large");
        EXPECT_ERROR(InputError, npy(npyFile(npyDict("<f8", false, "(-1, 2)"), d16)), "negative");
        EXPECT_ERROR(InputError, npy(npyFile(npyDict("<f8", false, "(3000000000, 2)"), d16)),
                     "too large");
        EXPECT_ERROR(InputError,
                     npy(npyFile(npyDict("<f8", false, "(99999999999999999999999, 2)"), d16)),
                     "too large");
        EXPECT_ERROR(InputError, npy(npyFile(npyDict("<f8", false, "(3, 4)"), d16)), "truncated",
                     "needs 96 bytes", "has 16");
        EXPECT_ERROR(InputError, npy(npyFile(npyDict("<f4", false, "(3, 4)"), d96.substr(0, 47))),
                     "truncated", "needs 48 bytes", "has 47");
        // A huge shape over a tiny file: refused from the file size, nothing allocated.
        EXPECT_ERROR(InputError,
                     npy(npyFile(npyDict("<f8", false, "(2147483647, 2147483647)"), d16)),
                     "truncated");
        EXPECT_ERROR(InputError, npy(npyFile(npyDict("<f8", false, "(1, 2)"), d16, 4)),
                     "version 4.0");
        EXPECT_ERROR(InputError, npy(npyFile("{'descr': '<f8', 'fortran_order': False}", d16)),
                     "no 'shape'");
        EXPECT_ERROR(InputError,
                     npy(npyFile("{'descr': '<f8', 'fortran_order': 'no', 'shape': (1, 2)}", d16)),
                     "True or False");
        EXPECT_ERROR(InputError,
                     npy(npyFile("{'descr': '<f8' 'fortran_order': False, 'shape': (1, 2)}", d16)),
                     "malformed .npy header");
        EXPECT_ERROR(InputError,
                     npy(npyFile("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, "
                                 "'shape': (1, 2)}",
                                 d16)),
                     "twice");
        EXPECT_ERROR(
            InputError,
            npy(npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2)} x", d16)),
            "after the closing");
        // NaN/Inf: the first one named by [row, column]; Fortran order maps correctly.
        std::vector<double> v(12, 1.0);
        v[1 * 4 + 2] = std::numeric_limits<double>::quiet_NaN();
        std::string c;
        for (double x : v)
            c += encodeF64(x);
        EXPECT_ERROR(InputError, npy(npyFile(npyDict("<f8", false, "(3, 4)"), c)), "[1, 2]", "NaN",
                     "finite");
        std::string f; // element (2, 1) of a 3 x 4 Fortran matrix is storage index 1*3 + 2
        for (int k = 0; k < 12; ++k)
            f += encodeF32(k == 5 ? -std::numeric_limits<float>::infinity() : 1.0f, true);
        EXPECT_ERROR(InputError, npy(npyFile(npyDict(">f4", true, "(3, 4)"), f)), "[2, 1]", "-Inf");
        EXPECT_ERROR(
            InputError,
            readWeights(write("n.npy", npyFile(npyDict("<f8", false, "(1, 2)"), d16)), "weight"),
            "--tensor 'weight'", ".safetensors");
    }

    void safetensorsAllDtypes()
    {
        // float16 and bfloat16 bit patterns with their exact values.
        const std::vector<std::pair<std::uint16_t, double>> f16 = {
            {0x3C00, 1.0},      {0xC000, -2.0},           {0x0001, 0x1p-24},
            {0x8001, -0x1p-24}, {0x03FF, 1023 * 0x1p-24}, {0x0400, 0x1p-14},
            {0x7BFF, 65504.0},  {0x3555, 0.333251953125}, {0x8000, -0.0}};
        const std::vector<std::pair<std::uint16_t, double>> bf16 = {
            {0x3F80, 1.0},        {0xC040, -3.0},        {0x0001, 0x1p-133}, {0x8001, -0x1p-133},
            {0x7F7F, 0x1.fep127}, {0x3EAB, 0.333984375}, {0x0080, 0x1p-126}, {0x8000, -0.0}};
        std::string f16data, bf16data, f32data, f64data;
        for (const auto& [bits, v] : f16)
            f16data += encodeU16(bits);
        for (const auto& [bits, v] : bf16)
            bf16data += encodeU16(bits);
        const std::vector<float> f32 = {0.1f, -1e-40f /*subnormal*/, FLT_MAX, -0.0f, 3.5f, 7.0f};
        for (float v : f32)
            f32data += encodeF32(v);
        for (std::size_t k = 0; k < 4; ++k)
            f64data += encodeF64(kAwkward[k]);
        const std::string file = safetensorsFile({
            {"layer.weight", "F32", {2, 3}, f32data},
            {"bias", "F32", {3}, f32data.substr(0, 12)},
            {"half", "F16", {3, 3}, f16data},
            {"conv", "F32", {1, 2, 3}, f32data},
            {"brain", "BF16", {2, 4}, bf16data},
            {"ids", "I64", {2, 2}, std::string(32, '\1')},
            {"dbl", "F64", {2, 2}, f64data},
            {"scalar", "F64", {}, f64data.substr(0, 8)},
        });
        const std::string p = write("m.safetensors", file);
        QVERIFY(detectWeightsFormat(p) == WeightsFormat::Safetensors);

        const auto list = listTensors(p);
        QCOMPARE(list.size(), std::size_t(8));
        const char* names[] = {"layer.weight", "bias", "half", "conv",
                               "brain",        "ids",  "dbl",  "scalar"};
        const char* dtypes[] = {"float32",  "float32", "float16", "float32",
                                "bfloat16", "I64",     "float64", "float64"};
        const bool readable[] = {true, false, true, false, true, false, true, false};
        for (std::size_t k = 0; k < list.size(); ++k) {
            QCOMPARE(list[k].name, std::string(names[k]));
            QCOMPARE(list[k].dtype, std::string(dtypes[k]));
            QCOMPARE(list[k].readable(), readable[k]);
        }
        QCOMPARE(list[3].shape, (std::vector<std::int64_t>{1, 2, 3}));
        QCOMPARE(list[5].bytes, std::uint64_t(32));
        QVERIFY(list[7].shape.empty());
        QCOMPARE(parseSafetensorsHeader(file).size(), std::size_t(8));

        const WeightsMatrix w = readWeights(p, "layer.weight");
        QCOMPARE(w.tensor, std::string("layer.weight"));
        QCOMPARE(w.source, p);
        QCOMPARE(w.dtype, std::string("float32"));
        QCOMPARE(w.rows, 2);
        QCOMPARE(w.cols, 3);
        for (std::size_t k = 0; k < f32.size(); ++k)
            QVERIFY(sameBits(w.values[k], static_cast<double>(f32[k])));

        const WeightsMatrix h = readWeights(p, "half");
        QCOMPARE(h.dtype, std::string("float16"));
        for (std::size_t k = 0; k < f16.size(); ++k)
            QVERIFY2(sameBits(h.values[k], f16[k].second),
                     qPrintable(QString("f16 %1: %2").arg(f16[k].first, 0, 16).arg(h.values[k])));
        const WeightsMatrix b = parseSafetensors(file, "brain");
        QCOMPARE(b.dtype, std::string("bfloat16"));
        QCOMPARE(b.rows, 2);
        QCOMPARE(b.cols, 4);
        for (std::size_t k = 0; k < bf16.size(); ++k)
            QVERIFY2(sameBits(b.values[k], bf16[k].second),
                     qPrintable(QString("bf16 %1: %2").arg(bf16[k].first, 0, 16).arg(b.values[k])));
        const WeightsMatrix d = readWeights(p, "dbl");
        for (std::size_t k = 0; k < 4; ++k)
            QVERIFY(sameBits(d.values[k], kAwkward[k]));

        EXPECT_ERROR(InputError, readWeights(p), "4 readable 2-D tensors", "--tensor",
                     "'layer.weight'", "'brain' [2, 4] bfloat16");
        EXPECT_ERROR(InputError, readWeights(p, "nope"), "no tensor named 'nope'", "'half'",
                     "'dbl'");
        EXPECT_ERROR(InputError, readWeights(p, "bias"), "[3] (1-D)", "needs 2 dimensions");
        EXPECT_ERROR(InputError, readWeights(p, "conv"), "3-D");
        EXPECT_ERROR(InputError, readWeights(p, "scalar"), "0-D");
        EXPECT_ERROR(InputError, readWeights(p, "ids"), "I64", "not supported",
                     "F32, F16, BF16 or F64");

        // One readable 2-D tensor (an integer buffer does not count): taken without a name.
        const std::string one = write(
            "one.safetensors", safetensorsFile({{"bias", "F32", {3}, f32data.substr(0, 12)},
                                                {"pos_ids", "I64", {1, 4}, std::string(32, '\0')},
                                                {"w", "BF16", {4, 2}, bf16data}}));
        const WeightsMatrix o = readWeights(one);
        QCOMPARE(o.tensor, std::string("w"));
        QCOMPARE(o.rows, 4);
        QCOMPARE(o.cols, 2);
        EXPECT_ERROR(
            InputError,
            readWeights(write("none.safetensors",
                              safetensorsFile({{"bias", "F32", {3}, f32data.substr(0, 12)}}))),
            "no readable 2-D tensor", "'bias' [3]");

        // Non-finite values are refused with their position.
        std::string inf16 = f16data.substr(0, 6) + encodeU16(0x7C00) + f16data.substr(8);
        EXPECT_ERROR(InputError,
                     parseSafetensors(safetensorsFile({{"h", "F16", {3, 3}, inf16}}), ""), "[1, 0]",
                     "+Inf");
        std::string nan16 = bf16data.substr(0, 14) + encodeU16(0xFFC0);
        EXPECT_ERROR(InputError,
                     parseSafetensors(safetensorsFile({{"b", "BF16", {2, 4}, nan16}}), ""),
                     "[1, 3]", "NaN");
    }

    void safetensorsRefused()
    {
        const std::string d = encodeF32(1) + encodeF32(2) + encodeF32(3) + encodeF32(4);
        auto st = [&](const std::function<void(ojson&)>& edit, const std::string& data) {
            return readWeights(
                write("c.safetensors", safetensorsFile({{"w", "F32", {2, 2}, data}}, edit)));
        };
        auto none = [](ojson&) {};
        // The edit that sets tensor w's `key` in the header to `value`.
        auto setW = [](const char* key, ojson value) {
            return [key, value](ojson& h) { h["w"][key] = value; };
        };
        QCOMPARE(st(none, d).values, (std::vector<double>{1, 2, 3, 4}));
        EXPECT_ERROR(InputError, st(setW("data_offsets", {0, 16}), d.substr(0, 12)),
                     "data_offsets [0, 16]", "beyond the data (12 bytes");
        EXPECT_ERROR(InputError, st(setW("data_offsets", {0, 12}), d), "hold 12 bytes", "needs 16");
        EXPECT_ERROR(InputError, st(setW("data_offsets", {8, 4}), d), "end before");
        EXPECT_ERROR(InputError, st(setW("data_offsets", {0}), d), "data_offsets");
        EXPECT_ERROR(InputError, st(setW("shape", {-2, 2}), d), "must not be negative");
        EXPECT_ERROR(InputError, st(setW("shape", {2.5, 2}), d), "non-negative integer");
        EXPECT_ERROR(InputError, st([](ojson& h) { h["w"].erase("dtype"); }, d), "'dtype'");
        EXPECT_ERROR(InputError, st([](ojson& h) { h["w"] = 3; }, d), "expected an object");
        // A header claiming a huge tensor over a tiny file.
        EXPECT_ERROR(InputError,
                     st(
                         [](ojson& h) {
                             h["w"]["shape"] = {1000000000, 1000000000};
                             h["w"]["data_offsets"] = {0, 4000000000000000000ull};
                         },
                         d),
                     "beyond the data");
        EXPECT_ERROR(InputError, st(setW("shape", {4294967296ull, 4294967296ull}), d),
                     "needs more than 2^64");
        // Deep nesting in the metadata.
        const std::string deep = std::string(200, '[') + std::string(200, ']');
        auto raw = [&](const std::string& header, const std::string& data) {
            return readWeights(write("r.safetensors",
                                     encodeBits(static_cast<std::uint64_t>(header.size()), false) +
                                         header + data));
        };
        EXPECT_ERROR(InputError, raw("{\"__metadata__\": " + deep + "}", d), "nested deeper");
        EXPECT_ERROR(InputError, raw("{\"w\": {\"dtype\": \"F32\"", d), "not valid JSON");
        EXPECT_ERROR(InputError, raw("{\"a\": 1, \"a\": 2}", d), "'a' twice");
        EXPECT_ERROR(InputError, raw("{\"a\": \"\xff\"}", d), "not valid JSON");
        EXPECT_ERROR(InputError, raw("{}", d), "no readable 2-D tensor", "no tensors at all");
        std::string big = encodeBits(std::uint64_t{1} << 40, false) + "{}";
        EXPECT_ERROR(InputError, readWeights(write("big.safetensors", big)), "beyond the end");
        EXPECT_ERROR(InputError, readWeights(write("tiny.safetensors", "abc")), "tiny.safetensors",
                     "named .safetensors");
        EXPECT_ERROR(InputError, parseSafetensorsHeader("abc"), "too short");
    }

    void textFormats()
    {
        auto t = [&](const std::string& text) { return readWeights(write("t.csv", text)); };
        WeightsMatrix m = t("# exported by hand\nw0, w1 ,w2\n1,2,3\n# a comment\n4.5,-6e-3,+7\n\n");
        QCOMPARE(m.rows, 2);
        QCOMPARE(m.cols, 3);
        QCOMPARE(m.dtype, std::string("text"));
        QCOMPARE(m.values, (std::vector<double>{1, 2, 3, 4.5, -6e-3, 7}));
        m = readWeights(write("t.tsv", "a\tb\n0.1\t-0.2\n0.3\t0.4\n"));
        QCOMPARE(m.values, (std::vector<double>{0.1, -0.2, 0.3, 0.4}));
        m = readWeights(write("t.txt", "\xEF\xBB\xBF  1  2   3\r\n4 5 6  # trailing\r\n"));
        QCOMPARE(m.rows, 2);
        QCOMPARE(m.values, (std::vector<double>{1, 2, 3, 4, 5, 6}));
        // numpy.savetxt's default format, and values at the edges of the double range.
        m = t("1.000000000000000056e-01 -2.500000000000000000e+00\n4.9e-324 1e-400\n"
              "-1e-400 1.7976931348623157e308\n");
        QCOMPARE(m.rows, 3);
        QVERIFY(sameBits(m.values[0], 0.1));
        QVERIFY(sameBits(m.values[2], 4.9e-324));
        QVERIFY(sameBits(m.values[3], 0.0));
        QVERIFY(sameBits(m.values[4], -0.0));
        QVERIFY(sameBits(m.values[5], DBL_MAX));
        QCOMPARE(t("5").values, std::vector<double>{5});
        m = t("1 2\r3 4\r\r5 6"); // old Mac line ends
        QCOMPARE(m.rows, 3);
        QCOMPARE(m.values, (std::vector<double>{1, 2, 3, 4, 5, 6}));
        EXPECT_ERROR(InputError, t("1 2\r\n3 4\r\n5\r\n"), "line 3 has 1 field");
        EXPECT_ERROR(InputError, t("1 2\r3 4\r5\r"), "line 3 has 1 field");
        QCOMPARE(parseText("1 2\n3 4").values, (std::vector<double>{1, 2, 3, 4}));
        const auto list = listTensors(write("l.csv", "x,y\n1,2\n\n# c\n3,4\n5,6"));
        QCOMPARE(list.size(), std::size_t(1));
        QCOMPARE(list[0].shape, (std::vector<std::int64_t>{3, 2}));
        QCOMPARE(list[0].dtype, std::string("text"));

        EXPECT_ERROR(InputError, t("1,2,3\n4,5\n"), "t.csv", "line 2 has 2 fields", "line 1 has 3");
        EXPECT_ERROR(InputError, t("# c\n\n1 2\n3 4\n5\n"), "line 5 has 1 field");
        EXPECT_ERROR(InputError, t("1,2\n3,x\n"), "line 2, field 2: 'x' is not a number");
        EXPECT_ERROR(InputError, t("1,2\n3,4x\n"), "'4x' is not a number");
        EXPECT_ERROR(InputError, t("1,2\n3,0x10\n"), "'0x10' is not a number");
        EXPECT_ERROR(InputError, t("1,a\n"), "'a' is not a number", "header");
        EXPECT_ERROR(InputError, t("1,,3\n"), "line 1, field 2: empty field");
        EXPECT_ERROR(InputError, t("1,2,\n"), "field 3: empty field");
        EXPECT_ERROR(InputError, t("1 2\n3 nan\n"), "line 2, field 2", "[1, 1]", "NaN");
        EXPECT_ERROR(InputError, t("a b\n1 2\n-inf 3\n"), "line 3, field 1", "[1, 0]", "-Inf");
        EXPECT_ERROR(InputError, t("1 1e999\n"), "'1e999' is beyond the range");
        EXPECT_ERROR(InputError, t("1 ++2\n"), "'++2' is not a number");
        EXPECT_ERROR(InputError, t(""), "empty");
        EXPECT_ERROR(InputError, t("# only\n\n  \n"), "no data");
        EXPECT_ERROR(InputError, t("a,b,c\n"), "header line but no data");
        EXPECT_ERROR(InputError, t("a,b,c\n1,2\n"), "(header) has 3 names", "2 values");
        EXPECT_ERROR(InputError, readWeights(write("x.csv", "1,2"), "w"), "--tensor");
    }

    void detection()
    {
        const std::string d = encodeF64(1) + encodeF64(2);
        const std::string npyBytes = npyFile(npyDict("<f8", false, "(1, 2)"), d);
        QVERIFY(detectWeightsFormat(write("npy.csv", npyBytes)) == WeightsFormat::Npy);
        QCOMPARE(readWeights(path("npy.csv")).values, (std::vector<double>{1, 2}));
        QVERIFY(detectWeightsFormat(write("noext", safetensorsFile({{"w", "F64", {1, 2}, d}}))) ==
                WeightsFormat::Safetensors);
        QVERIFY(detectWeightsFormat(write("UP.CSV", "1")) == WeightsFormat::Text);
        QCOMPARE(toString(WeightsFormat::Safetensors), std::string("safetensors"));
        // A zip named .npz is an archive of .npy members (tst_modelreport reads them); a broken
        // one is refused when listed.
        QVERIFY(detectWeightsFormat(write("a.npz", "PK\x03\x04 rest")) == WeightsFormat::Npz);
        QVERIFY_THROWS_EXCEPTION(InputError, listTensors(write("a.npz", "PK\x03\x04 rest")));
        EXPECT_ERROR(InputError, detectWeightsFormat(write("a.zip", "PK\x03\x04 rest")), "zip");
        EXPECT_ERROR(InputError, detectWeightsFormat(write("m.pt", "\x80\x02 pickle")), "PyTorch");
        EXPECT_ERROR(InputError, detectWeightsFormat(write("m.xyz", "1 2 3")),
                     "unknown weight file format");
        EXPECT_ERROR(InputError, detectWeightsFormat(write("e.npy", "")), "empty");
    }

    void unreadablePaths()
    {
        const std::string missing = path("missing.npy");
        EXPECT_ERROR(InputError, readWeights(missing), "cannot read " + missing,
                     std::strerror(ENOENT));
        EXPECT_ERROR(InputError, listTensors(missing), "cannot read");
        EXPECT_ERROR(InputError, detectWeightsFormat(missing), "cannot read");
        const std::string dir = m_dir.path().toStdString();
        EXPECT_ERROR(InputError, readWeights(dir), "cannot read " + dir, std::strerror(EISDIR));
        const std::string fifo = path("fifo.csv");
        QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
        EXPECT_ERROR(InputError, readWeights(fifo), "not a regular file"); // and no hang
        if (::geteuid() == 0)
            QSKIP("running as root: file permissions do not apply");
        const std::string locked = write("locked.csv", "1,2\n");
        QCOMPARE(::chmod(locked.c_str(), 0), 0);
        EXPECT_ERROR(InputError, readWeights(locked), "cannot read " + locked,
                     std::strerror(EACCES));
    }

    void writeNpyRoundTrip()
    {
        std::vector<double> v;
        for (int k = 0; k < 3 * 7; ++k)
            v.push_back(kAwkward[static_cast<std::size_t>(k) % kAwkward.size()] / (k + 1));
        const std::string p = path("out.npy");
        writeNpy(p, 3, 7, v);
        const WeightsMatrix m = readWeights(p);
        QCOMPARE(m.rows, 3);
        QCOMPARE(m.cols, 7);
        QCOMPARE(m.dtype, std::string("float64"));
        QCOMPARE(m.values.size(), v.size());
        QVERIFY(std::memcmp(m.values.data(), v.data(), v.size() * sizeof(double)) == 0);
        // NumPy's layout: version 1.0, data aligned to 64 bytes, header ends with '\n'.
        const std::string bytes = encodeNpy(3, 7, v);
        const std::size_t dataStart =
            10 + static_cast<unsigned char>(bytes[8]) + 256u * static_cast<unsigned char>(bytes[9]);
        QCOMPARE(dataStart % 64, std::size_t(0));
        QCOMPARE(bytes.size(), dataStart + v.size() * 8);
        QCOMPARE(bytes[dataStart - 1], '\n');
        QVERIFY(bytes.find("'shape': (3, 7)") != std::string::npos);
        EXPECT_ERROR(InputError, writeNpy(p, 2, 7, v), "21 values for a 2 x 7");
        EXPECT_ERROR(InputError, writeNpy(p, 0, 7, {}), "at least 1");
        EXPECT_ERROR(std::runtime_error, writeNpy(path("no/such/dir.npy"), 3, 7, v), "no/such");
        QVERIFY(std::memcmp(readWeights(p).values.data(), v.data(), v.size() * 8) == 0);
    }

    void progressCancelBudget()
    {
        // 2048 x 1500 float32 = 12 MiB: two 8 MiB chunks.
        const int rows = 2048, cols = 1500;
        std::string data;
        data.reserve(std::size_t(rows) * cols * 4);
        for (int k = 0; k < rows * cols; ++k)
            data += encodeF32(static_cast<float>(k % 1000) * 0.25f);
        const std::string p =
            write("big.npy", npyFile(npyDict("<f4", false, "(2048, 1500)"), data));
        std::vector<double> seen;
        const WeightsMatrix m = readWeights(p, {}, nullptr, [&](double f) { seen.push_back(f); });
        QCOMPARE(m.at(rows - 1, cols - 1), ((rows * cols - 1) % 1000) * 0.25);
        QVERIFY(seen.size() >= 2);
        QVERIFY(std::is_sorted(seen.begin(), seen.end()));
        QCOMPARE(seen.back(), 1.0);
        QVERIFY(seen.front() > 0.0 && seen.front() < 1.0);

        std::atomic<bool> cancel{false};
        int calls = 0;
        EXPECT_ERROR(Cancelled,
                     readWeights(p, {}, &cancel,
                                 [&](double) {
                                     ++calls;
                                     cancel = true;
                                 }),
                     "cancelled");
        QCOMPARE(calls, 1);
        calls = 0;
        EXPECT_ERROR(Cancelled, readWeights(p, {}, &cancel, [&](double) { ++calls; }), "cancelled");
        QCOMPARE(calls, 0);
        cancel = false;

        EXPECT_ERROR(ResourceError, readWeights(p, {}, nullptr, {}, 1000), "big.npy", "2048 x 1500",
                     "23.4 MiB", "memory budget of 1000 B");
        QCOMPARE(readWeights(p, {}, nullptr, {}, std::size_t(rows) * cols * 8).rows, rows);

        // safetensors: only the chosen tensor's bytes are read (one chunk for a small one).
        const std::string st = write(
            "big.safetensors", safetensorsFile({{"big", "F32", {rows, cols}, data},
                                                {"small", "F32", {2, 2}, data.substr(0, 16)}}));
        seen.clear();
        const WeightsMatrix s =
            readWeights(st, "small", nullptr, [&](double f) { seen.push_back(f); });
        QCOMPARE(s.values, (std::vector<double>{0, 0.25, 0.5, 0.75}));
        QCOMPARE(seen, std::vector<double>{1.0});
        seen.clear();
        QCOMPARE(readWeights(st, "big", nullptr, [&](double f) { seen.push_back(f); }).rows, rows);
        QCOMPARE(seen.size(), std::size_t(2));

        // Text over 8 MiB: lines split across chunks; budget refused while growing.
        std::string text = "# big\n";
        for (int i = 0; i < 1000; ++i)
            for (int j = 0; j < 1000; ++j)
                text += std::to_string((i * 1000 + j) * 0.5) + (j + 1 < 1000 ? "," : "\n");
        const std::string tp = write("big.csv", text);
        QVERIFY(text.size() > (std::size_t{8} << 20));
        seen.clear();
        const WeightsMatrix t = readWeights(tp, {}, nullptr, [&](double f) { seen.push_back(f); });
        QCOMPARE(t.rows, 1000);
        QCOMPARE(t.cols, 1000);
        for (int k = 0; k < 1000000; k += 999)
            QCOMPARE(t.values[static_cast<std::size_t>(k)], k * 0.5);
        QVERIFY(std::is_sorted(seen.begin(), seen.end()));
        QCOMPARE(seen.back(), 1.0);
        EXPECT_ERROR(ResourceError, readWeights(tp, {}, nullptr, {}, 100000), "memory budget",
                     "big.csv");
        cancel = true;
        EXPECT_ERROR(Cancelled, readWeights(tp, {}, &cancel), "cancelled");
    }

    // A 4-D kernel (out, in, kh, kw) is read as the out x (in kh kw) matrix: in C and Fortran
    // order, from a file and from memory, the same matrix as its 2-D twin, element by element.
    void npyKernels()
    {
        const int O = 9, I = 3, H = 2, W = 4, n = O * I * H * W;
        auto value = [&](int o, int c) { return (o * 37 + c * 11) % 100 * 0.25 - 12.0; };
        std::vector<double> matrix; // row-major: the kernel in C order
        std::string twin;
        for (int o = 0; o < O; ++o)
            for (int c = 0; c < I * H * W; ++c) {
                matrix.push_back(value(o, c));
                twin += encodeF64(value(o, c));
            }
        const WeightsMatrix expected = npy(npyFile(npyDict("<f8", false, "(9, 24)"), twin));
        for (bool fortran : {false, true})
            for (bool be : {false, true}) {
                std::string data;
                for (double v : fortran ? ws::testing::fortranOrder(matrix, {O, I, H, W}) : matrix)
                    data += encodeF32(static_cast<float>(v), be);
                const std::string bytes =
                    npyFile(npyDict(be ? ">f4" : "<f4", fortran, "(9, 3, 2, 4)"), data);
                const std::string p = write("kernel.npy", bytes);
                const std::vector<TensorInfo> list = listTensors(p);
                QCOMPARE(list.size(), std::size_t{1});
                QCOMPARE(list[0].shape, (std::vector<std::int64_t>{O, I, H, W})); // as stored
                QCOMPARE(list[0].matrixRows(), std::int64_t{O});
                QCOMPARE(list[0].matrixCols(), std::int64_t{I * H * W});
                QVERIFY(list[0].readable());
                const WeightsMatrix m = readWeights(p);
                QCOMPARE(m.storedShape, (std::vector<std::int64_t>{O, I, H, W}));
                QCOMPARE(m.rows, O);
                QCOMPARE(m.cols, I * H * W);
                QCOMPARE(m.dtype, std::string("float32"));
                QVERIFY(m.values == expected.values);
                QVERIFY(parseNpy(bytes).values == expected.values);
            }
        // A non-finite element is named by its matrix position: K[1, 2, 0, 3] is [1, 19].
        std::string f;
        for (int at = 0; at < n; ++at)
            f += encodeF32(at == 1 + O * (2 + I * (0 + H * 3))
                               ? std::numeric_limits<float>::quiet_NaN()
                               : 1.0f);
        EXPECT_ERROR(InputError, npy(npyFile(npyDict("<f4", true, "(9, 3, 2, 4)"), f)), "[1, 19]",
                     "NaN");
    }

    void fortranAcrossChunks()
    {
        // Columns split across 8 MiB chunks (2^21 float32 elements is not a multiple of 3001
        // rows), and a float64 one with a column longer than a chunk.
        auto value = [](int i, int j) { return ((i * 7 + j * 13) % 1000) * 0.5; };
        for (const auto& [rows, cols, f8] : {std::tuple{3001, 1001, false}, {1100000, 3, true}}) {
            std::string data;
            data.reserve(std::size_t(rows) * std::size_t(cols) * (f8 ? 8 : 4));
            for (int j = 0; j < cols; ++j)
                for (int i = 0; i < rows; ++i)
                    data +=
                        f8 ? encodeF64(value(i, j)) : encodeF32(static_cast<float>(value(i, j)));
            std::string shape(1, '('); // (not "(" + s: GCC 12 warns falsely, -Wrestrict)
            shape += std::to_string(rows) + ", " + std::to_string(cols) + ")";
            int calls = 0;
            const WeightsMatrix m = readWeights(
                write("fortran.npy", npyFile(npyDict(f8 ? "<f8" : "<f4", true, shape), data)), {},
                nullptr, [&](double) { ++calls; });
            QVERIFY(calls >= 2);
            QCOMPARE(m.rows, rows);
            QCOMPARE(m.cols, cols);
            bool ok = true;
            for (int i = 0; i < rows && ok; ++i)
                for (int j = 0; j < cols && ok; ++j)
                    ok = m.at(i, j) == value(i, j);
            QVERIFY(ok);
        }
        // A Fortran-order 4-D kernel (3001, 7, 11, 13): 1001 columns split across chunks as
        // above, each stored column landing in its column of the out x (in kh kw) matrix.
        const int rows = 3001, I = 7, H = 11, W = 13;
        std::string data;
        data.reserve(std::size_t(rows) * I * H * W * 4);
        for (int w = 0; w < W; ++w)
            for (int h = 0; h < H; ++h)
                for (int i = 0; i < I; ++i)
                    for (int o = 0; o < rows; ++o)
                        data += encodeF32(static_cast<float>(value(o, (i * H + h) * W + w)));
        const WeightsMatrix m = readWeights(
            write("fortran.npy", npyFile(npyDict("<f4", true, "(3001, 7, 11, 13)"), data)));
        QCOMPARE(m.rows, rows);
        QCOMPARE(m.cols, I * H * W);
        bool ok = true;
        for (int i = 0; i < rows && ok; ++i)
            for (int j = 0; j < m.cols && ok; ++j)
                ok = m.at(i, j) == value(i, j);
        QVERIFY(ok);
    }

    void numpyCrossCheck()
    {
        QProcess probe;
        probe.start("/usr/bin/python3", {"-c", "import numpy"});
        if (!probe.waitForFinished(30000) || probe.exitStatus() != QProcess::NormalExit ||
            probe.exitCode() != 0)
            QSKIP("/usr/bin/python3 with numpy is not available");
        // NumPy writes the files and, as float.hex, the values it means.
        const QString dir = m_dir.path() + "/np";
        QVERIFY(QDir().mkpath(dir));
        const char* script = R"(
import sys, numpy as np
from numpy.lib import format as fmt
d = sys.argv[1]
rng = np.random.default_rng(7)
a = rng.standard_normal((37, 23))
a[1, 1] = -0.0
a8 = a.copy(); a8[0, 0] = 5e-324; a8[2, 2] = 1e300
a4 = a.astype('<f4'); a4[0, 0] = 1e-45; a4[2, 2] = 3e38
a2 = (a * 100).astype('<f2'); a2[0, 0] = 6e-8; a2[2, 2] = -65504
cases = {
  'c8': a8, 'f8': np.asfortranarray(a8), 'c4': a4, 'f4': np.asfortranarray(a4),
  'b8': a8.astype('>f8'), 'b4': np.asfortranarray(a4.astype('>f4')), 'h2': a2,
}
for name, x in cases.items():
    np.save(f'{d}/{name}.npy', x)
    with open(f'{d}/{name}.hex', 'w') as f:
        f.write(' '.join(float(v).hex() for v in np.asarray(x, dtype=np.float64).ravel()))
with open(f'{d}/v2.npy', 'wb') as f:
    fmt.write_array(f, cases['c4'], version=(2, 0))
np.savetxt(f'{d}/t.csv', a8, delimiter=',', header='numpy savetxt')
)";
        QProcess py;
        py.start("/usr/bin/python3", {"-c", script, dir});
        QVERIFY(py.waitForFinished(60000));
        QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
        auto expected = [&](const QString& name) {
            QFile f(dir + "/" + name + ".hex");
            std::vector<double> v;
            if (!f.open(QIODevice::ReadOnly))
                return v;
            for (const QByteArray& tok : f.readAll().split(' '))
                v.push_back(std::strtod(tok.constData(), nullptr)); // C locale: hex floats
            return v;
        };
        for (const char* name : {"c8", "f8", "c4", "f4", "b8", "b4", "h2"}) {
            const WeightsMatrix m = readWeights((dir + "/" + name + ".npy").toStdString());
            const std::vector<double> want = expected(name);
            QCOMPARE(m.rows, 37);
            QCOMPARE(m.cols, 23);
            QCOMPARE(want.size(), m.values.size());
            for (std::size_t k = 0; k < want.size(); ++k)
                QVERIFY2(sameBits(m.values[k], want[k]),
                         qPrintable(QString(name) + " " + QString::number(k)));
        }
        const WeightsMatrix v2 = readWeights((dir + "/v2.npy").toStdString());
        QCOMPARE(v2.values, expected("c4"));
        const WeightsMatrix t = readWeights((dir + "/t.csv").toStdString());
        QCOMPARE(t.values, expected("c8")); // savetxt's %.18e round-trips doubles
    }
};

QTEST_APPLESS_MAIN(TestWeightsIo)
#include "tst_weightsio.moc"
