#include "ui/widgets/progressstrip.h"

#include <QHBoxLayout>
#include <QProgressBar>
#include <QPushButton>
#include <QSizePolicy>

#include <cmath>

namespace ws::ui {

ProgressStrip::ProgressStrip(int barWidth, QWidget* parent)
    : QWidget(parent), m_bar(new QProgressBar(this)), m_cancel(new QPushButton(tr("Cancel"), this))
{
    m_bar->setRange(0, 1000);
    m_bar->setValue(0);
    m_bar->setTextVisible(false);
    m_bar->setMaximumWidth(barWidth);
    // An empty idle bar reads as an empty text field: it is hidden until there is progress to
    // show, and keeps its room meanwhile, so that nothing moves when a job starts.
    QSizePolicy keep = m_bar->sizePolicy();
    keep.setRetainSizeWhenHidden(true);
    m_bar->setSizePolicy(keep);
    m_bar->setVisible(false);
    m_cancel->setEnabled(false);
    connect(m_cancel, &QPushButton::clicked, this, &ProgressStrip::cancelRequested);
    auto* l = new QHBoxLayout(this);
    l->setContentsMargins(0, 0, 0, 0);
    l->addWidget(m_bar);
    l->addWidget(m_cancel);
}

void ProgressStrip::start()
{
    m_bar->setValue(0);
    setBusy(true);
}

void ProgressStrip::setBusy(bool busy)
{
    m_cancel->setEnabled(busy);
    if (m_hiddenWhenIdle)
        setVisible(busy);
    showBarIfUseful();
}

void ProgressStrip::showBarIfUseful()
{
    m_bar->setVisible(m_cancel->isEnabled() || m_bar->value() > 0);
}

void ProgressStrip::setHiddenWhenIdle(bool hidden)
{
    m_hiddenWhenIdle = hidden;
    if (hidden && !m_cancel->isEnabled())
        setVisible(false);
}

void ProgressStrip::setFraction(double f)
{
    m_bar->setValue(static_cast<int>(std::lround(1000.0 * f)));
    showBarIfUseful();
}

void ProgressStrip::setBarToolTip(const QString& tip)
{
    m_bar->setToolTip(tip);
}

void ProgressStrip::setCancelToolTip(const QString& tip)
{
    m_cancel->setToolTip(tip);
}

} // namespace ws::ui
