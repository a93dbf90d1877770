// The animation writers (ui/render/frameencoder.h), checked by decoding what they wrote: the
// GIF with giflib (frame count, size, loop, delays, every composited frame equal to the drawn
// one up to the palette), the MP4 with libavformat/libavcodec (frame count, size, H.264
// yuv420p, frames close to the drawn ones), the PNG frames exactly; and that nothing is left
// behind by an error, a cancel or an encoder dropped before finish().
#include "decoded.h"

#include "support/dir_entries.h"
#include "ui/render/atomicoutput.h"
#include "ui/render/frameencoder.h"
#include "ui/render/framerenderer.h"
#include "ui/render/framestyle.h"
#include "ui/render/gifpalette.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>

using namespace ws;

class TestEncoders : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void formats();
    void gifDecodes();
    void mp4Decodes();
    void pngFrames();
    void nothingLeftBehind_data();
    void nothingLeftBehind();
    void refusedTargets();
    void replacesPreviousOutputs();

private:
    std::string path(const char* name) const { return (m_dir.path() + "/" + name).toStdString(); }
    QStringList entries() const { return test::dirEntries(m_dir.path()); }
    render::EncoderOptions options() const
    {
        render::EncoderOptions o;
        o.size = m_size;
        o.fps = 12.0;
        const render::style::Palette light = render::style::Palette::light();
        o.inks = light.inks();
        o.background = light.background;
        return o;
    }
    void writeAll(render::OutputFormat f, const std::string& target)
    {
        auto enc = render::openEncoder(f, target, options());
        for (const QImage& img : m_images)
            enc->add(img);
        QCOMPARE(enc->frames(), static_cast<int>(m_images.size()));
        QVERIFY(enc->finish());
    }

    QTemporaryDir m_dir;
    const QSize m_size{640, 360};
    core::AnimationPlan m_plan;
    std::vector<QImage> m_images;
    QRect m_plot;
};

void TestEncoders::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_plan = decoded::samplePlan(5);
    const render::FrameRenderer r(m_plan);
    for (const auto& f : core::runAnimation(m_plan).frames)
        m_images.push_back(r.render(f, m_size));
    m_plot = r.layout(m_size).plot;
    QCOMPARE(m_images.size(), std::size_t(5));
}

void TestEncoders::formats()
{
    using render::OutputFormat;
    QVERIFY(render::outputFormatOf("a.gif") == OutputFormat::Gif);
    QVERIFY(render::outputFormatOf("dir/A.GIF") == OutputFormat::Gif);
    QVERIFY(render::outputFormatOf("talk.Mp4") == OutputFormat::Mp4);
    QVERIFY(render::outputFormatOf("frames/") == OutputFormat::PngFrames);
    QVERIFY(render::outputFormatOf(m_dir.path().toStdString()) == OutputFormat::PngFrames);
    for (const char* bad : {"", "a.png", "a.gif.txt", ".gif", "movie.mov", "gif"})
        QVERIFY2(!render::outputFormatOf(bad), bad);
}

