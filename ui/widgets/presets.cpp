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

const std::vector<Preset>& builtInPresets()
{
    static const std::vector<Preset> list = {
        {QObject::tr("BBP transition (rank one)"), ":/presets/bbp-transition.json",
         QObject::tr("One spike θ = 2 > σ: an outlier leaves the bulk at θ + σ²/θ = 2.5. Press "
                     "play to sweep θ through the threshold σ = 1.")},
        {QObject::tr("Growing rank: finite-rank formula drifts"), ":/presets/growing-rank.json",
         QObject::tr("r = N^0.75 spikes: the BBP positions θ + σ²/θ overshoot the observed "
                     "outliers; the large-rank prediction stays on them.")},
        {QObject::tr("Full-rank signal with outliers"), ":/presets/full-rank.json",
         QObject::tr("S = a full-rank uniform bulk on [-2, 2] plus spikes 5, 3, 1.8, -3.5: the "
                     "bulk is no longer a semicircle, the spike 1.8 > σ gets a BBP outlier that "
                     "does not exist, and the large-rank formula tracks the real ones.")},
        {QObject::tr("Heavy-tailed noise breaks universality"), ":/presets/heavy-tailed.json",
         QObject::tr("Student-t noise with ν = 2.5 (no fourth moment): spurious eigenvalues far "
                     "outside the bulk; the predictions no longer match.")},
        {QObject::tr("Decaying spectrum like trained weights"), ":/presets/decaying-spectrum.json",
         QObject::tr("θₖ = 6·k^(-0.6): only the spikes above the separation threshold give "
                     "outliers, the rest are absorbed in the bulk; those just above it sit too "
                     "close to the edge to be told apart at this N.")},
    };
    return list;
}

QString stemOf(const QString& path)
{
    return QFileInfo(path).completeBaseName();
}

} // namespace

std::vector<Preset> presets()
{
    ensureResources();
    std::vector<Preset> list = builtInPresets();
    for (const QString& file : dataFiles("presets")) {
        auto same = std::find_if(list.begin(), list.end(), [&](const Preset& p) {
            return stemOf(p.resource) == stemOf(file);
        });
        if (same != list.end() && same->resource == file)
            continue;
        // A preset file of its own: its name and lesson line, if it gives them.
        QFile f(file);
        const QJsonObject o = f.open(QIODevice::ReadOnly)
                                  ? QJsonDocument::fromJson(f.readAll()).object()
                                  : QJsonObject();
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
