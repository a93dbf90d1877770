// The job runner (ui/jobs/jobrunner.h) with synthetic jobs whose steps the test releases:
// stale results dropped on the worker and on arrival, exactly one terminal signal per job, cancel
// final at once and never a failure, errors as values, throttled progress, Serial queuing
// without blocking the GUI thread, a destructor that waits, rapid restarts. Every wait is on a
// signal (or, for the workers, on a gate the test opens).
#include "support/job_waits.h"
#include "ui/jobs/jobrunner.h"

#include "core/model/families.h"
#include "core/weights/weights_io.h"

#include <QSignalSpy>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <thread>

using namespace ws;
using ui::JobContext;
using ui::JobError;
using ui::JobRunner;
using Policy = JobRunner::Policy;

Q_DECLARE_METATYPE(JobRunner::Policy)
Q_DECLARE_METATYPE(JobError::Kind)
Q_DECLARE_METATYPE(std::function<void()>)

namespace {

// A one-way door between threads: wait() blocks until open() (or 60 s, so that a broken runner
// fails the test instead of hanging it).
class Gate
{
public:
    void open()
    {
        const std::lock_guard lock(m_mutex);
        m_open = true;
        m_cv.notify_all();
    }
    bool wait()
    {
        std::unique_lock lock(m_mutex);
        return m_cv.wait_for(lock, std::chrono::seconds(60), [this] { return m_open; });
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_open = false;
};

// Spies on every signal of a runner.
struct Spies
{
    explicit Spies(JobRunner& r)
        : started(&r, &JobRunner::started), progress(&r, &JobRunner::progress),
          finished(&r, &JobRunner::finished), failed(&r, &JobRunner::failed),
          cancelled(&r, &JobRunner::cancelled), idle(&r, &JobRunner::workersIdle)
    {
    }
    int terminals() const
    {
        return static_cast<int>(finished.count() + failed.count() + cancelled.count());
    }
    QSignalSpy started, progress, finished, failed, cancelled, idle;
};

quint64 generationOf(const QSignalSpy& spy, int i)
{
    return spy.at(i).at(0).toULongLong();
}

void addPolicies()
{
    QTest::addColumn<Policy>("policy");
    QTest::newRow("replace") << Policy::Replace;
    QTest::newRow("serial") << Policy::Serial;
}

} // namespace

class TestJobRunner : public QObject
{
    Q_OBJECT
private slots:
    void staleResultsDropped_data() { addPolicies(); }
    void staleResultsDropped();
    void oneTerminalSignalPerJob_data() { addPolicies(); }
    void oneTerminalSignalPerJob();
    void cancelIsFinalAtOnce_data() { addPolicies(); }
    void cancelIsFinalAtOnce();
    void discardReportsNothing();
    void failureCarriesKindAndMessage_data();
    void failureCarriesKindAndMessage();
    void progressIsThrottled();
    void serialQueuesBehindReturnedWorker();
    void serialCoalescesWaitingJobs();
    void replaceStartsBesideStuckWorker();
    void destructorWaitsForWork_data() { addPolicies(); }
    void destructorWaitsForWork();
    void manyRapidRestarts_data() { addPolicies(); }
    void manyRapidRestarts();
};

// Start A, start B at once: one terminal signal, B's; A's result posted before B started is
// dropped on arrival, A's result posted after is dropped on the worker.
void TestJobRunner::staleResultsDropped()
{
    QFETCH(Policy, policy);
    JobRunner r(policy);
    Spies s(r);
    std::vector<QString> results; // GUI thread only
    Gate aPosted, aGo;
    std::atomic<bool> earlyAccepted{false}, lateAccepted{true};
    const quint64 a = r.start([&](const JobContext& ctx) {
        earlyAccepted = ctx.post([&] { results.push_back("A early"); });
        ctx.progress(0.5);
        aPosted.open();
        aGo.wait();
        lateAccepted = ctx.post([&] { results.push_back("A late"); });
    });
    QVERIFY(aPosted.wait()); // A's early result and progress wait in the GUI thread's queue
    const quint64 b = r.start([&](const JobContext& ctx) {
        ctx.post([&] { results.push_back("B"); });
        ctx.progress(1.0, 1, 1);
    });
    QCOMPARE(b, a + 1);
    aGo.open();
    QVERIFY(s.finished.wait(30000));
    QVERIFY(test::waitWorkersIdle(r, s.idle));
    QCOMPARE(s.finished.count(), 1);
    QCOMPARE(generationOf(s.finished, 0), b);
    QCOMPARE(s.terminals(), 1);
    QCOMPARE(results, std::vector<QString>{"B"});
    QVERIFY(earlyAccepted); // posted, then dropped on arrival
    QVERIFY(!lateAccepted); // dropped on the worker
    QCOMPARE(s.progress.count(), 1);
    QCOMPARE(generationOf(s.progress, 0), b);
    QCOMPARE(s.started.count(), 2); // started is emitted by start() itself
    QVERIFY(!r.isRunning());
}

void TestJobRunner::oneTerminalSignalPerJob()
{
    QFETCH(Policy, policy);
    JobRunner r(policy);
    Spies s(r);
    struct Case
    {
        const char* what;
        std::function<void()> body;
        QSignalSpy* expected;
    };
    const Case cases[] = {
        {"returns", [] {}, &s.finished},
        {"throws InputError", [] { throw core::InputError("sigma: must be > 0"); }, &s.failed},
        {"throws runtime_error", [] { throw std::runtime_error("boom"); }, &s.failed},
        // A Work may give up on its own: a cancel, not a failure.
        {"throws Cancelled", [] { throw core::Cancelled("cancelled"); }, &s.cancelled},
    };
    for (int round = 0; round < 3; ++round) {
        for (const Case& c : cases) {
            const int before = s.terminals();
            const qsizetype expectedBefore = c.expected->count();
            const quint64 gen = r.start([&c](const JobContext&) { c.body(); });
            QVERIFY2(c.expected->wait(30000), c.what);
            QVERIFY(test::waitWorkersIdle(r, s.idle));
            QCOMPARE(s.terminals(), before + 1);
            QCOMPARE(c.expected->count(), expectedBefore + 1);
            QCOMPARE(generationOf(*c.expected, static_cast<int>(expectedBefore)), gen);
            QVERIFY(!r.isRunning());
        }
    }
}

// cancel() while the worker is stuck in a call that ignores the flag (a LAPACK solve): the
// terminal signal comes before cancel() returns, nothing of that job arrives afterwards (not its
// late result, not its late exception), and the worker finishes in the background.
void TestJobRunner::cancelIsFinalAtOnce()
{
    QFETCH(Policy, policy);
    JobRunner r(policy);
    Spies s(r);
    Gate entered, release;
    bool late = false;
    const quint64 gen = r.start([&](const JobContext& ctx) {
        entered.open();
        release.wait();
        ctx.post([&] { late = true; });
        ctx.progress(1.0);
        throw std::runtime_error("a failure after the cancel");
    });
    QVERIFY(entered.wait());
    QVERIFY(r.isRunning());
    r.cancel();
    QCOMPARE(s.cancelled.count(), 1); // emitted before cancel() returned
    QCOMPARE(generationOf(s.cancelled, 0), gen);
    QCOMPARE(s.terminals(), 1);
    QVERIFY(!r.isRunning());
    QCOMPARE(r.busyWorkers(), 1); // still stuck
    r.cancel();                   // already ended: no second signal
    QCOMPARE(s.cancelled.count(), 1);
    release.open();
    QVERIFY(s.idle.wait(30000));
    QCOMPARE(r.busyWorkers(), 0);
    QVERIFY(!late);
    QCOMPARE(s.failed.count(), 0);
    QCOMPARE(s.progress.count(), 0);
    QCOMPARE(s.terminals(), 1);

    // A cooperative job: the token reaches the work, which returns; still one signal.
    Gate running;
    const quint64 gen2 = r.start([&](const JobContext& ctx) {
        running.open();
        while (!ctx.cancelled())
            std::this_thread::yield();
    });
    QVERIFY(running.wait());
    r.cancel();
    QCOMPARE(s.cancelled.count(), 2);
    QCOMPARE(generationOf(s.cancelled, 1), gen2);
    QVERIFY(test::waitWorkersIdle(r, s.idle));
    QCOMPARE(s.terminals(), 2);
}

void TestJobRunner::discardReportsNothing()
{
    JobRunner r(Policy::Serial);
    Spies s(r);
    Gate entered, release;
    bool late = false;
    r.start([&](const JobContext& ctx) {
        entered.open();
        release.wait();
        ctx.post([&] { late = true; });
    });
    QVERIFY(entered.wait());
    r.discard();
    QVERIFY(!r.isRunning());
    release.open();
    QVERIFY(s.idle.wait(30000));
    QCOMPARE(s.terminals(), 0);
    QVERIFY(!late);
    r.cancel(); // nothing current: no signal
    QCOMPARE(s.terminals(), 0);
}

void TestJobRunner::failureCarriesKindAndMessage_data()
{
    QTest::addColumn<std::function<void()>>("body");
    QTest::addColumn<JobError::Kind>("kind");
    QTest::addColumn<QString>("message");
    QTest::newRow("input") << std::function<void()>(
                                  [] { throw core::InputError("sigma: must be > 0, got -1"); })
                           << JobError::Kind::Input << "sigma: must be > 0, got -1";
    QTest::newRow("resource") << std::function<void()>([] {
        throw core::ResourceError("needs 8 GiB, the memory budget is 1 KiB");
    }) << JobError::Kind::Resource
                              << "needs 8 GiB, the memory budget is 1 KiB";
    QTest::newRow("bad_alloc") << std::function<void()>([] { throw std::bad_alloc(); })
                               << JobError::Kind::Resource << "not enough memory";
    QTest::newRow("other") << std::function<void()>([] { throw std::logic_error("a bug"); })
                           << JobError::Kind::Internal << "a bug";
    QTest::newRow("not an exception")
        << std::function<void()>([] { throw 42; }) << JobError::Kind::Internal << "unknown error";
}

void TestJobRunner::failureCarriesKindAndMessage()
{
    QFETCH(std::function<void()>, body);
    QFETCH(JobError::Kind, kind);
    QFETCH(QString, message);
    // The conversion itself.
    try {
        body();
        QFAIL("no exception");
    } catch (...) {
        const std::optional<JobError> e = ui::jobError(std::current_exception());
        QVERIFY(e);
        QCOMPARE(ui::toString(e->kind), ui::toString(kind));
        QCOMPARE(e->message, message);
        QVERIFY(e->param.isEmpty()); // until core::InputError names its parameter
    }
    // Through a runner: failed, with the value, and nothing else.
    JobRunner r;
    Spies s(r);
    const quint64 gen = r.start([body](const JobContext&) { body(); });
    QVERIFY(s.failed.wait(30000));
    QCOMPARE(generationOf(s.failed, 0), gen);
    const auto e = s.failed.at(0).at(1).value<JobError>();
    QCOMPARE(ui::toString(e.kind), ui::toString(kind));
    QCOMPARE(e.message, message);
    QVERIFY(test::waitWorkersIdle(r, s.idle));
    QCOMPARE(s.terminals(), 1);
    // A cancel is never a failure.
    QVERIFY(!ui::jobError(std::make_exception_ptr(core::Cancelled("cancelled"))));
}

// 5000 progress calls as fast as the worker can make them: the first and the last arrive, and
// at most one per interval in between, all before the terminal signal, all non-decreasing.
void TestJobRunner::progressIsThrottled()
{
    JobRunner r;
    Spies s(r);
    std::atomic<qint64> workMs{0};
    std::vector<QString> order;
    connect(&r, &JobRunner::progress, this, [&] { order.push_back("progress"); });
    connect(&r, &JobRunner::finished, this, [&] { order.push_back("finished"); });
    const quint64 gen = r.start([&](const JobContext& ctx) {
        const auto t0 = std::chrono::steady_clock::now();
        constexpr int kSteps = 5000;
        for (int i = 1; i <= kSteps; ++i)
            ctx.progress(static_cast<double>(i) / kSteps, i, kSteps);
        workMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - t0)
                     .count();
    });
    QVERIFY(s.finished.wait(30000));
    const qsizetype n = s.progress.count();
    QVERIFY2(n >= 2, qPrintable(QString::number(n)));
    QVERIFY2(n <= 2 + workMs / JobContext::kProgressIntervalMs,
             qPrintable(QString("%1 signals in %2 ms").arg(n).arg(workMs.load())));
    double last = 0.0;
    for (const auto& args : s.progress) {
        QCOMPARE(args.at(0).toULongLong(), gen);
        QVERIFY(args.at(1).toDouble() >= last);
        last = args.at(1).toDouble();
    }
    QCOMPARE(s.progress.at(0).at(2).toInt(), 1); // the first always goes through
    QCOMPARE(last, 1.0);
    QCOMPARE(s.progress.at(n - 1).at(2).toInt(), 5000);
    QCOMPARE(s.progress.at(n - 1).at(3).toInt(), 5000);
    QCOMPARE(order.back(), QString("finished"));
    QCOMPARE(order.size(), static_cast<std::size_t>(n) + 1);
}