void TestEncoders::gifDecodes()
{
    const std::string file = path("a.gif");
    writeAll(render::OutputFormat::Gif, file);
    const decoded::Gif g = decoded::readGif(file);
    QVERIFY(g.ok);
    QCOMPARE(g.images, 5);
    QCOMPARE(g.width, 640);
    QCOMPARE(g.height, 360);
    QVERIFY(g.loops);
    // 12 fps in hundredths: 8, 9, 8, 8, 9 (the mean rate is exact: 42 hundredths for 5 frames).
    QCOMPARE(g.delays, (std::vector<int>{8, 9, 8, 8, 9}));
    // What a viewer shows is the drawn frame through the palette, pixel for pixel: the
    // changed-rectangle and transparency steps lose nothing.
    const render::style::Palette light = render::style::Palette::light();
    const render::GifPalette palette(light.inks(), light.background);
    for (int i = 0; i < 5; ++i) {
        const QImage& shown = g.frames[static_cast<std::size_t>(i)];
        const QImage& drawn = m_images[static_cast<std::size_t>(i)];
        int wrong = 0;
        for (int y = 0; y < 360; ++y)
            for (int x = 0; x < 640; ++x)
                wrong += shown.pixel(x, y) != palette.colours()[palette.indexOf(drawn.pixel(x, y))];
        QCOMPARE(wrong, 0);
        // The palette keeps plot colours close (no channel more than ~12 off on average).
        QVERIFY2(decoded::meanDifference(shown, drawn, shown.rect()) < 2.0,
                 qPrintable(QString::number(decoded::meanDifference(shown, drawn, shown.rect()))));
    }
    // The histogram is drawn: many non-background pixels in the plot.
    QVERIFY(decoded::inkPixels(g.frames[2], m_plot) > m_plot.width() * m_plot.height() / 5);
    // Later frames store only what changed: the file is far smaller than five full frames.
    QVERIFY(QFile(QString::fromStdString(file)).size() < 5 * 40000);
}

void TestEncoders::mp4Decodes()
{
    const std::string file = path("a.mp4");
    writeAll(render::OutputFormat::Mp4, file);
    const decoded::Video v = decoded::readVideo(file);
    QVERIFY(v.ok);
    QCOMPARE(v.codec, std::string("h264"));
    QCOMPARE(v.pixelFormat, std::string("yuv420p"));
    QCOMPARE(v.width, 640);
    QCOMPARE(v.height, 360);
    QCOMPARE(v.frames.size(), std::size_t(5));
    for (std::size_t i = 0; i < 5; ++i) {
        // Not uniform: the plot is there, in the right place and colours (lossy, so close).
        QVERIFY(decoded::inkPixels(v.frames[i], m_plot, Qt::white, 40) >
                m_plot.width() * m_plot.height() / 5);
        const double d = decoded::meanDifference(v.frames[i], m_images[i], v.frames[i].rect());
        QVERIFY2(d < 4.0, qPrintable(QString("frame %1: %2").arg(i).arg(d)));
    }
    // A frame is closer to its own drawing than to its neighbour's: the order is kept.
    QVERIFY(decoded::meanDifference(v.frames[4], m_images[4], m_plot) <
            decoded::meanDifference(v.frames[4], m_images[3], m_plot));
}

void TestEncoders::pngFrames()
{
    const std::string dir = path("frames/");
    writeAll(render::OutputFormat::PngFrames, dir);
    const QStringList files = QDir(QString::fromStdString(dir)).entryList(QDir::Files, QDir::Name);
    QCOMPARE(files, (QStringList{"frame_0001.png", "frame_0002.png", "frame_0003.png",
                                 "frame_0004.png", "frame_0005.png"}));
    for (int i = 0; i < 5; ++i) {
        const QImage img(QString::fromStdString(dir) + files[i]);
        QCOMPARE(img.convertToFormat(QImage::Format_RGB32), m_images[static_cast<std::size_t>(i)]);
    }
}

void TestEncoders::nothingLeftBehind_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<QString>("name");
    QTest::newRow("gif") << static_cast<int>(render::OutputFormat::Gif) << "x.gif";
    QTest::newRow("mp4") << static_cast<int>(render::OutputFormat::Mp4) << "x.mp4";
    QTest::newRow("png") << static_cast<int>(render::OutputFormat::PngFrames) << "x/";
}

