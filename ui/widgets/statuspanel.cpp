#include "ui/widgets/statuspanel.h"

#include "ui/widgets/errorlabel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>

namespace ws::ui {

StatusPanel::StatusPanel(QWidget* parent)
    : QWidget(parent), m_sampler(new QLabel(this)), m_count(new QLabel(this)),
      m_progress(new QProgressBar(this)), m_time(new QLabel(this)), m_theoryNote(new QLabel(this)),
      m_message(new QLabel(this)), m_cancel(new QPushButton(tr("Cancel"), this))
{
    m_sampler->setToolTip(tr("The sampler that runs: 'banded (inertia counts)' (exact Gaussian "
                             "band model; histogram from inertia counts, outliers by bisection, "
                             "never all eigenvalues), 'banded' (the same model, all eigenvalues) "
                             "or 'dense' (full matrix, O(N^3))."));
    m_count->setToolTip(tr("Samples finished / requested."));
    m_progress->setMaximumWidth(220);
    m_progress->setTextVisible(false);
    m_time->setToolTip(tr("Wall-clock time per sample (samples run in parallel)."));
    m_theoryNote->setStyleSheet("color: #d55e00; font-weight: bold;");
    m_theoryNote->setVisible(false);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_cancel->setToolTip(tr("Stop sampling; the samples so far stay on the plot."));
    m_cancel->setEnabled(false);
    connect(m_cancel, &QPushButton::clicked, this, &StatusPanel::cancelRequested);
    auto* l = new QHBoxLayout(this);
    l->setContentsMargins(4, 0, 4, 0);
    l->addWidget(m_sampler);
    l->addSpacing(12);
    l->addWidget(m_count);
    l->addWidget(m_progress);
    l->addWidget(m_time);
    l->addSpacing(12);
    l->addWidget(m_theoryNote);
    l->addWidget(m_message, 1);
    l->addWidget(m_cancel);
}

void StatusPanel::setTheory(const TheoryFrame& t)
{
    m_sampler->setText(tr("sampler: %1").arg(QString::fromStdString(t.predictedSampler)));
    m_count->setText(tr("0 / %1 samples").arg(t.session.samples));
    m_progress->setRange(0, t.session.samples);
    m_progress->setValue(0);
    m_time->clear();
    QString note, tip;
    if (t.theory.heavyTails) {
        note = tr("⚠ heavy-tailed noise: theory not valid");
        tip = tr("The noise has no finite fourth moment (e.g. student-t with ν ≤ 4): the outlier, "
                 "fluctuation and edge theory does not hold. Predictions are drawn for "
                 "reference only, without sd or Tracy–Widom bands.");
    } else if (t.theory.nonGaussian) {
        note = tr("⚠ outlier fluctuations not Gaussian");
        tip = tr("Spikes along basis vectors with non-Gaussian noise: the law of the entries "
                 "enters each outlier's fluctuations (Capitaine, Donati-Martin, Féral), so no "
                 "Gaussian sd band is drawn.");
    }
    m_theoryNote->setText(note);
    m_theoryNote->setToolTip(tip);
    m_theoryNote->setVisible(m_runShown && !note.isEmpty());
    if (m_isError) // a new run clears an old error, not a notice about how it started
        showError({});
}

void StatusPanel::setSamples(const SampleFrame& s)
{
    m_sampler->setText(tr("sampler: %1").arg(QString::fromStdString(s.sampler)));
    QString count = tr("%1 / %2 samples").arg(s.done).arg(s.total);
    if (s.cancelled)
        count += tr(" (cancelled)");
    m_count->setText(count);
    m_progress->setRange(0, s.total);
    m_progress->setValue(s.done);
    if (s.done > 0) {
        const double ms = 1000.0 * s.elapsedSeconds / s.done;
        m_time->setText(ms < 10 ? tr("%1 ms/sample").arg(ms, 0, 'f', 2)
                                : tr("%1 ms/sample").arg(ms, 0, 'f', 0));
    }
}

void StatusPanel::setRunning(bool running)
{
    m_cancel->setEnabled(running);
}

void StatusPanel::setRunShown(bool shown)
{
    m_runShown = shown;
    for (QWidget* w :
         std::initializer_list<QWidget*>{m_sampler, m_count, m_progress, m_time, m_cancel})
        w->setVisible(shown);
    m_theoryNote->setVisible(shown && !m_theoryNote->text().isEmpty());
}

void StatusPanel::showError(const QString& message)
{
    m_isError = !message.isEmpty();
    m_message->setStyleSheet(message.isEmpty() ? QString() : kErrorStyle);
    m_message->setText(message);
}

void StatusPanel::showNotice(const QString& message, int ms)
{
    m_isError = false;
    m_message->setStyleSheet({});
    m_message->setText(message);
    QTimer::singleShot(ms, this, [this, message] {
        if (!m_isError && m_message->text() == message)
            m_message->clear();
    });
}

QString StatusPanel::messageText() const
{
    return m_message->text();
}

QString StatusPanel::samplerText() const
{
    return m_sampler->text();
}

QString StatusPanel::theoryNoteText() const
{
    return m_theoryNote->text();
}

QString StatusPanel::progressText() const
{
    return m_count->text();
}

} // namespace ws::ui
