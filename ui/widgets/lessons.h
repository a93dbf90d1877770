#pragma once
// Lessons: a story told in steps, each setting the model and the view and saying on screen what
// to look at and what to change next. A lesson is a JSON file (resources/lessons, installed to
// share/wignerscope/lessons; a teacher adds their own to the user's lessons directory,
// datadirs.h):
// {
//   "format": "wignerscope-lesson", "version": 1,
//   "title": "The story of the model",
//   "steps": [
//     { "title": "One spike: the BBP transition",
//       "caption": "What to look at, what to change next.",
//       "tab": "main",                      // the tab to show: main, bbp, ..., rectangular
//       "format": "wignerscope-session", "version": 1,   // a preset: a session file's keys
//       "model": {...}, "run": {...}, "view": {...},
//       "run_sweep": true,                  // optional: start the tab's sweep
//       "weights": "example" }              // optional: load the example weights
//   ]
// }

#include "core/io/session.h"

#include <QString>

#include <vector>

namespace ws::ui {

struct LessonStep
{
    QString title, caption, tab;
    core::Session session;
    bool runSweep = false;
    bool exampleWeights = false;
};

struct Lesson
{
    QString title;
    QString file; // where it was read
    std::vector<LessonStep> steps;
};

// The tab keys a step may name.
const QStringList& lessonTabs();

// Reads and checks a lesson file: core::InputError naming the file and the step (1-based) for
// anything malformed (not JSON, wrong format or version, no steps, a step without a caption or
// with an unknown tab, a session the core refuses).
Lesson readLesson(const QString& path);

// Every readable lesson (datadirs.h order: the shipped ones first). A file that cannot be read
// is left out, with its reason in `errors` (for the menu to show).
std::vector<Lesson> lessons(QStringList* errors = nullptr);

} // namespace ws::ui
