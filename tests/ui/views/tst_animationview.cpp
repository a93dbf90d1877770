// The Animation tab (ui/views/animationview.h): frames computed ahead on the job runner are
// shown only when complete and played in order (waiting for a frame not yet computed), steps
// and loop, cancel, settings saved and restored (the old Animate bar's sessions too), and
// Export animation: a GIF and an MP4 at a preset size independent of the window, decoded back
// (frame count, size, a histogram in the frame); a cancelled export leaves no file.
#include "ui/views/animationview.h"

#include "ui/jobs/animationrunner.h"
#include "ui/render/framerenderer.h"
#include "ui/render/framestyle.h"
#include "ui/views/framewidget.h"
#include "ui/widgets/animationplayer.h"
#include "ui/widgets/theme.h"

#include "core/model/families.h"
#include "ui/render/decoded.h"
#include "support/dir_entries.h"

#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace ws;

namespace {

std::optional<core::Session> smallModel()
{
    core::Session s;
    s.model.n = 150;
    s.model.spikes = core::parseSpikes("equal:3");
    s.model.rank = core::RankRule{true, 0.0, 1};
    s.seed = 5;
    return s;
}

// An animation of `frames` frames, computed; returns once every frame is complete.
bool computeAll(ui::AnimationView& v, int frames, int samples = 2)
{
    v.setParameter("theta");
    v.setRange(0.5, 3.0);
    v.setFrames(frames);
    v.setSamples(samples);
    QSignalSpy done(v.runner(), &ui::AnimationRunner::finished);
    return v.compute() && done.wait(120000) && v.runner()->complete();
}

} // namespace

class TestAnimationView : public QObject
{
    Q_OBJECT
private slots:
    void playbackStepsThroughCompleteFramesInOrder();
    void stepsAndLoop();
    void cancelKeepsCompleteFramesOnly();
    void settingsRoundTrip();
    void badSettingsAreRefusedWithTheReason();
    void exportGifAndMp4AtPresetSize();
    void cancelledExportLeavesNoFile();
    void darkThemeFrames();
    void framePaletteFollowsTheTheme();
};

void TestAnimationView::playbackStepsThroughCompleteFramesInOrder()
{
    ui::AnimationView v(smallModel);
    v.resize(800, 500);
    v.setParameter("theta");
    v.setRange(0.5, 3.0);
    v.setFrames(6);
    v.setSamples(2);
    v.setFps(60);
    v.setLoop(false);
    // Every shown frame, and whether it was complete when shown.
    std::vector<int> shown;
    bool allComplete = true;
    connect(v.player(), &ui::AnimationPlayer::frameShown, &v, [&](int i) {
        shown.push_back(i);
        allComplete = allComplete && i < v.runner()->readyCount() &&
                      v.runner()->frames()[static_cast<std::size_t>(i)].samples == 2;
    });
    QSignalSpy stopped(v.player(), &ui::AnimationPlayer::playingChanged);
    QVERIFY(v.compute());
    v.player()->play(); // before any frame is ready: it waits for them
    QVERIFY(v.player()->isPlaying());
    // Without loop, playback pauses after the last frame.
    QTRY_VERIFY_WITH_TIMEOUT(stopped.count() >= 2, 120000);
    QCOMPARE(stopped.last().at(0).toBool(), false);
    QVERIFY(allComplete);
    QCOMPARE(shown, (std::vector<int>{0, 1, 2, 3, 4, 5}));
    QCOMPARE(v.frameWidget()->frame()->index, 5);
    QCOMPARE(v.frameWidget()->frame(), &v.runner()->frames()[5]);
}

void TestAnimationView::stepsAndLoop()
{
    ui::AnimationView v(smallModel);
    QVERIFY(computeAll(v, 4));
    ui::AnimationPlayer* p = v.player();
    QCOMPARE(p->current(), 0); // the first complete frame shows at once
    QSignalSpy shown(p, &ui::AnimationPlayer::frameShown);
    v.setLoop(true);
    p->stepBack(); // wraps to the last
    p->stepForward();
    p->stepForward();
    p->seek(3);
    p->seek(7); // not a frame: ignored
    QCOMPARE(shown.count(), 4);
    QCOMPARE(shown.at(0).at(0).toInt(), 3);
    QCOMPARE(shown.at(1).at(0).toInt(), 0);
    QCOMPARE(shown.at(2).at(0).toInt(), 1);
    QCOMPARE(shown.at(3).at(0).toInt(), 3);
    // Looping playback comes back to frame 0 after the last.
    v.setFps(60);
    p->play();
    QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 6, 10000);
    p->pause();
    QCOMPARE(shown.at(4).at(0).toInt(), 0);
    QCOMPARE(shown.at(5).at(0).toInt(), 1);
}

