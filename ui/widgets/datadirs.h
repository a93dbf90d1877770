#pragma once
// Where the app finds its data files of one kind ("presets", "lessons"), in order: the copies
// built into its Qt resources (":/presets"), the installation's share directory, found relative
// to the program (applicationDirPath()/../share/wignerscope/presets, as cmake --install lays it
// out), and the user's own directory (userDataDir()/presets), where a teacher adds files. A file
// is known by its stem; the user's file of a stem replaces the others, an installed one only
// adds stems the app does not have.

#include <QString>
#include <QStringList>

#include <vector>

namespace ws::ui {

// $WIGNERSCOPE_DATA_DIR if set (tests), else the writable AppDataLocation (the directory of the
// last session too).
QString userDataDir();

// The .json files of `kind`: one per stem, built-in stems first in name order, then the others.
QStringList dataFiles(const QString& kind);

} // namespace ws::ui
