#pragma once
// Waiting for the main window's runs in the widget tests: on the controller's signals, never by
// polling its state. Header-only (Qt), for the tests that link ws_ui.

#include "ui/jobs/controller.h"
#include "ui/plots/mainplot.h"
#include "ui/widgets/mainwindow.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QTimer>

#include <algorithm>

namespace ws::test {

// Waits until the current run has ended (finished, or cancelled with its last frame), nothing is
// pending and the plot shows it. The condition is checked at once and after each controller
// signal that can change it (an outcome, or a throttled request handled); false after `ms`.
inline bool waitRunEnded(ui::MainWindow& w, int ms)
{
    ui::Controller* c = w.controller();
    const auto ended = [&] {
        const auto f = c->samples();
        return f && f->finished && f->generation == c->generation() && !c->isRunning() &&
               !c->hasPending() && w.mainPlot()->samplesGeneration() == c->generation();
    };
    QEventLoop loop;
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
    QObject::connect(c, &ui::Controller::finished, &loop, &QEventLoop::quit);
    QObject::connect(c, &ui::Controller::cancelled, &loop, &QEventLoop::quit);
    QObject::connect(c, &ui::Controller::failed, &loop, &QEventLoop::quit);
    QObject::connect(c, &ui::Controller::requestHandled, &loop, &QEventLoop::quit);
    const QDeadlineTimer deadline(ms);
    while (!ended()) {
        if (deadline.hasExpired())
            return false;
        timeout.start(static_cast<int>(std::max<qint64>(deadline.remainingTime(), 1)));
        loop.exec();
    }
    return true;
}

// Waits until no throttled request is pending (it has started a run or been ignored).
inline bool waitRequestHandled(ui::Controller& c, int ms)
{
    if (!c.hasPending())
        return true;
    QEventLoop loop;
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
    QObject::connect(&c, &ui::Controller::requestHandled, &loop, &QEventLoop::quit);
    timeout.start(ms);
    loop.exec();
    return !c.hasPending();
}

} // namespace ws::test
