// The frame renderer (ui/render/framerenderer.h): image sizes, the histogram drawn where the
// bulk is, a single outlier visible as markers, the caption changing from frame to frame while
// the layout stays (written with the app's symbols, θ), the same picture at 720p and 1080p, and
// the dark palette.
#include "decoded.h"

#include "core/animation/animation.h"
#include "core/animation/describe.h"
#include "ui/render/framerenderer.h"
#include "ui/render/framestyle.h"

#include <QtTest>

#include <cmath>

using namespace ws;

namespace {

// The x pixel of eigenvalue v on the plot of layout l.
int pixelOf(const core::AnimationPlan& plan, const render::FrameLayout& l, double v)
{
    const double t = (v - plan.axes.xLo) / (plan.axes.xHi - plan.axes.xLo);
    return static_cast<int>(std::lround(l.plot.left() + t * l.plot.width()));
}

// Pixels of exactly colour c inside r.
int pixelsOf(const QImage& img, const QRect& r, QColor c)
{
    int n = 0;
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x)
            n += img.pixel(x, y) == c.rgb();
    return n;
}

} // namespace

class TestRender : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void sizes();
    void histogramWhereTheBulkIs();
    void singleOutlierVisible();
    void captionChangesLayoutStays();
    void sameAt720And1080();
    void minimumUnitForThePreview();
    void longTitleFits();
    void darkPalette();

private:
    core::AnimationPlan m_plan;
    std::vector<core::AnimationFrame> m_frames;
};

void TestRender::initTestCase()
{
    m_plan = decoded::samplePlan(5);
    m_frames = core::runAnimation(m_plan).frames;
    QCOMPARE(m_frames.size(), std::size_t(5));
}

void TestRender::sizes()
{
    const render::FrameRenderer r(m_plan);
    for (const QSize s : {QSize(1280, 720), QSize(1920, 1080), QSize(1024, 768), QSize(333, 201)}) {
        const QImage img = r.render(m_frames[0], s);
        QCOMPARE(img.size(), s);
        QCOMPARE(img.format(), QImage::Format_RGB32);
        const render::FrameLayout l = r.layout(s);
        QVERIFY(QRect(QPoint(0, 0), s).contains(l.plot));
        QVERIFY(QRect(QPoint(0, 0), s).contains(l.legend));
        QVERIFY(!l.plot.intersects(l.legend));
        QVERIFY(!l.title.intersects(l.caption));
        QVERIFY(l.title.bottom() < l.plot.top() && l.caption.bottom() < l.plot.top());
    }
}

void TestRender::histogramWhereTheBulkIs()
{
    // Above the axis, across the semicircle's middle, the bars fill the plot's lower part; left
    // of the support (x < -2.1, inside the range) the plot is empty.
    const render::FrameRenderer r(m_plan);
    const QSize size(1280, 720);
    const QImage img = r.render(m_frames[1], size);
    const render::FrameLayout l = r.layout(size);
    const int x0 = pixelOf(m_plan, l, -1.0), x1 = pixelOf(m_plan, l, 1.0);
    // Density >= 0.24 on [-1, 1]: the bottom 0.2 / yMax of the plot is all bars (and grid lines
    // drawn under them are covered).
    const int h = static_cast<int>(0.2 / m_plan.axes.yMax * l.plot.height());
    const QRect bars(QPoint(x0, l.plot.bottom() - h), QPoint(x1, l.plot.bottom() - 3));
    QVERIFY2(pixelsOf(img, bars, render::style::kBars) > bars.width() * bars.height() * 9 / 10,
             qPrintable(QString::number(pixelsOf(img, bars, render::style::kBars))));
    // The first bin, [xLo, xLo + width), lies below -2.2: no eigenvalue there at N = 300.
    QVERIFY(m_plan.axes.xLo < -2.35 && m_plan.axes.edges[1] > -2.3);
    const int e0 = pixelOf(m_plan, l, m_plan.axes.xLo) + 3, e1 = pixelOf(m_plan, l, -2.3);
    const QRect empty(QPoint(e0, l.plot.top() + 3), QPoint(e1, l.plot.bottom() - 3));
    QCOMPARE(decoded::inkPixels(img, empty, Qt::white, 40), 0);
}