// Serial: B waits while A's worker is stuck, the GUI thread keeps turning, and B runs only
// after A's worker has returned.
void TestJobRunner::serialQueuesBehindReturnedWorker()
{
    JobRunner r(Policy::Serial);
    Spies s(r);
    Gate aEntered, aRelease;
    std::atomic<bool> aReturned{false}, bRan{false}, bSawAReturned{false};
    r.start([&](const JobContext&) {
        aEntered.open();
        aRelease.wait(); // ignores the cancel flag, like LAPACK
        aReturned = true;
    });
    QVERIFY(aEntered.wait());
    const quint64 b = r.start([&](const JobContext&) {
        bSawAReturned = aReturned.load();
        bRan = true;
    });
    // start() did not wait for the busy worker: A cannot return before aRelease opens below
    // (had start() waited, it would never have returned).
    QVERIFY(!aReturned);
    QVERIFY(r.isRunning());
    QCOMPARE(r.busyWorkers(), 1);
    // The event loop turns while B waits.
    QTimer tick;
    QSignalSpy ticks(&tick, &QTimer::timeout);
    tick.start(0);
    QVERIFY(ticks.wait(5000));
    QVERIFY(ticks.wait(5000));
    tick.stop();
    QVERIFY(!bRan);
    QCOMPARE(s.terminals(), 0);
    aRelease.open();
    QVERIFY(s.finished.wait(30000));
    QCOMPARE(s.finished.count(), 1);
    QCOMPARE(generationOf(s.finished, 0), b);
    QVERIFY(bRan);
    QVERIFY(bSawAReturned);
    QVERIFY(test::waitWorkersIdle(r, s.idle));
    QCOMPARE(s.terminals(), 1);
}

