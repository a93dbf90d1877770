#pragma once
// The presets: the shipped ones (session JSON files in resources/presets, compiled in as Qt
// resources, installed to share/wignerscope/presets) and those a teacher adds as files
// (datadirs.h: a preset file may carry "name" and "lesson" beside the session keys; a user's
// file with a shipped preset's file name replaces it). Also reading session files with the
// GUI's view settings.

#include "core/io/session.h"

#include <QJsonObject>
#include <QString>

#include <vector>

namespace ws::ui {

struct Preset
{
    QString name;     // menu text
    QString resource; // ":/presets/....json"
    QString lesson;   // one line: what to look at
};

void ensureResources(); // registers resources/wignerscope.qrc (idempotent)
// Built-in presets first, then the others; rescans the directories at each call.
std::vector<Preset> presets();

// Throws core::InputError (unknown name, malformed file).
core::Session loadPreset(const QString& name);
core::Session readSessionFile(const QString& path); // also ":/..." resources

QJsonObject viewOf(const core::Session& s); // the opaque "view" object
void setView(core::Session& s, const QJsonObject& view);

} // namespace ws::ui