void TestRender::singleOutlierVisible()
{
    // theta = 3.5 (last frame): one outlier per sample near 3.5 + 1/3.5. Its bar would be 1/N
    // high; the markers are drawn: finite-rank (orange), large-rank (green), observed (black)
    // within a marker's width of their positions, above the axis.
    const render::FrameRenderer r(m_plan);
    const QSize size(1280, 720);
    const core::AnimationFrame& f = m_frames[4];
    const QImage img = r.render(f, size);
    const render::FrameLayout l = r.layout(size);
    QVERIFY(f.predictions[0].finiteRank && f.predictions[0].largeRank && f.observed[0].mean);
    const int u = static_cast<int>(std::ceil(l.unit * render::style::kMarkerSize));
    auto around = [&](double v) {
        const int x = pixelOf(m_plan, l, v);
        return QRect(QPoint(x - u, l.plot.bottom() - 6 * u), QPoint(x + u, l.plot.bottom()));
    };
    QVERIFY(pixelsOf(img, around(*f.predictions[0].finiteRank), render::style::kFiniteRank) > 20);
    QVERIFY(pixelsOf(img, around(*f.predictions[0].largeRank), render::style::kLargeRank) > 20);
    QVERIFY(pixelsOf(img, around(*f.observed[0].mean), render::style::kObserved) > 40);
    // Frame 0 (theta = 0.5): no outlier, no marker anywhere on the plot.
    const QImage none = r.render(m_frames[0], size);
    QCOMPARE(pixelsOf(none, l.plot, render::style::kFiniteRank), 0);
    QCOMPARE(pixelsOf(none, l.plot, render::style::kLargeRank), 0);
}

void TestRender::captionChangesLayoutStays()
{
    // The caption box holds dark text, different in each frame ("theta = 0.50", "theta =
    // 1.25", ...), while the title and the legend are the same pixels.
    const render::FrameRenderer r(m_plan);
    const QSize size(1280, 720);
    const render::FrameLayout l = r.layout(size);
    const QImage a = r.render(m_frames[1], size), b = r.render(m_frames[2], size);
    QVERIFY(decoded::inkPixels(a, l.caption, Qt::white, 120) > 300);
    QVERIFY(a.copy(l.caption) != b.copy(l.caption));
    QCOMPARE(a.copy(l.title), b.copy(l.title));
    QCOMPARE(a.copy(l.legend), b.copy(l.legend));
    QVERIFY(decoded::inkPixels(a, l.title, Qt::white, 120) > 300);
    QCOMPARE(core::frameCaption(m_plan, m_frames[1]), std::string("theta = 1.25"));
    QCOMPARE(r.title(), QStringLiteral("N = 300, rank-one spike, Gaussian noise"));
    // The picture writes the symbols of the app's labels; the core's words stay ASCII.
    QCOMPARE(render::displayText(core::frameCaption(m_plan, m_frames[1])),
             QStringLiteral("θ = 1.25"));
    QCOMPARE(render::displayText("r = ceil(N^alpha) equal spikes theta = 3, sigma = 2, "
                                 "Student-t noise (nu = 3), radius rho"),
             QStringLiteral("r = ⌈N^α⌉ equal spikes θ = 3, σ = 2, Student-t noise (ν = 3), "
                            "radius ρ"));
    QCOMPARE(render::displayText("Gaussian noise, thetas, alphabet"),
             QStringLiteral("Gaussian noise, thetas, alphabet")); // whole words only
}

void TestRender::darkPalette()
{
    // A dark palette (the app makes its own from its dark theme, ui::framePalette): the
    // background and the bars are drawn in its colours, the caption shows against it.
    const render::style::Palette dark = {
        QColor(30, 32, 36),  QColor(225, 225, 225), QColor(200, 200, 200), QColor(70, 74, 80),
        QColor(50, 98, 128), QColor(86, 180, 233),  QColor(200, 200, 200), QColor(240, 228, 66),
        QColor(230, 159, 0), QColor(0, 190, 140),   QColor(255, 255, 255)};
    const render::FrameRenderer r(m_plan, dark);
    const QSize size(1280, 720);
    const QImage img = r.render(m_frames[1], size);
    const render::FrameLayout l = r.layout(size);
    QCOMPARE(QColor(img.pixel(2, 2)), dark.background);
    QCOMPARE(QColor(img.pixel(size.width() - 3, size.height() - 3)), dark.background);
    const int x0 = pixelOf(m_plan, l, -1.0), x1 = pixelOf(m_plan, l, 1.0);
    const int h = static_cast<int>(0.2 / m_plan.axes.yMax * l.plot.height());
    const QRect bars(QPoint(x0, l.plot.bottom() - h), QPoint(x1, l.plot.bottom() - 3));
    QVERIFY(pixelsOf(img, bars, dark.bars) > bars.width() * bars.height() * 9 / 10);
    QVERIFY(decoded::inkPixels(img, l.caption, dark.background, 120) > 300);
    // The same layout as the light frame: only the colours differ.
    const render::FrameLayout light = render::FrameRenderer(m_plan).layout(size);
    QCOMPARE(l.plot, light.plot);
    QCOMPARE(l.caption, light.caption);
}