void TestEncoders::nothingLeftBehind()
{
    // Dropped before finish(), or finished with the cancel flag set: no output, no temporary.
    QFETCH(int, format);
    QFETCH(QString, name);
    QTemporaryDir dir;
    const std::string target = (dir.path() + "/" + name).toStdString();
    const auto f = static_cast<render::OutputFormat>(format);
    {
        auto enc = render::openEncoder(f, target, options());
        enc->add(m_images[0]);
        enc->add(m_images[1]);
        QCOMPARE(test::dirEntries(dir.path()).size(), 1);
    }
    QVERIFY(QDir(dir.path()).isEmpty(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot));
    {
        auto enc = render::openEncoder(f, target, options());
        enc->add(m_images[0]);
        std::atomic<bool> cancel{true};
        QVERIFY(!enc->finish(&cancel));
    }
    QVERIFY(QDir(dir.path()).isEmpty(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot));
}

void TestEncoders::refusedTargets()
{
    using render::AtomicOutput;
    using render::EncodeError;
    const std::string missing = path("no/such/dir/a.gif");
    QVERIFY_THROWS_EXCEPTION(EncodeError,
                             AtomicOutput::checkTarget(missing, AtomicOutput::Kind::File));
    QVERIFY_THROWS_EXCEPTION(
        EncodeError, (void)render::openEncoder(render::OutputFormat::Gif, missing, options()));
    // A directory where a file should go, a file where a directory should go.
    QVERIFY(QDir(m_dir.path()).mkpath("adir.gif"));
    QVERIFY_THROWS_EXCEPTION(EncodeError,
                             AtomicOutput::checkTarget(path("adir.gif"), AtomicOutput::Kind::File));
    QFile plain(QString::fromStdString(path("plain")));
    QVERIFY(plain.open(QIODevice::WriteOnly));
    plain.close();
    QVERIFY_THROWS_EXCEPTION(
        EncodeError, AtomicOutput::checkTarget(path("plain/"), AtomicOutput::Kind::Directory));
    // A directory with other files is never replaced.
    QVERIFY(QDir(m_dir.path()).mkpath("notes"));
    QFile note(m_dir.path() + "/notes/lecture.txt");
    QVERIFY(note.open(QIODevice::WriteOnly));
    note.close();
    try {
        AtomicOutput::checkTarget(path("notes/"), AtomicOutput::Kind::Directory);
        QFAIL("accepted a directory with other files");
    } catch (const EncodeError& e) {
        QVERIFY2(std::string(e.what()).find("holds other files") != std::string::npos, e.what());
    }
    // MP4 needs even sizes, a GIF at most 50 fps; nothing is left when refused.
    const QStringList before = entries();
    render::EncoderOptions odd = options();
    odd.size = QSize(641, 360);
    QVERIFY_THROWS_EXCEPTION(
        EncodeError, (void)render::openEncoder(render::OutputFormat::Mp4, path("odd.mp4"), odd));
    render::EncoderOptions fast = options();
    fast.fps = 60;
    QVERIFY_THROWS_EXCEPTION(
        EncodeError, (void)render::openEncoder(render::OutputFormat::Gif, path("fast.gif"), fast));
    QCOMPARE(entries(), before);
}

void TestEncoders::replacesPreviousOutputs()
{
    // A second run replaces the first's GIF and frame directory as a whole (a stale
    // frame_0009.png from a longer run disappears).
    const std::string gif = path("again.gif");
    writeAll(render::OutputFormat::Gif, gif);
    writeAll(render::OutputFormat::Gif, gif);
    QCOMPARE(decoded::readGif(gif).images, 5);
    const QString dir = m_dir.path() + "/again";
    QVERIFY(QDir().mkpath(dir));
    QVERIFY(m_images[0].save(dir + "/frame_0009.png"));
    render::AtomicOutput::checkTarget(dir.toStdString(), render::AtomicOutput::Kind::Directory);
    writeAll(render::OutputFormat::PngFrames, dir.toStdString());
    QCOMPARE(QDir(dir).entryList(QDir::Files).size(), 5);
    QVERIFY(!QFile::exists(dir + "/frame_0009.png"));
    for (const QString& e : entries())
        QVERIFY2(!e.startsWith('.'), qPrintable(e)); // no temporary left
}

QTEST_MAIN(TestEncoders)
#include "tst_encoders.moc"