void TestAnimationView::cancelKeepsCompleteFramesOnly()
{
    const auto big = [] {
        auto s = smallModel();
        s->model.n = 500;
        s->model.bulk = core::parseBulk("uniform:-1,1");
        return s;
    };
    ui::AnimationView v(big);
    v.setFrames(60);
    v.setSamples(4);
    QSignalSpy frames(v.runner(), &ui::AnimationRunner::frameReady);
    QSignalSpy finished(v.runner(), &ui::AnimationRunner::finished);
    QVERIFY(v.compute());
    QVERIFY(frames.wait(120000));
    v.cancel();
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QSignalSpy idle(v.runner()->jobs(), &ui::JobRunner::workersIdle);
    QVERIFY(v.runner()->jobs()->busyWorkers() == 0 || idle.wait(120000));
    const int ready = v.runner()->readyCount();
    QCOMPARE(frames.count(), ready);
    QVERIFY(ready < 60);
    QCOMPARE(v.player()->ready(), ready);
    QVERIFY(v.statusText().contains("Stopped"));
}

void TestAnimationView::settingsRoundTrip()
{
    ui::AnimationView a(smallModel);
    a.setParameter("spikes", 2);
    a.setRange(1.25, 4.5);
    a.setFrames(33);
    a.setSamples(7);
    a.setFps(24);
    a.setLoop(false);
    ui::AnimationView b(smallModel);
    b.fromJson(a.toJson());
    QCOMPARE(b.toJson(), a.toJson());
    const core::AnimationSpec s = b.spec();
    QVERIFY(s.param == core::SweepParam::Spikes);
    QCOMPARE(s.familyIndex, 1);
    QCOMPARE(s.frames, 33);
    QCOMPARE(s.run.samples, 7);
    QCOMPARE(s.run.seed, std::uint64_t{5});
    // The old Animate bar's settings: parameter and range kept, its sweep time as a rate.
    b.fromJson(QJsonObject{{"param", "n"}, {"from", 100}, {"to", 3000}, {"seconds", 10}});
    const core::AnimationSpec n = b.spec();
    QVERIFY(n.param == core::SweepParam::N);
    QVERIFY(n.log);
    QCOMPARE(n.from, 100.0);
    QCOMPARE(n.to, 3000.0);
    QCOMPARE(b.toJson().value("fps").toDouble(), 6.0); // 60 frames in 10 s
}

void TestAnimationView::badSettingsAreRefusedWithTheReason()
{
    ui::AnimationView v(smallModel);
    QSignalSpy started(v.runner(), &ui::AnimationRunner::started);
    // sigma through 0: refused before anything starts, the reason names the value.
    v.setParameter("sigma");
    v.setRange(-1.0, 2.0);
    QVERIFY(!v.compute());
    QVERIFY2(v.statusText().contains("sigma"), qPrintable(v.statusText()));
    // N below 1, a family value the model does not have.
    v.setParameter("n");
    v.setRange(0.0, 100.0);
    QVERIFY(!v.compute());
    v.setParameter("spikes", 5); // equal:3 has one value
    v.setRange(1.0, 2.0);
    QVERIFY(!v.compute());
    QVERIFY2(v.statusText().contains("spikes"), qPrintable(v.statusText()));
    QCOMPARE(started.count(), 0);
    // Without a valid model of the controls: refused.
    ui::AnimationView none([] { return std::optional<core::Session>(); });
    QVERIFY(!none.compute());
    QVERIFY(!none.statusText().isEmpty());
}

void TestAnimationView::exportGifAndMp4AtPresetSize()
{
    QTemporaryDir dir;
    ui::AnimationView v(smallModel);
    v.resize(640, 400); // the window's size does not matter
    QVERIFY(computeAll(v, 4));
    const QSize size = ui::frameSizePresets().front().size;
    QCOMPARE(size, QSize(1280, 720));
    for (auto format : {render::OutputFormat::Gif, render::OutputFormat::Mp4}) {
        const QString path = dir.filePath(format == render::OutputFormat::Gif ? "a.gif" : "a.mp4");
        QSignalSpy done(v.exporter(), &ui::AnimationExporter::finished);
        QSignalSpy failed(v.exporter(), &ui::AnimationExporter::failed);
        QString error;
        QVERIFY2(v.exportAnimation({path, format, size, 10.0}, &error), qPrintable(error));
        QVERIFY(done.wait(120000));
        QCOMPARE(failed.count(), 0);
        QCOMPARE(done.at(0).at(0).toString(), path);
        std::vector<QImage> frames;
        if (format == render::OutputFormat::Gif) {
            const decoded::Gif g = decoded::readGif(path.toStdString());
            QVERIFY(g.ok);
            QCOMPARE(QSize(g.width, g.height), size);
            frames = g.frames;
        } else {
            const decoded::Video m = decoded::readVideo(path.toStdString());
            QVERIFY(m.ok);
            QCOMPARE(m.codec, std::string("h264"));
            QCOMPARE(QSize(m.width, m.height), size);
            frames = m.frames;
        }
        QCOMPARE(static_cast<int>(frames.size()), 4);
        // The last frame's histogram bars are in the plot area.
        const render::FrameRenderer r(*v.runner()->plan());
        const QRect plot = r.layout(size).plot;
        QVERIFY(decoded::inkPixels(frames.back(), plot.adjusted(4, 4, -4, -4)) > 1000);
    }
}

