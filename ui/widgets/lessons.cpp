#include "ui/widgets/lessons.h"

#include "ui/widgets/datadirs.h"
#include "ui/widgets/presets.h"

#include "core/model/families.h"

#include <QFile>
#include <QStringList>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace ws::ui {

namespace {

[[noreturn]] void refuse(const QString& path, const QString& why)
{
    throw core::InputError(QString("%1: %2").arg(path, why).toStdString());
}

} // namespace

const QStringList& lessonTabs()
{
    static const QStringList tabs = {"main", "residuals", "bbp",     "convergence", "overlaps",
                                     "rank", "animation", "weights", "rectangular"};
    return tabs;
}

Lesson readLesson(const QString& path)
{
    ensureResources();
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        refuse(path, "cannot read it: " + f.errorString());
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &error);
    if (!doc.isObject())
        refuse(path, "not a JSON object" + (error.error ? ": " + error.errorString() : QString()));
    const QJsonObject o = doc.object();
    if (o.value("format").toString() != "wignerscope-lesson")
        refuse(path, "format: expected \"wignerscope-lesson\"");
    if (o.value("version").toInt() != 1)
        refuse(path, "version: expected 1");
    Lesson lesson;
    lesson.file = path;
    lesson.title = o.value("title").toString();
    if (lesson.title.isEmpty())
        refuse(path, "title: missing");
    const QJsonArray steps = o.value("steps").toArray();
    if (steps.isEmpty())
        refuse(path, "steps: expected at least one");
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const QJsonObject s = steps[i].toObject();
        const QString where = QString("step %1").arg(i + 1);
        LessonStep step;
        step.title = s.value("title").toString();
        step.caption = s.value("caption").toString();
        step.tab = s.value("tab").toString("main");
        if (step.caption.isEmpty())
            refuse(path, where + ": caption: missing");
        if (!lessonTabs().contains(step.tab))
            refuse(path, where + ": tab: unknown '" + step.tab + "'");
        try {
            step.session = core::sessionFromJson(
                QJsonDocument(s).toJson(QJsonDocument::Compact).toStdString());
            core::validate(step.session.model);
        } catch (const core::InputError& e) {
            refuse(path, where + ": " + QString::fromStdString(e.what()));
        }
        step.runSweep = s.value("run_sweep").toBool();
        step.exampleWeights = s.value("weights").toString() == "example";
        lesson.steps.push_back(std::move(step));
    }
    return lesson;
}

std::vector<Lesson> lessons(QStringList* errors)
{
    ensureResources();
    std::vector<Lesson> out;
    for (const QString& file : dataFiles("lessons")) {
        try {
            out.push_back(readLesson(file));
        } catch (const core::InputError& e) {
            // A broken file of a teacher's does not hide the others.
            if (errors)
                *errors << QString::fromStdString(e.what());
        }
    }
    return out;
}

} // namespace ws::ui
