#include "ui/views/framewidget.h"

#include "ui/render/framerenderer.h"
#include "ui/render/framestyle.h"
#include "ui/widgets/theme.h"

#include <QPainter>

namespace ws::ui {

FrameWidget::FrameWidget(QWidget* parent) : QWidget(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(320, 180);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

FrameWidget::~FrameWidget() = default;

void FrameWidget::setPlan(std::shared_ptr<const core::AnimationPlan> plan)
{
    m_frame = nullptr;
    m_renderer.reset();
    m_plan = std::move(plan);
    makeRenderer();
}

void FrameWidget::setDark(bool dark)
{
    if (dark == m_dark)
        return;
    m_dark = dark;
    makeRenderer();
}

// The renderer of the plan in the palette of the theme (its captions are laid out once per plan).
void FrameWidget::makeRenderer()
{
    if (m_plan)
        m_renderer = std::make_unique<render::FrameRenderer>(*m_plan, framePalette(m_dark));
    update();
}

void FrameWidget::setTextPoints(double points)
{
    if (points == m_textPoints)
        return;
    m_textPoints = points;
    update();
}

void FrameWidget::setFrame(const core::AnimationFrame* frame)
{
    m_frame = frame;
    update();
}

void FrameWidget::setPlaceholder(const QString& text)
{
    m_placeholder = text;
    if (!m_frame)
        update();
}

void FrameWidget::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    if (!m_renderer || !m_frame) {
        p.fillRect(rect(), palette().base());
        p.setPen(palette().text().color());
        p.drawText(rect().adjusted(16, 16, -16, -16), Qt::AlignCenter | Qt::TextWordWrap,
                   m_placeholder);
        return;
    }
    // Tick and legend fonts are render::style::kTickFont (= kLegendFont) units.
    const double pixels = m_textPoints * logicalDpiY() / 72.0;
    m_renderer->paint(p, size(), *m_frame, pixels / render::style::kTickFont);
    ++m_paints;
    emit painted(m_frame->index);
}

} // namespace ws::ui
