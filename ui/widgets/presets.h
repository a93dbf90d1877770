#pragma once
// The shipped presets (session JSON files in resources/presets, compiled in as Qt resources)
// and reading/writing session files with the GUI's view settings.

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
const std::vector<Preset>& presets();

// Throws core::InputError (unknown name, malformed file).
core::Session loadPreset(const QString& name);
core::Session readSessionFile(const QString& path); // also ":/..." resources

QJsonObject viewOf(const core::Session& s); // the opaque "view" object
void setView(core::Session& s, const QJsonObject& view);

} // namespace ws::ui