void TestRender::minimumUnitForThePreview()
{
    // The app's preview in presentation mode is ~400 px high: drawn to its height the text would
    // be smaller than in normal mode. A minimum unit keeps it at the app's font, and the plot
    // still gets a usable share of the frame; above the minimum nothing changes.
    const render::FrameRenderer r(m_plan);
    const QSize preview(910, 410);
    const render::FrameLayout byHeight = r.layout(preview), kept = r.layout(preview, 0.85);
    QCOMPARE(byHeight.unit, 410.0 / 720.0);
    QCOMPARE(kept.unit, 0.85);
    QVERIFY(kept.titlePixels > byHeight.titlePixels);
    QVERIFY2(kept.plot.height() >= preview.height() / 3,
             qPrintable(QString::number(kept.plot.height())));
    QVERIFY(kept.legend.bottom() <= preview.height() && kept.legend.top() > kept.plot.bottom());
    // A larger minimum gives way to keep a third of the height for the plot.
    const render::FrameLayout tight = r.layout(preview, 2.0);
    QVERIFY(tight.unit < 2.0 && tight.unit > kept.unit);
    QVERIFY(3 * tight.plot.height() >= preview.height());
    const render::FrameLayout big = r.layout(QSize(1920, 1080), 1.1);
    QCOMPARE(big.plot, r.layout(QSize(1920, 1080)).plot);
}

void TestRender::sameAt720And1080()
{
    // Everything scales with the height: the 1080p layout is the 720p one times 1.5 (to a
    // few pixels of rounding), so text is as large relative to the frame.
    const render::FrameRenderer r(m_plan);
    const render::FrameLayout a = r.layout(QSize(1280, 720)), b = r.layout(QSize(1920, 1080));
    for (const auto& [ra, rb] : {std::pair{a.plot, b.plot}, std::pair{a.caption, b.caption},
                                 std::pair{a.legend, b.legend}}) {
        QVERIFY2(std::abs(rb.left() - 1.5 * ra.left()) <= 4 &&
                     std::abs(rb.top() - 1.5 * ra.top()) <= 4 &&
                     std::abs(rb.width() - 1.5 * ra.width()) <= 6 &&
                     std::abs(rb.height() - 1.5 * ra.height()) <= 6,
                 qPrintable(QString("%1,%2 %3x%4 vs %5,%6 %7x%8")
                                .arg(ra.left())
                                .arg(ra.top())
                                .arg(ra.width())
                                .arg(ra.height())
                                .arg(rb.left())
                                .arg(rb.top())
                                .arg(rb.width())
                                .arg(rb.height())));
    }
    QVERIFY(std::abs(b.titlePixels - 1.5 * a.titlePixels) <= 1);
}

void TestRender::longTitleFits()
{
    // A model with many parts at 4:3: the title shrinks (and wraps if it must) beside the
    // caption; nothing overlaps.
    core::AnimationSpec s;
    s.base.n = 200;
    s.base.sigma = 0.75;
    s.base.noise = core::parseNoise("student-t:5");
    s.base.spikes = core::parseSpikes("list:4,3.5,3,2.5,2");
    s.base.bulk = core::parseBulk("twopoint:-1,1,0.3");
    s.base.eigvecs = core::Eigvecs::Haar;
    s.param = core::SweepParam::Sigma;
    s.from = 0.5;
    s.to = 1.5;
    s.frames = 2;
    const core::AnimationPlan plan = core::planAnimation(s);
    const render::FrameRenderer r(plan);
    QVERIFY(r.title().size() > 100);
    const QSize size(1024, 768);
    const render::FrameLayout l = r.layout(size);
    QVERIFY(l.titlePixels < static_cast<int>(render::style::kTitleFont * l.unit));
    QVERIFY(!l.title.intersects(l.caption));
    QVERIFY(l.title.bottom() < l.plot.top());
    QVERIFY(l.plot.height() > size.height() / 2);
    const QImage img = r.render(core::computeFrame(plan, 0), size);
    QVERIFY(decoded::inkPixels(img, l.title, Qt::white, 120) > 300);
}

QTEST_MAIN(TestRender)
#include "tst_render.moc"
