#include "ui/widgets/lessonpanel.h"

#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QPushButton>
#include <QKeyEvent>
#include <QScrollArea>
#include <QScrollBar>

#include <algorithm>
#include <QVBoxLayout>

namespace ws::ui {

LessonPanel::LessonPanel(QWidget* parent)
    : QFrame(parent), m_heading(new QLabel(this)), m_caption(new QLabel(this)),
      m_previous(new QPushButton(tr("◀ Previous"), this)),
      m_next(new QPushButton(tr("Next ▶"), this)), m_close(new QPushButton(tr("Close"), this)),
      m_scroll(new QScrollArea(this))
{
    setObjectName("lessonPanel");
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::AlternateBase);
    m_heading->setWordWrap(true);
    m_heading->setTextFormat(Qt::RichText);
    m_caption->setWordWrap(true);
    m_caption->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_previous->setToolTip(tr("Previous step (Page Up, P or ←)"));
    m_next->setToolTip(tr("Next step (Page Down, N or →)"));
    m_close->setToolTip(tr("Close the caption (Esc)"));
    connect(m_previous, &QPushButton::clicked, this, &LessonPanel::previousRequested);
    connect(m_next, &QPushButton::clicked, this, &LessonPanel::nextRequested);
    connect(m_close, &QPushButton::clicked, this, &LessonPanel::closeRequested);
    // Keys while the panel has the focus: taken before the window's shortcuts (Esc also
    // cancels sampling there).
    for (QWidget* w : {static_cast<QWidget*>(this), static_cast<QWidget*>(m_previous),
                       static_cast<QWidget*>(m_next), static_cast<QWidget*>(m_close)})
        w->installEventFilter(this);

    // The buttons beside the heading: the caption gets the whole width (fewer lines).
    auto* top = new QHBoxLayout;
    top->addWidget(m_heading, 1);
    top->addWidget(m_previous);
    top->addWidget(m_next);
    top->addWidget(m_close);
    auto* l = new QVBoxLayout(this);
    l->setContentsMargins(8, 4, 8, 4);
    l->setSpacing(2);
    l->addLayout(top);
    // A caption longer than four lines scrolls rather than pushing the plots off the screen.
    m_scroll->setWidget(m_caption);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_scroll->viewport()->setAutoFillBackground(false);
    m_caption->setAutoFillBackground(false);
    l->addWidget(m_scroll, 1);
    setVisible(false);
}

void LessonPanel::resizeEvent(QResizeEvent* event)
{
    QFrame::resizeEvent(event);
    fitCaption();
}

// The caption area is as tall as the wrapped caption at the panel's width, up to four lines
// (layouts ask a wrapped label for one line only, so the window's minimum size would not count
// the others).
void LessonPanel::fitCaption()
{
    const QMargins m = layout()->contentsMargins();
    const int width =
        this->width() - m.left() - m.right() - m_scroll->verticalScrollBar()->sizeHint().width();
    const int h = m_caption->heightForWidth(width);
    const int lines = 4 * m_caption->fontMetrics().lineSpacing() + 4;
    const int wanted = std::min(std::max(h, 0), lines);
    if (wanted > 0 && wanted != m_scroll->minimumHeight())
        m_scroll->setFixedHeight(wanted);
}

bool LessonPanel::eventFilter(QObject* watched, QEvent* event)
{
    const auto type = event->type();
    if (type != QEvent::ShortcutOverride && type != QEvent::KeyPress)
        return QFrame::eventFilter(watched, event);
    const auto* key = static_cast<QKeyEvent*>(event);
    void (LessonPanel::*signal)() = nullptr;
    if (key->modifiers() & ~Qt::KeypadModifier)
        return QFrame::eventFilter(watched, event);
    switch (key->key()) {
    case Qt::Key_PageDown:
    case Qt::Key_N:
    case Qt::Key_Right:
        signal = &LessonPanel::nextRequested;
        break;
    case Qt::Key_PageUp:
    case Qt::Key_P:
    case Qt::Key_Left:
        signal = &LessonPanel::previousRequested;
        break;
    case Qt::Key_Escape:
        signal = &LessonPanel::closeRequested;
        break;
    default:
        return QFrame::eventFilter(watched, event);
    }
    event->accept();
    if (type == QEvent::KeyPress)
        emit(this->*signal)();
    return true;
}

void LessonPanel::showStep(const QString& lesson, int index, int count, const QString& title,
                           const QString& caption)
{
    m_heading->setText(
        tr("<b>%1</b> · step %2 of %3%4")
            .arg(lesson.toHtmlEscaped())
            .arg(index + 1)
            .arg(count)
            .arg(title.isEmpty() ? QString() : ": <b>" + title.toHtmlEscaped() + "</b>"));
    m_caption->setText(caption);
    fitCaption();
    m_previous->setVisible(true);
    m_next->setVisible(true);
    m_previous->setEnabled(index > 0);
    m_next->setEnabled(index + 1 < count);
    setVisible(true);
    activate();
}

void LessonPanel::showNote(const QString& title, const QString& text)
{
    m_heading->setText("<b>" + title.toHtmlEscaped() + "</b>");
    m_caption->setText(text);
    fitCaption();
    m_previous->setVisible(false);
    m_next->setVisible(false);
    setVisible(true);
}

void LessonPanel::activate()
{
    if (!isVisible())
        return;
    if (m_next->isVisible() && m_next->isEnabled())
        m_next->setFocus(Qt::OtherFocusReason);
    else
        m_close->setFocus(Qt::OtherFocusReason);
}

QString LessonPanel::captionText() const
{
    return m_caption->text();
}

QString LessonPanel::headingText() const
{
    return m_heading->text();
}

} // namespace ws::ui