// Serial: while A is stuck, B, C and D are started; B and C never run, D does, once.
void TestJobRunner::serialCoalescesWaitingJobs()
{
    JobRunner r(Policy::Serial);
    Spies s(r);
    Gate aEntered, aRelease;
    r.start([&](const JobContext&) {
        aEntered.open();
        aRelease.wait();
    });
    QVERIFY(aEntered.wait());
    std::atomic<int> ran{0};
    std::atomic<int> which{0};
    quint64 d = 0;
    for (int i = 1; i <= 3; ++i)
        d = r.start([&, i](const JobContext&) {
            ++ran;
            which = i;
        });
    // Cancelling a waiting job ends it at once too, and it never runs.
    r.cancel();
    QCOMPARE(s.cancelled.count(), 1);
    QCOMPARE(generationOf(s.cancelled, 0), d);
    d = r.start([&](const JobContext&) {
        ++ran;
        which = 4;
    });
    aRelease.open();
    QVERIFY(s.finished.wait(30000));
    QVERIFY(test::waitWorkersIdle(r, s.idle));
    QCOMPARE(ran.load(), 1);
    QCOMPARE(which.load(), 4);
    QCOMPARE(s.finished.count(), 1);
    QCOMPARE(generationOf(s.finished, 0), d);
    QCOMPARE(s.terminals(), 2);
}

