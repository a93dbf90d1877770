#include "ui/widgets/presets.h"

#include "ui/widgets/datadirs.h"

#include "core/io/session.h"
#include "core/model/families.h"
#include "core/util/bytes.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

#include <algorithm>
#include <cstdint>

#include <sys/stat.h>

// Resources compiled into a static library must be registered explicitly, outside any
// namespace.
static void initWignerscopeResources()
{
    Q_INIT_RESOURCE(wignerscope);
}

namespace ws::ui {

void ensureResources()
{
    static const bool done = (initWignerscopeResources(), true);
    (void)done;
}

namespace {

// The shipped presets in menu order. Each file carries its menu name and lesson line, as a
// teacher's preset file may.
constexpr const char* kBuiltInPresets[] = {
    ":/presets/bbp-transition.json", ":/presets/growing-rank.json", ":/presets/full-rank.json",
    ":/presets/heavy-tailed.json", ":/presets/decaying-spectrum.json"};

QJsonObject readJsonObject(const QString& file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object()
                                       : QJsonObject();
}

QString stemOf(const QString& path)
{
    return QFileInfo(path).completeBaseName();
}

} // namespace

std::vector<Preset> presets()
{
    ensureResources();
    std::vector<Preset> list;
    for (const char* resource : kBuiltInPresets) {
        const QJsonObject o = readJsonObject(resource);
        list.push_back({o.value("name").toString(), resource, o.value("lesson").toString()});
    }
    for (const QString& file : dataFiles("presets")) {
        auto same = std::find_if(list.begin(), list.end(), [&](const Preset& p) {
            return stemOf(p.resource) == stemOf(file);
        });
        if (same != list.end() && same->resource == file)
            continue;
        // A preset file of its own: its name and lesson line, if it gives them.
        const QJsonObject o = readJsonObject(file);
        if (same != list.end()) {
            same->resource = file; // the user's version of a shipped preset
            same->name = o.value("name").toString(same->name);
            same->lesson = o.value("lesson").toString(same->lesson);
        } else {
            list.push_back(
                {o.value("name").toString(stemOf(file)), file, o.value("lesson").toString()});
        }
    }
    return list;
}

core::Session readSessionFile(const QString& path)
{
    ensureResources();
    if (!path.startsWith(":")) {
        // Only regular files, and small ones: a FIFO would block the window (at start, the last
        // session), a device (/dev/zero) would never end.
        struct stat st
        {
        };
        if (::stat(QFile::encodeName(path).constData(), &st) == 0) {
            if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
                throw core::InputError(QString("cannot read %1: not a regular file (%2)")
                                           .arg(path, S_ISFIFO(st.st_mode)  ? "a FIFO (named pipe)"
                                                      : S_ISCHR(st.st_mode) ? "a character device"
                                                                            : "a device or socket")
                                           .toStdString());
            if (static_cast<std::uint64_t>(st.st_size) > core::kMaxSessionBytes)
                throw core::InputError(
                    QString("cannot read %1: it is %2, over the %3 limit of a session file")
                        .arg(path,
                             QString::fromStdString(
                                 core::formatBytes(static_cast<double>(st.st_size))),
                             QString::fromStdString(
                                 core::formatBytes(static_cast<double>(core::kMaxSessionBytes))))
                        .toStdString());
        }
    }
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        throw core::InputError(
            QString("cannot read %1: %2").arg(path, f.errorString()).toStdString());
    return core::sessionFromJson(f.readAll().toStdString());
}

core::Session loadPreset(const QString& name)
{
    for (const auto& p : presets())
        if (p.name == name)
            return readSessionFile(p.resource);
    throw core::InputError("unknown preset: " + name.toStdString());
}

QJsonObject viewOf(const core::Session& s)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(s.viewJson)).object();
}

void setView(core::Session& s, const QJsonObject& view)
{
    s.viewJson = QJsonDocument(view).toJson(QJsonDocument::Compact).toStdString();
}

} // namespace ws::ui
