#include "ui/views/animationview.h"

#include "ui/jobs/animationrunner.h"
#include "ui/views/framewidget.h"
#include "ui/widgets/animationplayer.h"
#include "ui/widgets/flowlayout.h"
#include "ui/widgets/progressstrip.h"

#include "core/animation/describe.h"
#include "core/model/families.h"
#include "core/sweeps/sweep.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <string_view>

namespace ws::ui {

namespace {

struct ParamItem
{
    const char* key;
    const char* label;
    const char* tip;
    double from, to; // default range
};

const ParamItem kParams[] = {
    {"theta", "θ (spike)", "θ: the strongest spike (the spike family scaled to it)", 0.2, 3.0},
    {"alpha", "α (rank)", "α: the rank exponent, r = ⌈N^α⌉", 0.0, 1.0},
    {"n", "N", "N: the matrix size (frames spaced geometrically)", 100, 3000},
    {"sigma", "σ (noise)", "σ: the noise scale", 0.5, 2.0},
    {"spikes", "spike value", "A value of the spike family (spikes:K in the CLI)", 0.5, 3.0},
    {"bulk", "bulk value", "A value of the bulk family (bulk:K in the CLI)", 0.5, 3.0},
};

core::SweepTarget targetOf(const QString& key, int value)
{
    // A family value is "spikes:K" / "bulk:K" (1-based) in the core's grammar.
    const bool family = key == "spikes" || key == "bulk";
    return core::parseSweepTarget(
        (family ? key + ":" + QString::number(std::max(value, 1)) : key).toStdString());
}

} // namespace

AnimationView::AnimationView(SweepView::SessionProvider provider, QWidget* parent)
    : QWidget(parent), m_provider(std::move(provider)), m_player(new AnimationPlayer(this)),
      m_runner(new AnimationRunner(this)), m_exporter(new AnimationExporter(this))
{
    buildControls();
    buildLayout();
    connectParts();
    fromJson({});
    updateButtons();
    updateStatus();
}

AnimationView::~AnimationView() = default;

void AnimationView::buildControls()
{
    m_param = new QComboBox;
    for (const ParamItem& p : kParams) {
        m_param->addItem(tr(p.label), QString::fromLatin1(p.key));
        m_param->setItemData(m_param->count() - 1, tr(p.tip), Qt::ToolTipRole);
    }
    m_param->setToolTip(tr("The parameter that moves from frame to frame; everything else is "
                           "the model of the parameter panel."));
    m_value = new QSpinBox;
    m_value->setRange(1, 64);
    m_value->setToolTip(tr("Which value of the family string moves (1 = the first)."));
    m_valueLabel = new QLabel(tr("no."));
    m_from = new QDoubleSpinBox;
    m_to = new QDoubleSpinBox;
    for (QDoubleSpinBox* b : {m_from, m_to}) {
        b->setRange(-1e6, 1e6);
        b->setDecimals(3);
        b->setKeyboardTracking(false);
    }
    m_from->setToolTip(tr("The first frame's value."));
    m_to->setToolTip(tr("The last frame's value."));
    m_frames = new QSpinBox;
    m_frames->setRange(1, 1000);
    m_frames->setToolTip(tr("Number of frames."));
    m_samples = new QSpinBox;
    m_samples->setRange(1, 10000);
    m_samples->setToolTip(tr("Matrices sampled per frame, all complete before the frame is shown "
                             "(the same seed at every frame: the motion is the parameter's, not "
                             "the noise's)."));
    m_compute = new QPushButton(tr("Compute"));
    m_compute->setToolTip(tr("Compute every frame in the background; playback can start as soon "
                             "as the first frames are ready."));
    m_progress = new ProgressStrip(140);
    m_progress->setBarToolTip(tr("How far the frames are computed."));
    auto tool = [this](QStyle::StandardPixmap icon, const QString& tip) {
        auto* b = new QToolButton;
        b->setIcon(style()->standardIcon(icon));
        b->setToolTip(tip);
        return b;
    };
    m_back = tool(QStyle::SP_MediaSeekBackward, tr("Previous frame"));
    m_play = tool(QStyle::SP_MediaPlay, tr("Play / pause (Space)"));
    m_play->setObjectName("animatePlay");
    m_forward = tool(QStyle::SP_MediaSeekForward, tr("Next frame"));
    m_loop = new QCheckBox(tr("loop"));
    m_fps = new QDoubleSpinBox;
    m_fps->setRange(1, 60);
    m_fps->setDecimals(0);
    m_fps->setSuffix(tr(" fps"));
    m_fps->setToolTip(tr("Playback speed, frames per second (also the exported rate)."));
    m_slider = new QSlider(Qt::Horizontal);
    m_slider->setMinimumWidth(120);
    m_slider->setToolTip(tr("The frame shown (only computed frames)."));
    m_export = new QPushButton(tr("Export animation…"));
    m_export->setToolTip(tr("Write the frames as an animated GIF, an MP4 or PNG frames at a "
                            "slide size."));
    m_cancelExport = new QPushButton(tr("Stop export"));
    m_status = new QLabel;
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_frame = new FrameWidget;
}

void AnimationView::buildLayout()
{
    auto* bar = new FlowLayout;
    bar->addWidget(flowGroup({new QLabel(tr("Animate")), m_param, m_valueLabel, m_value}));
    bar->addWidget(flowGroup({new QLabel(tr("from")), m_from, new QLabel(tr("to")), m_to}));
    bar->addWidget(flowGroup({new QLabel(tr("frames")), m_frames}));
    bar->addWidget(flowGroup({new QLabel(tr("samples/frame")), m_samples}));
    bar->addWidget(flowGroup({m_compute, m_progress}));
    auto* playback = new FlowLayout;
    playback->addWidget(flowGroup({m_back, m_play, m_forward, m_loop, m_fps}));
    playback->addWidget(m_slider);
    playback->addStretch();
    playback->addWidget(flowGroup({m_export, m_cancelExport}));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addLayout(playback);
    layout->addWidget(m_frame, 1);
    layout->addWidget(m_status);
}

void AnimationView::connectParts()
{
    connect(m_param, &QComboBox::currentIndexChanged, this, [this] {
        applyDefaultRange();
        emit settingsChanged();
    });
    for (QDoubleSpinBox* b : {m_from, m_to, m_fps})
        connect(b, &QDoubleSpinBox::valueChanged, this, &AnimationView::settingsChanged);
    for (QSpinBox* b : {m_value, m_frames, m_samples})
        connect(b, &QSpinBox::valueChanged, this, &AnimationView::settingsChanged);
    connect(m_fps, &QDoubleSpinBox::valueChanged, m_player, &AnimationPlayer::setFps);
    connect(m_loop, &QCheckBox::toggled, this, [this](bool on) {
        m_player->setLoop(on);
        emit settingsChanged();
    });
    connect(m_compute, &QPushButton::clicked, this, [this] { compute(); });
    connect(m_progress, &ProgressStrip::cancelRequested, this, &AnimationView::cancel);
    connect(m_play, &QToolButton::clicked, this, &AnimationView::togglePlay);
    connect(m_back, &QToolButton::clicked, m_player, &AnimationPlayer::stepBack);
    connect(m_forward, &QToolButton::clicked, m_player, &AnimationPlayer::stepForward);
    connect(m_slider, &QSlider::valueChanged, m_player, &AnimationPlayer::seek);
    connect(m_export, &QPushButton::clicked, this, &AnimationView::exportDialog);
    connect(m_cancelExport, &QPushButton::clicked, m_exporter, &AnimationExporter::cancel);

    connect(m_player, &AnimationPlayer::frameShown, this, &AnimationView::showFrame);
    connect(m_player, &AnimationPlayer::playingChanged, this, [this](bool on) {
        m_play->setIcon(style()->standardIcon(on ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
        updateStatus();
    });
    connect(m_player, &AnimationPlayer::waitingChanged, this, &AnimationView::updateStatus);

    connect(m_runner, &AnimationRunner::started, this, [this] {
        m_error.clear();
        m_progress->start();
        updateButtons();
        updateStatus();
    });
    connect(m_runner, &AnimationRunner::planned, this, [this] {
        m_frame->setPlan(m_runner->plan());
        m_player->reset(m_runner->frameCount());
        updateStatus();
    });
    connect(m_runner, &AnimationRunner::frameReady, this, [this](int index) {
        m_player->setReady(index + 1);
        {
            const QSignalBlocker b(m_slider);
            m_slider->setRange(0, index);
        }
        updateButtons();
        updateStatus();
    });
    connect(m_runner, &AnimationRunner::progress, this,
            [this](double f) { m_progress->setFraction(f); });
    connect(m_runner, &AnimationRunner::finished, this, [this](bool cancelled) {
        if (!cancelled)
            m_progress->setFraction(1.0);
        updateButtons();
        updateStatus();
    });
    connect(m_runner, &AnimationRunner::failed, this, [this](const QString& message) {
        m_error = message;
        updateButtons();
        updateStatus();
    });

    // The export's state in the status line, its buttons as it starts or ends.
    auto exportState = [this](const QString& text) {
        m_exportStatus = text;
        updateButtons();
        updateStatus();
    };
    connect(m_exporter, &AnimationExporter::started, this,
            [exportState] { exportState(tr("Exporting…")); });
    connect(m_exporter, &AnimationExporter::progress, this, [this](int written, int frames) {
        m_exportStatus = tr("Exporting: frame %1 of %2").arg(written).arg(frames);
        updateStatus();
    });
    connect(m_exporter, &AnimationExporter::finished, this,
            [exportState](const QString& path) { exportState(tr("Exported %1").arg(path)); });
    connect(m_exporter, &AnimationExporter::cancelled, this,
            [exportState] { exportState(tr("Export stopped: nothing written.")); });
    connect(m_exporter, &AnimationExporter::failed, this, [exportState](const QString& message) {
        exportState(tr("Export failed: %1").arg(message));
    });
}

void AnimationView::applyDefaultRange()
{
    const int i = std::max(m_param->currentIndex(), 0);
    const ParamItem& p = kParams[i];
    const bool family = std::string_view(p.key) == "spikes" || std::string_view(p.key) == "bulk";
    m_value->setVisible(family);
    m_valueLabel->setVisible(family);
    const QSignalBlocker b0(m_from), b1(m_to);
    const bool n = std::string_view(p.key) == "n";
    m_from->setDecimals(n ? 0 : 3);
    m_to->setDecimals(n ? 0 : 3);
    m_from->setValue(p.from);
    m_to->setValue(p.to);
}

core::AnimationSpec AnimationView::spec() const
{
    const core::Session s = SweepView::controlsSession(m_provider);
    core::AnimationSpec spec;
    spec.base = s.model;
    const core::SweepTarget t = targetOf(m_param->currentData().toString(), m_value->value());
    spec.param = t.param;
    spec.familyIndex = t.familyIndex;
    spec.from = m_from->value();
    spec.to = m_to->value();
    spec.frames = m_frames->value();
    spec.log = spec.param == core::SweepParam::N;
    spec.run.samples = m_samples->value();
    spec.run.seed = s.seed;
    return spec;
}

bool AnimationView::compute()
{
    core::AnimationSpec s;
    try {
        s = spec();
        // The grid and every frame's model before anything is replaced (the plan checks them
        // again with the theory and the memory budget, on the worker).
        const core::SweepSpec sweep = core::sweepSpecOf(s);
        for (double v : core::sweepGrid(sweep))
            (void)core::sweepModel(sweep, v);
    } catch (const std::exception& e) {
        m_error = QString::fromStdString(e.what());
        updateStatus();
        return false;
    }
    m_stale = false;
    m_player->reset(0);
    m_frame->setPlan(nullptr);
    m_runner->start(s);
    return true;
}

void AnimationView::cancel()
{
    m_runner->cancel();
}

void AnimationView::togglePlay()
{
    if (m_runner->readyCount() == 0 && !m_runner->isRunning() && !compute())
        return;
    m_player->toggle();
}

void AnimationView::setPlotStyle(const Style& s)
{
    m_frame->setDark(s.dark);
    m_frame->setTextPoints(s.plotFontSize());
}

bool AnimationView::exportAnimation(const AnimationExporter::Target& target, QString* error)
{
    const QString why = m_exporter->start(m_runner->plan(), m_runner->frames(), target);
    if (error)
        *error = why;
    if (!why.isEmpty()) {
        m_exportStatus = tr("Cannot export: %1").arg(why);
        updateStatus();
    }
    return why.isEmpty();
}

void AnimationView::showFrame(int index)
{
    const auto& frames = m_runner->frames();
    if (index < 0 || index >= static_cast<int>(frames.size()))
        return;
    m_frame->setFrame(&frames[static_cast<std::size_t>(index)]);
    const QSignalBlocker b(m_slider);
    m_slider->setValue(index);
}

void AnimationView::updateButtons()
{
    const bool running = m_runner->isRunning();
    m_progress->setBusy(running);
    const bool any = m_runner->readyCount() > 0;
    m_export->setEnabled(any && !m_exporter->isRunning());
    m_cancelExport->setVisible(m_exporter->isRunning());
    m_slider->setEnabled(any);
}

QString AnimationView::statusText() const
{
    return m_status->text();
}

void AnimationView::updateStatus()
{
    QStringList parts;
    if (!m_error.isEmpty())
        parts << tr("Not computed: %1").arg(m_error);
    const int ready = m_runner->readyCount(), frames = m_runner->frameCount();
    if (m_runner->isRunning())
        parts << (frames == 0 ? tr("Planning the frames (theory and axes)…")
                              : tr("Computing: %1 of %2 frames complete").arg(ready).arg(frames));
    else if (frames > 0 && ready == frames)
        parts << tr("%1 frames computed in %2 s").arg(frames).arg(m_runner->seconds(), 0, 'f', 1);
    else if (frames > 0)
        parts << tr("Stopped: %1 of %2 frames complete").arg(ready).arg(frames);
    if (m_player->waiting())
        parts << tr("playback waits for the next frame");
    if (m_stale && frames > 0)
        parts << tr("model changed: press Compute for the new one");
    if (!m_exportStatus.isEmpty())
        parts << m_exportStatus;
    m_status->setText(parts.join(QStringLiteral(" · ")));
    m_frame->setPlaceholder(m_runner->isRunning()
                                ? tr("The first frame shows when all its samples are done.")
                                : tr("Choose a parameter and a range, then Compute (or press "
                                     "Space). Frames are computed in the background and played "
                                     "as soon as they are complete."));
}

void AnimationView::exportDialog()
{
    // Format and size first (the file dialog's filter follows the format).
    QDialog d(this);
    d.setWindowTitle(tr("Export animation"));
    auto* format = new QComboBox(&d);
    format->addItem(tr("Animated GIF (loops in any slide program)"), "gif");
    format->addItem(tr("MP4 video (H.264)"), "mp4");
    format->addItem(tr("PNG frames (a directory of numbered images)"), "png");
    auto* size = new QComboBox(&d);
    for (const FrameSizePreset& p : frameSizePresets())
        size->addItem(p.name, p.size);
    auto* note = new QLabel(tr("%1 frames at %2 fps; the frame size does not depend on the "
                               "window.")
                                .arg(m_runner->readyCount())
                                .arg(m_fps->value()),
                            &d);
    note->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &d);
    connect(buttons, &QDialogButtonBox::accepted, &d, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &d, &QDialog::reject);
    auto* form = new QFormLayout(&d);
    form->addRow(tr("Format"), format);
    form->addRow(tr("Frame size"), size);
    form->addRow(note);
    form->addRow(buttons);
    if (d.exec() != QDialog::Accepted)
        return;
    AnimationExporter::Target t;
    t.dark = m_frame->isDark(); // what the preview shows, as a plot's export
    t.size = size->currentData().toSize();
    t.fps = m_fps->value();
    const QString kind = format->currentData().toString();
    const QString name = m_param->currentData().toString() + "-animation";
    if (kind == "png") {
        t.format = render::OutputFormat::PngFrames;
        t.path =
            QFileDialog::getSaveFileName(this, tr("Directory of PNG frames"), name,
                                         tr("Directory (*)"), nullptr, QFileDialog::ShowDirsOnly);
    } else {
        t.format = kind == "mp4" ? render::OutputFormat::Mp4 : render::OutputFormat::Gif;
        t.path = QFileDialog::getSaveFileName(this, tr("Export animation"), name + "." + kind,
                                              kind == "mp4" ? tr("MP4 video (*.mp4)")
                                                            : tr("Animated GIF (*.gif)"));
    }
    if (t.path.isEmpty())
        return;
    QString error;
    if (!exportAnimation(t, &error))
        QMessageBox::warning(this, tr("Cannot export the animation"), error);
}

void AnimationView::controlsChanged()
{
    if (m_runner->frameCount() > 0 && !m_stale) {
        m_stale = true;
        updateStatus();
    }
}

void AnimationView::setParameter(const QString& key, int familyValue)
{
    const int i = m_param->findData(key);
    if (i >= 0)
        m_param->setCurrentIndex(i);
    m_value->setValue(familyValue);
}

void AnimationView::setRange(double from, double to)
{
    m_from->setValue(from);
    m_to->setValue(to);
}

void AnimationView::setFrames(int frames)
{
    m_frames->setValue(frames);
}

void AnimationView::setSamples(int samples)
{
    m_samples->setValue(samples);
}

void AnimationView::setFps(double fps)
{
    m_fps->setValue(fps);
}

void AnimationView::setLoop(bool on)
{
    m_loop->setChecked(on);
}

QJsonObject AnimationView::toJson() const
{
    return {{"param", m_param->currentData().toString()},
            {"value", m_value->value()},
            {"from", m_from->value()},
            {"to", m_to->value()},
            {"frames", m_frames->value()},
            {"samples", m_samples->value()},
            {"fps", m_fps->value()},
            {"loop", m_loop->isChecked()}};
}

void AnimationView::fromJson(const QJsonObject& o)
{
    const QSignalBlocker b0(m_param), b1(m_value), b2(m_frames), b3(m_samples), b4(m_fps),
        b5(m_loop);
    const int i = m_param->findData(o.value("param").toString("theta"));
    m_param->setCurrentIndex(i < 0 ? 0 : i);
    applyDefaultRange();
    const QSignalBlocker b6(m_from), b7(m_to);
    if (o.contains("from"))
        m_from->setValue(o.value("from").toDouble());
    if (o.contains("to"))
        m_to->setValue(o.value("to").toDouble());
    m_value->setValue(o.value("value").toInt(1));
    m_frames->setValue(o.value("frames").toInt(60));
    m_samples->setValue(o.value("samples").toInt(8));
    // The old bar's "seconds" per sweep: its rate over the frames.
    double fps = o.value("fps").toDouble(0.0);
    if (!(fps > 0.0) && o.value("seconds").toDouble(0.0) > 0.0)
        fps = std::round(m_frames->value() / o.value("seconds").toDouble());
    m_fps->setValue(fps > 0.0 ? fps : 12.0);
    m_player->setFps(m_fps->value());
    m_loop->setChecked(o.value("loop").toBool(true));
    m_player->setLoop(m_loop->isChecked());
}

} // namespace ws::ui
