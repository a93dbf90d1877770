// The Animation tab's figures: seconds to precompute a 60-frame theta animation at N = 1000
// with 8 samples per frame on the job runner (AnimationRunner), dense and banded, and playback
// frames per second of the tab's FrameWidget at the window size (offscreen), the player asked
// for 60 fps; the time to paint one frame at 1280x720 and 1920x1080. Medians over repeats.
// The peer of the playback rate is the requested rate (ratio printed).
// Run: ./bench_animation [repeats] [banded]   (QT_QPA_PLATFORM=offscreen; "banded": skip the
// dense precomputation, minutes on a loaded machine; wignerscope-cli animate --sampler dense
// times the same frames)
#include "bench/bench_common.h"
#include "ui/jobs/animationrunner.h"
#include "ui/render/framerenderer.h"
#include "ui/views/framewidget.h"
#include "ui/widgets/animationplayer.h"

#include "core/model/families.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QImage>
#include <QPainter>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

using ws::bench::median;

ws::core::AnimationSpec thetaSpec(ws::core::SamplerChoice sampler)
{
    ws::core::AnimationSpec s;
    s.base.n = 1000;
    s.base.spikes = ws::core::parseSpikes("equal:3");
    s.base.rank = ws::core::RankRule{true, 0.0, 1};
    s.param = ws::core::SweepParam::Theta;
    s.from = 0.5;
    s.to = 3.0;
    s.frames = 60;
    s.run.samples = 8;
    s.run.seed = 1;
    s.run.sampler = sampler;
    return s;
}

// Seconds from start() to finished(false), on the event loop.
double precompute(ws::ui::AnimationRunner& r, const ws::core::AnimationSpec& spec)
{
    QEventLoop loop;
    QObject::connect(&r, &ws::ui::AnimationRunner::finished, &loop, &QEventLoop::quit);
    QObject::connect(&r, &ws::ui::AnimationRunner::failed, &loop, &QEventLoop::quit);
    QElapsedTimer t;
    t.start();
    r.start(spec);
    loop.exec();
    return t.nsecsElapsed() / 1e9;
}

// Frames painted per second while the player runs at 60 fps for `frames` frames.
double playback(ws::ui::AnimationRunner& r, QSize size, int frames)
{
    ws::ui::FrameWidget w;
    w.resize(size);
    w.setPlan(r.plan());
    w.show();
    ws::ui::AnimationPlayer player;
    player.reset(r.frameCount());
    player.setFps(60);
    QObject::connect(&player, &ws::ui::AnimationPlayer::frameShown, &w, [&](int i) {
        w.setFrame(&r.frames()[static_cast<std::size_t>(i)]);
        w.repaint(); // painted now, as the event loop would before the next tick
    });
    player.setReady(r.readyCount());
    QEventLoop loop;
    const int start = w.paints();
    QObject::connect(&w, &ws::ui::FrameWidget::painted, &loop, [&] {
        if (w.paints() - start >= frames)
            loop.quit();
    });
    QElapsedTimer t;
    t.start();
    player.play();
    loop.exec();
    player.pause();
    return (w.paints() - start) / (t.nsecsElapsed() / 1e9);
}

double paintMs(const ws::ui::AnimationRunner& r, QSize size)
{
    const ws::render::FrameRenderer renderer(*r.plan());
    QImage img(size, QImage::Format_RGB32);
    std::vector<double> ms;
    for (const auto& f : r.frames()) {
        QPainter p(&img);
        QElapsedTimer t;
        t.start();
        renderer.paint(p, size, f);
        ms.push_back(t.nsecsElapsed() / 1e6);
    }
    return median(ms);
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    const int repeats = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
    std::printf("60-frame theta animation (0.5 to 3), N = 1000, 8 samples per frame, rank one; "
                "medians of %d\n",
                repeats);
    ws::ui::AnimationRunner runner;
    const bool dense = !(argc > 2 && std::string(argv[2]) == "banded");
    for (auto [name, sampler] : {std::pair{"banded", ws::core::SamplerChoice::Banded},
                                 std::pair{"dense", ws::core::SamplerChoice::Dense}}) {
        if (sampler == ws::core::SamplerChoice::Dense && !dense)
            continue;
        std::vector<double> s;
        for (int i = 0; i < repeats; ++i)
            s.push_back(precompute(runner, thetaSpec(sampler)));
        std::printf("precompute %-6s  %8.2f s  (%.1f ms per frame)\n", name, median(s),
                    1e3 * median(s) / 60);
    }
    for (QSize size : {QSize(1280, 720), QSize(1920, 1080)}) {
        std::vector<double> fps;
        for (int i = 0; i < repeats; ++i)
            fps.push_back(playback(runner, size, 120));
        std::printf(
            "playback %4dx%-4d  %6.1f fps (asked 60: ratio %.2f), paint %.1f ms per frame\n",
            size.width(), size.height(), median(fps), median(fps) / 60.0, paintMs(runner, size));
    }
    return 0;
}