// Replace: B runs and finishes while the superseded A is still stuck.
void TestJobRunner::replaceStartsBesideStuckWorker()
{
    JobRunner r(Policy::Replace);
    Spies s(r);
    Gate aEntered, aRelease;
    std::atomic<bool> aReturned{false};
    r.start([&](const JobContext&) {
        aEntered.open();
        aRelease.wait();
        aReturned = true;
    });
    QVERIFY(aEntered.wait());
    const quint64 b = r.start([](const JobContext&) {});
    QVERIFY(s.finished.wait(30000));
    QCOMPARE(generationOf(s.finished, 0), b);
    QVERIFY(!aReturned);
    QCOMPARE(r.busyWorkers(), 1);
    aRelease.open();
    QVERIFY(s.idle.wait(30000));
    QCOMPARE(s.terminals(), 1);
}

// The destructor cancels and waits: a cooperative worker sees the token, a worker that keeps
// computing after it (uninterruptible work) is waited for, and a job waiting under Serial never
// runs.
void TestJobRunner::destructorWaitsForWork()
{
    QFETCH(Policy, policy);
    auto* r = new JobRunner(policy);
    Gate entered;
    std::atomic<bool> returned{false}, sawCancel{false}, waitingRan{false};
    r->start([&](const JobContext& ctx) {
        entered.open();
        while (!ctx.cancelled())
            std::this_thread::yield();
        sawCancel = true;
        // Some work that no flag interrupts, after the cancel.
        const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
        while (std::chrono::steady_clock::now() < until)
            std::this_thread::yield();
        returned = true;
    });
    QVERIFY(entered.wait());
    if (policy == Policy::Serial)
        r->start([&](const JobContext&) { waitingRan = true; });
    delete r;
    QVERIFY(sawCancel);
    QVERIFY(returned);
    QVERIFY(!waitingRan);
}