void TestAnimationView::cancelledExportLeavesNoFile()
{
    QTemporaryDir dir;
    ui::AnimationView v(smallModel);
    QVERIFY(computeAll(v, 12));
    QSignalSpy cancelled(v.exporter(), &ui::AnimationExporter::cancelled);
    QSignalSpy done(v.exporter(), &ui::AnimationExporter::finished);
    QSignalSpy idle(v.exporter()->jobs(), &ui::JobRunner::workersIdle);
    QVERIFY(v.exportAnimation(
        {dir.filePath("b.mp4"), render::OutputFormat::Mp4, QSize(1920, 1080), 10.0}));
    v.exporter()->cancel();
    QCOMPARE(cancelled.count(), 1);
    QVERIFY(v.exporter()->jobs()->busyWorkers() == 0 || idle.wait(120000));
    QCOMPARE(done.count(), 0);
    // Neither the file nor its temporary.
    QCOMPARE(test::dirEntries(dir.path()), QStringList());
}

void TestAnimationView::darkThemeFrames()
{
    // In the dark theme the panel shows the frames in the dark palette (no white box in a dark
    // window), and an export from it writes what it shows.
    QTemporaryDir dir;
    ui::AnimationView v(smallModel);
    v.resize(640, 400);
    v.show();
    QVERIFY(QTest::qWaitForWindowExposed(&v));
    v.setPlotStyle(ui::Style::make(true, false));
    QVERIFY(v.frameWidget()->isDark());
    QVERIFY(computeAll(v, 3));
    QVERIFY(v.frameWidget()->frame());
    const QColor dark = ui::framePalette(true).background;
    QCOMPARE(dark, ui::Style::make(true, false).background); // the dark theme's own colour
    const QImage shown = v.frameWidget()->grab().toImage();
    QCOMPARE(QColor(shown.pixel(2, 2)), dark);
    QVERIFY(decoded::inkPixels(shown, shown.rect(), dark, 60) > 500); // a picture, not a fill
    const QString path = dir.filePath("d.gif");
    QSignalSpy done(v.exporter(), &ui::AnimationExporter::finished);
    ui::AnimationExporter::Target target{path, render::OutputFormat::Gif, QSize(320, 180), 10.0};
    target.dark = true;
    QVERIFY(v.exportAnimation(target));
    QVERIFY(done.wait(120000));
    const decoded::Gif g = decoded::readGif(path.toStdString());
    QVERIFY(g.ok && !g.frames.empty());
    QCOMPARE(QColor(g.frames.front().pixel(2, 2)), dark); // the background is a palette entry
    // Back to the light theme: light frames.
    v.setPlotStyle(ui::Style::make(false, false));
    QVERIFY(!v.frameWidget()->isDark());
    QCOMPARE(QColor(v.frameWidget()->grab().toImage().pixel(2, 2)),
             render::style::Palette::light().background);
}

// The frames' dark palette is made of the dark theme's colours: each opaque (a frame is an
// opaque image), the translucent bars blended over the theme's background; the light theme keeps
// the frames' document look, as the CLI draws them.
void TestAnimationView::framePaletteFollowsTheTheme()
{
    const ui::Style s = ui::Style::make(true, false);
    const render::style::Palette dark = ui::framePalette(true);
    QCOMPARE(dark.background, s.background);
    QCOMPARE(dark.text, s.foreground);
    QCOMPARE(dark.equivalent, s.equivalent);
    QCOMPARE(dark.finiteRank, s.finiteRank);
    QCOMPARE(dark.largeRank, s.largeRank);
    for (const QColor& c : dark.inks())
        QCOMPARE(c.alpha(), 255);
    QVERIFY(s.bars.alpha() < 255); // so that the blend below is a real test
    const double a = s.bars.alphaF();
    QVERIFY(std::abs(dark.bars.green() - (a * s.bars.green() + (1 - a) * s.background.green())) <=
            0.5);
    QVERIFY(dark.bars != dark.background && dark.bars != s.bars);
    QCOMPARE(ui::framePalette(false).background, render::style::Palette::light().background);
    QCOMPARE(ui::framePalette(false).bars, render::style::Palette::light().bars);
}

QTEST_MAIN(TestAnimationView)
#include "tst_animationview.moc"