// 300 restarts in a row. The superseded jobs really run (every 10th is waited for until it is
// running: Replace on its worker, Serial through its first progress signal), post, report
// progress and fail after their cancel; now and then the event loop turns. Every result that
// arrives was posted by the job that was current on arrival, and the only terminal signal is the
// last job's.
void TestJobRunner::manyRapidRestarts()
{
    QFETCH(Policy, policy);
    JobRunner r(policy);
    Spies s(r);
    constexpr int kJobs = 300;
    int startedJobs = 0;                      // GUI thread only
    std::vector<std::pair<int, int>> arrived; // (job, jobs started by then), GUI thread only
    std::vector<std::unique_ptr<Gate>> entered;
    for (int i = 0; i < kJobs; ++i)
        entered.push_back(std::make_unique<Gate>());
    std::atomic<int> ran{0};
    int staleSignals = 0; // a signal whose generation was not the current one when emitted
    auto check = [&](quint64 g) { staleSignals += g == r.generation() ? 0 : 1; };
    connect(&r, &JobRunner::progress, this, check);
    connect(&r, &JobRunner::finished, this, check);
    connect(&r, &JobRunner::failed, this, check);
    connect(&r, &JobRunner::cancelled, this, check);
    quint64 last = 0;
    for (int i = 0; i < kJobs; ++i) {
        Gate* in = entered[static_cast<std::size_t>(i)].get();
        const bool isLast = i == kJobs - 1;
        last = r.start([&, i, in, isLast](const JobContext& ctx) {
            ++ran;
            in->open();
            ctx.progress(0.0, 0, 20); // the first always goes through
            for (int step = 0; step < 20 && !ctx.cancelled(); ++step) {
                ctx.progress(step / 20.0, step, 20);
                ctx.post([&arrived, &startedJobs, i] { arrived.emplace_back(i, startedJobs); });
            }
            if (isLast)
                return;
            while (!ctx.cancelled())
                std::this_thread::yield();
            throw core::InputError("a failure after the job was superseded");
        });
        ++startedJobs;
        if (i % 10 == 0 && policy == Policy::Replace)
            QVERIFY(in->wait());
        // Serial: the job starts when the previous worker's return has been handled.
        while (i % 10 == 0 && policy == Policy::Serial &&
               (s.progress.isEmpty() || generationOf(s.progress, s.progress.count() - 1) != last))
            QVERIFY(s.progress.wait(10000));
        if (i % 25 == 0)
            QCoreApplication::processEvents();
    }
    QVERIFY(s.finished.wait(30000));
    QVERIFY(test::waitWorkersIdle(r, s.idle));
    QCOMPARE(s.started.count(), kJobs);
    QCOMPARE(s.finished.count(), 1);
    QCOMPARE(generationOf(s.finished, 0), last);
    QCOMPARE(s.terminals(), 1);
    QCOMPARE(staleSignals, 0);
    int fromLast = 0;
    for (const auto& [job, startedThen] : arrived) {
        QCOMPARE(startedThen, job + 1); // no later job had been started when it arrived
        fromLast += job == kJobs - 1 ? 1 : 0;
    }
    QCOMPARE(fromLast, 20);
    QVERIFY(ran.load() >= 1 && ran.load() <= kJobs);
    qInfo("%s: %d of %d jobs ran, %zu results arrived", QTest::currentDataTag(), ran.load(), kJobs,
          arrived.size());
}

QTEST_GUILESS_MAIN(TestJobRunner)
#include "tst_jobrunner.moc"
